"""Calibrate uncertain parameters to backtest targets (ABC, see sim.analysis.calibration).

    python -m experiments.calibrate                      # day one 2020: attrition and armour exposure
    python -m experiments.calibrate --params combat.attrition_rate combat.armour_exposure combat.uav_erosion \\
        --targets defender_military_deaths attacker_armour_lost defender_wounded --observed 32 44 110
    python -m experiments.backtest --overrides-file outputs/calibration/overrides.txt   # check the fit

Writes into the output folder: overrides.txt (Hydra overrides of the fitted
values: `load_config(s, overrides=read_overrides(path))` or
`python -m experiments.run $(grep -v '^#' overrides.txt)`), <name>.yaml (a
conf/scenario-style file of the episode's scenario with the fitted values and
their sources; copy it into conf/scenario/ to use it by name), calibration.csv
(fitted values with 5-95% posterior range), posterior.csv, draws.csv and
calibration.png. Exit 2 on bad input, with nothing written.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import NullFormatter  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402

from sim.files import atomic_write  # noqa: E402
from sim.analysis.calibration import (  # noqa: E402
    Calibration,
    CalibrationError,
    calibrate,
    override_strings,
    priors_of,
    scenario_document,
)
from sim.config.loading import load_config  # noqa: E402
from sim.config.schema import EXECUTORS, ConfigError  # noqa: E402
from sim.analysis.validation import BACKTEST_DIR, BacktestError, episodes, find_target  # noqa: E402

#: Okabe-Ito: posterior, shipped value, fitted median.
POSTERIOR, SHIPPED, FITTED = "#0072B2", "#E69F00", "#D55E00"


def plot_calibration(fit: Calibration, path: Path, what: str) -> None:
    """Posterior of each parameter over its declared range, and the draws in the first two."""
    k = len(fit.priors)
    ncols = k + (1 if k >= 2 else 0)
    fig, axes = plt.subplots(1, ncols, figsize=(4.4 * ncols, 3.8), squeeze=False)
    for j, (p, row) in enumerate(zip(fit.priors, fit.table.itertuples(index=False), strict=True)):
        ax = axes[0][j]
        x = fit.posterior[p.key].to_numpy()
        bins = np.geomspace(p.lo, p.hi, 31) if p.log else np.linspace(p.lo, p.hi, 31)
        ax.hist(x, bins=bins, weights=fit.posterior["weight"], color=POSTERIOR, alpha=0.75, label="posterior (weighted)")
        ax.axvspan(row.p5, row.p95, color=POSTERIOR, alpha=0.15, lw=0, label="posterior 5-95%")
        ax.axvline(row.median, color=FITTED, lw=2, label=f"fitted median {row.median:.3g}")
        ax.axvline(row.shipped, color=SHIPPED, lw=2, ls="--", label=f"shipped value {row.shipped:.3g}")
        if p.log:
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(p.lo, p.hi)
        ax.set_xlabel(f"{p.key} (declared range, {'log' if p.log else 'linear'} scale)")
        ax.set_ylabel("posterior weight")
        ax.set_title(p.key.split(".")[-1], fontsize=10)
        ax.legend(fontsize=7, loc="upper right")
    if k >= 2:
        ax = axes[0][k]
        a, b = fit.priors[0], fit.priors[1]
        sc = ax.scatter(fit.draws[a.key], fit.draws[b.key], c=fit.draws["distance"], cmap="cividis", s=18)
        fig.colorbar(sc, ax=ax, label="distance to the targets (scaled)")
        ax.set_xscale("log" if a.log else "linear")
        ax.set_yscale("log" if b.log else "linear")
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(a.lo, a.hi)
        ax.set_ylim(b.lo, b.hi)
        ax.set_xlabel(a.key)
        ax.set_ylabel(b.key)
        ax.set_title("prior draws (Latin hypercube)", fontsize=10)
    fig.suptitle(f"ABC calibration to {what} ({len(fit.draws)} draws x n={fit.n} runs, seed {fit.seed})", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m experiments.calibrate", description=__doc__.splitlines()[0])
    p.add_argument("--episode", default="day_one_2020", help="backtest episode whose scenario and targets to use")
    p.add_argument("--targets", nargs="+", default=["defender_military_deaths", "attacker_armour_lost"])
    p.add_argument("--observed", nargs="*", type=float, default=None,
                   help="observed value per target (default: the middle of each target's observed range)")
    p.add_argument("--params", nargs="+", default=["combat.attrition_rate", "combat.armour_exposure"])
    p.add_argument("--draws", type=int, default=120, help="prior draws, one ensemble each (default 120)")
    p.add_argument("--n", type=int, default=20, help="runs per draw (default 20)")
    p.add_argument("--seed", type=int, default=20200927, help="seed shared by all draws (common random numbers)")
    p.add_argument("--accept", type=float, default=0.2, help="share of draws kept (default 0.2)")
    p.add_argument("--no-adjust", action="store_true", help="plain rejection, no regression adjustment")
    p.add_argument("--executor", default="serial", help=f"one of {', '.join(EXECUTORS)}")
    p.add_argument("--name", default=None, help="scenario name of the written file (default <scenario>_calibrated)")
    p.add_argument("--targets-dir", type=Path, default=BACKTEST_DIR)
    p.add_argument("--out", type=Path, default=Path("outputs/calibration"))
    return p.parse_args(argv)


def plan(args: argparse.Namespace):
    """Episode config, targets and observed values; one-line errors before anything runs."""
    if args.executor not in EXECUTORS:
        raise CalibrationError(f"--executor: '{args.executor}' is not allowed; expected one of {', '.join(EXECUTORS)}")
    known = episodes(args.targets_dir)
    if args.episode not in known:
        raise CalibrationError(f"--episode: '{args.episode}' is unknown; expected one of {', '.join(known)}")
    ep = known[args.episode]
    targets = [find_target(ep, name) for name in args.targets]
    if args.observed:
        if len(args.observed) != len(targets):
            raise CalibrationError(f"--observed: {len(args.observed)} values for {len(targets)} targets")
        observed = list(args.observed)
    else:
        observed = []
        for t in targets:
            lo, hi = t.observed
            if lo is None or hi is None:
                raise CalibrationError(f"--observed: target {t.name} has an open observed range; give a value")
            observed.append((lo + hi) / 2)
    cfg = load_config(ep.scenario, overrides=list(ep.overrides))
    priors_of(cfg, args.params)
    return ep, cfg, targets, observed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("MESA").setLevel(logging.WARNING)
    try:
        ep, cfg, targets, observed = plan(args)
        name = args.name or f"{ep.scenario}_calibrated"
        fit = calibrate(cfg, args.params, targets, observed, draws=args.draws, n=args.n, seed=args.seed,
                        accept=args.accept, adjust=not args.no_adjust, executor=args.executor)
    except (CalibrationError, BacktestError, ConfigError) as exc:
        print(f"calibration error: {exc}", file=sys.stderr)
        return 2
    what = f"{ep.name}: " + ", ".join(f"{t.name}={v:g}" for t, v in zip(targets, observed, strict=True))
    overrides = override_strings(fit)
    load_config(ep.scenario, overrides=overrides)  # the fitted values must compose and validate
    doc = scenario_document(load_config(ep.scenario), fit, name, what)
    out = args.out
    header = f"# Fitted by python -m experiments.calibrate ({what}).\n"
    atomic_write(out / "overrides.txt", lambda tmp: Path(tmp).write_text(header + "\n".join(overrides) + "\n"))
    atomic_write(out / f"{name}.yaml", lambda tmp: Path(tmp).write_text(
        "# @package _global_\n" + header + yaml.safe_dump(doc, sort_keys=False, width=200)))
    atomic_write(out / "calibration.csv", lambda tmp: fit.table.to_csv(tmp, index=False))
    atomic_write(out / "posterior.csv", lambda tmp: fit.posterior.to_csv(tmp, index=False))
    atomic_write(out / "draws.csv", lambda tmp: fit.draws.to_csv(tmp, index=False))
    plot_calibration(fit, out / "calibration.png", what)
    print(f"ABC calibration to {what}; {args.draws} draws x n={args.n}, seed {args.seed}, accept {args.accept}")
    print(fit.table.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print("\noverrides:", " ".join(overrides))
    print(f"wrote {out}/overrides.txt, {name}.yaml, calibration.csv, posterior.csv, draws.csv, calibration.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
