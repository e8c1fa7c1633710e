"""The report's numbers: per scenario or point, or pooled with the reason said.

One ensemble gets its headline numbers (key_numbers). Several scenarios or grid
points get one row each, named by the scenario or the swept values
(sim.analysis.points), and a precision check of the least precise point: a
pooled interval would claim a precision that no single point has. A sampled
design's points are few runs each, so its headline numbers pool the design and
say so: they average over the sampled ranges, not one setting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.points import POINT, Points, point_labels, point_numbers
from sim.analysis.stats import bootstrap, convergence, wilson
from sim.outputs import CIVILIAN_DEATHS, MILITARY_DEATHS, output

#: Precision the report checks P(highest rung >= 6) against.
TARGET_HALF_WIDTH = 0.05

INTERVALS = (
    "Each estimate is followed by its 95% Monte Carlo interval: Wilson for probabilities, "
    "bootstrap for medians. The interval says how precisely these runs pin the number down, "
    "not how uncertain the model itself is."
)


def _fmt_p(e) -> str:
    return f"{e.value:.2f} [{e.low:.2f}, {e.high:.2f}]"


def key_numbers(runs: pd.DataFrame) -> pd.DataFrame:
    """The headline numbers of one set of runs, each with its 95% interval, as a two-column table."""
    rows = [("runs", f"{len(runs)}")]
    for k, what in (
        (3, "general offensive"),
        (4, "strikes on population centres"),
        (5, "war on Armenia proper"),
        (6, "regional intervention"),
        (7, "Russia-Turkey clash"),
    ):
        rows.append((f"P(highest rung >= {k}: {what})", _fmt_p(wilson(int((runs["max_rung"] >= k).sum()), len(runs)))))
    for end in ("settlement", "ceasefire", "capitulation"):
        rows.append((f"P(war ends by {end})", _fmt_p(wilson(int((runs["end_type"] == end).sum()), len(runs)))))
    for label, cols in (
        ("median duration", ("duration_days",)),
        ("median military deaths, all sides", MILITARY_DEATHS),
        ("median civilian deaths, all sides", CIVILIAN_DEATHS),
        ("median territory changed hands", ("territory_change_km2",)),
    ):
        values = runs[cols[0]] if len(cols) == 1 else runs[list(cols)].sum(axis=1)
        unit = output(cols[0]).unit  # a group's columns share their unit (tests/test_outputs.py)
        b = bootstrap(values, np.median)
        rows.append((f"{label} ({unit})", f"{b.value:,.0f} [{b.low:,.0f}, {b.high:,.0f}]"))
    return pd.DataFrame(rows, columns=["quantity", "estimate [95% interval]"])


def _least_precise(runs: pd.DataFrame, pts: Points) -> str:
    """The precision sentence of the point whose P(highest rung >= 6) is known least precisely."""
    labels = point_labels(runs, pts)
    checks = [
        (name, convergence(int((g["max_rung"] >= 6).sum()), len(g), TARGET_HALF_WIDTH))
        for name, g in runs.groupby(labels, sort=False)
    ]
    name, worst = max(checks, key=lambda c: c[1].estimate.half_width)
    short = sum(not c.enough for _, c in checks)
    verdict = f"{short} of {labels.nunique()} points need more runs" if short else "every point is precise enough"
    return f"Precision per point: {verdict}; the least precise is {name}: {worst.describe('P(highest rung >= 6)')}."


def number_blocks(runs: pd.DataFrame, pts: Points) -> tuple[list[tuple], pd.DataFrame]:
    """The report's key-number section (blocks for sim.report.writer) and the table written as summary.csv."""
    if pts.kind == "ensemble":
        numbers = key_numbers(runs)
        conv = convergence(int((runs["max_rung"] >= 6).sum()), len(runs), TARGET_HALF_WIDTH)
        blocks = [
            ("h2", "Key numbers"),
            ("p", INTERVALS),
            ("table", numbers),
            ("p", "Precision: " + conv.describe("P(highest rung >= 6)") + "."),
        ]
        return blocks, numbers
    if pts.kind == "grid":
        what = "scenario" if not pts.varying else "point"
        numbers = point_numbers(runs).rename(columns={POINT: what})
        blocks = [
            ("h2", f"Key numbers by {what}"),
            (
                "p",
                f"One row per {what}: the runs of different settings are different wars, so no number here "
                f"pools them. {INTERVALS}",
            ),
            ("table", numbers),
            ("p", _least_precise(runs, pts)),
        ]
        return blocks, numbers
    numbers = key_numbers(runs)
    n_points = runs.groupby(list(pts.varying)).ngroups
    blocks = [
        ("h2", "Key numbers, pooled over the design"),
        (
            "p",
            f"These numbers pool all {len(runs)} runs of the {n_points} sampled points: each point has too few "
            f"runs to stand alone, so the pool averages over the sampled ranges of the {len(pts.varying)} "
            "parameters. It describes the design, not any one setting; how each parameter moves the outcomes "
            f"is in the figures below. {INTERVALS}",
        ),
        ("table", numbers),
    ]
    return blocks, numbers
