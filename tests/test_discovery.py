"""Scenario discovery with CART: boxes, coverage and density."""

import logging

import numpy as np
import pandas as pd
import pytest

from sim import load_config
from sim.analysis.discovery import discover
from sim.runs.design import run_design

logging.getLogger("MESA").setLevel(logging.WARNING)


def test_a_planted_box_is_found_with_full_coverage_and_density():
    """By construction the outcome happens exactly when a > 0.6 and b <= 0.3; c is noise."""
    rng = np.random.default_rng(0)
    runs = pd.DataFrame(rng.uniform(0, 1, (600, 3)), columns=["a.value", "b.value", "c.value"])
    flag = (runs["a.value"] > 0.6) & (runs["b.value"] <= 0.3)
    boxes = discover(runs, ["a.value", "b.value", "c.value"], flag)
    best = boxes.iloc[0]
    assert best["coverage"] == pytest.approx(1.0) and best["density"] == pytest.approx(1.0)
    assert best["a.value low"] == pytest.approx(0.6, abs=0.03) and best["b.value high"] == pytest.approx(0.3, abs=0.03)
    assert best["rule"].startswith("a > 0.") and " and b <= 0." in best["rule"] and "c" not in best["rule"]
    assert best["hits"] == int(flag.sum())


@pytest.mark.slow  # a 9-point design of model runs
def test_discovery_on_model_runs_reports_consistent_numbers():
    cfg = load_config("baseline_2020", overrides=["scenario.horizon_days=20"])
    params = ["powers.turkey.resolve.value", "mediator.strength.value"]
    pts = pd.DataFrame({params[0]: np.repeat([0.0, 0.5, 1.0], 3), params[1]: np.tile([0.0, 0.5, 1.0], 3)})
    runs = run_design(cfg, pts, n=4, seed=1, executor="serial").runs
    flag = runs["max_rung"] >= 4
    boxes = discover(runs, params, flag, max_depth=2)
    for b in boxes.itertuples():
        inside = np.ones(len(runs), bool)
        row = boxes.loc[b.Index]
        for p in params:
            inside &= (runs[p] > row[f"{p} low"]) & (runs[p] <= row[f"{p} high"])
        assert inside.sum() == b.runs and int(flag[inside].sum()) == b.hits
        assert b.density == pytest.approx(b.hits / b.runs)
        if flag.any():
            assert b.coverage == pytest.approx(b.hits / flag.sum())
    with pytest.raises(ValueError, match="params: column"):
        discover(runs, ["nope.value"], flag)
