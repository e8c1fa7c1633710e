"""The backtest figure: each target's observed range against the model's median and 5-95% range."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

#: Okabe-Ito colours: observed band, a target inside tolerance, a target outside.
BAND, INSIDE, OUTSIDE = "#56B4E9", "#009E73", "#D55E00"


def _panel(ax, row: pd.Series) -> None:
    """One target: observed band, model median with 5-95% bar (or share with 95% CI)."""
    ok = bool(row["passes"])
    colour, marker = (INSIDE, "o") if ok else (OUTSIDE, "X")
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
        ax.set_xlabel("share of runs inside the observed range (95% CI)")
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
        ax.xaxis.set_major_locator(MaxNLocator(5))  # few enough ticks that 100,000-scale labels stay apart
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.10g}"))
        ax.set_xlabel(row["unit"])
    verdict = "inside tolerance" if ok else "outside tolerance"
    claim = "claimed" if row["claimed"] else "not claimed"
    use = f"; {row['use']} target" if "use" in row else ""
    ax.set_title(f"{textwrap.fill(row['label'], 38)}\n{verdict} ({claim}{use})", fontsize=9)
    ax.set_yticks([])
    ax.set_ylim(-1, 1)


def backtest_figure(table: pd.DataFrame, n: int, seed: int, title: str | None = None):
    """A panel per target of the backtest table (sim.analysis.validation.backtest), episodes as rows."""
    groups = list(table.groupby("episode", sort=False))
    ncols = min(int(table.groupby("episode").size().max()), 4)
    nrows = sum(-(-len(g) // ncols) for _, g in groups)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.3 * nrows + 1.0), squeeze=False)
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
        plt.Line2D([], [], color=OUTSIDE, marker="X", ls="-", label="model median, 5-95% range: outside tolerance"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=9, frameon=False)
    fig.suptitle(
        title or f"Backtests: model ensembles against the record (n={n} runs per episode, seed {seed})", fontsize=12
    )
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    return fig
