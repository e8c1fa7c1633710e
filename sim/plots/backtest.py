"""The backtest figure: each target's observed range against the model's median and 5-95% range."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

#: Okabe-Ito colours: observed band; the model's median inside the record; its 5-95% range
#: overlapping the record with the median outside (passes an overlap rule, but only just);
#: a target outside tolerance.
BAND, INSIDE, NEAR, OUTSIDE = "#56B4E9", "#009E73", "#E69F00", "#D55E00"
#: Units whose values are whole numbers: their axes get whole-number ticks.
COUNTS = {"days", "deaths", "ceasefires", "km2", "people", "sectors", "sectors lost", "vehicles", "wounded"}
#: What the words in the panels' titles mean (the figure's footnote).
FOOTNOTE = (
    "Claimed: the shipped configuration is tested to meet the target. Fit: a calibration target; check: held out. "
    "Tolerance: the target's rule - overlap (the runs' 5-95% range meets the record), share_inside>=x (at least "
    "x of the runs inside the record) or median_inside. 'Runs inside': the share of runs inside the record."
)


def verdict_of(row: pd.Series) -> tuple[str, str, str]:
    """(colour, marker, words) of a target's verdict. A target that passes the overlap rule with the
    median outside the record is told apart: its range only meets the record."""
    if not bool(row["passes"]):
        return OUTSIDE, "X", "outside tolerance"
    lo, hi, median = row["observed_lo"], row["observed_hi"], row["model_median"]
    if row["rule"] == "overlap" and not ((np.isnan(lo) or median >= lo) and (np.isnan(hi) or median <= hi)):
        return NEAR, "D", "range meets the record, median outside"
    return INSIDE, "o", "inside tolerance"


def _unit(unit: str) -> str:
    return unit.replace("km2", "km\u00b2")


def _panel(ax, row: pd.Series) -> None:
    """One target: observed band, model median with 5-95% bar (or share with 95% CI)."""
    colour, marker, verdict = verdict_of(row)
    if row["rule"].startswith("share_inside"):
        need = float(row["rule"].split(">=")[1])
        ax.axvspan(need, 1.0, color=BAND, alpha=0.35, lw=0)
        ax.errorbar(
            [row["share_inside"]],
            [0],
            xerr=[[row["share_inside"] - row["share_ci_lo"]], [row["share_ci_hi"] - row["share_inside"]]],
            fmt=marker,
            color=colour,
            ms=8,
            capsize=4,
        )
        ax.set_xlim(-0.02, 1.02)
        what = "" if str(row["unit"]).startswith("1 = ") else " inside the record"  # an event's share, or a range's
        ax.set_xlabel(f"share of runs{what} (bar: 95% Wilson interval)")
        runs_inside = ""
    else:
        lo, hi = row["observed_lo"], row["observed_hi"]
        finite = [x for x in (lo, hi, row["model_p5"], row["model_p95"]) if not np.isnan(x)]
        left, right = min(finite), max(finite)
        pad = 0.08 * (right - left) or 1.0
        left, right = left - pad, right + pad
        band_lo = left if np.isnan(lo) else lo
        band_hi = right if np.isnan(hi) else hi
        if band_hi - band_lo < 0.01 * (right - left):
            ax.axvline(band_lo, color=BAND, lw=4, alpha=0.8)
        else:
            ax.axvspan(band_lo, band_hi, color=BAND, alpha=0.35, lw=0)
        if np.isnan(hi) != np.isnan(lo):  # an open-ended record: say which way it goes on
            bound, sign, toward = (lo, "\u2265", right) if np.isnan(hi) else (hi, "\u2264", left)
            ax.annotate(
                "",
                xy=(toward, 0.6),
                xytext=(bound, 0.6),
                arrowprops={"arrowstyle": "->", "color": BAND, "lw": 1.5},
            )
            ax.text(
                bound,
                0.75,
                f" record {sign} {bound:,.3g} ",
                fontsize=7,
                ha="left" if np.isnan(hi) else "right",
                va="bottom",
                color="#0072B2",
            )
        ax.errorbar(
            [row["model_median"]],
            [0],
            xerr=[[row["model_median"] - row["model_p5"]], [row["model_p95"] - row["model_median"]]],
            fmt=marker,
            color=colour,
            ms=8,
            capsize=4,
        )
        ax.set_xlim(left, right)
        # few enough ticks that 100,000-scale labels stay apart; whole numbers for counts
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=str(row["unit"]) in COUNTS))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.10g}"))
        ax.set_xlabel(_unit(str(row["unit"])))
        runs_inside = f"; runs inside {row['share_inside']:.0%}" if "share_inside" in row else ""
    claim = "claimed" if row["claimed"] else "not claimed"
    use = f"; {row['use']}" if "use" in row else ""
    ax.set_title(f"{textwrap.fill(row['label'], 38)}\n{verdict} ({claim}{use}{runs_inside})", fontsize=8)
    ax.set_yticks([])
    ax.set_ylim(-1, 1)


def backtest_figure(table: pd.DataFrame, n: int, seed: int, title: str | None = None):
    """A panel per target of the backtest table (sim.analysis.validation.backtest), episodes as rows."""
    groups = list(table.groupby("episode", sort=False))
    ncols = min(int(table.groupby("episode").size().max()), 4)
    nrows = sum(-(-len(g) // ncols) for _, g in groups)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.3 * nrows + 1.5), squeeze=False)
    r = 0
    for name, g in groups:
        for i, (_, row) in enumerate(g.iterrows()):
            ax = axes[r + i // ncols][i % ncols]
            _panel(ax, row)
            if i % ncols == 0:
                ax.set_ylabel(name, fontsize=10, fontweight="bold")
        used = len(g)
        rows_here = -(-used // ncols)
        for j in range(used, rows_here * ncols):
            axes[r + j // ncols][j % ncols].axis("off")
        r += rows_here
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=BAND, alpha=0.35, label="observed range (or required share)"),
        plt.Line2D([], [], color=INSIDE, marker="o", ls="-", label="model median, 5-95% range: inside tolerance"),
        plt.Line2D([], [], color=NEAR, marker="D", ls="-", label="range meets the record, median outside"),
        plt.Line2D([], [], color=OUTSIDE, marker="X", ls="-", label="outside tolerance"),
    ]
    margin = 0.9 / fig.get_figheight()  # inches kept at the foot for the legend and the footnote
    fig.legend(
        handles=handles, loc="lower center", ncol=4, fontsize=9, frameon=False, bbox_to_anchor=(0.5, margin / 2.4)
    )
    fig.text(0.5, 0.004, textwrap.fill(FOOTNOTE, 190), ha="center", va="bottom", fontsize=7.5, color="#333333")
    fig.suptitle(
        title or f"Backtests: model ensembles against the record (n={n} runs per episode, seed {seed})", fontsize=12
    )
    fig.tight_layout(rect=(0, margin, 1, 0.97))
    return fig
