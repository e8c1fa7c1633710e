"""The theatre at district resolution (conf/theatre/districts_2020.yaml) as data: it composes and
validates, every sector and town is sourced, every numeric value lies in its declared range, the
road graph is connected and the shares sum to 1 per region; and bad theatre data is refused with
one line naming the key. The model is not run on this theatre."""

from __future__ import annotations

import networkx as nx
import pytest

from sim import ConfigError, load_config
from sim.config.theatre import SECTOR_NUMERIC

DISTRICTS = ["theatre=districts_2020"]
SEVEN_DISTRICTS = {"jabrayil", "fuzuli", "zangilan", "qubadli", "lachin", "kalbajar", "aghdam"}
OBLAST = {"martakert", "martuni", "askeran", "hadrut", "shusha", "stepanakert"}
BORDER = {"tavush", "gegharkunik", "syunik"}


@pytest.fixture(scope="module")
def theatre():
    return load_config("baseline_2020", overrides=DISTRICTS).theatre


def test_the_districts_theatre_composes_with_every_district(theatre):
    names = set(theatre.sectors)
    assert len(names) >= 14
    assert SEVEN_DISTRICTS | OBLAST | BORDER <= names
    for name in SEVEN_DISTRICTS | OBLAST:
        assert theatre.sectors[name].region == "karabakh", name
    for name in BORDER:
        assert theatre.sectors[name].region == "armenia_proper", name
    assert all(s.controller == "armenian" for s in theatre.sectors.values())


def test_every_sector_is_sourced_and_its_values_lie_in_their_ranges(theatre):
    for name, s in theatre.sectors.items():
        assert "docs/sources.md#district-data" in s.source, f"{name}: source must point at the district data"
        assert set(s.ranges) == set(SECTOR_NUMERIC), f"{name}: a range for every numeric value"
        for attr, (lo, hi) in s.ranges.items():
            assert lo <= s[attr] <= hi, f"{name}.{attr}={s[attr]} outside [{lo}, {hi}]"
        lon, lat = s.position
        assert 44.5 < lon < 48.0 and 38.8 < lat < 41.3, f"{name}: position {list(s.position)} off the map"


def test_the_graph_is_connected_and_follows_the_line(theatre):
    graph = nx.Graph([tuple(link) for link in theatre.links])
    graph.add_nodes_from(theatre.sectors)
    assert nx.is_connected(graph)
    assert graph.has_edge("lachin", "syunik") and graph.has_edge("lachin", "shusha")  # the corridor
    assert graph.has_edge("kalbajar", "gegharkunik")  # the Sotk pass
    on_line = {n for n, s in theatre.sectors.items() if s.line_of_contact and s.region == "karabakh"}
    assert on_line == {"martakert", "aghdam", "martuni", "fuzuli", "jabrayil", "kalbajar"}
    on_iran = {n for n, s in theatre.sectors.items() if s.iran_border}
    assert on_iran == {"jabrayil", "zangilan", "syunik"}


@pytest.mark.parametrize("attr", ["strategic_value", "garrison"])
def test_shares_sum_to_one_in_each_region(theatre, attr):
    for region in ("karabakh", "armenia_proper"):
        total = sum(s[attr] for s in theatre.sectors.values() if s.region == region)
        assert total == pytest.approx(1.0, abs=1e-6), f"{attr} in {region}: {total}"


def test_every_town_is_sourced_and_placed(theatre):
    assert {"ganja", "barda", "tartar", "mingachevir"} <= set(theatre.towns)
    assert {"stepanakert", "martuni", "martakert", "shusha", "hadrut"} <= set(theatre.towns)
    for name, town in theatre.towns.items():
        assert "docs/sources.md#district-data" in town.source, name
        assert town.population > 0 and town.distance_km >= 0, name
        if town.side == "armenian":
            assert town.sector in theatre.sectors, f"{name}: an Armenian-side town names its sector"


def test_the_aliases_keep_the_shipped_scenarios_valid(theatre):
    for alias, members in theatre.aliases.items():
        assert alias not in theatre.sectors and set(members) <= set(theatre.sectors)
    for scenario in ("april_2016", "july_2020"):
        assert load_config(scenario, overrides=DISTRICTS) is not None


#: (overrides on the districts theatre, words the one-line message must contain)
BAD = {
    "self link": (["theatre.links=[[jabrayil,jabrayil],[jabrayil,fuzuli]]"], ["theatre.links[0]", "itself"]),
    "duplicate link": (
        ["theatre.links=[[jabrayil,fuzuli],[fuzuli,jabrayil]]"],
        ["theatre.links[1]", "repeats theatre.links[0]"],
    ),
    "link to an unknown sector": (["theatre.links=[[jabrayil,atlantis]]"], ["theatre.links[0]", "atlantis"]),
    "range of one number": (
        ["theatre.sectors.jabrayil.ranges.area_km2=[1050.0]"],
        ["theatre.sectors.jabrayil.ranges.area_km2", "two numbers"],
    ),
    "empty range": (
        ["theatre.sectors.jabrayil.ranges.ruggedness=[0.5,0.1]"],
        ["theatre.sectors.jabrayil.ranges.ruggedness", "empty"],
    ),
    "value outside its range": (
        ["theatre.sectors.jabrayil.area_km2=5000"],
        ["theatre.sectors.jabrayil.area_km2", "5000", "[1000.0, 1100.0]"],
    ),
    "range of a non-numeric key": (
        ["+theatre.sectors.jabrayil.ranges.colour=[0.0,1.0]"],
        ["theatre.sectors.jabrayil.ranges.colour", "area_km2"],
    ),
    "unknown town side": (
        ["theatre.towns.ganja.side=russian"],
        ["theatre.towns.ganja.side", "russian", "azerbaijani, armenian"],
    ),
    "town in an unknown sector": (
        ["theatre.towns.martuni.sector=atlantis"],
        ["theatre.towns.martuni.sector", "atlantis"],
    ),
    "values not summing to 1": (
        ["theatre.sectors.stepanakert.strategic_value=0.28"],
        ["strategic_value", "karabakh", "sum to 1"],
    ),
    "garrisons over 1": (["theatre.sectors.tavush.garrison=0.45"], ["garrison", "armenia_proper", "at most 1"]),
    "alias of an unknown sector": (
        ["theatre.aliases.north=[martakert,atlantis]"],
        ["theatre.aliases.north", "atlantis"],
    ),
}


@pytest.mark.exhaustive
@pytest.mark.parametrize("case", list(BAD))
def test_bad_theatre_data_is_refused_in_one_line(case):
    overrides, words = BAD[case]
    with pytest.raises(ConfigError) as err:
        load_config("baseline_2020", overrides=[*DISTRICTS, *overrides])
    msg = str(err.value)
    assert "\n" not in msg, msg
    for w in words:
        assert w in msg, msg


def test_the_district_theatre_is_the_default():
    cfg = load_config("baseline_2020")
    assert len(cfg.theatre.sectors) >= 14
    assert all(s.ranges for s in cfg.theatre.sectors.values())
    assert cfg.theatre.towns
