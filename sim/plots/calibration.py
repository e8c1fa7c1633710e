"""Calibration figures: each parameter's prior against its posterior, and the posterior predictive check."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.plots.backtest import backtest_figure

#: Okabe-Ito: prior, posterior, declared value.
PRIOR, POSTERIOR, DECLARED = "#999999", "#0072B2", "#E69F00"


def prior_posterior_figure(priors, posterior: pd.DataFrame, what: str):
    """One panel per fitted parameter (sim.analysis.calibration.Prior): the triangular prior's density,
    the weighted posterior histogram with its 5-95% band, and the declared value."""
    from sim.analysis.calibration import weighted_quantile

    k = len(priors)
    ncols = min(k, 4)
    nrows = -(-k // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.3 * ncols, 3.3 * nrows + 0.9), squeeze=False)
    w = posterior["weight"].to_numpy()
    for j, p in enumerate(priors):
        ax = axes[j // ncols][j % ncols]
        x = posterior[f"{p.key}.value"].to_numpy()
        grid = np.linspace(p.low, p.high, 200)
        ax.hist(
            x,
            bins=np.linspace(p.low, p.high, 26),
            weights=w,
            density=True,
            color=POSTERIOR,
            alpha=0.7,
            label="posterior (weighted)",
        )
        ax.plot(grid, p.density(grid), color=PRIOR, lw=2, ls="--", label="prior (triangular on the range)")
        p5, p95 = weighted_quantile(x, w, [0.05, 0.95])
        ax.axvspan(p5, p95, color=POSTERIOR, alpha=0.12, lw=0, label="posterior 5-95%")
        for edge in (p5, p95):  # the band's edges: seen even where the band is a sliver
            ax.axvline(edge, color=POSTERIOR, lw=0.9, ls=":")
        ax.axvline(p.mode, color=DECLARED, lw=2, label="declared value")
        ax.set_xlim(p.low, p.high)
        ax.set_title(
            f"{textwrap.fill(p.key, 34)}\nposterior 5-95%: {p5:.3g} to {p95:.3g}; declared {p.mode:.3g}", fontsize=9.5
        )
        ax.set_yticks([])
        ax.set_ylabel("density", fontsize=9)
        ax.set_xlabel(textwrap.fill(p.unit, 44) if p.unit else "value (across its declared range)", fontsize=8.5)
    for j in range(k, nrows * ncols):
        axes[j // ncols][j % ncols].axis("off")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=9, frameon=False)
    fig.suptitle(f"Prior against posterior: ABC-SMC to {what}", fontsize=11)
    fig.tight_layout(rect=(0, 0.06, 1, 0.95))
    return fig


def predictive_check_figure(table: pd.DataFrame, what: str):
    """Every backtest target against the calibrated model's median and 5-95% range (fit and check targets)."""
    return backtest_figure(
        table, 0, 0, title=f"Posterior predictive check: the calibrated model against the record ({what})"
    )
