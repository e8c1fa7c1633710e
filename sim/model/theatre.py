"""The theatre: sectors of the line of contact as cells of a Mesa Network.

Sector state lives in numpy arrays (one entry per sector) so that a day of
combat is a few vectorised operations; each `Sector` cell is a named view onto
its row, which is what agents, the SolaraViz page and the plots see.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
from mesa.discrete_space import Cell, Network

ARMENIAN, AZERBAIJANI = 0, 1


class Sector(Cell):
    """A sector of the front: a Network cell that reads its state from the theatre arrays."""

    theatre: Theatre
    index: int

    @property
    def name(self) -> str:
        return self.coordinate

    @property
    def controller(self) -> str:
        return "azerbaijani" if self.theatre.controller[self.index] == AZERBAIJANI else "armenian"

    @property
    def progress(self) -> float:
        """Share of the sector the attacker has taken (1 once it has changed hands)."""
        return float(self.theatre.progress[self.index])

    @property
    def area_km2(self) -> float:
        return float(self.theatre.area[self.index])

    def __repr__(self) -> str:
        return f"Sector({self.name!r}, {self.controller}, progress={self.progress:.2f})"


class Theatre:
    """All sectors: static attributes, control and progress, defender garrisons."""

    def __init__(self, spec: Any, random=None):
        self.names: list[str] = list(spec.sectors)
        s = [spec.sectors[n] for n in self.names]
        self.index = {n: i for i, n in enumerate(self.names)}
        self.area = np.array([x.area_km2 for x in s], dtype=float)
        self.ruggedness = np.array([x.ruggedness for x in s], dtype=float)
        self.fortification = np.array([x.fortification for x in s], dtype=float)
        self.population = np.array([x.population for x in s], dtype=float)
        self.position = np.array([list(x.position) for x in s], dtype=float)  # [longitude, latitude] of the centre
        self.value = np.array([x.strategic_value for x in s], dtype=float)
        self.garrison_share = np.array([x.garrison for x in s], dtype=float)
        self.armenia_proper = np.array([x.region == "armenia_proper" for x in s])
        self.karabakh = ~self.armenia_proper
        self.line_of_contact = np.array([bool(x.line_of_contact) for x in s])
        self.iran_border = np.array([bool(x.iran_border) for x in s])
        self.oblast = np.array([bool(x.get("oblast", False)) for x in s])
        #: The sector the road to Armenia runs through (-1 for none).
        self.corridor = self.index.get(str(spec.get("corridor") or ""), -1)
        self.controller = np.array([AZERBAIJANI if x.controller == "azerbaijani" else ARMENIAN for x in s])
        self.initial_controller = self.controller.copy()
        self.progress = (self.controller == AZERBAIJANI).astype(float)
        self.total_area = float(self.area.sum())
        self.aliases = {k: list(v) for k, v in (spec.get("aliases") or {}).items()}
        #: UAV sorties flown over each sector so far: the drones' picture of its defences,
        #: which erodes the defender's terrain and fortification edge (sim.rules.combat.eroded_multiplier).
        self.watched = np.zeros(len(self.names))
        #: Width of a sector's front, km: the side of a square of its area. A model judgement
        #: (a sector's assault frontage grows with its linear size, not its area).
        self.frontage_km = np.sqrt(self.area)
        #: Each sector's strategic value as a share of its region's (Karabakh or Armenia
        #: proper), computed once: values and regions are fixed for a run.
        region_total = np.where(
            self.armenia_proper, self.value[self.armenia_proper].sum(), self.value[self.karabakh].sum()
        )
        self.region_value_share = self.value / region_total
        #: Karabakh's sectors and their values, read every day (`karabakh_value_held`).
        self._karabakh = np.flatnonzero(self.karabakh)
        self._karabakh_value = self.value[self._karabakh]
        self._karabakh_total = self._karabakh_value.sum()

        self._links = [tuple(link) for link in spec.links]
        #: Which sectors border which (symmetric; the links of the config).
        self.adjacency = np.zeros((len(self.names), len(self.names)), dtype=bool)
        for a, b in self._links:
            self.adjacency[self.index[a], self.index[b]] = self.adjacency[self.index[b], self.index[a]] = True
        self._layout = {n: tuple(x.position) for n, x in zip(self.names, s, strict=True)}
        self._random = random
        self._space: Network | None = None

    @property
    def space(self) -> Network:
        """The sectors as a Mesa Network of `Sector` cells, built on first use.

        A run reads only the arrays, so the Network (with its graph and spatial
        index, a sizeable part of a model's set-up) is made only for whoever
        looks at the cells: the page, the plots, a user.
        """
        if self._space is None:
            graph = nx.Graph()
            graph.add_nodes_from(self.names)
            graph.add_edges_from(self._links)
            self._space = Network(graph, random=self._random, cell_klass=Sector, layout=self._layout)
            for name, cell in self._space._cells.items():
                cell.theatre = self
                cell.index = self.index[name]
        return self._space

    def expand(self, names: list[str]) -> list[str]:
        """Sector names with each alias (theatre.aliases) replaced by the sectors it stands for."""
        out: list[str] = []
        for name in names:
            out += self.aliases.get(name, [name])
        return out

    def sector(self, name: str) -> Sector:
        return self.space._cells[name]

    @property
    def sectors(self) -> list[Sector]:
        return [self.space._cells[n] for n in self.names]

    def front(self, region_mask: np.ndarray) -> np.ndarray:
        """Armenian-held sectors in a region that the attacker can reach.

        A sector is reachable if it lies on the line of contact or borders a
        sector the attacker already holds.
        """
        held = self.controller == ARMENIAN
        az = self.controller == AZERBAIJANI
        reachable = self.line_of_contact | (self.adjacency[:, az].any(axis=1) if az.any() else False)
        return held & region_mask & reachable

    def km2_held(self) -> tuple[float, float]:
        """(armenian, azerbaijani) km2; partial progress counts for the attacker."""
        az = float((self.progress * self.area).sum())
        return self.total_area - az, az

    def karabakh_value_held(self) -> float:
        """Share of Karabakh's strategic value the Armenian side still holds."""
        kv = self._karabakh_value
        return float((kv * (1.0 - self.progress[self._karabakh])).sum() / self._karabakh_total)
