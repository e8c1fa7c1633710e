"""Global sensitivity (Sobol or Morris) and scenario discovery as a command runs it: checks, the run, the report.

`check_args(args)` validates a request (scenario, overrides, method, params, base,
levels, second_order, replicates, outcomes, seed, executor, workers, max_runs,
out: the keys of conf/tools/sensitivity.yaml) before anything is written; `start(args)` marks the output folder;
`analyse(args)` samples and runs the design (streamed to <out>/design, resumable);
`write_outputs(args, result)` writes the tables, figures and report.md (its text: sim.report.sensitivity_page).
experiments.sensitivity is the command line (a Hydra app) over it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf

from sim.analysis.discovery import prim_table
from sim.analysis.sensitivity import OUTCOMES, calibrated_ranges, run_count
from sim.config.loading import load_config, scenarios
from sim.config.schema import EXECUTORS, ConfigError, design_ranges
from sim.files import atomic_write
from sim.report.sensitivity_page import OUTCOME_TEXT, ranked, report

METHODS = ("sobol", "morris")
#: Written first into the output folder; a rerun with the same design resumes, any other design is refused.
MARKER = "sensitivity.json"

#: The default parameters: the levers the design brief names as drivers of escalation, each with a
#: wide declared range (a judgement from quotes, not a measured number). In a Morris screening of
#: 17 candidates over baseline_2020 (docs/sensitivity.md) six ranked in the top four for at least
#: one outcome and Turkey's intervention cost fifth; Turkish resolve ranked ninth but is the lever
#: the scenarios and notebooks ask about, so its (small) index is worth showing.
DEFAULT_PARAMS = [
    "powers.russia.intervention_cost.value",
    "powers.turkey.intervention_cost.value",
    "powers.turkey.resolve.value",
    "mediator.strength.value",
    "mediator.ceasefire_durability.value",
    "diplomacy.ceasefire_value.value",
    "combat.advance_rate.value",
    "belligerents.azerbaijan.decision_temperature.value",
]
DEFAULT_BASE = {"sobol": 32, "morris": 10}


class InputError(ValueError):
    """Bad command-line input; the message is one line naming the key and what is allowed."""


def resolve_params(names: list[str] | None, ranges: dict) -> list[str]:
    """Dotted keys of the sampled parameters; '.value' (or '.weight' of a tie) may be left off."""
    if names is None:
        return list(DEFAULT_PARAMS)
    if names == ["all"]:
        return list(ranges)
    out = []
    for name in names:
        key = next((k for k in (name, f"{name}.value", f"{name}.weight") if k in ranges), None)
        if key is None:
            raise InputError(
                f"params: '{name}' is not a sampled parameter; expected [all] or <param>[.value] of a "
                "sourced parameter (e.g. powers.turkey.resolve) or ties.<name>[.weight] "
                "(docs/parameters.md lists them)"
            )
        if key in out:
            raise InputError(f"params: '{name}' is given twice")
        out.append(key)
    if len(out) < 2:
        raise InputError("params: a sensitivity analysis needs at least two parameters")
    return out


#: Where a sensitivity analysis takes its ranges from: as declared, or narrowed by the calibration.
RANGE_SOURCES = ("declared", "posterior")


def check_args(args: Any) -> Any:
    """Validate everything before anything is written; adds cfg, params, base, runs to args."""
    if args.method not in METHODS:
        raise InputError(f"method: '{args.method}' is not allowed; expected one of {', '.join(METHODS)}")
    bad = [o for o in args.outcomes if o not in OUTCOMES]
    if bad:
        raise InputError(f"outcomes: '{bad[0]}' is unknown; expected any of {', '.join(OUTCOMES)}")
    if args.scenario not in scenarios():
        raise InputError(f"scenario: '{args.scenario}' is unknown; expected one of {', '.join(scenarios())}")
    if args.executor is not None and args.executor not in EXECUTORS:
        raise InputError(f"executor: '{args.executor}' is not allowed; expected one of {', '.join(EXECUTORS)}")
    for name, value, low in (
        ("replicates", args.replicates, 1),
        ("workers", args.workers, 0),
        ("max_runs", args.max_runs, 1),
    ):
        if value < low:
            raise InputError(f"{name}: {value} is out of range; allowed >= {low}")
    if not 0 <= args.seed < 2**32:
        raise InputError(f"seed: {args.seed} is out of range; allowed [0, 2**32)")
    args.base = DEFAULT_BASE[args.method] if args.base is None else args.base
    if args.method == "sobol" and (args.base < 2 or args.base & (args.base - 1)):
        raise InputError(f"base: {args.base} is not allowed for Sobol; expected a power of two >= 2")
    if args.method == "morris" and args.base < 2:
        raise InputError(f"base: {args.base} trajectories is out of range; allowed >= 2")
    if args.levels < 2 or args.levels % 2:  # Morris's grid; refused under Sobol too, as any bad value is
        raise InputError(f"levels: {args.levels} is not allowed; expected an even number >= 2")
    if args.second_order and args.method != "sobol":
        raise InputError("second_order: only Sobol has second-order indices; set second_order=false or method=sobol")
    try:
        args.cfg = load_config(args.scenario, args.overrides)
    except ConfigError as exc:
        raise ConfigError(f"overrides: {exc}" if args.overrides else str(exc)) from exc
    args.params = resolve_params(args.params, design_ranges(args.cfg))
    if args.ranges not in RANGE_SOURCES:
        raise InputError(f"ranges: '{args.ranges}' is not allowed; expected one of {', '.join(RANGE_SOURCES)}")
    posterior = str(args.cfg.ensemble.posterior)
    args.ranges_used = calibrated_ranges(args.cfg, posterior) if args.ranges == "posterior" else None
    args.runs = run_count(args.method, len(args.params), args.base, args.replicates, args.second_order)
    if args.runs > args.max_runs:
        raise InputError(
            f"max_runs: this design needs {args.runs} runs, above the limit of {args.max_runs}; "
            "lower base, replicates or params, or raise max_runs"
        )
    check_out(args)
    return args


def design_record(args: Any) -> dict:
    """What fixes the runs and indices (not how they are executed): a rerun must match it to resume."""
    return {
        "scenario": args.scenario,
        "overrides": list(args.overrides),
        "method": args.method,
        "params": args.params,
        "base": args.base,
        "levels": args.levels,
        "second_order": args.second_order,
        "replicates": args.replicates,
        "seed": args.seed,
        "ranges": {k: list(v) for k, v in (args.ranges_used or {}).items() if k in args.params},
    }


def check_out(args: Any) -> None:
    """A new or empty folder, or one this command wrote for the same design (then it resumes)."""
    out = args.out
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(f"out: {out} is a file; give a new or empty folder")
    if not any(out.iterdir()):
        return
    marker = out / MARKER
    if not marker.exists():
        raise InputError(
            f"out: {out} holds other files; give a new or empty folder, or a previous output folder of this command"
        )
    found = json.loads(marker.read_text())
    diff = [k for k, v in design_record(args).items() if found.get(k) != v]
    if diff:
        raise InputError(
            f"out: {out} holds a different design ({', '.join(diff)} differ); rerun with the same "
            "settings to resume, or give another folder"
        )


def count_line(args: Any) -> str:
    k, n, r = len(args.params), args.base, args.replicates
    if args.method == "sobol":
        shape = f"{n} x (2*{k} + 2)" if args.second_order else f"{n} x ({k} + 2)"
    else:
        shape = f"{n} trajectories x ({k} + 1)"
    points = args.runs // r
    return f"{args.method} over {k} parameters: {shape} = {points} points x {r} replicates = {args.runs} runs"


def analyse(args: Any):
    """Sample, run (streamed to <out>/design, resumable) and compute the indices."""
    from sim.analysis.sensitivity import morris, sobol

    common = {
        "replicates": args.replicates,
        "seed": args.seed,
        "executor": args.executor,
        "outcomes": {k: OUTCOMES[k] for k in args.outcomes},
        "progress": True,
        "workers": args.workers or None,
        "out": args.out / "design",
        "ranges": args.ranges_used,
    }
    if args.method == "sobol":
        return sobol(args.cfg, args.params, base=args.base, second_order=args.second_order, **common)
    return morris(args.cfg, args.params, trajectories=args.base, levels=args.levels, **common)


def discovery_table(runs: pd.DataFrame, params: list[str], seed: int) -> pd.DataFrame:
    """CART boxes of every target with coverage, density and its 95% Wilson interval, and the base rate."""
    from sim.analysis.discovery import TARGETS, discover
    from sim.analysis.stats import proportion, wilson

    tables = []
    for target, flag_of in TARGETS.items():
        boxes = discover(runs, params, target, seed=seed)
        share = proportion(flag_of(runs))
        dens = [wilson(int(b.hits), int(b.runs)) for b in boxes.itertuples()]
        boxes.insert(0, "target", target)
        boxes.insert(6, "density_low", [d.low for d in dens])
        boxes.insert(7, "density_high", [d.high for d in dens])
        boxes.insert(8, "share_all_runs", share.value)
        tables.append(boxes)
    return pd.concat(tables, ignore_index=True)


def _save_figure(fig, stem: Path) -> list[str]:
    import matplotlib.pyplot as plt

    def saver(fmt: str):
        return lambda tmp: fig.savefig(tmp, format=fmt, dpi=120)

    for fmt in ("png", "svg"):
        atomic_write(stem.with_suffix(f".{fmt}"), saver(fmt))
    plt.close(fig)
    return [f"{stem.name}.png", f"{stem.name}.svg"]


def write_outputs(args, result) -> list[str]:
    """Every table, figure and the report, each written atomically."""
    from sim.analysis.discovery import TARGETS
    from sim.plots.discovery import discovery_box
    from sim.plots.sensitivity import sensitivity_bars
    from sim.runs.provenance import META_PREFIX, read_file_metadata
    from sim.runs.results import write_parquet

    out, written = args.out, []
    design = out / "design" / "runs.parquet"
    meta = {META_PREFIX + k: v for k, v in read_file_metadata(design).items()} if design.exists() else {}

    def table(df: pd.DataFrame, name: str) -> None:
        if name.endswith(".csv"):
            atomic_write(out / name, lambda tmp: df.to_csv(tmp, index=False))
        else:  # with the design's provenance (sim.runs.provenance), like every table the runs write
            write_parquet(df, out / name, meta)
        written.append(name)

    table(result.indices, "indices.csv")
    table(result.indices, "indices.parquet")
    table(result.points.join(result.outcomes).rename_axis("point_id").reset_index(), "points.csv")
    table(result.runs, "runs.parquet")
    for outcome in args.outcomes:
        fig = sensitivity_bars(
            result.indices,
            outcome,
            title=f"What drives {OUTCOME_TEXT[outcome]}\n{args.method.capitalize()} indices from "
            f"{len(result.runs)} runs, seed {args.seed}",
        )
        written += _save_figure(fig, out / f"sensitivity_{outcome}")
    boxes = discovery_table(result.runs, args.params, args.seed)
    table(boxes, "discovery.csv")
    table(prim_table(result.runs, args.params), "prim.csv")
    ranges = args.ranges_used or design_ranges(args.cfg)
    shipped = {p: float(OmegaConf.select(args.cfg, p)) for p in args.params}
    for target, related in (("regional_war", "p_rung_ge_6"), ("quick_ceasefire", "duration_days")):
        order = ranked(result.indices, related, args.params)
        fig = discovery_box(
            result.runs,
            boxes[boxes["target"] == target].reset_index(drop=True),
            order,
            TARGETS[target](result.runs),
            ranges,
            target.replace("_", " "),
            scenario_values=shipped,
        )
        written += _save_figure(fig, out / f"discovery_{target}")
    atomic_write(out / "config.yaml", lambda tmp: Path(tmp).write_text(OmegaConf.to_yaml(args.cfg, resolve=True)))
    atomic_write(out / "report.md", lambda tmp: Path(tmp).write_text(report(args, result, boxes, count_line(args))))
    return written + ["config.yaml", "report.md"]


def start(args: Any) -> None:
    """Mark the output folder with the design (a rerun resumes only the same one) and keep the first provenance."""
    args.out.mkdir(parents=True, exist_ok=True)
    atomic_write(args.out / MARKER, lambda tmp: Path(tmp).write_text(json.dumps(design_record(args), indent=1)))
    if not (args.out / "provenance.json").exists():  # kept from the first attempt: the code the runs began with
        from sim.runs.provenance import provenance

        atomic_write(args.out / "provenance.json", lambda tmp: Path(tmp).write_text(json.dumps(provenance(), indent=1)))
