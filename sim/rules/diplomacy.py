"""Ceasefires: proposed by mediators, accepted when continuing is worth less than
stopping, broken with a daily hazard, made to hold by a guarantor's peacekeepers.

Pure logic (no Mesa): the model supplies the values and the random draws.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Ceasefire:
    """A ceasefire in force."""

    broker: str
    start_day: int
    guaranteed: bool = False
    days_held: int = 0


def break_probability(hazard: float, durability: float, guaranteed: bool, wish_to_resume: float) -> float:
    """Daily probability that a ceasefire breaks down.

    hazard: the daily hazard when resuming is clearly worth more than peace;
    durability: the share of it removed by the mediating institution's
    monitoring; wish_to_resume (0-1): the revisionist side's probability of
    preferring war to peace today (the complement of accepting the ceasefire
    anew). A guaranteed ceasefire, with peacekeepers between the sides, holds.
    """
    if guaranteed:
        return 0.0
    return max(0.0, min(1.0, hazard * (1.0 - durability) * wish_to_resume))


def holds_long_enough(ceasefire: Ceasefire, hold_days: int) -> bool:
    """A ceasefire ends the war once it has held `hold_days` days (or is guaranteed)."""
    return ceasefire.guaranteed or ceasefire.days_held >= hold_days


def accepted(acceptance_probabilities: Iterable[float], draws: list[float]) -> bool:
    """A ceasefire is agreed when every belligerent accepts it.

    The probabilities may be a lazy iterable: they are read in order and only
    until the first refusal.
    """
    return all(u < p for p, u in zip(acceptance_probabilities, draws, strict=True))
