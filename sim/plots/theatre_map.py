"""The sector-control map: where the front moved, as the probability that each sector changed hands.

The theatre network is drawn at each sector's `position` [longitude, latitude]
from the theatre config, so the picture is roughly geographic (Tavush in the
north-west, Syunik in the south, the Araxes districts along the Iranian border).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.ticker import MaxNLocator
from omegaconf import OmegaConf

from sim.analysis.stats import wilson
from sim.config.paths import CONF_DIR
from sim.plots.common import SEQUENTIAL, footnote, new_figure, require

#: The shipped theatre, read as plain YAML (no Hydra: this also works inside a Hydra job).
DEFAULT_THEATRE = CONF_DIR / "theatre" / "districts_2020.yaml"
REGION_MARKERS = {"karabakh": "o", "armenia_proper": "s"}
REGION_LABELS = {"karabakh": "sector of Nagorno-Karabakh", "armenia_proper": "sector of Armenia proper"}


def theatre_spec(config: Any = None) -> Any:
    """The theatre node of a config (or of the shipped conf/theatre/districts_2020.yaml)."""
    if config is None:
        return OmegaConf.load(DEFAULT_THEATRE)
    return config.theatre if "theatre" in config else config


def sector_table(runs: pd.DataFrame, theatre: Any = None) -> pd.DataFrame:
    """Per sector: position, region, and P(changed hands) with its Wilson interval."""
    require(runs, ["sectors_taken"], "runs")
    spec = theatre_spec(theatre)
    taken = runs["sectors_taken"].fillna("").astype(str).map(lambda s: set(filter(None, s.split(","))))
    names = list(spec.sectors)
    unknown = sorted(set().union(*taken) - set(names)) if len(taken) else []
    if unknown:
        raise ValueError(
            f"runs.sectors_taken: unknown sector(s) {', '.join(unknown)}; the theatre has {', '.join(names)}"
        )
    rows = []
    for name in names:
        s = spec.sectors[name]
        e = wilson(int(taken.map(lambda t, n=name: n in t).sum()), len(runs))
        rows.append(
            {
                "sector": name,
                "region": s.region,
                "lon": float(s.position[0]),
                "lat": float(s.position[1]),
                "area_km2": float(s.area_km2),
                "n": e.n,
                "p_changed_hands": e.value,
                "low": e.low,
                "high": e.high,
            }
        )
    return pd.DataFrame(rows)


def sector_control_map(runs: pd.DataFrame, theatre: Any = None, title: str | None = None):
    """Theatre network at its geographic layout, sectors coloured by P(changed hands)."""
    t = sector_table(runs, theatre)
    spec = theatre_spec(theatre)
    pos = {r.sector: (r.lon, r.lat) for r in t.itertuples()}
    n = int(t["n"].iloc[0])
    fig, (ax, kx) = new_figure(1, 2, size=(9.5, 7.2), width_ratios=[1.5, 1])
    for a, b in spec.links:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ax.plot([x0, x1], [y0, y1], color="0.6", lw=1.5, zorder=1)
    norm, cmap = Normalize(0, 1), SEQUENTIAL
    size = 260 + 420 * np.sqrt(t["area_km2"] / t["area_km2"].max())
    for region, marker in REGION_MARKERS.items():
        sel = t["region"] == region
        if sel.any():
            ax.scatter(
                t.loc[sel, "lon"],
                t.loc[sel, "lat"],
                c=t.loc[sel, "p_changed_hands"],
                cmap=cmap,
                norm=norm,
                s=size[sel],
                marker=marker,
                edgecolors="black",
                linewidths=1.2,
                zorder=2,
                label=REGION_LABELS[region],
            )
    # Sectors of Karabakh lie 10-20 km apart: numbered markers and a key stay readable where names would collide.
    key = []
    for i, r in enumerate(t.itertuples(), start=1):
        ink = "black" if r.p_changed_hands > 0.55 else "white"
        ax.text(r.lon, r.lat, str(i), ha="center", va="center", fontsize=9, fontweight="bold", color=ink, zorder=3)
        key.append(f"{i:>2}  {r.sector.replace('_', '-'):<16}{r.p_changed_hands:>4.0%}  [{r.low:.0%}, {r.high:.0%}]")
    kx.axis("off")
    kx.set_title("P(changed hands) by sector", fontsize=10, loc="left")
    kx.text(
        0.0,
        1.0,
        "    sector            P   [95% CI]\n" + "\n".join(key),
        transform=kx.transAxes,
        ha="left",
        va="top",
        fontsize=9,
        family="monospace",
        linespacing=1.5,
    )
    sm = fig.colorbar(ax.collections[-1], ax=kx, location="bottom", shrink=0.9, anchor=(0.0, 0.0))
    sm.set_label("P(sector changed hands) over the war")
    lat0 = float(t["lat"].mean())
    ax.set_aspect(1.0 / np.cos(np.radians(lat0)))  # degrees of longitude are shorter than of latitude here
    ax.margins(0.12)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    leg = ax.legend(loc="upper right", fontsize=8, markerscale=0.4, framealpha=0.9)
    for h in leg.legend_handles:
        h.set_facecolor("white")
    ax.grid(color="0.93")
    fig.suptitle(title or f"Which sectors changed hands ({n} runs)")
    footnote(
        fig,
        f"N = {n} runs; numbers: sectors in the key (share of runs in which the sector changed hands, "
        "95% Wilson interval); lines: adjacent sectors; marker size: area.",
    )
    return fig
