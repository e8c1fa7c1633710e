"""The theatre (sim.model.theatre): the sectors of the design brief as cells of a Mesa
Network, their state, the reachable front and the area bookkeeping; and the
geographic scope of the Russia-Armenia treaty as the model applies it."""

import random

import numpy as np
import pytest
from mesa.discrete_space import Network

from sim import ConflictModel, load_config
from sim.model.theatre import ARMENIAN, AZERBAIJANI, Sector, Theatre
from sim.rules.decisions import Operation

KARABAKH = {
    "jabrayil",
    "fuzuli",
    "zangilan",
    "qubadli",
    "lachin",
    "kalbajar",
    "aghdam",
    "martakert",
    "martuni",
    "askeran",
    "hadrut",
    "shusha",
    "stepanakert",
}


@pytest.fixture
def theatre(baseline_cfg):
    return Theatre(baseline_cfg.theatre, random=random.Random(0))


def test_the_design_sectors_are_all_there(theatre):
    names = set(theatre.names)
    assert KARABAKH <= names
    assert set(np.array(theatre.names)[theatre.karabakh]) == KARABAKH
    assert theatre.armenia_proper.any(), "border sectors of Armenia proper"
    # Zangilan lies on the Iranian border; the Lachin corridor does not
    assert theatre.iran_border[theatre.index["zangilan"]]
    assert not theatre.iran_border[theatre.index["lachin"]]


def test_one_network_cell_per_sector_linked_as_configured(theatre, baseline_cfg):
    space = theatre.space
    assert isinstance(space, Network)
    assert len(space.all_cells) == len(theatre.names)
    links = {frozenset(link) for link in baseline_cfg.theatre.links}
    for name in theatre.names:
        cell = theatre.sector(name)
        assert isinstance(cell, Sector) and cell.name == name
        neighbours = {c.coordinate for c in cell.neighborhood}
        assert neighbours == {other for other in theatre.names if frozenset((name, other)) in links}
    assert np.array_equal(theatre.adjacency, theatre.adjacency.T)
    assert theatre.adjacency.sum() == 2 * len(links)


def test_sector_cells_read_the_theatre_arrays(theatre, baseline_cfg):
    cell = theatre.sector("aghdam")
    assert cell.area_km2 == baseline_cfg.theatre.sectors.aghdam.area_km2
    assert cell.controller == "armenian" and cell.progress == 0.0
    theatre.progress[cell.index] = 0.4
    assert cell.progress == pytest.approx(0.4)
    theatre.controller[cell.index] = AZERBAIJANI
    assert cell.controller == "azerbaijani"


def test_areas_always_sum_to_the_theatre_area(theatre, baseline_cfg):
    total = sum(s.area_km2 for s in baseline_cfg.theatre.sectors.values())
    assert theatre.total_area == pytest.approx(total)
    armenian, azerbaijani = theatre.km2_held()
    assert (armenian, azerbaijani) == (pytest.approx(total), pytest.approx(0.0))
    i = theatre.index["jabrayil"]
    theatre.progress[i] = 0.25  # partial progress counts for the attacker
    armenian, azerbaijani = theatre.km2_held()
    assert azerbaijani == pytest.approx(0.25 * theatre.area[i])
    assert armenian + azerbaijani == pytest.approx(total)


def test_the_front_starts_on_the_line_of_contact_and_follows_the_attacker(theatre):
    front = theatre.front(theatre.karabakh)
    assert np.array_equal(front, theatre.line_of_contact & theatre.karabakh)
    assert not front[theatre.index["shusha"]]
    # taking Jabrayil opens Hadrut, Zangilan and Qubadli behind it, along its roads
    i = theatre.index["jabrayil"]
    theatre.controller[i], theatre.progress[i] = AZERBAIJANI, 1.0
    front = theatre.front(theatre.karabakh)
    assert not front[i]
    assert front[theatre.index["hadrut"]] and front[theatre.index["zangilan"]] and front[theatre.index["qubadli"]]
    assert not front[theatre.index["shusha"]]


def test_karabakh_value_held_falls_as_the_attacker_advances(theatre):
    assert theatre.karabakh_value_held() == pytest.approx(1.0)
    theatre.progress[theatre.index["shusha"]] = 1.0
    shusha_share = theatre.value[theatre.index["shusha"]] / theatre.value[theatre.karabakh].sum()
    assert theatre.karabakh_value_held() == pytest.approx(1.0 - shusha_share)
    theatre.progress[theatre.index["tavush"]] = 1.0  # Armenia proper is not Karabakh
    assert theatre.karabakh_value_held() == pytest.approx(1.0 - shusha_share)
    assert (theatre.controller == ARMENIAN).all()  # progress alone does not transfer control


def test_the_russian_guarantee_covers_armenia_proper_not_karabakh():
    """The treaty tie has scope armenia_proper: an offensive in Karabakh carries no
    Russian intervention risk, an attack on Armenia proper does. With the treaty tie
    at zero weight the two options carry the same risk (Iran's border interest only)."""

    def risks(overrides):
        m = ConflictModel(load_config("baseline_2020", overrides=overrides), rng=0)
        return (
            m.forecasts.operation(Operation.GENERAL_OFFENSIVE).intervention_risk,
            m.forecasts.operation(Operation.ATTACK_ARMENIA).intervention_risk,
        )

    karabakh, armenia = risks([])
    assert armenia > karabakh
    karabakh0, armenia0 = risks(["ties.russia_armenia_alliance.weight=0.0"])
    assert karabakh0 == pytest.approx(karabakh)
    assert armenia0 == pytest.approx(karabakh0)


def test_a_sector_changes_hands_exactly_when_the_advance_completes(baseline_cfg):
    """The advance rule in the model: day by day over 10 baseline runs, a sector is the
    attacker's if and only if its progress has reached 1, and a taken sector keeps no
    garrison (survivors fall back). At least one run must take a sector (most do)."""
    taken_any = False
    for seed in range(10):
        m = ConflictModel(baseline_cfg, rng=seed)
        t = m.theatre
        while m.running:
            m.step()
            taken = t.controller == AZERBAIJANI
            assert np.array_equal(taken, t.progress >= 1.0), f"seed {seed}, day {m.day}"
            assert np.all(m.garrisons.troops[taken] == 0) and np.all(m.garrisons.armour[taken] == 0)
        assert set(m.outcome["sectors_taken"]) == set(np.array(t.names)[t.controller != t.initial_controller])
        taken_any |= bool(m.outcome["sectors_taken"])
    assert taken_any
