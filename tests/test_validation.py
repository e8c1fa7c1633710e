"""Backtests: the comparison machinery on synthetic tables, and the shipped claims."""

import logging

import numpy as np
import pandas as pd
import pytest

from experiments import backtest as cli
from sim import load_config, run_ensemble
from sim.analysis.validation import (
    BacktestError,
    Statistic,
    Target,
    backtest,
    claimed_failures,
    compare,
    episodes,
    format_range,
    parse_episode,
    statistic_values,
)

logging.getLogger("MESA").setLevel(logging.WARNING)


def target(observed, rule="overlap", min_share=0.5, stat=None):
    return Target("t", "a target", "deaths", stat or Statistic("runs", ("x",)), observed, rule, min_share, True, "test")


@pytest.fixture
def daily():
    # replicate 0 lasts three days, replicate 1 ends after day one
    return pd.DataFrame(
        {
            "replicate": [0, 0, 0, 1],
            "day": [1, 2, 3, 1],
            "deaths_a": [10.0, 20.0, 30.0, 5.0],
            "deaths_b": [1.0, 2.0, 3.0, 0.0],
        }
    )


@pytest.fixture
def runs():
    return pd.DataFrame(
        {
            "replicate": [1, 0, 2],
            "broker": ["russia", "france", "russia"],
            "sectors_taken": ["", "north,aghdam", "north"],
            "x": [1.0, 2.0, 3.0],
        }
    )


# --- statistics ------------------------------------------------------------------------------
def test_daily_statistic_sums_columns_on_the_day(daily):
    v = statistic_values(Statistic("daily", ("deaths_a", "deaths_b"), day=2), pd.DataFrame(), daily)
    assert v.to_dict() == {0: 22.0, 1: 5.0}  # replicate 1 ended on day one: its last value counts


def test_daily_statistic_without_day_reads_the_last_day(daily):
    v = statistic_values(Statistic("daily", ("deaths_a",)), pd.DataFrame(), daily)
    assert v.to_dict() == {0: 30.0, 1: 5.0}


def test_count_items_and_one_of(runs):
    counted = statistic_values(Statistic("runs", ("sectors_taken",), count_items=True), runs, pd.DataFrame())
    assert counted.to_dict() == {0: 2.0, 1: 0.0, 2: 1.0}
    russia = statistic_values(Statistic("runs", ("broker",), one_of=("russia",)), runs, pd.DataFrame())
    assert russia.to_dict() == {0: 0.0, 1: 1.0, 2: 1.0}


def test_missing_column_is_one_clear_line(runs):
    with pytest.raises(BacktestError, match="column 'nope' is not in the runs table"):
        statistic_values(Statistic("runs", ("nope",)), runs, pd.DataFrame())


# --- comparison ---------------------------------------------------------------------------------
def test_overlap_passes_when_the_ranges_meet():
    v = np.arange(0, 101, dtype=float)  # 5-95% range is [5, 95]
    row = compare(v, target((90.0, 120.0)))
    assert row["passes"] and row["model_median"] == 50 and row["model_p5"] == 5 and row["model_p95"] == 95


def test_overlap_fails_when_the_ranges_do_not_meet():
    v = np.arange(0, 101, dtype=float)
    assert not compare(v, target((96.0, 120.0)))["passes"]
    assert not compare(v, target((None, 4.0)))["passes"]


def test_open_ended_range():
    v = np.arange(0, 101, dtype=float)
    assert compare(v, target((95.0, None)))["passes"]
    assert not compare(v, target((95.5, None)))["passes"]


def test_a_ratio_statistic_divides_the_sums_and_leaves_out_a_zero_denominator():
    runs = pd.DataFrame({"replicate": [0, 1, 2], "a": [3.0, 1.0, 5.0], "b": [1.0, 1.0, 0.0], "c": [2.0, 3.0, 0.0]})
    v = statistic_values(Statistic("runs", ("a",), per=("b", "c")), runs, pd.DataFrame())
    assert v.iloc[0] == pytest.approx(1.0) and v.iloc[1] == pytest.approx(0.25) and np.isnan(v.iloc[2])
    row = compare(v, target((0.2, 1.2)))
    assert row["runs"] == 2 and row["passes"]  # the undefined run is left out, not counted as a miss


def test_median_inside_judges_the_typical_run():
    v = np.array([0.1] * 40 + [0.8] * 60)  # a tail outside, the median inside
    assert compare(v, target((0.5, 1.2), rule="median_inside"))["passes"]
    assert not compare(np.array([0.1] * 60 + [0.8] * 40), target((0.5, 1.2), rule="median_inside"))["passes"]
    assert not compare(np.array([np.nan, np.nan]), target((0.5, 1.2), rule="median_inside"))["passes"]


def test_share_inside_passes_and_fails_at_the_stated_share():
    v = np.array([0.0] * 60 + [1.0] * 40)
    row = compare(v, target((0.0, 0.0), rule="share_inside", min_share=0.5))
    assert row["passes"] and row["share_inside"] == pytest.approx(0.6)
    assert row["share_ci_lo"] < 0.6 < row["share_ci_hi"]
    assert not compare(v, target((0.0, 0.0), rule="share_inside", min_share=0.7))["passes"]
    assert not compare(v, target((1.0, 1.0), rule="share_inside", min_share=0.5))["passes"]


_TARGET = {
    "name": "t",
    "label": "x",
    "unit": "u",
    "statistic": {"table": "runs", "columns": ["x"]},
    "observed": [1, 2],
    "tolerance": {"rule": "overlap"},
    "claimed": True,
    "use": "fit",
    "source": "s",
}


def test_backtest_table_and_claimed_failures(runs):
    ep = parse_episode(
        {
            "episode": "synthetic",
            "scenario": "baseline_2020",
            "targets": [
                {**_TARGET, "name": "ok", "observed": [2, 2]},
                {**_TARGET, "name": "bad", "observed": [10, 20]},
                {**_TARGET, "name": "miss", "observed": [10, 20], "claimed": False, "use": "check"},
            ],
        }
    )
    table = backtest(ep, runs, pd.DataFrame())
    assert list(table["passes"]) == [True, False, False]
    assert claimed_failures(table) == ["synthetic/bad"]
    assert format_range(8.0, 20.0) == "[8, 20]" and format_range(101.0, np.nan) == ">= 101"


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"observed": [5, 1]}, "observed: \\[5.0, 1.0\\] is empty"),
        ({"observed": [None, None]}, "at least one end"),
        ({"tolerance": {"rule": "close_enough"}}, "tolerance.rule: 'close_enough' is not allowed"),
        ({"tolerance": {"rule": "share_inside", "min_share": 1.5}}, "min_share: 1.5 is out of range"),
        ({"statistic": {"table": "weekly", "columns": ["x"]}}, "statistic.table: 'weekly' is not allowed"),
        ({"statistic": {"table": "runs", "columns": ["x"], "day": 1}}, "statistic.day"),
        ({"claimed": "yes"}, "claimed: expected bool"),
        ({"use": "train"}, "use: 'train' is not allowed; expected one of fit, check"),
    ],
)
def test_bad_targets_are_one_line_naming_the_key(patch, message):
    t = {**_TARGET, **patch}
    with pytest.raises(BacktestError, match=message) as err:
        parse_episode({"episode": "e", "scenario": "baseline_2020", "targets": [t]}, "e.yaml")
    assert "\n" not in str(err.value) and str(err.value).startswith("e.yaml.targets[t]")


def test_an_episode_may_say_which_districts_changed_hands():
    base = {"episode": "e", "scenario": "baseline_2020", "targets": [_TARGET]}
    assert parse_episode(base, "e.yaml").districts is None
    ep = parse_episode({**base, "districts": {"taken": ["jabrayil"], "source": "s"}}, "e.yaml")
    assert ep.districts.taken == ("jabrayil",) and ep.districts.handed_over == () and ep.districts.source == "s"


@pytest.mark.parametrize(
    ("districts", "message"),
    [
        (["jabrayil"], "e.yaml.districts: expected a mapping of taken, handed_over, source"),
        ({"taken": "jabrayil", "source": "s"}, "e.yaml.districts.taken: expected a list of sector names"),
        ({"taken": ["a"], "handed_over": ["a"], "source": "s"}, "'a' is both taken and handed over"),
        ({"taken": ["a"]}, "e.yaml.districts.source: missing"),
        ({"taken": ["a"], "lost": ["b"], "source": "s"}, "districts.lost: unknown key; allowed taken"),
    ],
)
def test_a_bad_district_record_is_one_line_naming_the_key(districts, message):
    with pytest.raises(BacktestError, match=message) as err:
        parse_episode({"episode": "e", "scenario": "s", "targets": [_TARGET], "districts": districts}, "e.yaml")
    assert "\n" not in str(err.value)


def test_the_2020_record_names_districts_of_the_theatre(baseline_cfg):
    record = episodes()["war_2020"].districts
    sectors = set(baseline_cfg.theatre.sectors)
    assert set(record.taken) | set(record.handed_over) <= sectors
    assert {"jabrayil", "shusha"} <= set(record.taken) and "lachin" in record.handed_over
    assert "stepanakert" not in set(record.taken) | set(record.handed_over)


# --- the shipped configuration ------------------------------------------------------------------
def test_day_one_does_not_depend_on_the_horizon(baseline_cfg):
    short = run_ensemble(load_config("baseline_2020", overrides=["scenario.horizon_days=1"]), n=5, seed=3)
    full = run_ensemble(load_config("baseline_2020", overrides=["scenario.horizon_days=5"]), n=5, seed=3)
    day1 = full.daily[full.daily["day"] == 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(short.daily.reset_index(drop=True), day1)


def test_shipped_episodes_cover_the_four_episodes():
    eps = episodes()
    assert set(eps) == {"day_one_2020", "april_2016", "july_2020", "war_2020"}
    for ep in eps.values():
        assert any(t.claimed for t in ep.targets) and all(t.source for t in ep.targets)
    fits = [t for ep in episodes().values() for t in ep.targets if t.use == "fit"]
    checks = [t for ep in episodes().values() for t in ep.targets if t.use == "check"]
    assert fits and len(checks) > len(fits)  # most of the record is held out to check the fit


@pytest.mark.exhaustive  # make test-quick: the whole war; make test: every episode
@pytest.mark.parametrize("name", ["war_2020", "day_one_2020", "april_2016", "july_2020"])
def test_shipped_configuration_passes_its_claimed_targets(name):
    """n=100 on a seed other than the documented run's: the claims must not hang on one seed."""
    ep = episodes()[name]
    res = run_ensemble(load_config(ep.scenario, overrides=list(ep.overrides)), n=100, seed=11)
    table = backtest(ep, res.runs, res.daily)
    assert claimed_failures(table) == []


# --- the command line ----------------------------------------------------------------------------
def test_cli_writes_table_and_figure(tmp_path, capsys):
    out = tmp_path / "bt"
    code = cli.main(["n=8", "seed=2", "episodes=[july_2020]", f"out={out}"])
    assert code in (0, 1)
    table = pd.read_csv(out / "backtest.csv")
    assert set(table["target"]) == {t.name for t in episodes()["july_2020"].targets}
    assert (out / "backtest.png").stat().st_size > 10_000 and (out / "backtest.md").exists()
    assert "inside tolerance" in capsys.readouterr().out


@pytest.mark.exhaustive
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["n=0"], "backtest error: n: 0 is out of range; allowed [1, 100000] runs per episode"),
        (["n=1000000000"], "backtest error: n: 1000000000 is out of range; allowed [1, 100000] runs per episode"),
        (["executor=gpu"], "backtest error: executor: 'gpu' is not allowed"),
        (["episodes=[may_1994]"], "backtest error: episodes: 'may_1994' is unknown"),
        (
            ["episodes=may_1994"],
            "backtest error: episodes: 'may_1994' is not allowed; expected a list, e.g. episodes=[may_1994]",
        ),
        (["overrides=[scenario.horizon_days=soon]"], "backtest error: overrides: scenario.horizon_days:"),
        (["overrides_file=/nonexistent/o.txt"], "backtest error: overrides_file: /nonexistent/o.txt cannot be read"),
        (["-m", "seed=1,-2"], "backtest error: seed: -2 is out of range"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "bt"
    assert cli.main([*args, f"out={out}"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_the_figure_tells_a_median_inside_from_a_range_that_only_meets_the_record():
    """An overlap target passes when the runs' 5-95% range meets the record; the figure marks apart
    the ones whose median lies outside it, says how many runs fall inside, and keeps counts whole."""
    import matplotlib.pyplot as plt

    from sim.plots.backtest import INSIDE, NEAR, OUTSIDE, backtest_figure, verdict_of

    def row(median, passes=True, rule="overlap", lo=80.0, hi=100.0):
        return pd.Series(
            {
                "episode": "e", "target": f"t{median}", "label": "Deaths", "unit": "deaths", "observed_lo": lo,
                "observed_hi": hi, "model_median": median, "model_p5": median - 50, "model_p95": median + 50,
                "share_inside": 0.04, "share_ci_lo": 0.02, "share_ci_hi": 0.07, "runs": 200, "rule": rule,
                "claimed": True, "use": "check", "passes": passes,
            }
        )  # fmt: skip

    assert verdict_of(row(90.0))[0] == INSIDE
    assert verdict_of(row(40.0))[0] == NEAR  # 5-95% is -10..90: it meets 80-100, the median does not
    assert verdict_of(row(200.0, passes=False))[0] == OUTSIDE
    assert verdict_of(row(40.0, rule="median_inside", passes=False))[0] == OUTSIDE
    assert verdict_of(row(500.0, hi=float("nan")))[0] == INSIDE  # an open-ended record (at least 80)
    fig = backtest_figure(pd.DataFrame([row(90.0), row(40.0), row(500.0, hi=float("nan"))]), 200, 1)
    try:
        titles = [ax.get_title() for ax in fig.axes]
        assert "runs inside 4%" in titles[0] and "median outside" in titles[1]
        texts = [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes for t in ax.texts]
        assert any("record \u2265 80" in t for t in texts), texts
        assert any(t.startswith("Claimed:") for t in texts)
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert "range meets the record, median outside" in legend
        fig.canvas.draw()
        ticks = [
            float(t.get_text().replace(",", "").replace("\u2212", "-"))
            for t in fig.axes[0].get_xticklabels()
            if t.get_text()
        ]
        assert ticks and all(x == int(x) for x in ticks)
    finally:
        plt.close(fig)


def test_episodes_are_parsed_once_and_again_when_a_file_changes(tmp_path):
    import shutil

    from sim.analysis.validation import BACKTEST_DIR

    shutil.copy(BACKTEST_DIR / "july_2020.yaml", tmp_path / "july_2020.yaml")
    first = episodes(tmp_path)
    assert episodes(tmp_path)["july_2020"] is first["july_2020"]  # the same parse, not read again
    path = tmp_path / "july_2020.yaml"
    path.write_text(path.read_text().replace('description: "', 'description: "edited: ', 1))
    assert episodes(tmp_path)["july_2020"].description.startswith("edited: ")
    (tmp_path / "broken.yaml").write_text("episode: [")
    with pytest.raises(BacktestError, match="broken.yaml: malformed YAML"):
        episodes(tmp_path)
