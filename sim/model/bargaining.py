"""Bargaining: each side's beliefs about the war's course, and the settlement the mediators offer.

Each side believes the attacker takes a certain share of Karabakh's value a
day: before the war from the balance of arms spending, each reading it in its
own favour (sim.rules.bargaining.prior_rate); after each day of fighting
moved towards what the battlefield showed. It also learns what the war costs
it a day in soldiers killed. The settlement on offer follows how the 2020 war
ended: the attacker keeps what it took and receives the districts around the
former oblast the Armenian side still holds (sim.rules.settlement). Each
belligerent accepts it when it is worth more than fighting on for
`diplomacy.settlement_horizon` days as it expects that fighting to go
(Fearon's bargaining range, docs/model.md 7.4).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.daycache import memo
from sim.model.theatre import ARMENIAN
from sim.rules.bargaining import (
    bargaining_range,
    expected_share,
    handed_over,
    prior_rate,
    proposal,
    settlement_acceptance,
    updated,
)


class Bargaining:
    """The belligerents' beliefs about one war (a ConflictModel's `bargaining`)."""

    def __init__(self, model: Any):
        self.model = model
        d = model.diplomacy
        defenders = model.armenia.arms_spending + model.artsakh.arms_spending
        ratio = model.attacker.arms_spending / max(defenders, 1.0)
        self.rate = {
            "azerbaijani": prior_rate(d["parity_rate"], ratio, d["optimism"], attacker=True),
            "armenian": prior_rate(d["parity_rate"], ratio, d["optimism"], attacker=False),
        }
        self.deaths_per_day = {name: 0.0 for name in model.belligerents}
        self._held = model.theatre.karabakh_value_held()
        self._dead = {name: b.military_deaths for name, b in model.belligerents.items()}

    def observe(self) -> None:
        """After a day of fighting: every belief moves towards what the day showed."""
        m = self.model
        memory = m.diplomacy["belief_memory"]
        held = self._held_now()
        for side in self.rate:
            self.rate[side] = updated(self.rate[side], self._held - held, memory)
        self._held = held
        for name, b in m.belligerents.items():
            self.deaths_per_day[name] = updated(self.deaths_per_day[name], b.military_deaths - self._dead[name], memory)
            self._dead[name] = b.military_deaths

    # --- the settlement on offer ------------------------------------------------------------
    def shares(self) -> tuple[float, float]:
        """(taken, held): the attacker's and the defenders' shares of Karabakh's value now."""
        held = self._held_now()
        return 1.0 - held, held

    def _held_now(self) -> float:
        """The Armenian side's share of Karabakh's value (theatre.karabakh_value_held), once per state in a step."""
        m = self.model
        return memo(m.cache, ("karabakh held",), m.theatre.karabakh_value_held)

    def value_weight(self, b) -> float:
        """Utility of one share of Karabakh's value to belligerent b (the gain term of its utility)."""
        p = b.prefs
        return self.model.weights.gain * p.revanchism * (1.0 + p.battlefield_legitimacy * p.domestic_pressure)

    def cost(self, b) -> float:
        """What fighting on for the horizon costs b, in shares of Karabakh's value: its soldiers killed at
        the pace it has learnt, and for the attacker the international pressure on its escalation."""
        m = self.model
        days = m.diplomacy["settlement_horizon"]
        p = b.prefs
        deaths = m.weights.losses * p.casualty_sensitivity * p.regime_casualty_weight * self.deaths_per_day[b.name]
        pressure = m.weights.pressure * b.pressure * max(0, int(m.rung) - 1) if b is m.attacker else 0.0
        return days * (deaths / 100.0 + pressure) / max(self.value_weight(b), 1e-9)

    def offer(self) -> tuple[float, float, float]:
        """(low, high, x): the bargaining range and the mediator's offer, in the attacker's final share.

        The defenders' cost is the larger of Armenia's and Artsakh's (each must accept).
        """
        m = self.model
        taken, held = self.shares()
        days = m.diplomacy["settlement_horizon"]
        p_a = expected_share(taken, held, self.rate["azerbaijani"], days)
        p_d = expected_share(taken, held, self.rate["armenian"], days)
        c_d = min(self.cost(m.armenia), self.cost(m.artsakh))
        low, high = bargaining_range(p_a, self.cost(m.attacker), p_d, c_d)
        return low, high, proposal(low, high, taken)

    def acceptance(self, b, offer: tuple[float, float, float] | None = None) -> float:
        """Probability that b accepts the offer today (`offer()` unless given): its surplus over fighting
        on, through its logit."""
        low, high, x = offer if offer is not None else self.offer()
        surplus = x - low if b is self.model.attacker else high - x
        return settlement_acceptance(surplus, self.value_weight(b), b.prefs.temperature)

    def agreed(self) -> bool:
        """Whether every belligerent accepts the offer today (one draw each, the defenders first)."""
        m = self.model
        draws = [m.rng.random() for _ in m.belligerents]
        order = [m.armenia, m.artsakh, m.attacker]
        offer = self.offer()  # one offer, weighed by each party
        return all(u < self.acceptance(b, offer) for b, u in zip(order, draws, strict=True))

    def ceded(self) -> tuple[int, ...]:
        """The districts the offer hands over: around the oblast first, then the oblast's by rising value."""
        t = self.model.theatre
        taken, _ = self.shares()
        _, _, x = self.offer()
        kb = t.karabakh & (t.controller == ARMENIAN)
        share = t.value * (1.0 - t.progress) / float(t.value[t.karabakh].sum())
        outside = [int(i) for i in np.flatnonzero(kb & ~t.oblast)]
        inside = sorted(np.flatnonzero(kb & t.oblast), key=lambda i: t.value[i])
        return handed_over([(i, float(share[i])) for i in outside + [int(i) for i in inside]], x - taken)

    def beliefs(self) -> np.ndarray:
        """(attacker's, defenders') believed daily rate of the attacker's gains, for plots and tests."""
        return np.array([self.rate["azerbaijani"], self.rate["armenian"]])
