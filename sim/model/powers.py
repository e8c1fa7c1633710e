"""What outside powers see and do to the war (part of ConflictModel).

`PowersMixin` holds the model methods about the outside powers: the tie
look-ups, the situation each power sees before choosing its stance (sim.rules.decisions
turns it into utilities), the effects of the stances (pressure, resupply, forces
added to a side) and the intervention risks the belligerents forecast.
sim.rules.decisions.Outlook carries the fixed numbers of those rules, read from conf/decisions.
"""

from __future__ import annotations

import numpy as np

from sim.rules.decisions import PowerSituation, Stance
from sim.config.schema import BELLIGERENTS


class PowersMixin:
    """Ties, the powers' view of the war, the effects of their stances."""

    # --- ties -----------------------------------------------------------------------
    def _side_of(self, power) -> str | None:
        """The side a power would fight on: its ally's, or against a change on its border."""
        for tie in self.ties:
            if tie["actor"] == power.name and tie["kind"] == "alliance" and tie["partner"] in BELLIGERENTS:
                return "azerbaijani" if tie["partner"] == "azerbaijan" else "armenian"
        return "armenian" if power.border_interest > 0 else None

    def _index_ties(self) -> None:
        """Look-up tables of the ties, which are fixed for a run and read many times a day.

        _tie_max[(actor, partner)][kind] is the largest weight of such a tie;
        _ties_of[actor] lists the actor's ties in config order; _alliance_scope[actor]
        is the scope of its first alliance.
        """
        self._tie_max: dict[tuple[str, str], dict[str, float]] = {}
        self._ties_of: dict[str, list[dict]] = {}
        self._alliance_scope: dict[str, str] = {}
        for t in self.ties:
            kinds = self._tie_max.setdefault((t["actor"], t["partner"]), {})
            kinds[t["kind"]] = max(kinds[t["kind"]], t["weight"]) if t["kind"] in kinds else t["weight"]
            self._ties_of.setdefault(t["actor"], []).append(t)
            if t["kind"] == "alliance":
                self._alliance_scope.setdefault(t["actor"], t["scope"])

    def _read_ties(self, p) -> None:
        """Set the tie weights a power's daily choices and the belligerents' forecasts read (fixed for a run)."""
        p.side = self._side_of(p)
        p.mediation_tie = self.tie_weight(p.name, "minsk_group", ("mediation",))
        p.attacker_alliance = self.tie_weight(p.name, "azerbaijan", ("alliance",))
        p.armenian_alliance = max(self.tie_weight(p.name, "armenia", ("alliance",)),
                                  self.tie_weight(p.name, "artsakh", ("alliance",)))
        p.alliance_scope = self._scope_of(p)
        p.arms_to_attacker = self.tie_weight(p.name, "azerbaijan", ("arms_supply",))
        p.arms_to_defenders = max(self.tie_weight(p.name, "armenia", ("arms_supply",)),
                                  self.tie_weight(p.name, "artsakh", ("arms_supply",)))
        ties = self._ties_of.get(p.name, [])
        p.alliances = [(t["weight"], t["partner"], t["scope"]) for t in ties
                       if t["kind"] == "alliance" and t["partner"] in self.belligerents]
        p.arms_ties = [(t["weight"], t["partner"]) for t in ties if t["kind"] == "arms_supply"]
        p.rivalries = [(t["weight"], t["partner"]) for t in ties if t["kind"] == "rivalry"]

    def tie_weight(self, actor: str, partner: str, kinds: tuple[str, ...] = ()) -> float:
        """Largest weight of a tie actor -> partner (of the given kinds, or any)."""
        by_kind = self._tie_max.get((actor, partner))
        if not by_kind:
            return 0.0
        if not kinds:
            return max(by_kind.values())
        return max((by_kind[k] for k in kinds if k in by_kind), default=0.0)

    def _scope_of(self, p) -> str:
        """Scope of the power's first alliance ("all" without one)."""
        return self._alliance_scope.get(p.name, "all")

    # --- effects of the stances -----------------------------------------------------------
    def _apply_stances(self) -> None:
        """Effects of the powers' stances: pressure, resupply (interventions act in combat)."""
        o = self.outlook
        for p in self.powers.values():
            if p.stance in (Stance.PRESSURE, Stance.MEDIATE):
                gain = o.pressure_per_stance * p.interests.stability_interest
                for b in self.belligerents.values():
                    b.pressure = min(1.0, b.pressure + gain * (1.0 if b is self.attacker else o.defender_pressure_share))
            if p.stance == Stance.RESUPPLY:
                self._resupply(p)

    def _resupply(self, p) -> None:
        rate = p.resupply_capacity
        a = self.attacker
        w = p.arms_to_attacker
        if w > 0:
            a.pool.armour += rate * w * max(0.0, a.initial.armour - a.pool.armour)
            a.pool.uavs += rate * w * max(0.0, a.initial.uavs - a.pool.uavs)
            a.pool.artillery += rate * w * max(0.0, a.initial.artillery - a.pool.artillery)
        w = p.arms_to_defenders
        if w > 0:
            lost = max(0.0, self.initial_def_armour - self.def_armour.sum())
            held = self.theatre.controller == 0
            if held.any() and lost > 0:
                self.def_armour[held] += rate * w * lost / held.sum()

    def defender_bonus(self) -> np.ndarray:
        """Infantry-equivalents that intervening powers add to the defence, per sector."""
        t = self.theatre
        bonus = np.zeros(len(t.names))
        for p in self.powers.values():
            if p.intervened and p.side == "armenian":
                scope = t.iran_border if p.border_interest > 0 else t.armenia_proper
                if self.tie_weight(p.name, "armenia", ("alliance",)) and self._scope_of(p) == "all":
                    scope = np.ones(len(t.names), dtype=bool)
                if scope.any():
                    bonus[scope] += p.intervention_force / scope.sum()
        return bonus

    # --- risks the belligerents forecast ------------------------------------------------------
    def _risk_against_attacker(self, in_armenia: bool, on_border: bool) -> float:
        """Probability that some power enters the war against the attacker over an option that does
        (or does not) attack Armenia proper and the Iranian border; once per state inside a step."""
        return self._memo(("risk", in_armenia, on_border), lambda: self._intervention_risk(in_armenia, on_border))

    def _intervention_risk(self, in_armenia: bool, on_border: bool) -> float:
        """_risk_against_attacker for an option that does or does not touch Armenia proper and the Iranian border."""
        o = self.outlook
        stay_out = 1.0
        for p in self.powers.values():
            if p.intervened or p.side != "armenian":
                continue
            w = p.armenian_alliance if in_armenia or p.alliance_scope == "all" else 0.0
            if on_border:
                w = max(w, p.border_interest)
            threat = o.threat_risk_factor if p.stance == Stance.THREATEN else 1.0
            stay_out *= 1.0 - min(1.0, o.intervention_hazard * p.interests.resolve * w * threat)
        return 1.0 - stay_out

    def _attacker_ally_risk(self) -> float:
        """Daily risk that the attacker's most resolute ally enters the war."""
        return self.outlook.intervention_hazard * max(
            (p.interests.resolve * p.attacker_alliance for p in self.powers.values()), default=0.0)

    # --- what a power sees ---------------------------------------------------------------
    def _front_view(self) -> tuple[float, float, float]:
        """(Armenia proper, Karabakh, Iranian border) threat levels every power sees today (0-1).

        A region is threatened by what the attacker holds of it and, at
        contested_threat, by fighting in it yesterday (the powers choose before
        today's fight).
        """
        t, c = self.theatre, self.outlook.contested_threat
        ap = min(1.0, float(t.progress[t.armenia_proper].max()) + c * float((self.contested & t.armenia_proper).any()))
        kb = 1.0 - t.karabakh_value_held()
        border = min(1.0, float(t.progress[t.iran_border].max()) + c * float((self.contested & t.iran_border).any()))
        return ap, kb, border

    def ally_distress(self) -> float:
        """How badly the attacker is doing, as its ally sees it (0-1).

        Its offensive stalls (frustration), it loses ground to counterattacks
        (setbacks), its towns are shelled (civilian deaths) or a rival power has
        entered the war against it.
        """
        o = self.outlook
        rival_in = any(q.intervened and q.side == "armenian" for q in self.powers.values())
        distress = (o.ally_distress_frustration * self.frustration() + o.ally_distress_setback * self.setbacks()
                    + min(1.0, self.attacker.civilian_deaths / o.ally_distress_civilians) + o.ally_distress_rival * rival_in)
        return min(1.0, distress)

    def situation_of(self, p) -> PowerSituation:
        """What an outside power sees today.

        ally_threat is the threat to each ally in the scope of the alliance's
        guarantee (Russia's treaty: Armenia proper), weighted by the tie, plus the
        border interest times the threat to its border; an ally on the attacking
        side is threatened by its distress (`ally_distress`).
        """
        ap, kb, border = self._memo(("front_view",), self._front_view)
        threat = 0.0
        for weight, partner, scope in p.alliances:
            if partner == "azerbaijan":
                threat += weight * self._memo(("ally_distress",), self.ally_distress)
            else:
                threat += weight * (ap if scope == "armenia_proper" else kb if scope == "karabakh" else max(ap, kb))
        threat = min(1.0, threat + p.border_interest * border)
        need = 0.0
        for weight, partner in p.arms_ties:
            if partner == "azerbaijan":
                a = self.attacker
                share = 1.0 - a.pool.armour / max(a.initial.armour, 1.0)
            else:
                share = 1.0 - self._memo(("def_armour",), self.def_armour.sum) / max(self.initial_def_armour, 1.0)
            need += weight * max(0.0, share)
        rival = 0.0
        for weight, partner in p.rivalries:
            q = self.powers.get(partner)
            if q is not None and q.intervened and q.side != p.side:
                rival = max(rival, weight)
        return PowerSituation(
            ally_threat=threat,
            arms_need=min(1.0, need),
            mediation_tie=p.mediation_tie,
            escalation=int(self.rung) / 7.0,
            rival_intervened=float(rival > 0),
            rivalry=rival,
        )
