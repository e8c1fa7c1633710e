"""DayCache: what one simulated day computes once, created by ConflictModel.step() and dropped after.

The belligerents' and the powers' forecasts read the same state many times a
day (the attacker's choice, the defenders' choices, the fight, the ceasefire
proposals and the daily table all ask for the same engagements). A DayCache
remembers them while the state they read is unchanged:

- `phase`: values of one state, emptied by `new_phase()` when the state
  changes (after the powers' stances, after the fight);
- `today`: the attacked sectors and the expected engagement of the
  attacker's chosen operation, computed when the first defender forecasts
  and reused by the fight itself;
- `outlooks`: each defender's part of that engagement;
- `stances`: values that follow the outside powers' stances alone (the
  intervention risks the attacker forecasts), asked only once the stances
  of the day are taken, so they hold until the day ends.

Outside a step there is no DayCache and everything is computed afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class DayCache:
    """Per-day memo of forecasts (see the module docstring)."""

    __slots__ = ("phase", "today", "outlooks", "stances")

    def __init__(self) -> None:
        self.phase: dict[Any, Any] = {}
        self.today: tuple[Any, Any] | None = None
        self.outlooks: dict[str, tuple] = {}
        self.stances: dict[Any, float] = {}

    def new_phase(self) -> None:
        """The state has changed: forget the values of the last one (today's engagement stays)."""
        self.phase = {}


def memo[T](cache: DayCache | None, key: Any, compute: Callable[[], T]) -> T:
    """compute() once per unchanged state inside a step (cache given); always afresh outside one."""
    if cache is None:
        return compute()
    phase = cache.phase
    if key not in phase:
        phase[key] = compute()
    return phase[key]
