"""The EMA Workbench adapter (sim.ema) and PRIM: EMA users get the model in EMA's terms, and the project's
PRIM finds what EMA's PRIM finds.

The ema extra is part of dev, so these run wherever the suite runs. EMA is imported inside the tests
that use it: importing it takes about a second, which every test worker would pay when it collects
this file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import load_config, run_ensemble
from sim.analysis.discovery import prim
from sim.config.schema import design_ranges
from sim.outputs import KEY_OUTCOMES


@pytest.mark.slow  # EMA's process pool, 8 experiments x 2 replicates
def test_perform_experiments_with_the_multiprocessing_evaluator_and_save_results(tmp_path):
    from ema_workbench import MultiprocessingEvaluator, load_results, perform_experiments, save_results

    from sim.ema import SCENARIO, ema_model

    model = ema_model(replicates=2, scenario_options=["baseline_2020", "turkey_restrained"], days=30)
    ranges = design_ranges(load_config())
    for u in model.uncertainties:
        assert (u.lower_bound, u.upper_bound) == pytest.approx(ranges[u.name])
    assert [lever.name for lever in model.levers] == [SCENARIO]
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = perform_experiments(model, 8, evaluator=evaluator)
    assert len(experiments) == 8 and set(KEY_OUTCOMES) | {"rung"} == set(outcomes)
    assert outcomes["rung"].shape == (8, 30) and np.nanmax(outcomes["rung"]) <= 7
    assert outcomes["duration_days"].std() > 0  # the sampled values reach the model
    path = tmp_path / "karabakh.tar.gz"
    save_results((experiments, outcomes), str(path))
    back_experiments, back_outcomes = load_results(str(path))
    assert len(back_experiments) == 8
    np.testing.assert_allclose(back_outcomes["max_rung"], outcomes["max_rung"])
    np.testing.assert_allclose(back_outcomes["rung"], outcomes["rung"])


def test_an_experiment_at_the_scenarios_values_is_the_ensembles_run():
    from sim.ema import run_experiment

    cfg = load_config(overrides=["scenario.horizon_days=15"])
    ens = run_ensemble(cfg, n=2, seed=5).runs
    for r in (0, 1):
        got = run_experiment(seed=5, replicate=r, days=20, **{"scenario.horizon_days": 15})
        assert got["max_rung"] == ens.loc[r, "max_rung"] and got["duration_days"] == ens.loc[r, "duration_days"]
        assert np.isnan(got["rung"][15:]).all()


def test_prim_finds_the_box_that_emas_prim_finds():
    from ema_workbench.analysis import prim as ema_prim

    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.uniform(0, 1, (1000, 3)), columns=["a.value", "b.value", "c.value"])
    flag = ((x["a.value"] > 0.6) & (x["b.value"] <= 0.3)).to_numpy()
    ours = prim(x, list(x.columns), flag)
    chosen = ours[ours["chosen"]].iloc[0]
    assert chosen["density"] >= 0.95 and chosen["coverage"] >= 0.9
    assert chosen["rule"].startswith("a >= 0.") and "c" not in chosen["rule"]
    box = ema_prim.Prim(x, flag, peel_alpha=0.05).find_box()
    trajectory = box.peeling_trajectory
    best = trajectory[trajectory["coverage"] >= 0.5]["density"].idxmax()  # the same choice as ours
    theirs = box.box_lims[best]
    assert chosen["a.value low"] == pytest.approx(theirs["a.value"].iloc[0], abs=0.03)
    assert chosen["b.value high"] == pytest.approx(theirs["b.value"].iloc[1], abs=0.03)


def test_prim_trajectory_only_gains_density_and_refuses_bad_input():
    rng = np.random.default_rng(4)
    x = pd.DataFrame(rng.uniform(0, 1, (400, 2)), columns=["a.value", "b.value"])
    flag = rng.uniform(size=400) < x["a.value"] ** 3
    trajectory = prim(x, list(x.columns), flag)
    assert trajectory["density"].is_monotonic_increasing and trajectory["runs"].is_monotonic_decreasing
    assert trajectory["mass"].iloc[-1] >= 0.05 and trajectory["coverage"].iloc[0] == 1
    with pytest.raises(ValueError, match="^params: column"):
        prim(x, ["nope.value"], flag)
    with pytest.raises(ValueError, match=r"^alpha: 0.7 is out of range"):
        prim(x, list(x.columns), flag, alpha=0.7)
