"""The calibration figure: each parameter's posterior over its declared range, and the prior draws."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

#: Okabe-Ito: posterior, shipped value, fitted median.
POSTERIOR, SHIPPED, FITTED = "#0072B2", "#E69F00", "#D55E00"


def calibration_figure(fit, what: str):
    """Posterior of each parameter of `fit` (sim.analysis.calibration.Calibration); the draws in the first two."""
    k = len(fit.priors)
    ncols = k + (1 if k >= 2 else 0)
    fig, axes = plt.subplots(1, ncols, figsize=(4.4 * ncols, 3.8), squeeze=False)
    for j, (p, row) in enumerate(zip(fit.priors, fit.table.itertuples(index=False), strict=True)):
        ax = axes[0][j]
        x = fit.posterior[p.key].to_numpy()
        bins = np.geomspace(p.lo, p.hi, 31) if p.log else np.linspace(p.lo, p.hi, 31)
        ax.hist(
            x, bins=bins, weights=fit.posterior["weight"], color=POSTERIOR, alpha=0.75, label="posterior (weighted)"
        )
        ax.axvspan(row.p5, row.p95, color=POSTERIOR, alpha=0.15, lw=0, label="posterior 5-95%")
        ax.axvline(row.median, color=FITTED, lw=2, label=f"fitted median {row.median:.3g}")
        ax.axvline(row.shipped, color=SHIPPED, lw=2, ls="--", label=f"shipped value {row.shipped:.3g}")
        if p.log:
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(p.lo, p.hi)
        ax.set_xlabel(f"{p.key} (declared range, {'log' if p.log else 'linear'} scale)")
        ax.set_ylabel("posterior weight")
        ax.set_title(p.key.split(".")[-1], fontsize=10)
        ax.legend(fontsize=7, loc="upper right")
    if k >= 2:
        ax = axes[0][k]
        a, b = fit.priors[0], fit.priors[1]
        sc = ax.scatter(fit.draws[a.key], fit.draws[b.key], c=fit.draws["distance"], cmap="cividis", s=18)
        fig.colorbar(sc, ax=ax, label="distance to the targets (scaled)")
        ax.set_xscale("log" if a.log else "linear")
        ax.set_yscale("log" if b.log else "linear")
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(a.lo, a.hi)
        ax.set_ylim(b.lo, b.hi)
        ax.set_xlabel(a.key)
        ax.set_ylabel(b.key)
        ax.set_title("prior draws (Latin hypercube)", fontsize=10)
    fig.suptitle(f"ABC calibration to {what} ({len(fit.draws)} draws x n={fit.n} runs, seed {fit.seed})", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig
