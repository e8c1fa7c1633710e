"""Calibration as a command runs it: check a request, run ABC-SMC (resumable), write the posterior and its checks.

A request (experiments.calibrate builds it from conf/tools/calibrate.yaml) has
the attributes episodes, params, population, generations, n, seed, executor,
workers, min_acceptance, predictive_n, targets_dir and out. `check(args)`
validates it before anything runs (one line naming the key); `fit(args)` runs
pyabc's ABC-SMC with its database in `out/history.db`, resuming a killed
calibration from its last finished population; `write_outputs` writes
posterior.parquet (what `ensemble.parameters=posterior` reads),
calibration.csv, prior_posterior.png and the posterior predictive check
(predictive_check.csv/.png: every target, fit and check, against the
calibrated model's 5-95% range).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim.analysis.calibration import (
    CalibrationError,
    EpisodeSimulator,
    Prior,
    distance,
    fit_targets,
    posterior_table,
    priors_of,
    summary_table,
)
from sim.analysis.validation import backtest
from sim.config.loading import load_config
from sim.config.schema import EXECUTORS
from sim.files import atomic_write
from sim.report.markdown import markdown_table
from sim.runs.runner import digest

#: The settings that define a calibration: a resumed one must have the same.
DEFINING = ("episodes", "params", "population", "n", "seed", "targets_dir")


def check(args: Any) -> Any:
    """Validate a request before anything runs; adds `priors` (one per parameter) to args."""
    if args.executor not in EXECUTORS:
        raise CalibrationError(f"executor: '{args.executor}' is not allowed; expected one of {', '.join(EXECUTORS)}")
    for key, low, high in (
        ("population", 4, 100_000),
        ("generations", 1, 1_000),
        ("n", 1, 100_000),
        ("predictive_n", 0, 1_000_000),
        ("workers", 0, 4096),
    ):
        value = getattr(args, key)
        if not low <= value <= high:
            raise CalibrationError(f"{key}: {value} is out of range; allowed [{low}, {high}]")
    if not 0.0 <= args.min_acceptance < 1.0:
        raise CalibrationError(f"min_acceptance: {args.min_acceptance} is out of range; allowed [0, 1)")
    if not 0 <= args.seed < 2**32:
        raise CalibrationError(f"seed: {args.seed} is out of range; allowed [0, 2**32)")
    if args.targets_dir and not Path(args.targets_dir).is_dir():
        raise CalibrationError(f"targets_dir: {args.targets_dir} is not a folder")
    if getattr(args, "docs", False) and not args.predictive_n:
        raise CalibrationError("docs: the docs section needs the predictive check; give predictive_n > 0")
    if not args.params:
        raise CalibrationError("params: give at least one parameter to fit, e.g. params=[combat.attrition_rate]")
    fits = fit_targets(list(args.episodes), args.targets_dir)
    priors = None
    for episode, _ in fits:
        try:
            mine = priors_of(load_config(episode.scenario, episode.overrides), list(args.params))
        except CalibrationError as exc:
            raise CalibrationError(f"params: {exc} (episode {episode.name})") from None
        priors = priors or mine
    args.priors = priors
    return args


def _settings(args: Any) -> dict:
    """What defines a calibration: the request's settings and the model it fits (`model_fingerprint`)."""
    settings = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k in DEFINING for v in [getattr(args, k)]}
    return {**settings, "model": model_fingerprint(args)}


def model_fingerprint(args: Any) -> str:
    """A digest of the model a calibration fits: the model's and the rules' code, and the config of each episode.

    A calibration folder resumes only the fit of the same model: after the mechanics or conf/ change, its
    populations describe another model, so the rerun is refused (remove the folder), never continued.
    """
    import sim.model
    import sim.rules

    code = [
        hashlib.sha256(f.read_bytes()).hexdigest()
        for pkg in (sim.model, sim.rules)
        for f in sorted(Path(next(iter(pkg.__path__))).glob("*.py"))
    ]
    configs = [
        OmegaConf.to_container(load_config(ep.scenario, ep.overrides), resolve=True)
        for ep, _ in fit_targets(list(args.episodes), args.targets_dir)
    ]
    return digest({"code": code, "configs": configs})


def _sampler(args: Any) -> Any:
    """pyabc's sampler on the project's executor: single-core, or futures on processes or Ray."""
    import pyabc

    from sim.runs.executors import make_executor

    executor = make_executor(args.executor, args.workers or None)
    pool = executor.futures()
    if pool is None:
        return pyabc.sampler.SingleCoreSampler()
    return pyabc.sampler.ConcurrentFutureSampler(pool, client_max_jobs=2 * executor.workers)


def fit(args: Any) -> tuple[list[Prior], pd.DataFrame, int]:
    """Run (or resume) the ABC-SMC; returns the priors, the posterior table and the generations done.

    The database `out/history.db` holds every finished population; `out/request.json`
    its settings. A request with the same settings continues where the last one
    stopped (a kill loses at most the population being sampled); different
    settings in the same folder are refused, never mixed.
    """
    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db, request = out / "history.db", out / "request.json"
    settings = _settings(args)
    priors: list[Prior] = args.priors
    prior = pyabc.Distribution(**{p.name: p.rv() for p in priors})
    model = EpisodeSimulator(tuple(args.episodes), int(args.n), int(args.seed), args.targets_dir)
    abc = pyabc.ABCSMC(model, prior, distance, population_size=int(args.population), sampler=_sampler(args))
    np.random.seed(args.seed)  # pyabc draws from numpy's global stream: a serial calibration repeats exactly
    found = _found(request, db)
    if found is not None and found["settings"] != settings:
        changed = [k for k in settings if found["settings"].get(k) != settings[k]]
        raise CalibrationError(
            f"out: {out} holds a calibration with other {', '.join(changed)}; give another out= or remove the folder"
        )
    if found is None:
        for stale in (db, request):
            stale.unlink(missing_ok=True)
        history = abc.new(f"sqlite:///{db}", {name: 0.0 for name in _target_names(args)})
        atomic_write(request, lambda tmp: Path(tmp).write_text(json.dumps({"settings": settings, "id": history.id})))
        done = 0
    else:
        try:
            history = abc.load(f"sqlite:///{db}", found["id"])
            done = history.max_t + 1
        except Exception as exc:  # noqa: BLE001 - any unreadable database is the same one-line error
            raise CalibrationError(f"out: {db} {DAMAGED} ({type(exc).__name__})") from None
        print(f"{out}: resuming after {done} finished population(s)")
    if done < args.generations:
        history = abc.run(max_nr_populations=args.generations - done, min_acceptance_rate=args.min_acceptance)
    particles, weights = history.get_distribution(m=0, t=history.max_t)
    return priors, posterior_table(priors, particles, weights), history.max_t + 1


DAMAGED = "cannot be read as the calibration's database; remove the folder (or give another out=) and rerun"


def _found(request: Path, db: Path) -> dict | None:
    """The settings and run id an earlier calibration left in `out`, or None when it left none."""
    if not (request.is_file() and db.is_file()):
        return None
    try:
        found = json.loads(request.read_text())
        return {"settings": dict(found["settings"]), "id": int(found["id"])}
    except (ValueError, KeyError, TypeError):
        raise CalibrationError(f"out: {request} {DAMAGED}") from None


def _target_names(args: Any) -> list[str]:
    return [
        f"{ep.name}/{t.name}" for ep, targets in fit_targets(list(args.episodes), args.targets_dir) for t in targets
    ]


def predictive_check(args: Any, posterior_file: Path) -> pd.DataFrame:
    """Every backtest target (fit and check) against the calibrated model: the posterior predictive ensemble.

    Each episode runs `predictive_n` replicates with `ensemble.parameters=posterior`
    (the fitted parameters from the posterior, the others at their declared values).
    """
    from sim.analysis.validation import episodes
    from sim.runs.ensemble import run_ensemble

    tables = []
    known = episodes(Path(args.targets_dir)) if args.targets_dir else episodes()
    for ep in known.values():
        cfg = load_config(
            ep.scenario, [*ep.overrides, "ensemble.parameters=posterior", f"ensemble.posterior={posterior_file}"]
        )
        res = run_ensemble(
            cfg, n=args.predictive_n, seed=args.seed, executor=args.executor, workers=args.workers or None
        )
        tables.append(backtest(ep, res.runs, res.daily))
    return pd.concat(tables, ignore_index=True)


def write_outputs(args: Any, priors: list[Prior], posterior: pd.DataFrame, generations: int) -> list[str]:
    """posterior.parquet, calibration.csv, prior_posterior.png and the predictive check, each written atomically."""
    import matplotlib.pyplot as plt

    from sim.plots.calibration import predictive_check_figure, prior_posterior_figure

    out = Path(args.out)
    atomic_write(out / "posterior.parquet", lambda tmp: posterior.to_parquet(tmp, index=False))
    table = summary_table(priors, posterior)
    atomic_write(out / "calibration.csv", lambda tmp: table.to_csv(tmp, index=False))
    what = (
        f"{', '.join(args.episodes)} (fit targets): {generations} populations of {args.population} particles, "
        f"{args.n} runs per particle and episode"
    )
    fig = prior_posterior_figure(priors, posterior, what)
    atomic_write(out / "prior_posterior.png", lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)
    written = ["posterior.parquet", "calibration.csv", "prior_posterior.png"]
    if args.predictive_n:
        check_table = predictive_check(args, out / "posterior.parquet")
        atomic_write(out / "predictive_check.csv", lambda tmp: check_table.to_csv(tmp, index=False))
        fig = predictive_check_figure(check_table, f"n={args.predictive_n} runs per episode")
        atomic_write(out / "predictive_check.png", lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
        plt.close(fig)
        written += ["predictive_check.csv", "predictive_check.png"]
    return written


#: docs/validation.md's section written by `make calibrate` (docs=true), between these markers.
#: What the predictive check's colours say (sim.plots.backtest.verdict_of), under the figure.
PREDICTIVE_KEY = (
    "Green: the model's median lies inside the record; orange: the runs' 5-95% range meets the record "
    "but the median lies outside it (the overlap rule passes, only just); vermillion: outside tolerance. "
    "Each panel's title gives the share of runs inside the record."
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "validation.md"
START, END = "<!-- calibration:start -->", "<!-- calibration:end -->"


def docs_section(args: Any, table: pd.DataFrame, check_table: pd.DataFrame, generations: int) -> str:
    """The generated part of docs/validation.md: the scores (check set first), every target, the posterior."""
    from sim.analysis.validation import readable

    shown = readable(pd.concat([check_table[check_table["use"] == "check"], check_table[check_table["use"] == "fit"]]))
    posterior = table.assign(
        **{
            "posterior 5-95%": [
                f"[{a:.4g}, {b:.4g}]" for a, b in zip(table["posterior_p5"], table["posterior_p95"], strict=True)
            ]
        }
    )[["parameter", "declared", "range_lo", "range_hi", "posterior_median", "posterior 5-95%"]]
    lines = [
        START,
        "",
        f"<!-- Generated by `make calibrate` (python -m experiments.calibrate docs=true): {generations} populations "
        f"of {args.population}, n={args.n}, seed {args.seed}. Do not edit; rerun the command. -->",
        "",
        f"**{scores(check_table)}** (the check set is held out of the fit; `use:` in conf/backtest).",
        "",
        f"The calibrated model (`ensemble.parameters=posterior`: the fitted parameters from the posterior, "
        f"the rest at their declared values), {args.predictive_n} runs per episode, against every target:",
        "",
        markdown_table(shown),
        "",
        f"The posterior of the {len(table)} fitted parameters (ABC-SMC to the fit targets of "
        f"{', '.join(args.episodes)}; docs/uncertainty.md):",
        "",
        markdown_table(posterior.round(4)),
        "",
        "![Posterior predictive check](figures/predictive_check.png)",
        "",
        PREDICTIVE_KEY,
        "",
        "![Prior against posterior](figures/prior_posterior.png)",
        "",
        END,
    ]
    return "\n".join(lines)


def write_docs(args: Any, generations: int) -> list[str]:
    """docs/validation.md's calibration section and its two figures, from the files `write_outputs` wrote."""
    out = Path(args.out)
    table = pd.read_csv(out / "calibration.csv")
    check_table = pd.read_csv(out / "predictive_check.csv")
    text = docs_section(args, table, check_table, generations)
    doc = DOC.read_text(encoding="utf-8")
    if START in doc and END in doc:
        doc = doc[: doc.index(START)] + text + doc[doc.index(END) + len(END) :]
    else:
        doc = doc.rstrip("\n") + "\n\n## Fit and check: the calibrated model\n\n" + text + "\n"
    figures = DOC.parent / "figures"
    figures.mkdir(exist_ok=True)
    for name in ("predictive_check.png", "prior_posterior.png"):
        shutil.copyfile(out / name, figures / f".{name}.tmp")
        (figures / f".{name}.tmp").replace(figures / name)  # a rename: the figure appears whole
    atomic_write(DOC, lambda tmp: Path(tmp).write_text(doc, encoding="utf-8"))
    return [str(DOC), str(figures / "predictive_check.png"), str(figures / "prior_posterior.png")]


def scores(check_table: pd.DataFrame) -> str:
    """'check set: a of b inside tolerance; fit set: c of d' (the held-out score first)."""
    parts = []
    for use in ("check", "fit"):
        part = check_table[check_table["use"] == use]
        parts.append(f"{use} set: {int(part['passes'].sum())} of {len(part)} targets inside tolerance")
    return "; ".join(parts)
