"""Pinned outcomes: small ensembles must reproduce the committed tables exactly.

The model is reworked for speed from time to time; this test is the guard that
such work changes no result. Each case is a small serial ensemble with a fixed
seed whose outcome table (`runs`) and daily table (`daily`) were written to
tests/data/pinned_*.parquet from the code as it stood. Integers, booleans and
labels must match exactly; floats to a relative 1e-9 (sums taken in another
order may differ in the last bits, nothing more).

A deliberate change of the model or of conf/ changes these numbers too: then
regenerate the fixture with `python tests/test_pinned_outcomes.py` and say in
the commit message which result changed and why.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf
from pandas.api.types import is_float_dtype

from sim import ConflictModel, load_config, run_ensemble
from sim.runs.ensemble import replicate_seeds

DATA = Path(__file__).resolve().parent / "data"
RUNS_FILE = DATA / "pinned_runs.parquet"
DAILY_FILE = DATA / "pinned_daily.parquet"
N, SEED = 10, 20200927
RTOL = 1e-9

#: An escalation stress case: both Russia and Turkey ready to fight, no mediator
#: and little interest in stability, so interventions, the Russia-Turkey rung and
#: capitulations (paths the named scenarios rarely reach) are pinned too.
STRESS = [
    "powers.russia.resolve.value=1.0",
    "powers.russia.intervention_cost.value=0.3",
    "mediator.strength.value=0.0",
    "powers.united_states.stability_interest.value=0.0",
    "powers.france.stability_interest.value=0.0",
    "powers.iran.stability_interest.value=0.0",
    "powers.russia.stability_interest.value=0.0",
]
CASES = {
    "baseline_2020": ("baseline_2020", []),
    "april_2016": ("april_2016", []),
    "russia_guarantor": ("russia_guarantor", []),
    "escalation_stress": ("turkey_intervenes", STRESS),
}


@cache
def run_case(case: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outcome and daily tables of one case (run once per test session; callers copy)."""
    scenario, overrides = CASES[case]
    res = run_ensemble(load_config(scenario, overrides=overrides), n=N, seed=SEED, executor="serial")
    runs, daily = res.runs.copy(), res.daily.copy()
    runs.insert(0, "case", case)
    daily.insert(0, "case", case)
    return runs, daily


def _ordered(df: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    return df[columns].sort_values(keys, kind="stable").reset_index(drop=True)


def assert_same_table(got: pd.DataFrame, pinned: pd.DataFrame, keys: list[str]) -> None:
    """Every pinned column present and equal (exact unless float); extra new columns are allowed."""
    missing = [c for c in pinned.columns if c not in got.columns]
    assert not missing, f"columns missing from the results: {missing}"
    got = _ordered(got, keys, list(pinned.columns))
    pinned = _ordered(pinned, keys, list(pinned.columns))
    assert len(got) == len(pinned), f"{len(got)} rows, pinned {len(pinned)}"
    for col in pinned.columns:
        if is_float_dtype(pinned[col]):
            pd.testing.assert_series_equal(
                got[col].astype(float), pinned[col], check_exact=False, rtol=RTOL, atol=0.0, obj=f"column {col}"
            )
        else:
            pd.testing.assert_series_equal(
                got[col], pinned[col], check_exact=True, check_dtype=False, obj=f"column {col}"
            )


@pytest.fixture(scope="module")
def pinned() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(RUNS_FILE), pd.read_parquet(DAILY_FILE)


@pytest.mark.parametrize("case", list(CASES))
def test_outcome_table_is_unchanged(case, pinned):
    runs = run_case(case)[0].copy()
    want = pinned[0][pinned[0]["case"] == case]
    assert len(want) == N
    assert_same_table(runs, want, ["replicate"])


@pytest.mark.parametrize("case", list(CASES))
def test_daily_table_is_unchanged(case, pinned):
    daily = run_case(case)[1].copy()
    want = pinned[1][pinned[1]["case"] == case]
    assert len(want) > N
    assert_same_table(daily, want, ["replicate", "day"])


def test_assert_same_table_detects_a_change(pinned):
    """The comparison itself can fail: one death more in one run is caught."""
    runs = pinned[0].copy()
    runs.loc[runs.index[3], "military_deaths_armenia"] += 1
    with pytest.raises(AssertionError):
        assert_same_table(runs, pinned[0], ["case", "replicate"])
    daily = pinned[1].copy()
    daily.loc[daily.index[5], "km2_armenian"] *= 1 + 1e-6
    with pytest.raises(AssertionError):
        assert_same_table(daily, pinned[1], ["case", "replicate", "day"])


def test_read_only_config_gives_the_same_runs():
    """Models built from a read-only config read a cached plain copy; the runs must not differ."""
    scenario, overrides = CASES["escalation_stress"]
    mutable = load_config(scenario, overrides=overrides)
    frozen = load_config(scenario, overrides=overrides)
    OmegaConf.set_readonly(frozen, True)
    for s in replicate_seeds(SEED, 5):
        a = ConflictModel(mutable, rng=np.random.default_rng(s))
        b = ConflictModel(frozen, rng=np.random.default_rng(s))
        a.run_model()
        b.run_model()
        assert a.outcome == b.outcome
        pd.testing.assert_frame_equal(
            a.datacollector.get_model_vars_dataframe(), b.datacollector.get_model_vars_dataframe(), check_exact=True
        )


def test_changes_to_a_mutable_config_are_seen():
    """Only read-only configs are cached: editing a config between models takes effect."""
    cfg = load_config("baseline_2020")
    before = ConflictModel(cfg, rng=1).factors.uav_erosion
    cfg.combat.uav_erosion.value = before / 2
    assert ConflictModel(cfg, rng=1).factors.uav_erosion == before / 2


def test_fight_with_a_pool_equals_fight_after_split():
    """The one-step fight over a pool gives bit-for-bit the numbers of split() then fight()."""
    from sim.model.operations import Pool, defenders, fight, fight_with, split
    from sim.model.theatre import Theatre

    cfg = load_config("baseline_2020")
    model = ConflictModel(cfg, rng=1)
    theatre: Theatre = model.theatre
    rng = np.random.default_rng(7)
    n = len(theatre.names)
    for _ in range(200):
        mask = rng.random(n) < rng.random()
        if not mask.any():
            continue
        pool = Pool(*(rng.random(4) * [5e4, 500, 500, 50]))
        defence = defenders(rng.random(n) * 5e3, rng.random(n) * 50, rng.random(n) * 50)
        bonus = rng.random(n) * 1e3 * (rng.random() < 0.5)
        surprise = bool(rng.random() < 0.5)
        a = fight(mask, split(pool, mask, model.capacity), defence, theatre, model.factors, surprise, bonus)
        b = fight_with(mask, pool, defence, theatre, model.factors, surprise, bonus)
        for name in a._fields:
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def regenerate() -> None:
    """Write the fixture from the code as it is now."""
    parts = [run_case(c) for c in CASES]
    DATA.mkdir(parents=True, exist_ok=True)
    pd.concat([r for r, _ in parts], ignore_index=True).to_parquet(RUNS_FILE, index=False)
    pd.concat([d for _, d in parts], ignore_index=True).to_parquet(DAILY_FILE, index=False)
    print(f"wrote {RUNS_FILE} and {DAILY_FILE}")


if __name__ == "__main__":
    regenerate()
