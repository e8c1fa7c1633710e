"""Write requirements/lock.txt: the exact version of every package the project can install.

The tests compare results to 1e-9 (tests/test_pinned_outcomes.py), so make and CI install
the same versions everywhere: `pip install -c requirements/lock.txt -e '.[extra]'`. The
lock is pip's own resolution of every extra (a dry run: nothing is installed), for the
Python running this script. By default the versions already installed in this environment
(those the tests last passed with) are kept wherever they satisfy the requirements, so a
new dependency does not move the others; `--upgrade` resolves everything afresh to the
newest allowed versions.

    .venv/bin/python tools/lock.py            # or: make lock
    .venv/bin/python tools/lock.py --upgrade
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
#: The extras whose union is every package the project installs (dev holds all but lab's).
EVERYTHING = ".[dev,lab]"
OWN = "karabakh-escalation"


def installed() -> list[str]:
    """name==version of this environment's packages (not the project itself)."""
    out = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--exclude", OWN],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if "==" in line and not line.startswith("-")]


def resolve(keep: list[str]) -> dict[str, str]:
    """{name: version} that pip would install for EVERYTHING, preferring the `keep` pins."""
    with tempfile.TemporaryDirectory() as tmp:
        report, prefer = Path(tmp) / "report.json", Path(tmp) / "prefer.txt"
        prefer.write_text("\n".join(keep) + "\n")
        args = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet"]
        args += ["--report", str(report), EVERYTHING]
        done = subprocess.run([*args, "-c", str(prefer)] if keep else args, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0 and keep:  # an installed version no longer fits: resolve those afresh
            print("lock: the installed versions do not satisfy every requirement; resolving afresh", file=sys.stderr)
            return resolve([])
        if done.returncode != 0:
            raise SystemExit(f"lock: pip could not resolve {EVERYTHING}: {done.stderr.strip().splitlines()[-1:]}")
        found = json.loads(report.read_text())["install"]
    return {i["metadata"]["name"]: i["metadata"]["version"] for i in found if i["metadata"]["name"] != OWN}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="newest allowed versions, not the installed ones")
    args = parser.parse_args(argv)
    pins = resolve([] if args.upgrade else installed())
    py = ".".join(platform.python_version_tuple()[:2])
    header = [
        "# Locked versions of every package the project installs (all extras), as pip constraints:",
        "# make and CI install with `pip install -c requirements/lock.txt -e '.[<extra>]'`.",
        f"# Written by tools/lock.py (`make lock`) from pip's resolution for Python {py} on {platform.system()}.",
    ]
    body = [f"{name}=={version}" for name, version in sorted(pins.items(), key=lambda kv: kv[0].lower())]
    LOCK.parent.mkdir(exist_ok=True)
    LOCK.write_text("\n".join(header + body) + "\n")
    print(f"lock: {len(body)} packages -> {LOCK.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
