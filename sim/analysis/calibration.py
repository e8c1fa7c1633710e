"""Calibration by ABC-SMC (pyabc) to the `fit` targets of the backtest episodes.

Approximate Bayesian computation with sequential Monte Carlo (Toni et al.
2009; Beaumont et al. 2009) as pyabc implements it: a population of parameter
sets is drawn from the prior, each simulated and kept when its distance to the
record is below a threshold; the next population perturbs the kept ones and the
threshold shrinks (the median distance of the last population). pyabc is a
maintained library with a database of every population, so a calibration killed
half-way resumes from its last finished population, and its samplers take any
concurrent.futures executor, so particles run on the project's processes or Ray
(sim.runs.executors.futures_executor).

The pieces, each testable on its own:

- `Prior`: a parameter's prior is the triangular distribution on its declared
  range with its mode at the declared value, the same one that
  `ensemble.parameters=ranges` draws from (sim.config.uncertainty);
- `misfit`: how far an ensemble's statistic lies outside a target's observed
  range (0 inside it), on a log scale for counts, so one target cannot
  dominate by its units;
- `EpisodeSimulator`: a particle's summary: for each episode, n replicates at
  the particle's values (seeds shared by every particle: common random numbers,
  so distances differ by the parameters, not the dice), one misfit per `fit`
  target; `distance` is their root sum of squares.

Only the `fit` targets are matched; the `check` targets are held out
(docs/validation.md#fit-and-check). The driver (sim.report.calibration) saves
the posterior where `ensemble.parameters=posterior` reads it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.validation import Episode, Target, episodes, statistic_values
from sim.config.uncertainty import uncertain_parameters, with_values

#: A particle whose statistic cannot be computed (every run's denominator 0) is this far off.
UNDEFINED_MISFIT = 5.0
#: A share_inside target falling short of its min_share by 0.25 counts as one log unit of misfit.
SHARE_SCALE = 4.0


class CalibrationError(ValueError):
    """A calibration request that cannot be met; the message is one line."""


@dataclass(frozen=True)
class Prior:
    """A parameter to fit: its dotted key (without `.value`), declared range and declared value."""

    key: str
    low: float
    mode: float
    high: float
    unit: str = ""  # as declared beside the value (conf/), for the figures' axes

    @property
    def name(self) -> str:
        """The key as pyabc stores it (its parameter names are plain identifiers)."""
        return self.key.replace(".", "__")

    def rv(self) -> Any:
        import pyabc

        c = (self.mode - self.low) / (self.high - self.low)
        return pyabc.RV("triang", c, loc=self.low, scale=self.high - self.low)

    def density(self, x: np.ndarray) -> np.ndarray:
        """The triangular prior density at x (for the prior-against-posterior figure)."""
        lo, m, hi = self.low, self.mode, self.high
        up = np.where(x < m, 2 * (x - lo) / ((hi - lo) * max(m - lo, 1e-300)), 0.0)
        down = np.where(x >= m, 2 * (hi - x) / ((hi - lo) * max(hi - m, 1e-300)), 0.0)
        return np.where((x >= lo) & (x <= hi), up + down, 0.0)


def priors_of(cfg: Any, keys: Sequence[str]) -> list[Prior]:
    """Priors of the named parameters (e.g. 'combat.attrition_rate'): uncertain in cfg, with a range to fit over."""
    uncertain = {u.key.removesuffix(".value"): u for u in uncertain_parameters(cfg)}
    out = []
    for key in keys:
        if key not in uncertain:
            raise CalibrationError(
                f"{key}: not an uncertain sourced parameter of the episode's scenario (one it leaves at its "
                "declared value, with a range); expected e.g. combat.attrition_rate"
            )
        u = uncertain[key]
        node = cfg
        for part in key.split("."):
            node = node[part]
        out.append(Prior(key, u.low, u.mode, u.high, str(node.get("unit") or "")))
    if len({p.key for p in out}) != len(out):
        raise CalibrationError("params: each parameter may be named once")
    return out


def misfit(values: pd.Series, target: Target) -> float:
    """How far the ensemble's statistic lies from the record: 0 when it agrees, in log units otherwise.

    share_inside targets (an event the record reports) compare the share of runs
    inside the observed range with min_share; every other rule compares the
    ensemble's median with the observed range, on log(1 + x): 30 against 40
    matters more than 3,000 against 3,010.
    """
    lo, hi = target.observed
    v = values.dropna()
    if v.empty:
        return UNDEFINED_MISFIT
    if target.rule == "share_inside":
        low, high = -np.inf if lo is None else lo, np.inf if hi is None else hi
        inside = (v >= low) & (v <= high)
        return SHARE_SCALE * max(0.0, target.min_share - float(inside.mean()))
    m = float(v.median())
    if lo is not None and m < lo:
        return float(np.log1p(max(lo, 0.0)) - np.log1p(max(m, 0.0)))
    if hi is not None and m > hi:
        return float(np.log1p(max(m, 0.0)) - np.log1p(max(hi, 0.0)))
    return 0.0


def distance(x: dict[str, float], _observed: dict[str, float]) -> float:
    """pyabc's distance: the root sum of squares of the particle's misfits (the record is their zero)."""
    return math.sqrt(sum(v * v for v in x.values()))


def fit_targets(names: Sequence[str], targets_dir: str | None = None) -> list[tuple[Episode, list[Target]]]:
    """The named episodes with their `fit` targets (an episode without any is an error)."""
    known = episodes(Path(targets_dir)) if targets_dir else episodes()
    out = []
    for name in names:
        if name not in known:
            raise CalibrationError(f"episodes: '{name}' is unknown; expected one of {', '.join(known)}")
        fits = [t for t in known[name].targets if t.use == "fit"]
        if not fits:
            raise CalibrationError(f"episodes: '{name}' has no target marked `use: fit`; it cannot be fitted to")
        out.append((known[name], fits))
    return out


@functools.cache
def _fit_targets_once(names: tuple[str, ...], targets_dir: str | None) -> list[tuple[Episode, list[Target]]]:
    """`fit_targets`, read once per process: every particle of a calibration asks for the same ones."""
    return fit_targets(names, targets_dir)


@functools.cache
def _episode_base(scenario: str, overrides: tuple[str, ...]) -> tuple[Any, frozenset[str]]:
    """An episode's plain config snapshot and the keys that are uncertain in it (built once per process)."""
    from omegaconf import OmegaConf

    from sim.config.loading import load_config
    from sim.model.conflict import parameters_of

    cfg = load_config(scenario, overrides=list(overrides))
    OmegaConf.set_readonly(cfg, True)
    return parameters_of(cfg), frozenset(u.key for u in uncertain_parameters(cfg))


@dataclass(frozen=True)
class EpisodeSimulator:
    """A particle's summary statistics: its misfit on every `fit` target of the episodes (pyabc's model)."""

    episodes: tuple[str, ...]
    n: int
    seed: int
    targets_dir: str | None = None

    def runs(self, episode: Episode, values: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """n replicates of the episode with the given parameter values (keys without `.value`)."""
        from sim.runs.chunks import replicate_seed, run_one

        base, uncertain = _episode_base(episode.scenario, tuple(episode.overrides))
        # a value the episode's scenario sets (a lever of that episode) is not overridden by the fit
        config = with_values(base, {f"{k}.value": v for k, v in values.items() if f"{k}.value" in uncertain})
        records: list[dict] = []
        columns: dict[str, list] = {}
        for r in range(self.n):
            rec, days = run_one(config, replicate_seed(self.seed, r), r)
            records.append(rec)
            for name, col in days.items():
                columns.setdefault(name, []).extend(col)
        return pd.DataFrame(records), pd.DataFrame(columns)

    def __call__(self, particle: dict[str, float]) -> dict[str, float]:
        values = {k.replace("__", "."): float(v) for k, v in particle.items()}
        out = {}
        for episode, targets in _fit_targets_once(self.episodes, self.targets_dir):
            runs, daily = self.runs(episode, values)
            for t in targets:
                out[f"{episode.name}/{t.name}"] = misfit(statistic_values(t.statistic, runs, daily), t)
        return out


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Quantiles of a weighted sample (interpolating the weighted CDF at mid-points)."""
    order = np.argsort(x)
    x, w = np.asarray(x)[order], np.asarray(w)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cdf, x)


def posterior_table(priors: Sequence[Prior], particles: pd.DataFrame, weights: np.ndarray) -> pd.DataFrame:
    """The posterior as `ensemble.parameters=posterior` reads it: one column per `<key>.value`, and `weight`."""
    table = pd.DataFrame({f"{p.key}.value": particles[p.name].to_numpy(float) for p in priors})
    table["weight"] = np.asarray(weights, float) / np.sum(weights)
    return table


def summary_table(priors: Sequence[Prior], posterior: pd.DataFrame) -> pd.DataFrame:
    """One row per parameter: declared value and range, posterior median and 5-95%, and how much it narrowed."""
    rows = []
    w = posterior["weight"].to_numpy()
    for p in priors:
        x = posterior[f"{p.key}.value"].to_numpy()
        p5, med, p95 = weighted_quantile(x, w, [0.05, 0.5, 0.95])
        rows.append(
            {
                "parameter": p.key,
                "declared": p.mode,
                "range_lo": p.low,
                "range_hi": p.high,
                "posterior_median": float(med),
                "posterior_p5": float(p5),
                "posterior_p95": float(p95),
                "share_of_range": float((p95 - p5) / (p.high - p.low)),
            }
        )
    return pd.DataFrame(rows)
