"""Hydra callbacks: the sweep-level runs table and provenance, written when a multirun ends.

Hydra passes `on_multirun_end` no job results, so the table is built from the
job folders' runs.parquet files (streamed, one job in memory at a time) into
<sweep dir>/runs.parquet, which `sim.runs.results.load(sweep_dir)` reads. The sweep
gets its own provenance.json and config.yaml (the sweep's base config and overrides),
and its runs.parquet carries the same in its metadata, with each job's config digest
and seed, as every job's tables do (sim.runs.provenance).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from sim.analysis.summary import render, write_summary
from sim.files import point_latest
from sim.runs.provenance import file_metadata, provenance, read_file_metadata
from sim.runs.results import concat_parquet, job_folders, read_json, write_json, write_text
from sim.runs.runner import digest

#: Above this many runs a sweep's report leaves out the day-by-day figures (as a job's does).
DAILY_MAX_RUNS = 20_000


def sweep_provenance(sweep: Path, jobs: list[Path], config: DictConfig | None) -> dict[str, str]:
    """Write the sweep's provenance.json and config.yaml; return the metadata of its runs.parquet.

    Each job is named with its config digest, seed and overrides (Hydra's .hydra/overrides.yaml),
    so the joined table says which job every group of rows came from and how to rerun it.
    """
    record: dict[str, dict] = {}
    for job in jobs:
        own = read_file_metadata(job / "runs.parquet")
        overrides = job / ".hydra" / "overrides.yaml"
        record[job.name] = {
            "config_digest": own.get("config_digest"),
            "seed": json.loads(own.get("seed", "null")),
            "overrides": yaml.safe_load(overrides.read_text()) if overrides.exists() else None,
        }
    base = ""
    command: list[str] = []
    if config is not None:
        command = [str(o) for o in OmegaConf.select(config, "hydra.overrides.task", default=[]) or []]
        body = OmegaConf.masked_copy(config, [str(k) for k in config if k != "hydra"])
        base = OmegaConf.to_yaml(body, resolve=True)
        write_text(base, sweep / "config.yaml")
    write_json({**provenance(), "overrides": command, "jobs": record}, sweep / "provenance.json")
    seeds = sorted({s for r in record.values() if isinstance(s := r["seed"], int)})
    return file_metadata(
        base,
        digest({name: r["config_digest"] for name, r in record.items()}),
        seeds[0] if len(seeds) == 1 else seeds,
        jobs=record,
        overrides=command,
    )


def aggregate(sweep_dir: str | Path, config: DictConfig | None = None) -> int:
    """Join every finished job's runs into the sweep's runs.parquet; returns its row count.

    config: the multirun's config (with its hydra node), for the sweep's config.yaml and overrides,
    and the experiment's description (what the sweep compares) for the report's title.
    """
    sweep = Path(sweep_dir)
    exp = (config.get("experiment") if config is not None else None) or {}
    name = str(exp.get("description") or "")
    jobs = [j for j in job_folders(sweep) if (read_json(j / "status.json") or {}).get("complete")]
    if not jobs:
        return 0
    meta = sweep_provenance(sweep, jobs, config)
    rows = concat_parquet([j / "runs.parquet" for j in jobs], sweep / "runs.parquet", metadata=meta)
    failures = [dict(f, job=j.name) for j in jobs for f in read_json(j / "failures.json", [])]
    write_json(failures, sweep / "failures.json")
    runs = pd.read_parquet(sweep / "runs.parquet")
    write_summary(runs, sweep)
    print(render(runs, pd.DataFrame(failures), title=f"== sweep: {len(jobs)} jobs -> {sweep}"))
    if len(runs) and (config is None or config.get("report", True)):
        from sim.report.figures import PER_POINT_MAX
        from sim.report.writer import write_report  # the figures only once the table is whole

        # a few points get their own day-by-day figures too: their daily rows are read back (point_id tells them apart)
        few = len(jobs) <= PER_POINT_MAX and len(runs) <= DAILY_MAX_RUNS
        daily = pd.concat([pd.read_parquet(j / "daily.parquet") for j in jobs], ignore_index=True) if few else None
        what = f": {name}" if name else ""
        write_report(
            runs,
            daily,
            sweep / "report",
            title=f"Sweep of {len(jobs)} points compared{what} ({sweep.name})",
            base=config,
        )
        print(f"report: {sweep / 'report' / 'index.html'}")
    return rows


class AggregateRuns(Callback):
    """Registered in conf/config.yaml under hydra.callbacks."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        aggregate(config.hydra.sweep.dir, config)
        if Path(config.hydra.sweep.dir).is_dir():
            point_latest(config.output_dir, config.hydra.sweep.dir)
