"""Backtests as a command runs them: check a request, run the episodes, write the table and figure.

A request (experiments.backtest builds it from conf/tools/backtest.yaml) has the
attributes n, seed, executor, workers, episodes, targets_dir, overrides,
overrides_file and out. `check(args)` validates it before anything is written
(one line naming the key, as BacktestError or ConfigError) and adds the chosen
episodes and their composed configs; `run_backtests` runs them and
`write_outputs` writes backtest.csv, backtest.md and backtest.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig

from sim.analysis.validation import BACKTEST_DIR, BacktestError, Episode, backtest, episodes, readable
from sim.config.loading import load_config
from sim.config.schema import ConfigError
from sim.files import atomic_write
from sim.report.configs import check_run_options
from sim.report.markdown import markdown_table


def read_overrides(path: Path) -> list[str]:
    """The model overrides of a file, one a line (blank lines and # comments skipped)."""
    lines = Path(path).read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def extra_overrides(args: Any) -> list[str]:
    """Model overrides for every episode: the lines of overrides_file, then the `overrides` list."""
    extra = []
    if args.overrides_file:
        try:
            extra = read_overrides(Path(args.overrides_file))
        except OSError as exc:
            raise BacktestError(f"overrides_file: {args.overrides_file} cannot be read ({exc.strerror})") from exc
    return [*extra, *args.overrides]


def check(args: Any) -> Any:
    """Validate a request before anything runs; adds targets_dir (a Path), extra, chosen and configs to args."""
    check_run_options(args, 1, "episode", BacktestError)
    args.targets_dir = Path(args.targets_dir) if args.targets_dir else BACKTEST_DIR
    if not args.targets_dir.is_dir():
        raise BacktestError(f"targets_dir: {args.targets_dir} is not a folder")
    known = episodes(args.targets_dir)
    if not known:
        raise BacktestError(f"targets_dir: {args.targets_dir} holds no backtest YAML files")
    chosen = args.episodes or list(known)
    for name in chosen:
        if name not in known:
            raise BacktestError(f"episodes: '{name}' is unknown; expected one of {', '.join(known)}")
    args.extra = extra_overrides(args)
    args.chosen = [known[name] for name in chosen]
    try:
        args.configs = [load_config(ep.scenario, [*ep.overrides, *args.extra]) for ep in args.chosen]
    except ConfigError as exc:
        given = [k for k in ("overrides", "overrides_file") if getattr(args, k)]
        raise ConfigError(f"{', '.join(given)}: {exc}" if given else str(exc)) from exc
    return args


def run_backtests(
    chosen: list[Episode],
    n: int,
    seed: int,
    executor: str,
    workers: int | None = None,
    extra: list[str] | None = None,
    configs: list[DictConfig] | None = None,
) -> pd.DataFrame:
    """The backtest table of the chosen episodes (one ensemble of n runs each).

    extra: overrides added to every episode's (e.g. calibrated parameter values);
    configs: the episodes' composed configs, when check() made them already.
    """
    from sim.runs.ensemble import run_ensemble

    tables = []
    for i, ep in enumerate(chosen):
        cfg = configs[i] if configs is not None else load_config(ep.scenario, overrides=[*ep.overrides, *(extra or [])])
        res = run_ensemble(cfg, n=n, seed=seed, executor=executor, workers=workers)
        tables.append(backtest(ep, res.runs, res.daily))
    return pd.concat(tables, ignore_index=True)


def markdown(table: pd.DataFrame) -> str:
    """A pipe table of the printed backtest table."""
    return markdown_table(readable(table)) + "\n"


def write_outputs(table: pd.DataFrame, out: Path, n: int, seed: int) -> list[str]:
    """backtest.csv (every number), backtest.md (the table as printed) and backtest.png, each written atomically."""
    import matplotlib.pyplot as plt

    from sim.plots.backtest import backtest_figure

    out = Path(out)
    atomic_write(out / "backtest.csv", lambda tmp: table.to_csv(tmp, index=False))
    atomic_write(out / "backtest.md", lambda tmp: Path(tmp).write_text(markdown(table)))
    fig = backtest_figure(table, n, seed)
    atomic_write(out / "backtest.png", lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)
    return ["backtest.csv", "backtest.md", "backtest.png"]
