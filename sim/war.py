"""The fighting and the forecasts the agents choose from (part of ConflictModel).

`WarMixin` holds the model methods that touch the front: fighting a day, the
forecasts of each option (from the same combat arithmetic), what outside powers
see, and ceasefire proposals. Kept apart from sim.model so each stays readable.
"""

from __future__ import annotations

import numpy as np

from sim.combat import Clash, Forces, city_strike_deaths, clash, collateral_deaths, engagement_of
from sim.decisions import (
    Defence,
    Operation,
    OptionForecast,
    Stance,
    acceptance_probability,
)
from sim.diplomacy import Ceasefire, accepted
from sim.ladder import DayActivity, rung_of
from sim.operations import Pool, defenders, fight_with, targets_of
from sim.theatre import ARMENIAN, AZERBAIJANI


class WarMixin:
    """Fighting, forecasting and ceasefire proposals of ConflictModel."""

    def _memo(self, key, compute):
        """compute() once per unchanged state inside a step; always afresh outside one.

        The cache (self._forecasts) lives only while step() runs and is emptied
        whenever the state changes (after the stances, after the fight).
        """
        cache = self._forecasts
        if cache is None:
            return compute()
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    # --- forces -------------------------------------------------------------------
    def committed(self) -> Pool:
        """The attacker's forces committed today (plus an intervening ally's)."""
        a, c = self.attacker.pool, self.force_commitment
        extra = sum(p.intervention_force for p in self.powers.values() if p.intervened and p.side == "azerbaijani")
        return Pool(a.troops * c + extra, a.armour * c, a.artillery * c, a.uavs)

    def _defence(self):
        return defenders(self.theatre, self.garrison, self.def_armour, self.def_artillery)

    def _forces(self):
        """(committed attacker pool, defenders, defender bonus): what every engagement of one state reads."""
        return self.committed(), self._defence(), self.defender_bonus()

    def _front(self, region: np.ndarray) -> np.ndarray:
        """theatre.front(region), remembered for the run by who holds each sector (callers must not modify it)."""
        key = (region.tobytes(), self.theatre.controller.tobytes())
        front = self._fronts.get(key)
        if front is None:
            front = self._fronts[key] = self.theatre.front(region)
        return front

    def _targets(self, op: Operation) -> np.ndarray:
        """Sectors an operation attacks now (callers must not modify it)."""
        return self._targets_of((op,))[op]

    def _targets_of(self, ops) -> dict[Operation, np.ndarray]:
        """Sectors each operation attacks now (callers must not modify them).

        Targets follow the ground alone: who holds each sector and which are
        not yet wholly taken. The ground changes only when a sector falls, so
        the masks are remembered for the run by it, not recomputed per state.
        """
        t = self.theatre
        masks = self._target_masks.setdefault(t.controller.tobytes() + (t.progress < 1.0).tobytes(), {})
        missing = tuple(op for op in ops if op not in masks)
        if missing:
            masks.update(targets_of(missing, t, self.planned_targets, self.war_aims, front=self._front))
        return {op: masks[op] for op in ops}

    def _engagement(self, mask: np.ndarray, surprise: bool):
        """Expected combat over the masked sectors now (cached with the forecasts).

        Several options attack the same sectors (a general offensive and city
        strikes, the attacker's choice and the day's fight), so one engagement
        serves them all while the state is unchanged.
        """
        cache = self._forecasts
        key = ("engagement", mask.tobytes(), surprise)
        if cache is not None and key in cache:
            return cache[key]
        pool, defence, bonus = self._memo(("forces",), self._forces)
        rows = cache.get(("clash rows",)) if cache is not None and not surprise else None
        r = rows[0].get(mask.tobytes()) if rows is not None else None
        if r is None:
            e = fight_with(mask, pool, defence, self.theatre, self.factors, surprise, bonus)
        else:
            # The attacker's forecasts have fought this clash already (same state, same
            # arithmetic); only the losses of equipment and civilians remain.
            c, share = rows[1], rows[2][r]
            sel = np.flatnonzero(mask)
            k = len(sel)
            e = engagement_of(
                Clash(c.force_ratio[r, sel], c.attacker_casualties[r, sel], c.defender_casualties[r, sel],
                      c.progress[r, sel]),
                Forces(np.full(k, pool.troops * share), np.full(k, pool.armour * share),
                       np.full(k, pool.artillery * share), np.full(k, pool.uavs * share)),
                Forces(defence.troops[sel], defence.armour[sel], defence.artillery[sel], defence.uavs[sel]),
                self.theatre.population[sel], self.factors)
        if cache is not None:
            cache[key] = e
        return e

    # --- forecasts ------------------------------------------------------------------
    def forecast_operation(self, op: Operation) -> OptionForecast:
        """What an operation is expected to bring the attacker today.

        Inside a step the forecasts of all the attacker's options are computed
        together, once per state: the attacker's choice and the ceasefire
        decisions after it ask for the same options.
        """
        ops = self.attacker.options()
        if op not in ops:
            ops = (op,)
        return self._memo(("operations", ops), lambda: self._forecast_operations(ops))[op]

    def _forecast_operations(self, ops: tuple[Operation, ...]) -> dict[Operation, OptionForecast]:
        """OptionForecast of each operation, the combat of all of them in one numpy pass.

        Each distinct set of attacked sectors is one row of a (rows x sectors)
        clash: the attacker spreads its pool evenly over a row's sectors, and
        every sector's defenders are the same in all rows. Element by element it
        is the arithmetic of the day's fight; a row's sums run over its attacked
        sectors only, in sector order, as the fight's do.
        """
        t, f = self.theatre, self.factors
        masks = self._targets_of(tuple(op for op in ops if op >= Operation.LIMITED_OFFENSIVE))
        rows: dict[bytes, int] = {}
        for mask in masks.values():
            if mask.any():
                rows.setdefault(mask.tobytes(), len(rows))
        if rows:
            m = np.array([np.frombuffer(k, dtype=bool) for k in rows])
            n = m.sum(axis=1)
            pool, defence, bonus = self._memo(("forces",), self._forces)
            share = 1.0 / n[:, None]
            c = clash(
                Forces(pool.troops * share, pool.armour * share, pool.artillery * share, pool.uavs * share),
                Forces(defence.troops + bonus, defence.armour, defence.artillery, defence.uavs),
                self.multiplier, f,
            )
            if self._forecasts is not None:  # the day's fight may be one of these clashes
                self._forecasts[("clash rows",)] = (rows, c, share[:, 0].tolist())
            # Each row's attacked sectors, row after row: row r is [ends[r] - n[r], ends[r]).
            take = (np.minimum(c.progress, 1.0 - t.progress) * t.region_value_share)[m]
            cas = c.attacker_casualties[m]
            ends = np.cumsum(n).tolist()
            n = n.tolist()
            # Attacked sectors per row in Karabakh, Armenia proper and on the Iranian border.
            kb, ap, border = zip(*(m.astype(np.int64) @ self._regions).tolist(), strict=True)
        out, risks, sums = {}, {}, {}
        for op in ops:
            r = rows.get(masks[op].tobytes()) if op in masks else None
            if r is None:
                gain, in_kb, in_ap, on_border = 0.0, 0, 0, False
                losses = self.rules.skirmish_casualties * f.killed_fraction / 100.0 if op == Operation.SKIRMISH else 0.0
            else:
                if r not in sums:  # options attacking the same sectors share them
                    lo, hi = ends[r] - n[r], ends[r]
                    sums[r] = float(take[lo:hi].sum()), float(cas[lo:hi].sum()) * f.killed_fraction / 100.0
                gain, losses = sums[r]
                in_kb, in_ap, on_border = kb[r], ap[r], border[r] > 0
            key = (in_ap > 0, on_border)
            if key not in risks:
                risks[key] = self._risk_against_attacker(*key)
            out[op] = OptionForecast(gain, losses, self._operation_rung(op, in_kb, in_ap), risks[key],
                                     strikes_civilians=op == Operation.STRIKE_CITIES)
        return out

    def _operation_rung(self, op: Operation, contested_karabakh: int, contested_armenia_proper: int) -> int:
        """The rung an operation implies (sim.ladder.rung_of); it depends on these alone, so it is remembered for the run."""
        key = (op, contested_karabakh, contested_armenia_proper)
        rung = self._rungs.get(key)
        if rung is None:
            rung = self._rungs[key] = int(rung_of(DayActivity(
                skirmish=op == Operation.SKIRMISH,
                contested_karabakh=contested_karabakh,
                contested_armenia_proper=contested_armenia_proper,
                strikes_on_population_centres=op == Operation.STRIKE_CITIES,
            )))
        return rung

    def _today(self):
        """Expected results of the attacker's current operation (cached per day)."""
        if getattr(self, "_today_day", None) != self.day:
            op = Operation[self.attacker.action] if self.attacker.action in Operation.__members__ else Operation.HOLD
            mask = self._targets(op)
            e = self._engagement(mask, self.day == 1) if mask.any() else None
            self._today_day, self._today_cache = self.day, (mask, e)
            self._today_outlooks: dict[str, tuple] = {}  # the day's part of each defender's outlook
        return self._today_cache

    def forecast_defence(self, who, choice: Defence) -> OptionForecast:
        """What a defence option is expected to bring a defender today."""
        return self.forecast_defences(who)[choice]

    def forecast_defences(self, who) -> tuple[OptionForecast, ...]:
        """The forecasts of all of a defender's options (index = Defence), once per state inside a step."""
        return self._memo(("defences", who.name), lambda: self._forecast_defences(who))

    def _defender_outlook(self, who) -> tuple[float, float, float]:
        """(value lost, losses, value retaken by a counterattack) a defender expects today; every defence option reads it.

        The value lost and the losses come from today's engagement and are
        computed once a day; what a counterattack could retake depends on the
        ground held now, which the fight changes.
        """
        t, f = self.theatre, self.factors
        mask, e = self._today()
        if e is None:
            return 0.0, 0.0, 0.0
        part = self._today_outlooks.get(who.name)
        if part is None:
            sel = np.flatnonzero(mask)
            shares = t.region_value_share[mask]
            in_kb = t.karabakh[sel]
            mine = in_kb if who.name == "artsakh" else np.ones(len(sel), dtype=bool)
            lost = float((e.progress * shares)[mine].sum())
            losses = float(e.defender_casualties[mine].sum()) * f.killed_fraction / 100.0
            retakable = mine & in_kb
            part = self._today_outlooks[who.name] = (lost, losses, sel[retakable], shares[retakable])
        lost, losses, where, shares = part
        return lost, losses, float((np.minimum(t.progress[where], f.advance_rate) * shares).sum())

    def _forecast_defences(self, who) -> tuple[OptionForecast, ...]:
        lost, losses, retake = self._defender_outlook(who)
        rung = int(self.rung)
        turkey_risk = self._memo(("turkey_risk",), self._attacker_ally_risk)
        r, o = self.rules, self.outlook
        return (
            OptionForecast(-lost, losses, rung, 0.0),  # DEFEND
            OptionForecast(retake - lost, r.counterattack_casualty_factor * losses + r.counterattack_extra_losses,
                           rung, o.counterattack_ally_risk * turkey_risk),  # COUNTERATTACK
            OptionForecast(-lost, losses, max(rung, 4), o.retaliation_ally_risk * turkey_risk,
                           strikes_civilians=True),  # RETALIATE
        )

    def frustration(self) -> float:
        """Share of recent fighting days on which the offensive gained (almost) nothing."""
        return self._memo(("frustration",), self._frustration)

    def _frustration(self) -> float:
        recent = self.gains_history[-self.frustration_memory:]
        return sum(g < 1e-3 for g in recent) / len(recent) if recent else 0.0

    def setbacks(self) -> float:
        """Share of recent fighting days on which the attacker lost ground (counterattacks)."""
        recent = self.gains_history[-self.frustration_memory:]
        return sum(g < -1e-9 for g in recent) / len(recent) if recent else 0.0

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
