"""A Ray cluster joined by address: the same tables as a serial run.

The test starts a real Ray head (`ray start --head`) on this machine in its own
temporary folder, runs a job through the command line with
`ensemble.executor=ray ensemble.ray_address=127.0.0.1:<port>`, and compares the
job's runs table with the serial ensemble of the same seed. Ray's token
authentication is turned off for both sides (RAY_AUTH_MODE=disabled), as on a
private cluster whose nodes trust each other; a cluster that uses tokens needs
the token in the client's environment instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import load_config, run_ensemble

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ["scenario.horizon_days=10", "ensemble.chunk_size=2"]
N, SEED = 6, 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ray_cli() -> str:
    exe = Path(sys.executable).with_name("ray")
    if not exe.exists():
        pytest.fail(f"the ray command is missing beside {sys.executable}; install the project's dev extra")
    return str(exe)


@pytest.fixture
def ray_head():
    """A Ray head on 127.0.0.1:<port>, stopped (every process of its temp folder) afterwards."""
    pytest.importorskip("ray")
    port = _free_port()
    temp = tempfile.mkdtemp(prefix="rayh", dir="/tmp")  # short: Ray's socket paths must stay < 108 chars
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    head = subprocess.Popen(
        [
            _ray_cli(),
            "start",
            "--head",
            f"--port={port}",
            "--num-cpus=2",
            "--include-dashboard=false",
            "--disable-usage-stats",
            f"--temp-dir={temp}",
            "--block",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if head.poll() is not None:
                pytest.fail(f"ray start --head exited early:\n{head.stdout.read()[-2000:]}")
            time.sleep(0.5)
        else:
            pytest.fail("the Ray head did not open its port within 90 s")
        yield f"127.0.0.1:{port}", env
    finally:
        head.terminate()
        try:
            head.wait(timeout=20)
        except subprocess.TimeoutExpired:
            head.kill()
        subprocess.run(["pkill", "-f", temp], check=False)  # raylet, GCS and workers of this head only
        time.sleep(1)
        subprocess.run(["pkill", "-9", "-f", temp], check=False)
        shutil.rmtree(temp, ignore_errors=True)


@pytest.mark.slow  # a Ray head and a job through the command line
@pytest.mark.usefixtures("one_ray_at_a_time")  # taken before ray_head starts, released after it stops
def test_a_job_on_a_cluster_by_address_equals_the_serial_run(ray_head, tmp_path):
    address, env = ray_head
    job = tmp_path / "job"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "experiments.run",
            f"output_dir={tmp_path}",
            f"hydra.run.dir={job}",
            f"ensemble.n={N}",
            f"ensemble.seed={SEED}",
            "ensemble.executor=ray",
            f"ensemble.ray_address={address}",
            "ensemble.total=none",  # the job's own runs are compared; no companion, no figures
            "report=false",
            *OVERRIDES,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Connecting to existing Ray cluster" in proc.stderr + proc.stdout, "the job did not join the cluster"
    on_cluster = pd.read_parquet(job / "runs.parquet")
    serial = run_ensemble(load_config("baseline_2020", overrides=OVERRIDES), n=N, seed=SEED).runs
    assert len(on_cluster) == N
    pd.testing.assert_frame_equal(on_cluster[serial.columns].reset_index(drop=True), serial, check_dtype=False)
