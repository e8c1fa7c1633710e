"""Equipment by type in the model: air defence in the kill chain, the sky it keeps, counter-battery fire."""

import numpy as np
import pytest

from sim import ConflictModel, load_config, run_ensemble
from sim.model.daycache import DayCache


@pytest.fixture(scope="module")
def baseline():
    return run_ensemble(load_config("baseline_2020"), n=60, seed=5)


def test_the_drones_lost_follow_the_air_defence_still_standing(baseline_cfg):
    """Inside a real war: once systems are destroyed the cover falls below 1, and the day's expected
    drone losses are uav_loss_rate x cover x the sorties over each attacked sector (hand-computed)."""
    m = ConflictModel(baseline_cfg, rng=3)
    seen = False
    while m.running and m.day < 30:
        m.step()
        cover = m.garrisons.cover()
        if cover < 1.0 and m.running and m.ceasefire is None:
            m.cache = DayCache()  # what step() makes: a look at tomorrow's forecast of the state the day left
            try:
                mask, e = m.forecasts.today()
                if e is not None:
                    pool = m.forecasts.committed()
                    sorties = pool.uavs * m.capacity[mask] / m.capacity[mask].sum()
                    assert e.attacker_uavs_lost == pytest.approx(m.factors.uav_loss_rate * cover * sorties)
                    seen = True
            finally:
                m.cache = None
    assert seen, "no day of fighting after the first air-defence system fell"
    assert 0.0 < m.garrisons.cover() < 1.0


def test_the_armenian_side_loses_air_defence_and_far_more_guns_than_azerbaijan(baseline):
    """Over 60 baseline wars: air-defence systems are lost in most wars, and the median war costs the
    Armenian side at least five times as many guns as Azerbaijan loses to counter-battery fire."""
    last = baseline.daily.sort_values("day").groupby("replicate").tail(1)
    assert (last["air_defence_lost_armenian_side"] > 0).mean() > 0.5
    assert last["artillery_lost_armenian_side"].median() >= 5 * max(last["artillery_lost_azerbaijan"].median(), 1)
    totals = last[["air_defence_lost_armenian_side", "artillery_lost_azerbaijan"]]
    assert np.isfinite(totals.to_numpy()).all() and (totals >= 0).all().all()


def test_equipment_lost_never_falls_day_by_day(baseline):
    d = baseline.daily.sort_values(["replicate", "day"])
    for col in ("air_defence_lost_armenian_side", "artillery_lost_azerbaijan", "equipment_replaced_azerbaijan"):
        assert (d.groupby("replicate")[col].diff().fillna(0) >= 0).all(), col
