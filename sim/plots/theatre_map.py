"""The sector-control map: where the front moved, as the probability that each sector changed hands.

Each district is drawn as an area around its town's `position` [longitude,
latitude] from the theatre config (sim.plots.geography), with the pre-war line
of contact, Armenia's and Iran's borders, who held what before the war, and the
towns sized by population, so that the geography stays recognisable. Where the
episode's record says which districts changed hands (conf/backtest, `districts`),
they are outlined and named in the key beside the model's share.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.ticker import MaxNLocator
from omegaconf import OmegaConf

from sim.analysis.stats import wilson
from sim.config.paths import CONF_DIR
from sim.plots.common import RECORD_COLOUR, SEQUENTIAL, footnote, new_figure, require
from sim.plots.geography import FRAME, theatre_cells

#: The shipped theatre, read as plain YAML (no Hydra: this also works inside a Hydra job).
DEFAULT_THEATRE = CONF_DIR / "theatre" / "districts_2020.yaml"
#: Fill of the areas that are no sector of the model: the Azerbaijani-held side and Iran.
HOLDER_COLOURS = {"azerbaijan": "#F3E3C3", "iran": "#E6E6E6"}
#: Boundaries between holders (sim.plots.geography): the pre-war line of contact and the borders.
BORDER_STYLES: dict[str, dict[str, Any]] = {
    "contact": {"color": "#D55E00", "lw": 3.0},
    "armenia": {"color": "black", "lw": 1.8, "ls": "--"},
    "iran": {"color": "0.3", "lw": 1.8, "ls": ":"},
}
#: The outline of the districts the record says were taken in the fighting (Okabe-Ito reddish purple).
RECORD_STYLE: dict[str, Any] = {"color": RECORD_COLOUR, "lw": 2.4, "ls": (0, (5, 2))}
#: How the key names a district's fate in the record.
FATE = {"taken": "taken", "handed_over": "handed over"}
#: Where a crowded district's label sits instead of its cell's centre (longitude, latitude).
LABEL_AT = {"stepanakert": (46.62, 39.86), "shusha": (46.7, 39.72), "askeran": (46.86, 39.95)}
BORDER_LABELS = {
    "contact": "line of contact, 26 September 2020",
    "armenia": "Armenia's border",
    "iran": "Iran's border (the Araxes)",
}


def theatre_spec(config: Any = None) -> Any:
    """The theatre node of a config (or of the shipped conf/theatre/districts_2020.yaml, read-only).

    The shipped file is parsed once per version of it (parsing takes ~0.1 s, and a sweep's report
    draws a map per point without a config).
    """
    if config is not None:
        return config.theatre if "theatre" in config else config
    version = DEFAULT_THEATRE.stat().st_mtime_ns
    if version not in _SHIPPED:
        _SHIPPED.clear()
        spec = OmegaConf.load(DEFAULT_THEATRE)
        OmegaConf.set_readonly(spec, True)
        _SHIPPED[version] = spec
    return _SHIPPED[version]


#: The shipped theatre, parsed, by the modification time of its file.
_SHIPPED: dict[int, Any] = {}


def sector_table(runs: pd.DataFrame, theatre: Any = None, record: Any = None) -> pd.DataFrame:
    """Per sector: position, region, and P(changed hands) with its Wilson interval; with a record
    (sim.analysis.validation.DistrictRecord), its fate in the record: taken, handed over or ''."""
    require(runs, ["sectors_taken"], "runs")
    spec = theatre_spec(theatre)
    taken = runs["sectors_taken"].fillna("").astype(str).map(lambda s: set(filter(None, s.split(","))))
    names = list(spec.sectors)
    unknown = sorted(set().union(*taken) - set(names)) if len(taken) else []
    if unknown:
        raise ValueError(
            f"runs.sectors_taken: unknown sector(s) {', '.join(unknown)}; the theatre has {', '.join(names)}"
        )
    fate = {}
    if record is not None:
        fate = {n: FATE["taken"] for n in record.taken} | {n: FATE["handed_over"] for n in record.handed_over}
        strange = sorted(set(fate) - set(names))
        if strange:
            raise ValueError(
                f"record.districts: unknown sector(s) {', '.join(strange)}; the theatre has {', '.join(names)}"
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
                **({"record": fate.get(name, "")} if record is not None else {}),
            }
        )
    return pd.DataFrame(rows)


def _where(record: Any) -> str:
    """Where a record comes from, short: its source up to the first colon (the document and section)."""
    return str(record.source).split(":")[0]


def _town_size(population: float) -> float:
    """Marker area (points^2) of a town: proportional to its population, readable at 5,000."""
    return 12 + population / 1200


def sector_control_map(runs: pd.DataFrame, theatre: Any = None, title: str | None = None, record: Any = None):
    """District areas (Voronoi cells around their towns) coloured by P(changed hands), with the pre-war
    line of contact, Armenia's and Iran's borders, who held what, and the towns sized by population.

    record: the episode's DistrictRecord (sim.analysis.record.districts_of): the districts taken in
    the fighting are outlined, and the key gives each district's fate beside the model's share.
    """
    spec = theatre_spec(theatre)
    t = sector_table(runs, spec, record)
    n = int(t["n"].iloc[0])
    p = dict(zip(t["sector"], t["p_changed_hands"], strict=True))
    cells, edges = theatre_cells(spec, outlined=frozenset(record.taken) if record is not None else frozenset())
    fig, (ax, kx) = new_figure(1, 2, size=(13, 9.6), width_ratios=[1.9, 1])
    norm, cmap = Normalize(0, 1), plt.get_cmap(SEQUENTIAL)
    for c in cells:
        sector = c.kind in ("karabakh", "armenia_proper")
        face = cmap(norm(p[c.name])) if sector else to_rgba(HOLDER_COLOURS[c.kind])
        hatch = "//" if c.kind == "armenia_proper" else None
        area = Polygon(c.polygon, closed=True, facecolor=face, edgecolor="white", lw=0.8, hatch=hatch, zorder=1)
        area.set_gid(c.name)  # the figure's data names each area (tests read it back)
        ax.add_patch(area)
    for kind, style in BORDER_STYLES.items():
        for seg in edges[kind]:
            ax.plot(seg[:, 0], seg[:, 1], zorder=3, solid_capstyle="round", gid=kind, **style)
    for seg in edges["outline"]:  # over the line of contact, which it follows in the south-east
        ax.plot(seg[:, 0], seg[:, 1], zorder=3.5, gid="record", **RECORD_STYLE)
    towns = spec.get("towns") or {}
    marks = [(float(v.position[0]), float(v.position[1])) for v in towns.values()]
    for c in cells:
        if c.kind == "iran":
            continue
        dark = c.kind in ("karabakh", "armenia_proper") and p[c.name] < 0.55
        town = c.kind == "azerbaijan"  # a town's name sits above its marker
        x, y = (c.seed[0], c.seed[1] + 0.07) if town else LABEL_AT.get(c.name, c.centroid)
        if not town and any(abs(x - tx) < 0.12 and abs(y - ty) < 0.05 for tx, ty in marks):
            y -= 0.07  # a district's name below its town's marker, not on it
        # A halo of the opposite shade keeps a name readable over hatching, lines and markers.
        halo = [patheffects.withStroke(linewidth=2.0, foreground="black" if dark else "white")]
        ax.text(x, y, c.name.replace("_", " ").title(), fontsize=9, ha="center", va="center", zorder=5,
                color="white" if dark else "black", fontweight="normal" if town else "bold",
                path_effects=halo)  # fmt: skip
    ax.text(46.9, 38.7, "IRAN", fontsize=11, color="0.35", ha="center", zorder=5)
    sizes = [_town_size(float(v.population)) for v in towns.values()]
    ax.scatter([m[0] for m in marks], [m[1] for m in marks], s=sizes, color="#E69F00",
               edgecolors="black", lw=0.8, zorder=4)  # fmt: skip
    handles = [
        Patch(facecolor=cmap(0.0), edgecolor="white", label="held by the Armenian side\n(colour: P changed hands)"),
        Patch(facecolor=cmap(0.0), edgecolor="white", hatch="//", label="Armenia proper"),
        Patch(facecolor=HOLDER_COLOURS["azerbaijan"], label="held by Azerbaijan"),
        Patch(facecolor=HOLDER_COLOURS["iran"], label="Iran"),
        *(Line2D([], [], label=BORDER_LABELS[k], **v) for k, v in BORDER_STYLES.items()),
        *([Line2D([], [], label="taken in the fighting\n(the record)", **RECORD_STYLE)] if record is not None else []),
        *(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                color="#E69F00",
                mec="black",
                ms=np.sqrt(_town_size(pop)),
                label=f"town of {pop:,}",
            )  # fmt: skip
            for pop in (10_000, 50_000, 300_000)
        ),
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=3, fontsize=9, frameon=False)
    x0, x1, y0, y1 = FRAME
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / np.cos(np.radians((y0 + y1) / 2)))
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.tick_params(labelsize=9)
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    fates = t["record"] if record is not None else pd.Series("", index=t.index)
    key = [
        f"{r.sector.replace('_', ' ').title():<14}{r.p_changed_hands:>5.0%}  [{r.low:.0%}, {r.high:.0%}]"
        + (f"  {fates[i]}" if record is not None else "")
        for i, r in t.sort_values("p_changed_hands", ascending=False).iterrows()
    ]
    kx.axis("off")
    kx.set_title("P(changed hands) by district" + (", beside the record" if record is not None else ""),
                 fontsize=10, loc="left")  # fmt: skip
    head = "district          P   [95% CI]" + ("  record" if record is not None else "")
    # The colour scale right under the key's title, above the table it explains.
    cax = kx.inset_axes((0.0, 0.955, 0.85, 0.022))
    sm = fig.colorbar(ScalarMappable(norm, cmap), cax=cax, orientation="horizontal")
    sm.set_label("P(district changed hands) over the war", fontsize=9)
    sm.ax.tick_params(labelsize=8)
    kx.text(0.0, 0.88, head + "\n" + "\n".join(key), transform=kx.transAxes, ha="left",
            va="top", fontsize=9, family="monospace", linespacing=1.45)  # fmt: skip
    fig.suptitle(title or f"Which districts changed hands ({n} runs)")
    footnote(
        fig,
        f"N = {n} runs; colour: share of runs in which the district changed hands (95% Wilson intervals in the "
        "key). Areas are cells around each district's town, not surveyed boundaries; lines approximate."
        + (f"\nOutlined, and 'record' in the key: what the record says ({_where(record)})." if record else ""),
    )
    return fig
