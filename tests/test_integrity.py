"""Nothing lost (sim.runs.integrity, sim.runs.results): a chunk damaged after a killed run is found and
recomputed on resume, the finished tables are checked on load, and a damaged file is named in one line.
The interruption is a real process killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import load_config, run_ensemble
from sim.runs.integrity import ResultsError
from sim.runs.results import load

ROOT = Path(__file__).resolve().parent.parent
N, SEED = 24, 5
OVERRIDES = ["scenario.horizon_days=15", "ensemble.chunk_size=2", "ensemble.executor=serial"]


def ensemble(out: Path, **kw):
    return run_ensemble(load_config(overrides=OVERRIDES), n=N, seed=SEED, out=out, **kw)


@pytest.mark.slow  # a killed subprocess and two small ensembles
def test_a_damaged_chunk_is_found_recomputed_and_the_result_is_whole(tmp_path, capsys):
    folder = tmp_path / "job"
    script = (
        "import logging; logging.getLogger('MESA').setLevel(logging.WARNING)\n"
        "from sim import load_config, run_ensemble\n"
        f"run_ensemble(load_config(overrides={OVERRIDES!r}), n={N}, seed={SEED}, out={str(folder)!r})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if len(list((folder / "chunks").glob("done-*.json"))) >= 3:
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert not (folder / "status.json").exists()
    damaged = sorted((folder / "chunks").glob("daily-*.parquet"))[0]
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])  # a copy that stopped half-way
    before = load(folder)
    assert not before.complete

    resumed = ensemble(folder)
    said = capsys.readouterr().out
    assert f"results: {damaged} is damaged" in said and "recomputing chunk" in said
    whole = ensemble(tmp_path / "whole")
    done = load(folder)
    assert done.complete and len(done.runs) == N
    pd.testing.assert_frame_equal(done.runs, load(tmp_path / "whole").runs)
    pd.testing.assert_frame_equal(done.daily, load(tmp_path / "whole").daily)
    pd.testing.assert_frame_equal(resumed.runs, whole.runs)
    assert not (folder / "chunks").exists()


def test_load_names_a_damaged_table_in_one_line(tmp_path):
    folder = tmp_path / "job"
    ensemble(folder)
    assert load(folder).complete
    daily = folder / "daily.parquet"
    daily.write_bytes(daily.read_bytes()[:-100])
    with pytest.raises(ResultsError, match=rf"^{daily} is damaged \(\d+ bytes, expected \d+\); .*remove the folder"):
        load(folder)
    with pytest.raises(ResultsError, match="daily.parquet is damaged"):
        ensemble(folder)  # a complete folder is returned only if it is whole


def test_a_chunk_without_its_record_is_not_counted(tmp_path):
    """A runs file written but its done record not (killed in between) is neither loaded nor skipped."""
    from sim.runs.store import ChunkStore

    store = ChunkStore(tmp_path, {"format": 2})
    runs = pd.DataFrame({"replicate": [0, 1]})
    daily = pd.DataFrame({"replicate": [0, 0, 1], "day": [1, 2, 1]})
    store.write(0, runs, daily, [])
    store.write(1, runs, daily, [])
    (tmp_path / "chunks" / "done-000001.json").unlink()
    assert store.done() == {0}
    assert len(load(tmp_path).runs) == 2  # chunk 0 only


def test_a_job_with_failed_runs_is_finished_but_never_complete(tmp_path, monkeypatch):
    """Every run raising (a model fault): the folder is finished, lists the failures, and is not complete."""
    from sim.model.conflict import ConflictModel

    def broken(self):
        raise RuntimeError("a fault inside the model")

    monkeypatch.setattr(ConflictModel, "run_model", broken)
    res = ensemble(tmp_path / "job")
    assert len(res.failures) >= 1 and len(res.runs) == 0
    loaded = load(tmp_path / "job")
    assert not loaded.complete and len(loaded.failures) == len(res.failures)
    status = (tmp_path / "job" / "status.json").read_text()
    assert '"finished": true' in status and f'"failures": {len(res.failures)}' in status
    assert len(ensemble(tmp_path / "job").failures) == len(res.failures)  # a rerun reads it, runs nothing again
