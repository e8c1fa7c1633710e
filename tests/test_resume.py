"""A sweep killed mid-way (SIGKILL) and rerun with the same command ends with every run once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.runs.results import load

ROOT = Path(__file__).resolve().parent.parent
POINTS, N = 4, 8


def command(out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "experiments.run",
        "-m",
        f"output_dir={out}",
        "experiment=turkey_x_russia",
        "powers.turkey.resolve.value=0.0,1.0",
        "powers.russia.resolve.value=0.0,1.0",
        f"ensemble.n={N}",
        "ensemble.chunk_size=1",
        "ensemble.seed=3",
        "scenario.horizon_days=25",
    ]


@pytest.mark.slow  # two command-line sweeps
def test_sigkill_mid_sweep_then_rerun_gives_every_run_once(tmp_path):
    sweep = tmp_path / "sweeps" / "turkey_x_russia" / f"baseline_2020_n{N}_seed3"
    proc = subprocess.Popen(command(tmp_path), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:  # kill once the second job has written some chunks but not all
        while time.monotonic() < deadline:
            chunks = list((sweep / "1" / "chunks").glob("runs-*.parquet")) if (sweep / "1").exists() else []
            if len(chunks) >= 2:
                break
            assert proc.poll() is None, "the sweep ended before it could be killed"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert (sweep / "0" / "status.json").exists() and not (sweep / "1" / "status.json").exists()
    assert not (sweep / "runs.parquet").exists()
    partial = load(sweep)
    assert not partial.complete and N <= len(partial.runs) < POINTS * N

    rerun = subprocess.run(command(tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    res = load(sweep)
    assert res.complete and len(res.runs) == POINTS * N
    counts = res.runs.groupby(["point_id", "replicate"]).size()
    assert len(counts) == POINTS * N and counts.eq(1).all()
    assert sorted(res.runs["replicate"].unique()) == list(range(N))
    days = res.daily.groupby(["point_id", "replicate"])["day"]  # one row per day of each run, none twice
    assert days.ngroups == POINTS * N and (days.count() == days.max()).all() and days.max().le(25).all()
    assert not list(sweep.rglob("*.tmp")), "a temporary file was left behind"
