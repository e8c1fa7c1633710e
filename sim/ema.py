"""The model for the EMA Workbench (exploratory modelling and analysis): `ema_model()` builds an EMA model.

EMA users sample uncertainties and levers, run experiments with an evaluator and analyse
them (PRIM, feature scoring); this adapter gives them the model in EMA's own terms, so
nobody writes a wrapper of their own:

- uncertainties: the model's uncertain parameters (by default the sensitivity tool's,
  sim.report.sensitivity.DEFAULT_PARAMS) with the ranges conf/ declares for them;
- a lever: the scenario switch, `scenario_name`, one of the shipped scenarios (EMA's own
  experiments table has a `scenario` column already; without sampled policies every
  experiment runs the baseline);
- outcomes: the headline outcomes (sim.outputs.KEY_OUTCOMES) as ScalarOutcomes and the
  daily escalation rung as a TimeSeriesOutcome `rung`, `days` long (NaN after the war ends,
  so every experiment's series has one length and `save_results` can write them), each
  the mean over the experiment's replicates;
- replications: EMA's ReplicatorModel runs `replicates` runs per experiment, replicate r
  seeded as replicate r of `run_ensemble(..., seed=seed)` (sim.runs.chunks.replicate_seed),
  so an experiment at the scenario's own values gives the ensemble's numbers.

    from ema_workbench import MultiprocessingEvaluator, perform_experiments, save_results
    from sim.ema import ema_model
    model = ema_model(replicates=4)
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        results = perform_experiments(model, 8, evaluator=evaluator)
    save_results(results, "experiments.tar.gz")

Needs the ema extra: `pip install 'karabakh-escalation[ema]'`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
from ema_workbench import (
    CategoricalParameter,
    Constant,
    IntegerParameter,
    RealParameter,
    ReplicatorModel,
    ScalarOutcome,
    TimeSeriesOutcome,
)
from omegaconf import OmegaConf

from sim.config.errors import ConfigError
from sim.config.loading import DEFAULT_SCENARIO, check, load_config, scenarios
from sim.config.schema import design_ranges
from sim.outputs import KEY_OUTCOMES
from sim.runs.chunks import replicate_seed, run_one

#: The scenario switch's name among the levers.
SCENARIO = "scenario_name"


@functools.lru_cache(maxsize=32)
def _base(scenario: str) -> Any:
    cfg = load_config(scenario)
    OmegaConf.set_readonly(cfg, True)
    return cfg


def run_experiment(
    seed: int, replicate: int, days: int, scenario_name: str = DEFAULT_SCENARIO, **values: float
) -> dict[str, Any]:
    """One run of one experiment: the scenario with the sampled values set, replicate `replicate` of `seed`.

    Module-level (not a closure) so that EMA's MultiprocessingEvaluator can send it to its workers.
    """
    cfg = _base(scenario_name).copy()
    OmegaConf.set_readonly(cfg, False)
    for key, value in values.items():
        OmegaConf.update(cfg, key, value.item() if isinstance(value, np.generic) else value, merge=True)
    record, daily = run_one(check(cfg), replicate_seed(seed, replicate), replicate)
    rung = np.full(days, np.nan)
    seen = np.asarray(daily["rung"][:days], dtype=float)
    rung[: len(seen)] = seen
    return {**{name: float(record[name]) for name in KEY_OUTCOMES}, "rung": rung}


def ema_model(
    uncertain: Sequence[str] | None = None,
    scenario_options: Sequence[str] | None = None,
    replicates: int = 4,
    seed: int = 20200927,
    days: int | None = None,
    name: str = "karabakh",
) -> ReplicatorModel:
    """An EMA ReplicatorModel of the war (see the module's docstring).

    uncertain: dotted keys of parameters (`<key>.value` or `ties.<name>.weight`), each
    sampled over its declared range; scenario_options: the scenarios the lever chooses
    from (all shipped ones by default); days: the length of the rung series (default: the
    longest horizon of those scenarios).
    """
    from sim.report.sensitivity import DEFAULT_PARAMS

    options = list(scenario_options or scenarios())
    unknown = [s for s in options if s not in scenarios()]
    if unknown:
        raise ConfigError(f"scenario_options: '{unknown[0]}' is unknown; expected some of {', '.join(scenarios())}")
    base = _base(DEFAULT_SCENARIO)
    ranges = design_ranges(base)
    keys = list(uncertain or DEFAULT_PARAMS)
    for key in keys:
        if key not in ranges:
            raise ConfigError(
                f"uncertain: '{key}' is no parameter with a declared range (e.g. mediator.strength.value)"
            )
    if not isinstance(replicates, int) or replicates < 1:
        raise ConfigError(f"replicates: expected a whole number >= 1, got {replicates!r}")
    length = days or max(int(_base(s).scenario.horizon_days) for s in options)
    model = ReplicatorModel(name, function=run_experiment)
    model.uncertainties = [_uncertainty(key, ranges[key], OmegaConf.select(base, key)) for key in keys]
    model.levers = [CategoricalParameter(SCENARIO, options)]
    model.constants = [Constant("seed", int(seed)), Constant("days", int(length))]
    model.replications = [{"replicate": r} for r in range(replicates)]
    scalars = [ScalarOutcome(name, function=mean_of_replicates) for name in KEY_OUTCOMES]
    model.outcomes = [*scalars, TimeSeriesOutcome("rung", function=mean_series)]
    return model


def mean_of_replicates(values: Sequence[float]) -> float:
    """A scalar outcome of an experiment: the mean over its replicates."""
    return float(np.mean(values))


def mean_series(series: Sequence[np.ndarray]) -> np.ndarray:
    """The rung series of an experiment: each day's mean over the replicates still at war (NaN when none is)."""
    stacked = np.vstack(series)
    at_war = (~np.isnan(stacked)).sum(axis=0)
    return np.where(at_war > 0, np.nansum(stacked, axis=0) / np.maximum(at_war, 1), np.nan)


def _uncertainty(key: str, bounds: tuple[float, float], value: Any) -> RealParameter | IntegerParameter:
    """A whole-number parameter (a count, e.g. UAV sorties) as an IntegerParameter, any other as a RealParameter."""
    low, high = bounds
    if isinstance(value, int) and not isinstance(value, bool) and float(low).is_integer() and float(high).is_integer():
        return IntegerParameter(key, int(low), int(high))
    return RealParameter(key, float(low), float(high))
