"""Sweep heatmaps: P(highest rung >= k) over two swept parameters.

Each cell shows the estimate, its runs, and a hatch where its 95% Wilson
interval is wider than the analyst's tolerance: a cell that needs more runs
before anyone reads a pattern into it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from sim.analysis.stats import wilson
from sim.plots.common import SEQUENTIAL, footnote, new_figure, require
from sim.rules.ladder import Rung

#: A cell whose interval half-width exceeds this is marked as too uncertain.
WIDE_HALF_WIDTH = 0.15


def _fmt(v) -> str:
    return f"{v:.3g}" if isinstance(v, (float, np.floating)) else str(v)


def sweep_table(
    runs: pd.DataFrame, x: str, y: str, k: int = 6, outcome: str = "max_rung", wide: float = WIDE_HALF_WIDTH
) -> pd.DataFrame:
    """Tidy per cell (x, y): runs, count with outcome >= k, p, Wilson low/high, and `wide`."""
    require(runs, [x, y, outcome], "runs")
    rows = []
    for (xv, yv), grp in runs.groupby([x, y], sort=True):
        hits = int((grp[outcome] >= k).sum())
        e = wilson(hits, len(grp))
        rows.append(
            {
                x: xv,
                y: yv,
                "n": e.n,
                "count": hits,
                "p": e.value,
                "low": e.low,
                "high": e.high,
                "wide": bool(e.half_width > wide),
            }
        )
    return pd.DataFrame(rows)


def sweep_heatmap(
    runs: pd.DataFrame,
    x: str,
    y: str,
    k: int = 6,
    outcome: str = "max_rung",
    wide: float = WIDE_HALF_WIDTH,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
):
    """Heatmap of P(outcome >= k) over two swept columns, with runs per cell and wide intervals hatched."""
    t = sweep_table(runs, x, y, k, outcome, wide)
    xs, ys = sorted(t[x].unique()), sorted(t[y].unique())
    grid = np.full((len(ys), len(xs)), np.nan)
    for r in t.itertuples(index=False):  # columns 0 and 1 are x and y, whatever their names
        grid[ys.index(r[1]), xs.index(r[0])] = r.p
    fig, ax = new_figure(size=(1.6 + 1.25 * len(xs) + 1.5, 1.4 + 0.9 * len(ys) + 0.8))
    mesh = ax.imshow(grid, cmap=SEQUENTIAL, vmin=0, vmax=1, origin="lower", aspect="auto")
    for r in t.itertuples(index=False):
        i, j = ys.index(r[1]), xs.index(r[0])
        ink = "black" if r.p > 0.55 else "white"
        ax.text(j, i + 0.12, f"{r.p:.2f}", ha="center", va="center", fontsize=10, fontweight="bold", color=ink)
        ax.text(j, i - 0.2, f"[{r.low:.2f}, {r.high:.2f}]\nn={r.n}", ha="center", va="center", fontsize=8.5, color=ink)
        if r.wide:
            ax.add_patch(
                Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="//", edgecolor="#D55E00", lw=0, alpha=0.6)
            )
    ax.set_xticks(range(len(xs)), [_fmt(v) for v in xs])
    ax.set_yticks(range(len(ys)), [_fmt(v) for v in ys])
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel or y)
    label = f"rung {k} ({Rung(k).label})" if outcome == "max_rung" and 0 <= k <= max(Rung) else f"{outcome} >= {k}"
    cb = fig.colorbar(mesh, ax=ax)
    cb.set_label(f"P(highest {label.split(' (')[0]} or above)" if outcome == "max_rung" else f"P({outcome} >= {k})")
    if t["wide"].any():
        ax.legend(
            handles=[
                Patch(
                    facecolor="none",
                    edgecolor="#D55E00",
                    hatch="///",
                    label=f"95% interval wider than +-{wide:.2f}: needs more runs",
                )
            ],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            fontsize=9,
            frameon=False,
        )
    ax.set_title(title or f"P(highest rung >= {k}) across the sweep\n{label}", fontsize=11)
    footnote(fig, f"{len(runs)} runs in {len(t)} cells; each cell: estimate, 95% Wilson interval, runs.")
    return fig
