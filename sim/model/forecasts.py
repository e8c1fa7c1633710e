"""Forecasts: what each option is expected to bring, the numbers agents choose from.

`Forecasts` reads the front without changing it: the forces an engagement
reads, the sectors each operation attacks, the attacker's and the defenders'
option forecasts (the same combat arithmetic as the day's fight,
sim.rules.combat), and the recent record of the offensive.

What is computed is remembered only while the state it reads is unchanged:
inside a step in the day's DayCache (sim.model.daycache); for the run, what
follows the ground alone (targets, fronts, the options' clash rows: keyed by
who holds each sector).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.daycache import memo
from sim.model.operations import OptionLayout, Pool, fight_with, targets_of
from sim.rules.combat import Clash, Engagement, Forces, clash, engagement_of, eroded_multiplier
from sim.rules.decisions import Operation, OptionForecast
from sim.rules.ladder import DayActivity, rung_of


class Forecasts:
    """Forces, targets and option forecasts of one war (a ConflictModel's `forecasts`)."""

    def __init__(self, model: Any):
        self.model = model
        t = model.theatre
        self._regions = np.stack([t.karabakh, t.armenia_proper, t.iran_border], axis=1).astype(np.int64)
        # Remembered for the run, keyed by what they depend on.
        self._rungs: dict = {}  # rung of an operation by (operation, sectors contested by region)
        self._fronts: dict = {}  # reachable fronts by (region, who holds each sector)
        self._target_masks: dict = {}  # each operation's targets by the ground
        self._layouts: dict = {}  # the options' clash rows by the ground

    def _memo(self, key, compute):
        return memo(self.model.cache, key, compute)

    def multiplier(self) -> np.ndarray:
        """Each sector's defence multiplier now: its fixed one, eroded by the sorties flown over it so far."""
        m = self.model
        return self._memo(("multiplier",), lambda: eroded_multiplier(m.multiplier, m.theatre.watched, m.factors))

    # --- forces -------------------------------------------------------------------
    def committed(self) -> Pool:
        """The attacker's forces committed today (plus an intervening ally's)."""
        m = self.model
        a, c = m.attacker.pool, m.force_commitment
        extra = sum(p.intervention_force for p in m.powers.values() if p.intervened and p.side == "azerbaijani")
        return Pool(a.troops * c + extra, a.armour * c, a.artillery * c, a.uavs)

    def _forces(self):
        """(committed attacker pool, defenders, defender bonus): what every engagement of one state reads."""
        return self.committed(), self.model.garrisons.forces(), self.model.politics.defender_bonus()

    def front(self, region: np.ndarray) -> np.ndarray:
        """theatre.front(region), remembered for the run by who holds each sector (callers must not modify it)."""
        t = self.model.theatre
        key = (region.tobytes(), t.controller.tobytes())
        front = self._fronts.get(key)
        if front is None:
            front = self._fronts[key] = t.front(region)
        return front

    def _ground(self) -> bytes:
        """Who holds each sector and which are not yet wholly taken: all that targets depend on
        (once per state inside a step)."""
        t = self.model.theatre
        return self._memo(("ground",), lambda: t.controller.tobytes() + (t.progress < 1.0).tobytes())

    def targets(self, op: Operation) -> np.ndarray:
        """Sectors an operation attacks now (callers must not modify it)."""
        return self._targets_of((op,))[op]

    def _targets_of(self, ops) -> dict[Operation, np.ndarray]:
        """Sectors each operation attacks now (callers must not modify them).

        Targets follow the ground alone: who holds each sector and which are
        not yet wholly taken. The ground changes only when a sector falls, so
        the masks are remembered for the run by it, not recomputed per state.
        """
        m = self.model
        masks = self._target_masks.setdefault(self._ground(), {})
        missing = tuple(op for op in ops if op not in masks)
        if missing:
            masks.update(
                targets_of(
                    missing,
                    m.theatre,
                    m.planned_targets,
                    m.war_aims,
                    front=self.front,
                    axis_tolerance=m.rules.axis_tolerance,
                    cost=m.multiplier,
                )
            )
        return {op: masks[op] for op in ops}

    def engagement(self, mask: np.ndarray, surprise: bool) -> Engagement:
        """Expected combat over the masked sectors now (cached with the forecasts).

        Several options attack the same sectors (a general offensive and city
        strikes, the attacker's choice and the day's fight), so one engagement
        serves them all while the state is unchanged.
        """
        m = self.model
        cache = m.cache.phase if m.cache is not None else None
        key = ("engagement", mask.tobytes(), surprise)
        if cache is not None and key in cache:
            return cache[key]
        pool, defence, bonus = self._memo(("forces",), self._forces)
        fought = cache.get(("clash rows",)) if cache is not None and not surprise else None
        r = fought[0].rows.get(mask.tobytes()) if fought is not None else None
        cover, intelligence = m.garrisons.cover(), m.politics.intelligence_for_attacker()
        if fought is None or r is None:
            e = fight_with(mask, pool, defence, m.theatre, m.factors, surprise, bonus, cover, intelligence)
        else:
            # The attacker's forecasts have fought this clash already (same state, same
            # arithmetic); only the losses of equipment and civilians remain.
            layout, c = fought
            sel = mask.nonzero()[0]
            share = layout.share[r][sel]  # a row, then its sectors: one gather each
            e = engagement_of(
                Clash(
                    c.force_ratio[r][sel],
                    c.attacker_casualties[r][sel],
                    c.defender_casualties[r][sel],
                    c.progress[r][sel],
                    c.engaged[r][sel],
                ),
                Forces(pool.troops * share, pool.armour * share, pool.artillery * share, pool.uavs * share),
                Forces(
                    defence.troops[sel] + bonus[sel],
                    defence.armour[sel],
                    defence.artillery[sel],
                    defence.uavs[sel],
                    defence.air_defence[sel],
                ),
                m.theatre.population[sel],
                m.factors,
                cover,
                intelligence,
            )
        if cache is not None:
            cache[key] = e
        return e

    # --- the attacker's options ---------------------------------------------------------
    def operation(self, op: Operation) -> OptionForecast:
        """What an operation is expected to bring the attacker today.

        Inside a step the forecasts of all the attacker's options are computed
        together, once per state: the attacker's choice and the ceasefire
        decisions after it ask for the same options.
        """
        ops = self.model.attacker.options()
        if op not in ops:
            ops = (op,)
        return self._memo(("operations", ops), lambda: self._operations(ops))[op]

    def operations(self) -> dict[Operation, OptionForecast]:
        """What each of the attacker's options is expected to bring today (`operation` of each, in one look-up)."""
        ops = self.model.attacker.options()
        return self._memo(("operations", ops), lambda: self._operations(ops))

    def _operations(self, ops: tuple[Operation, ...]) -> dict[Operation, OptionForecast]:
        """OptionForecast of each operation, the combat of all of them in one numpy pass.

        Each distinct set of attacked sectors is one row of a (rows x sectors)
        clash: the attacker spreads its pool evenly over a row's sectors, and
        every sector's defenders are the same in all rows. Element by element it
        is the arithmetic of the day's fight; a row's sums run over its attacked
        sectors only, in sector order, as the fight's do.
        """
        m = self.model
        t, f = m.theatre, m.factors
        layout, plan = self._option_layout(ops)
        sums: list[tuple[float, float]] = []
        if layout.rows:
            pool, defence, bonus = self._memo(("forces",), self._forces)
            share = layout.share
            c = clash(
                Forces(pool.troops * share, pool.armour * share, pool.artillery * share, pool.uavs * share),
                Forces(defence.troops + bonus, defence.armour, defence.artillery, defence.uavs),
                self.multiplier(),
                m.capacity,
                f,
            )
            if m.cache is not None:  # the day's fight may be one of these clashes
                m.cache.phase[("clash rows",)] = (layout, c)
            # Each row's attacked sectors, row after row (row r is layout.spans[r]); options
            # attacking the same sectors share a row and its sums.
            take = (np.minimum(c.progress, 1.0 - t.progress) * t.region_value_share)[layout.attacked]
            cas = c.attacker_casualties[layout.attacked]
            sums = [
                (float(take[lo:hi].sum()), float(cas[lo:hi].sum()) * f.killed_fraction / 100.0)
                for lo, hi in layout.spans
            ]
        skirmish = m.rules.skirmish_casualties * f.killed_fraction / 100.0
        out: dict[Operation, OptionForecast] = {}
        risks: dict[tuple[bool, bool], float] = {}
        for op, r, rung, key in plan:
            if r is None:
                gain, losses = 0.0, skirmish if op == Operation.SKIRMISH else 0.0
            else:
                gain, losses = sums[r]
            risk = risks.get(key)
            if risk is None:
                risk = risks[key] = m.politics.risk_against_attacker(*key)
            out[op] = OptionForecast(gain, losses, rung, risk)
        return out

    def _option_layout(self, ops: tuple[Operation, ...]) -> tuple[OptionLayout, list]:
        """Which sectors each option attacks, as the rows of the forecasts' clash, and each option's
        (operation, row, rung, intervention-risk key): all follow the ground, so they are remembered by it."""
        key = (self._ground(), ops)
        found = self._layouts.get(key)
        if found is None:
            masks = self._targets_of(tuple(op for op in ops if op >= Operation.LIMITED_OFFENSIVE))
            layout = OptionLayout.of(ops, masks, self._regions, self.model.capacity)
            plan = []
            for op in ops:
                r = layout.row_of[op]
                in_kb, in_ap, on_border = (0, 0, False) if r is None else layout.counts[r]
                plan.append((op, r, self._operation_rung(op, in_kb, in_ap), (in_ap > 0, on_border)))
            found = self._layouts[key] = (layout, plan)
        return found

    def _operation_rung(self, op: Operation, contested_karabakh: int, contested_armenia_proper: int) -> int:
        """The rung an operation implies (sim.rules.ladder.rung_of); it depends on these alone, so it is remembered."""
        key = (op, contested_karabakh, contested_armenia_proper)
        rung = self._rungs.get(key)
        if rung is None:
            rung = self._rungs[key] = int(
                rung_of(
                    DayActivity(
                        skirmish=op == Operation.SKIRMISH,
                        contested_karabakh=contested_karabakh,
                        contested_armenia_proper=contested_armenia_proper,
                    )
                )
            )
        return rung

    # --- the defenders' options ---------------------------------------------------------
    def today(self) -> tuple[np.ndarray, Engagement | None]:
        """(attacked sectors, expected engagement) of the attacker's operation today (once a day inside a step)."""
        m = self.model
        cache = m.cache
        if cache is not None and cache.today is not None:
            return cache.today
        op = m.attacker.action if isinstance(m.attacker.action, Operation) else Operation.HOLD
        mask = self.targets(op)
        today = mask, (self.engagement(mask, m.day == 1) if mask.any() else None)
        if cache is not None:
            cache.today = today
        return today

    def defences(self, who) -> tuple[OptionForecast, ...]:
        """The forecasts of all of a defender's options (index = Defence), once per state inside a step."""
        return self._memo(("defences", who.name), lambda: self._defences(who))

    def _outlook_today(self, who) -> tuple[float, float, np.ndarray, np.ndarray]:
        """(value lost, losses, retakable sectors, their value shares) of today's engagement for a defender."""
        m = self.model
        t, f = m.theatre, m.factors
        mask, e = self.today()
        assert e is not None  # asked only on a day with an engagement
        sel = mask.nonzero()[0]
        shares = t.region_value_share[sel]
        in_kb = t.karabakh[sel]
        progress, casualties = e.progress * shares, e.defender_casualties
        if who.name == "artsakh":  # Artsakh answers for Karabakh's sectors, Armenia for all
            progress, casualties = progress[in_kb], casualties[in_kb]
        lost = float(progress.sum())
        losses = float(casualties.sum()) * f.killed_fraction / 100.0
        return lost, losses, sel[in_kb], shares[in_kb]

    def _defender_outlook(self, who) -> tuple[float, float, float]:
        """(value lost, losses, value retaken by a counterattack) a defender expects today.

        Every defence option reads it.

        The value lost and the losses come from today's engagement and are
        computed once a day; what a counterattack could retake depends on the
        ground held now, which the fight changes.
        """
        m = self.model
        _, e = self.today()
        if e is None:
            return 0.0, 0.0, 0.0
        cache = m.cache
        part = cache.outlooks.get(who.name) if cache is not None else None
        if part is None:
            part = self._outlook_today(who)
            if cache is not None:
                cache.outlooks[who.name] = part
        lost, losses, where, shares = part
        return lost, losses, float((np.minimum(m.theatre.progress[where], m.factors.advance_rate) * shares).sum())

    def _defences(self, who) -> tuple[OptionForecast, ...]:
        m = self.model
        lost, losses, retake = self._defender_outlook(who)
        rung = int(m.rung)
        turkey_risk = m.politics.attacker_ally_risk()
        r, o = m.rules, m.outlook
        return (
            OptionForecast(-lost, losses, rung, 0.0),  # DEFEND
            OptionForecast(
                retake - lost,
                r.counterattack_casualty_factor * losses + r.counterattack_extra_losses,
                rung,
                o.counterattack_ally_risk * turkey_risk,
            ),  # COUNTERATTACK
        )

    def strike_ally_risk(self) -> float:
        """The risk that a defender's strike on Azerbaijani towns brings Turkey (the attacker's ally) in."""
        m = self.model
        return m.outlook.retaliation_ally_risk * m.politics.attacker_ally_risk()

    # --- the record of the offensive ----------------------------------------------------
    def frustration(self) -> float:
        """Share of recent fighting days on which the offensive gained (almost) nothing."""
        return self._memo(("frustration",), self._frustration)

    def _frustration(self) -> float:
        m = self.model
        recent = m.gains_history[-m.frustration_memory :]
        return sum(g < 1e-3 for g in recent) / len(recent) if recent else 0.0

    def setbacks(self) -> float:
        """Share of recent fighting days on which the attacker lost ground (counterattacks)."""
        m = self.model
        recent = m.gains_history[-m.frustration_memory :]
        return sum(g < -1e-9 for g in recent) / len(recent) if recent else 0.0
