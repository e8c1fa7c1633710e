"""Calibrate uncertain parameters to the backtest's `fit` targets (ABC-SMC with pyabc, sim.analysis.calibration).

    python -m experiments.calibrate                      # conf/tools/calibrate.yaml: the 2020 war and its day one
    python -m experiments.calibrate population=40 generations=3 n=5 out=outputs/calibration_small
    python -m experiments.calibrate executor=ray         # particles as Ray tasks (a local Ray or a cluster)
    python -m experiments.run ensemble.parameters=posterior   # runs that draw from the posterior
    python -m experiments.calibrate --help               # the options

A Hydra app with the syntax of experiments.run: its options are the keys of
conf/tools/calibrate.yaml (typed by CalibrateApp), set with key=value. Writes
into `out`: history.db (pyabc's database of every population; rerunning the
same command resumes a killed calibration from its last finished population),
request.json, posterior.parquet (read by `ensemble.parameters=posterior`),
calibration.csv, prior_posterior.png, predictive_check.csv and
predictive_check.png. Exit 2 on bad input (one line naming the key, checked
before anything runs), with nothing written. The work is in
sim.report.calibration.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig

from experiments import cli
from sim.analysis.calibration import CalibrationError
from sim.analysis.validation import BacktestError


@dataclass
class CalibrateApp:
    """Types of the keys of conf/tools/calibrate.yaml (the values are in the file)."""

    episodes: list[str] = MISSING
    params: list[str] = MISSING
    population: int = MISSING
    generations: int = MISSING
    n: int = MISSING
    seed: int = MISSING
    executor: str = MISSING
    workers: int = 0
    min_acceptance: float = MISSING
    predictive_n: int = MISSING
    targets_dir: str | None = None
    out: str = MISSING
    docs: bool = False


ConfigStore.instance().store(name="calibrate_app_schema", node=CalibrateApp)


def check(args: Any) -> Any:
    from sim.report.calibration import check as check_request

    return check_request(args)


def run(args: Any) -> int:
    """Fit (or resume), write the posterior and its checks, and print the fitted values and the scores."""
    import matplotlib

    matplotlib.use("Agg")
    from sim.analysis.calibration import summary_table
    from sim.report.calibration import fit, scores, write_docs, write_outputs

    logging.getLogger("MESA").setLevel(logging.WARNING)
    priors, posterior, generations = fit(args)
    written = write_outputs(args, priors, posterior, generations)
    print(
        f"ABC-SMC to the fit targets of {', '.join(args.episodes)}: {generations} populations of "
        f"{args.population}, n={args.n} runs per episode per particle, seed {args.seed}"
    )
    print(summary_table(priors, posterior).to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    if args.predictive_n:
        import pandas as pd

        print("posterior predictive check:", scores(pd.read_csv(f"{args.out}/predictive_check.csv")))
    print(f"wrote {args.out}/{', '.join(written)}")
    if args.docs:
        print("wrote", ", ".join(write_docs(args, generations)))
    return 0


TOOL = cli.Tool(
    name="calibrate",
    config="calibrate",
    schema=CalibrateApp,
    check=check,
    run=run,
    errors=(CalibrationError, BacktestError),
)


@hydra.main(config_path=str(cli.TOOLS_DIR), config_name="calibrate", version_base="1.3")
def app(cfg: DictConfig) -> int:
    return cli.run_job(TOOL, cfg)


def main(argv: list[str] | None = None) -> int:
    """Check the command line (every job of a sweep), then hand it to Hydra; the exit status."""
    return cli.main(TOOL, app, argv)


if __name__ == "__main__":
    sys.exit(main())
