"""Global sensitivity of escalation outcomes to the sourced parameters (SALib: Sobol and Morris).

The sample is drawn over each parameter's declared `range` (sim.config.schema.design_ranges),
run through the ensemble machinery (sim.runs.design.run_design: serial, processes or
Ray, common random numbers across points), reduced to one number per point and
outcome, and analysed by SALib. Outcomes are estimated from `replicates` runs per
point, so Monte Carlo noise adds a floor to every index: indices below their
confidence half-width are indistinguishable from zero.

The cost is shown before anything runs: Sobol needs N * (k + 2) points without
second-order terms (N * (2k + 2) with them), Morris r * (k + 1), each times the
replicates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from omegaconf import DictConfig

from sim.config.schema import ConfigError, design_ranges
from sim.outputs import CIVILIAN_DEATHS, MILITARY_DEATHS, SENSITIVITY_OUTCOMES
from sim.runs.design import run_design

MILITARY = list(MILITARY_DEATHS)
CIVILIAN = list(CIVILIAN_DEATHS)

#: Outcomes of one point, each a function of that point's runs (declared in sim.outputs).
OUTCOMES: dict[str, Callable[[pd.DataFrame], float]] = {m.name: m.of for m in SENSITIVITY_OUTCOMES}


@dataclass
class SensitivityResult:
    """Indices (tidy: outcome, parameter, index, value, conf), the points, their outcomes and the runs."""

    method: str
    indices: pd.DataFrame
    points: pd.DataFrame
    outcomes: pd.DataFrame
    runs: pd.DataFrame


def calibrated_ranges(config: DictConfig, posterior: str) -> dict[str, tuple[float, float]]:
    """The declared ranges, with each calibrated parameter's narrowed to its posterior 5-95% interval.

    After a calibration the record rules out most of a fitted parameter's declared
    range; a sensitivity analysis over the whole range would rank parameters by
    what they do in regions the record excludes.
    """
    from sim.analysis.calibration import weighted_quantile
    from sim.config.uncertainty import read_posterior

    ranges = dict(design_ranges(config))
    post = read_posterior(posterior)
    for j, key in enumerate(post.keys):
        if key in ranges:
            lo, hi = weighted_quantile(post.values[:, j], post.weights, [0.05, 0.95])
            ranges[key] = (float(lo), float(max(hi, lo + 1e-12)))
    return ranges


def problem(config: DictConfig, params: list[str], ranges: dict[str, tuple[float, float]] | None = None) -> dict:
    """SALib problem over the ranges of `params` (dotted keys ending in .value or .weight): declared ones by default."""
    ranges = design_ranges(config) if ranges is None else ranges
    unknown = [p for p in params if p not in ranges]
    if unknown:
        raise ConfigError(
            f"params: '{unknown[0]}' is not a sampled parameter; expected <param>.value of a sourced "
            "parameter (e.g. powers.turkey.resolve.value) or ties.<name>.weight"
        )
    if len(params) < 2:
        raise ConfigError("params: a sensitivity analysis needs at least two parameters")
    return {"num_vars": len(params), "names": list(params), "bounds": [list(ranges[p]) for p in params]}


def run_count(method: str, n_params: int, base: int, replicates: int, second_order: bool = False) -> int:
    """Model runs a design will take (show it before starting)."""
    if method == "sobol":
        points = base * (2 * n_params + 2 if second_order else n_params + 2)
    elif method == "morris":
        points = base * (n_params + 1)
    else:
        raise ConfigError(f"method: '{method}' is not allowed; expected one of sobol, morris")
    return points * replicates


def point_outcomes(runs: pd.DataFrame, n_points: int, outcomes=None) -> pd.DataFrame:
    """One row per point (0..n_points-1) and one column per outcome."""
    outcomes = OUTCOMES if outcomes is None else outcomes
    grouped = runs.groupby("point_id")
    table = pd.DataFrame({name: grouped.apply(f, include_groups=False) for name, f in outcomes.items()})
    missing = sorted(set(range(n_points)) - set(table.index))
    if missing:
        raise RuntimeError(f"points {missing[:5]} have no runs (failed?); sensitivity indices need every point")
    return table.reindex(range(n_points))


def _run(config, prob, x, replicates, seed, executor, outcomes, progress, workers=None, out=None):
    points = pd.DataFrame(x, columns=prob["names"])
    res = run_design(
        config, points, n=replicates, seed=seed, executor=executor, workers=workers, out=out, progress=progress
    )
    return points, point_outcomes(res.runs, len(points), outcomes), res.runs


def sobol(
    config: DictConfig,
    params: list[str],
    base: int = 64,
    replicates: int = 10,
    seed: int = 0,
    executor: str | None = None,
    outcomes=None,
    second_order: bool = False,
    progress: bool = False,
    workers: int | None = None,
    out=None,
    ranges: dict[str, tuple[float, float]] | None = None,
) -> SensitivityResult:
    """First-order (S1) and total (ST) Sobol indices of each outcome, with 95% bootstrap confidence.

    second_order adds S2 rows, one per pair of parameters ("a x b" in `parameter`).
    workers, out: passed to run_design (with `out` the runs stream to that folder and a rerun resumes).
    """
    prob = problem(config, params, ranges)
    if base < 2 or base & (base - 1):
        raise ConfigError(f"base: {base} is not a power of two (>= 2), which Sobol sequences need")
    from SALib.analyze import sobol as sobol_analyze  # here: SALib brings scipy.stats (~1 s to import)
    from SALib.sample import sobol as sobol_sample

    x = sobol_sample.sample(prob, base, calc_second_order=second_order, seed=seed)
    points, table, runs = _run(config, prob, x, replicates, seed, executor, outcomes, progress, workers, out)
    rows = []
    k = len(params)
    for name in table.columns:
        y = table[name].to_numpy(dtype=float)
        if np.ptp(y) == 0:  # a constant outcome has no variance to apportion
            s = {key: np.zeros(k) for key in ("S1", "S1_conf", "ST", "ST_conf")}
            s.update({key: np.zeros((k, k)) for key in ("S2", "S2_conf")})
        else:
            s = sobol_analyze.analyze(prob, y, calc_second_order=second_order, seed=seed)
        for i, p in enumerate(params):
            rows.append({"outcome": name, "parameter": p, "index": "S1", "value": s["S1"][i], "conf": s["S1_conf"][i]})
            rows.append({"outcome": name, "parameter": p, "index": "ST", "value": s["ST"][i], "conf": s["ST_conf"][i]})
        if second_order:
            rows += [
                {
                    "outcome": name,
                    "parameter": f"{params[i]} x {params[j]}",
                    "index": "S2",
                    "value": s["S2"][i][j],
                    "conf": s["S2_conf"][i][j],
                }
                for i in range(k)
                for j in range(i + 1, k)
            ]
    return SensitivityResult("sobol", pd.DataFrame(rows), points, table, runs)


def morris(
    config: DictConfig,
    params: list[str],
    trajectories: int = 10,
    levels: int = 4,
    replicates: int = 10,
    seed: int = 0,
    executor: str | None = None,
    outcomes=None,
    progress: bool = False,
    workers: int | None = None,
    out=None,
    ranges: dict[str, tuple[float, float]] | None = None,
) -> SensitivityResult:
    """Morris elementary effects: mu_star (with 95% confidence) and sigma of each outcome.

    workers, out: passed to run_design (with `out` the runs stream to that folder and a rerun resumes).
    """
    prob = problem(config, params, ranges)
    from SALib.analyze import morris as morris_analyze  # here, as in `sobol`
    from SALib.sample import morris as morris_sample

    x = morris_sample.sample(prob, trajectories, num_levels=levels, seed=seed)
    points, table, runs = _run(config, prob, x, replicates, seed, executor, outcomes, progress, workers, out)
    rows = []
    for name in table.columns:
        y = table[name].to_numpy(dtype=float)
        s = morris_analyze.analyze(prob, x, y, num_levels=levels, seed=seed)
        for i, p in enumerate(params):
            rows.append(
                {
                    "outcome": name,
                    "parameter": p,
                    "index": "mu_star",
                    "value": s["mu_star"][i],
                    "conf": s["mu_star_conf"][i],
                }
            )
            rows.append({"outcome": name, "parameter": p, "index": "sigma", "value": s["sigma"][i], "conf": np.nan})
    return SensitivityResult("morris", pd.DataFrame(rows), points, table, runs)


def ranking(indices: pd.DataFrame, outcome: str, index: str = "ST") -> pd.DataFrame:
    """Parameters of one outcome, most influential first."""
    t = indices[(indices["outcome"] == outcome) & (indices["index"] == index)]
    return t.sort_values("value", ascending=False).reset_index(drop=True)
