"""The shape of the 2020 war in the model: drones matter beyond the Monte Carlo noise, and
deaths come with the fighting day by day rather than in a lump when a sector falls."""

import numpy as np
import pytest

from sim import run_ensemble
from sim.analysis.stats import bootstrap
from sim.plots.response import outcome_values

N, SEED = 40, 77
UAVS = "belligerents.azerbaijan.uavs.value"


@pytest.fixture(scope="module")
def by_uavs(cfg_of):
    from sim import load_config

    out = {}
    for v in (0, 80):  # the ends of the declared range of Azerbaijan's daily sorties
        out[v] = run_ensemble(load_config("baseline_2020", overrides=[f"{UAVS}={v}"]), n=N, seed=SEED).runs
    return out


@pytest.mark.slow  # two 40-run ensembles of the whole war
@pytest.mark.parametrize("outcome", ["territory_change_km2", "exchange_ratio"])
def test_drones_move_the_war_beyond_the_noise(by_uavs, outcome):
    """From no drones to the top of the range, the median moves and the two medians' 95%
    bootstrap intervals do not overlap (common seeds for both ensembles)."""
    low = bootstrap(outcome_values(by_uavs[0], outcome).dropna().to_numpy())
    high = bootstrap(outcome_values(by_uavs[80], outcome).dropna().to_numpy())
    assert low.high < high.low or high.high < low.low, (outcome, low, high)


@pytest.mark.slow  # a 40-run ensemble of the whole war
def test_no_single_day_carries_the_war(cfg_of):
    """In the median run, no day carries more than 15% of the war's military deaths (a fallen
    sector's garrison mostly falls back; its losses come with the days of fighting)."""
    daily = run_ensemble(cfg_of("baseline_2020"), n=N, seed=SEED).daily.sort_values(["replicate", "day"])
    total = daily[["military_deaths_azerbaijan", "military_deaths_armenia", "military_deaths_artsakh"]].sum(axis=1)
    per_day = total.groupby(daily["replicate"]).diff().fillna(total)
    largest = per_day.groupby(daily["replicate"]).max() / total.groupby(daily["replicate"]).max().clip(lower=1)
    assert float(np.median(largest)) <= 0.15
