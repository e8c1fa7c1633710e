"""Figures that draw the historical record beside the model (conf/backtest, sim.analysis.record): the
duration, deaths and ground of an episode, the districts it saw taken, a sweep's response and comparison.
Content, not pixels: the recorded values are read back from the figures' data."""

import logging

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from figure_text import legend_texts, titles
from matplotlib.colors import to_rgb

from sim import load_config, plots
from sim.analysis.record import ratios_of, record_of
from sim.analysis.validation import DistrictRecord
from sim.plots.common import RECORD_COLOUR
from sim.plots.geography import theatre_cells
from sim.report.figures import figures as report_figures

logging.getLogger("MESA").setLevel(logging.WARNING)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_sector_map_outlines_what_the_record_says_was_taken(intervention):
    runs = intervention.runs
    cfg = load_config("turkey_intervenes")
    record = DistrictRecord(taken=("jabrayil", "fuzuli"), handed_over=("lachin",), source="docs/sources.md#x: y")
    t = plots.sector_table(runs, cfg, record).set_index("sector")
    assert t.loc["jabrayil", "record"] == "taken" and t.loc["lachin", "record"] == "handed over"
    assert t.loc["shusha", "record"] == ""
    fig = plots.sector_control_map(runs, cfg, record=record)
    outline = [ln.get_xydata() for ln in fig.axes[0].get_lines() if ln.get_gid() == "record"]
    cells, _ = theatre_cells(cfg.theatre)
    assert len(outline) >= 4, "the two districts' outer boundary is several edges"
    for seg in outline:  # each edge lies between an outlined district and one that is not
        sides = [c.name for c in cells if all(np.isclose(c.polygon, xy).all(axis=1).any() for xy in seg)]
        assert len(sides) == 2 and len({"jabrayil", "fuzuli"} & set(sides)) == 1, sides
    assert "taken in the fighting\n(the record)" in legend_texts(fig)
    assert "record" in fig.axes[1].texts[0].get_text() and "handed over" in fig.axes[1].texts[0].get_text()
    plain = plots.sector_control_map(runs, cfg)
    assert not [ln for ln in plain.axes[0].get_lines() if ln.get_gid() == "record"]
    assert "record" not in plots.sector_table(runs, cfg)
    with pytest.raises(ValueError, match="record.districts: unknown sector"):
        plots.sector_table(runs, cfg, DistrictRecord(("atlantis",), (), "s"))


def test_a_one_parameter_sweep_draws_its_response_beside_the_record(baseline):
    """The sweep report's response: medians per value, the 2020 record in grey, the shipped value dotted."""
    key = "belligerents.azerbaijan.uavs.value"
    runs = baseline.runs
    sweep = pd.concat([runs.assign(**{key: 13.0}), runs.assign(**{key: 26.0})], ignore_index=True)
    made = {stem: f for stem, _, f, _ in report_figures(sweep, None, None, None, 6)}
    assert f"Grid points compared (2 points, {len(sweep)} runs)" in titles(made["comparison"]())
    fig = made["response"]()
    territory, ratio, days = fig.axes[:3]
    record, ratios = record_of("baseline_2020"), ratios_of("baseline_2020")
    expected = {
        territory: record[("territory_change_km2",)],
        ratio: ratios[(("military_deaths_azerbaijan",), ("military_deaths_armenia", "military_deaths_artsakh"))],
        days: record[("duration_days",)],
    }
    for ax, rec in expected.items():
        assert "UAV sorties per day" in ax.get_xlabel()
        (shipped,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("the scenario's value")]
        assert list(shipped.get_xdata()) == [26.0, 26.0]
        if rec.low == rec.high:  # a point: a dashed line at it
            (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "the record (one figure)"]
            assert list(line.get_ydata()) == [rec.low, rec.low]
        else:  # a range: a band over it
            (band,) = [p for p in ax.patches if p.get_label() == "the record"]
            ys = band.get_path().transformed(band.get_patch_transform()).vertices[:, 1]
            assert (ys.min(), ys.max()) == pytest.approx((rec.low, rec.high))
        medians = ax.get_lines()[0].get_ydata()
        assert len(medians) == 2
    t = plots.response_table(sweep, key, ["territory_change_km2"])
    assert list(territory.get_lines()[0].get_ydata()) == pytest.approx(list(t["median"]))
    base = load_config("baseline_2020", overrides=[f"{key}=30"])  # a sweep's own config, as its callback gives
    (draw,) = [f for stem, _, f, _ in report_figures(sweep, None, None, None, 6, base=base) if stem == "response"]
    lines = draw().axes[0].get_lines()
    assert [list(ln.get_xdata()) for ln in lines if ln.get_label().startswith("the scenario's")] == [[30.0, 30.0]]
    plain = plots.response_curves(sweep, key, ["duration_days"])
    assert not [a for a in (*plain.axes[0].get_lines(), *plain.axes[0].patches) if "the " in str(a.get_label())]


def _recorded(colour) -> bool:
    """Drawn in the record's colour (sim.plots.common.RECORD_COLOUR)."""
    return np.allclose(to_rgb(colour), to_rgb(RECORD_COLOUR))


def test_the_comparison_draws_the_record_of_its_scenario_beside_the_points(baseline):
    record = record_of("baseline_2020")
    fig = plots.compare_scenarios(baseline.runs, record=record)
    duration, deaths = fig.axes[1], fig.axes[2]
    (line,) = [ln for ln in duration.get_lines() if _recorded(ln.get_color())]
    assert list(line.get_xdata()) == [record[("duration_days",)].low] * 2
    military = (
        record[("military_deaths_azerbaijan",)].low + record[("military_deaths_armenia", "military_deaths_artsakh")].low
    )
    military_high = (
        record[("military_deaths_azerbaijan",)].high
        + record[("military_deaths_armenia", "military_deaths_artsakh")].high
    )
    (mil,) = [ln for ln in deaths.get_lines() if _recorded(ln.get_color())]  # a narrow range: its middle
    assert mil.get_xdata()[0] == pytest.approx((military + military_high) / 2)
    civ_low = record[("civilian_deaths_azerbaijan",)].low + record[("civilian_deaths_armenian_side",)].low
    civ_high = record[("civilian_deaths_azerbaijan",)].high + record[("civilian_deaths_armenian_side",)].high
    (band,) = [p for p in deaths.patches if _recorded(p.get_facecolor())]
    xs = band.get_path().transformed(band.get_patch_transform()).vertices[:, 0]
    assert (xs.min(), xs.max()) == pytest.approx((civ_low, civ_high))
    assert "the record" in legend_texts(fig)
    plain = plots.compare_scenarios(baseline.runs)
    drawn = [
        a
        for ax in plain.axes
        for a in (*ax.get_lines(), *ax.patches)
        if _recorded(a.get_facecolor() if hasattr(a, "get_facecolor") else a.get_color())
    ]
    assert not drawn


@pytest.mark.parametrize("scenario", ["baseline_2020", "april_2016", "july_2020"])
def test_the_record_is_drawn_beside_the_model(baseline, scenario):
    """The recorded duration, deaths and territory of the episode a scenario models (conf/backtest) appear
    on the duration, casualty and territory figures, at the recorded values (read back from the figures' data)."""
    from sim.analysis.record import record_of

    record = record_of(scenario)
    assert ("duration_days",) in record
    rec = record[("duration_days",)]
    fig = plots.duration(baseline.runs, record=rec)
    drawn = [t for t in legend_texts(fig) if t.startswith(rec.text())]
    assert drawn, legend_texts(fig)
    ax = fig.axes[0]
    if rec.low == rec.high:
        assert any(np.allclose(line.get_xdata(), [rec.low, rec.low]) for line in ax.get_lines())
    else:
        spans = [p for p in ax.patches if p.get_label().startswith(rec.text())]
        assert spans and np.isclose(spans[0].get_x(), rec.low)
    fig = plots.casualty_ranges(baseline.runs, record=record)
    marks = [c.lines[0] for a in fig.axes for c in a.containers if c.get_label() == "recorded (docs/sources.md)"]
    # every record of deaths is drawn on a row: a column's own, or the row of the columns it sums
    drawn = [r for cols, r in record.items() if cols[0].startswith(("military_", "civilian_"))]
    assert len(marks) == len(drawn) > 0
    assert sorted(float(m.get_xdata()[0]) for m in marks) == sorted((r.low + r.high) / 2 for r in drawn)
    summed = [cols for cols in record if len(cols) > 1 and cols[0].startswith("military_")]
    assert summed, "the Armenian side's military record counts Armenia and Artsakh together"
    table = plots.casualty_table(baseline.runs, tuple(summed)).set_index("column")
    total = baseline.runs[list(summed[0])].sum(axis=1)
    assert table.loc["+".join(summed[0]), "median"] == total.median()
    rec = record[("territory_change_km2",)]
    fig = plots.territory(baseline.runs, record=rec)
    ax = fig.axes[0]
    spans = [p for p in ax.patches if p.get_label() == f"{rec.text()} km\u00b2"]
    lines = [ln for ln in ax.get_lines() if ln.get_label() == f"{rec.text()} km\u00b2"]
    if spans:
        assert np.isclose(spans[0].get_x(), rec.low) and np.isclose(spans[0].get_x() + spans[0].get_width(), rec.high)
    else:
        assert lines and np.allclose(lines[0].get_xdata(), (rec.low + rec.high) / 2)
