"""What each option is expected to bring: the forecasts agents choose from (part of ConflictModel).

`ForecastsMixin` holds the model methods that read the front without changing
it: the forces an engagement reads, the sectors each operation attacks, the
attacker's and the defenders' option forecasts (the same combat arithmetic as
the day's fight, sim.rules.combat), and the recent record of the offensive.

What is computed is remembered only while the state it reads is unchanged:
inside a step, per phase (`_memo`: emptied after the stances and after the
fight); for the run, what follows the ground alone (targets, fronts, the
options' clash rows: keyed by who holds each sector).
"""

from __future__ import annotations

import numpy as np

from sim.rules.combat import Clash, Forces, clash, engagement_of
from sim.rules.decisions import Defence, Operation, OptionForecast
from sim.rules.ladder import DayActivity, rung_of
from sim.model.operations import OptionLayout, Pool, defenders, fight_with, targets_of


class ForecastsMixin:
    """Forces, targets and option forecasts of ConflictModel."""

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

    def _ground(self) -> bytes:
        """Who holds each sector and which are not yet wholly taken: all that targets depend on."""
        t = self.theatre
        return t.controller.tobytes() + (t.progress < 1.0).tobytes()

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
        masks = self._target_masks.setdefault(self._ground(), {})
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
        fought = cache.get(("clash rows",)) if cache is not None and not surprise else None
        r = fought[0].rows.get(mask.tobytes()) if fought is not None else None
        if r is None:
            e = fight_with(mask, pool, defence, self.theatre, self.factors, surprise, bonus)
        else:
            # The attacker's forecasts have fought this clash already (same state, same
            # arithmetic); only the losses of equipment and civilians remain.
            layout, c = fought
            share = layout.shares[r]
            sel = np.flatnonzero(mask)
            k = len(sel)
            e = engagement_of(
                Clash(c.force_ratio[r, sel], c.attacker_casualties[r, sel], c.defender_casualties[r, sel],
                      c.progress[r, sel]),
                Forces(np.full(k, pool.troops * share), np.full(k, pool.armour * share),
                       np.full(k, pool.artillery * share), np.full(k, pool.uavs * share)),
                Forces(defence.troops[sel] + bonus[sel], defence.armour[sel], defence.artillery[sel],
                       defence.uavs[sel]),
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
        layout = self._option_layout(ops)
        if layout.rows:
            pool, defence, bonus = self._memo(("forces",), self._forces)
            share = layout.share
            c = clash(
                Forces(pool.troops * share, pool.armour * share, pool.artillery * share, pool.uavs * share),
                Forces(defence.troops + bonus, defence.armour, defence.artillery, defence.uavs),
                self.multiplier, f,
            )
            if self._forecasts is not None:  # the day's fight may be one of these clashes
                self._forecasts[("clash rows",)] = (layout, c)
            # Each row's attacked sectors, row after row (row r is layout.spans[r]).
            take = (np.minimum(c.progress, 1.0 - t.progress) * t.region_value_share)[layout.attacked]
            cas = c.attacker_casualties[layout.attacked]
        out, risks, sums = {}, {}, {}
        for op in ops:
            r = layout.row_of[op]
            if r is None:
                gain, in_kb, in_ap, on_border = 0.0, 0, 0, False
                losses = self.rules.skirmish_casualties * f.killed_fraction / 100.0 if op == Operation.SKIRMISH else 0.0
            else:
                if r not in sums:  # options attacking the same sectors share them
                    lo, hi = layout.spans[r]
                    sums[r] = float(take[lo:hi].sum()), float(cas[lo:hi].sum()) * f.killed_fraction / 100.0
                gain, losses = sums[r]
                in_kb, in_ap, on_border = layout.counts[r]
            key = (in_ap > 0, on_border)
            if key not in risks:
                risks[key] = self._risk_against_attacker(*key)
            out[op] = OptionForecast(gain, losses, self._operation_rung(op, in_kb, in_ap), risks[key],
                                     strikes_civilians=op == Operation.STRIKE_CITIES)
        return out

    def _option_layout(self, ops: tuple[Operation, ...]) -> OptionLayout:
        """Which sectors each option attacks, as the rows of the forecasts' clash (remembered by the ground)."""
        key = (self._ground(), ops)
        layout = self._layouts.get(key)
        if layout is None:
            masks = self._targets_of(tuple(op for op in ops if op >= Operation.LIMITED_OFFENSIVE))
            layout = self._layouts[key] = OptionLayout.of(ops, masks, self._regions)
        return layout

    def _operation_rung(self, op: Operation, contested_karabakh: int, contested_armenia_proper: int) -> int:
        """The rung an operation implies (sim.rules.ladder.rung_of); it depends on these alone, so it is remembered for the run."""
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
