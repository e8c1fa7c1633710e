"""A day of fighting and the ceasefire proposals after it (part of ConflictModel).

`WarMixin` holds the model methods that change the front: resolving the day's
combat (casualties, equipment, ground, civilians, sectors changing hands) and
the mediators' proposals, which each belligerent accepts or refuses from its
forecasts (sim.model.forecasts). Kept apart from sim.model.conflict so each stays readable.
"""

from __future__ import annotations

import numpy as np

from sim.rules.combat import city_strike_deaths, collateral_deaths
from sim.rules.decisions import Defence, Operation, Stance, acceptance_probability
from sim.rules.diplomacy import Ceasefire, accepted
from sim.model.theatre import ARMENIAN, AZERBAIJANI


class WarMixin:
    """Fighting a day, and ceasefire proposals, of ConflictModel."""

    # --- a day of fighting ------------------------------------------------------------
    def _fight(self, op: Operation, choices: dict) -> bool:
        """Resolve today's combat; returns whether there was fighting."""
        t, f, r, rng = self.theatre, self.factors, self.rules, self.rng
        mask, e = self._today()
        a, arm, art = self.attacker, self.armenia, self.artsakh
        a.pool.troops += a.mobilise()
        reinforcement = arm.mobilise() + art.mobilise()
        front = self._front(t.karabakh)
        if front.any():
            self.garrison[front] += reinforcement / front.sum()
        if choices["armenia"] == Defence.COUNTERATTACK and front.any():
            moved = r.counterattack_transfer * self.garrison[t.armenia_proper]
            self.garrison[t.armenia_proper] -= moved
            self.garrison[front] += moved.sum() / front.sum()
        if op == Operation.SKIRMISH:
            for side in (a, self._skirmish_defender()):
                cas = rng.poisson(r.skirmish_casualties)
                killed = rng.binomial(cas, f.killed_fraction)
                side.military_deaths += killed
                side.wounded += cas - killed
            self.gains_history.append(0.0)
            return True
        if e is None:
            return False
        sel = np.flatnonzero(mask)
        self.contested[sel] = True
        in_kb = t.karabakh[sel]
        counter = 0.0
        k = len(sel)
        att_lam, def_lam = e.attacker_casualties, e.defender_casualties
        if choices["artsakh"] == Defence.COUNTERATTACK:
            # Artsakh's forces counterattack in Karabakh only; Armenia proper is Armenia's to defend.
            # Both sides bleed more where they do: the counterattacker out of its positions,
            # the attacker under fire on the ground it has just taken.
            att_lam = att_lam * np.where(in_kb, r.counterattack_fire_factor, 1.0)
            def_lam = def_lam * np.where(in_kb, r.counterattack_casualty_factor, 1.0)
            retake = f.advance_rate * np.maximum(0.0, np.log(r.counterattack_ratio / np.maximum(e.force_ratio, 1e-9)))
            counter = np.where(in_kb, retake, 0.0)
        # Draws that follow one another are taken in one call over the concatenated
        # means (numpy draws an array element by element, so the numbers are those of
        # separate calls in the same order).
        cas = rng.poisson(np.concatenate((att_lam, def_lam)))
        killed = rng.binomial(cas, f.killed_fraction)
        att_cas, def_cas, att_killed, def_killed = cas[:k], cas[k:], killed[:k], killed[k:]
        a.military_deaths += att_killed.sum()
        a.wounded += (att_cas - att_killed).sum()
        a.pool.troops = max(0.0, a.pool.troops - att_cas.sum())
        lost = rng.poisson(np.concatenate((e.attacker_armour_lost, e.attacker_uavs_lost,
                                           e.defender_armour_lost, e.defender_artillery_lost)))
        lost_armour = np.minimum(lost[:k], a.pool.armour)
        a.pool.armour = max(0.0, a.pool.armour - lost_armour.sum())
        a.armour_lost += lost_armour.sum()
        a.pool.uavs = max(0.0, a.pool.uavs - lost[k:2 * k].sum())
        self.garrison[sel] = np.maximum(0.0, self.garrison[sel] - def_cas)
        d_arm = np.minimum(lost[2 * k:3 * k], self.def_armour[sel])
        self.def_armour[sel] -= d_arm
        d_art = np.minimum(lost[3 * k:], self.def_artillery[sel])
        self.def_artillery[sel] -= d_art
        in_ap = t.armenia_proper[sel]
        # Losses in Armenia proper are Armenia's, in Karabakh Artsakh's (usually all of them).
        for who, m in ((arm, in_ap), (art, ~in_ap)) if in_ap.any() else ((art, slice(None)),):
            who.military_deaths += def_killed[m].sum()
            who.wounded += (def_cas - def_killed)[m].sum()
            who.armour_lost += d_arm[m].sum()
            who.artillery_lost += d_art[m].sum()
        before = t.progress[sel].copy()
        noise = rng.gamma(r.advance_noise_shape, 1.0 / r.advance_noise_shape, size=len(sel))
        t.progress[sel] = np.minimum(np.maximum(t.progress[sel] + e.progress * noise - counter, 0.0), 1.0)
        self.gains_history.append(float(((t.progress[sel] - before) * t.region_value_share[mask]).sum()))
        self._civilians(op, choices, e, sel)
        self._transfer_control(sel)
        return True

    def _civilians(self, op, choices, e, sel) -> None:
        """Civilian deaths of the day: strikes on towns, fire on the contested sectors, return fire and retaliation.

        All the day's civilian draws are Poisson and follow one another, so they
        are taken in one call (the same numbers as one call per term, in order).
        """
        t, f, r = self.theatre, self.factors, self.rules
        a, arm, art = self.attacker, self.armenia, self.artsakh
        means, whose = [], []
        held = (t.controller == ARMENIAN) & (t.population > 0)
        if not (self.contested & t.armenia_proper).any():
            held &= t.karabakh  # towns of Armenia proper are shelled only in a war on Armenia proper (rung 5)
        if op == Operation.STRIKE_CITIES and held.any():
            towns = city_strike_deaths(r.strike_share * a.pool.artillery / max(held.sum(), 1),
                                       t.population[held], a.prefs.civilian_targeting, f)
            means += [towns[t.karabakh[held]], towns[t.armenia_proper[held]]]
            whose += [art, arm]
        in_ap = t.armenia_proper[sel]
        if in_ap.any():
            means += [e.civilian_deaths[in_ap], e.civilian_deaths[~in_ap]]
            whose += [arm, art]
        else:
            means.append(e.civilian_deaths)
            whose.append(art)
        guns = float(self.def_artillery[sel].sum())
        means.append([collateral_deaths(r.return_fire_share * guns, r.frontline_exposed_share * self.frontline_population_az, f)])
        whose.append(a)
        for d in (arm, art):
            if choices[d.name] == Defence.RETALIATE:
                share = r.strike_share * float(self.def_artillery.sum()) / 2
                means.append([city_strike_deaths(share, self.frontline_population_az, d.prefs.civilian_targeting, f)])
                whose.append(a)
        deaths = self.rng.poisson(np.concatenate(means))
        start = 0
        for who, m in zip(whose, means, strict=True):
            who.civilian_deaths += deaths[start:start + len(m)].sum()
            start += len(m)

    def _transfer_control(self, sel: np.ndarray) -> None:
        """A sector whose progress reaches 1 changes hands.

        fallback_share of its garrison and armour falls back to neighbouring held
        sectors; the rest, and all its guns, are lost to the side that held it:
        the troops are casualties (killed_fraction of them killed, the rest
        wounded or captured, booked as wounded), armour and guns count as lost.
        With no held neighbour nothing falls back.
        """
        t, f, rng = self.theatre, self.factors, self.rng
        for i in sel:
            if t.progress[i] >= 1.0 and t.controller[i] == ARMENIAN:
                t.controller[i] = AZERBAIJANI
                back = (t.adjacency[i] & (t.controller == ARMENIAN)).nonzero()[0]
                keep = self.rules.fallback_share if len(back) else 0.0
                if len(back):
                    self.garrison[back] += keep * self.garrison[i] / len(back)
                    self.def_armour[back] += keep * self.def_armour[i] / len(back)
                who = self.armenia if t.armenia_proper[i] else self.artsakh
                cas = int(round((1.0 - keep) * self.garrison[i]))
                killed = rng.binomial(cas, f.killed_fraction)
                who.military_deaths += killed
                who.wounded += cas - killed
                who.armour_lost += (1.0 - keep) * self.def_armour[i]
                who.artillery_lost += self.def_artillery[i]
                self.garrison[i] = self.def_armour[i] = self.def_artillery[i] = 0.0

    def _skirmish_defender(self):
        """Who is skirmished with: Armenia when every planned target lies in Armenia proper, else Artsakh."""
        t = self.theatre
        in_ap = [bool(t.armenia_proper[t.index[n]]) for n in self.planned_targets]
        return self.armenia if in_ap and all(in_ap) else self.artsakh

    # --- diplomacy --------------------------------------------------------------------
    def _propose_ceasefires(self) -> None:
        """Mediators propose; a ceasefire starts when every belligerent accepts one."""
        brokers = ["minsk_group"] if self.mediator.proposes() else []
        brokers += [p.name for p in self.powers.values() if p.stance == Stance.MEDIATE]
        if not brokers:
            return
        brokers.sort(key=lambda b: -self.tie_weight(b, "azerbaijan"))
        parties = list(self.belligerents.values())
        for broker in brokers:
            draws = [self.rng.random() for _ in parties]
            # The defenders are asked first: a refusal ends the proposal before the
            # attacker's forecasts (the costly part) are computed. The draws are the
            # same either way, one per party in the order of `parties`.
            probs = (self._acceptance(b, broker) for b in parties[1:] + parties[:1])
            if accepted(probs, draws[1:] + draws[:1]):
                guaranteed = self.powers.get(broker) is not None and self.powers[broker].peacekeepers and (
                    1.0 - self.theatre.karabakh_value_held() >= self.diplomacy["peacekeeper_consent_gain"])
                self.ceasefire = Ceasefire(broker, self.day, guaranteed)
                self.ceasefires_agreed += 1
                return

    def _acceptance(self, b, broker: str) -> float:
        """Probability that belligerent b accepts a ceasefire proposed by broker."""
        frustration = self.frustration() if b is self.attacker else 0.0
        if b is self.attacker:
            ops = [op for op in self.attacker.options() if op >= Operation.LIMITED_OFFENSIVE]
            forecasts = [self.forecast_operation(op) for op in ops]
            stop = b.utilities([self.forecast_operation(Operation.HOLD)], frustration)[0]
        else:
            forecasts = self.forecast_defences(b)
            stop = 0.0
        cont = max(b.utilities(forecasts, frustration), default=0.0)
        stop += self.diplomacy["ceasefire_value"] + self.diplomacy["patron_trust"] * self.tie_weight(broker, b.name)
        return acceptance_probability(cont, stop, b.prefs.temperature)
