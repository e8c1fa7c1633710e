"""Calibration as a command runs it: check a request, then write the fit (see sim.analysis.calibration).

A request (experiments.calibrate builds it from conf/tools/calibrate.yaml) has the
attributes episode, targets, observed, params, draws, n, seed, accept, adjust,
executor, name, targets_dir and out. `check(args)` validates it before anything
runs (one line naming the key) and adds the episode, its config, the targets,
the observed values and the scenario name to args; `write_fit` writes
overrides.txt, <name>.yaml, calibration.csv, posterior.csv, draws.csv and
calibration.png.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from sim.analysis.calibration import Calibration, CalibrationError, override_strings, priors_of, scenario_document
from sim.analysis.validation import BACKTEST_DIR, BacktestError, episodes, find_target
from sim.config.loading import load_config
from sim.config.schema import EXECUTORS
from sim.files import atomic_write
from sim.report.configs import composed_config


def check(args: Any) -> Any:
    """Validate a request before anything runs; adds ep, cfg, target_list, observed_values, name to args."""
    if args.executor not in EXECUTORS:
        raise CalibrationError(f"executor: '{args.executor}' is not allowed; expected one of {', '.join(EXECUTORS)}")
    for key, low, high in (("n", 1, 100_000), ("draws", 1, 100_000)):  # a fit of 10 billion runs is a typo
        if not low <= getattr(args, key) <= high:
            raise CalibrationError(f"{key}: {getattr(args, key)} is out of range; allowed [{low}, {high}]")
    if not 0.0 < args.accept <= 1.0:
        raise CalibrationError(f"accept: {args.accept} is out of range; allowed (0, 1]")
    if not 0 <= args.seed < 2**32:
        raise CalibrationError(f"seed: {args.seed} is out of range; allowed [0, 2**32)")
    targets_dir = Path(args.targets_dir) if args.targets_dir else BACKTEST_DIR
    if not targets_dir.is_dir():
        raise CalibrationError(f"targets_dir: {targets_dir} is not a folder")
    known = episodes(targets_dir)
    if args.episode not in known:
        raise CalibrationError(f"episode: '{args.episode}' is unknown; expected one of {', '.join(known)}")
    ep = known[args.episode]
    if not args.targets:
        raise CalibrationError("targets: give at least one target name")
    try:
        targets = [find_target(ep, name) for name in args.targets]
    except BacktestError as exc:
        raise CalibrationError(f"targets: {exc}") from exc
    if args.observed:
        if len(args.observed) != len(targets):
            raise CalibrationError(
                f"observed: {len(args.observed)} values for {len(targets)} targets; give one value per target"
            )
        observed = [float(v) for v in args.observed]
        for t, v in zip(targets, observed, strict=True):
            if not math.isfinite(v):
                raise CalibrationError(f"observed: {v} for target {t.name} is not a finite number; give a finite value")
    else:
        observed = []
        for t in targets:
            lo, hi = t.observed
            if lo is None or hi is None:
                raise CalibrationError(
                    f"observed: target {t.name} has an open observed range; give a value "
                    "per target, e.g. observed=[32,44]"
                )
            observed.append((lo + hi) / 2)
    cfg = composed_config(ep.scenario, ep.overrides)
    try:
        priors_of(cfg, args.params)
    except CalibrationError as exc:
        raise CalibrationError(f"params: {exc}") from exc
    if args.draws < len(args.params) + 3:
        raise CalibrationError(
            f"draws: {args.draws} is too few for {len(args.params)} parameters; allowed >= {len(args.params) + 3}"
        )
    args.ep, args.cfg, args.target_list, args.observed_values = ep, cfg, targets, observed
    args.name = args.name or f"{ep.scenario}_calibrated"
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", args.name) or ".." in args.name:
        raise CalibrationError(
            f"name: '{args.name}' is not allowed; a file name of letters, digits, '_', '-' and '.' "
            "(no folders: the file is written into out)"
        )
    return args


def what_was_fitted(args: Any) -> str:
    """'<episode>: target=value, ...' for titles and file headers."""
    pairs = ", ".join(f"{t.name}={v:g}" for t, v in zip(args.target_list, args.observed_values, strict=True))
    return f"{args.ep.name}: {pairs}"


def write_fit(args: Any, fit: Calibration) -> list[str]:
    """The fitted overrides, a conf/scenario-style file, the tables and the figure, each written atomically."""
    import matplotlib.pyplot as plt

    from sim.plots.calibration import calibration_figure

    out, name, what = Path(args.out), args.name, what_was_fitted(args)
    overrides = override_strings(fit)
    load_config(args.ep.scenario, overrides=overrides)  # the fitted values must compose and validate
    doc = scenario_document(load_config(args.ep.scenario), fit, name, what)
    header = f"# Fitted by {getattr(args, 'command', 'python -m experiments.calibrate')} ({what}).\n"
    atomic_write(out / "overrides.txt", lambda tmp: Path(tmp).write_text(header + "\n".join(overrides) + "\n"))
    atomic_write(
        out / f"{name}.yaml",
        lambda tmp: Path(tmp).write_text(
            "# @package _global_\n" + header + yaml.safe_dump(doc, sort_keys=False, width=200)
        ),
    )
    atomic_write(out / "calibration.csv", lambda tmp: fit.table.to_csv(tmp, index=False))
    atomic_write(out / "posterior.csv", lambda tmp: fit.posterior.to_csv(tmp, index=False))
    atomic_write(out / "draws.csv", lambda tmp: fit.draws.to_csv(tmp, index=False))
    fig = calibration_figure(fit, what)
    atomic_write(out / "calibration.png", lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)
    return ["overrides.txt", f"{name}.yaml", "calibration.csv", "posterior.csv", "draws.csv", "calibration.png"]
