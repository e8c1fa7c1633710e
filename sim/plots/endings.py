"""How wars end: by what (settlement, ceasefire, capitulation, lull, horizon), brokered by whom, after how long."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.stats import bootstrap, proportions, run_quantiles
from sim.outputs import WHO
from sim.plots.common import (
    INTERVAL_NOTE,
    OKABE_ITO,
    category_colours,
    counts_of_runs,
    draw_record,
    footnote,
    new_figure,
    require,
)

#: End types from the most to the least settled: an agreement on terms, a ceasefire, a collapse,
#: fighting that stopped without any, a war not over; others seen in a table follow.
END_TYPES = ["settlement", "ceasefire", "capitulation", "lull", "horizon"]
END_LABELS = {
    "settlement": "Negotiated settlement",
    "ceasefire": "Ceasefire that held",
    "capitulation": "Collapse of the defence",
    "lull": "Fighting died down (lull)",
    "horizon": "Still fighting at the horizon",
}

#: Okabe-Ito colours per end type; grey for "still fighting".
END_COLOURS = {
    "settlement": "#0072B2",
    "ceasefire": "#009E73",
    "capitulation": "#D55E00",
    "lull": "#56B4E9",
    "horizon": "#999999",
}


def _end_colours(types) -> dict:
    extra = category_colours([t for t in types if t not in END_COLOURS])
    return {**END_COLOURS, **extra}


def _ordered(values: pd.Series, first: list[str]) -> list[str]:
    seen = list(pd.Series(values).dropna().unique())
    return [v for v in first if v in seen] + sorted(v for v in seen if v not in first)


def end_type_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Share of runs by end type, with Wilson intervals (tidy): every end type, a zero share included,
    since "no run ended in a collapse (0%, at most 7%)" is a finding too."""
    require(runs, ["end_type"], "runs")
    seen = _ordered(runs["end_type"], END_TYPES)
    return proportions(runs["end_type"], END_TYPES + [e for e in seen if e not in END_TYPES])


def broker_label(name: str) -> str:
    """A broker as a reader names it: 'united_states' -> 'United States', 'none' -> 'No broker'."""
    return "No broker" if name == "none" else WHO.get(name, name.replace("_", " ").capitalize())


def broker_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Share of runs by the power that brokered the end, most frequent first ('none' last), with Wilson intervals."""
    require(runs, ["broker"], "runs")
    counts = runs["broker"].value_counts()
    cats = [c for c in counts.index if c != "none"] + (["none"] if "none" in counts.index else [])
    return proportions(runs["broker"], cats)


def _share_bars(ax, table: pd.DataFrame, labels, colours, title: str) -> None:
    y = np.arange(len(table))[::-1]
    err = np.vstack([table["p"] - table["low"], table["high"] - table["p"]])
    ax.barh(y, table["p"], color=colours, edgecolor="0.3")
    ax.errorbar(table["p"], y, xerr=err, fmt="none", ecolor="black", capsize=3)
    for yi, (hi, p, k) in zip(y, zip(table["high"], table["p"], table["count"], strict=True), strict=True):
        ax.text(hi + 0.02, yi, f"{p:.0%} ({k})", fontsize=8, va="center")  # past the interval: nothing covers it
    ax.set_yticks(y, labels, fontsize=9)
    ax.set_xlim(0, 1.16)  # room for a label beside a share near 1
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.set_xlabel("share of runs")
    ax.set_title(title)


def end_shares(runs: pd.DataFrame, title: str | None = None):
    """End type and broker shares side by side, each with 95% Wilson intervals."""
    ends, brokers = end_type_table(runs), broker_table(runs)
    n = len(runs)
    fig, (ax, bx) = new_figure(1, 2, size=(11, 4.6))
    colours = _end_colours(ends["category"])
    _share_bars(
        ax,
        ends,
        [END_LABELS.get(c, c) for c in ends["category"]],
        [colours[c] for c in ends["category"]],
        "How the war ends",
    )
    bcol = [OKABE_ITO[4] if c != "none" else "#BBBBBB" for c in brokers["category"]]
    _share_bars(
        bx,
        brokers,
        [broker_label(c) for c in brokers["category"]],
        bcol,
        "Who brokered the end (share of all runs)",
    )
    fig.suptitle(title or f"How wars end ({n} runs)")
    footnote(fig, f"N = {n} runs; labels: share (count). {INTERVAL_NOTE}.")
    return fig


def duration_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Median duration by end type and overall, with bootstrap intervals (days)."""
    require(runs, ["duration_days", "end_type"], "runs")
    rows = []
    for name, grp in [
        ("all runs", runs),
        *((e, runs[runs["end_type"] == e]) for e in _ordered(runs["end_type"], END_TYPES)),
    ]:
        e = bootstrap(grp["duration_days"], np.median)
        p5, p95 = run_quantiles(grp["duration_days"], (0.05, 0.95))
        rows.append(
            {
                "group": name,
                "n": e.n,
                "median_days": e.value,
                "low": e.low,
                "high": e.high,
                "p5": p5,
                "p95": p95,
            }
        )
    return pd.DataFrame(rows)


def duration(runs: pd.DataFrame, title: str | None = None, record: Any = None):
    """Distribution of war duration (days), stacked by end type, with the median and its interval.

    record: the recorded duration (sim.analysis.record.Recorded), drawn beside the model when given.
    """
    t = duration_table(runs)
    types = _ordered(runs["end_type"], END_TYPES)
    colours = _end_colours(types)
    d = runs["duration_days"].astype(float)
    bins = np.histogram_bin_edges(d, bins=min(30, max(5, int(d.max() - d.min()) + 1)))
    fig, ax = new_figure(size=(9, 4.8))
    ax.hist(
        [d[runs["end_type"] == e] for e in types],
        bins=bins,
        stacked=True,
        color=[colours[e] for e in types],
        label=[END_LABELS.get(e, e) for e in types],
        edgecolor="white",
        linewidth=0.4,
    )
    med = t.iloc[0]
    ax.axvspan(
        med["low"],
        med["high"],
        color="0.5",
        alpha=0.25,
        lw=0,
        zorder=0,  # behind the bars: the end types' colours stay as the legend gives them
        label=f"95% bootstrap interval of the median [{med['low']:.0f}, {med['high']:.0f}]",
    )
    ax.axvline(
        med["median_days"], color="black", lw=1.8, ls="--", label=f"median duration {med['median_days']:.0f} days"
    )
    if record is not None:
        point = " (the war itself)" if record.low == record.high else ""
        draw_record(ax, record.low, record.high, f"{record.text()} days{point}")
    ax.set_xlabel("duration of the war (days)")
    counts_of_runs(ax)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), framealpha=0.9)  # beside: no bar hidden
    ax.set_title(title or f"How long the war lasts ({len(runs)} runs)")
    footnote(
        fig,
        f"N = {len(runs)} runs; duration counts to the first day of a ceasefire that held, or to the end of the run.",
    )
    return fig
