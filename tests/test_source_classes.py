"""Every number in conf/ has a range and a source of a known class (sim.config.declared.source_class)."""

from __future__ import annotations

import pytest

from sim.config.declared import SOURCE_CLASSES, source_class
from sim.config.loading import scenarios
from sim.config.schema import iter_params
from sim.config.theatre import SECTOR_NUMERIC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'bolstered by the deployment of more than two dozen UAVs'", "quote"),
        ("SIPRI Military Expenditure Database via World Bank WDI, 2018", "dataset"),
        ("Global Firepower 2018: ~520 tanks; 'the use of armored units in support'", "dataset"),
        ("model assumption: a day's advance varies around its expected value", "judgement"),
        ("model judgement, after Dupuy (docs/sources.md#dupuy-qjm-factors)", "judgement"),
        ("Azerbaijan's troops and Armenia's", None),  # two apostrophes are no quote
        ("no border with the theatre", None),
    ],
)
def test_source_classes(text, expected):
    assert source_class(text) == expected


@pytest.mark.exhaustive
@pytest.mark.parametrize("scenario", scenarios())
def test_every_parameter_has_a_range_and_a_classed_source(cfg_of, scenario):
    cfg = cfg_of(scenario)
    for key, p in iter_params(cfg):
        lo, hi = (float(x) for x in p.range)
        assert lo <= float(p.value) <= hi, key
        assert source_class(str(p.source)) in SOURCE_CLASSES, f"{key}: {p.source!r}"
    for name, tie in cfg.ties.items():
        lo, hi = (float(x) for x in tie.range)
        assert 0.0 <= lo <= hi <= 1.0, name
        assert source_class(str(tie.source)) in SOURCE_CLASSES, f"ties.{name}: {tie.source!r}"


def test_every_sector_number_has_a_range_and_every_place_a_source(baseline_cfg):
    theatre = baseline_cfg.theatre
    assert source_class(str(theatre.source)) in SOURCE_CLASSES
    for name, s in theatre.sectors.items():
        assert set(SECTOR_NUMERIC) <= set(s.ranges), (
            f"theatre.sectors.{name}: no range for {set(SECTOR_NUMERIC) - set(s.ranges)}"
        )
        assert source_class(str(s.source)) in SOURCE_CLASSES, f"theatre.sectors.{name}: {s.source!r}"
    for name, town in theatre.towns.items():
        assert source_class(str(town.source)) in SOURCE_CLASSES, f"theatre.towns.{name}: {town.source!r}"
