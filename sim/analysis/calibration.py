"""Calibration: fit a few uncertain parameters to backtest targets by ABC.

Approximate Bayesian computation by rejection with a local-linear regression
adjustment (Beaumont, Zhang and Balding 2002), on a small budget:

1. draw parameter sets from a uniform prior over each parameter's declared
   `range` (log-uniform when the range spans a factor of ten or more), spread
   by a Latin hypercube so that a few dozen draws cover the box;
2. run one ensemble per draw through `run_ensemble`, every draw on the same
   seed (common random numbers, so differences come from the parameters, not
   the dice), and summarise it by the ensemble mean of each target statistic;
3. keep the draws whose summaries lie closest to the observed figures
   (distance scaled by the spread of each summary over the draws), weight them
   with an Epanechnikov kernel, and regress the parameters (in logit space of
   their range) on the summaries to correct for the remaining distance.

The posterior sample stays strictly inside every declared range by
construction (the logit maps back into it). Its median is the fitted value; its
5-95% quantiles are the uncertainty. Pure numpy/scipy over ensemble tables.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf
from scipy.special import expit, logit
from scipy.stats import qmc

from sim.analysis.validation import Target, statistic_values
from sim.config.schema import iter_params, validate
from sim.runs.ensemble import run_ensemble

#: Keep u in (EPS, 1 - EPS) before the logit so that draws on a bound stay finite.
EPS = 1e-6


class CalibrationError(ValueError):
    """A calibration request that cannot be met; the message is one line."""


@dataclass(frozen=True)
class Prior:
    """A parameter to fit: its dotted key, declared range and scale."""

    key: str
    lo: float
    hi: float
    log: bool

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map [0, 1] onto the range (geometrically on a log scale)."""
        if self.log:
            return np.exp(np.log(self.lo) + u * (np.log(self.hi) - np.log(self.lo)))
        return self.lo + u * (self.hi - self.lo)

    def to_unit(self, x: np.ndarray) -> np.ndarray:
        if self.log:
            return (np.log(x) - np.log(self.lo)) / (np.log(self.hi) - np.log(self.lo))
        return (np.asarray(x, dtype=float) - self.lo) / (self.hi - self.lo)


@dataclass
class Calibration:
    """What a calibration found: the fitted table, the posterior sample and every draw."""

    priors: list[Prior]
    targets: list[str]
    observed: np.ndarray
    table: pd.DataFrame  # one row per parameter: shipped value, range, median, p5, p95
    posterior: pd.DataFrame  # accepted (adjusted) parameter sets with their weights
    draws: pd.DataFrame  # every prior draw with its summaries and distance
    n: int
    seed: int

    @property
    def fitted(self) -> dict[str, float]:
        return dict(zip(self.table["parameter"], self.table["median"], strict=True))


def priors_of(cfg: DictConfig, keys: Sequence[str]) -> list[Prior]:
    """Priors over the declared ranges of the named parameters (e.g. 'combat.attrition_rate')."""
    params = dict(iter_params(cfg))
    out = []
    for key in keys:
        if key not in params:
            raise CalibrationError(f"{key}: not a sourced parameter; expected e.g. combat.attrition_rate")
        lo, hi = (float(x) for x in params[key].range)
        if not lo < hi:
            raise CalibrationError(f"{key}.range: [{lo}, {hi}] has no width to fit over")
        out.append(Prior(key, lo, hi, log=lo > 0 and hi / lo >= 10))
    if len({p.key for p in out}) != len(out):
        raise CalibrationError("parameters: each parameter may be named once")
    return out


def with_values(cfg: DictConfig, values: Mapping[str, float], check: bool = True) -> DictConfig:
    """A copy of cfg with the given parameter values (validated against the ranges unless check=False)."""
    out = copy.deepcopy(cfg)
    for key, v in values.items():
        OmegaConf.update(out, f"{key}.value", float(v))
    return validate(out) if check else out


def summarise(
    cfg: DictConfig, targets: Sequence[Target], n: int, seed: int, executor: str = "serial", workers: int | None = None
) -> np.ndarray:
    """Ensemble mean of each target statistic for one configuration."""
    res = run_ensemble(cfg, n=n, seed=seed, executor=executor, workers=workers)
    return np.array([statistic_values(t.statistic, res.runs, res.daily).mean() for t in targets])


def draw_unit(k: int, m: int, seed: int) -> np.ndarray:
    """m points of a Latin hypercube in [0, 1]^k."""
    return qmc.LatinHypercube(d=k, seed=np.random.default_rng(seed)).random(m)


def _transform(s: np.ndarray) -> np.ndarray:
    """Counts and areas are compared on a log scale: 30 vs 40 matters more than 300 vs 310."""
    return np.log1p(np.maximum(np.asarray(s, dtype=float), 0.0))


def _scale(s: np.ndarray) -> np.ndarray:
    """Spread of each summary over the draws (MAD, falling back to SD, then 1)."""
    med = np.median(s, axis=0)
    mad = 1.4826 * np.median(np.abs(s - med), axis=0)
    sd = s.std(axis=0)
    return np.where(mad > 0, mad, np.where(sd > 0, sd, 1.0))


def abc_posterior(
    u: np.ndarray, s: np.ndarray, observed: np.ndarray, accept: float, adjust: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rejection ABC with regression adjustment.

    u: (m, k) parameter draws in [0, 1]; s: (m, t) summaries; observed: (t,).
    Returns (posterior draws in (0, 1), their weights, the distance of every draw).
    """
    ts, to = _transform(s), _transform(observed)
    scale = _scale(ts)
    x = (ts - to) / scale
    dist = np.sqrt((x**2).sum(axis=1))
    keep_n = max(int(math.ceil(accept * len(u))), min(len(u), u.shape[1] + 2))
    keep = np.argsort(dist, kind="stable")[:keep_n]
    h = dist[keep].max() * 1.0001 + 1e-12
    w = 1.0 - (dist[keep] / h) ** 2
    z = logit(np.clip(u[keep], EPS, 1 - EPS))
    if adjust and keep_n > x.shape[1] + 1:
        design = np.column_stack([np.ones(keep_n), x[keep]])
        sw = np.sqrt(w)[:, None]
        beta, *_ = np.linalg.lstsq(design * sw, z * sw, rcond=None)
        z = z - x[keep] @ beta[1:]
    return expit(z), w / w.sum(), dist


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Quantiles of a weighted sample (interpolating the weighted CDF at mid-points)."""
    order = np.argsort(x)
    x, w = np.asarray(x)[order], np.asarray(w)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cdf, x)


def calibrate(
    cfg: DictConfig,
    keys: Sequence[str],
    targets: Sequence[Target],
    observed: Sequence[float],
    draws: int = 120,
    n: int = 20,
    seed: int = 20200927,
    accept: float = 0.2,
    adjust: bool = True,
    executor: str = "serial",
    workers: int | None = None,
    progress=None,
) -> Calibration:
    """Fit the parameters `keys` of cfg so that the ensemble means of `targets` match `observed`.

    draws: prior draws (one ensemble each); n: runs per ensemble; seed: the
    ensemble seed shared by all draws and the seed of the Latin hypercube;
    accept: share of draws kept; progress: optional callable(i, m) after each draw.
    """
    observed_arr = np.asarray(observed, dtype=float)
    if len(targets) != len(observed) or not targets:
        raise CalibrationError("targets: give one observed value per target, and at least one target")
    if draws < len(keys) + 3:
        raise CalibrationError(f"draws: {draws} is too few; need at least {len(keys) + 3}")
    if not 0.0 < accept <= 1.0:
        raise CalibrationError(f"accept: {accept} is out of range; allowed (0, 1]")
    if n < 1:
        raise CalibrationError(f"n: {n} is out of range; allowed >= 1")
    priors = priors_of(cfg, keys)
    u = draw_unit(len(priors), draws, seed)
    theta = np.column_stack([p.from_unit(u[:, j]) for j, p in enumerate(priors)])
    s = np.empty((draws, len(targets)))
    for i in range(draws):
        point = with_values(cfg, {p.key: theta[i, j] for j, p in enumerate(priors)}, check=False)
        s[i] = summarise(point, targets, n, seed, executor, workers)
        if progress is not None:
            progress(i + 1, draws)
    post_u, w, dist = abc_posterior(u, s, observed_arr, accept, adjust)
    post = np.column_stack([p.from_unit(post_u[:, j]) for j, p in enumerate(priors)])
    shipped = dict(iter_params(cfg))
    rows = []
    for j, p in enumerate(priors):
        p5, med, p95 = weighted_quantile(post[:, j], w, [0.05, 0.5, 0.95])
        rows.append(
            {
                "parameter": p.key,
                "shipped": float(shipped[p.key].value),
                "range_lo": p.lo,
                "range_hi": p.hi,
                "scale": "log" if p.log else "linear",
                "median": float(med),
                "p5": float(p5),
                "p95": float(p95),
            }
        )
    names = [t.name for t in targets]
    posterior = pd.DataFrame(post, columns=[p.key for p in priors]).assign(weight=w)
    all_draws = pd.DataFrame(theta, columns=[p.key for p in priors])
    for k, name in enumerate(names):
        all_draws[f"mean_{name}"] = s[:, k]
    all_draws["distance"] = dist
    return Calibration(priors, names, observed_arr, pd.DataFrame(rows), posterior, all_draws, n, seed)


# --- using the result -----------------------------------------------------------------------------
def _fmt(x: float, p: Prior) -> float:
    """Four significant digits, kept inside the declared range."""
    return min(max(float(f"{x:.4g}"), p.lo), p.hi)


def override_strings(fit: Calibration) -> list[str]:
    """Hydra overrides of the fitted values: load_config(scenario, overrides=these)."""
    return [f"{p.key}.value={_fmt(v, p)}" for p, v in zip(fit.priors, fit.table["median"], strict=True)]


def read_overrides(path: Path) -> list[str]:
    """The overrides of an overrides.txt written by experiments.calibrate (comments skipped)."""
    lines = Path(path).read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def scenario_document(base: DictConfig, fit: Calibration, name: str, what: str) -> dict:
    """A conf/scenario-style file: the base scenario renamed, plus the fitted parameters with sources."""
    doc: dict = {"scenario": OmegaConf.to_container(base.scenario, resolve=True)}
    doc["scenario"]["name"] = name
    doc["scenario"]["description"] = f"{base.scenario.description} (calibrated: {what})"
    params = dict(iter_params(base))
    for p, row in zip(fit.priors, fit.table.itertuples(index=False), strict=True):
        node = doc
        *path, leaf = p.key.split(".")
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = {
            "value": _fmt(row.median, p),
            "unit": str(params[p.key].unit),
            "range": [p.lo, p.hi],
            "source": (
                f"ABC calibration to {what} (n={fit.n} runs per draw, seed {fit.seed}, "
                f"{len(fit.draws)} draws): posterior median, 5-95% [{row.p5:.4g}, {row.p95:.4g}]; "
                f"shipped value {row.shipped:g} ({params[p.key].source})"
            ),
        }
    return doc
