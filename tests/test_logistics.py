"""Logistics: losses replaced from depots and by suppliers, paid from the recipient's arms spending."""

import numpy as np
import pytest

from sim import ConflictModel, load_config
from sim.rules.logistics import LogisticsRules, daily_budget, deliveries, from_depots

PRICES = (2.0, 1.5, 15.0, 5.0)


def test_depots_move_a_share_of_the_deficit_while_stocks_last():
    assert from_depots((100.0, 50.0, 10.0, 0.0), (500.0, 0.5, 100.0, 9.0), 0.1) == pytest.approx((10.0, 0.5, 1.0, 0.0))
    assert from_depots((-5.0, 0.0, 0.0, 0.0), (10.0, 10.0, 10.0, 10.0), 0.1) == (0.0, 0.0, 0.0, 0.0)


def test_a_budget_is_the_import_share_of_wartime_spending_per_day():
    assert daily_budget(1709.0, 1.0, 0.6) == pytest.approx(0.6 * 1709 / 365)
    assert daily_budget(609.0, 2.0, 0.94) == pytest.approx(0.94 * 2 * 609 / 365)
    assert daily_budget(100.0, 1.0, 0.0) == 0.0


def test_deliveries_are_what_the_supplier_ships_as_far_as_the_budget_pays():
    deficit = (100.0, 40.0, 10.0, 0.0)
    wanted = (5.0, 2.0, 0.5, 0.0)  # capacity 0.05 of the deficit
    cost = 5 * 2.0 + 2 * 1.5 + 0.5 * 15.0
    assert deliveries(deficit, 0.05, 1e6, PRICES) == pytest.approx(wanted)  # a rich buyer: all it can ship
    poor = deliveries(deficit, 0.05, cost / 4, PRICES)
    assert poor == pytest.approx(tuple(w / 4 for w in wanted))  # a poor one: a quarter of it
    assert deliveries((0.0, 0.0, 0.0, 0.0), 0.05, 10.0, PRICES) == (0.0, 0.0, 0.0, 0.0)


def test_a_deficit_too_small_to_price_is_shipped_whole_without_overflow():
    """A deficit of a few denormals (left by a long war's replacements) costs less than any budget: it is
    shipped whole, and the share paid is not found by dividing the budget by it (numpy warned of an overflow)."""
    import warnings

    import numpy as np

    tiny = (np.float64(1e-320), 0.0, 0.0, 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert deliveries(tiny, 0.5, 10.0, PRICES) == (0.5 * tiny[0], 0.0, 0.0, 0.0)


def test_the_richer_buyer_gets_more_of_the_same_shipment():
    deficit = (100.0, 40.0, 10.0, 5.0)
    az = deliveries(deficit, 0.05, daily_budget(1709.0, 1.0, 0.6), PRICES)
    arm = deliveries(deficit, 0.05, daily_budget(609.0, 1.0, 0.6), PRICES)
    assert sum(az) == pytest.approx(sum(arm) * 1709 / 609)


def test_rules_carry_the_prices_in_equipment_order():
    r = LogisticsRules(0.02, 1.0, *PRICES)
    assert r.prices() == PRICES


def _replaced_by_azerbaijan(overrides, n=40):
    """Mean over n wars (seeds 0..n-1, paired across settings) of the equipment Azerbaijan replaced."""
    cfg = load_config("baseline_2020", overrides=overrides)
    replaced = []
    for seed in range(n):
        m = ConflictModel(cfg, rng=seed)
        while m.running:
            m.step()
        replaced.append(m.attacker.replaced)
    return float(np.mean(replaced))


@pytest.mark.slow  # three 40-war ensembles
def test_spending_drives_the_suppliers_deliveries():
    """Over 40 wars each, with Azerbaijan's depots empty so that only its suppliers replace losses:
    at the top of its SIPRI spending range it gets more than twice what it gets at the bottom
    (a budget four times larger; measured about 40 against 8 items a war), and a quarter of the
    wartime budget at the default spending less than the bottom of the range."""
    no_depots = ["belligerents.azerbaijan.equipment_reserve.value=0"]
    poor = _replaced_by_azerbaijan([*no_depots, "belligerents.azerbaijan.arms_spending.value=1000"])
    rich = _replaced_by_azerbaijan([*no_depots, "belligerents.azerbaijan.arms_spending.value=4000"])
    assert rich > 2 * poor > 0
    assert (
        _replaced_by_azerbaijan([*no_depots, "combat.war_budget.value=0.25", "combat.replacement_rate.value=0"]) < poor
    )
