"""Garrisons: the Armenian side's forces on the ground, sector by sector.

Armenia and the Artsakh forces defend one line: Armenia's units hold the
sectors of Armenia proper and reinforce Karabakh, Artsakh's hold Karabakh.
Their troops, armour and guns are one set of per-sector arrays (a day of
combat is a few vectorised operations over them), shared by the two
`Defender` agents; each defender answers for the sectors of its own region.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.operations import Pool
from sim.model.theatre import Theatre
from sim.rules.combat import Forces


@dataclass
class Garrisons:
    """Troops, armour, artillery and air defence in each sector (arrays over the theatre's sectors)."""

    troops: np.ndarray
    armenia_troops: np.ndarray  # the part of `troops` that is Armenia's (its losses are Armenia's)
    armour: np.ndarray
    artillery: np.ndarray
    air_defence: np.ndarray
    initial: tuple[float, float, float]  # armour, guns, air defence theatre-wide at the start: what can be replaced
    initial_karabakh_troops: float  # in Karabakh at the start: the measure of a collapse

    def __post_init__(self) -> None:
        #: The defenders' drones in every sector: none (read-only, shared by every `forces()`).
        self._no_uavs = np.zeros_like(self.troops)
        self._no_uavs.setflags(write=False)

    @classmethod
    def spread(cls, theatre: Theatre, armenia: Pool, artsakh: Pool, armenian_share_karabakh: float) -> Garrisons:
        """Each defender's pool spread over its region by the sectors' garrison shares.

        In Karabakh a share of the garrison is Armenia's own soldiers (conscripts
        serving in the Karabakh Defence Army): Artsakh's troops there are booked
        to Armenia in that share.
        """
        t = theatre
        owner = np.where(t.armenia_proper, 0, 1)
        troops = np.array([armenia.troops, artsakh.troops])[owner] * t.garrison_share
        armour = np.array([armenia.armour, artsakh.armour])[owner] * t.garrison_share
        artillery = np.array([armenia.artillery, artsakh.artillery])[owner] * t.garrison_share
        air_defence = np.array([armenia.air_defence, artsakh.air_defence])[owner] * t.garrison_share
        armenia_troops = troops * np.where(t.armenia_proper, 1.0, armenian_share_karabakh)
        initial = (float(armour.sum()), float(artillery.sum()), float(air_defence.sum()))
        return cls(troops, armenia_troops, armour, artillery, air_defence, initial, float(troops[t.karabakh].sum()))

    def cover(self) -> float:
        """Share of the defenders' air defence still standing (1 at the start): the sky the drones fly in."""
        start = self.initial[2]
        return float(self.air_defence.sum()) / start if start > 0 else 0.0

    def deficit(self) -> tuple[float, float, float, float]:
        """Armour, guns and air defence lost and not yet replaced, theatre-wide (UAVs: none to replace)."""
        k, g, a = self.initial
        return (
            max(0.0, k - float(self.armour.sum())),
            max(0.0, g - float(self.artillery.sum())),
            max(0.0, a - float(self.air_defence.sum())),
            0.0,
        )

    def replace(self, held: np.ndarray, amounts) -> None:
        """Spread replacements of armour, guns and air defence (theatre totals) evenly over the held sectors."""
        k = int(np.count_nonzero(held))
        if not k:
            return
        for arr, x in zip((self.armour, self.artillery, self.air_defence), amounts, strict=False):
            if x > 0:
                arr[held] += x / k

    def armenia_share(self, where) -> np.ndarray:
        """Share of the troops in the given sectors that are Armenia's."""
        return self.armenia_troops[where] / np.maximum(self.troops[where], 1e-9)

    def add(self, where, troops, armenia) -> None:
        """Add troops to sectors; `armenia` of them are Armenia's."""
        self.troops[where] += troops
        self.armenia_troops[where] += armenia

    def remove(self, where, troops, share: np.ndarray | None = None) -> None:
        """Take troops out of sectors (casualties, withdrawals), Armenia's in proportion to its share there
        (`share`: armenia_share(where), for a caller that has it already)."""
        if share is None:
            share = self.armenia_share(where)
        left = np.maximum(0.0, self.troops[where] - troops)
        self.armenia_troops[where] = left * share
        self.troops[where] = left

    def forces(self) -> Forces:
        """The defenders' forces in every sector (UAVs: none)."""
        return Forces(self.troops, self.armour, self.artillery, self._no_uavs, self.air_defence)
