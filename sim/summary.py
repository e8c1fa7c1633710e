"""Summary tables and file output of an ensemble (results -> disk, never back)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

DEATH_COLUMNS = [
    "military_deaths_azerbaijan",
    "military_deaths_armenia",
    "military_deaths_artsakh",
    "civilian_deaths_azerbaijan",
    "civilian_deaths_armenian_side",
]


def summary_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Median and 5-95% range of the key outcomes, and the shares of end types."""
    rows = {}
    for col in ["max_rung", "duration_days", "territory_change_km2", *DEATH_COLUMNS]:
        q = runs[col].quantile([0.05, 0.5, 0.95])
        rows[col] = {"median": q[0.5], "p5": q[0.05], "p95": q[0.95]}
    table = pd.DataFrame(rows).T.round(1)
    for end, share in runs["end_type"].value_counts(normalize=True).items():
        table.loc[f"share ended by {end}"] = [round(share, 3), float("nan"), float("nan")]
    return table


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write atomically: a temporary file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_tables(result, out: Path) -> None:
    """runs.parquet, daily.parquet and summary.csv of an ensemble into `out`."""
    write_parquet(result.runs, out / "runs.parquet")
    write_parquet(result.daily, out / "daily.parquet")
    summary_table(result.runs).to_csv(out / "summary.csv")
