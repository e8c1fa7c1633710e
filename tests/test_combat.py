"""Combat arithmetic: Lanchester laws, Dupuy factors, drone erosion, expected losses."""

import numpy as np
import pytest

from sim.rules.combat import (
    CombatFactors,
    Forces,
    casualties_to_deaths,
    defence_multiplier,
    engage,
    eroded_multiplier,
    square_law_closed_form,
    square_law_step,
)


def factors(**kw):
    base = dict(
        attrition_rate=0.01, killed_fraction=0.25, armour_weight=10, artillery_weight=20, uav_weight=50,
        posture_hasty=1.3, posture_fortified=1.6, terrain_rugged=1.5, uav_erosion=0.05, armour_exposure=0.2,
        uav_armour_kill=0.01, uav_artillery_kill=0.01, uav_loss_rate=0.05, advance_rate=0.03,
        breakthrough_ratio=1.0, collateral_rate=0.002, city_strike_rate=0.004, surprise=0.75,
    )
    base.update(kw)
    return CombatFactors(**base)


def forces(troops, armour=0.0, artillery=0.0, uavs=0.0):
    a = lambda x: np.atleast_1d(np.asarray(x, dtype=float))  # noqa: E731
    return Forces(a(troops), a(armour), a(artillery), a(uavs))


@pytest.mark.parametrize("a0,b0,alpha,beta", [(1000, 800, 0.01, 0.01), (500, 900, 0.02, 0.005), (3000, 2000, 0.003, 0.008)])
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


def test_engage_without_multipliers_is_the_square_law():
    """With no equipment, flat open ground and a hasty=fortified=1 posture, a day of
    combat is one unit step of dA/dt = -k D, dD/dt = -k A."""
    f = factors(posture_hasty=1.0, posture_fortified=1.0, terrain_rugged=1.0, attrition_rate=0.004)
    e = engage(forces(5000), forces(3000), np.array([0.5]), np.array([0.5]), np.array([0.0]), f)
    assert e.attacker_casualties[0] == pytest.approx(0.004 * 3000)
    assert e.defender_casualties[0] == pytest.approx(0.004 * 5000)
    assert e.force_ratio[0] == pytest.approx(5000 / 3000)


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
    f = factors(posture_hasty=1.0, posture_fortified=1.0, terrain_rugged=1.0)
    e = engage(forces([1000, 3000]), forces([1000, 1000]), np.zeros(2), np.zeros(2), np.zeros(2), f)
    assert e.progress[0] == 0.0 and e.progress[1] > 0.0


def test_drones_destroy_defender_armour_and_attacker_armour_is_exposed():
    f = factors()
    no_uav = engage(forces(5000, armour=100), forces(3000, armour=50), np.ones(1), np.ones(1), np.zeros(1), f)
    uav = engage(forces(5000, armour=100, uavs=20), forces(3000, armour=50), np.ones(1), np.ones(1), np.zeros(1), f)
    assert no_uav.defender_armour_lost[0] == 0.0
    assert uav.defender_armour_lost[0] > 0.0
    assert no_uav.attacker_armour_lost[0] > uav.attacker_armour_lost[0] > 0.0


def test_surprise_weakens_the_defence():
    f = factors()
    args = (forces(5000), forces(3000), np.ones(1), np.ones(1), np.zeros(1), f)
    assert engage(*args, surprise=True).force_ratio[0] > engage(*args).force_ratio[0]


def test_losses_are_capped_by_strength_and_deaths_are_a_share():
    f = factors(attrition_rate=1.0)
    e = engage(forces(10), forces(10_000), np.ones(1), np.ones(1), np.zeros(1), f)
    assert e.attacker_casualties[0] == 10
    assert casualties_to_deaths(np.array([100.0]), f)[0] == pytest.approx(25.0)


def test_collateral_deaths_grow_with_guns_and_population():
    f = factors()
    e1 = engage(forces(5000, artillery=50), forces(3000), np.ones(2), np.ones(2), np.array([0.0, 1e4]), f)
    assert e1.civilian_deaths[0] == 0.0 and e1.civilian_deaths[1] > 0.0
