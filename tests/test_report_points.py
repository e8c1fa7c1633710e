"""Reports over several settings: one row and one set of figures per scenario, designs drawn as designs."""

import logging
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from sim import load_config, run_design, run_ensemble
from sim.analysis.design_effects import design_points, ranking
from sim.analysis.points import point_labels, points_of
from sim.analysis.stats import wilson
from sim.analysis.summary import point_table, summary_table
from sim.outputs import INTERVENED, KEY_OUTCOMES, SENSITIVITY_OUTCOMES, Measure
from sim.report.conclusions import END_PHRASES, SHARE_WORDS, ensemble_sentences, grid_sentences, share_words
from sim.report.writer import write_report

logging.getLogger("MESA").setLevel(logging.WARNING)
SHORT = ["scenario.horizon_days=30"]
DESIGN = ["powers.turkey.resolve.value", "mediator.strength.value", "combat.uav_erosion.value"]


def titles(folder) -> dict[str, str]:
    """Every PNG of a report folder with the title its figure shows (saved in the PNG's metadata)."""
    return {p.stem: Image.open(p).text.get("Title", "") for p in sorted(folder.glob("*.png"))}


@pytest.fixture(scope="module")
def two_scenarios():
    out = [run_ensemble(load_config(name, overrides=SHORT), n=20, seed=3) for name in ("baseline_2020", "arms_embargo")]
    daily = pd.concat([r.daily.assign(scenario=r.runs["scenario"].iloc[0]) for r in out])
    return pd.concat([r.runs for r in out]), daily, out[0].config


@pytest.mark.slow  # writes a report's figures
def test_two_scenario_report_has_a_row_and_figures_per_scenario(two_scenarios, tmp_path):
    runs, daily, config = two_scenarios
    out = write_report(runs, daily, tmp_path / "r", config=config)
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary["scenario"]) == ["baseline_2020", "arms_embargo"] and list(summary["runs"]) == [20, 20]
    md = (out / "report.md").read_text()
    assert "## Key numbers by scenario" in md
    for name in ("baseline_2020", "arms_embargo"):
        shares = runs.loc[runs["scenario"] == name, "max_rung"].ge(4).mean()
        table = pd.read_csv(out / f"max_rung_{name}.csv")  # each scenario's figure draws its own runs only
        assert table["n"].eq(20).all() and table.loc[table["rung"] == 4, "p_ge"].item() == pytest.approx(shares)
        fan = pd.read_csv(out / f"escalation_fan_{name}.csv")
        assert fan["n"].eq(20).all() and len(fan) == daily.loc[daily["scenario"] == name, "day"].max()
    shown = titles(out)
    assert len(shown) >= 2 * 7 + 1
    for stem, title in shown.items():
        named = [s for s in ("baseline_2020", "arms_embargo") if title.startswith(f"{s}:")]
        assert named or "compared" in title, f"{stem}: '{title}' neither names its scenario nor says it compares"
        if named:
            assert stem.endswith(named[0]), f"{stem} is titled {named[0]}"


@pytest.mark.slow  # writes a report's figures
def test_grid_report_labels_points_by_their_swept_values(two_scenarios, tmp_path):
    runs = two_scenarios[0]
    base = runs[runs["scenario"] == "baseline_2020"]
    grid = pd.concat(
        [
            base.assign(**{"powers.turkey.resolve.value": x, "mediator.strength.value": y})
            for x in (0.1, 0.9)
            for y in (0.2, 0.8)
        ]
    )
    assert points_of(grid).kind == "grid"
    want = {f"turkey resolve {x}, mediator strength {y}" for x in (0.1, 0.9) for y in (0.2, 0.8)}
    assert set(point_labels(grid)) == want
    out = write_report(grid, None, tmp_path / "g")
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["point"]) == want
    assert titles(out)["sweep_rung_6"] == "P(highest rung >= 6) compared across the grid"


def test_a_latin_hypercube_is_a_design_not_a_grid():
    rng = np.random.default_rng(0)
    runs = pd.DataFrame({"max_rung": 3, DESIGN[0]: np.repeat(rng.random(8), 2), DESIGN[1]: np.repeat(rng.random(8), 2)})
    assert points_of(runs).kind == "design"
    full = pd.DataFrame({"max_rung": 3, DESIGN[0]: [0.1, 0.1, 0.9, 0.9], DESIGN[1]: [0.2, 0.8, 0.2, 0.8]})
    assert points_of(full).kind == "grid"


def test_rank_correlation_of_many_rows_is_scipys_row_by_row():
    """spearman_rows gives scipy.stats.spearmanr of each row pair, ties included, and 0 for a constant row."""
    from scipy import stats

    from sim.analysis.design_effects import spearman_rows

    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, size=(200, 9)).astype(float)  # few values: many ties
    y = x + rng.integers(-2, 3, size=(200, 9))
    x[0], y[1] = 2.0, 7.0  # a constant row on either side
    got = spearman_rows(x, y)
    expected = [
        0.0 if len(set(a)) == 1 or len(set(b)) == 1 else stats.spearmanr(a, b).statistic
        for a, b in zip(x, y, strict=True)
    ]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert got[0] == 0.0 and got[1] == 0.0 and -1.0 <= got.min() and got.max() <= 1.0


def test_ranking_puts_the_parameter_that_drives_the_outcome_first():
    rng = np.random.default_rng(1)
    points = pd.DataFrame({p: rng.random(40) for p in DESIGN})
    points["runs"] = 5
    points["y"] = 3 * points[DESIGN[2]] + 0.3 * rng.standard_normal(40)
    m = Measure("y", "days", "A test outcome.", (), lambda g: 0.0)
    t = ranking(points, DESIGN, m)
    assert t["parameter"].iloc[0] == DESIGN[2] and t["rank"].tolist() == [1, 2, 3]
    top = t.iloc[0]
    assert top["rho"] > 0.8 and top["low"] > 0.5 and top["low"] <= top["rho"] <= top["high"]
    assert (t["low"].iloc[1:] < 0.4).all()  # the other two do not drive it: their intervals reach near zero


@pytest.mark.slow  # runs a small design and writes its figures
def test_design_report_draws_each_parameter_and_the_ranking_not_a_grid(tmp_path):
    cfg = load_config("baseline_2020", overrides=["scenario.horizon_days=15"])
    rng = np.random.default_rng(2)
    lo_hi = [(0.0, 1.0), (0.0, 0.8), (0.0, 0.2)]
    # a Latin hypercube: each parameter's range cut into 8 slices, one point per slice in a random order
    pts = pd.DataFrame(
        {
            p: lo + (hi - lo) * (rng.permutation(8) + rng.random(8)) / 8
            for p, (lo, hi) in zip(DESIGN, lo_hi, strict=True)
        }
    )
    res = run_design(cfg, pts, n=3, seed=1)
    out = write_report(res.runs, None, tmp_path / "d", config=cfg, title="Design test")
    stems = set(titles(out))
    assert not any(s.startswith("sweep_rung") for s in stems)
    assert {"design_ranking", *(f"design_{m.name}" for m in SENSITIVITY_OUTCOMES)} <= stems
    ranks = pd.read_csv(out / "design_ranking.csv")
    for _, t in ranks.groupby("outcome"):
        assert sorted(t["parameter"]) == sorted(DESIGN) and list(t["rank"]) == [1, 2, 3]
        assert (t["rho"].abs().diff().dropna() <= 1e-12).all()
    assert len(design_points(res.runs, DESIGN)) == 8
    md = (out / "report.md").read_text()
    assert "## Key numbers, pooled over the design" in md and "8 sampled points" in md


@pytest.mark.slow  # writes a report's figures
def test_report_opens_with_sentences_from_its_numbers_and_keeps_the_config_in_an_appendix(two_scenarios, tmp_path):
    runs, daily, config = two_scenarios
    one, day = runs[runs["scenario"] == "baseline_2020"], daily[daily["scenario"] == "baseline_2020"]
    out = write_report(one, day, tmp_path / "r", config=config)
    md = (out / "report.md").read_text()
    brief = md.split("## In brief\n\n", 1)[1].split("\n\n", 1)[0]
    assert md.index("## In brief") < md.index("## Key numbers")
    assert 3 <= brief.count(". ") + 1 <= 5
    top = one["end_type"].value_counts()
    k, n = int(top.iloc[0]), len(one)
    e = wilson(k, n)
    assert f"({e.value:.0%}, 95% interval {e.low:.0%}-{e.high:.0%}) {END_PHRASES[top.index[0]]}" in brief
    assert f"median war lasts {one['duration_days'].quantile(0.5):.0f} days" in brief
    for doc in ("validation.md", "limitations.md"):
        href = re.search(rf"\]\(([^)]*docs/{doc})\)", md).group(1)
        assert (out / href).resolve().is_file()
    assert "```yaml" not in md and "[appendix.md](appendix.md)" in md
    beside = md.split("## The model beside the record", 1)[1].split("\n## ", 1)[0]
    days = one["duration_days"].astype(float)
    assert f"- Days of fighting: recorded 44 days; the model's median run gives {days.median():,.0f}" in beside
    assert "- Territory taken in the fighting: recorded 3,500-4,500 km2" in beside
    appendix = (out / "appendix.md").read_text()
    assert "```yaml" in appendix and "baseline_2020" in appendix


def test_share_words_never_claim_more_than_the_share():
    shares = np.linspace(0, 1, 101)
    ranks = [[w for _, w in SHARE_WORDS].index(share_words(p)) for p in shares]
    assert ranks == sorted(ranks, reverse=True)  # a larger share never gets weaker words
    assert (
        share_words(0.0) == "no run" and share_words(0.65) == "most runs" and share_words(0.5).startswith("about half")
    )


def test_the_summary_names_outcomes_and_rungs_and_keeps_every_ending():
    runs = pd.DataFrame(
        {c: [10, 20, 30, 40] for c in KEY_OUTCOMES}
        | {"max_rung": [3, 4, 4, 5], "end_type": ["settlement", "settlement", "ceasefire", "settlement"]}
    )
    t = summary_table(runs)
    assert not t.isna().any().any()  # no NaN rows
    assert t.loc["Highest rung reached", "median or share"] == "4 strikes on population centres"
    assert t.loc["Highest rung reached", "range"] == "rungs 3-5"
    assert t.loc["Duration of the war, days", "median or share"] == "25"
    assert t.loc["Ended by a negotiated settlement", "median or share"] == "75%"
    assert t.loc["Ended by the collapse of the defence", "median or share"] == "0%"  # a zero row is kept
    e = wilson(0, 4)
    assert t.loc["Still fighting at the horizon", "range"] == f"{e.low:.0%}-{e.high:.0%}"
    assert not any("_" in name for name in t.index)  # no raw column names


def test_a_large_grid_opens_with_its_extremes_each_from_its_own_runs():
    rows = []
    for i, x in enumerate((0.0, 0.2, 0.4, 0.6, 0.8, 1.0)):
        for r in range(10):
            rows.append(
                {
                    "powers.turkey.resolve.value": x,
                    "max_rung": 6 if r < i * 2 else 4,
                    "duration_days": 10 + 5 * i,
                    "end_type": "settlement" if r < 7 else "ceasefire",
                }  # fmt: skip
            )
    runs = pd.DataFrame(rows)
    first, second, third = grid_sentences(runs, points_of(runs))
    low, high = wilson(0, 10), wilson(10, 10)
    assert f"in {low.value:.0%} (95% interval {low.low:.0%}-{low.high:.0%}) of runs at turkey resolve 0 " in first
    assert f"in {high.value:.0%} (95% interval {high.low:.0%}-{high.high:.0%}) at turkey resolve 1." in first
    assert second == "The median war lasts from 10 days (turkey resolve 0) to 35 days (turkey resolve 1)."
    assert "negotiated settlement at 6 of the 6 points" in third


def test_few_runs_are_counted_not_described():
    runs = pd.DataFrame(
        {c: [10, 20, 30] for c in KEY_OUTCOMES}
        | {c: [False, False, False] for c in INTERVENED}
        | {"max_rung": [4, 4, 3], "end_type": ["settlement", "settlement", "ceasefire"]}
    )
    first = ensemble_sentences(runs)[0]
    e = wilson(2, 3)
    assert first.startswith(f"In 2 of 3 runs ({e.value:.0%}, 95% interval {e.low:.0%}-{e.high:.0%}) the war ends")


def test_the_printed_table_of_a_sweep_names_each_scenario(two_scenarios):
    runs = two_scenarios[0].copy()
    runs["point_id"] = (runs["scenario"] == "arms_embargo").astype(int)
    t = point_table(runs)
    assert list(t["scenario"]) == ["baseline_2020", "arms_embargo"] and list(t["runs"]) == [20, 20]
    for name, text in zip(t["scenario"], t["P(rung >= 6) [95%]"], strict=True):
        k = int((runs.loc[runs["scenario"] == name, "max_rung"] >= 6).sum())
        e = wilson(k, 20)
        assert text == f"{e.value:.2f} [{e.low:.2f}, {e.high:.2f}]"


def test_the_printed_table_of_a_sweep_writes_numbers_as_people_read_them(two_scenarios):
    """26, not 26.0; 6,608 deaths, not 6608.0; summary.csv (point_table) keeps the numbers."""
    from sim.analysis.summary import render

    runs = two_scenarios[0].copy()
    runs["point_id"] = (runs["scenario"] == "arms_embargo").astype(int)
    runs["belligerents.azerbaijan.uavs.value"] = np.where(runs["point_id"] == 1, 13.0, 26.0)
    t = point_table(runs)
    assert t["median military deaths"].dtype.kind == "f"
    text = render(runs)
    for deaths, uavs in zip(t["median military deaths"], t["belligerents.azerbaijan.uavs.value"], strict=True):
        row = [ln for ln in text.splitlines() if f" {uavs:g} " in ln]
        assert len(row) == 1 and f"{deaths:,.0f}" in row[0], text
    assert "26.0" not in text and "13.0" not in text
