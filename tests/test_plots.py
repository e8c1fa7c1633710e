"""Figures of ensemble results: content, not pixels (titles, labels, series, plotted values)."""

import io
import logging
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from figure_text import legend_texts, titles
from matplotlib.colors import to_rgb
from omegaconf import OmegaConf

from sim import load_config, plots, run_ensemble
from sim.analysis.stats import wilson
from sim.plots.casualties import FOREIGN, MILITARY
from sim.plots.common import OKABE_ITO
from sim.plots.contrast import COLOURS, PANELS, contrast_figure
from sim.plots.endings import END_TYPES
from sim.rules.ladder import Rung

ROOT = Path(__file__).resolve().parent.parent
logging.getLogger("MESA").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def sweep_runs():
    """A 2 x 2 grid over Turkey's resolve and the mediator's strength, 6 runs per cell."""
    cfg = load_config("baseline_2020", overrides=["scenario.horizon_days=20"])
    parts = []
    for resolve in (0.1, 0.9):
        for strength in (0.2, 0.8):
            c = cfg.copy()
            OmegaConf.update(c, "powers.turkey.resolve.value", resolve)
            OmegaConf.update(c, "mediator.strength.value", strength)
            r = run_ensemble(c, n=6, seed=3).runs
            parts.append(r.assign(**{"powers.turkey.resolve": resolve, "mediator.strength": strength}))
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_fan_chart_median_is_over_runs_still_at_war_and_the_share_at_war_is_shown(baseline):
    fig = plots.fan_chart(baseline.daily)
    ax, bx = fig.axes[:2]
    assert "Escalation over time" in ax.get_title() and "30 runs" in ax.get_title()
    assert "day" in bx.get_xlabel() and "days" in bx.get_xlabel()
    assert ax.get_ylabel() == "escalation rung"
    assert [t.get_text() for t in ax.get_yticklabels()][6] == "6 regional intervention"
    assert legend_texts(fig)[:3] == [
        "90% of runs still running (5th-95th pct.)",
        "50% of runs still running (25th-75th pct.)",
        "median run still running",
    ]
    # independent median: pivot by hand; an ended run is out of the day's runs, never rung 0
    d = baseline.daily
    last = int(d["day"].max())
    by_run = {rep: g.set_index("day")["rung"] for rep, g in d.groupby("replicate")}
    at_war = [sorted(v[day] for v in by_run.values() if day in v.index) for day in range(1, last + 1)]
    shown = [day for day in range(1, last + 1) if len(at_war[day - 1]) >= 5]
    median = [at_war[day - 1][(len(at_war[day - 1]) - 1) // 2] for day in shown]
    line = ax.get_lines()[0]
    assert np.array_equal(np.asarray(line.get_ydata())[:-1], median)  # the last step repeats for its right edge
    share = bx.get_lines()[0].get_ydata()
    assert np.allclose(share, [len(v) / len(by_run) for v in at_war])
    assert len(ax.collections) == 2  # two bands


def test_rung_probabilities_sum_to_one_each_day_and_match_counts(baseline):
    t = plots.rung_probability_table(baseline.daily)
    assert np.allclose(t.groupby("day")["p"].sum(), 1.0)
    assert ((t["low"] <= t["p"] + 1e-12) & (t["p"] <= t["high"] + 1e-12)).all()
    day1 = baseline.daily[baseline.daily["day"] == 1]
    for r in range(8):
        row = t[(t["day"] == 1) & (t["state"] == r)].iloc[0]
        assert row["count"] == int((day1["rung"] == r).sum())
    fig = plots.rung_probability_by_day(baseline.daily)
    ax = fig.axes[0]
    assert len(ax.collections) == 9  # eight rungs and "war over"
    assert "war over (ended before this day)" in legend_texts(fig)
    assert ax.get_ylabel() == "share of runs (probability)" and ax.get_ylim() == (0.0, 1.0)
    assert any("Wilson interval" in t.get_text() for t in fig.texts)


def test_max_rung_bars_heights_and_error_bars_are_the_wilson_estimates(intervention):
    runs = intervention.runs
    fig = plots.max_rung_bars(runs)
    left, right = fig.axes[0], fig.axes[1]
    lowest = int(runs["max_rung"].min())
    shown = range(lowest, 8)  # no rung below the lowest any run reached takes room
    heights = [p.get_width() for p in left.patches]
    assert heights == pytest.approx([float((runs["max_rung"] == r).mean()) for r in shown])
    colours = [p.get_facecolor() for p in left.patches]
    assert len(set(colours)) == len(heights)  # one colour per rung, no legend swatch that matches none
    assert [t for t in legend_texts(fig)] == ["95% Wilson interval"]
    ge = [wilson(int((runs["max_rung"] >= r).sum()), len(runs)) for r in shown]
    xs = right.get_lines()[0].get_xdata()
    assert np.allclose(xs, [e.value for e in ge])
    t = plots.max_rung_table(runs)
    assert len(t) == 8  # the table keeps every rung, zero rows too
    assert np.allclose(t["low_ge"][lowest:], [e.low for e in ge]) and np.allclose(
        t["high_ge"][lowest:], [e.high for e in ge]
    )
    assert left.get_xlabel() == "P(highest rung = r)" and right.get_xlabel() == "P(highest rung >= r)"
    assert "20 runs" in titles(fig)


def test_endings_shares_and_brokers(baseline):
    runs = baseline.runs
    fig = plots.end_shares(runs)
    ax, bx = fig.axes
    assert ax.get_title() == "How the war ends" and bx.get_title() == "Who brokered the end (share of all runs)"
    for axis, table in ((ax, plots.end_type_table(runs)), (bx, plots.broker_table(runs))):  # labels past the bars
        placed = {t.get_text(): t.get_position()[0] for t in axis.texts}
        for row in table.itertuples():
            assert placed[f"{row.p:.0%} ({row.count})"] > row.high
    ends = plots.end_type_table(runs)
    assert [p.get_width() for p in ax.patches] == pytest.approx(list(ends["p"]))
    counts = ends.set_index("category")["count"]
    assert counts[counts > 0].to_dict() == runs["end_type"].value_counts().to_dict()
    assert list(ends["category"][: len(END_TYPES)]) == END_TYPES  # every ending, in a fixed order, zeros kept
    brokers = plots.broker_table(runs)
    assert len(bx.patches) == runs["broker"].nunique()
    if "none" in set(runs["broker"]):
        assert brokers["category"].iloc[-1] == "none"
    assert ((ends["low"] <= ends["p"]) & (ends["p"] <= ends["high"])).all()
    assert {p.get_facecolor()[:3] for p in ax.patches} <= {
        tuple(int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)) for c in OKABE_ITO + ["#999999"]
    }


def test_duration_histogram_counts_every_run_and_marks_the_median(baseline):
    runs = baseline.runs
    fig = plots.duration(runs)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "duration of the war (days)" and ax.get_ylabel() == "number of runs"
    assert len(ax.containers) == runs["end_type"].nunique()  # one stacked layer per end type
    assert sum(p.get_height() for c in ax.containers for p in c) == len(runs)
    med = float(np.median(runs["duration_days"]))
    assert any(f"median duration {med:.0f} days" == t for t in legend_texts(fig))
    t = plots.duration_table(runs)
    assert t.iloc[0]["low"] <= med <= t.iloc[0]["high"]


def test_casualties_show_percentiles_and_mean_intervals(intervention):
    runs = intervention.runs
    fig = plots.casualty_ranges(runs)
    mil, civ = fig.axes[:2]
    assert mil.get_xlabel() == "military deaths per war (people)"
    assert civ.get_xlabel() == "civilian deaths per war (people)"
    rows = ["Azerbaijan", "Armenia", "Artsakh (Karabakh)", "Syrian fighters (Azerbaijan)"]
    assert [t.get_text() for t in mil.get_yticklabels()] == rows
    assert "mean, 95% bootstrap interval" in legend_texts(fig)
    t = plots.casualty_table(runs).set_index("column")
    az = runs["military_deaths_azerbaijan"]
    assert t.loc["military_deaths_azerbaijan", "median"] == az.median()
    assert t.loc["military_deaths_azerbaijan", "mean"] == pytest.approx(az.mean())
    assert (t["mean_low"] <= t["mean"]).all() and (t["mean"] <= t["mean_high"]).all()
    medians = mil.get_lines()[0].get_xdata()
    assert list(medians) == pytest.approx([runs[c].median() for c in [*MILITARY, *FOREIGN]])


def test_sector_map_colours_sectors_by_the_share_that_changed_hands(intervention):
    runs = intervention.runs
    cfg = load_config("turkey_intervenes")
    t = plots.sector_table(runs, cfg)
    for row in t.itertuples():
        expected = runs["sectors_taken"].map(lambda s, n=row.sector: n in s.split(",")).mean()
        assert row.p_changed_hands == pytest.approx(expected)
        assert row.low <= row.p_changed_hands <= row.high
        assert [row.lon, row.lat] == list(cfg.theatre.sectors[row.sector].position)
    fig = plots.sector_control_map(runs, cfg)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "longitude (degrees east)" and ax.get_ylabel() == "latitude (degrees north)"
    areas = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    assert set(cfg.theatre.sectors) <= set(areas)  # every district is an area, not a marker
    cmap = plt.get_cmap("cividis")
    for row in t.itertuples():
        assert np.allclose(areas[row.sector].get_facecolor()[:3], cmap(row.p_changed_hands)[:3])
    towns = {n for n, v in cfg.theatre.towns.items() if v.side == "azerbaijani"}
    assert towns <= set(areas)  # the Azerbaijani-held side is drawn, by its towns' areas
    borders = {ln.get_gid() for ln in ax.get_lines()}
    assert {"contact", "armenia", "iran"} <= borders
    scales = [c for a in fig.axes for c in a.child_axes]  # the colour scale sits inside the key's panel
    assert [c.get_xlabel() for c in scales] == ["P(district changed hands) over the war"]
    key = " ".join(t.get_text() for a in fig.axes for t in a.texts)
    for name in cfg.theatre.sectors:
        assert name.replace("_", " ").title() in key
    assert min(t.get_fontsize() for t in ax.texts) >= 9
    legend = legend_texts(fig)
    assert "town of 50,000" in legend and "line of contact, 26 September 2020" in legend
    with pytest.raises(ValueError, match="unknown sector"):
        plots.sector_table(runs.assign(sectors_taken="atlantis"), cfg)


def test_the_contrast_figure_draws_each_difference_with_its_interval_and_the_baseline_level():
    table = pd.read_csv(ROOT / "docs" / "figures" / "scenario_contrast.csv", keep_default_na=False)
    fig = contrast_figure(table, 200, 1)
    scenarios = list(dict.fromkeys(table["scenario"]))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == scenarios
    for ax, name in zip(fig.axes, PANELS, strict=False):
        rows = table[table["measure"] == name].reset_index(drop=True)
        share = rows["unit"].iloc[0] == "share"
        scale = 100.0 if share else 1.0
        base = rows["baseline"].iloc[0]
        assert "baseline mean" in ax.get_title()
        assert (f"{base * 100:.0f}%" if share else f"{base:,.0f}") in ax.get_title()
        points = [ln for ln in ax.get_lines() if ln.get_marker() == "o" and len(ln.get_xdata())]
        assert [ln.get_xdata()[0] for ln in points] == pytest.approx(list(rows["difference"] * scale))
        bars = [c for c in ax.collections if len(c.get_segments())]
        spans = [(seg[:, 0].min(), seg[:, 0].max()) for c in bars for seg in c.get_segments()]
        assert np.allclose(spans, np.c_[rows["low"] * scale, rows["high"] * scale])
        for ln, holds in zip(points, rows["holds"], strict=True):
            assert np.allclose(to_rgb(ln.get_color()), to_rgb(COLOURS[holds]))
    with warnings.catch_warnings():  # one scenario: still room for the titles (no collapsed layout)
        warnings.simplefilter("error")
        contrast_figure(table[table["scenario"] == scenarios[0]], 10, 1).savefig(io.BytesIO(), format="png")


def test_sweep_heatmap_cells_runs_and_wide_marks(sweep_runs):
    x, y = "powers.turkey.resolve", "mediator.strength"
    t = plots.sweep_table(sweep_runs, x, y, k=3, wide=0.3)
    assert len(t) == 4 and (t["n"] == 6).all()
    for r in t.itertuples(index=False):
        cell = sweep_runs[(sweep_runs[x] == r[0]) & (sweep_runs[y] == r[1])]
        assert r.p == pytest.approx((cell["max_rung"] >= 3).mean())
        assert r.wide == (wilson(r.count, r.n).half_width > 0.3)
    fig = plots.sweep_heatmap(sweep_runs, x, y, k=3, wide=0.3)
    ax = fig.axes[0]
    assert ax.get_xlabel() == x and ax.get_ylabel() == y
    img = ax.get_images()[0].get_array()
    assert img[0, 0] == pytest.approx(t[(t[x] == 0.1) & (t[y] == 0.2)]["p"].iloc[0])
    assert img[1, 1] == pytest.approx(t[(t[x] == 0.9) & (t[y] == 0.8)]["p"].iloc[0])
    texts = [tx.get_text() for tx in ax.texts]
    assert sum("n=6" in s for s in texts) == 4
    assert sum(p.get_hatch() == "//" for p in ax.patches) == int(t["wide"].sum())
    assert fig.axes[1].get_ylabel().startswith("P(highest rung 3")


def test_scenario_comparison_has_one_row_per_scenario(baseline, intervention):
    runs = pd.concat([baseline.runs, intervention.runs], ignore_index=True)
    t = plots.comparison_table(runs)
    assert list(t["scenario"]) == ["baseline_2020", "turkey_intervenes"]
    for row in t.itertuples():
        g = runs[runs["scenario"] == row.scenario]
        assert row.p_rung_ge_6 == pytest.approx((g["max_rung"] >= 6).mean())
        assert row.median_duration_days == g["duration_days"].median()
        assert row.p_rung_ge_6_low <= row.p_rung_ge_6 <= row.p_rung_ge_6_high
    fig = plots.compare_scenarios(runs)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["baseline_2020\n(n=30)", "turkey_intervenes\n(n=20)"]
    assert legend_texts(fig)[:4] == ["rung >= 3", "rung >= 4", "rung >= 5", "rung >= 6"]
    assert {a.get_title() for a in fig.axes} == {"Escalation risk", "Duration", "Deaths"}


def test_bad_tables_get_one_clear_line():
    with pytest.raises(ValueError, match="runs: missing column"):
        plots.max_rung_bars(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="daily: the table is empty"):
        plots.fan_chart(pd.DataFrame(columns=["replicate", "day", "rung"]))


def test_rung_labels_cover_the_whole_ladder(baseline):
    t = plots.max_rung_table(baseline.runs)
    assert list(t["rung"]) == [int(r) for r in Rung]
