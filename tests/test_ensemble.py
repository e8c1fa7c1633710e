"""Ensembles and designs: same seed, same tables on every executor; failures; streaming."""

from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd
import pytest

import sim.runs.chunks
from sim import ConfigError, load_config, run_design, run_ensemble, sample_design
from sim.config.schema import design_ranges
from sim.runs.chunks import plan, replicate_seed
from sim.runs.executors import ProcessExecutor
from sim.runs.results import load

N, SEED = 6, 11


@pytest.fixture(scope="module")
def short_cfg():
    return load_config("baseline_2020", overrides=["scenario.horizon_days=12", "ensemble.chunk_size=2"])


@pytest.fixture(scope="module")
def serial(short_cfg):
    return run_ensemble(short_cfg, n=N, seed=SEED)


def test_replicate_seed_is_the_spawned_child():
    children = np.random.SeedSequence(SEED).spawn(5)
    for r, child in enumerate(children):
        assert np.array_equal(replicate_seed(SEED, r).generate_state(4), child.generate_state(4))


def test_a_process_builds_each_point_config_once(short_cfg, monkeypatch):
    """Chunks of the same point reuse its config (a plain copy with the point's values and its draws)."""
    configs = []
    real_run_one = sim.runs.chunks.run_one
    monkeypatch.setattr(
        sim.runs.chunks, "run_one", lambda config, *a: configs.append(config) or real_run_one(config, *a)
    )
    sim.runs.chunks._POINT_CONFIGS.clear()
    one = run_ensemble(short_cfg, n=6, seed=SEED)  # three chunks of two runs, one point
    again = run_ensemble(short_cfg, n=6, seed=SEED)  # the same base and point
    assert len(configs) == 12 and len({id(c) for c in configs}) == 1
    pd.testing.assert_frame_equal(one.runs, again.runs)
    run_ensemble(load_config("april_2016", overrides=["scenario.horizon_days=12"]), n=2, seed=SEED)
    assert len({id(c) for c in configs}) == 2  # another base: built anew
    assert configs[-1].scenario.name == "april_2016"


def test_chunks_cover_every_run_once():
    chunks = plan(7, 3, 4)
    flat = [j for c in chunks for j in range(c.start, c.stop)]
    assert flat == list(range(21)) and [c.index for c in chunks] == list(range(len(chunks)))


def test_serial_has_one_row_per_run_and_distinct_replicates(serial):
    assert list(serial.runs["replicate"]) == list(range(N))
    assert set(serial.daily["replicate"]) == set(range(N))
    assert serial.runs["max_rung_day"].nunique() > 1 or serial.runs["territory_change_km2"].nunique() > 1


@pytest.mark.slow  # a pool of spawned processes, each importing the model
def test_two_processes_give_identical_tables(short_cfg, serial):
    par = run_ensemble(short_cfg, n=N, seed=SEED, executor="processes", workers=2)
    pd.testing.assert_frame_equal(serial.runs, par.runs)
    pd.testing.assert_frame_equal(serial.daily, par.daily)


@pytest.mark.slow
@pytest.mark.usefixtures("one_ray_at_a_time")
def test_local_ray_gives_identical_tables(short_cfg, serial):
    ray = pytest.importorskip("ray")
    if not ray.is_initialized():
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        res = run_ensemble(short_cfg, n=N, seed=SEED, executor="ray")
        assert ray.is_initialized() and ray.cluster_resources().get("CPU") == 2
    finally:
        ray.shutdown()
    pd.testing.assert_frame_equal(serial.runs, res.runs)
    pd.testing.assert_frame_equal(serial.daily, res.daily)


def test_another_seed_gives_other_numbers(short_cfg, serial):
    other = run_ensemble(short_cfg, n=N, seed=SEED + 1)
    assert not serial.daily["km2_armenian"].equals(other.daily["km2_armenian"])


def test_streamed_tables_equal_in_memory_and_rerun_resumes(short_cfg, serial, tmp_path):
    out = tmp_path / "ens"
    res = run_ensemble(short_cfg, n=N, seed=SEED, out=out)
    pd.testing.assert_frame_equal(serial.runs, res.runs, check_dtype=False)
    pd.testing.assert_frame_equal(serial.daily, res.daily, check_dtype=False)
    assert not (out / "chunks").exists() and (out / "status.json").exists()
    again = run_ensemble(short_cfg, n=N, seed=SEED, out=out)  # complete: read back, not rerun
    pd.testing.assert_frame_equal(res.runs, again.runs)
    with pytest.raises(ConfigError, match="different run"):
        run_ensemble(short_cfg, n=N + 1, seed=SEED, out=out)


@pytest.mark.slow  # a process pool of spawned workers
def test_process_pool_times_out_instead_of_hanging():
    ex = ProcessExecutor(workers=1, timeout_s=1.0)
    start = time.monotonic()
    with pytest.raises(TimeoutError, match="timeout_s"):
        list(ex.imap(time.sleep, [30]))
    assert time.monotonic() - start < 20


@pytest.mark.slow  # a process pool of spawned workers
def test_a_worker_that_dies_fails_the_ensemble_at_once():
    """A worker killed under a chunk (e.g. by the out-of-memory killer) is an error now, not a wait for timeout_s."""
    ex = ProcessExecutor(workers=1, timeout_s=120.0)
    start = time.monotonic()
    with pytest.raises(ChildProcessError, match=r"^a worker process died while running a chunk \(.*ensemble.workers"):
        list(ex.imap(os._exit, [3]))
    assert time.monotonic() - start < 60
    assert list(ex.imap(abs, [-2])) == [2]  # the next ensemble gets a fresh pool


def test_sample_design_within_declared_ranges(short_cfg):
    params = ["powers.turkey.resolve.value", "combat.posture_fortified.value", "ties.russia_armenia_alliance.weight"]
    ranges = design_ranges(short_cfg)
    for method, count in (("lhs", 10), ("sobol", 16)):
        pts = sample_design(short_cfg, method=method, points=count, params=params, seed=3)
        assert pts.shape == (count, 3)
        for p in params:
            assert pts[p].between(*ranges[p]).all()
            assert pts[p].nunique() == count
    with pytest.raises(ConfigError, match="power of two"):
        sample_design(short_cfg, method="sobol", points=10, params=params)


def test_run_design_columns_and_points_match_single_ensembles(short_cfg):
    pts = pd.DataFrame({"powers.turkey.resolve.value": [0.0, 1.0], "mediator.strength.value": [0.0, 0.8]})
    res = run_design(short_cfg, pts, n=3, seed=SEED, executor="serial")
    assert len(res.runs) == 6 and list(res.runs["point_id"]) == [0, 0, 0, 1, 1, 1]
    assert list(res.runs["mediator.strength.value"]) == [0.0] * 3 + [0.8] * 3
    one = run_ensemble(
        load_config(
            "baseline_2020",
            overrides=["scenario.horizon_days=12", "powers.turkey.resolve.value=1.0", "mediator.strength.value=0.8"],
        ),
        n=3,
        seed=SEED,
    )
    got = res.runs[res.runs["point_id"] == 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(got[one.runs.columns], one.runs, check_dtype=False)


def test_run_design_refuses_out_of_range_points(short_cfg):
    pts = pd.DataFrame({"powers.turkey.resolve.value": [0.5, 1.7]})
    with pytest.raises(ConfigError, match=r"powers.turkey.resolve.value: 1.7 .*out of range"):
        run_design(short_cfg, pts, n=2)
    with pytest.raises(ConfigError, match="not a sampled parameter"):
        run_design(short_cfg, pd.DataFrame({"powers.turkey.nerve.value": [0.5]}), n=2)


def test_a_raising_run_fails_its_point_only(short_cfg, monkeypatch, tmp_path):
    real = sim.runs.chunks.run_one

    def flaky(config, seed_seq, replicate, draws=None):
        if config.mediator.strength.value > 0.5:
            raise RuntimeError("model blew up")
        return real(config, seed_seq, replicate, draws)

    monkeypatch.setattr(sim.runs.chunks, "run_one", flaky)
    pts = pd.DataFrame({"mediator.strength.value": [0.1, 0.9, 0.2]})
    res = run_design(short_cfg, pts, n=2, seed=SEED, out=tmp_path / "d")
    assert sorted(res.runs["point_id"].unique()) == [0, 2] and len(res.runs) == 4
    assert set(res.failures["point_id"]) == {1}
    assert "model blew up" in res.failures["error"].iloc[0]
    back = load(tmp_path / "d")
    assert len(back.runs) == 4 and set(back.failures["point_id"]) == {1}
    assert not back.complete  # finished, with a failed point: never reported complete
