"""The terms a war ends on: districts handed over, the corridor, peacekeepers.

Pure logic (no Mesa); the model applies it on the day the war ends
(ConflictModel.end). The rules follow how the 2020 war ended: the trilateral
statement of 10 November 2020, after the fall of Shusha broke the defence,
handed Azerbaijan the districts around the former autonomous oblast that the
Armenian side still held (Aghdam, Kalbajar, Lachin), kept a corridor through
Lachin open under Russian peacekeepers, and left the line of contact in the
oblast where the fighting had stopped (docs/sources.md#the-2020-war-as-a-whole).

- A negotiated settlement: the districts its terms cede (sim.rules.bargaining).
- A collapse (capitulation): the Armenian side hands over every district
  outside the oblast it still holds; the oblast's districts stay where the
  line stood.
- A ceasefire: the line stays where the fighting stopped; nothing is handed
  over.
- Armenia and Karabakh stay linked while the corridor sector is held, or,
  when it is lost or handed over, through a corridor under a guarantor's
  peacekeepers, so long as any of Karabakh is still held.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Terms:
    """What a war ended with.

    handed_over: indices of the sectors handed over at the end (not taken in the fighting);
    linked: whether Armenia and the Armenian-held part of Karabakh stay linked;
    peacekeepers: the power whose peacekeepers deploy, or "none".
    """

    handed_over: tuple[int, ...]
    linked: bool
    peacekeepers: str


def settle(
    end_type: str,
    held: np.ndarray,
    karabakh: np.ndarray,
    oblast: np.ndarray,
    corridor: int,
    peacekeepers: str,
    ceded: tuple[int, ...] | None = None,
) -> Terms:
    """The terms of an ending, from who holds each sector when the fighting stops.

    held: the Armenian side holds the sector; karabakh, oblast: the sector's
    region and whether it is part of the former oblast; corridor: index of
    the sector the road to Armenia runs through (-1 for none); ceded: the
    districts a negotiated settlement hands over (sim.rules.bargaining), when
    the ending is one.
    """
    held = np.asarray(held, dtype=bool)
    outside = held & np.asarray(karabakh, dtype=bool) & ~np.asarray(oblast, dtype=bool)
    if ceded is not None:
        handed = tuple(ceded)
    elif end_type == "capitulation":
        handed = tuple(int(i) for i in np.flatnonzero(outside))
    else:
        handed = ()
    after = held.copy()
    after[list(handed)] = False
    karabakh_held = bool((after & np.asarray(karabakh, dtype=bool)).any())
    road_held = corridor >= 0 and bool(after[corridor])
    linked = karabakh_held and (road_held or peacekeepers != "none")
    return Terms(handed, linked, peacekeepers)
