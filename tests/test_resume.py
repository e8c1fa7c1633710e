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
POINTS, N = 2, 8  # two points: the kill lands in the second job, the first is finished


def command(out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "experiments.run",
        "-m",
        f"output_dir={out}",
        "experiment=turkey_x_russia",
        "powers.turkey.resolve.value=0.0,1.0",
        "powers.russia.resolve.value=0.0",  # one value: the sweep has two points
        f"ensemble.n={N}",
        "ensemble.chunk_size=1",
        "ensemble.seed=3",
        "scenario.horizon_days=25",
        "report=false",  # resuming is under test, not the figures
    ]


@pytest.mark.slow  # two command-line sweeps
def test_sigkill_mid_sweep_then_rerun_gives_every_run_once(tmp_path):
    sweep = tmp_path / "turkey_x_russia" / f"baseline_2020_n{N}_seed3"
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
    assert not (sweep / "report").exists()  # report=false: the tables, no figures
    again = subprocess.run(command(tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    for k in range(POINTS):  # a finished sweep rerun says what it skips
        assert f"{sweep / str(k)}: already finished; nothing to run" in again.stdout


@pytest.mark.slow  # a killed command and its rerun
def test_a_killed_single_job_is_resumed_by_the_same_command(tmp_path):
    """A single job's folder is named by the time it starts; rerunning the same command after a SIGKILL
    finds the interrupted folder, says so, finishes it, and leaves no second folder behind."""
    args = [sys.executable, "-m", "experiments.run", f"output_dir={tmp_path}", "ensemble.n=300",
            "ensemble.chunk_size=10", "ensemble.seed=4", "scenario.horizon_days=12",
            "ensemble.total=none", "report=false"]  # fmt: skip
    jobs = tmp_path / "baseline_2020"
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if len(list(jobs.glob("*/chunks/done-*.json"))) >= 2:
                break
            assert proc.poll() is None, "the job ended before it could be killed"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    [first] = list(jobs.iterdir())
    assert not (first / "status.json").exists()
    time.sleep(1.1)  # the rerun's own folder gets another name (Hydra names it by the second)
    rerun = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"resuming the interrupted job in {first}" in rerun.stdout
    assert list(jobs.iterdir()) == [first]
    res = load(first)
    assert res.complete and len(res.runs) == 300 and res.runs["replicate"].is_unique
    assert not (first / "chunks").exists() and not (first / ".writing").exists()
    assert not (first / "report").exists() and not (first / "total").exists()  # report=false, ensemble.total=none


def test_two_writers_into_one_folder_are_refused_in_one_line(tmp_path):
    from sim.config.schema import ConfigError
    from sim.runs.store import ChunkStore

    store = ChunkStore(tmp_path, {"format": 2})
    (tmp_path / ".writing").write_text(str(os.getppid()))  # a live process holds it
    with pytest.raises(ConfigError, match=r"another run \(process \d+\) is writing into this folder"):
        store.lock()
    (tmp_path / ".writing").write_text("999999999")  # a process that is gone: taken over
    store.lock()
    assert (tmp_path / ".writing").read_text() == str(os.getpid())
    store.release()
    assert not (tmp_path / ".writing").exists()


@pytest.mark.parametrize("design", [False, True], ids=["ensemble", "design"])
def test_a_refused_rerun_leaves_the_folder_as_it_was(tmp_path, design):
    """The same folder, another run (a different horizon): refused in one line, and the first run's
    config, seeds and provenance are still there, byte for byte (they describe the tables beside them)."""
    from experiments.run import run_job
    from sim import load_config
    from sim.config.schema import ConfigError

    def config(horizon: int):
        extra = ["experiment=lhs_many_parameters", "experiment.design.points=2"] if design else []
        return load_config(overrides=[*extra, "ensemble.n=2", f"scenario.horizon_days={horizon}"])

    out = tmp_path / "job"
    run_job(config(5), out, progress=False, brief=True)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(ConfigError, match="holds results of a different run"):
        run_job(config(6), out, progress=False, brief=True)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert "horizon_days: 5" in (out / "config.yaml").read_text()
