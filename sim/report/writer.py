"""A report folder for an ensemble, a sweep or a scenario comparison, readable without running anything.

`write_report(runs, daily, out_dir)` writes every figure that the tables allow
(PNG and SVG), the tables behind them (CSV), the resolved config, and a short
page (report.md and index.html) with the key numbers, the scenario and the
provenance (code version, packages, seeds, date). The folder appears whole or
not at all: it is built under a temporary name beside `out_dir` and renamed.
"""

from __future__ import annotations

import html
import os
import platform
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim import plots
from sim.analysis.record import record_of
from sim.analysis.stats import bootstrap, convergence, wilson
from sim.files import readable
from sim.outputs import CIVILIAN_DEATHS, MILITARY_DEATHS, output
from sim.report.markdown import markdown_table
from sim.runs.provenance import git_commit, package_versions

#: Precision the report checks P(highest rung >= 6) against.
TARGET_HALF_WIDTH = 0.05
MARKER = "report.md"


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


def sweep_columns(runs: pd.DataFrame, max_levels: int = 12) -> list[str]:
    """Swept parameters of a grid: dotted config keys with 2..max_levels distinct values."""
    out = []
    for c in runs.columns:
        if "." in c and pd.api.types.is_numeric_dtype(runs[c]) and 2 <= runs[c].nunique() <= max_levels:
            out.append(c)
    return out


def _provenance(runs: pd.DataFrame) -> pd.DataFrame:
    """What produced the report: the code version and packages as sim.runs.provenance records them for a job."""
    git = git_commit()
    if git["commit"] is None:
        code = "unknown (not a git checkout)"
    else:
        code = f"{git['commit']}{' (with uncommitted changes in sim/, conf/ or experiments/)' if git['dirty'] else ''}"
    rows = [
        ("generated", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("code version (git)", code),
        ("python", platform.python_version()),
    ]
    rows += [(name, v) for name, v in package_versions().items() if v is not None]
    if "seed" in runs:
        rows.append(("ensemble seed(s)", ", ".join(str(s) for s in sorted(runs["seed"].unique()))))
    return pd.DataFrame(rows, columns=["item", "value"])


def _figures(
    runs, daily, config, sweep, k_sweep
) -> list[tuple[str, str, Callable[[], Any], Callable[[], pd.DataFrame]]]:
    """(file stem, caption, figure, table) for every figure the tables allow."""
    many = runs["scenario"].nunique() > 1 if "scenario" in runs else False
    # The record of the episode this scenario models, beside the model, when the runs are that scenario as is.
    plain = "scenario" in runs and not many and not sweep_columns(runs)
    record = record_of(str(runs["scenario"].iloc[0])) if plain else {}
    out = []
    if many:
        out.append(
            (
                "scenario_comparison",
                "Key outcomes of each scenario side by side.",
                lambda: plots.compare_scenarios(runs),
                lambda: plots.comparison_table(runs),
            )
        )
    if daily is not None and len(daily) and not many:
        out.append(
            (
                "escalation_fan",
                "The escalation rung over the days of the war: median run and the bands that hold 50% and 90% of runs.",
                lambda: plots.fan_chart(daily),
                lambda: plots.rung_quantiles(daily),
            )
        )
        out.append(
            (
                "rung_probability_by_day",
                "Share of runs on each rung on each day of the war.",
                lambda: plots.rung_probability_by_day(daily),
                lambda: plots.rung_probability_table(daily),
            )
        )
    out.append(
        (
            "max_rung",
            "How far the war escalates: the highest rung of each run.",
            lambda: plots.max_rung_bars(runs),
            lambda: plots.max_rung_table(runs),
        )
    )
    out.append(
        (
            "endings",
            "How the war ends and who brokered the end.",
            lambda: plots.end_shares(runs),
            lambda: pd.concat(
                [plots.end_type_table(runs).assign(kind="end type"), plots.broker_table(runs).assign(kind="broker")]
            ),
        )
    )
    out.append(
        (
            "duration",
            "How long the war lasts" + (", with the recorded duration." if ("duration_days",) in record else "."),
            lambda: plots.duration(runs, record=record.get(("duration_days",))),
            lambda: plots.duration_table(runs),
        )
    )
    out.append(
        (
            "casualties",
            "Military and civilian deaths by side" + (", with the recorded figures." if record else "."),
            lambda: plots.casualty_ranges(runs, record=record),
            lambda: plots.casualty_table(runs),
        )
    )
    out.append(
        (
            "sector_control",
            "Which sectors changed hands, on the theatre laid out by longitude and latitude.",
            lambda: plots.sector_control_map(runs, config),
            lambda: plots.sector_table(runs, config),
        )
    )
    one = [c for c in sweep_columns(runs) if c not in (sweep or ())]
    if not sweep and len(one) == 1:
        x = one[0]
        shown = [
            o for o in ("territory_change_km2", "exchange_ratio", "duration_days") if o == "exchange_ratio" or o in runs
        ]
        out.append(
            (
                "response",
                f"How the war responds to {x}: medians with their Monte Carlo intervals.",
                lambda: plots.response_curves(runs, x, shown),
                lambda: plots.response_table(runs, x, shown),
            )
        )
    if sweep:
        x, y = sweep
        out.append(
            (
                f"sweep_rung_{k_sweep}",
                f"P(highest rung >= {k_sweep}) over {x} and {y}.",
                lambda: plots.sweep_heatmap(runs, x, y, k=k_sweep),
                lambda: plots.sweep_table(runs, x, y, k=k_sweep),
            )
        )
    return out


def _render(blocks: list[tuple], title: str) -> tuple[str, str]:
    """Markdown and HTML of the same list of blocks."""
    md, body = [], []
    for kind, *arg in blocks:
        if kind in ("h1", "h2"):
            md.append(("# " if kind == "h1" else "## ") + arg[0])
            body.append(f"<{kind}>{html.escape(arg[0])}</{kind}>")
        elif kind == "p":
            md.append(arg[0])
            body.append(f"<p>{html.escape(arg[0])}</p>")
        elif kind == "table":
            md.append(markdown_table(arg[0]))
            body.append(arg[0].to_html(index=False, escape=True, border=0, classes="t"))
        elif kind == "img":
            stem, caption = arg
            md.append(f"![{caption}]({stem}.png)\n\n*{caption}* ([SVG]({stem}.svg), [table]({stem}.csv))")
            body.append(
                f'<figure><img src="{stem}.png" alt="{html.escape(caption)}"><figcaption>{html.escape(caption)} '
                f'(<a href="{stem}.svg">SVG</a>, <a href="{stem}.csv">table</a>)</figcaption></figure>'
            )
        elif kind == "code":
            md.append(f"```yaml\n{arg[0]}\n```")
            body.append(f"<details><summary>resolved configuration</summary><pre>{html.escape(arg[0])}</pre></details>")
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
        "img{max-width:100%}table.t{border-collapse:collapse}table.t td,table.t th{border-bottom:1px solid #ddd;"
        "padding:.2em .6em;text-align:left}figcaption{color:#555;font-size:.9em}"
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
    return "\n\n".join(md) + "\n", page


def _scenario_blocks(runs: pd.DataFrame, config: Any) -> list[tuple]:
    if config is not None and "scenario" in config:
        sc = config.scenario
        return [
            (
                "p",
                f"Scenario {sc.name}: {sc.description}. Start {sc.start_date}; horizon {sc.horizon_days} days; "
                f"opening operation {sc.opening}; war aims {sc.war_aims}.",
            )
        ]
    names = ", ".join(sorted(runs["scenario"].unique())) if "scenario" in runs else "unnamed"
    return [("p", f"Scenario(s): {names}. No configuration was given, so the theatre map uses the shipped theatre.")]


def _check_out_dir(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise ValueError(
            f"out_dir: {out} exists and is not a report folder; give a new or empty folder, "
            "or a previous report folder to replace"
        )


def write_report(
    runs: pd.DataFrame,
    daily: pd.DataFrame | None,
    out_dir: str | Path,
    config: Any = None,
    title: str | None = None,
    sweep: tuple[str, str] | None = None,
    k_sweep: int = 6,
    dpi: int = 120,
) -> Path:
    """Write the report folder; returns its path.

    runs, daily: result tables (daily may be None: its figures are then left out);
    config: the resolved config of the ensemble (scenario text, theatre, config.yaml);
    sweep: two swept columns for a heatmap (default: found among dotted columns of a grid).
    Replaces a previous report in `out_dir` whole; refuses a folder that holds anything else.
    """
    if runs is None or len(runs) == 0:
        raise ValueError("runs: the table is empty; a report needs at least one run")
    out = Path(out_dir)
    _check_out_dir(out)
    if sweep is None:
        cols = sweep_columns(runs)
        sweep = (cols[0], cols[1]) if len(cols) >= 2 else None
    if sweep is not None:
        for c in sweep:
            if c not in runs:
                raise ValueError(f"sweep: column '{c}' is not in the runs table")
    if title is None:
        names = sorted(runs["scenario"].unique()) if "scenario" in runs else ["results"]
        title = f"Escalation report: {', '.join(names)}"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    readable(tmp)  # mkdtemp makes it 700: the finished report is as readable as any folder the user makes
    try:
        blocks: list[tuple] = [("h1", title), *_scenario_blocks(runs, config)]
        numbers = key_numbers(runs)
        numbers.to_csv(tmp / "summary.csv", index=False)
        conv = convergence(int((runs["max_rung"] >= 6).sum()), len(runs), TARGET_HALF_WIDTH)
        blocks += [
            ("h2", "Key numbers"),
            (
                "p",
                "Each estimate is followed by its 95% Monte Carlo interval: Wilson for probabilities, "
                "bootstrap for medians. The interval says how precisely these runs pin the number down, "
                "not how uncertain the model itself is.",
            ),
            ("table", numbers),
            ("p", "Precision: " + conv.describe("P(highest rung >= 6)") + "."),
        ]
        if "scenario" in runs and runs["scenario"].nunique() > 1:
            comp = plots.comparison_table(runs)
            blocks += [
                ("h2", "Scenarios"),
                ("table", comp[["scenario", "n", "p_rung_ge_6", "p_ceasefire", "median_duration_days"]].round(3)),
            ]
        blocks.append(("h2", "Figures"))
        for stem, caption, figure, table in _figures(runs, daily, config, sweep, k_sweep):
            fig = figure()
            try:
                fig.savefig(tmp / f"{stem}.png", dpi=dpi)
                fig.savefig(tmp / f"{stem}.svg")
            finally:
                plt.close(fig)
            table().to_csv(tmp / f"{stem}.csv", index=False)
            blocks.append(("img", stem, caption))
        blocks += [("h2", "Provenance"), ("table", _provenance(runs))]
        if config is not None:
            text = OmegaConf.to_yaml(config, resolve=True) if OmegaConf.is_config(config) else str(config)
            (tmp / "config.yaml").write_text(text)
            blocks += [
                ("h2", "Configuration"),
                ("p", "The full resolved configuration is in config.yaml beside this page."),
                ("code", text),
            ]
        md, page = _render(blocks, title)
        (tmp / "index.html").write_text(page)
        (tmp / MARKER).write_text(md)  # written last: its presence marks a finished report
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".old"))
            os.replace(out, old / "report")
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out
