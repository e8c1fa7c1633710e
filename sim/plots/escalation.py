"""How far and how fast the war escalates: rung over days, rung shares, highest rung.

A run that has ended (a holding ceasefire, a lull, a capitulation) has no more
days in the daily table. Every figure here treats it the same way: the war is
over, a state of its own, never rung 0. The fan chart shows the rungs of the
runs still running with the share still running beneath; the stacked areas show
"war over" as its own band.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from sim.analysis.stats import CONFIDENCE, wilson
from sim.plots.common import (
    RUNGS,
    footnote,
    new_figure,
    require,
    run_keys,
    rung_colours,
    rung_label,
)

ENDED = "war over"
#: The companion ensemble with drawn parameters (Okabe-Ito vermillion).
TOTAL_COLOUR = "#D55E00"
#: The fan chart draws a day's bands only while at least this many runs are still at war.
MIN_RUNS_AT_WAR = 5


def rung_matrix(daily: pd.DataFrame) -> pd.DataFrame:
    """Rung of each run (rows) on each day (columns 1..last day); NaN once a run has ended."""
    require(daily, ["replicate", "day", "rung"], "daily")
    m = daily.pivot_table(index=run_keys(daily), columns="day", values="rung", aggfunc="first")
    days = np.arange(1, int(daily["day"].max()) + 1)
    return m.reindex(columns=days)


def rung_quantiles(daily: pd.DataFrame, qs=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Quantiles of the rung by day across the runs still at war that day, and how many are.

    A run that has ended is "war over" (as in rung_probability_table), not rung 0: counting it
    as a frozen conflict would pull the median down before the median war has ended. Rungs are
    ordinal, so quantiles are actual rungs (inverted CDF), never 2.5; a day with no run at war
    has NaN quantiles. at_war/low/high: the share of runs still at war with its Wilson interval.
    """
    m = rung_matrix(daily).to_numpy(dtype=float)
    n = m.shape[0]
    rows = []
    for j in range(m.shape[1]):
        col = m[:, j][~np.isnan(m[:, j])]
        row = {f"q{round(q * 100):02d}": np.quantile(col, q, method="inverted_cdf") if col.size else np.nan for q in qs}
        e = wilson(col.size, n)
        rows.append(
            {"day": j + 1, **row, "runs_at_war": col.size, "n": n, "at_war": e.value, "low": e.low, "high": e.high}
        )
    return pd.DataFrame(rows)


def _stairs(days: pd.DataFrame, col: str) -> np.ndarray:
    """One value per day, the last repeated for the right edge of a step drawn on day edges."""
    return np.r_[days[col].to_numpy(), days[col].iloc[-1]] if len(days) else np.array([])


def fan_chart(
    daily: pd.DataFrame, title: str | None = None, min_runs: int = MIN_RUNS_AT_WAR, total: pd.DataFrame | None = None
):
    """Escalation fan chart over the runs still at war, and below it the share of runs still at war.

    The bands stop on the last day with at least `min_runs` runs at war: fewer make no fan.
    total: the daily table of a companion ensemble whose runs draw the uncertain parameters
    (sim.analysis.intervals); its 90% band and share still running are drawn as dashed lines
    over the filled bands of chance alone, so both intervals are read on one chart.
    """
    q = rung_quantiles(daily)
    n = int(q["n"].iloc[0])
    fig, (ax, bx) = new_figure(2, 1, size=(9, 6.4), sharex=True, height_ratios=[3, 1.2])
    shown = q[q["runs_at_war"] >= min(min_runs, n)]
    # Steps drawn on day edges (day d spans d-0.5..d+0.5) so that the bands join without white gaps.
    edges = np.r_[shown["day"].to_numpy() - 0.5, shown["day"].iloc[-1] + 0.5] if len(shown) else np.array([])

    # Rungs are rows: a band covers the rows of its rungs (+-0.45), so a day where every run sits on
    # one rung still shows its band instead of a white gap.
    for lo, hi, pad, colour, alpha, label in (
        ("q05", "q95", 0.45, "#56B4E9", 0.5, "90% of runs still running (5th-95th pct.)"),
        ("q25", "q75", 0.3, "#0072B2", 0.6, "50% of runs still running (25th-75th pct.)"),
    ):
        low, high = _stairs(shown, lo) - pad, _stairs(shown, hi) + pad
        ax.fill_between(edges, low, high, step="post", color=colour, alpha=alpha, lw=0, label=label)
    ax.step(edges, _stairs(shown, "q50"), where="post", color="black", lw=2, label="median run still running")
    qt = rung_quantiles(total) if total is not None and len(total) else None
    if qt is not None:
        st = qt[qt["runs_at_war"] >= min(min_runs, int(qt["n"].iloc[0]))]
        et = np.r_[st["day"].to_numpy() - 0.5, st["day"].iloc[-1] + 0.5] if len(st) else np.array([])
        for col, pad, label in (("q05", -0.45, "90% of runs, parameters drawn too"), ("q95", 0.45, "_nolegend_")):
            ax.step(et, _stairs(st, col) + pad, where="post", color=TOTAL_COLOUR, ls="--", lw=1.6, label=label)
    ax.set_yticks([int(r) for r in RUNGS], [rung_label(r) for r in RUNGS], fontsize=9)
    ax.set_ylim(-0.5, len(RUNGS) - 0.5)
    ax.set_ylabel("escalation rung")
    ax.grid(axis="y", color="0.9")
    ax.legend(loc="upper right", fontsize=9, framealpha=0.9)
    ax.set_title(title or f"Escalation over time: rung by day across {n} runs")
    bx.fill_between(q["day"], q["low"], q["high"], step="mid", color="0.75", lw=0, label="95% Wilson interval")
    bx.step(q["day"], q["at_war"], where="mid", color="black", lw=1.6, label="share of runs still running")
    if qt is not None:  # its own Wilson band too: the two curves' gap is read against both
        bx.fill_between(qt["day"], qt["low"], qt["high"], step="mid", color=TOTAL_COLOUR, alpha=0.18, lw=0)
        label = "with parameter uncertainty (parameters drawn)"
        bx.step(qt["day"], qt["at_war"], where="mid", color=TOTAL_COLOUR, ls="--", lw=1.6, label=label)
    bx.set_ylim(0, 1.02)
    bx.set_xlim(0.5, q["day"].max() + 0.5)
    bx.set_ylabel("still running", fontsize=9)
    bx.xaxis.set_major_locator(MaxNLocator(integer=True))
    bx.set_xlabel("day of the war (days since the first attack)")
    bx.legend(loc="lower left", fontsize=9, framealpha=0.9)  # early days: every run still running, nothing drawn there
    bx.grid(color="0.92")
    both = " Filled: chance alone; dashed: parameters drawn too." if qt is not None else ""
    footnote(
        fig,
        f"N = {n} runs. An ended run is over, not rung 0; bands stop below {min(min_runs, n)} runs still running."
        + both
        + " A run goes on under a ceasefire until it has held.",
    )
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
        handles[::-1], leg[::-1], loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9, title="state on the day"
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
    """Highest rung reached: P(max = r) bars and P(max >= r) exceedance, with intervals.

    Rungs below the lowest highest-rung of any run (a war opens at its opening operation's rung, so
    lower rungs are rarely anyone's highest) are left out of the panels, as the footnote says; the
    table keeps every rung.
    """
    t = max_rung_table(runs)
    n = int(t["n"].iloc[0])
    lowest = int(runs["max_rung"].min())
    t = t[t["rung"] >= lowest]
    fig, (ax, bx) = new_figure(1, 2, size=(11, 1.8 + 0.55 * len(t)), sharey=True)
    colours = rung_colours()[lowest:]
    y = t["rung"].to_numpy()
    err = np.vstack([t["p_eq"] - t["low_eq"], t["high_eq"] - t["p_eq"]])
    ax.barh(y, t["p_eq"], color=colours, edgecolor="0.3")  # each rung its colour, as on every rung figure
    ax.errorbar(t["p_eq"], y, xerr=err, fmt="none", ecolor="black", capsize=3, label="95% Wilson interval")
    for yi, p, hi in zip(y, t["p_eq"], t["high_eq"], strict=True):  # past the interval: nothing covers it
        ax.text(hi + 0.02, yi, f"{p:.0%}", fontsize=9, va="center")
    ax.set_yticks(y, [rung_label(r, 24) for r in y], fontsize=9)
    ax.set_ylim(y.min() - 0.6, y.max() + 0.6)
    ax.set_xlim(0, 1.12)  # room for a label beside a share near 1
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.set_xlabel("P(highest rung = r)")
    ax.set_title("Highest rung reached")
    ax.legend(loc="upper right", fontsize=9)  # the top rungs, rarely reached, leave room there
    err = np.vstack([t["p_ge"] - t["low_ge"], t["high_ge"] - t["p_ge"]])
    bx.errorbar(t["p_ge"], y, xerr=err, fmt="o", color="#0072B2", ecolor="#0072B2", capsize=3)
    bx.set_xlim(-0.03, 1.05)  # a share of 0 or 1 shows its whole marker
    bx.set_xlabel("P(highest rung >= r)")
    bx.set_title("Reaching at least rung r (with 95% Wilson interval)")
    bx.grid(axis="x", color="0.9")
    fig.suptitle(title or f"How far the war escalates ({n} runs)")
    below = f" Rungs below {rung_label(lowest)} are left out: no run's highest rung was lower." if lowest > 0 else ""
    footnote(fig, f"N = {n} runs. Bars: 95% Monte Carlo intervals (Wilson) of each share.{below}")
    return fig
