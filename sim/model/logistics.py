"""Logistics: lost equipment replaced from each side's depots and by the powers that arm it.

The arithmetic is sim.rules.logistics; this object applies it to one war's
forces: the attacker's pool, and the Armenian side's garrisons (replacements go
to the sectors it still holds). Armenia and the Artsakh forces share one line and
one budget (Artsakh has no spending of its own; it is armed through Armenia).
"""

from __future__ import annotations

from typing import Any

from sim.model.theatre import ARMENIAN
from sim.rules.logistics import EQUIPMENT, LogisticsRules, daily_budget, deliveries, from_depots


class Logistics:
    """Replacement of one war's equipment losses (a ConflictModel's `logistics`)."""

    def __init__(self, model: Any, rules: LogisticsRules):
        self.model = model
        self.rules = rules
        self.prices = rules.prices()

    def _attacker_deficit(self) -> tuple[float, ...]:
        a = self.model.attacker
        return tuple(max(0.0, i - n) for i, n in zip(a.initial.equipment(), a.pool.equipment(), strict=True))

    def _add_to_attacker(self, amounts) -> None:
        a = self.model.attacker
        for kind, x in zip(EQUIPMENT, amounts, strict=True):
            if x > 0:
                setattr(a.pool, kind, getattr(a.pool, kind) + x)
        a.replaced += sum(amounts)

    def _add_to_defenders(self, amounts) -> None:
        m = self.model
        m.garrisons.replace(m.theatre.controller == ARMENIAN, amounts)
        m.armenia.replaced += sum(amounts)

    def from_depots(self) -> None:
        """Each side moves up replacements from its own depots (once a day, while stocks last).

        Most days there is nothing to do (no losses yet, or the depots are empty), and it
        runs every day of every war, so it checks that first, on plain floats.
        """
        m = self.model
        rate = self.rules.replacement_rate
        if rate <= 0:
            return
        a = m.attacker
        if any(a.stock):
            deficit = self._attacker_deficit()
            if any(deficit):
                moved = from_depots(deficit, tuple(a.stock), rate)
                a.stock = [s - x for s, x in zip(a.stock, moved, strict=True)]
                self._add_to_attacker(moved)
        arm, art = m.armenia, m.artsakh
        if any(arm.stock) or any(art.stock):
            deficit = m.garrisons.deficit()
            if any(deficit):
                stock = tuple(x + y for x, y in zip(arm.stock, art.stock, strict=True))
                moved = from_depots(deficit, stock, rate)
                for d in (arm, art):  # drawn from both sides' depots in proportion to what each holds
                    d.stock = [s - x * s / t if t > 0 else s for s, x, t in zip(d.stock, moved, stock, strict=True)]
                self._add_to_defenders(moved)

    def deliver(self, power: Any) -> None:
        """What one supplier ships today to each side it arms: its capacity of the deficit, as far as
        the recipient's budget for that supplier (its import share of the recipient's arms purchases) pays."""
        m = self.model
        r = self.rules
        capacity = power.resupply_capacity
        share = power.arms_to_attacker
        if share > 0:
            deficit = self._attacker_deficit()
            if any(deficit):
                budget = daily_budget(m.attacker.arms_spending, r.war_budget, share)
                self._add_to_attacker(deliveries(deficit, capacity, budget, self.prices))
        share = power.arms_to_defenders
        if share > 0:
            deficit = m.garrisons.deficit()
            if any(deficit) and (m.theatre.controller == ARMENIAN).any():
                spending = m.armenia.arms_spending + m.artsakh.arms_spending
                budget = daily_budget(spending, r.war_budget, share)
                self._add_to_defenders(deliveries(deficit, capacity, budget, self.prices))
