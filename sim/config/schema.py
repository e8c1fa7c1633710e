"""Typed schema of the configuration and the checks its types cannot express.

The dataclasses below type every key: sim.config.conform walks a composed
config against them (unknown keys refused, defaults filled in, values
converted to their types); `validate` then checks what types cannot: each
parameter inside its declared range, names of actors and sectors known,
choices from their allowed sets. Every failure is one `ConfigError` line that
names the key and what is allowed.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

from sim.config.declared import RANGE_FIXED, declared_ranges
from sim.config.errors import ConfigError, did_you_mean
from sim.config.errors import in_range as _in_range
from sim.config.errors import one_of as _one_of
from sim.config.theatre import TheatreSpec, check_theatre
from sim.outputs import CONTRAST_MEASURES
from sim.rules.civilians import HarmRules
from sim.rules.combat import CombatFactors, FrontRules
from sim.rules.decisions import Operation, Outlook, StanceCosts
from sim.rules.logistics import LogisticsRules

BELLIGERENTS = ("azerbaijan", "armenia", "artsakh")
POWERS = ("russia", "turkey", "iran", "israel", "france", "united_states")
MEDIATORS = ("minsk_group",)
ACTORS = BELLIGERENTS + POWERS + MEDIATORS
SIDES = {"azerbaijan": "azerbaijani", "armenia": "armenian", "artsakh": "armenian"}
REGIMES = ("autocracy", "democracy", "unrecognised_republic")
TIE_KINDS = ("alliance", "arms_supply", "mediation", "rivalry")
TIE_SCOPES = ("all", "armenia_proper", "karabakh")
EXECUTORS = ("serial", "processes", "ray")
DESIGN_METHODS = ("none", "lhs", "sobol")
#: ensemble.parameters: how a replicate's parameters are chosen (sim.config.uncertainty).
PARAMETER_MODES = ("fixed", "ranges", "posterior")
#: ensemble.posterior's default: the shipped posterior of `make calibrate`, at the checkout's top level or
#: inside an installed wheel (sim/calibration; sim.config.uncertainty.posterior_path finds either).
SHIPPED_POSTERIOR = "calibration/posterior.parquet"
#: ensemble.total: the companion ensemble a single job runs for its total interval.
TOTAL_MODES = ("posterior", "ranges", "none")
#: The parameters each of these groups must have, no more and no fewer.
GROUP_KEYS = {
    "combat": tuple(CombatFactors.__dataclass_fields__)
    + tuple(FrontRules.__dataclass_fields__)
    + tuple(HarmRules.__dataclass_fields__)
    + tuple(LogisticsRules.__dataclass_fields__),
    "decisions": (
        "gain_weight",
        "loss_weight",
        "pressure_weight",
        "intervention_weight",
        "civilian_strike_weight",
        "pressure_growth",
        "pressure_decay",
        "clash_pressure",
        "frustration_memory",
        "grievance_deaths",
    )
    + tuple(StanceCosts.__dataclass_fields__)
    + tuple(Outlook.__dataclass_fields__),
    "diplomacy": (
        "ceasefire_value",
        "hold_days",
        "break_hazard",
        "patron_trust",
        "peacekeeper_consent_gain",
        "collapse_strength",
        "belief_memory",
        "settlement_horizon",
        "parity_rate",
        "optimism",
    ),
}


@dataclass
class Param:
    """A sourced model parameter: value, unit, allowed range and where it comes from."""

    value: float = MISSING
    unit: str = MISSING
    range: list[float] = MISSING
    source: str = MISSING


@dataclass
class BelligerentSpec:
    regime: str = MISSING
    arms_spending: Param = MISSING
    troops: Param = MISSING
    armour: Param = MISSING
    artillery: Param = MISSING
    uavs: Param = MISSING
    air_defence: Param = MISSING
    equipment_reserve: Param = MISSING
    reserves: Param = MISSING
    mobilisation_rate: Param = MISSING
    revanchism: Param = MISSING
    casualty_sensitivity: Param = MISSING
    regime_casualty_weight: Param = MISSING
    battlefield_legitimacy: Param = MISSING
    domestic_pressure: Param = MISSING
    civilian_targeting: Param = MISSING
    decision_temperature: Param = MISSING


@dataclass
class PowerSpec:
    resolve: Param = MISSING
    stability_interest: Param = MISSING
    influence_interest: Param = MISSING
    border_interest: Param = MISSING
    intervention_cost: Param = MISSING
    intervention_force: Param = MISSING
    resupply_capacity: Param = MISSING
    intelligence: Param = MISSING
    peacekeepers: bool = False
    abstains: bool = False  # stands aside for the whole war: no pressure, mediation, arms or force
    decision_temperature: Param = MISSING


@dataclass
class MediatorSpec:
    strength: Param = MISSING
    ceasefire_durability: Param = MISSING


@dataclass
class TieSpec:
    actor: str = MISSING
    partner: str = MISSING
    kind: str = MISSING
    weight: float = MISSING
    range: list[float] = field(
        default_factory=lambda: [0.0, 1.0]
    )  # the span the evidence allows (a lever may leave it)
    scope: str = "all"
    source: str = MISSING


@dataclass
class ScenarioSpec:
    name: str = MISSING
    description: str = MISSING
    start_date: str = MISSING
    horizon_days: int = 120
    war_aims: str = "open"
    opening: str = "GENERAL_OFFENSIVE"
    targets: list[str] = field(default_factory=list)
    force_commitment: float = 0.6
    #: A counterfactual's question, and the outcomes it expects to move: measure -> up or down
    #: (sim.outputs.CONTRAST_MEASURES), which the scenario contrast checks (docs/scenarios.md).
    premise: str = ""
    expects: dict[str, str] = field(default_factory=dict)


@dataclass
class EnsembleSpec:
    n: int = 100
    seed: int = 20200927
    executor: str = "serial"
    workers: int = 0
    ray_address: str = ""
    chunk_size: int = 50
    timeout_s: float = 900.0
    oversubscribe: bool = False  # allow more worker processes than cores
    parameters: str = "fixed"  # fixed | ranges | posterior (sim.config.uncertainty)
    posterior: str = SHIPPED_POSTERIOR  # read with parameters=posterior
    total: str = "posterior"  # a single job's companion ensemble for the total interval: posterior | ranges | none


@dataclass
class DesignSpec:
    """A sampled design: `points` draws over the declared ranges of `params`."""

    method: str = "none"
    points: int = 0
    seed: int = 0
    params: list[str] = field(default_factory=list)


@dataclass
class ExperimentSpec:
    name: str = "single"
    description: str = ""
    design: DesignSpec = field(default_factory=DesignSpec)


@dataclass
class Config:
    belligerents: dict[str, BelligerentSpec] = MISSING
    powers: dict[str, PowerSpec] = MISSING
    mediator: MediatorSpec = MISSING
    ties: dict[str, TieSpec] = MISSING
    theatre: TheatreSpec = MISSING
    combat: dict[str, Param] = MISSING
    decisions: dict[str, Param] = MISSING
    diplomacy: dict[str, Param] = MISSING
    scenario: ScenarioSpec = MISSING
    ensemble: EnsembleSpec = field(default_factory=EnsembleSpec)
    experiment: ExperimentSpec = field(default_factory=ExperimentSpec)
    output_dir: str = "outputs"
    report: bool = True  # a job's (or a sweep's) figures and readable page; false: tables and summary only


def register() -> None:
    """Register the schema in Hydra's ConfigStore as `schema`, for config folders whose defaults still list it.

    The shipped conf/ composes untyped and is typed afterwards (sim.config.conform); a
    user's copy of an earlier conf/ names `schema` first in its defaults, which types the
    files while Hydra composes them (slower, and the same config once conformed).
    Hydra is imported here, not with the schema: a worker that reads plain configs never needs it.
    """
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="schema", node=Config)


def _check_param(key: str, p: Any) -> None:
    """A range of two finite numbers, low <= high, the one declared in conf/; a finite value inside it."""
    rng = list(p.range)
    if len(rng) != 2 or not all(math.isfinite(float(x)) for x in rng):
        raise ConfigError(f"{key}.range: {rng} is not a range; expected [low, high], two finite numbers")
    lo, hi = (float(x) for x in rng)
    if lo > hi:
        raise ConfigError(f"{key}.range: [{lo}, {hi}] is empty; the lower bound must not exceed the upper")
    declared = declared_ranges().get(key)
    if declared and not any(math.isclose(lo, a) and math.isclose(hi, b) for a, b in declared):
        (a, b), file = next(iter(declared.items()))
        raise ConfigError(f"{key}.range: [{lo}, {hi}] is not the range [{a}, {b}] declared in {file}; {RANGE_FIXED}")
    if not math.isfinite(float(p.value)):
        raise ConfigError(f"{key}.value: {p.value} is not a finite number; allowed [{lo}, {hi}]")
    _in_range(f"{key}.value", float(p.value), lo, hi)


#: A power's yes/no settings, which are not sourced parameters.
POWER_FLAGS = ("peacekeepers", "abstains")


def iter_params(cfg: Any):
    """Yield (dotted key, Param) for every sourced parameter of a config."""
    for name in cfg.belligerents:
        for pname, p in cfg.belligerents[name].items():
            if pname != "regime":
                yield f"belligerents.{name}.{pname}", p
    for name in cfg.powers:
        for pname, p in cfg.powers[name].items():
            if pname not in POWER_FLAGS:
                yield f"powers.{name}.{pname}", p
    for pname, p in cfg.mediator.items():
        yield f"mediator.{pname}", p
    for group in ("combat", "decisions", "diplomacy"):
        for pname, p in cfg[group].items():
            yield f"{group}.{pname}", p


def refuse_unknown_actors(raw: Any) -> None:
    """Refuse an actor the model does not know (`+powers.china.resolve.value=0.5` adds one), naming it and the
    actors there are, before its missing values would be reported as if filling them in could help."""
    for group, known in (("belligerents", BELLIGERENTS), ("powers", POWERS)):
        for name in (raw.get(group) if isinstance(raw, dict) else None) or {}:
            if name not in known:
                hint = did_you_mean(str(name), known)
                raise ConfigError(f"{group}.{name}: unknown actor{hint}; allowed: {', '.join(known)}")


def validate(cfg: Any) -> Any:
    """Check ranges, names and choices of a conformed config (sim.config.conform: its keys are the schema's
    and its values of their types); raise ConfigError (one line) on the first problem."""
    for group, allowed in (("belligerents", BELLIGERENTS), ("powers", POWERS)):
        for name in cfg[group]:
            _one_of(f"{group}.{name}", name, allowed)
        missing = [a for a in allowed if a not in cfg[group]]
        if missing:
            raise ConfigError(f"{group}: missing actor(s) {', '.join(missing)}; all of {', '.join(allowed)} are needed")
    for group, keys in GROUP_KEYS.items():
        for key in cfg[group]:
            _one_of(f"{group}.{key}", key, keys)
        missing = [k for k in keys if k not in cfg[group]]
        if missing:
            raise ConfigError(f"{group}: missing parameter(s) {', '.join(missing)}")
    for name in cfg.belligerents:
        _one_of(f"belligerents.{name}.regime", cfg.belligerents[name].regime, REGIMES)
    for key, p in iter_params(cfg):
        _check_param(key, p)

    sectors = list(cfg.theatre.sectors)
    check_theatre(cfg.theatre)

    for key, tie in cfg.ties.items():
        _one_of(f"ties.{key}.actor", tie.actor, ACTORS)
        _one_of(f"ties.{key}.partner", tie.partner, ACTORS)
        if tie.partner == tie.actor:
            raise ConfigError(
                f"ties.{key}.partner: '{tie.partner}' is the tie's own actor; a tie joins two different actors"
            )
        _one_of(f"ties.{key}.kind", tie.kind, TIE_KINDS)
        _one_of(f"ties.{key}.scope", tie.scope, TIE_SCOPES)
        _in_range(f"ties.{key}.weight", float(tie.weight), 0.0, 1.0)
        lo, hi = (float(x) for x in tie.range) if len(tie.range) == 2 else (math.nan, math.nan)
        if not 0.0 <= lo <= hi <= 1.0:
            raise ConfigError(f"ties.{key}.range: {list(tie.range)} is not a span [low, high] within [0, 1]")

    sc = cfg.scenario
    try:
        datetime.date.fromisoformat(str(sc.start_date))
    except ValueError:
        raise ConfigError(f"scenario.start_date: '{sc.start_date}' is not a date; expected YYYY-MM-DD") from None
    _in_range("scenario.horizon_days", sc.horizon_days, 1, 730)
    _one_of("scenario.war_aims", sc.war_aims, ("limited", "general", "open"))
    _one_of("scenario.opening", sc.opening, tuple(o.name for o in Operation))
    for i, t in enumerate(sc.targets):
        _one_of("scenario.targets", t, sectors + list(cfg.theatre.get("aliases") or {}))
        if t in list(sc.targets)[:i]:
            raise ConfigError(f"scenario.targets: '{t}' is listed twice; name each target once")
    _in_range(
        "scenario.force_commitment", sc.force_commitment, 0.005, 1.0
    )  # from a battalion-size raid to the whole force
    for measure, direction in (sc.get("expects") or {}).items():
        _one_of("scenario.expects", measure, tuple(m.name for m in CONTRAST_MEASURES))
        _one_of(f"scenario.expects.{measure}", direction, ("up", "down"))

    ens = cfg.ensemble
    _in_range("ensemble.n", ens.n, 1, 10**7)  # ten million runs a job: more is a sweep of jobs
    _in_range("ensemble.seed", ens.seed, 0, 2**63 - 1)
    _one_of("ensemble.executor", ens.executor, EXECUTORS)
    _in_range("ensemble.workers", ens.workers, 0, 4096)
    _in_range("ensemble.chunk_size", ens.chunk_size, 1, 10**7)
    _in_range("ensemble.timeout_s", ens.timeout_s, 1, 10**7)
    _one_of("ensemble.parameters", ens.parameters, PARAMETER_MODES)
    _one_of("ensemble.total", ens.total, TOTAL_MODES)
    _check_design(cfg)
    if not str(cfg.output_dir).strip():
        raise ConfigError("output_dir: empty; give a folder for the results, e.g. output_dir=outputs")
    return cfg


def design_ranges(cfg: Any) -> dict[str, tuple[float, float]]:
    """Dotted keys that a design may sample, each with its declared range.

    Sourced parameters give `<key>.value` with the Param's `range`; tie weights
    give `ties.<name>.weight` on [0, 1].
    """
    out = {f"{key}.value": (float(p.range[0]), float(p.range[1])) for key, p in iter_params(cfg)}
    out.update({f"ties.{name}.weight": (0.0, 1.0) for name in cfg.ties})
    return out


def _check_design(cfg: Any) -> None:
    design = cfg.experiment.design
    _one_of("experiment.design.method", design.method, DESIGN_METHODS)
    if design.method == "none":
        return
    _in_range("experiment.design.points", design.points, 1, 10**8)
    if design.method == "sobol" and design.points & (design.points - 1):
        raise ConfigError(
            f"experiment.design.points: {design.points} is not a power of two, which Sobol sequences need"
        )
    if not design.params:
        raise ConfigError(
            "experiment.design.params: empty; list the dotted keys to sample, e.g. powers.turkey.resolve.value"
        )
    allowed = design_ranges(cfg)
    for name in design.params:
        if name not in allowed:
            raise ConfigError(
                f"experiment.design.params: '{name}' is not a sampled parameter; expected <param>.value "
                "of a sourced parameter (e.g. powers.turkey.resolve.value) or ties.<name>.weight"
            )
