"""Calibrate uncertain parameters to backtest targets (ABC, see sim.analysis.calibration).

    python -m experiments.calibrate                      # day one 2020: attrition and armour exposure
    python -m experiments.calibrate params=[combat.attrition_rate,combat.armour_exposure,combat.uav_erosion] \\
        targets=[defender_military_deaths,attacker_armour_lost,defender_wounded] observed=[32,44,110]
    python -m experiments.backtest overrides_file=outputs/calibration/overrides.txt   # check the fit
    python -m experiments.calibrate --help               # the options (conf/tools/calibrate.yaml)

A Hydra app with the syntax of experiments.run: its options are the keys of
conf/tools/calibrate.yaml (typed by CalibrateApp), set with key=value. Writes into
`out`: overrides.txt (Hydra overrides of the fitted values:
`load_config(s, overrides=read_overrides(path))`, or
`python -m experiments.run $(grep -v '^#' overrides.txt)`), <name>.yaml (a
conf/scenario-style file of the episode's scenario with the fitted values and
their sources; copy it into conf/scenario/ to use it by name), calibration.csv
(fitted values with 5-95% posterior range), posterior.csv, draws.csv and
calibration.png. Exit 2 on bad input (one line naming the key, checked for
every job before anything runs), with nothing written. The work is in
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

    episode: str = MISSING
    targets: list[str] = MISSING
    observed: list[float] | None = None
    params: list[str] = MISSING
    draws: int = MISSING
    n: int = MISSING
    seed: int = MISSING
    accept: float = MISSING
    adjust: bool = MISSING
    executor: str = MISSING
    name: str | None = None
    targets_dir: str | None = None
    out: str = MISSING


ConfigStore.instance().store(name="calibrate_app_schema", node=CalibrateApp)


def check(args: Any) -> Any:
    from sim.report.calibration import check as check_request

    return check_request(args)


def run(args: Any) -> int:
    """Fit, write the outputs and print the fitted values."""
    import matplotlib

    matplotlib.use("Agg")
    from sim.analysis.calibration import calibrate, override_strings
    from sim.report.calibration import what_was_fitted, write_fit

    logging.getLogger("MESA").setLevel(logging.WARNING)
    fit = calibrate(
        args.cfg,
        args.params,
        args.target_list,
        args.observed_values,
        draws=args.draws,
        n=args.n,
        seed=args.seed,
        accept=args.accept,
        adjust=args.adjust,
        executor=args.executor,
    )
    written = write_fit(args, fit)
    print(
        f"ABC calibration to {what_was_fitted(args)}; {args.draws} draws x n={args.n}, seed {args.seed}, "
        f"accept {args.accept}"
    )
    print(fit.table.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print("\noverrides:", " ".join(override_strings(fit)))
    print(f"wrote {args.out}/{', '.join(written)}")
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
