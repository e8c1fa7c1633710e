"""Which figures a report draws: per point, or saying plainly that they compare.

One ensemble gets the full set of figures, each titled with its scenario. A
table of several scenarios or grid points gets one comparison figure (and the
grid's heatmap or response curves), each titled as a comparison, and the full
set per point while the points are few (PER_POINT_MAX), each titled with its
point; pooling the runs of different settings into one histogram would show a
war that no setting produces. A sampled design gets its per-parameter outcome
plots and the ranking (sim.plots.design), never a grid heatmap.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from sim import plots
from sim.analysis.design_effects import design_points, ranking
from sim.analysis.points import POINT, Points, point_labels, points_of, short_name
from sim.analysis.record import districts_of, ratios_of, record_of
from sim.outputs import SENSITIVITY_OUTCOMES, Measure
from sim.plots.design import design_outcomes, design_ranking
from sim.plots.response import DERIVED

#: Up to this many points, a comparison report also draws each point's own figures.
PER_POINT_MAX = 4

Figure = tuple[str, str, Callable[[], Any], Callable[[], pd.DataFrame]]


def slug(label: str) -> str:
    """A file-name part for a point's label: 'turkey resolve 0.5' -> 'turkey_resolve_0.5'."""
    return re.sub(r"[^A-Za-z0-9.]+", "_", label).strip("_")


def _plain_scenario(runs: pd.DataFrame) -> str | None:
    """The scenario of runs of one scenario run as it is (no parameter set), else None."""
    plain = "scenario" in runs and runs["scenario"].nunique() == 1 and not any("." in c for c in runs.columns)
    return str(runs["scenario"].iloc[0]) if plain else None


def record_for(runs: pd.DataFrame) -> dict:
    """The record of the episode these runs model: only for one scenario run as it is (no parameter set)."""
    scenario = _plain_scenario(runs)
    return record_of(scenario) if scenario else {}


def districts_for(runs: pd.DataFrame):
    """Which districts changed hands in the episode these runs model (as record_for), or None."""
    scenario = _plain_scenario(runs)
    return districts_of(scenario) if scenario else None


def ensemble_figures(runs, daily, config, name: str, suffix: str = "", total_daily=None) -> list[Figure]:
    """Every figure of one setting's runs, each titled with `name` (its scenario or point).

    total_daily: the daily table of the job's companion ensemble (parameters drawn), for the fan chart.
    """
    record = record_for(runs)
    n = len(runs)
    out: list[Figure] = []
    if daily is not None and len(daily):
        out.append(
            (
                f"escalation_fan{suffix}",
                f"{name}: the escalation rung over the days of the war: median run and the bands that hold 50% "
                "and 90% of runs.",
                lambda: plots.fan_chart(
                    daily, title=f"{name}: escalation over time, rung by day ({n} runs)", total=total_daily
                ),
                lambda: plots.rung_quantiles(daily),
            )
        )
        out.append(
            (
                f"rung_probability_by_day{suffix}",
                f"{name}: share of runs on each rung on each day of the war.",
                lambda: plots.rung_probability_by_day(daily, title=f"{name}: each rung's share by day ({n} runs)"),
                lambda: plots.rung_probability_table(daily),
            )
        )
    out.append(
        (
            f"max_rung{suffix}",
            f"{name}: how far the war escalates, the highest rung of each run.",
            lambda: plots.max_rung_bars(runs, title=f"{name}: how far the war escalates ({n} runs)"),
            lambda: plots.max_rung_table(runs),
        )
    )
    out.append(
        (
            f"endings{suffix}",
            f"{name}: how the war ends and who brokered the end.",
            lambda: plots.end_shares(runs, title=f"{name}: how the wars end ({n} runs)"),
            lambda: pd.concat(
                [plots.end_type_table(runs).assign(kind="end type"), plots.broker_table(runs).assign(kind="broker")]
            ),
        )
    )
    out.append(
        (
            f"duration{suffix}",
            f"{name}: how long the war lasts"
            + (", with the recorded duration." if ("duration_days",) in record else "."),
            lambda: plots.duration(
                runs, title=f"{name}: how long the war lasts ({n} runs)", record=record.get(("duration_days",))
            ),
            lambda: plots.duration_table(runs),
        )
    )
    out.append(
        (
            f"casualties{suffix}",
            f"{name}: military and civilian deaths by side" + (", with the recorded figures." if record else "."),
            lambda: plots.casualty_ranges(runs, title=f"{name}: deaths by side ({n} runs)", record=record),
            lambda: plots.casualty_table(runs),
        )
    )
    out.append(
        (
            f"territory{suffix}",
            f"{name}: how much ground changed hands in the fighting"
            + (", with the recorded figure." if ("territory_change_km2",) in record else "."),
            lambda: plots.territory(
                runs, title=f"{name}: ground changing hands ({n} runs)", record=record.get(("territory_change_km2",))
            ),
            lambda: plots.territory_table(runs),
        )
    )
    districts = districts_for(runs)
    out.append(
        (
            f"sector_control{suffix}",
            f"{name}: which districts changed hands, on a map of the theatre"
            + (", with those the record says were taken." if districts else "."),
            lambda: plots.sector_control_map(
                runs, config, title=f"{name}: which districts changed hands ({n} runs)", record=districts
            ),
            lambda: plots.sector_table(runs, config, districts),
        )
    )
    return out


def _daily_of(daily: pd.DataFrame | None, labelled: pd.DataFrame, label: str) -> pd.DataFrame | None:
    """The daily rows of one point's runs, or None when the daily table cannot tell the points apart.

    Runs and days are matched on the keys both tables carry (scenario, point_id, replicate); a daily
    table without the scenario column cannot separate two scenarios' replicate 0, so it is left out
    rather than mixed.
    """
    if daily is None:
        return None
    keys = [k for k in ("scenario", "point_id", "replicate") if k in daily and k in labelled]
    if not keys or labelled.groupby(keys)[POINT].nunique().max() > 1:
        return None
    one = labelled.loc[labelled[POINT] == label, keys].drop_duplicates()
    return daily.merge(one, on=keys, how="inner")


def grid_figures(runs, daily, config, pts: Points, sweep, k_sweep: int, base: Any = None) -> list[Figure]:
    """A comparison of scenarios or grid points, then each point's own figures while they are few."""
    labelled = runs.assign(**{POINT: point_labels(runs, pts)})
    what, kind = ("Scenarios", "scenarios") if pts.varying == () else ("Grid points", "points")
    n_pts = labelled[POINT].nunique()
    one = "scenario" in runs and not pts.scenarios_vary  # points of one scenario: its record beside them
    recorded = record_of(str(runs["scenario"].iloc[0])) if one else {}
    out: list[Figure] = [
        (
            "comparison",
            f"{what} compared: escalation risk, duration and deaths of each, with 95% intervals.",
            lambda: plots.compare_scenarios(
                labelled, by=POINT, title=f"{what} compared ({n_pts} {kind}, {len(runs)} runs)", record=recorded
            ),
            lambda: plots.comparison_table(labelled, by=POINT),
        )
    ]
    if sweep is not None and not pts.scenarios_vary:
        x, y = sweep
        out.append(
            (
                f"sweep_rung_{k_sweep}",
                f"P(highest rung >= {k_sweep}) compared across the grid of {short_name(x)} and {short_name(y)}.",
                lambda: plots.sweep_heatmap(
                    runs,
                    x,
                    y,
                    k=k_sweep,
                    xlabel=short_name(x),
                    ylabel=short_name(y),
                    title=f"P(highest rung >= {k_sweep}) compared across the grid",
                ),
                lambda: plots.sweep_table(runs, x, y, k=k_sweep),
            )
        )
    if len(pts.varying) == 1 and not pts.scenarios_vary:
        x = pts.varying[0]
        derived = ("exchange_ratio",)  # from the deaths columns
        shown = [o for o in ("territory_change_km2", "exchange_ratio", "duration_days") if o in derived or o in runs]
        scenario = str(runs["scenario"].iloc[0]) if "scenario" in runs else None
        rec = _response_record(scenario, shown)
        shipped, x_unit = _shipped(scenario, x, base)
        xlabel = f"{short_name(x)} ({x_unit})" if x_unit else short_name(x)
        out.append(
            (
                "response",
                f"How the war responds to {short_name(x)}, value by value: medians with Monte Carlo intervals"
                + (", beside the record." if rec else "."),
                lambda: plots.response_curves(
                    runs,
                    x,
                    shown,
                    xlabel=xlabel,
                    title=f"How the war responds to {short_name(x)}, value by value",
                    record=rec,
                    shipped=shipped,
                ),
                lambda: plots.response_table(runs, x, shown),
            )
        )
    if n_pts <= PER_POINT_MAX:
        for label, g in labelled.groupby(POINT, sort=False):
            one = g.drop(columns=POINT)
            days = _daily_of(daily, labelled, str(label))
            out += ensemble_figures(one, days, config, str(label), suffix=f"_{slug(str(label))}")
    return out


def _response_record(scenario: str | None, outcomes: list[str]) -> dict:
    """The recorded figure of each outcome of a one-parameter sweep of a scenario, where its episode has one:
    beside the response, it shows which values of the parameter give the war that was fought."""
    if scenario is None:
        return {}
    plain, ratios = record_of(scenario), ratios_of(scenario)
    found = {o: ratios.get(DERIVED[o]) if o in DERIVED else plain.get((o,)) for o in outcomes}
    return {o: r for o, r in found.items() if r is not None}


def _shipped(scenario: str | None, key: str, base: Any = None) -> tuple[float | None, str]:
    """The scenario's own value of a swept key and the parameter's unit: from the sweep's base config, else
    as the scenario ships it ((None, '') when there is none, it is not a number, or the scenario cannot be
    composed here)."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from sim.config.loading import load_config
    from sim.config.schema import ConfigError

    if base is None and scenario is None:
        return None, ""
    try:
        cfg = base if base is not None else load_config(scenario)
        value = OmegaConf.select(cfg, key)
        unit = OmegaConf.select(cfg, key.removesuffix(".value") + ".unit") if key.endswith(".value") else None
    except (ConfigError, OmegaConfBaseException):  # composing is refused inside a Hydra application
        return None, ""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return (float(value) if number else None), (str(unit) if isinstance(unit, str) else "")


def design_ranks(runs: pd.DataFrame, pts: Points) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The design's points with their outcomes, and each outcome's ranking of the parameters."""
    points = design_points(runs, list(pts.varying))
    return points, [ranking(points, list(pts.varying), m) for m in SENSITIVITY_OUTCOMES]


def design_figures(points: pd.DataFrame, ranks: list[pd.DataFrame], pts: Points) -> list[Figure]:
    """The ranking of the design's parameters and, per outcome, the outcome against each parameter."""
    params = list(pts.varying)
    measures = list(SENSITIVITY_OUTCOMES)
    out: list[Figure] = [
        (
            "design_ranking",
            "The design's parameters ranked by their rank correlation with each outcome across the sampled points.",
            lambda: design_ranking(ranks, measures),
            lambda: pd.concat(ranks, ignore_index=True),
        )
    ]
    return out + [_design_outcome(points, params, m, r) for m, r in zip(measures, ranks, strict=True)]


def _design_outcome(points: pd.DataFrame, params: list[str], m: Measure, ranks: pd.DataFrame) -> Figure:
    return (
        f"design_{m.name}",
        f"{m.description} Each sampled point against each parameter, with the partial dependence.",
        lambda: design_outcomes(points, ranks, m),
        lambda: points[[*params, "runs", m.name]],
    )


def figures(runs, daily, config, sweep, k_sweep: int, design=None, total_daily=None, base=None) -> list[Figure]:
    """(file stem, caption, figure, table) for every figure the tables allow.

    design: a design's (points, ranks) from design_ranks, when the caller has them already;
    base: a sweep's config before its swept values (write_report).
    """
    pts = points_of(runs)
    if pts.kind == "design":
        points, ranks = design if design is not None else design_ranks(runs, pts)
        return design_figures(points, ranks, pts)
    if pts.kind == "grid":
        return grid_figures(runs, daily, config, pts, sweep, k_sweep, base)
    return ensemble_figures(runs, daily, config, str(point_labels(runs, pts).iloc[0]), total_daily=total_daily)
