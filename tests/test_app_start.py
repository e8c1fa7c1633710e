"""`make app`'s server starts and serves the page quietly: no warning on the first request."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow  # starts the Solara server
def test_the_page_is_served_without_warnings():
    quiet = re.search(r"^QUIET_PAGE := (.+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    port = _free_port()
    env = dict(os.environ, SOLARA_TELEMETRY_MIXPANEL_ENABLE="false", PYTHONWARNINGS=quiet)
    solara = Path(sys.executable).parent / "solara"
    cmd = [str(solara), "run", "sim/app/war_page.py", "--port", str(port), "--host", "127.0.0.1", "--production"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, status = time.time() + 120, None
        while time.time() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    status = page.status
            except OSError:
                time.sleep(1)
        assert status == 200
        time.sleep(2)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "Warning" not in out and "warn" not in out.lower(), out
