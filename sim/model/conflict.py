"""ConflictModel: the war as a Mesa model, one step per day.

A day runs in phases (`step`): outside powers choose their stances and the
stances act; a ceasefire in force may hold or break; otherwise the
belligerents choose, the front resolves the fighting (sim.model.front, with
sim.rules.combat); mediators propose ceasefires (sim.model.mediation); the
rung of the day is read off what was done (sim.rules.ladder.rung_of); the war
ends on a ceasefire that holds, a collapse of the defence, a lull, or the
horizon. The model owns the shared state and the order of the phases; the
agents choose (sim.model.agents) from forecasts (sim.model.forecasts,
sim.model.powers), and each of those parts owns its own behaviour.
"""

from __future__ import annotations

import weakref
from typing import Any

import mesa
import numpy as np
from omegaconf import DictConfig, OmegaConf

from sim.config.conform import Snapshot, plain
from sim.config.schema import BELLIGERENTS, POWERS, ConfigError
from sim.model.agents import Attacker, Defender, Mediator, OutsidePower
from sim.model.bargaining import Bargaining
from sim.model.civilians import CivilianHarm
from sim.model.daily import DailyTable, reporters
from sim.model.daycache import DayCache
from sim.model.forecasts import Forecasts
from sim.model.front import Front
from sim.model.garrisons import Garrisons
from sim.model.levers import config_with_levers
from sim.model.logistics import Logistics
from sim.model.mediation import Mediation
from sim.model.powers import PowerPolitics
from sim.model.theatre import Theatre
from sim.model.ties import Ties
from sim.rules.civilians import HarmRules
from sim.rules.combat import CombatFactors, FrontRules, assault_capacity, defence_multiplier
from sim.rules.decisions import WAR_AIMS, Operation, Outlook, StanceCosts, Weights
from sim.rules.diplomacy import Ceasefire
from sim.rules.ladder import DayActivity, Rung, rung_of
from sim.rules.logistics import LogisticsRules
from sim.rules.settlement import Terms, settle

HORIZON = "horizon"


def _values(group: Any) -> dict[str, float]:
    return {k: float(p.value) for k, p in group.items()}


_SNAPSHOTS: dict[int, tuple[weakref.ref, Snapshot]] = {}


def parameters_of(config: Any) -> Any:
    """What the model reads its parameters from at set-up.

    Reading a DictConfig node costs microseconds, and a model reads a few
    hundred of them: most of its set-up time. A read-only config cannot change,
    so it is copied to plain Python once and the copy serves every model built
    from it (a caller that builds many models from one DictConfig, the page or a
    calibration, sets it read-only: `OmegaConf.set_readonly(cfg, True)`). Any other
    config, a plain copy among them (the runner's point configs, sim.runs.chunks),
    is read directly.
    """
    if not isinstance(config, DictConfig) or not OmegaConf.is_readonly(config):
        return config
    key = id(config)
    hit = _SNAPSHOTS.get(key)
    if hit is not None and hit[0]() is config:
        return hit[1]
    snapshot = plain(OmegaConf.to_container(config, resolve=True))

    def forget(_ref: weakref.ref, k: int = key) -> None:
        _SNAPSHOTS.pop(k, None)

    _SNAPSHOTS[key] = (weakref.ref(config, forget), snapshot)
    return snapshot


class ConflictModel(mesa.Model):
    """The 2020 Karabakh war as an agent-based model (one step = one day).

    config: a validated config (sim.load_config); None means the baseline scenario.
    rng: anything numpy.random.default_rng accepts (a seed, a SeedSequence, a Generator).
    scenario, **levers: flat keywords for Mesa's batch_run and SolaraViz (sim.model.levers):
    a scenario name instead of a config, and key parameters such as turkey_resolve=0.9.
    """

    def __init__(self, config: Any = None, rng: Any = None, *, scenario: str | None = None, **levers: float):
        config = config_with_levers(config, scenario, levers)
        params = parameters_of(config)  # a read-only config's plain copy: reading it is cheap
        if not hasattr(params, "scenario") or not hasattr(params, "belligerents"):
            raise ConfigError(f"config: expected a config from sim.load_config(...), got {config!r:.60}")
        try:
            rng = np.random.default_rng(rng)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"rng: {rng!r} is not a seed; expected a whole number >= 0 or a Generator") from exc
        super().__init__(rng=rng)
        self.config = config
        self.scenario_spec = params.scenario
        config = params
        self.horizon = int(config.scenario.horizon_days)
        # Plain copies of the scenario keys read every day (config nodes are slow to read).
        self.war_aims = str(config.scenario.war_aims)
        planned = [str(t) for t in config.scenario.targets]
        self.force_commitment = float(config.scenario.force_commitment)
        self.opening = str(config.scenario.opening)
        self.factors = CombatFactors(**{k: float(config.combat[k].value) for k in CombatFactors.__dataclass_fields__})
        self.harm = HarmRules(**{k: float(config.combat[k].value) for k in HarmRules.__dataclass_fields__})
        self.rules = FrontRules(**{k: float(config.combat[k].value) for k in FrontRules.__dataclass_fields__})
        supply = LogisticsRules(**{k: float(config.combat[k].value) for k in LogisticsRules.__dataclass_fields__})
        d = _values(config.decisions)
        self.stance_costs = StanceCosts(**{k: d[k] for k in StanceCosts.__dataclass_fields__})
        self.outlook = Outlook(**{k: d[k] for k in Outlook.__dataclass_fields__})
        self.weights = Weights(
            gain=d["gain_weight"],
            losses=d["loss_weight"],
            pressure=d["pressure_weight"],
            intervention=d["intervention_weight"],
            civilian_strikes=d["civilian_strike_weight"],
        )
        self.pressure_growth, self.pressure_decay = d["pressure_growth"], d["pressure_decay"]
        self.clash_pressure = d["clash_pressure"]
        #: Outside powers whose forces have fought each other (rung 7): from then on they broker every day.
        self.clashing: tuple[str, ...] = ()
        self.frustration_memory = int(d["frustration_memory"])
        self.grievance_deaths = d["grievance_deaths"]
        self.diplomacy = _values(config.diplomacy)
        self.ties = Ties([dict(t) for t in config.ties.values()])

        self.theatre = Theatre(config.theatre, random=self.random)
        t = self.theatre
        self.planned_targets = t.expand(planned)
        self.multiplier = defence_multiplier(t.ruggedness, t.fortification, self.factors)  # fixed per sector
        self.capacity = assault_capacity(t.frontage_km, self.factors)  # fixed per sector
        self.attacker = Attacker(self, "azerbaijan", config.belligerents.azerbaijan)
        self.armenia = Defender(self, "armenia", config.belligerents.armenia)
        self.artsakh = Defender(self, "artsakh", config.belligerents.artsakh)
        self.belligerents = {b.name: b for b in (self.attacker, self.armenia, self.artsakh)}
        self.powers = {n: OutsidePower(self, n, config.powers[n], self.ties) for n in POWERS}
        self.mediator = Mediator(self, "minsk_group", config.mediator)
        self.garrisons = Garrisons.spread(t, self.armenia.pool, self.artsakh.pool, self.rules.armenian_share_karabakh)
        self.attacker.foreign_fighters = self.rules.foreign_fighters
        self.civilians = CivilianHarm(self, config.theatre.get("towns"))

        self.day = 0
        self.rung = Rung.FROZEN_CONFLICT
        self.max_rung, self.max_rung_day = Rung.FROZEN_CONFLICT, 0
        self.ceasefire: Ceasefire | None = None
        self.ceasefires_agreed = 0
        self.ceasefires_broken = 0
        self.quiet_days = 0
        self.gains_history: list[float] = []
        self.contested = np.zeros(len(self.theatre.names), dtype=bool)
        self.end_type: str | None = None
        self.broker = "none"
        self.peacekeepers = "none"  # the power whose peacekeepers deploy at the end, if any
        self.terms: Terms | None = None  # what the war ended with (sim.rules.settlement), once it has
        self.ceasefire_log: list[
            tuple[int, str]
        ] = []  # (day agreed, broker) of every ceasefire        self.end_day = 0
        self._rungs: dict[tuple, Rung] = {}  # the rung of each day's activity seen so far (`_update_rung`)
        self.cache: DayCache | None = None  # what a day computes once: created by step(), dropped after it
        self.forecasts = Forecasts(self)
        self.politics = PowerPolitics(self)
        self.front = Front(self)
        self.mediation = Mediation(self)
        self.bargaining = Bargaining(self)
        self.logistics = Logistics(self, supply)
        self.datacollector = DailyTable(reporters())

    @property
    def grid(self):
        """The theatre's sectors as a Mesa Network (sim.model.theatre.Theatre.space), for Mesa's tools."""
        return self.theatre.space

    # --- the day ------------------------------------------------------------------
    def step(self) -> None:
        """One day, in phases; forecasts are remembered while the state they read is unchanged."""
        self.cache = DayCache()
        try:
            self._day()
        finally:
            self.cache = None

    def _day(self) -> None:
        cache = self.cache
        assert cache is not None  # step() made it
        self.day += 1
        for p in self.powers.values():  # in the order they were created, as agents_by_type[OutsidePower].do would
            p.decide()
        self.politics.apply_stances()
        self.logistics.from_depots()
        cache.new_phase()  # stances, resupply and pressure have changed the state forecasts read
        self.contested[:] = False
        fought = False
        if self.ceasefire is not None:
            self.mediation.hold_or_break()
        if self.running and self.ceasefire is None:
            op = self.attacker.decide()
            choices = {d.name: d.decide() for d in (self.armenia, self.artsakh)}  # in the order they were created
            self._decide_strikes(op)
            fought = self.front.fight(op, choices)
            cache.new_phase()  # the fight changed what every forecast reads
            if fought:
                self.bargaining.observe()
                self.mediation.propose()
        else:
            for b in self.belligerents.values():
                b.stand_down()
        self._update_rung(fought)
        self._check_end(fought)
        self.datacollector.collect(self)

    def _decide_strikes(self, op: Operation) -> None:
        """Each side decides whether to strike the other's towns today, beside its ground action.

        Only on a day of offensive fighting in a war whose aims go beyond a
        limited operation: April 2016 and July 2020 stayed limited on both
        sides (towns were shelled from the front line, not struck
        deliberately). The rung they weigh is the one the attacker's operation
        implies (sim.model.forecasts).
        """
        if op < Operation.LIMITED_OFFENSIVE or WAR_AIMS[self.war_aims] < Operation.GENERAL_OFFENSIVE:
            for b in self.belligerents.values():
                b.strikes = False
            return
        f = self.forecasts
        rung = int(f.operation(op).escalation)
        self.attacker.decide_strikes(rung, f.frustration(), 0.0)
        risk = f.strike_ally_risk()
        for d in (self.armenia, self.artsakh):
            d.decide_strikes(rung, 0.0, risk)

    def _update_rung(self, fought: bool) -> None:
        t = self.theatre
        skirmish = self.attacker.action is Operation.SKIRMISH
        strikes = fought and any(b.strikes for b in self.belligerents.values())
        # A power in the war counts on the days there is fighting; on a day without
        # (a ceasefire day, a pause) the rung is what was done, and the power is
        # still in (its stance, its flag, its forces) when the fighting resumes.
        powers = [p for p in self.powers.values() if p.intervened] if fought else []
        contested = self.contested
        key = (
            skirmish,
            int(np.count_nonzero(contested & t.karabakh)),
            int(np.count_nonzero(contested & t.armenia_proper)),
            strikes,
            frozenset(p.name for p in powers),
            frozenset(p.side for p in powers if p.side is not None),
        )
        rung = self._rungs.get(key)  # a day's rung follows these alone: each is worked out once a run
        if rung is None:
            rung = self._rungs[key] = rung_of(
                DayActivity(
                    skirmish=skirmish,
                    contested_karabakh=key[1],
                    contested_armenia_proper=key[2],
                    strikes_on_population_centres=strikes,
                    intervening_powers=key[4],
                    intervention_sides=key[5],
                )
            )
        self.rung = rung
        if self.rung > self.max_rung:
            self.max_rung, self.max_rung_day = self.rung, self.day
        for b in self.belligerents.values():
            if fought:
                b.pressure = min(1.0, b.pressure + self.pressure_growth)
            else:
                b.pressure = max(0.0, b.pressure - self.pressure_decay)
        if rung == Rung.RUSSIA_TURKEY_CLASH:
            self._powers_clash(key[4])

    def _powers_clash(self, powers: frozenset[str]) -> None:
        """Two outside powers' forces in combat with each other (rung 7): each now risks a war with the
        other, so both press their clients to stop and broker a ceasefire from the next day on
        (Idlib, March 2020: a ceasefire agreed in Moscow a week after Russian-backed fire killed
        Turkish soldiers, docs/sources.md#a-clash-between-patrons)."""
        for b in self.belligerents.values():
            b.pressure = min(1.0, b.pressure + self.clash_pressure)
        self.clashing = tuple(sorted(powers))

    def _check_end(self, fought: bool) -> None:
        if not self.running:
            return
        t = self.theatre
        g = self.garrisons
        if g.troops[t.karabakh].sum() < self.diplomacy["collapse_strength"] * g.initial_karabakh_troops:
            guarantor = self.mediation.guarantor()
            self.end("capitulation", guarantor, self.day, peacekeepers=guarantor)
            return
        self.quiet_days = 0 if fought or self.ceasefire is not None else self.quiet_days + 1
        if self.quiet_days >= int(self.diplomacy["hold_days"]):
            self.end("lull", "none", self.day - self.quiet_days)
        elif self.day >= self.horizon:
            self.end(HORIZON, "none", self.day)

    def end(
        self,
        end_type: str,
        broker: str,
        last_day: int,
        peacekeepers: str = "none",
        ceded: tuple[int, ...] | None = None,
    ) -> None:
        """The war is over: how, who brokered it, its last day of fighting and whose peacekeepers deploy;
        the terms follow from the ground it ended on (sim.rules.settlement)."""
        self.end_type, self.broker, self.end_day = end_type, broker, max(last_day, 1)
        self.peacekeepers = peacekeepers
        t = self.theatre
        self.terms = settle(end_type, t.controller == 0, t.karabakh, t.oblast, t.corridor, peacekeepers, ceded)
        self.running = False

    # --- outputs ------------------------------------------------------------------
    def run_model(self) -> None:
        """Run until the war ends or the horizon."""
        while self.running:
            self.step()

    def _terms_record(self) -> dict:
        """The ending's terms and the war's ceasefires, as columns of the runs table."""
        t = self.theatre
        handed = self.terms.handed_over if self.terms else ()
        linked = self.terms.linked if self.terms else t.corridor < 0 or t.controller[t.corridor] == 0
        return {
            "districts_handed_over": [t.names[i] for i in handed],
            "km2_handed_over": float(sum(t.area[i] * (1.0 - t.progress[i]) for i in handed)),
            "corridor": bool(linked),
            "ceasefire_days": [str(day) for day, _ in self.ceasefire_log],
            "ceasefire_brokers": [broker for _, broker in self.ceasefire_log],
        }

    @property
    def outcome(self) -> dict:
        """One record of the run (see docs/model.md, Outputs)."""
        t = self.theatre
        taken = [n for i, n in enumerate(t.names) if t.controller[i] != t.initial_controller[i]]
        rec = {
            "scenario": self.scenario_spec.name,
            "max_rung": int(self.max_rung),
            "max_rung_day": int(self.max_rung_day),
            "duration_days": int(self.end_day if self.end_type else self.day),
            "end_type": self.end_type or "running",
            "broker": self.broker,
            "peacekeepers": self.peacekeepers,
            **self._terms_record(),
            "ceasefires_agreed": self.ceasefires_agreed,
            "ceasefires_broken": self.ceasefires_broken,
            "civilian_deaths_azerbaijan": int(self.attacker.civilian_deaths),
            "civilian_deaths_armenian_side": int(self.armenia.civilian_deaths + self.artsakh.civilian_deaths),
            "territory_change_km2": float((np.abs(t.progress - (t.initial_controller == 1)) * t.area).sum()),
            "sectors_taken": taken,
            "displaced_armenian_side": int(self.civilians.displaced["armenian"]),
            "displaced_azerbaijan": int(self.civilians.displaced["azerbaijani"]),
            "towns_struck": sorted(self.civilians.struck),
        }
        for name in BELLIGERENTS:
            rec[f"military_deaths_{name}"] = int(self.belligerents[name].military_deaths)
        rec["military_deaths_foreign_fighters"] = int(self.attacker.foreign_fighter_deaths)
        for name in POWERS:
            rec[f"intervened_{name}"] = bool(self.powers[name].intervened)
        return rec
