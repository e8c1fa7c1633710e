"""District areas as shapes for the theatre map: Voronoi cells around the districts' real centres.

No district boundaries ship with the project, so each sector is drawn as the
Voronoi cell of its town (`position` in the theatre config), clipped to the
map's frame: the set of places nearer that town than any other seed. The seeds
are the sectors, the Azerbaijani towns of the theatre config (which stand for
the Azerbaijani-held side) and a few points south of the Araxes standing for
Iran (IRAN_SEEDS). Boundaries between cells of different holders give the
pre-war line of contact (Armenian-held Karabakh against Azerbaijan), Armenia's
border (its provinces against the rest) and the Iranian border (the Araxes):
recognisable, approximate, and said to be so on the figure.

Distances are computed with longitude scaled by cos(latitude), so that cells
are not stretched east-west at 40 degrees north.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import Voronoi

#: Points south of the Araxes (longitude, latitude) whose cells stand for Iran: beside Meghri,
#: Zangilan, Jabrayil and the Horadiz bend, so that the cell edges run near the river.
IRAN_SEEDS = ((45.9, 38.65), (46.45, 38.62), (46.95, 38.95), (47.5, 39.1))
#: The map's frame: longitude and latitude limits.
FRAME = (44.85, 47.95, 38.5, 41.05)


@dataclass(frozen=True)
class Cell:
    """One seed's area: its name, who it stands for, and its polygon (longitude, latitude)."""

    name: str
    kind: str  # "karabakh", "armenia_proper", "azerbaijan" or "iran"
    seed: tuple[float, float]
    polygon: np.ndarray

    @property
    def centroid(self) -> tuple[float, float]:
        """The area centroid of the cell (shoelace formula), where its label sits."""
        x, y = self.polygon[:, 0], self.polygon[:, 1]
        xs, ys = np.roll(x, -1), np.roll(y, -1)
        cross = x * ys - xs * y
        a = cross.sum() / 2
        return float(((x + xs) * cross).sum() / (6 * a)), float(((y + ys) * cross).sum() / (6 * a))


def _seeds(spec: Any) -> list[tuple[str, str, tuple[float, float]]]:
    out = [(name, str(s.region), (float(s.position[0]), float(s.position[1]))) for name, s in spec.sectors.items()]
    for name, t in (spec.get("towns") or {}).items():
        if t.side == "azerbaijani":
            out.append((name, "azerbaijan", (float(t.position[0]), float(t.position[1]))))
    out += [(f"iran_{i}", "iran", p) for i, p in enumerate(IRAN_SEEDS)]
    return out


def theatre_cells(
    spec: Any, frame=FRAME, outlined: frozenset[str] = frozenset()
) -> tuple[list[Cell], dict[str, list[np.ndarray]]]:
    """The cells of every seed, and the boundary segments: 'contact', 'armenia' and 'iran', and
    'outline': the boundary of the `outlined` cells taken together (no edge between two of them).

    The cells are bounded by mirroring the seeds across the frame's four edges (so every
    original cell closes inside the frame).
    """
    seeds = _seeds(spec)
    x0, x1, y0, y1 = frame
    k = np.cos(np.radians((y0 + y1) / 2))
    pts = np.array([[lon * k, lat] for _, _, (lon, lat) in seeds])
    bx0, bx1 = x0 * k, x1 * k
    mirrors = [
        pts,
        np.c_[2 * bx0 - pts[:, 0], pts[:, 1]],
        np.c_[2 * bx1 - pts[:, 0], pts[:, 1]],
        np.c_[pts[:, 0], 2 * y0 - pts[:, 1]],
        np.c_[pts[:, 0], 2 * y1 - pts[:, 1]],
    ]
    vor = Voronoi(np.vstack(mirrors))
    unscale = np.array([1 / k, 1.0])
    cells = []
    for i, (name, kind, seed) in enumerate(seeds):
        region = vor.regions[vor.point_region[i]]
        poly = vor.vertices[region] * unscale
        centre = np.array([seed[0] * k, seed[1]])
        order = np.argsort(np.arctan2(vor.vertices[region][:, 1] - centre[1], vor.vertices[region][:, 0] - centre[0]))
        cells.append(Cell(name, kind, seed, poly[order]))
    edges: dict[str, list[np.ndarray]] = {"contact": [], "armenia": [], "iran": [], "outline": []}
    n = len(seeds)
    for (i, j), ridge in zip(vor.ridge_points, vor.ridge_vertices, strict=True):
        if i >= n or j >= n or -1 in ridge:
            continue
        a, b = sorted((seeds[i][1], seeds[j][1]))
        seg = vor.vertices[ridge] * unscale
        if (seeds[i][0] in outlined) != (seeds[j][0] in outlined):
            edges["outline"].append(seg)
        if "iran" in (a, b) and a != b:
            edges["iran"].append(seg)
        elif (a, b) == ("azerbaijan", "karabakh"):
            edges["contact"].append(seg)
        elif "armenia_proper" in (a, b) and a != b:
            edges["armenia"].append(seg)
    return cells, edges
