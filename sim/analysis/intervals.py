"""Two kinds of interval for the headline outcomes: chance alone, and chance with uncertain parameters.

A job's ensemble with fixed parameters spreads by chance alone: its 5-95% range
is the Monte Carlo interval, and it says nothing of how sure the parameters
are. A companion ensemble that draws the parameters per replicate
(`ensemble.parameters=posterior`, the parameters fitted to the record; or
`ranges`, everything the declared ranges allow) spreads by both: its 5-95%
range is the total interval. Side by side, a reader sees how much of the
uncertainty is the dice and how much is the model's own.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.stats import run_spread, wilson
from sim.outputs import CIVILIAN_DEATHS, output

#: The outcomes shown with both intervals: label, the columns summed per run.
HEADLINE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("days of war", ("duration_days",)),
    ("Azerbaijan's military deaths", ("military_deaths_azerbaijan",)),
    ("Armenian side's military deaths", ("military_deaths_armenia", "military_deaths_artsakh")),
    ("civilian deaths, both sides", CIVILIAN_DEATHS),
    ("territory changing hands", ("territory_change_km2",)),
)
#: What each kind of companion ensemble is called in tables and reports.
TOTAL_LABELS = {
    "posterior": "chance and the calibrated parameters (posterior)",
    "ranges": "chance and every parameter over its declared range (prior)",
}


def _range(values: pd.Series) -> str:
    lo, med, hi = run_spread(values)
    return f"{med:,.0f} [{lo:,.0f}, {hi:,.0f}]"


def _share(hits: int, n: int) -> str:
    e = wilson(hits, n)
    return f"{e.value:.0%} [{e.low:.0%}, {e.high:.0%}]"


def interval_table(fixed: pd.DataFrame, total: pd.DataFrame, mode: str) -> pd.DataFrame:
    """One row per headline outcome: median and 5-95% range by chance alone and with the parameters drawn.

    For the share of wars ending in a settlement the brackets are the 95%
    Wilson interval of the share (an estimated probability), not a range of runs.
    """
    if mode not in TOTAL_LABELS:
        raise ValueError(f"mode: '{mode}' is not allowed; expected one of {', '.join(TOTAL_LABELS)}")
    rows = []
    for label, cols in HEADLINE:
        unit = output(cols[0]).unit
        rows.append(
            (
                f"{label} ({unit})",
                _range(fixed[list(cols)].sum(axis=1)),
                _range(total[list(cols)].sum(axis=1)),
            )
        )
    settled = [int((t["end_type"] == "settlement").sum()) for t in (fixed, total)]
    rows.append(
        (
            "wars ending in a settlement (share, 95% interval)",
            _share(settled[0], len(fixed)),
            _share(settled[1], len(total)),
        )
    )
    return pd.DataFrame(
        rows,
        columns=[
            "outcome",
            f"chance alone: median [5-95%] (n={len(fixed)})",
            f"{TOTAL_LABELS[mode]}: median [5-95%] (n={len(total)})",
        ],
    )
