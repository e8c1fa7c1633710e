"""Backtests: run the historical scenarios and compare them with the known figures.

    python -m experiments.backtest                          # all episodes, n=200
    python -m experiments.backtest --n 100 --seed 7 --episodes day_one_2020
    python -m experiments.backtest --executor processes --out outputs/backtest

Writes backtest.csv (every number), backtest.md (the table as printed) and
backtest.png (observed range against the model's median and 5-95% range) into
the output folder, and prints the table. Exit status 0 when every target the
backtest files claim passes, 1 when a claimed target fails, 2 on bad input.
"""

from __future__ import annotations

import argparse
import logging
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.analysis.calibration import read_overrides  # noqa: E402
from sim.config.loading import load_config  # noqa: E402
from sim.runs.ensemble import run_ensemble  # noqa: E402
from sim.files import atomic_write  # noqa: E402
from sim.report.markdown import markdown_table  # noqa: E402
from sim.config.schema import EXECUTORS, ConfigError  # noqa: E402
from sim.analysis.validation import (  # noqa: E402
    BACKTEST_DIR,
    BacktestError,
    Episode,
    backtest,
    claimed_failures,
    episodes,
    readable,
)

#: Okabe-Ito colours: observed band, a target inside tolerance, a target outside.
BAND, INSIDE, OUTSIDE = "#56B4E9", "#009E73", "#D55E00"


def run_backtests(chosen: list[Episode], n: int, seed: int, executor: str, workers: int | None = None,
                  extra: list[str] | None = None) -> pd.DataFrame:
    """The backtest table of the chosen episodes (one ensemble of n runs each).

    extra: overrides added to every episode's (e.g. calibrated parameter values).
    """
    tables = []
    for ep in chosen:
        cfg = load_config(ep.scenario, overrides=[*ep.overrides, *(extra or [])])
        res = run_ensemble(cfg, n=n, seed=seed, executor=executor, workers=workers)
        tables.append(backtest(ep, res.runs, res.daily))
    return pd.concat(tables, ignore_index=True)


def _panel(ax, row: pd.Series) -> None:
    """One target: observed band, model median with 5-95% bar (or share with 95% CI)."""
    ok = bool(row["passes"])
    colour, marker = (INSIDE, "o") if ok else (OUTSIDE, "X")
    if row["rule"].startswith("share_inside"):
        need = float(row["rule"].split(">=")[1])
        ax.axvspan(need, 1.0, color=BAND, alpha=0.35, lw=0)
        ax.errorbar([row["share_inside"]], [0], xerr=[[row["share_inside"] - row["share_ci_lo"]],
                                                      [row["share_ci_hi"] - row["share_inside"]]],
                    fmt=marker, color=colour, ms=8, capsize=4)
        ax.set_xlim(-0.02, 1.02)
        ax.set_xlabel("share of runs inside the observed range (95% CI)")
    else:
        lo, hi = row["observed_lo"], row["observed_hi"]
        finite = [x for x in (lo, hi, row["model_p5"], row["model_p95"]) if not np.isnan(x)]
        left, right = min(finite), max(finite)
        pad = 0.08 * (right - left) or 1.0
        left, right = left - pad, right + pad
        band_lo = left if np.isnan(lo) else lo
        band_hi = right if np.isnan(hi) else hi
        if band_hi - band_lo < 0.01 * (right - left):
            ax.axvline(band_lo, color=BAND, lw=4, alpha=0.8)
        else:
            ax.axvspan(band_lo, band_hi, color=BAND, alpha=0.35, lw=0)
        ax.errorbar([row["model_median"]], [0], xerr=[[row["model_median"] - row["model_p5"]],
                                                      [row["model_p95"] - row["model_median"]]],
                    fmt=marker, color=colour, ms=8, capsize=4)
        ax.set_xlim(left, right)
        ax.set_xlabel(row["unit"])
    verdict = "inside tolerance" if ok else "outside tolerance"
    claim = "claimed" if row["claimed"] else "not claimed"
    ax.set_title(f"{textwrap.fill(row['label'], 38)}\n{verdict} ({claim})", fontsize=9)
    ax.set_yticks([])
    ax.set_ylim(-1, 1)


def plot_backtest(table: pd.DataFrame, path: Path, n: int, seed: int) -> None:
    """A panel per target, episodes as rows; written atomically to `path`."""
    groups = list(table.groupby("episode", sort=False))
    ncols = int(table.groupby("episode").size().max())
    ncols = min(ncols, 4)
    nrows = sum(-(-len(g) // ncols) for _, g in groups)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.3 * nrows + 1.0), squeeze=False)
    r = 0
    for name, g in groups:
        for i, (_, row) in enumerate(g.iterrows()):
            ax = axes[r + i // ncols][i % ncols]
            _panel(ax, row)
            if i % ncols == 0:
                ax.set_ylabel(name, fontsize=10, fontweight="bold")
        used = len(g)
        rows_here = -(-used // ncols)
        for j in range(used, rows_here * ncols):
            axes[r + j // ncols][j % ncols].axis("off")
        r += rows_here
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=BAND, alpha=0.35, label="observed range (or required share)"),
        plt.Line2D([], [], color=INSIDE, marker="o", ls="-", label="model median, 5-95% range: inside tolerance"),
        plt.Line2D([], [], color=OUTSIDE, marker="X", ls="-", label="model median, 5-95% range: outside tolerance"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=9, frameon=False)
    fig.suptitle(f"Backtests: model ensembles against the record (n={n} runs per episode, seed {seed})", fontsize=12)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def markdown(table: pd.DataFrame) -> str:
    """A pipe table of the printed backtest table."""
    return markdown_table(readable(table)) + "\n"


def write_outputs(table: pd.DataFrame, out: Path, n: int, seed: int) -> None:
    atomic_write(out / "backtest.csv", lambda tmp: table.to_csv(tmp, index=False))
    atomic_write(out / "backtest.md", lambda tmp: Path(tmp).write_text(markdown(table)))
    plot_backtest(table, out / "backtest.png", n, seed)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m experiments.backtest", description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=200, help="runs per episode (default 200)")
    p.add_argument("--seed", type=int, default=20200927, help="ensemble seed (default 20200927)")
    p.add_argument("--executor", default="serial", help=f"one of {', '.join(EXECUTORS)} (default serial)")
    p.add_argument("--workers", type=int, default=0, help="worker processes (0 = all cores)")
    p.add_argument("--episodes", nargs="*", default=None, help="episode names (default: all in conf/backtest)")
    p.add_argument("--targets-dir", type=Path, default=BACKTEST_DIR, help="folder of backtest YAML files")
    p.add_argument("--overrides-file", type=Path, default=None,
                   help="Hydra overrides (one a line, e.g. overrides.txt of experiments.calibrate) for every episode")
    p.add_argument("--out", type=Path, default=Path("outputs/backtest"), help="output folder")
    return p.parse_args(argv)


def extra_overrides(path: Path | None) -> list[str]:
    """Overrides of an --overrides-file: one a line, '#' comments skipped."""
    if path is None:
        return []
    try:
        return read_overrides(path)
    except OSError as exc:
        raise BacktestError(f"--overrides-file: {path} cannot be read ({exc.strerror})") from exc


def check_args(args: argparse.Namespace) -> list[Episode]:
    """The chosen episodes; BacktestError (one line) on bad input, before anything runs."""
    if args.n < 1:
        raise BacktestError(f"--n: {args.n} is out of range; allowed >= 1")
    if not 0 <= args.seed < 2**63:
        raise BacktestError(f"--seed: {args.seed} is out of range; allowed [0, 2**63)")
    if args.executor not in EXECUTORS:
        raise BacktestError(f"--executor: '{args.executor}' is not allowed; expected one of {', '.join(EXECUTORS)}")
    if args.workers < 0:
        raise BacktestError(f"--workers: {args.workers} is out of range; allowed >= 0")
    if not args.targets_dir.is_dir():
        raise BacktestError(f"--targets-dir: {args.targets_dir} is not a folder")
    known = episodes(args.targets_dir)
    if not known:
        raise BacktestError(f"--targets-dir: {args.targets_dir} holds no backtest YAML files")
    chosen = args.episodes or list(known)
    for name in chosen:
        if name not in known:
            raise BacktestError(f"--episodes: '{name}' is unknown; expected one of {', '.join(known)}")
    eps = [known[name] for name in chosen]
    for ep in eps:
        load_config(ep.scenario, overrides=[*ep.overrides, *args.extra])  # bad scenario or override: fail now
    return eps


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("MESA").setLevel(logging.WARNING)
    try:
        args.extra = extra_overrides(args.overrides_file)
        chosen = check_args(args)
    except (BacktestError, ConfigError) as exc:
        print(f"backtest error: {exc}", file=sys.stderr)
        return 2
    table = run_backtests(chosen, args.n, args.seed, args.executor, args.workers or None, args.extra)
    write_outputs(table, args.out, args.n, args.seed)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 40):
        print(readable(table).to_string(index=False))
    failed = claimed_failures(table)
    with_extra = f" with {' '.join(args.extra)}" if args.extra else ""
    print(f"\nn={args.n} runs per episode, seed {args.seed}{with_extra}; "
          f"{int(table['passes'].sum())}/{len(table)} targets inside tolerance; "
          f"claimed targets failing: {', '.join(failed) if failed else 'none'}")
    print(f"wrote {args.out}/backtest.csv, backtest.md, backtest.png")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
