"""Bar chart of sensitivity indices (Sobol S1/ST or Morris mu_star) with their confidence intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.plots.common import footnote, new_figure, require

INDEX_LABELS = {"S1": "first-order S1", "ST": "total ST", "mu_star": "Morris mu* (mean |elementary effect|)"}
INDEX_COLOURS = {"S1": "#56B4E9", "ST": "#0072B2", "mu_star": "#D55E00"}


def _short(name: str) -> str:
    return name.removesuffix(".value").replace("_", " ")


def sensitivity_bars(indices: pd.DataFrame, outcome: str, title: str | None = None):
    """Horizontal bars per parameter (largest first) with 95% confidence intervals from SALib."""
    require(indices, ["outcome", "parameter", "index", "value", "conf"], "indices")
    t = indices[(indices["outcome"] == outcome) & indices["index"].isin(INDEX_LABELS)]
    if t.empty:
        raise ValueError(
            f"outcome: '{outcome}' has no indices; expected one of {', '.join(indices['outcome'].unique())}"
        )
    kinds = [k for k in INDEX_LABELS if k in set(t["index"])]
    order = t[t["index"] == kinds[-1]].sort_values("value")["parameter"].tolist()
    fig, ax = new_figure(size=(9, 1.5 + 0.45 * len(order)))
    y = np.arange(len(order), dtype=float)
    height = 0.8 / len(kinds)
    for j, k in enumerate(kinds):
        s = t[t["index"] == k].set_index("parameter").reindex(order)
        off = (j - (len(kinds) - 1) / 2) * height
        ax.barh(
            y + off,
            s["value"],
            height=height,
            color=INDEX_COLOURS[k],
            label=INDEX_LABELS[k],
            xerr=s["conf"],
            error_kw={"ecolor": "black", "capsize": 2, "lw": 1},
        )
    ax.set_yticks(y, [_short(p) for p in order], fontsize=8.5)
    ax.axvline(0, color="0.4", lw=0.8)
    morris = kinds == ["mu_star"]
    ax.set_xlabel(
        f"Morris mu* of {outcome} (outcome units per full parameter range)"
        if morris
        else "Sobol index (share of output variance)"
    )
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", color="0.92")
    ax.set_title(
        title or f"What drives {outcome.replace('_', ' ')}: {'Morris screening' if morris else 'Sobol indices'}"
    )
    footnote(
        fig,
        "error bars: 95% bootstrap confidence intervals from SALib; indices inside their interval of 0 are not "
        "distinguishable from no effect.",
    )
    return fig
