"""The escalation ladder: one ordinal scale shared by every part of the code.

The rung of a day is *derived* from what the agents did that day (which sectors
were fought over, whether population centres were shelled, who intervened); it is
never a random walk of its own. Rungs follow the design brief, itself a condensed
Kahn ladder (docs/sources.md#escalation-scales) fitted to this conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Rung(IntEnum):
    """Rungs 0-7 of the Karabakh escalation ladder."""

    FROZEN_CONFLICT = 0
    SKIRMISHES = 1
    LIMITED_OFFENSIVE = 2
    GENERAL_OFFENSIVE = 3
    STRIKES_ON_POPULATION_CENTRES = 4
    WAR_ON_ARMENIA_PROPER = 5
    REGIONAL_INTERVENTION = 6
    RUSSIA_TURKEY_CLASH = 7

    @property
    def label(self) -> str:
        """The rung as a reader names it: 'war on Armenia proper', 'Russia-Turkey clash'."""
        text = self.name.replace("_", " ").lower()
        return text.replace("armenia", "Armenia").replace("russia turkey", "Russia-Turkey")


#: A general offensive is an offensive "all along the line of contact" (source
#: document); three simultaneous axes is what the document reports for day one.
GENERAL_OFFENSIVE_AXES = 3


@dataclass(frozen=True)
class DayActivity:
    """What happened on one day, as far as the ladder cares."""

    skirmish: bool = False
    contested_karabakh: int = 0
    contested_armenia_proper: int = 0
    strikes_on_population_centres: bool = False
    intervening_powers: frozenset[str] = frozenset()
    intervention_sides: frozenset[str] = frozenset()


def rung_of(activity: DayActivity) -> Rung:
    """The rung implied by one day's activity (the highest condition that holds).

    A Russia-Turkey clash needs both powers in the war *on opposite sides*; one
    regional power in the war is rung 6; fighting inside Armenia proper brings the
    Russia-Armenia treaty into play (rung 5).
    """
    powers = activity.intervening_powers
    if {"russia", "turkey"} <= powers and len(activity.intervention_sides) > 1:
        return Rung.RUSSIA_TURKEY_CLASH
    if powers:
        return Rung.REGIONAL_INTERVENTION
    if activity.contested_armenia_proper > 0:
        return Rung.WAR_ON_ARMENIA_PROPER
    if activity.strikes_on_population_centres:
        return Rung.STRIKES_ON_POPULATION_CENTRES
    if activity.contested_karabakh >= GENERAL_OFFENSIVE_AXES:
        return Rung.GENERAL_OFFENSIVE
    if activity.contested_karabakh > 0:
        return Rung.LIMITED_OFFENSIVE
    if activity.skirmish:
        return Rung.SKIRMISHES
    return Rung.FROZEN_CONFLICT
