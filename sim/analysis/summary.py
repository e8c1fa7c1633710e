"""One-screen summaries of an ensemble, a design or a sweep (results -> text, never back)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.analysis.stats import run_spread, wilson
from sim.outputs import DEATHS, KEY_OUTCOMES, MILITARY_DEATHS, output, parameters
from sim.rules.ladder import Rung

#: Deaths by side, military first (declared in sim.outputs).
DEATH_COLUMNS = list(DEATHS)
#: Rows of a per-point table shown on one screen.
SCREEN_ROWS = 20


#: How the summary names a key outcome (the deaths columns are named from their side, sim.outputs).
OUTCOME_NAMES = {
    "max_rung": "Highest rung reached",
    "duration_days": "Duration of the war",
    "territory_change_km2": "Territory changed hands",
}
#: End types from the most to the least settled, each a row of the summary even when no run ended so.
END_NAMES = {
    "settlement": "Ended by a negotiated settlement",
    "ceasefire": "Ended by a ceasefire that held",
    "capitulation": "Ended by the collapse of the defence",
    "lull": "Fighting died down (lull)",
    "horizon": "Still fighting at the horizon",
}
SPREAD = "5-95% of runs"


def outcome_name(col: str) -> str:
    """A key outcome as a reader names it, with its unit: 'Military deaths, Azerbaijan, people'."""
    out = output(col)
    if col in OUTCOME_NAMES:
        name = OUTCOME_NAMES[col]
    else:
        name = f"{'Military' if col in MILITARY_DEATHS else 'Civilian'} deaths, {out.who}"
    return name if out.unit in ("rung", "label") else f"{name}, {out.unit}"


def _rung(r: float) -> str:
    return f"{int(r)} {Rung(int(r)).label}"


def summary_table(runs: pd.DataFrame) -> pd.DataFrame:
    """The key outcomes (median and the range of 5-95% of runs; rungs by name) and the share of runs
    that ended each way with its 95% Wilson interval: every end type, zero shares included."""
    rows = []
    for col in KEY_OUTCOMES:
        x = runs[col].astype(float)
        lo, med, hi = run_spread(x)
        if col == "max_rung":
            rows.append(
                (
                    outcome_name(col),
                    _rung(x.quantile(0.5, interpolation="lower")),
                    f"rung {int(lo)} only" if lo == hi else f"rungs {int(lo)}-{int(hi)}",
                    SPREAD,
                )
            )
        else:
            rows.append((outcome_name(col), f"{med:,.0f}", f"{lo:,.0f}-{hi:,.0f}", SPREAD))
    seen = list(runs["end_type"].dropna().unique())
    for end in [*END_NAMES, *sorted(e for e in seen if e not in END_NAMES)]:
        e = wilson(int((runs["end_type"] == end).sum()), len(runs))
        rows.append(
            (END_NAMES.get(end, f"Ended by {end}"), f"{e.value:.0%}", f"{e.low:.0%}-{e.high:.0%}", "95% interval")
        )
    return pd.DataFrame(rows, columns=["outcome", "median or share", "range", "range is"]).set_index("outcome")


def point_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per point, named by its scenario and swept values: runs and the headline outcomes,
    the share of regional wars with its 95% Wilson interval."""
    params = parameters(runs.columns)
    names = ["scenario"] if "scenario" in runs else []
    deaths = runs[list(MILITARY_DEATHS)].sum(axis=1)
    frame = runs.assign(_regional=runs["max_rung"] >= int(Rung.REGIONAL_INTERVENTION), _deaths=deaths)
    table = frame.groupby(["point_id", *names, *params], sort=True).agg(
        runs=("replicate", "size"),
        regional=("_regional", "sum"),
        median_rung=("max_rung", "median"),
        median_days=("duration_days", "median"),
        median_deaths=("_deaths", "median"),
    )
    regional = [wilson(int(k), int(n)) for k, n in zip(table["regional"], table["runs"], strict=True)]
    table = table.assign(regional=[f"{e.value:.2f} [{e.low:.2f}, {e.high:.2f}]" for e in regional])
    table = table.rename(
        columns={
            "median_rung": "median highest rung",
            "regional": "P(rung >= 6) [95%]",
            "median_days": "median duration, days",
            "median_deaths": "median military deaths",
        }
    )
    return table.reset_index().round(3)


def _on_screen(table: pd.DataFrame) -> pd.DataFrame:
    """The point table as read on a screen: swept values and medians as written (26, not 26.0; 6,608
    deaths, not 6608.0); summary.csv keeps the numbers."""

    def number(v) -> str:
        return f"{v:,.0f}" if isinstance(v, float) and abs(v) >= 100 else f"{v:g}" if isinstance(v, float) else str(v)

    return table.apply(lambda col: col.map(number) if col.dtype.kind == "f" else col)


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
        lines.append(_on_screen(shown).to_string(index=False))
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
