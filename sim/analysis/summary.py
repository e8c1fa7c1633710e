"""One-screen summaries of an ensemble, a design or a sweep (results -> text, never back)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.outputs import DEATHS, KEY_OUTCOMES, MILITARY_DEATHS, parameters
from sim.rules.ladder import Rung

#: Deaths by side, military first (declared in sim.outputs).
DEATH_COLUMNS = list(DEATHS)
#: Rows of a per-point table shown on one screen.
SCREEN_ROWS = 20


def summary_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Median and 5-95% range of the key outcomes, and the shares of end types."""
    rows = {}
    for col in KEY_OUTCOMES:
        q = runs[col].quantile([0.05, 0.5, 0.95])
        rows[col] = {"median": q[0.5], "p5": q[0.05], "p95": q[0.95]}
    table = pd.DataFrame(rows).T.round(1)
    for end, share in runs["end_type"].value_counts(normalize=True).items():
        table.loc[f"share ended by {end}"] = [round(share, 3), float("nan"), float("nan")]
    return table


def point_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per point, named by its scenario and swept values: runs and the headline outcomes."""
    params = parameters(runs.columns)
    names = ["scenario"] if "scenario" in runs else []
    deaths = runs[list(MILITARY_DEATHS)].sum(axis=1)
    frame = runs.assign(_regional=runs["max_rung"] >= int(Rung.REGIONAL_INTERVENTION), _deaths=deaths)
    table = frame.groupby(["point_id", *names, *params], sort=True).agg(
        runs=("replicate", "size"),
        median_max_rung=("max_rung", "median"),
        p_regional_intervention=("_regional", "mean"),
        median_duration_days=("duration_days", "median"),
        median_military_deaths=("_deaths", "median"),
    )
    return table.reset_index().round(3)


def render(runs: pd.DataFrame, failures: pd.DataFrame | None = None, title: str = "") -> str:
    """The one-screen text summary printed at the end of a job or sweep."""
    lines = [title] if title else []
    if len(runs) and "point_id" in runs and runs["point_id"].nunique() > 1:
        table = point_table(runs)
        lines.append(f"{len(runs)} runs over {len(table)} points")
        shown = table if len(table) <= SCREEN_ROWS else table.head(SCREEN_ROWS)
        params = parameters(table.columns)
        if len(params) > 3:  # too wide for a screen: the values are in runs.parquet and summary.csv
            shown = shown.drop(columns=params)
            lines.append(f"({len(params)} parameters per point, in summary.csv)")
        lines.append(shown.to_string(index=False))
        if len(table) > SCREEN_ROWS:
            lines.append(f"... {len(table) - SCREEN_ROWS} more points in runs.parquet")
    elif len(runs):
        lines.append(f"{len(runs)} runs")
        lines.append(summary_table(runs).to_string())
    else:
        lines.append("no runs completed")
    if failures is not None and len(failures):
        pts = sorted(failures["point_id"].unique()) if "point_id" in failures else []
        first = failures.iloc[0]
        lines.append(
            f"FAILED: {len(pts)} point(s) {pts[:10]}{' ...' if len(pts) > 10 else ''}; "
            f"first error: {first['error']} (all in failures.json)"
        )
    return "\n".join(lines)


def write_summary(runs: pd.DataFrame, out: Path) -> None:
    """summary.csv beside the tables: the per-point table of a sweep, or the ensemble's quantiles."""
    from sim.runs.results import write_text

    if not len(runs):
        return
    table = point_table(runs) if "point_id" in runs and runs["point_id"].nunique() > 1 else summary_table(runs)
    write_text(table.to_csv(index="point_id" not in table), Path(out) / "summary.csv")
