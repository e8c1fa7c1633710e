"""Scenario contrasts: how far each counterfactual moves the war from the baseline, with its Monte Carlo noise.

Runs of a scenario and of the baseline with the same ensemble seed share
their random streams replicate by replicate (common random numbers), so the
contrast of a measure is the mean of the per-replicate differences, and its
95% interval is that of a paired mean (Student's t), or for a share (0 or 1 per
run) Newcombe's interval for paired proportions. A measure is moved when
the interval excludes zero; a scenario's expectation (`scenario.expects`:
measure -> up or down) holds when the measure moved that way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from sim.analysis.stats import paired_share_difference
from sim.outputs import CONTRAST_MEASURES, Measure

CONFIDENCE = 0.95
MEASURES = {m.name: m for m in CONTRAST_MEASURES}


@dataclass(frozen=True)
class Difference:
    """A scenario's mean, the baseline's, and the paired difference with its interval."""

    baseline: float
    scenario: float
    difference: float
    low: float
    high: float

    @property
    def moved(self) -> str:
        """'up' or 'down' when the interval excludes zero, else ''."""
        return "up" if self.low > 0 else "down" if self.high < 0 else ""


def paired_difference(base: pd.Series, other: pd.Series, confidence: float = CONFIDENCE) -> Difference:
    """Mean of other - base over paired runs (same index), with a t interval of the mean.

    With every difference equal the interval is that value alone (no noise is
    left to allow for).
    """
    if not base.index.equals(other.index):
        raise ValueError("paired runs must have the same replicates")
    d = (other - base).to_numpy(dtype=float)
    n = len(d)
    if n < 2:
        raise ValueError(f"a paired difference needs at least 2 runs, got {n}")
    mean = float(d.mean())
    # Student's t quantile (scipy.stats.t.ppf is special.stdtrit; scipy.stats takes ~0.4 s to import)
    half = float(special.stdtrit(n - 1, 0.5 + confidence / 2) * d.std(ddof=1) / np.sqrt(n))
    return Difference(float(base.mean()), float(other.mean()), mean, mean - half, mean + half)


def paired_share(base: pd.Series, other: pd.Series, confidence: float = CONFIDENCE) -> Difference:
    """The difference of a share (0 or 1 per run) over paired runs, with Newcombe's paired interval
    (sim.analysis.stats.paired_share_difference), which stays inside +-1 where a t interval may not."""
    if not base.index.equals(other.index):
        raise ValueError("paired runs must have the same replicates")
    d = paired_share_difference(base.to_numpy(), other.to_numpy(), confidence)
    return Difference(float(base.mean()), float(other.mean()), d.value, d.low, d.high)


def _by_replicate(runs: pd.DataFrame, measure: Measure) -> pd.Series:
    return pd.Series(np.asarray(measure.of(runs), dtype=float), index=runs["replicate"].to_numpy()).sort_index()


def contrast(base_runs: pd.DataFrame, runs: pd.DataFrame, confidence: float = CONFIDENCE) -> dict[str, Difference]:
    """Each contrast measure of one scenario's runs against the baseline's (same seed, same replicates)."""
    return {
        name: (paired_share if m.unit == "share" else paired_difference)(
            _by_replicate(base_runs, m), _by_replicate(runs, m), confidence
        )
        for name, m in MEASURES.items()
    }


def contrast_table(
    base_runs: pd.DataFrame,
    runs_by_scenario: Mapping[str, pd.DataFrame],
    expects: Mapping[str, Mapping[str, str]] | None = None,
    confidence: float = CONFIDENCE,
) -> pd.DataFrame:
    """One row per scenario and measure: means, the difference and its interval, where it moved,
    what the scenario expected and whether that held ('' where it expected nothing)."""
    rows = []
    for scenario, runs in runs_by_scenario.items():
        wanted = dict((expects or {}).get(scenario, {}))
        for name, d in contrast(base_runs, runs, confidence).items():
            expected = wanted.get(name, "")
            rows.append(
                {
                    "scenario": scenario,
                    "measure": name,
                    "unit": MEASURES[name].unit,
                    "baseline": d.baseline,
                    "scenario_mean": d.scenario,
                    "difference": d.difference,
                    "low": d.low,
                    "high": d.high,
                    "moved": d.moved,
                    "expected": expected,
                    "holds": "" if not expected else ("yes" if d.moved == expected else "no"),
                }
            )
    return pd.DataFrame(rows)


def unmet(table: pd.DataFrame) -> list[str]:
    """'scenario: measure (expected up)' for every expectation the contrast does not bear out."""
    bad = table[table["holds"] == "no"]
    return [f"{r.scenario}: {r.measure} (expected {r.expected})" for r in bad.itertuples()]
