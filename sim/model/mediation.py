"""Mediation: ceasefire proposals after a day of fighting, and the ceasefire in force.

The Minsk Group and any power whose stance is to mediate propose a ceasefire;
it starts when every belligerent accepts (each decides from its own
forecasts: `Belligerent.acceptance`). A ceasefire in force breaks with a
hazard that grows with the attacker's wish to resume, and ends the war once it
has held long enough.
"""

from __future__ import annotations

from typing import Any

from sim.rules.decisions import Stance
from sim.rules.diplomacy import Ceasefire, accepted, break_probability, holds_long_enough


class Mediation:
    """Ceasefires of one war (a ConflictModel's `mediation`)."""

    def __init__(self, model: Any):
        self.model = model
        self._guarantor: str | None = None  # who it is follows from the ties and the powers' fixed traits

    def propose(self) -> None:
        """Mediators propose: a settlement first (sim.model.bargaining), which ends the war when every
        belligerent accepts it, then a ceasefire, which starts when every belligerent accepts one."""
        m = self.model
        brokers = ["minsk_group"] if m.mediator.proposes() else []
        brokers += [p.name for p in m.powers.values() if p.stance == Stance.MEDIATE or p.name in m.clashing]
        guarantor = self.guarantor()
        if not brokers and guarantor == "none":
            return
        brokers.sort(key=lambda b: -m.ties.leverage(b))  # the one with a hold on both sides first
        # A settlement cedes ground, so it is negotiated by the guarantor who can keep it (whatever its
        # stance today), else by the day's broker with most leverage.
        if self._settle(guarantor if guarantor != "none" else brokers[0]):
            return
        if not brokers:
            return
        parties = list(m.belligerents.values())
        for broker in brokers:
            draws = [m.rng.random() for _ in parties]
            # The defenders are asked first: a refusal ends the proposal before the
            # attacker's forecasts (the costly part) are computed. The draws are the
            # same either way, one per party in the order of `parties`.
            probs = (b.acceptance(broker) for b in parties[1:] + parties[:1])
            if accepted(probs, draws[1:] + draws[:1]):
                guaranteed = (
                    m.powers.get(broker) is not None
                    and m.powers[broker].peacekeepers
                    and (1.0 - m.theatre.karabakh_value_held() >= m.diplomacy["peacekeeper_consent_gain"])
                )
                m.ceasefire = Ceasefire(broker, m.day, guaranteed)
                m.ceasefires_agreed += 1
                m.ceasefire_log.append((m.day, broker))
                return

    def _settle(self, broker: str) -> bool:
        """The broker with most leverage offers the settlement (sim.model.bargaining); if every party
        accepts, the war ends on its terms, with the broker's peacekeepers if it has them."""
        m = self.model
        if not m.bargaining.agreed():
            return False
        power = m.powers.get(broker)
        keepers = broker if power is not None and power.peacekeepers and not power.abstains else "none"
        m.end("settlement", broker, m.day, peacekeepers=keepers, ceded=m.bargaining.ceded())
        return True

    def hold_or_break(self) -> None:
        """A day under a ceasefire: it breaks, holds another day, or has held long enough to end the war."""
        m = self.model
        cf = m.ceasefire
        hazard, durability = m.diplomacy["break_hazard"], m.mediator.durability
        u = m.rng.random()
        # The wish to resume is a probability, so the break probability is at most its
        # value at wish 1: a draw at or above that keeps the peace whatever the attacker
        # wishes, and the forecasts behind the wish are not needed.
        if u < break_probability(hazard, durability, cf.guaranteed, 1.0):
            wish = 1.0 - m.attacker.acceptance(cf.broker)
            broken = u < break_probability(hazard, durability, cf.guaranteed, wish)
        else:
            broken = False
        if broken:
            m.ceasefire = None
            m.ceasefires_broken += 1
            return
        cf.days_held += 1
        if holds_long_enough(cf, int(m.diplomacy["hold_days"])):
            m.end("ceasefire", cf.broker, cf.start_day, peacekeepers=cf.broker if cf.guaranteed else "none")

    def guarantor(self) -> str:
        """The power that brokers a capitulation: of the mediating powers with peacekeepers, the one
        with most leverage over both sides (then the strongest mediating role); one that abstains cannot.

        All of these are fixed for a run, so it is found once.
        """
        if self._guarantor is None:
            m = self.model
            best = [
                (m.ties.leverage(p.name), m.ties.weight(p.name, "minsk_group", ("mediation",)), p.name)
                for p in m.powers.values()
                if p.peacekeepers and p.side != "azerbaijani" and not p.abstains
            ]
            best = [b for b in best if b[1] > 0]
            self._guarantor = max(best)[2] if best else "none"
        return self._guarantor
