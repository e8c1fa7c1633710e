"""How far and how fast the war escalates: rung over days, rung shares, highest rung.

A run that has ended (a holding ceasefire, a lull, a capitulation) has no more
days in the daily table. The fan chart counts it as rung 0 (a frozen conflict
again) so that every day averages over all runs; the stacked areas show it as
its own "war over" band instead, so nothing is hidden.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.stats import CONFIDENCE, wilson
from sim.plots.common import (
    INTERVAL_NOTE,
    RUNGS,
    footnote,
    new_figure,
    require,
    run_keys,
    rung_colours,
    rung_label,
)

ENDED = "war over"


def rung_matrix(daily: pd.DataFrame) -> pd.DataFrame:
    """Rung of each run (rows) on each day (columns 1..last day); NaN once a run has ended."""
    require(daily, ["replicate", "day", "rung"], "daily")
    m = daily.pivot_table(index=run_keys(daily), columns="day", values="rung", aggfunc="first")
    days = np.arange(1, int(daily["day"].max()) + 1)
    return m.reindex(columns=days)


def rung_quantiles(daily: pd.DataFrame, qs=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Quantiles of the rung across runs by day (ended runs count as rung 0).

    Rungs are ordinal, so quantiles are actual rungs (inverted CDF), never 2.5.
    """
    m = rung_matrix(daily).fillna(0).to_numpy()
    out = pd.DataFrame({f"q{round(q * 100):02d}": np.quantile(m, q, axis=0, method="inverted_cdf") for q in qs})
    out.insert(0, "day", np.arange(1, m.shape[1] + 1))
    out["n"] = m.shape[0]
    return out


def fan_chart(daily: pd.DataFrame, title: str | None = None):
    """Escalation fan chart: median rung by day with 50% and 90% bands across runs."""
    q = rung_quantiles(daily)
    n = int(q["n"].iloc[0])
    fig, ax = new_figure(size=(9, 5))
    ax.fill_between(
        q["day"],
        q["q05"],
        q["q95"],
        step="mid",
        color="#56B4E9",
        alpha=0.45,
        lw=0,
        label="90% of runs (5th-95th percentile)",
    )
    ax.fill_between(
        q["day"],
        q["q25"],
        q["q75"],
        step="mid",
        color="#0072B2",
        alpha=0.6,
        lw=0,
        label="50% of runs (25th-75th percentile)",
    )
    ax.plot(q["day"], q["q50"], drawstyle="steps-mid", color="black", lw=2, label="median run")
    ax.set_yticks([int(r) for r in RUNGS], [rung_label(r) for r in RUNGS], fontsize=8)
    ax.set_ylim(-0.3, len(RUNGS) - 0.7)
    ax.set_xlim(0.5, q["day"].max() + 0.5)
    ax.set_xlabel("day of the war (days since the first attack)")
    ax.set_ylabel("escalation rung")
    ax.grid(axis="y", color="0.9")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    ax.set_title(title or f"Escalation over time: rung by day across {n} runs")
    footnote(fig, f"N = {n} runs; a run that has ended counts as rung 0 (frozen conflict) from the day after its end.")
    return fig


def rung_probability_table(daily: pd.DataFrame) -> pd.DataFrame:
    """Tidy P(state on day d) for every rung and "war over", with Wilson intervals."""
    m = rung_matrix(daily)
    n = m.shape[0]
    rows = []
    for day in m.columns:
        col = m[day]
        counts: dict[int | str, int] = {int(r): int((col == int(r)).sum()) for r in RUNGS}
        counts[ENDED] = int(col.isna().sum())
        for state, k in counts.items():
            e = wilson(k, n)
            rows.append(
                {"day": int(day), "state": state, "count": k, "n": n, "p": e.value, "low": e.low, "high": e.high}
            )
    return pd.DataFrame(rows)


def rung_probability_by_day(daily: pd.DataFrame, title: str | None = None):
    """Stacked areas: the share of runs on each rung (or over) on each day."""
    t = rung_probability_table(daily)
    wide = t.pivot(index="day", columns="state", values="p")
    states = [int(r) for r in RUNGS] + [ENDED]
    wide = wide[states]
    n = int(t["n"].iloc[0])
    worst = float((t["high"] - t["low"]).max() / 2)
    fig, ax = new_figure(size=(10, 5.2))
    colours = rung_colours() + ["#DDDDDD"]
    labels = [rung_label(r) for r in RUNGS] + [f"{ENDED} (ended before this day)"]
    polys = ax.stackplot(
        wide.index,
        *[wide[s].to_numpy() for s in states],
        colors=colours,
        labels=labels,
        step="mid",
        edgecolor="white",
        linewidth=0.3,
    )
    polys[-1].set_hatch("//")
    ax.set_xlim(wide.index.min() - 0.5, wide.index.max() + 0.5)
    ax.set_ylim(0, 1)
    ax.set_xlabel("day of the war (days since the first attack)")
    ax.set_ylabel("share of runs (probability)")
    handles, leg = ax.get_legend_handles_labels()
    ax.legend(
        handles[::-1], leg[::-1], loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, title="state on the day"
    )
    ax.set_title(title or f"Probability of each escalation rung by day ({n} runs)")
    footnote(
        fig,
        f"N = {n} runs; every share on every day has a {CONFIDENCE:.0%} Wilson interval "
        f"no wider than +-{worst:.2f} (see rung_probability_table).",
    )
    return fig


def max_rung_table(runs: pd.DataFrame) -> pd.DataFrame:
    """P(highest rung = r) and P(highest rung >= r) for every rung, with Wilson intervals."""
    require(runs, ["max_rung"], "runs")
    x = runs["max_rung"].astype(int)
    rows = []
    for r in RUNGS:
        eq, ge = wilson(int((x == int(r)).sum()), len(x)), wilson(int((x >= int(r)).sum()), len(x))
        rows.append(
            {
                "rung": int(r),
                "label": r.label,
                "n": len(x),
                "p_eq": eq.value,
                "low_eq": eq.low,
                "high_eq": eq.high,
                "p_ge": ge.value,
                "low_ge": ge.low,
                "high_ge": ge.high,
            }
        )
    return pd.DataFrame(rows)


def max_rung_bars(runs: pd.DataFrame, title: str | None = None):
    """Highest rung reached: P(max = r) bars and P(max >= r) exceedance, with intervals."""
    t = max_rung_table(runs)
    n = int(t["n"].iloc[0])
    fig, (ax, bx) = new_figure(1, 2, size=(11, 5), sharey=True)
    colours = rung_colours()
    y = t["rung"].to_numpy()
    err = np.vstack([t["p_eq"] - t["low_eq"], t["high_eq"] - t["p_eq"]])
    ax.barh(y, t["p_eq"], color=colours, edgecolor="0.3", label="share of runs")
    ax.errorbar(t["p_eq"], y, xerr=err, fmt="none", ecolor="black", capsize=3, label="95% Wilson interval")
    ax.set_yticks(y, [rung_label(r, 24) for r in y], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("P(highest rung = r)")
    ax.set_title("Highest rung reached")
    ax.legend(loc="lower right", fontsize=8)
    err = np.vstack([t["p_ge"] - t["low_ge"], t["high_ge"] - t["p_ge"]])
    bx.errorbar(t["p_ge"], y, xerr=err, fmt="o", color="#0072B2", ecolor="#0072B2", capsize=3)
    bx.set_xlim(0, 1.02)
    bx.set_xlabel("P(highest rung >= r)")
    bx.set_title("Reaching at least rung r (with 95% Wilson interval)")
    bx.grid(axis="x", color="0.9")
    fig.suptitle(title or f"How far the war escalates ({n} runs)")
    footnote(fig, f"N = {n} runs. {INTERVAL_NOTE}.")
    return fig
