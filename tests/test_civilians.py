"""Civilians in harm's way (sim.rules.civilians, sim.model.civilians): the arithmetic of strikes,
shelling and flight; which towns the front-line guns reach; and, over ensembles, that the
civilian toll comes from the strike and shelling mechanisms and answers the other side's."""

import logging

import numpy as np
import pytest
from scipy.stats import mannwhitneyu

from sim import ConflictModel, load_config, run_ensemble
from sim.rules.civilians import flight, grievance, km_between, shelling_deaths, spread_by_population, strike_deaths

logging.getLogger("MESA").setLevel(logging.WARNING)

STEPANAKERT, GANJA = [46.75, 39.82], [46.36, 40.68]


def test_distances_in_km():
    # Stepanakert to Ganja is about 100 km as the crow flies (0.86 degrees of latitude, 0.39 of longitude)
    assert 95 < km_between(STEPANAKERT, GANJA)[0, 0] < 105
    assert km_between(STEPANAKERT, STEPANAKERT)[0, 0] == 0.0


def test_fire_spreads_by_population_and_kills_in_proportion_to_those_still_there():
    share = spread_by_population(30.0, np.array([10_000.0, 20_000.0]))
    assert share.tolist() == [10.0, 20.0]
    assert spread_by_population(5.0, np.zeros(2)).tolist() == [0.0, 0.0]
    full, half, empty = strike_deaths(np.array([10.0, 10.0, 10.0]), np.array([1.0, 0.5, 0.0]), 0.3, 0.8)
    assert full == pytest.approx(2.4) and half == pytest.approx(1.2) and empty == 0.0
    assert shelling_deaths(np.array([10.0]), np.array([1.0]), 0.1)[0] == pytest.approx(1.0)


def test_flight_follows_fire_per_resident_and_never_exceeds_who_is_left():
    residents = np.array([5_000.0, 300_000.0, 1_000.0])
    population = np.array([5_000.0, 300_000.0, 1_000.0])
    left = flight(residents, np.array([20.0, 20.0, 0.0]), population, 0.015)
    # the same fire empties a village faster than a city, and no fire moves no one
    assert left[0] / residents[0] > left[1] / residents[1] > 0 and left[2] == 0
    assert (flight(residents, np.full(3, 1e9), population, 0.015) <= residents).all()


def test_grievance_grows_with_the_own_dead_and_saturates():
    assert grievance(0, 10) == 0 and grievance(5, 10) == 0.5 and grievance(50, 10) == 1.0


def test_front_line_guns_reach_nearby_towns_only():
    """Tartar (8 km from the line) is shelled from the front; Ganja and Mingachevir (50-60 km)
    only by deliberate strikes."""
    m = ConflictModel(load_config("baseline_2020"), rng=1)
    c = m.civilians
    reach = dict(zip(c.names, c.in_reach.any(axis=1), strict=True))
    assert reach["tartar"] and not reach["ganja"] and not reach["mingachevir"]


def test_a_fallen_sector_displaces_its_residents():
    m = ConflictModel(load_config("baseline_2020"), rng=1)
    i = m.theatre.index["hadrut"]
    before = m.civilians.displaced["armenian"]
    m.civilians.sector_lost(i)
    assert m.civilians.displaced["armenian"] - before == pytest.approx(m.theatre.population[i])
    assert m.civilians.sector_residents[i] == 0


@pytest.fixture(scope="module")
def harm(cfg_of):
    n, seed = 60, 2020
    base = cfg_of("baseline_2020")
    no_harm = load_config(
        "baseline_2020", overrides=["combat.town_strike_lethality.value=0", "combat.shelling_lethality.value=0"]
    )
    return run_ensemble(base, n=n, seed=seed), run_ensemble(no_harm, n=n, seed=seed)


@pytest.mark.slow  # two 60-run ensembles
def test_civilian_deaths_come_from_strikes_and_shelling(harm):
    """60 runs each, same seeds. With strikes and front-line shelling made harmless, Azerbaijan's
    civilians (who die of nothing else) are never killed, and the Armenian side's toll falls to
    what the fighting in the sectors themselves kills: under half of it, in the median."""
    base, no_harm = harm[0].runs, harm[1].runs
    assert (no_harm.civilian_deaths_azerbaijan == 0).all()
    assert base.civilian_deaths_azerbaijan.median() >= 20
    arm = "civilian_deaths_armenian_side"
    assert no_harm[arm].median() < 0.5 * base[arm].median()


@pytest.mark.slow
def test_strikes_are_decided_in_general_wars_and_answer_the_other_sides(cfg_of, harm):
    """60 runs each. Both sides strike towns on some days of the 2020 war, and no one does in the
    limited April 2016 war. With no grievance (a threshold no toll reaches) the Armenian side
    strikes on fewer days: a one-sided Mann-Whitney test of fewer strike days per war, p < 0.01."""
    daily = harm[0].daily
    assert daily.strikes_azerbaijan.any() and daily.strikes_armenian_side.any()
    april = run_ensemble(cfg_of("april_2016"), n=60, seed=2020).daily
    assert not (april.strikes_azerbaijan | april.strikes_armenian_side).any()
    calm = load_config("baseline_2020", overrides=["decisions.grievance_deaths.value=100"])
    calm_daily = run_ensemble(calm, n=60, seed=2020).daily
    per_war = daily.groupby("replicate").strikes_armenian_side.sum()
    calm_per_war = calm_daily.groupby("replicate").strikes_armenian_side.sum()
    assert mannwhitneyu(calm_per_war, per_war, alternative="less").pvalue < 0.01


def test_the_attackers_guns_reach_the_defenders_towns_behind_a_sector_not_in_it():
    """The attacker's front-line fire falls on the Armenian side's towns within reach of the sector it
    assaults, never on a town inside that sector (whose residents bear the assault's own fire), and on
    Armenia proper's (Vardenis, from the Kalbajar front) only in a war on Armenia proper."""
    m = ConflictModel(load_config("baseline_2020"), rng=1)
    c, t = m.civilians, m.theatre
    reached = {name: {c.names[j] for j in row.nonzero()[0]} for name, row in zip(t.names, c.interdiction, strict=True)}
    assert "martuni" in reached["fuzuli"] and "martakert" in reached["aghdam"]
    assert "martakert" not in reached["martakert"] and "stepanakert" not in reached["stepanakert"]
    assert not {"ganja", "barda", "tartar", "vardenis"} & set().union(*reached.values())
    assert c.interdiction_armenia[t.index["kalbajar"], c.names.index("vardenis")] == 1.0  # only in a war on Armenia
    spread = c.interdiction[t.index["fuzuli"]]  # one gun-day spread over the towns reached, by population
    assert spread.sum() == pytest.approx(1.0) and (spread[c.armenian] > 0).sum() == len(reached["fuzuli"])


@pytest.mark.slow  # two 100-run ensembles of a short war
def test_the_attackers_front_line_fire_kills_the_defenders_civilians(cfg_of):
    """April 2016, 100 runs each on the same seeds: with combat.interdiction_share at 0 the Armenian
    side's civilian deaths fall (one-sided Mann-Whitney, p < 0.01) while Azerbaijan's stay within
    a fifth in the median."""
    base = run_ensemble(cfg_of("april_2016"), n=100, seed=4).runs
    quiet = run_ensemble(load_config("april_2016", overrides=["combat.interdiction_share.value=0"]), n=100, seed=4).runs
    arm, az = "civilian_deaths_armenian_side", "civilian_deaths_azerbaijan"
    assert mannwhitneyu(quiet[arm], base[arm], alternative="less").pvalue < 0.01
    assert abs(quiet[az].median() - base[az].median()) <= 0.2 * base[az].median()
