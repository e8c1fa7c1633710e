"""What a sampled design says about each parameter: outcome against value, and a ranking.

A Latin hypercube or Sobol design samples continuous values of many parameters
at once, a few replicates per point. It is read the way it was drawn: each
point's outcome (sim.outputs.SENSITIVITY_OUTCOMES) against each parameter's
value, the points binned into equal-count slices of that parameter to give a
partial dependence (the mean outcome of the points in a slice, averaged over
every other parameter), and the parameters ranked by the strength of their
monotone association with the outcome (Spearman's rank correlation across
points, with a bootstrap interval over points). This ranks parameters; it is
no substitute for the Sobol indices of `make sensitivity`, which also separate
interactions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.stats import CONFIDENCE, bootstrap
from sim.outputs import SENSITIVITY_OUTCOMES, Measure

#: Equal-count slices of a parameter's sampled values in a partial dependence.
SLICES = 4
#: Bootstrap resamples of the points for the interval of a rank correlation.
RESAMPLES = 500


def design_points(runs: pd.DataFrame, params: list[str], measures=SENSITIVITY_OUTCOMES) -> pd.DataFrame:
    """One row per sampled point: its parameter values, runs and each measure of its runs."""
    key = "point_id" if "point_id" in runs and runs["point_id"].nunique() > 1 else params
    rows = []
    for _, g in runs.groupby(key, sort=True):
        row = {p: float(g[p].iloc[0]) for p in params}
        row["runs"] = len(g)
        row.update({m.name: float(m.of(g)) for m in measures})
        rows.append(row)
    return pd.DataFrame(rows)


def spearman_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's rank correlation of each row of x with the same row of y (rows: samples, e.g. bootstrap
    resamples); 0 where either row is constant.

    It is Pearson's correlation of the rows' average ranks, as scipy.stats.spearmanr
    computes it, for all rows at once: one spearmanr call per resample cost a design
    report seconds (500 resamples for each parameter and outcome).
    """
    from scipy import stats  # here: importing scipy.stats takes ~0.4 s, which only rank effects need

    rx = stats.rankdata(np.atleast_2d(x), axis=1)
    ry = stats.rankdata(np.atleast_2d(y), axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    num = (rx * ry).sum(axis=1)
    den = np.sqrt((rx * rx).sum(axis=1) * (ry * ry).sum(axis=1))
    safe = den > 0
    return np.where(safe, np.clip(num / np.where(safe, den, 1.0), -1.0, 1.0), 0.0)


def ranking(points: pd.DataFrame, params: list[str], measure: Measure, seed: int = 0) -> pd.DataFrame:
    """Parameters by |Spearman rho| with one measure across points, strongest first, with 95% intervals."""
    y = points[measure.name].to_numpy(float)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(points), size=(RESAMPLES, len(points)))
    tail = (1 - CONFIDENCE) / 2
    rows = []
    for p in params:
        x = points[p].to_numpy(float)
        rho = float(spearman_rows(x, y)[0])
        boot = spearman_rows(x[draws], y[draws])
        rows.append(
            {
                "outcome": measure.name,
                "parameter": p,
                "rho": rho,
                "low": float(np.nanquantile(boot, tail)),
                "high": float(np.nanquantile(boot, 1 - tail)),
                "points": len(points),
            }
        )
    out = pd.DataFrame(rows)
    out = out.iloc[out["rho"].abs().sort_values(ascending=False, kind="stable").index].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def partial_dependence(points: pd.DataFrame, param: str, measure: Measure, slices: int = SLICES) -> pd.DataFrame:
    """Mean outcome of the points in each equal-count slice of `param`, with a bootstrap interval over points."""
    order = points.sort_values(param)
    rows = []
    for idx in np.array_split(np.arange(len(order)), min(slices, len(order))):
        part = order.iloc[idx]
        b = bootstrap(part[measure.name], np.mean)
        rows.append(
            {
                "parameter": param,
                "outcome": measure.name,
                "from": float(part[param].min()),
                "to": float(part[param].max()),
                "middle": float(part[param].median()),
                "points": len(part),
                "mean": b.value,
                "low": b.low,
                "high": b.high,
            }
        )
    return pd.DataFrame(rows)
