"""PowerPolitics: what the outside powers see of the war and what their stances do to it.

The situation each power sees before choosing its stance (sim.rules.decisions
turns it into utilities), the effects of the stances (pressure, resupply,
forces added to a side) and the intervention risks the belligerents forecast.
sim.rules.decisions.Outlook carries the fixed numbers of those rules, read
from conf/decisions. Each `OutsidePower` agent chooses its own stance from
`situation_of(itself)`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.daycache import memo
from sim.rules.decisions import PowerSituation, Stance


class PowerPolitics:
    """The outside powers' view of one war, and the effects of their stances (a ConflictModel's `politics`)."""

    def __init__(self, model: Any):
        self.model = model
        self._ally_risk: float | None = None  # follows the powers' resolve and alliances, fixed for a run
        self._no_bonus: np.ndarray | None = None
        self._intelligence: float | None = None  # follows the powers' ties and fixed traits: found once a run

    def _memo(self, key, compute):
        return memo(self.model.cache, key, compute)

    # --- effects of the stances -----------------------------------------------------------
    def apply_stances(self) -> None:
        """Effects of the powers' stances: pressure, resupply (`m.logistics`; interventions act in combat)."""
        m = self.model
        o = m.outlook
        for p in m.powers.values():
            if p.stance in (Stance.PRESSURE, Stance.MEDIATE):
                gain = o.pressure_per_stance * p.interests.stability_interest
                for b in m.belligerents.values():
                    b.pressure = min(1.0, b.pressure + gain * (1.0 if b is m.attacker else o.defender_pressure_share))
            if p.stance == Stance.RESUPPLY:
                m.logistics.deliver(p)  # paid from the recipient's arms spending (sim.rules.logistics)

    def intelligence_for_attacker(self) -> float:
        """The reconnaissance the attacker's suppliers lend it, in its own drone sorties: the sum of
        `powers.<name>.intelligence` over the powers that arm it and do not stand aside. A standing
        arrangement of the arms tie, not a daily stance (sim.rules.combat.kill_chain; the drones' picture
        of the defences grows the same way, sim.model.front)."""
        if self._intelligence is None:
            self._intelligence = sum(
                p.intelligence for p in self.model.powers.values() if p.arms_to_attacker > 0 and not p.abstains
            )
        return self._intelligence

    def defender_bonus(self) -> np.ndarray:
        """Infantry-equivalents that intervening powers add to the defence, per sector."""
        m = self.model
        t = m.theatre
        if not any(p.intervened and p.side == "armenian" for p in m.powers.values()):
            if self._no_bonus is None:
                self._no_bonus = np.zeros(len(t.names))
                self._no_bonus.setflags(write=False)
            return self._no_bonus  # nobody fights beside the defenders (most days): no bonus, read-only
        bonus = np.zeros(len(t.names))
        for p in m.powers.values():
            if p.intervened and p.side == "armenian":
                scope = t.iran_border if p.border_interest > 0 else t.armenia_proper
                if m.ties.weight(p.name, "armenia", ("alliance",)) and p.alliance_scope == "all":
                    scope = np.ones(len(t.names), dtype=bool)
                if scope.any():
                    bonus[scope] += p.intervention_force / scope.sum()
        return bonus

    # --- risks the belligerents forecast ------------------------------------------------------
    def risk_against_attacker(self, in_armenia: bool, on_border: bool) -> float:
        """Probability that some power enters the war against the attacker over an option that does
        (or does not) attack Armenia proper and the Iranian border.

        It follows the powers' stances alone, so inside a step it is computed
        once a day (it is asked only after the stances are taken).
        """
        cache = self.model.cache
        if cache is None:
            return self._intervention_risk(in_armenia, on_border)
        key = (in_armenia, on_border)
        risk = cache.stances.get(key)
        if risk is None:
            risk = cache.stances[key] = self._intervention_risk(in_armenia, on_border)
        return risk

    def _intervention_risk(self, in_armenia: bool, on_border: bool) -> float:
        m = self.model
        o = m.outlook
        stay_out = 1.0
        for p in m.powers.values():
            if p.intervened or p.side != "armenian":
                continue
            w = p.armenian_alliance if in_armenia or p.alliance_scope == "all" else 0.0
            if on_border:
                w = max(w, p.border_interest)
            threat = o.threat_risk_factor if p.stance == Stance.THREATEN else 1.0
            stay_out *= 1.0 - min(1.0, o.intervention_hazard * p.interests.resolve * w * threat)
        return 1.0 - stay_out

    def attacker_ally_risk(self) -> float:
        """Daily risk that the attacker's most resolute ally enters the war (fixed for a run: found once)."""
        if self._ally_risk is None:
            m = self.model
            self._ally_risk = m.outlook.intervention_hazard * max(
                (p.interests.resolve * p.attacker_alliance for p in m.powers.values()), default=0.0
            )
        return self._ally_risk

    # --- what a power sees ---------------------------------------------------------------
    def front_view(self) -> tuple[float, float, float]:
        """(Armenia proper, Karabakh, Iranian border) threat levels every power sees today (0-1).

        A region is threatened by what the attacker holds of it and, at
        contested_threat, by fighting in it yesterday (the powers choose before
        today's fight).
        """
        m = self.model
        t, c, contested = m.theatre, m.outlook.contested_threat, m.contested
        ap = min(1.0, float(t.progress[t.armenia_proper].max()) + c * float(contested[t.armenia_proper].any()))
        kb = 1.0 - t.karabakh_value_held()
        border = min(1.0, float(t.progress[t.iran_border].max()) + c * float(contested[t.iran_border].any()))
        return ap, kb, border

    def ally_distress(self) -> float:
        """How badly the attacker is doing, as its ally sees it (0-1).

        Its offensive stalls (frustration), it loses ground to counterattacks
        (setbacks), its towns are shelled (civilian deaths) or a rival power has
        entered the war against it.
        """
        m = self.model
        o = m.outlook
        rival_in = any(q.intervened and q.side == "armenian" for q in m.powers.values())
        distress = (
            o.ally_distress_frustration * m.forecasts.frustration()
            + o.ally_distress_setback * m.forecasts.setbacks()
            + min(1.0, m.attacker.civilian_deaths / o.ally_distress_civilians)
            + o.ally_distress_rival * rival_in
        )
        return min(1.0, distress)

    def _view(self) -> tuple[float, float, float, float, float]:
        """What every power sees alike today: the threat to each region (`front_view`) and the share of
        its equipment each side has lost (the attacker's armour, the defenders' armour)."""
        m = self.model
        a, g = m.attacker, m.garrisons
        attacker_lost = 1.0 - a.pool.armour / max(a.initial.armour, 1.0)
        defenders_lost = 1.0 - g.armour.sum() / max(g.initial[0], 1.0)
        return (*self.front_view(), attacker_lost, defenders_lost)

    def situation_of(self, p) -> PowerSituation:
        """What an outside power sees today.

        ally_threat is the threat to each ally in the scope of the alliance's
        guarantee (Russia's treaty: Armenia proper), weighted by the tie, plus the
        border interest times the threat to its border; an ally on the attacking
        side is threatened by its distress (`ally_distress`).
        """
        m = self.model
        ap, kb, border, attacker_need, defender_need = self._memo(("power view",), self._view)
        threat = 0.0
        for weight, partner, scope in p.alliances:
            if partner == "azerbaijan":
                threat += weight * self._memo(("ally_distress",), self.ally_distress)
            else:
                threat += weight * (ap if scope == "armenia_proper" else kb if scope == "karabakh" else max(ap, kb))
        threat = min(1.0, threat + p.border_interest * border)
        need = 0.0
        for weight, partner in p.arms_ties:
            need += weight * max(0.0, attacker_need if partner == "azerbaijan" else defender_need)
        rival = 0.0
        for weight, partner in p.rivalries:
            q = m.powers.get(partner)
            if q is not None and q.intervened and q.side != p.side:
                rival = max(rival, weight)
        return PowerSituation(
            ally_threat=threat,
            arms_need=min(1.0, need),
            mediation_tie=p.mediation_tie,
            escalation=int(m.rung) / 7.0,
            rival_intervened=float(rival > 0),
            rivalry=rival,
        )
