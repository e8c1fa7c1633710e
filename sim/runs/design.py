"""Sampled designs: many parameters varied at once over their declared ranges.

`sample_design` draws points with scipy.stats.qmc (Latin hypercube or scrambled
Sobol) over each parameter's `range` in conf/; `run_design` runs any table of
points (one column per dotted config key, e.g. "powers.turkey.resolve.value")
times n replicates in one pool, in chunks, optionally streaming to a folder and
resuming there. Sensitivity analyses (e.g. SALib's Saltelli samples) build their
own points table and hand it to `run_design`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import DictConfig

from sim.config.schema import ConfigError, design_ranges
from sim.runs.results import EnsembleResult
from sim.runs.runner import run_points

__all__ = ["check_points", "run_design", "sample_design"]


def sample_design(
    config: DictConfig,
    method: str | None = None,
    points: int | None = None,
    params: list[str] | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Points of a design over the declared ranges; defaults from `experiment.design`.

    method: "lhs" (Latin hypercube) or "sobol" (scrambled; points a power of two).
    Integer-valued parameters stay floats: the model reads them as numbers.
    """
    spec = config.experiment.design
    method = spec.method if method is None else method
    count = int(spec.points if points is None else points)
    params = list(spec.params if params is None else params)
    seed = int(spec.seed if seed is None else seed)
    ranges = design_ranges(config)
    unknown = [p for p in params if p not in ranges]
    if unknown:
        raise ConfigError(
            f"experiment.design.params: '{unknown[0]}' is not a sampled parameter; "
            "expected <param>.value of a sourced parameter or ties.<name>.weight"
        )
    from scipy.stats import qmc  # here: importing scipy.stats takes ~0.4 s, which only a design needs

    if method == "lhs":
        unit = qmc.LatinHypercube(d=len(params), rng=np.random.default_rng(seed)).random(count)
    elif method == "sobol":
        if count & (count - 1):
            raise ConfigError(f"experiment.design.points: {count} is not a power of two, which Sobol sequences need")
        unit = qmc.Sobol(d=len(params), scramble=True, rng=np.random.default_rng(seed)).random(count)
    else:
        raise ConfigError(f"experiment.design.method: '{method}' is not allowed; expected one of lhs, sobol")
    lo = np.array([ranges[p][0] for p in params])
    hi = np.array([ranges[p][1] for p in params])
    return pd.DataFrame(qmc.scale(unit, lo, hi) if len(params) else unit, columns=params)


def check_points(config: DictConfig, points: pd.DataFrame) -> None:
    """Every column a sampled parameter, every value inside its declared range."""
    ranges = design_ranges(config)
    for col in points.columns:
        if col not in ranges:
            raise ConfigError(
                f"points: column '{col}' is not a sampled parameter; expected <param>.value of a "
                "sourced parameter (e.g. powers.turkey.resolve.value) or ties.<name>.weight"
            )
        lo, hi = ranges[col]
        values = pd.to_numeric(points[col], errors="coerce")
        bad = points[col][~values.between(lo, hi)]
        if len(bad):
            raise ConfigError(f"{col}: {bad.iloc[0]} (point {bad.index[0]}) is out of range; allowed [{lo}, {hi}]")


def run_design(
    base_cfg: DictConfig,
    points: pd.DataFrame,
    n: int | None = None,
    seed: int | None = None,
    executor: str | None = None,
    out: str | Path | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> EnsembleResult:
    """Run n replicates of every row of `points` in one pool; returns runs with the points' values.

    points: one row per point, one column per dotted config key
    ("powers.turkey.resolve.value", "ties.russia_armenia_alliance.weight"), values
    inside the declared ranges. Row i becomes point_id i (the table's index is
    ignored); replicate r of every point uses the same seed (common random numbers).
    n, seed, executor ("serial", "processes", "ray"), workers default to `base_cfg.ensemble`.
    With `out`, chunks stream to that folder (memory stays flat) and rerunning the
    same call resumes; `.daily` is then read from disk only when asked for.
    Runs that raise mark their point failed (`.failures`); the other points complete.
    """
    check_points(base_cfg, points)
    rows = [{k: float(v) for k, v in row.items()} for row in points.to_dict(orient="records")]
    n_runs = len(rows) * int(base_cfg.ensemble.n if n is None else n)
    if progress:
        print(f"design: {len(rows)} points x {n_runs // max(len(rows), 1)} replicates = {n_runs} runs", flush=True)
    return run_points(
        base_cfg,
        rows,
        n=n,
        seed=seed,
        executor=executor,
        workers=workers,
        out=out,
        progress=progress,
        desc="design runs",
    )
