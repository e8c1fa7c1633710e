"""The page's figures of one war (pure matplotlib: a model or its daily table in, a Figure out).

The theatre is drawn as district areas (sim.plots.geography) coloured from blue
(held by the Armenian side) to orange (taken by Azerbaijan); the rung and the
casualties are drawn day by day, and the day with the most soldiers killed is
explained on the plot when it stands out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from sim.analysis.record import districts_of
from sim.config.schema import BELLIGERENTS
from sim.model.conflict import ConflictModel
from sim.plots.geography import FRAME, theatre_cells
from sim.plots.theatre_map import BORDER_STYLES, HOLDER_COLOURS, LABEL_AT
from sim.rules.ladder import Rung

#: Okabe-Ito colours (colour-blind safe).
ARMENIAN_COLOUR = "#0072B2"  # blue
AZERBAIJANI_COLOUR = "#E69F00"  # orange
CONTESTED_COLOUR = "#CC79A7"  # reddish purple
BELLIGERENT_COLOURS = {"azerbaijan": "#E69F00", "armenia": "#0072B2", "artsakh": "#56B4E9"}
CIVILIAN_COLOURS = {"azerbaijan": "#D55E00", "armenian_side": "#009E73"}
#: The outline of the districts the record says were taken (the episode's `districts`, conf/backtest).
RECORD_STYLE: dict[str, Any] = {"color": "#F0E442", "lw": 2.6, "ls": (0, (4, 2))}


def theatre_figure(model: ConflictModel) -> Figure:
    """The theatre as district areas (sim.plots.geography), each coloured from blue (held by the Armenian
    side) to orange (taken by Azerbaijan) by the share taken, with the pre-war line and the borders; where
    the scenario's episode says which districts were taken (conf/backtest), their outline, to watch the
    war unfold beside the one that was fought."""
    t = model.theatre
    record = districts_of(str(model.config.scenario.name))
    taken = frozenset(record.taken) if record is not None else frozenset()
    cells, edges = theatre_cells(model.config.theatre, outlined=taken)
    share = {n: float(t.progress[i]) for i, n in enumerate(t.names)}
    # A settlement hands districts over without a fight: the map shows them as handed over, as the ending says.
    handed = {t.names[i] for i in model.terms.handed_over} if model.terms is not None else set()
    fought = {n for i, n in enumerate(t.names) if model.contested[i]} - handed
    held = LinearSegmentedColormap.from_list("held", [ARMENIAN_COLOUR, AZERBAIJANI_COLOUR])
    fig = Figure(figsize=(6.4, 6.4), layout="constrained")
    ax = fig.add_subplot()
    for c in cells:
        face = held(1.0 if c.name in handed else share[c.name]) if c.name in share else HOLDER_COLOURS[c.kind]
        edge, lw = (CONTESTED_COLOUR, 3.5) if c.name in fought else ("white", 0.8)
        area = Polygon(c.polygon, closed=True, facecolor=face, edgecolor=edge, lw=lw, zorder=2 if lw > 1 else 1,
                       hatch="//" if c.name in handed else None, gid=c.name)  # fmt: skip
        ax.add_patch(area)
        if c.name in share:
            x, y = LABEL_AT.get(c.name, c.centroid)
            state = "handed over" if c.name in handed else f"{100 * share[c.name]:.0f}%"
            ax.text(x, y, f"{c.name.replace('_', ' ').title()}\n{state}", fontsize=8,
                    ha="center", va="center", color="white", fontweight="bold", zorder=5,
                    path_effects=[patheffects.withStroke(linewidth=2.0, foreground="black")])  # fmt: skip
    for kind, style in BORDER_STYLES.items():
        for seg in edges[kind]:
            ax.plot(
                seg[:, 0], seg[:, 1], zorder=3, **{**style, "color": "black" if kind == "contact" else style["color"]}
            )
    for seg in edges["outline"]:
        ax.plot(seg[:, 0], seg[:, 1], zorder=4, gid="record", **RECORD_STYLE)
    x0, x1, y0, y1 = FRAME
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"Theatre on day {model.day}: who holds each district")
    ax.legend(
        handles=[
            Patch(color=ARMENIAN_COLOUR, label="held by the Armenian side"),
            Patch(color=AZERBAIJANI_COLOUR, label="taken by Azerbaijan (share in %)"),
            *([Patch(facecolor=AZERBAIJANI_COLOUR, hatch="//", label="handed over by the settlement")] * bool(handed)),
            Patch(color=HOLDER_COLOURS["azerbaijan"], label="Azerbaijan before the war"),
            Line2D([], [], color=CONTESTED_COLOUR, lw=4, label="fought over today"),
            Line2D([], [], color="black", lw=3, label="line of contact, 26 Sep 2020"),
            Line2D([], [], label="Armenia's border", **BORDER_STYLES["armenia"]),
            *([Line2D([], [], label="taken in the 2020 fighting (the record)", **RECORD_STYLE)] if taken else []),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncols=2,
        fontsize=8,
        frameon=False,
    )
    return fig


def rung_figure(daily) -> Figure:
    """The escalation rung of each day so far, on the ladder's labels."""
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.add_subplot()
    if len(daily):
        ax.step(
            daily["day"],
            daily["rung"],
            where="mid",
            color=AZERBAIJANI_COLOUR,
            lw=2,
            marker="o",
            ms=3,
            label="rung of the day",
        )
        ax.legend(loc="lower right", fontsize=7)
    ax.set_yticks([r.value for r in Rung], [f"{r.value} {r.label}" for r in Rung], fontsize=7)
    ax.set_ylim(-0.3, max(Rung) + 0.3)
    ax.set_xlim(0, max(10, int(daily["day"].max()) + 1) if len(daily) else 10)
    ax.set_xlabel("day of the war")
    ax.set_ylabel("escalation rung")
    ax.set_title("Escalation ladder, day by day")
    ax.grid(axis="y", alpha=0.3)
    return fig


def casualties_figure(daily) -> Figure:
    """Cumulative military deaths per belligerent and civilian deaths per side (model output)."""
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.add_subplot()
    if len(daily):
        for b in BELLIGERENTS:
            ax.plot(
                daily["day"],
                daily[f"military_deaths_{b}"],
                color=BELLIGERENT_COLOURS[b],
                lw=2,
                marker="o",
                ms=3,
                label=f"military, {b}",
            )
        for side, colour in CIVILIAN_COLOURS.items():
            ax.plot(
                daily["day"],
                daily[f"civilian_deaths_{side}"],
                color=colour,
                lw=2,
                ls="--",
                marker="x",
                ms=3,
                label=f"civilian, {side.replace('_', ' ')}",
            )
        # Below the plot: inside it, the key covered the lines it names as they climbed.
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3, fontsize=7, frameon=False)
        _explain_jump(ax, daily)
    ax.set_xlim(0, max(10, int(daily["day"].max()) + 1) if len(daily) else 10)
    ax.set_xlabel("day of the war")
    ax.set_ylabel("deaths (cumulative, model)")
    ax.set_title("Casualties so far (one simulated war, not a forecast)")
    return fig


#: A day's military deaths above this are explained on the casualties plot (a day of the 2020 war: ~100).
JUMP_DEATHS = 300


def _explain_jump(ax, daily) -> None:
    """Name the cause of the day with the most military deaths, when it stands out: an offensive on many
    sectors at once kills hundreds in a day, and a jump without a reason reads as a bug."""
    sides = daily[[f"military_deaths_{b}" for b in BELLIGERENTS]]
    total = sides.sum(axis=1)
    step = total.diff().fillna(total)
    if step.max() < JUMP_DEATHS:
        return
    i = int(step.idxmax())
    row = daily.loc[i]
    action = str(row.get("action_azerbaijan", "fighting")).replace("_", " ").lower()
    ax.annotate(
        f"day {row['day']:.0f}: +{step[i]:,.0f} soldiers killed\n({action} on {row['contested_sectors']:.0f} sectors)",
        (row["day"], float(sides.loc[i].max())),  # on the highest line of that day
        xytext=(0.03, 0.95),  # top left: cumulative lines start low, so it stays clear of them
        textcoords="axes fraction",
        ha="left",
        va="top",
        fontsize=8,
        arrowprops={"arrowstyle": "->", "color": "0.3"},
    )
