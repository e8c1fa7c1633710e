"""Monte Carlo uncertainty of ensemble estimates: intervals and convergence.

An ensemble of N replicates estimates probabilities (P(max rung >= 6), the share
of wars ended by a ceasefire) and typical values (median duration, mean deaths).
Each estimate is only as good as N allows, so every number the plots and reports
show comes with an interval from here:

- proportions: the Wilson score interval (scipy.stats.binomtest), which behaves at
  0 and 1 and for small N, where the normal approximation does not;
- statistics of a numeric outcome: a percentile bootstrap (scipy.stats.bootstrap)
  with a fixed seed, so that the same table always gives the same interval.

The convergence helpers answer the analyst's question "are N replicates enough
for a +-h precision, and if not, how many are?" before or after a run.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special  # scipy.stats (~0.4 s to import) is imported by `bootstrap`, its one user

#: Default confidence level of every interval in plots and reports.
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate with its interval (`low` <= `value` <= `high`)."""

    value: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2.0


def run_quantiles(values, qs) -> list[float]:
    """Quantiles of runs as a range of runs reads them: below the median rounded down to an actual run,
    above it rounded up, the median itself as pandas takes it. So a 5-95% range holds at least 90% of
    the runs and a 25-75% range at least half, however long the tail (interpolating would put the 5%
    point between a run cut short and the bulk, inside neither)."""
    x = pd.Series(values, dtype=float)
    out = []
    for q in qs:
        if q == 0.5:
            out.append(float(x.median()))
        else:
            out.append(float(x.quantile(q, interpolation="lower" if q < 0.5 else "higher")))
    return out


def run_spread(values) -> tuple[float, float, float]:
    """The 5th percentile, median and 95th percentile of runs (`run_quantiles`). Every table that prints
    "5-95%" of an ensemble (the summary, the report's sentences, the how-sure table) and every figure
    that draws a spread of runs reads them this way, so the same runs give the same range on one page."""
    lo, mid, hi = run_quantiles(values, (0.05, 0.5, 0.95))
    return lo, mid, hi


def _check_confidence(confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence: {confidence} is out of range; allowed (0, 1)")


def wilson(k: int, n: int, confidence: float = CONFIDENCE) -> Estimate:
    """Share k/n of runs with an event, with its Wilson score interval.

    n = 0 gives NaN (no runs, no estimate) rather than an error, so that empty
    cells of a sweep show as missing instead of stopping a report.
    """
    _check_confidence(confidence)
    k, n = int(k), int(n)
    if n < 0 or not 0 <= k <= max(n, 0):
        raise ValueError(f"k, n: need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    # Newcombe's (1998) form, step for step as scipy.stats.binomtest(k, n).proportion_ci(method="wilson")
    # works it out (the same numbers, tests/test_stats.py), without building a test object per call:
    # a report takes hundreds of these (every rung on every day).
    p = k / n
    z = float(special.ndtri(0.5 + 0.5 * confidence))
    denom = 2 * (n + z**2)
    center = (2 * n * p + z**2) / denom
    delta = z / denom * math.sqrt(4 * n * p * (1 - p) + z**2)
    low = 0.0 if k == 0 else center - delta
    high = 1.0 if k == n else center + delta
    return Estimate(p, low, high, n)


def paired_share_difference(base: np.ndarray, other: np.ndarray, confidence: float = CONFIDENCE) -> Estimate:
    """Difference of two shares measured on the same runs (other - base, each 0 or 1 per run), with
    Newcombe's score interval for paired proportions (Newcombe 1998; as given in Altman et al.,
    Statistics with Confidence, 2nd ed., 2000, ch. 6).

    A t interval of the mean paired difference can pass +-1 when nearly every run changes
    (+100.4 percentage points); this one is built from the two shares' Wilson intervals,
    allowing for their correlation across paired runs, and stays inside [-1, 1]. The
    correlation is shrunk by n/2 when positive, so that a scenario that changes no run still
    gets an interval of honest width rather than a point.
    """
    b = np.asarray(base, dtype=float)
    o = np.asarray(other, dtype=float)
    if b.shape != o.shape or not np.isin(b, (0.0, 1.0)).all() or not np.isin(o, (0.0, 1.0)).all():
        raise ValueError("base, other: need two arrays of 0/1 flags of the same runs")
    n = b.size
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    e = int(((o == 1) & (b == 1)).sum())  # the event in both runs of a pair
    f = int(((o == 1) & (b == 0)).sum())  # in the other only
    g = int(((o == 0) & (b == 1)).sum())  # in the base only
    h = n - e - f - g
    p1, p2 = (e + f) / n, (e + g) / n
    w1, w2 = wilson(e + f, n, confidence), wilson(e + g, n, confidence)
    product = (e + f) * (g + h) * (e + g) * (f + h)
    cross = e * h - f * g
    shrunk = cross if cross < 0 else max(0.0, cross - n / 2)
    phi = 0.0 if product == 0 else shrunk / math.sqrt(product)
    d1, u1 = p1 - w1.low, w1.high - p1
    d2, u2 = p2 - w2.low, w2.high - p2
    low = p1 - p2 - math.sqrt(max(0.0, d1 * d1 - 2 * phi * d1 * u2 + u2 * u2))
    high = p1 - p2 + math.sqrt(max(0.0, u1 * u1 - 2 * phi * u1 * d2 + d2 * d2))
    return Estimate(p1 - p2, max(-1.0, low), min(1.0, high), n)


def proportion(flags: pd.Series | np.ndarray, confidence: float = CONFIDENCE) -> Estimate:
    """Wilson estimate of the share of True among boolean flags (NaN ignored)."""
    arr = np.asarray(pd.Series(flags).dropna(), dtype=bool)
    return wilson(int(arr.sum()), arr.size, confidence)


def proportions(keys: pd.Series, categories=None, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Share of each category among the runs, each with its Wilson interval.

    Returns a tidy table: category, count, n, p, low, high. Categories listed
    but never seen get p = 0 with their (non-trivial) upper bound.
    """
    keys = pd.Series(keys).dropna()
    counts = keys.value_counts()
    cats = list(counts.index) if categories is None else list(categories)
    rows = []
    for c in cats:
        e = wilson(int(counts.get(c, 0)), len(keys), confidence)
        rows.append(
            {"category": c, "count": int(counts.get(c, 0)), "n": e.n, "p": e.value, "low": e.low, "high": e.high}
        )
    return pd.DataFrame(rows, columns=["category", "count", "n", "p", "low", "high"])


def bootstrap(
    values: pd.Series | np.ndarray,
    statistic: Callable[[np.ndarray], float] = np.median,
    confidence: float = CONFIDENCE,
    n_resamples: int = 2000,
    seed: int = 0,
) -> Estimate:
    """A statistic of a numeric outcome with its percentile bootstrap interval.

    A constant sample (every run the same) gets a zero-width interval; fewer
    than two values get NaN bounds (nothing to resample).
    """
    _check_confidence(confidence)
    x = np.asarray(pd.Series(values).dropna(), dtype=float)
    if x.size == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    value = float(statistic(x))
    if x.size < 2:
        return Estimate(value, float("nan"), float("nan"), 1)
    if np.all(x == x[0]):
        return Estimate(value, value, value, x.size)
    from scipy import stats  # here: a process that never bootstraps never pays its import

    res = stats.bootstrap(
        (x,),
        _over_axis(statistic),
        confidence_level=confidence,
        n_resamples=n_resamples,
        method="percentile",
        rng=np.random.default_rng(seed),
        vectorized=True,
    )
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    return Estimate(value, min(low, value), max(high, value), x.size)


def _over_axis(statistic: Callable[[np.ndarray], float]) -> Callable[..., Any]:
    """The statistic of every resample at once: numpy's median and mean reduce along an axis in
    one call; any other statistic is applied resample by resample (2,000 Python calls)."""
    if statistic is np.median or statistic is np.mean:
        return lambda s, axis: statistic(s, axis=axis)
    return lambda s, axis: np.apply_along_axis(statistic, axis, s)


def wilson_half_width(p: float, n: int, confidence: float = CONFIDENCE) -> float:
    """Half-width of the Wilson interval at true share p with n runs (closed form)."""
    z = special.ndtri(0.5 + confidence / 2.0)  # the normal quantile (scipy.stats.norm.ppf is this)
    return z / (1.0 + z * z / n) * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n))


def replicates_needed(half_width: float, p: float = 0.5, confidence: float = CONFIDENCE) -> int:
    """Smallest N whose Wilson interval at share p is no wider than +-half_width.

    p = 0.5 is the worst case: use it when planning an ensemble whose outcome
    shares are not yet known.
    """
    if not 0.0 < half_width < 0.5:
        raise ValueError(f"half_width: {half_width} is out of range; allowed (0, 0.5)")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p: {p} is out of range; allowed [0, 1]")
    _check_confidence(confidence)
    hi = 1
    while wilson_half_width(p, hi, confidence) > half_width:
        hi *= 2
    lo = max(1, hi // 2)
    while lo < hi:  # wilson_half_width decreases in n
        mid = (lo + hi) // 2
        if wilson_half_width(p, mid, confidence) <= half_width:
            hi = mid
        else:
            lo = mid + 1
    return hi


@dataclass(frozen=True)
class Convergence:
    """Whether an ensemble pins an estimate down to the wanted precision."""

    estimate: Estimate
    target_half_width: float
    enough: bool
    replicates_needed: int

    def describe(self, what: str = "the estimate") -> str:
        e = self.estimate
        verdict = "enough" if self.enough else f"not enough; about {self.replicates_needed} are needed"
        return (
            f"{what} = {e.value:.3g} [{e.low:.3g}, {e.high:.3g}] from {e.n} runs: "
            f"+-{e.half_width:.3g} against a target of +-{self.target_half_width:.3g}, {verdict}"
        )


def convergence(k: int, n: int, half_width: float, confidence: float = CONFIDENCE) -> Convergence:
    """Are n runs enough to know the share k/n to +-half_width? If not, how many are?

    The needed N uses the observed share, kept at least one run away from 0 and
    n so that a share that happened to be 0 does not promise a tiny N.
    """
    est = wilson(k, n, confidence)
    p = min(max(k, 1), max(n - 1, 1)) / max(n, 1)
    needed = replicates_needed(half_width, p, confidence)
    return Convergence(est, half_width, bool(est.half_width <= half_width), needed)


def convergence_of_mean(values, half_width: float, confidence: float = CONFIDENCE) -> Convergence:
    """Are the runs enough to know the mean of a numeric outcome to +-half_width?

    The interval is a bootstrap one; the needed N scales it by the square-root law.
    """
    if half_width <= 0:
        raise ValueError(f"half_width: {half_width} is out of range; allowed > 0")
    est = bootstrap(values, np.mean, confidence)
    if est.n < 2 or not np.isfinite(est.half_width):
        return Convergence(est, half_width, False, 2)
    if est.half_width == 0:
        return Convergence(est, half_width, True, est.n)
    needed = int(np.ceil(est.n * (est.half_width / half_width) ** 2))
    return Convergence(est, half_width, bool(est.half_width <= half_width), max(needed, 2))
