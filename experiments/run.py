"""Hydra entry point: one scenario point x an ensemble per job; with -m, a sweep of them.

    python -m experiments.run                                     # baseline_2020, 100 replicates
    python -m experiments.run scenario=april_2016 ensemble.n=200 ensemble.executor=processes
    python -m experiments.run -m experiment=turkey_x_russia       # a grid sweep (one job per point)
    python -m experiments.run experiment=lhs_many_parameters      # a sampled design in one job

The whole command line (every sweep value included) is validated before Hydra
creates any folder: bad input prints one line naming the key, exits with 2 and
writes nothing. `run_job(cfg, out_dir)` is the part that does the work, for
callers that want the same job without the command line.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from experiments.cli import EXIT_INTERRUPTED, INTERRUPTED, register_resolvers, stack_on_request
from experiments.command_line import MULTIRUN, split_command_line
from sim.config.command_check import check_command_line
from sim.config.loading import CONF_DIR, check
from sim.config.schema import ConfigError, design_ranges, register
from sim.config.uncertainty import check_posterior
from sim.files import point_latest
from sim.runs.integrity import ResultsError

if TYPE_CHECKING:
    from sim.runs.results import EnsembleResult

register()  # for a user's config folder that still lists `schema` in its defaults
register_resolvers()  # the help template's ${app_groups:...}
EXIT_CONFIG = 2


def run_job(
    cfg: DictConfig,
    out_dir: str | Path,
    point_id: int = 0,
    swept: dict | None = None,
    progress: bool = True,
    brief: bool = False,
) -> EnsembleResult:
    """Run one job into `out_dir`: tables, config, seeds, provenance and a summary.

    A plain job is one point (tagged with `point_id` and its `swept` values) x
    ensemble.n replicates; a job whose experiment has a design runs every sampled
    point x ensemble.n replicates. Rerunning into the same folder resumes. brief:
    one line instead of the summary table (for the jobs of a sweep, which prints its own).
    """
    from sim.analysis.summary import render, write_summary
    from sim.runs.design import run_design, sample_design  # here: a refused command line never imports the model
    from sim.runs.provenance import provenance, seeds_record
    from sim.runs.results import read_json, write_json, write_text
    from sim.runs.runner import run_points

    out = Path(out_dir)
    status = read_json(out / "status.json") or {}
    finished = bool(status.get("finished") or status.get("complete"))
    # A folder that holds a run already is only written to once the run has found it to be this one
    # (sim.runs.store: a different run is refused in one line, and the folder must stay as it was).
    holds_a_run = (out / "manifest.json").exists()

    def describe() -> None:
        write_text(OmegaConf.to_yaml(cfg, resolve=True), out / "config.yaml")
        write_json(seeds_record(int(cfg.ensemble.seed), int(cfg.ensemble.n)), out / "seeds.json")
        write_json(provenance(), out / "provenance.json")

    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    if not holds_a_run:
        describe()
    if cfg.experiment.design.method != "none":
        points = sample_design(cfg)
        result = run_design(cfg, points, out=out, progress=progress)
    else:
        values = dict(swept or {})
        if not finished:
            print(f"{cfg.scenario.name}: {cfg.ensemble.n} replicates on {cfg.ensemble.executor}", flush=True)
        result = run_points(cfg, [values], out=out, progress=progress, point_ids=[point_id], desc="replicates")
    if holds_a_run:
        describe()
    if finished:  # a rerun sweep: say what it skipped
        print(f"{out}: already finished; nothing to run (its tables are read back)", flush=True)
    write_summary(result.runs, out)
    single = not brief and cfg.experiment.design.method == "none"
    intervals, total = total_interval(cfg, result, out, progress) if single else (None, None)
    if brief:
        failed = f", {result.failures['point_id'].nunique()} point(s) FAILED" if len(result.failures) else ""
        print(f"point {point_id} {swept or ''}: {len(result.runs)} runs{failed} -> {out}")
    else:
        print(render(result.runs, result.failures, title=f"== {cfg.scenario.name} ({cfg.experiment.name}) -> {out}"))
        if intervals is not None:
            print("How sure: chance alone against chance with uncertain parameters")
            print(intervals.to_string(index=False))
        if cfg.report:
            write_job_report(cfg, result, out, intervals, total)
    return result


def total_interval(cfg: DictConfig, result: EnsembleResult, out: Path, progress: bool):
    """Run the job's companion ensemble (parameters drawn) into <out>/total: the table of both intervals
    and the companion's result, or (None, None) when the job has none."""
    from sim.analysis.intervals import interval_table
    from sim.config.uncertainty import companion
    from sim.runs.runner import run_points

    found = companion(cfg)
    if found is None or not len(result.runs):
        return None, None
    other, mode, note = found
    if note:
        print(note, flush=True)
    print(f"{cfg.scenario.name}: {other.ensemble.n} replicates with parameters drawn ({mode})", flush=True)
    total = run_points(other, [{}], out=out / "total", progress=progress, desc="replicates")
    table = interval_table(result.runs, total.runs, mode)
    table.to_csv(out / "intervals.csv", index=False)
    return table, total


#: Above this many runs a job's report leaves out the day-by-day figures rather than read every daily row.
REPORT_DAILY_MAX_RUNS = 20_000


def write_job_report(cfg: DictConfig, result: EnsembleResult, out: Path, intervals=None, total=None) -> Path:
    """Figures, tables and a readable page of the job in <out>/report (see sim.report.writer)."""
    from sim.report.writer import write_report

    daily = result.daily if len(result.runs) <= REPORT_DAILY_MAX_RUNS else None
    title = f"{cfg.scenario.name}: {cfg.scenario.description}"
    if cfg.experiment.design.method != "none":  # a design samples parameters: its title names the design
        params = len(cfg.experiment.design.params)
        title = (
            f"Design {cfg.experiment.name}: {cfg.experiment.description} "
            f"({cfg.experiment.design.method}, {params} parameters, scenario {cfg.scenario.name} otherwise)"
        )
    total_daily = total.daily if total is not None and daily is not None else None
    folder = write_report(
        result.runs, daily, out / "report", config=cfg, title=title, intervals=intervals, total_daily=total_daily
    )
    print(f"report: {Path(folder) / 'index.html'}")
    return Path(folder)


def swept_values(cfg: DictConfig) -> dict[str, float]:
    """The job's overridden model parameters (as dotted keys), which become runs columns."""
    ranges = design_ranges(cfg)
    keys = [o.split("=", 1)[0].lstrip("+~") for o in HydraConfig.get().overrides.task]
    return {k: float(OmegaConf.select(cfg, k)) for k in keys if k in ranges}


def interrupted_job(out: Path, config_yaml: str) -> Path | None:
    """The latest job folder beside `out` that ran the same config and never finished, if any.

    Hydra names a single job's folder by the time it starts, so rerunning a
    command would start afresh; this finds the folder the interrupted run left
    (its config.yaml the same, no status.json) so that the rerun resumes it.
    """
    if not out.parent.is_dir():
        return None
    found = [
        p
        for p in out.parent.iterdir()
        if p != out
        and (p / "manifest.json").exists()
        and not (p / "status.json").exists()
        and (p / "config.yaml").exists()
        and (p / "config.yaml").read_text(encoding="utf-8") == config_yaml
    ]
    return max(found, key=lambda p: p.name) if found else None


@hydra.main(config_path=str(CONF_DIR), config_name="config", version_base="1.3")
def task(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    out = Path(hc.runtime.output_dir)
    try:
        cfg = check(cfg)
    except ConfigError as exc:  # the command line was checked already; this guards the job itself
        if out.is_dir() and all(p.name == ".hydra" or p.suffix == ".log" for p in out.iterdir()):
            shutil.rmtree(out, ignore_errors=True)  # only what Hydra made for it, never a run's results
        print(f"config error: {exc}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    multirun = hc.mode is not None and hc.mode.name == "MULTIRUN"
    num = getattr(hc.job, "num", 0) if multirun else 0
    if not multirun:  # a single job's folder is new each time: resume an interrupted one of the same config
        earlier = interrupted_job(out, OmegaConf.to_yaml(cfg, resolve=True))
        if earlier is not None:
            print(f"resuming the interrupted job in {earlier}", flush=True)
            if out.is_dir() and all(p.name == ".hydra" or p.suffix == ".log" for p in out.iterdir()):
                shutil.rmtree(out, ignore_errors=True)  # only what Hydra made for the new folder
            out = earlier
    try:
        result = run_job(cfg, out, point_id=int(num or 0), swept=swept_values(cfg), brief=multirun)
    except ResultsError as exc:  # a damaged results file, named: one line, not a traceback
        print(f"results error: {exc}", file=sys.stderr)
        sys.exit(1)
    except ConfigError as exc:  # e.g. the folder holds another run's results, or another writer is in it
        print(f"config error: {exc}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    except (TimeoutError, ChildProcessError) as exc:  # no chunk finished in ensemble.timeout_s, or a worker died
        print(f"run: {exc}", file=sys.stderr)
        sys.exit(1)
    if not multirun:  # a sweep points `latest` at itself once every job is in (experiments.callbacks)
        point_latest(cfg.output_dir, out)
    if len(result.failures) and not multirun:
        print(
            f"run: {len(result.failures)} run(s) failed, each ending the rest of its chunk's point "
            f"(errors in {out / 'failures.json'}); the folder is finished but not complete",
            file=sys.stderr,
        )
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    """Validate the command line, then hand it to Hydra."""
    stack_on_request()
    argv = sys.argv[1:] if argv is None else argv
    overrides, informational = split_command_line(argv)
    if not informational:
        try:
            checked = check_command_line(overrides, multirun=any(w in MULTIRUN for w in argv))
            check_posterior(checked)
        except ConfigError as exc:
            print(f"config error: {exc}", file=sys.stderr)
            sys.exit(EXIT_CONFIG)
    try:
        task()
    except KeyboardInterrupt:
        print(f"run: {INTERRUPTED}", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
