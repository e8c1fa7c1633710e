"""Backtests: run the historical scenarios and compare them with the known figures.

    python -m experiments.backtest                          # all episodes, n=200
    python -m experiments.backtest n=100 seed=7 episodes=[day_one_2020] out=outputs/bt
    python -m experiments.backtest overrides_file=outputs/calibration/overrides.txt out=outputs/backtest_calibrated
    python -m experiments.backtest -m seed=1,2,3 n=50      # one job per seed, job k in <out>/<k>
    python -m experiments.backtest --help                   # the options (conf/tools/backtest.yaml)

A Hydra app with the syntax of experiments.run: its options are the keys of
conf/tools/backtest.yaml (typed by BacktestApp), set with key=value. Writes
backtest.csv (every number), backtest.md (the table as printed) and
backtest.png (observed range against the model's median and 5-95% range) into
`out`, and prints the table. Exit status 0 when every target the backtest files
claim passes, 1 when a claimed target fails, 2 on bad input (one line naming the
key, checked for every job before anything runs). The work is in
sim.report.backtest.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from typing import Any

import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig

from experiments import cli
from sim.analysis.validation import BacktestError


@dataclass
class BacktestApp:
    """Types of the keys of conf/tools/backtest.yaml (the values are in the file)."""

    n: int = MISSING
    seed: int = MISSING
    executor: str = MISSING
    workers: int = MISSING
    episodes: list[str] | None = None
    targets_dir: str | None = None
    overrides: list[str] = field(default_factory=list)
    overrides_file: str | None = None
    out: str = MISSING


ConfigStore.instance().store(name="backtest_app_schema", node=BacktestApp)


def check(args: Any) -> Any:
    from sim.report.backtest import check as check_request

    return check_request(args)


def run(args: Any) -> int:
    """Run the checked request, write the outputs and print the table; 1 when a claimed target fails."""
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from sim.analysis.validation import claimed_failures, readable
    from sim.report.backtest import run_backtests, write_outputs

    logging.getLogger("MESA").setLevel(logging.WARNING)
    table = run_backtests(
        args.chosen, args.n, args.seed, args.executor, args.workers or None, args.extra, configs=args.configs
    )
    written = write_outputs(table, args.out, args.n, args.seed)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 40):
        print(readable(table).to_string(index=False))
    failed = claimed_failures(table)
    with_extra = f" with {' '.join(args.extra)}" if args.extra else ""
    print(
        f"\nn={args.n} runs per episode, seed {args.seed}{with_extra}; "
        f"{int(table['passes'].sum())}/{len(table)} targets inside tolerance; "
        f"claimed targets failing: {', '.join(failed) if failed else 'none'}"
    )
    print(f"wrote {args.out}/{', '.join(written)}")
    return 1 if failed else 0


TOOL = cli.Tool(name="backtest", config="backtest", schema=BacktestApp, check=check, run=run, errors=(BacktestError,))


@hydra.main(config_path=str(cli.TOOLS_DIR), config_name="backtest", version_base="1.3")
def app(cfg: DictConfig) -> int:
    return cli.run_job(TOOL, cfg)


def main(argv: list[str] | None = None) -> int:
    """Check the command line (every job of a sweep), then hand it to Hydra; the exit status."""
    return cli.main(TOOL, app, argv)


if __name__ == "__main__":
    sys.exit(main())
