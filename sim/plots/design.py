"""A sampled design drawn as what it is: outcome against each parameter, and the ranking.

The points of a Latin hypercube or Sobol design have continuous values, so they
are drawn as points on each parameter's axis (never as cells of a grid), with
the partial dependence (the mean outcome of equal-count slices of the parameter
and its 95% bootstrap interval) over them; panels are ordered by the
parameter's rank (sim.analysis.design_effects).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from sim.analysis.design_effects import partial_dependence
from sim.analysis.points import short_name
from sim.analysis.stats import wilson
from sim.outputs import Measure
from sim.plots.common import OKABE_ITO, footnote, new_figure

UNIT_TEXT = {"share": "share of the point's runs", "days": "days", "people": "people"}


def outcome_label(measure: Measure) -> str:
    """The axis label of a measure, short enough for a panel title: what it is and its unit."""
    found = re.search(r"rung (\d) \(([^)]*)\)", measure.description)
    if measure.unit == "share" and found:
        return f"P(rung >= {found.group(1)}: {found.group(2)})"
    what = measure.description.split(",")[0].split(" over ")[0].rstrip(".")
    return f"{what} ({UNIT_TEXT.get(measure.unit, measure.unit)})"


def design_outcomes(points: pd.DataFrame, ranks: pd.DataFrame, measure: Measure, title: str | None = None):
    """One panel per parameter, strongest first: every point's outcome and the partial dependence."""
    params = list(ranks["parameter"])
    cols = min(4, len(params))
    rows = math.ceil(len(params) / cols)
    fig, axes = new_figure(rows, cols, size=(3.3 * cols + 0.6, 2.8 * rows + 1.0), sharey=True, squeeze=False)
    for ax in axes.flat[len(params) :]:
        ax.set_visible(False)
    for ax, r in zip(axes.flat, ranks.itertuples(index=False), strict=False):
        p = r.parameter
        if measure.unit == "share":  # a point's share is an estimate from its few runs: its Wilson interval too
            est = [wilson(round(v * k), k) for v, k in zip(points[measure.name], points["runs"], strict=True)]
            low = points[measure.name] - [e.low for e in est]
            high = [e.high for e in est] - points[measure.name]
            ax.errorbar(points[p], points[measure.name], yerr=[low, high], fmt="none", ecolor="0.75", lw=0.8)
        ax.scatter(points[p], points[measure.name], s=14, color="0.45", alpha=0.8, lw=0, label="a sampled point")
        pd_ = partial_dependence(points, p, measure)
        ax.fill_between(pd_["middle"], pd_["low"], pd_["high"], color=OKABE_ITO[1], alpha=0.35, lw=0)
        ax.plot(pd_["middle"], pd_["mean"], "o-", color=OKABE_ITO[4], lw=2, ms=4, label="mean of a slice (95%)")
        ax.set_title(f"#{r.rank} {short_name(p)}\nrho {r.rho:+.2f} [{r.low:+.2f}, {r.high:+.2f}]", fontsize=10)
        ax.set_xlabel(p.removesuffix(".value"), fontsize=9)
        ax.tick_params(labelsize=9)
        ax.grid(color="0.92")
    for ax in axes[:, 0]:
        ax.set_ylabel(outcome_label(measure), fontsize=9)
    axes.flat[0].legend(fontsize=9, loc="best", framealpha=0.9)
    n = len(points)
    fig.suptitle(
        title or f"Design compared across its {n} sampled points: {outcome_label(measure)} against each parameter",
        fontsize=12,
    )
    footnote(
        fig,
        f"{n} points, {int(points['runs'].sum())} runs; grey: each point's outcome over its runs (a share with its "
        "95% Wilson interval); blue: mean of the points in each quarter of the parameter's values, 95% bootstrap.",
    )
    return fig


def design_ranking(tables: list[pd.DataFrame], measures: list[Measure], title: str | None = None):
    """Spearman rank correlation of each parameter with each outcome across points, with 95% intervals."""
    k = len(tables)
    n_params = len(tables[0])
    cols = min(2, k)
    rows = math.ceil(k / cols)
    fig, axes = new_figure(
        rows, cols, size=(5.2 * cols + 2.0, rows * (1.3 + 0.36 * n_params) + 0.8), sharey=True, squeeze=False
    )
    for ax in axes.flat[k:]:
        ax.set_visible(False)
    order = list(tables[0]["parameter"])  # the first outcome's ranking orders every panel
    y = np.arange(len(order))[::-1]
    for ax, t, m in zip(axes.flat, tables, measures, strict=False):
        t = t.set_index("parameter").loc[order]
        err = np.vstack([t["rho"] - t["low"], t["high"] - t["rho"]])
        colours = [OKABE_ITO[5] if v < 0 else OKABE_ITO[4] for v in t["rho"]]
        ax.barh(y, t["rho"], color=colours, edgecolor="0.3")
        ax.errorbar(t["rho"], y, xerr=np.clip(err, 0, None), fmt="none", ecolor="black", capsize=2)
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set_xlim(-1, 1)
        ax.set_xticks([-1, -0.5, 0, 0.5, 1])
        ax.set_xlabel("Spearman rho across points", fontsize=9)
        ax.set_title(outcome_label(m), fontsize=10)
        ax.grid(axis="x", color="0.92")
    for ax in axes[:, 0]:
        ax.set_yticks(y, [short_name(p) for p in order], fontsize=9)
    fig.suptitle(title or "Design compared across its points: which parameters move which outcome", fontsize=12)
    footnote(
        fig,
        f"{int(tables[0]['points'].iloc[0])} points; bars: rank correlation (blue raises, vermillion lowers the "
        "outcome); whiskers: 95% bootstrap interval over points. Ordered by the first panel.",
    )
    return fig
