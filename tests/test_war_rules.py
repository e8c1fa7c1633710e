"""Rules of a day's fighting in sim.model.front: whose towns a strike hits, where
Artsakh counterattacks, who skirmishes, what a fallen sector's garrison costs, and
the rung of a day without fighting while a power is in the war."""

from functools import cache

import numpy as np
from omegaconf import OmegaConf

from sim import ConflictModel, load_config
from sim.rules.decisions import Defence, Operation, Stance
from sim.rules.diplomacy import Ceasefire
from sim.rules.ladder import Rung

DEFEND = {"armenia": Defence.DEFEND, "artsakh": Defence.DEFEND}


@cache
def config(scenario: str, overrides: tuple[str, ...]):
    """Each config composed once (Hydra composition costs about as much as a whole run), read-only."""
    cfg = load_config(scenario, overrides=list(overrides))
    OmegaConf.set_readonly(cfg, True)
    return cfg


def model(scenario="baseline_2020", seed=1, overrides=()):
    m = ConflictModel(config(scenario, tuple(overrides)), rng=seed)
    m.day = 2  # no surprise bonus
    return m


def fight(m, op, choices=DEFEND):
    m.attacker.action = op
    m.contested[:] = False
    return m.front.fight(op, choices)


def test_strikes_on_towns_hit_karabakh_towns_only_unless_armenia_proper_is_attacked():
    """The attacker's strikes reach Vardenis (Armenia proper) only on a day Armenia proper is fought over."""
    for seed in range(10):
        m = model(seed=seed)
        m.attacker.strikes = True
        fight(m, Operation.GENERAL_OFFENSIVE)
        assert m.civilians.struck and "vardenis" not in m.civilians.struck
        assert m.armenia.civilian_deaths == 0
    hit = 0.0
    for seed in range(30):
        m = model(seed=seed)
        m.attacker.action = Operation.GENERAL_OFFENSIVE
        m.attacker.strikes = True
        mask, e = m.forecasts.today()
        m.contested[:] = False
        m.contested[m.theatre.index["tavush"]] = True
        m.civilians.day(e.civilian_deaths, np.flatnonzero(mask))
        assert "vardenis" in m.civilians.struck
        hit += m.armenia.civilian_deaths
    assert hit > 0


def test_artsakh_counterattacks_in_karabakh_only():
    for seed in range(20):
        m = model(seed=seed)
        t = m.theatre
        ap = np.flatnonzero(t.armenia_proper)
        t.progress[ap] = 0.5
        fight(m, Operation.ATTACK_ARMENIA, {"armenia": Defence.DEFEND, "artsakh": Defence.COUNTERATTACK})
        assert (t.progress[ap] >= 0.5).all()


def test_skirmishes_book_deaths_and_wounded_to_the_defender_skirmished_with():
    m = model("july_2020")  # the planned target lies in Armenia proper
    for _ in range(40):
        fight(m, Operation.SKIRMISH)
    assert m.artsakh.military_deaths == m.artsakh.wounded == 0
    assert m.armenia.wounded > 0 and m.attacker.wounded > 0
    m = model()
    for _ in range(40):
        fight(m, Operation.SKIRMISH)
    assert m.armenia.military_deaths == m.armenia.wounded == 0
    assert m.artsakh.wounded > 0


def test_a_fallen_sectors_garrison_and_equipment_are_counted():
    m = model()
    t = m.theatre
    i = t.index["jabrayil"]
    troops, armour, guns = m.garrisons.troops.sum(), m.garrisons.armour.sum(), m.garrisons.artillery[i]
    stayed = (1.0 - m.rules.fallback_share) * m.garrisons.troops[i]
    t.progress[i] = 1.0
    m.front.transfer_control(np.array([i]))
    lost = m.artsakh.military_deaths + m.artsakh.wounded + m.armenia.military_deaths + m.armenia.wounded
    assert lost == round(stayed) and lost > 0
    assert abs(m.garrisons.troops.sum() + stayed - troops) < 1e-6
    assert abs(m.garrisons.armour.sum() + m.artsakh.armour_lost - armour) < 1e-6
    assert m.artsakh.artillery_lost == guns > 0


def test_guns_destroyed_by_drones_count_as_the_defenders_artillery_lost():
    """Every gun that leaves the defenders' arrays is on a side's artillery_lost counter, over seeds."""
    destroyed = 0.0
    for seed in range(20):
        m = model(seed=seed)
        guns = m.garrisons.artillery.sum()
        fight(m, Operation.GENERAL_OFFENSIVE)
        lost = m.armenia.artillery_lost + m.artsakh.artillery_lost
        assert abs(m.garrisons.artillery.sum() + lost - guns) < 1e-6
        destroyed += lost
    assert destroyed > 0  # the baseline's UAVs do hit guns


def test_a_ceasefire_day_reads_its_own_rung_while_a_power_is_still_in():
    m = model("turkey_intervenes")
    m.day = 0
    turkey = m.powers["turkey"]
    turkey.intervened = True
    m.ceasefire = Ceasefire("russia", 0, guaranteed=True)
    m.step()
    assert m.rung == Rung.FROZEN_CONFLICT
    assert turkey.intervened and turkey.stance == Stance.INTERVENE


def test_armenias_soldiers_in_karabakh_are_booked_to_armenia():
    """Over 30 days of general offensive, the defenders' dead in Karabakh split between Armenia and
    Artsakh in about Armenia's share of the garrisons (its conscripts and the reservists it sends)."""
    armenia = artsakh = 0.0
    for seed in range(30):
        m = model(seed=seed)
        fight(m, Operation.GENERAL_OFFENSIVE)
        armenia += m.armenia.military_deaths
        artsakh += m.artsakh.military_deaths
    share = armenia / (armenia + artsakh)
    expected = model().rules.armenian_share_karabakh
    assert armenia + artsakh > 200
    assert abs(share - expected) < 0.1, (share, expected)


def test_foreign_fighters_die_apart_from_the_attackers_own_soldiers():
    """The attacker's killed are its own military deaths plus its foreign fighters', who are among
    the casualties more often than their share of the pool (foreign_fighter_exposure)."""
    own = foreign = 0.0
    for seed in range(30):
        m = model(seed=seed)
        fight(m, Operation.GENERAL_OFFENSIVE)
        own += m.attacker.military_deaths
        foreign += m.attacker.foreign_fighter_deaths
    r = model().rules
    pool = model().attacker.pool.troops
    expected = r.foreign_fighter_exposure * r.foreign_fighters / pool
    assert foreign > 0 and abs(foreign / (own + foreign) - expected) < 0.5 * expected


def test_reinforcements_go_where_the_attack_falls():
    """The day's call-up joins the attacked sectors of Karabakh, Armenia's reservists booked to Armenia."""
    m = model()
    t = m.theatre
    m.attacker.action = Operation.GENERAL_OFFENSIVE
    mask, _ = m.forecasts.today()
    attacked = mask & t.karabakh
    quiet = t.karabakh & ~mask
    before_quiet = m.garrisons.troops[quiet].copy()
    before_armenia = m.garrisons.armenia_troops.sum()
    fight(m, Operation.GENERAL_OFFENSIVE)
    assert np.array_equal(m.garrisons.troops[quiet], before_quiet)
    # Armenia's share grows by its reservists, less its losses
    assert m.garrisons.armenia_troops.sum() > before_armenia - m.armenia.military_deaths - m.armenia.wounded
    assert attacked.any() and quiet.any()
