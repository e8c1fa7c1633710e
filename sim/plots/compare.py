"""Scenario comparison: the key outcomes of several scenarios side by side, each with its interval."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.stats import bootstrap, wilson
from sim.plots.casualties import CIVILIAN, MILITARY
from sim.plots.common import INTERVAL_NOTE, draw_record, footnote, new_figure, require

#: Rungs whose exceedance the comparison shows: general offensive, strikes on cities, Armenia proper, intervention.
COMPARE_RUNGS = (3, 4, 5, 6)


def comparison_table(runs: pd.DataFrame, by: str = "scenario", rungs=COMPARE_RUNGS) -> pd.DataFrame:
    """One row per scenario: P(max rung >= k) and P(ceasefire) with Wilson intervals,
    median duration and deaths with bootstrap intervals."""
    require(runs, [by, "max_rung", "duration_days", "end_type", *MILITARY, *CIVILIAN], "runs")
    rows = []
    for name, g in runs.groupby(by, sort=False):
        row = {by: name, "n": len(g)}
        for k in rungs:
            e = wilson(int((g["max_rung"] >= k).sum()), len(g))
            row.update({f"p_rung_ge_{k}": e.value, f"p_rung_ge_{k}_low": e.low, f"p_rung_ge_{k}_high": e.high})
        e = wilson(int((g["end_type"] == "ceasefire").sum()), len(g))
        row.update({"p_ceasefire": e.value, "p_ceasefire_low": e.low, "p_ceasefire_high": e.high})
        for col, values in (
            ("duration_days", g["duration_days"]),
            ("military_deaths", g[list(MILITARY)].sum(axis=1)),
            ("civilian_deaths", g[list(CIVILIAN)].sum(axis=1)),
        ):
            b = bootstrap(values, np.median)
            row.update({f"median_{col}": b.value, f"median_{col}_low": b.low, f"median_{col}_high": b.high})
        rows.append(row)
    return pd.DataFrame(rows)


def _points(ax, y, value, low, high, marker="o", **kw):
    ax.errorbar(value, y, xerr=np.vstack([value - low, high - value]), fmt=marker, capsize=3, **kw)


def _total(record: dict, *keys: tuple[str, ...]) -> tuple[float, float] | None:
    """The recorded range of a sum of recorded figures (each side's dead, say), or None if one is missing."""
    if not all(k in record for k in keys):
        return None
    return sum(record[k].low for k in keys), sum(record[k].high for k in keys)


def _draw_total(ax, span: tuple[float, float] | None, label: str | None = None) -> None:
    """A summed record across the panel (a range under a tenth of its low end as a line: on the log axis
    such a band would not show)."""
    if span is not None:
        draw_record(ax, span[0], span[1], label, narrow=0.1 * span[0])


def compare_scenarios(
    runs: pd.DataFrame, by: str = "scenario", rungs=COMPARE_RUNGS, title: str | None = None, record: dict | None = None
):
    """Escalation risk, duration and deaths of each scenario, side by side, with intervals.

    record: the recorded figures of the episode the compared points model (sim.analysis.record.record_of,
    for points of one scenario): the war's length and each kind of death summed over the sides, in grey.
    """
    record = record or {}
    t = comparison_table(runs, by, rungs)
    y = np.arange(len(t))[::-1].astype(float)
    fig, axes = new_figure(1, 3, size=(13, max(3.6, 1.8 + 0.7 * len(t))), sharey=True, width_ratios=[1.6, 1, 1])
    ax = axes[0]
    colours, markers = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"], "osD^vP"
    offsets = np.linspace(0.25, -0.25, len(rungs)) if len(rungs) > 1 else [0.0]
    for i, (k, dy) in enumerate(zip(rungs, offsets, strict=True)):
        _points(
            ax,
            y + dy,
            t[f"p_rung_ge_{k}"],
            t[f"p_rung_ge_{k}_low"],
            t[f"p_rung_ge_{k}_high"],
            marker=markers[i % 6],
            color=colours[i % 6],
            ms=5,
            label=f"rung >= {k}",
        )
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("P(highest rung >= k)")
    ax.set_title("Escalation risk")
    ax.legend(
        fontsize=9,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18 if len(t) > 3 else -0.3),
        ncols=len(rungs),
        frameon=False,
    )
    _points(
        axes[1],
        y,
        t["median_duration_days"],
        t["median_duration_days_low"],
        t["median_duration_days_high"],
        color="#0072B2",
    )
    _draw_total(axes[1], _total(record, ("duration_days",)))
    axes[1].set_xlabel("median duration (days)")
    axes[1].set_title("Duration")
    axes[1].set_xlim(left=0)
    _points(
        axes[2],
        y,
        t["median_military_deaths"],
        t["median_military_deaths_low"],
        t["median_military_deaths_high"],
        color="#D55E00",
        label="military (all sides)",
    )
    _points(
        axes[2],
        y - 0.2,
        t["median_civilian_deaths"],
        t["median_civilian_deaths_low"],
        t["median_civilian_deaths_high"],
        color="#009E73",
        marker="s",
        label="civilian (all sides)",
    )
    military = _total(record, ("military_deaths_azerbaijan",), ("military_deaths_armenia", "military_deaths_artsakh"))
    civilian = _total(record, ("civilian_deaths_azerbaijan",), ("civilian_deaths_armenian_side",))
    _draw_total(axes[2], military, "the record")
    _draw_total(axes[2], civilian, None if military else "the record")
    axes[2].set_xscale("symlog", linthresh=10)
    axes[2].set_xlim(left=0)
    axes[2].set_xlabel("median deaths per war (people, log scale)")
    axes[2].set_title("Deaths")
    axes[2].legend(
        fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.18 if len(t) > 3 else -0.3), ncols=2, frameon=False
    )
    ax.set_yticks(y, [f"{s}\n(n={n})" for s, n in zip(t[by], t["n"], strict=True)], fontsize=9)
    for a in axes:
        a.grid(axis="x", color="0.92")
    fig.suptitle(title or f"Scenarios compared ({len(t)} scenarios, {len(runs)} runs)")
    note = INTERVAL_NOTE + "; medians of duration and deaths with bootstrap intervals."
    if record:
        note += " Purple: the record of the episode the scenario models (conf/backtest), deaths summed over the sides."
    footnote(fig, note)
    return fig
