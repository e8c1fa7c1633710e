"""Results say what produced them, inside every Parquet file, and are as readable as the user's umask allows.

A runs.parquet copied away from its folder (mailed, put in a shared drive) has lost
provenance.json and config.yaml beside it, so each table's key-value metadata holds the
git commit, config digest, seed, package versions and schema version (sim.runs.provenance).
Result files are written through temporary files that tempfile makes private; once whole
they get the mode the umask gives any new file, so a colleague can read them.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sim import load_config, run_ensemble
from sim.report.writer import write_report
from sim.results import load
from sim.runs.provenance import SCHEMA_VERSION, read_file_metadata
from sim.runs.runner import _model_part, digest

KEYS = ("git_commit", "config_digest", "seed", "packages", "schema_version")


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    cfg = load_config(overrides=["scenario.horizon_days=10"])
    folder = tmp_path_factory.mktemp("job") / "results"
    previous = os.umask(0o022)
    try:
        run_ensemble(cfg, n=3, seed=11, out=folder)
    finally:
        os.umask(previous)
    return cfg, folder


def test_a_copied_runs_table_carries_its_provenance(job, tmp_path):
    cfg, folder = job
    copied = tmp_path / "elsewhere.parquet"
    shutil.copy(folder / "runs.parquet", copied)
    raw = pq.read_metadata(copied).metadata
    for key in KEYS:
        assert f"karabakh_escalation.{key}".encode() in raw, key
    meta = read_file_metadata(copied)
    assert meta["seed"] == "11" and meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["config_digest"] == digest(_model_part(dict(load(folder).config)))
    assert len(meta["git_commit"]) == 40  # tests run in a checkout
    back = load(copied)
    assert len(back.runs) == 3 and back.complete
    assert back.provenance["packages"]["mesa"] and back.provenance["replicates"] == 3
    assert back.config["scenario"]["horizon_days"] == 10 == cfg.scenario.horizon_days
    for kind in ("runs", "daily"):  # the daily table too
        assert read_file_metadata(folder / f"{kind}.parquet")["config_digest"] == meta["config_digest"]


def test_an_other_configs_table_has_another_digest(job, tmp_path):
    _, folder = job
    other = run_ensemble(load_config(overrides=["scenario.horizon_days=9"]), n=3, seed=11, out=tmp_path / "o")
    assert other.out is not None
    theirs = read_file_metadata(tmp_path / "o" / "runs.parquet")["config_digest"]
    assert theirs != read_file_metadata(folder / "runs.parquet")["config_digest"]


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.rglob("*")]}


@pytest.mark.slow  # writes a report's figures
def test_results_are_readable_as_the_umask_allows(job):
    cfg, folder = job
    res, previous = load(folder), os.umask(0o022)
    try:
        write_report(res.runs, res.daily, folder / "report", config=cfg)
    finally:
        os.umask(previous)
    found = modes(folder)
    assert {"runs.parquet", "daily.parquet", "status.json", "report", "report/index.html"} <= set(found)
    wrong = {name: oct(mode) for name, mode in found.items() if mode != (0o755 if (folder / name).is_dir() else 0o644)}
    assert not wrong


def test_a_private_umask_keeps_results_private(tmp_path):
    previous = os.umask(0o077)
    try:
        run_ensemble(load_config(overrides=["scenario.horizon_days=5"]), n=2, seed=1, out=tmp_path / "r")
    finally:
        os.umask(previous)
    found = modes(tmp_path / "r")
    assert found["runs.parquet"] == 0o600 and set(found.values()) <= {0o600, 0o700}
