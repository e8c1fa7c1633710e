"""What a results table holds: one ensemble, several scenarios or grid points, or a sampled design.

A report must not pool different settings into one headline number without
saying so: the runs of `baseline_2020` and `arms_embargo` are two wars, not one
sample. This module finds the points of a runs table (the scenario, when it
varies, and the parameters that vary), names each point the way a reader
recognises it (the scenario's name, the swept values) and tells a grid from a
sampled design: a grid sets each parameter to a few values in every
combination; a design (Latin hypercube, Sobol) samples continuous values, and
drawing those as grid cells would misrepresent it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.stats import bootstrap, wilson
from sim.outputs import CIVILIAN_DEATHS, MILITARY_DEATHS, parameters

#: A grid parameter takes at most this many values; more are a sampled design.
GRID_MAX_LEVELS = 12
#: The column that names each point in the tables of a report over several points.
POINT = "point"


@dataclass(frozen=True)
class Points:
    """The kind of a runs table and its points.

    kind: "ensemble" (one setting), "grid" (scenarios and/or every combination of a few
    values per parameter) or "design" (sampled continuous values); varying: the parameter
    columns that vary; by: the columns one point is grouped by.
    """

    kind: str
    varying: tuple[str, ...]
    by: tuple[str, ...]

    @property
    def scenarios_vary(self) -> bool:
        return "scenario" in self.by


def short_name(column: str) -> str:
    """A parameter column as a reader says it: 'powers.turkey.resolve.value' -> 'turkey resolve'."""
    parts = column.removesuffix(".value").removesuffix(".weight").split(".")
    return " ".join(p.replace("_", " ") for p in parts[-2:])


def points_of(runs: pd.DataFrame) -> Points:
    """Classify a runs table by its varying scenario and parameter columns."""
    varying = tuple(c for c in parameters(runs.columns) if runs[c].nunique() > 1)
    scen = ("scenario",) if "scenario" in runs and runs["scenario"].nunique() > 1 else ()
    if not varying:
        return Points("grid" if scen else "ensemble", (), scen)
    levels = [runs[c].nunique() for c in varying]
    combos = len(runs.drop_duplicates(list(varying)))
    full = combos == int(np.prod(levels))
    if max(levels) <= GRID_MAX_LEVELS and full:
        return Points("grid", varying, scen + varying)
    return Points("design", varying, scen + varying)


def _value(v) -> str:
    return f"{v:.3g}" if isinstance(v, (float, np.floating)) else str(v)


def point_labels(runs: pd.DataFrame, pts: Points | None = None) -> pd.Series:
    """One label per run naming its point: the scenario (when it varies), then the swept values."""
    pts = points_of(runs) if pts is None else pts
    if not pts.by:
        name = str(runs["scenario"].iloc[0]) if "scenario" in runs else "all runs"
        return pd.Series(name, index=runs.index, name=POINT)
    parts = []
    if pts.scenarios_vary:
        parts.append(runs["scenario"].astype(str))
    for c in pts.varying:
        parts.append(short_name(c) + " " + runs[c].map(_value))
    label = parts[0]
    for p in parts[1:]:
        label = label + ", " + p
    return label.rename(POINT)


def _fmt_share(k: int, n: int) -> str:
    e = wilson(k, n)
    return f"{e.value:.2f} [{e.low:.2f}, {e.high:.2f}]"


def _fmt_median(values) -> str:
    b = bootstrap(values, np.median)
    return f"{b.value:,.0f} [{b.low:,.0f}, {b.high:,.0f}]"


def point_numbers(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per point (named by `point_labels`): runs and the headline numbers with 95% intervals."""
    labels = point_labels(runs)
    rows = []
    for name, g in runs.groupby(labels, sort=False):
        n = len(g)
        rows.append(
            {
                POINT: name,
                "runs": n,
                "P(highest rung >= 6) [95%]": _fmt_share(int((g["max_rung"] >= 6).sum()), n),
                "P(ends by settlement) [95%]": _fmt_share(int((g["end_type"] == "settlement").sum()), n),
                "P(ends by ceasefire) [95%]": _fmt_share(int((g["end_type"] == "ceasefire").sum()), n),
                "median duration, days [95%]": _fmt_median(g["duration_days"]),
                "median military deaths [95%]": _fmt_median(g[list(MILITARY_DEATHS)].sum(axis=1)),
                "median civilian deaths [95%]": _fmt_median(g[list(CIVILIAN_DEATHS)].sum(axis=1)),
            }
        )
    return pd.DataFrame(rows)
