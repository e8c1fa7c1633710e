"""Combat arithmetic: Lanchester laws, Dupuy factors, drone erosion, expected losses."""

import numpy as np
import pytest

from sim.rules.combat import (
    CombatFactors,
    Forces,
    assault_capacity,
    casualties_to_deaths,
    counter_battery,
    defence_multiplier,
    engage,
    eroded_multiplier,
    kill_chain,
    square_law_closed_form,
    square_law_step,
)


def factors(**kw):
    base = dict(
        attrition_rate=0.01,
        killed_fraction=0.25,
        armour_weight=10,
        artillery_weight=20,
        uav_weight=50,
        posture_hasty=1.3,
        posture_fortified=1.6,
        terrain_rugged=1.5,
        uav_erosion=0.05,
        armour_exposure=0.2,
        uav_armour_kill=0.01,
        uav_artillery_kill=0.01,
        uav_loss_rate=0.05,
        advance_rate=0.03,
        breakthrough_ratio=1.0,
        collateral_rate=0.002,
        surprise=0.75,
        frontage_density=100.0,
        recon_rate=0.1,
        counterbattery_rate=0.002,
    )
    base.update(kw)
    return CombatFactors(**base)


def forces(troops, armour=0.0, artillery=0.0, uavs=0.0, air_defence=0.0):
    a = lambda x: np.atleast_1d(np.asarray(x, dtype=float))  # noqa: E731
    return Forces(a(troops), a(armour), a(artillery), a(uavs), a(air_defence))


@pytest.mark.parametrize(
    "a0,b0,alpha,beta", [(1000, 800, 0.01, 0.01), (500, 900, 0.02, 0.005), (3000, 2000, 0.003, 0.008)]
)
def test_square_law_step_converges_to_closed_form(a0, b0, alpha, beta):
    t_end, dt = 40.0, 0.001
    a, b = np.array(a0, float), np.array(b0, float)
    for _ in range(int(t_end / dt)):
        a, b = square_law_step(a, b, alpha, beta, dt)
    ca, cb = square_law_closed_form(a0, b0, alpha, beta, t_end)
    if ca > 0 and cb > 0:
        assert a == pytest.approx(ca, rel=2e-3)
        assert b == pytest.approx(cb, rel=2e-3)


def test_square_law_invariant_is_conserved():
    alpha, beta = 0.01, 0.02
    a0, b0 = 1000.0, 600.0
    a, b = square_law_closed_form(a0, b0, alpha, beta, np.linspace(0, 20, 50))
    invariant = alpha * a**2 - beta * b**2
    assert np.allclose(invariant, alpha * a0**2 - beta * b0**2)


FLAT = dict(posture_hasty=1.0, posture_fortified=1.0, terrain_rugged=1.0)


def test_engage_without_multipliers_is_the_linear_law_on_the_frontage():
    """With no equipment, flat open ground and a hasty=fortified=1 posture, each side's
    casualties are k x its own troops in the line x the enemy's troops / the frontage's
    capacity (here 100/km x 30 km = 3,000, so every soldier of both sides is engaged)."""
    f = factors(attrition_rate=0.03, **FLAT)
    e = engage(
        forces(2000), forces(1500), np.array([0.5]), np.array([0.5]), np.array([0.0]), f, frontage_km=np.array([30.0])
    )
    assert e.attacker_casualties[0] == pytest.approx(0.03 * 2000 * 1500 / 3000)
    assert e.defender_casualties[0] == pytest.approx(0.03 * 1500 * 2000 / 3000)
    assert e.force_ratio[0] == pytest.approx(2000 / 1500)


def test_only_what_fits_the_frontage_engages():
    """Troops beyond the frontage's capacity wait in reserve: doubling an attacker that
    already fills the frontage changes neither side's casualties nor the advance; a
    defender deeper than the frontage fights with the part in the line."""
    f = factors(attrition_rate=0.03, **FLAT)
    one = dict(
        ruggedness=np.zeros(1), fortification=np.zeros(1), population=np.zeros(1), f=f, frontage_km=np.array([10.0])
    )
    assert assault_capacity(np.array([10.0]), f)[0] == pytest.approx(1000.0)
    full = engage(forces(1000), forces(600), **one)
    double = engage(forces(2000), forces(600), **one)
    for name in ("attacker_casualties", "defender_casualties", "progress", "force_ratio"):
        assert getattr(double, name)[0] == pytest.approx(getattr(full, name)[0]), name
    deep = engage(forces(1000), forces(5000), **one)
    assert deep.attacker_casualties[0] == pytest.approx(0.03 * 1000 * 1000 / 1000)
    assert deep.defender_casualties[0] == pytest.approx(0.03 * 1000 * 1000 / 1000)


def test_the_dug_in_defender_is_harder_to_hit():
    """The defender's casualties are divided by its multiplier: on a fortified sector (multiplier M,
    no drones to erode it) it loses 1/M of what it would in the open to the same attacker."""
    f = factors(attrition_rate=0.03, uav_erosion=0.0)
    one = dict(population=np.zeros(2), f=f, frontage_km=np.full(2, 30.0))
    e = engage(forces([2000, 2000]), forces([1500, 1500]), np.array([0.0, 0.0]), np.array([0.0, 1.0]), **one)
    m = defence_multiplier(0.0, 1.0, f) / defence_multiplier(0.0, 0.0, f)
    assert e.defender_casualties[0] / e.defender_casualties[1] == pytest.approx(m)


def test_mountain_assaults_cost_the_attacker_more_per_defender_lost():
    f = factors(attrition_rate=0.03)
    args = dict(population=np.zeros(2), f=f, frontage_km=np.full(2, 30.0))
    e = engage(forces([2000, 2000]), forces([1500, 1500]), np.array([0.0, 1.0]), np.array([1.0, 1.0]), **args)
    exchange = e.attacker_casualties / e.defender_casualties
    assert exchange[1] > exchange[0] > 1.0


def test_kill_chain_matches_its_closed_form():
    """Share destroyed = 1 - exp(-(k_u U + k_g G s) / (armour + guns)), s = 1 - exp(-r U)."""
    f = factors(uav_armour_kill=0.4, uav_artillery_kill=0.02, recon_rate=0.1)
    att, dfn = forces(5000, artillery=100, uavs=10), forces(3000, armour=40, artillery=60)
    s = 1 - np.exp(-0.1 * 10)
    expected = 1 - np.exp(-(0.4 * 10 + 0.02 * 100 * s) / (40 + 60))
    assert kill_chain(att, dfn, f)[0] == pytest.approx(expected)
    e = engage(att, dfn, np.ones(1), np.ones(1), np.zeros(1), f, frontage_km=np.array([30.0]))
    assert e.defender_armour_lost[0] == pytest.approx(40 * expected)
    assert e.defender_artillery_lost[0] == pytest.approx(60 * expected)
    # without drones nothing is located and nothing is struck: guns alone do not find static targets
    assert kill_chain(forces(5000, artillery=100), dfn, f)[0] == 0.0


def test_dupuy_fortified_rugged_defence_is_2_4():
    f = factors()
    assert defence_multiplier(1.0, 1.0, f) == pytest.approx(1.6 * 1.5)
    assert defence_multiplier(0.0, 0.0, f) == pytest.approx(1.3)


def test_drones_erode_the_defenders_advantage():
    f = factors()
    m = defence_multiplier(1.0, 1.0, f)
    eroded = eroded_multiplier(m, np.array([0.0, 10.0, 100.0]), f)
    assert eroded[0] == pytest.approx(m)
    assert m > eroded[1] > eroded[2] > 1.0


def test_attacks_at_or_below_parity_gain_no_ground():
    f = factors(**FLAT)
    e = engage(
        forces([1000, 3000]),
        forces([1000, 1000]),
        np.zeros(2),
        np.zeros(2),
        np.zeros(2),
        f,
        frontage_km=np.full(2, 40.0),
    )
    assert e.progress[0] == 0.0 and e.progress[1] > 0.0


def test_drones_destroy_defender_armour_and_attacker_armour_is_exposed():
    f = factors()
    one = dict(frontage_km=np.array([60.0]))
    no_uav = engage(forces(5000, armour=100), forces(3000, armour=50), np.ones(1), np.ones(1), np.zeros(1), f, **one)
    uav = engage(
        forces(5000, armour=100, uavs=20), forces(3000, armour=50), np.ones(1), np.ones(1), np.zeros(1), f, **one
    )
    assert no_uav.defender_armour_lost[0] == 0.0
    assert uav.defender_armour_lost[0] > 0.0
    assert no_uav.attacker_armour_lost[0] > uav.attacker_armour_lost[0] > 0.0


def test_surprise_weakens_the_defence():
    f = factors()
    args = (forces(5000), forces(3000), np.ones(1), np.ones(1), np.zeros(1), f)
    one = dict(frontage_km=np.array([30.0]))
    assert engage(*args, surprise=True, **one).force_ratio[0] > engage(*args, **one).force_ratio[0]


def test_losses_are_capped_by_strength_and_deaths_are_a_share():
    f = factors(attrition_rate=1.0)
    e = engage(forces(10), forces(10_000), np.ones(1), np.ones(1), np.zeros(1), f, frontage_km=np.array([30.0]))
    assert e.attacker_casualties[0] == 10
    assert casualties_to_deaths(np.array([100.0]), f)[0] == pytest.approx(25.0)


def test_collateral_deaths_grow_with_guns_and_population():
    f = factors()
    e1 = engage(
        forces(5000, artillery=50),
        forces(3000),
        np.ones(2),
        np.ones(2),
        np.array([0.0, 1e4]),
        f,
        frontage_km=np.full(2, 30.0),
    )
    assert e1.civilian_deaths[0] == 0.0 and e1.civilian_deaths[1] > 0.0


def test_air_defence_shares_the_kill_chain_and_its_cover_sets_the_drones_lost():
    """Air defence is among the targets: the share destroyed is 1 - exp(-C / (armour + guns + air defence)),
    the same for each type; drones are lost at uav_loss_rate x sorties x the share of air defence standing."""
    f = factors(uav_armour_kill=0.4, uav_artillery_kill=0.02, recon_rate=0.1, uav_loss_rate=0.05)
    att, dfn = forces(5000, artillery=100, uavs=10), forces(3000, armour=40, artillery=60, air_defence=20)
    s = 1 - np.exp(-0.1 * 10)
    share = 1 - np.exp(-(0.4 * 10 + 0.02 * 100 * s) / (40 + 60 + 20))
    assert kill_chain(att, dfn, f)[0] == pytest.approx(share)
    full = engage(att, dfn, np.ones(1), np.ones(1), np.zeros(1), f, frontage_km=np.array([30.0]))
    assert full.defender_air_defence_lost[0] == pytest.approx(20 * share)
    assert full.defender_armour_lost[0] == pytest.approx(40 * share)
    assert full.attacker_uavs_lost[0] == pytest.approx(10 * 0.05)
    half = engage(att, dfn, np.ones(1), np.ones(1), np.zeros(1), f, frontage_km=np.array([30.0]), cover=0.5)
    assert half.attacker_uavs_lost[0] == pytest.approx(10 * 0.05 * 0.5)  # half the sky is open
    # more air defence to find dilutes the strikes on armour
    assert kill_chain(att, forces(3000, armour=40, artillery=60), f)[0] > share


def test_counter_battery_is_a_rate_per_defending_gun_capped_by_the_attackers_guns():
    f = factors(counterbattery_rate=0.01)
    assert counter_battery(forces(1, artillery=100), forces(1, artillery=50), f)[0] == pytest.approx(0.5)
    assert counter_battery(forces(1, artillery=0.2), forces(1, artillery=50), f)[0] == pytest.approx(0.2)
    assert counter_battery(forces(1, artillery=100), forces(1), f)[0] == 0.0  # no guns, no counter-battery
    e = engage(
        forces(5000, artillery=100), forces(3000, artillery=50), np.ones(1), np.ones(1), np.zeros(1), f,
        frontage_km=np.array([30.0]),
    )  # fmt: skip
    assert e.attacker_artillery_lost[0] == pytest.approx(0.5)


def test_outside_intelligence_adds_to_the_drones_search():
    """A supplier's reconnaissance adds i times the drones' own sorties: located = 1 - exp(-r u (1 + i)).
    With no drones there is nothing for it to add to; with them, more is found and destroyed."""
    f = factors(uav_armour_kill=0.4, uav_artillery_kill=0.02, recon_rate=0.1)
    dfn = forces(3000, armour=40, artillery=60, air_defence=20)
    att = forces(5000, artillery=100, uavs=10)
    s = 1 - np.exp(-0.1 * 10 * 1.3)
    assert kill_chain(att, dfn, f, 0.3)[0] == pytest.approx(1 - np.exp(-(0.4 * 10 + 0.02 * 100 * s) / 120))
    assert kill_chain(forces(5000, artillery=100), dfn, f, 0.5)[0] == 0.0
    args = (att, dfn, np.ones(1), np.ones(1), np.zeros(1), f)
    seen = engage(*args, frontage_km=np.array([30.0]), intelligence=0.3)
    assert seen.defender_armour_lost[0] == pytest.approx(40 * kill_chain(att, dfn, f, 0.3)[0])
    assert seen.defender_armour_lost[0] > engage(*args, frontage_km=np.array([30.0])).defender_armour_lost[0]
