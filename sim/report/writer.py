"""A report folder for an ensemble, a sweep or a scenario comparison, readable without running anything.

`write_report(runs, daily, out_dir)` writes every figure that the tables allow
(PNG and SVG), the tables behind them (CSV), the resolved config, and a short
page (report.md and index.html) with the key numbers, the scenario and the
provenance (code version, packages, seeds, date). The folder appears whole or
not at all: it is built under a temporary name beside `out_dir` and renamed.
"""

from __future__ import annotations

import os
import platform
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from omegaconf import OmegaConf

from sim.analysis.points import Points, point_labels, points_of, short_name
from sim.files import readable
from sim.report.conclusions import READ_ALSO, opening_blocks, record_blocks
from sim.report.figures import design_ranks, figures, record_for
from sim.report.numbers import number_blocks
from sim.report.page import render
from sim.runs.provenance import git_commit, package_versions

MARKER = "report.md"
APPENDIX = "appendix.md"
#: The project's documents a reader needs beside any report (sim.report.conclusions.READ_ALSO).
PROJECT = Path(__file__).resolve().parents[2]


def _read_also(out: Path) -> list[tuple[str, str]]:
    """Links to docs/validation.md and docs/limitations.md: relative to the report in a checkout, else by name."""
    links = []
    for text, doc in READ_ALSO:
        path = PROJECT / doc
        href = os.path.relpath(path, out.resolve()) if path.exists() else doc
        links.append((f"{text} ({doc})", href))
    return links


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


def _scenario_blocks(runs: pd.DataFrame, config: Any, pts: Points) -> list[tuple]:
    """What was run: the scenario of one ensemble, the points of a comparison, the ranges of a design."""
    out = []
    if config is not None and "scenario" in config and not pts.scenarios_vary:
        sc = config.scenario
        base = "Every point is scenario" if pts.kind != "ensemble" else "Scenario"
        out.append(
            (
                "p",
                f"{base} {sc.name}: {sc.description}. Start {sc.start_date}; horizon {sc.horizon_days} days; "
                f"opening operation {sc.opening}; war aims {sc.war_aims}.",
            )
        )
    elif pts.kind == "ensemble":
        name = str(runs["scenario"].iloc[0]) if "scenario" in runs else "unnamed"
        out.append(("p", f"Scenario {name}. No configuration was given, so the theatre map uses the shipped theatre."))
    if pts.kind == "grid":
        names = list(dict.fromkeys(point_labels(runs, pts)))
        what = "points" if pts.varying else "scenarios"
        out.append(("p", f"{len(names)} {what} compared, each with its own numbers and figures: {'; '.join(names)}."))
    elif pts.kind == "design":
        n_points = runs.groupby(list(pts.varying)).ngroups
        ranges = "; ".join(f"{short_name(c)} {runs[c].min():.3g}-{runs[c].max():.3g}" for c in pts.varying)
        out.append(
            (
                "p",
                f"A sampled design: {n_points} points over {len(pts.varying)} parameters' declared ranges "
                f"({ranges}), {len(runs)} runs in all.",
            )
        )
    return out


def figure_title(fig) -> str:
    """The title a reader sees on a figure: its suptitle, else its first panel's title."""
    top = fig.get_suptitle()
    return top or next((ax.get_title() for ax in fig.axes if ax.get_title()), "")


def _check_out_dir(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise ValueError(
            f"out_dir: {out} exists and is not a report folder; give a new or empty folder, "
            "or a previous report folder to replace"
        )


def keep_layout(fig) -> None:
    """Keep the layout the first save of a figure worked out for the saves after it.

    Constrained layout is worked out again at every save, about a fifth of
    drawing a figure; the PNG's layout serves the SVG (positions are fractions of
    the figure, text sizes are in points). A figure whose layout cannot be
    switched off (a colorbar in a constrained layout) is left as it is.
    """
    try:
        fig.set_layout_engine("none")
    except RuntimeError:
        pass


def write_report(
    runs: pd.DataFrame,
    daily: pd.DataFrame | None,
    out_dir: str | Path,
    config: Any = None,
    title: str | None = None,
    sweep: tuple[str, str] | None = None,
    k_sweep: int = 6,
    dpi: int = 120,
    intervals: pd.DataFrame | None = None,
    total_daily: pd.DataFrame | None = None,
    base: Any = None,
) -> Path:
    """Write the report folder; returns its path.

    runs, daily: result tables (daily may be None: its figures are then left out);
    config: the resolved config of the ensemble (scenario text, theatre, config.yaml);
    sweep: two swept columns for a heatmap (default: found among dotted columns of a grid);
    intervals: the table of both intervals (sim.analysis.intervals), shown after the key numbers;
    total_daily: the companion ensemble's daily table, drawn dashed on the fan chart;
    base: a sweep's own config before its swept values (the multirun's), whose value of a swept
    parameter a response figure marks (without it, the scenario is composed to find it).
    Replaces a previous report in `out_dir` whole; refuses a folder that holds anything else.
    """
    if runs is None or len(runs) == 0:
        raise ValueError("runs: the table is empty; a report needs at least one run")
    out = Path(out_dir)
    _check_out_dir(out)
    pts = points_of(runs)
    if sweep is None and pts.kind == "grid" and len(pts.varying) == 2:
        sweep = (pts.varying[0], pts.varying[1])
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
        design = design_ranks(runs, pts) if pts.kind == "design" else None
        record = record_for(runs) if pts.kind == "ensemble" else {}
        blocks: list[tuple] = [
            ("h1", title),
            *opening_blocks(runs, pts, design[1] if design else None, _read_also(out)),
            *_scenario_blocks(runs, config, pts),
        ]
        numbers, table = number_blocks(runs, pts)
        table.to_csv(tmp / "summary.csv", index=False)
        blocks += numbers + record_blocks(runs, record)
        if intervals is not None:
            intervals.to_csv(tmp / "intervals.csv", index=False)
            blocks += [
                ("h2", "How sure: chance alone and with uncertain parameters"),
                (
                    "p",
                    "Left: the spread of these runs, every parameter at its declared value (chance alone, the "
                    "Monte Carlo interval). Right: a companion ensemble of the same size whose runs draw the "
                    "uncertain parameters too (the total interval). The gap between them is the model's own "
                    "uncertainty; docs/uncertainty.md says how the parameters are drawn.",
                ),
                ("table", intervals),
            ]
        blocks.append(("h2", "Figures"))
        grid = sweep if pts.kind == "grid" else None
        for stem, caption, figure, data in figures(runs, daily, config, grid, k_sweep, design, total_daily, base):
            fig = figure()
            try:
                fig.savefig(tmp / f"{stem}.png", dpi=dpi, metadata={"Title": figure_title(fig)})
                keep_layout(fig)
                fig.savefig(tmp / f"{stem}.svg", metadata={"Title": figure_title(fig)})
            finally:
                plt.close(fig)
            data().to_csv(tmp / f"{stem}.csv", index=False)
            blocks.append(("img", stem, caption))
        blocks += [("h2", "Provenance"), ("table", _provenance(runs))]
        if config is not None:  # the configuration is an appendix: a reader of the page needs its outcome first
            text = OmegaConf.to_yaml(config, resolve=True) if OmegaConf.is_config(config) else str(config)
            (tmp / "config.yaml").write_text(text)
            (tmp / APPENDIX).write_text(
                f"# Appendix to {title}: the resolved configuration\n\n"
                "Every parameter the runs used, as resolved from conf/ and the command line "
                f"(also as config.yaml beside this file).\n\n```yaml\n{text}\n```\n"
            )
            blocks += [
                ("h2", "Configuration"),
                (
                    "links",
                    "The resolved configuration is in the appendix:",
                    [(APPENDIX, APPENDIX), ("config.yaml", "config.yaml")],
                ),
            ]
        md, page = render(blocks, title)
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
