"""Hydra callbacks: the sweep-level runs table, written when a multirun ends.

Hydra passes `on_multirun_end` no job results, so the table is built from the
job folders' runs.parquet files (streamed, one job in memory at a time) into
<sweep dir>/runs.parquet, which `sim.runs.results.load(sweep_dir)` reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from sim.analysis.summary import render, write_summary
from sim.files import point_latest
from sim.runs.results import concat_parquet, job_folders, read_json, write_json


def aggregate(sweep_dir: str | Path, name: str = "") -> int:
    """Join every finished job's runs into the sweep's runs.parquet; returns its row count.

    name: what the sweep compares (the experiment's description), for the report's title.
    """
    sweep = Path(sweep_dir)
    jobs = [j for j in job_folders(sweep) if (read_json(j / "status.json") or {}).get("complete")]
    if not jobs:
        return 0
    rows = concat_parquet([j / "runs.parquet" for j in jobs], sweep / "runs.parquet")
    failures = [dict(f, job=j.name) for j in jobs for f in read_json(j / "failures.json", [])]
    write_json(failures, sweep / "failures.json")
    runs = pd.read_parquet(sweep / "runs.parquet")
    write_summary(runs, sweep)
    print(render(runs, pd.DataFrame(failures), title=f"== sweep: {len(jobs)} jobs -> {sweep}"))
    if len(runs):
        from sim.report.writer import write_report  # the figures only once the table is whole

        what = f": {name}" if name else ""
        write_report(runs, None, sweep / "report", title=f"Sweep of {len(jobs)} points compared{what} ({sweep.name})")
        print(f"report: {sweep / 'report' / 'index.html'}")
    return rows


class AggregateRuns(Callback):
    """Registered in conf/config.yaml under hydra.callbacks."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        exp = config.get("experiment") or {}
        aggregate(config.hydra.sweep.dir, str(exp.get("description") or ""))
        if Path(config.hydra.sweep.dir).is_dir():
            point_latest(config.output_dir, config.hydra.sweep.dir)
