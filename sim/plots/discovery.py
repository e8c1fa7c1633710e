"""The best box of a scenario discovery, drawn over the sampled points it was found in.

Scenario discovery (sim.analysis.discovery) reports boxes as rules; a rule is easier to
judge next to the evidence. This figure places every sampled point in the plane
of the two parameters the best boxes bound (or the best box's one parameter
and the next one asked for), colours it by the share of its replicates that reached the
outcome, and outlines the box with its coverage and density.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from sim.analysis.stats import wilson
from sim.plots.common import OKABE_ITO, SEQUENTIAL, footnote, new_figure, require


def _short(name: str) -> str:
    return name.removesuffix(".value").replace("_", " ")


def box_axes(boxes: pd.DataFrame, params: list[str]) -> list[str]:
    """The two parameters to draw: those the best boxes bound (best box first), then `params` in order."""
    chosen = []
    for _, box in boxes.head(3).iterrows():
        chosen += [
            p for p in params if p not in chosen and (np.isfinite(box[f"{p} low"]) or np.isfinite(box[f"{p} high"]))
        ]
    chosen += [p for p in params if p not in chosen]
    return chosen[:2]


def discovery_box(
    runs: pd.DataFrame,
    boxes: pd.DataFrame,
    params: list[str],
    flags,
    ranges: dict,
    outcome: str,
    title: str | None = None,
    scenario_values: dict | None = None,
):
    """Points coloured by the share of their runs with the outcome, and the best box (dashed: the next ones).

    runs: the design's runs (point_id and the parameter columns); flags: one bool per run;
    boxes: sim.analysis.discovery.discover's table for the same runs and flags; ranges: declared
    (low, high) of each parameter, so an open side of a box is drawn to the range's edge;
    scenario_values: the unsampled scenario's value of each parameter, marked with a cross
    (is the scenario itself inside the box?).
    """
    require(runs, ["point_id", *params], "runs")
    if len(params) < 2:
        raise ValueError("params: the figure needs two parameters")
    flags = pd.Series(np.asarray(flags, dtype=bool), index=runs.index)
    x_name, y_name = box_axes(boxes, params)
    per_point = (
        runs.assign(hit=flags).groupby("point_id").agg(x=(x_name, "first"), y=(y_name, "first"), share=("hit", "mean"))
    )
    fig, ax = new_figure(size=(7.8, 6.0))
    sc = ax.scatter(
        per_point["x"],
        per_point["y"],
        c=per_point["share"],
        cmap=SEQUENTIAL,
        vmin=0,
        vmax=1,
        s=26,
        edgecolors="0.3",
        linewidths=0.4,
    )
    fig.colorbar(sc, ax=ax, label=f"share of the point's runs with {outcome}")
    (x_lo, x_hi), (y_lo, y_hi) = ranges[x_name], ranges[y_name]
    base = wilson(int(flags.sum()), len(flags))
    for rank in range(min(3, len(boxes))):
        b = boxes.iloc[rank]
        left = max(x_lo, b[f"{x_name} low"]) if np.isfinite(b[f"{x_name} low"]) else x_lo
        right = min(x_hi, b[f"{x_name} high"]) if np.isfinite(b[f"{x_name} high"]) else x_hi
        bottom = max(y_lo, b[f"{y_name} low"]) if np.isfinite(b[f"{y_name} low"]) else y_lo
        top = min(y_hi, b[f"{y_name} high"]) if np.isfinite(b[f"{y_name} high"]) else y_hi
        d = wilson(int(b["hits"]), int(b["runs"]))
        label = (
            f"box {rank + 1}: coverage {b['coverage']:.2f}, density {b['density']:.2f} "
            f"({d.low:.2f}-{d.high:.2f}), {int(b['runs'])} runs"
        )
        ax.add_patch(
            Rectangle(
                (left, bottom),
                right - left,
                top - bottom,
                fill=False,
                lw=2.4 if rank == 0 else 1.4,
                ls="-" if rank == 0 else "--",
                edgecolor=OKABE_ITO[[5, 0, 6][rank]],
                label=label,
            )
        )
    if scenario_values is not None:
        ax.plot(
            [scenario_values[x_name]],
            [scenario_values[y_name]],
            marker="X",
            ms=12,
            color="black",
            ls="none",
            markeredgecolor="white",
            label="the scenario's own values",
        )
    if boxes.empty:
        ax.text(
            0.5,
            0.5,
            "no box: the tree found no region where the outcome concentrates",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=9,
            bbox={"fc": "white", "ec": "0.6"},
        )
    pad_x, pad_y = 0.02 * (x_hi - x_lo), 0.02 * (y_hi - y_lo)
    ax.set_xlim(x_lo - pad_x, x_hi + pad_x)
    ax.set_ylim(y_lo - pad_y, y_hi + pad_y)
    ax.set_xlabel(f"{_short(x_name)}\n(declared range {x_lo:g} to {x_hi:g})")
    ax.set_ylabel(f"{_short(y_name)}\n(declared range {y_lo:g} to {y_hi:g})")
    if not boxes.empty or scenario_values is not None:
        ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(0, -0.17), frameon=False)
    ax.set_title(
        title or f"Where {outcome} concentrates (all runs: {base.value:.2f}, 95% CI {base.low:.2f}-{base.high:.2f})",
        fontsize=10.5,
    )
    footnote(
        fig,
        "densities: 95% Wilson intervals; boxes: CART over all sampled parameters\n"
        "(a box may also bound parameters not drawn here: read its rule in discovery.csv)",
    )
    return fig
