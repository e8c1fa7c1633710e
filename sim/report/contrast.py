"""The scenario contrast as a command runs it: every counterfactual against the baseline.

A request (experiments.contrast builds it from conf/tools/contrast.yaml) has
n, seed, executor, workers, scenarios, baseline, out and docs. `check(args)`
validates it before anything is written and composes the configs; `run_all`
runs the baseline and each scenario with the same seed (common random
numbers); `write_outputs` writes contrast.csv, contrast.md and contrast.png into
`out` and, with docs=true, the generated section of docs/scenarios.md and
docs/figures/scenario_contrast.png.

The section records a fingerprint: a digest of the outcomes of a few runs of
every scenario at the section's seed. tests/test_scenarios.py recomputes it,
so a change of the model or of conf/ that changes any scenario's results marks
the section stale (rerun `make scenarios`), while a change that moves no
number does not.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim.analysis.contrast import MEASURES, contrast_table
from sim.config.loading import CONF_DIR, load_config, scenarios
from sim.config.schema import PARAMETER_MODES, ConfigError
from sim.config.uncertainty import parameter_draws
from sim.files import atomic_write, atomic_write_text
from sim.report.configs import check_run_options
from sim.report.markdown import markdown_table

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "scenarios.md"
FIGURE = ROOT / "docs" / "figures" / "scenario_contrast.png"
TABLE = ROOT / "docs" / "figures" / "scenario_contrast.csv"  # the page reads it (sim.app.war_page)
START, END = "<!-- contrast:start -->", "<!-- contrast:end -->"
FINGERPRINT_RUNS = 4
WAR = ("duration", "territory", "military_deaths_azerbaijan", "military_deaths_armenian_side",
       "civilian_deaths_azerbaijan", "civilian_deaths_armenian_side", "displaced_armenian_side")  # fmt: skip
ENDINGS = ("max_rung", "regional_war", "settlement", "ceasefire", "capitulation", "peacekeepers", "handed_over",
           "russian_broker")  # fmt: skip


def counterfactuals(baseline: str) -> list[str]:
    """The shipped scenarios built on the baseline (`defaults: [<baseline>]` in their file)."""
    out = []
    for name in scenarios():
        text = yaml.safe_load((CONF_DIR / "scenario" / f"{name}.yaml").read_text(encoding="utf-8")) or {}
        if baseline in (text.get("defaults") or []):
            out.append(name)
    return out


def check(args: Any) -> Any:
    """Validate a request before anything runs; adds chosen (scenario names) and configs (name -> config)."""
    check_run_options(args, 2, "scenario", ConfigError)  # a paired interval needs two runs
    known = scenarios()
    if args.baseline not in known:
        raise ConfigError(f"baseline: '{args.baseline}' is unknown; expected one of {', '.join(known)}")
    allowed = counterfactuals(args.baseline)
    args.chosen = list(args.scenarios) if args.scenarios else allowed
    for name in args.chosen:
        if name not in allowed:
            raise ConfigError(
                f"scenarios: '{name}' is not a counterfactual of {args.baseline}; expected one of {', '.join(allowed)}"
            )
    if args.parameters not in PARAMETER_MODES:
        raise ConfigError(
            f"parameters: '{args.parameters}' is not allowed; expected one of {', '.join(PARAMETER_MODES)}"
        )
    if args.docs and args.parameters != "fixed":
        raise ConfigError("docs: the docs section compares fixed parameters; give parameters=fixed with docs=true")
    extra = [] if args.parameters == "fixed" else [f"ensemble.parameters={args.parameters}"]
    args.configs = {name: load_config(name, extra) for name in [args.baseline, *args.chosen]}
    if args.parameters != "fixed":
        for cfg in args.configs.values():
            parameter_draws(cfg)  # a missing posterior is one line before anything runs
    return args


def run_all(configs: dict[str, Any], n: int, seed: int, executor: str = "serial", workers: int | None = None):
    """The runs table of each scenario (first the baseline), all with the same seed."""
    from sim.runs.ensemble import run_ensemble

    return {
        name: run_ensemble(cfg, n=n, seed=seed, executor=executor, workers=workers).runs
        for name, cfg in configs.items()
    }


def expectations(configs: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {name: dict(cfg.scenario.get("expects") or {}) for name, cfg in configs.items()}


def fingerprint(configs: dict[str, Any], seed: int) -> str:
    """A digest of the outcomes of FINGERPRINT_RUNS runs of every scenario at `seed` (serial, cheap)."""
    runs = run_all(configs, FINGERPRINT_RUNS, seed)
    h = hashlib.sha256()
    for name in sorted(runs):
        h.update(name.encode())
        h.update(runs[name].drop(columns=["seed"]).round(6).to_csv(index=False).encode())
    return h.hexdigest()[:16]


def _cell(row: pd.Series, unit: str) -> str:
    scale, fmt = (100.0, "{:+.0f}") if unit == "share" else (1.0, "{:+.3g}" if unit == "rung" else "{:+,.0f}")
    text = f"{fmt.format(row.difference * scale)} ({fmt.format(row.low * scale)} to {fmt.format(row.high * scale)})"
    if row.moved:
        text = f"**{text}**"
    return text + {"yes": " ✔", "no": " ✘"}.get(row.holds, "")


def _table(table: pd.DataFrame, measures: tuple[str, ...]) -> str:
    base = table.drop_duplicates("measure").set_index("measure")["baseline"]
    means = {m: f"{base[m] * 100:.0f}%" if MEASURES[m].unit == "share" else f"{base[m]:,.3g}" for m in measures}
    rows = [{"scenario": "baseline_2020 (mean)", **means}]
    for scenario, part in table.groupby("scenario", sort=False):
        part = part.set_index("measure")
        rows.append({"scenario": f"`{scenario}`", **{m: _cell(part.loc[m], MEASURES[m].unit) for m in measures}})
    return markdown_table(pd.DataFrame(rows))


def section(table: pd.DataFrame, configs: dict[str, Any], n: int, seed: int, digest: str) -> str:
    """The generated part of docs/scenarios.md: premises, expectations, the two tables, the figure."""
    lines = [
        START,
        "",
        f"<!-- Generated by `make scenarios` (python -m experiments.contrast n={n} seed={seed} docs=true); "
        f"fingerprint {digest}. Do not edit: tests/test_scenarios.py fails when it is stale. -->",
        "",
        f"Each counterfactual against `baseline_2020`: {n} runs each, seed {seed}, replicate r of every scenario "
        "on the same random stream (common random numbers). A cell is the mean of the paired differences "
        "(scenario minus baseline) with its 95% interval (a t interval; for a share, Newcombe's paired score "
        "interval, which stays honest when few runs differ); **bold** where the interval excludes zero, ✔ where "
        "the scenario expected that move and the interval bears it out, ✘ where it expected a move the interval "
        "does not show. Shares are in percentage points. The terms compared are the peacekeepers deployed and "
        "the area handed over at the end (sim.rules.settlement).",
        "",
        "| scenario | premise | expects |",
        "| --- | --- | --- |",
    ]
    for name, cfg in configs.items():
        if name == "baseline_2020":
            continue
        want = ", ".join(f"{k} {v}" for k, v in (cfg.scenario.get("expects") or {}).items()) or "-"
        lines.append(f"| `{name}` | {cfg.scenario.get('premise') or cfg.scenario.description} | {want} |")
    lines += ["", "**The war**", "", _table(table, WAR), "", "**Escalation and endings**", "", _table(table, ENDINGS)]
    lines += ["", "![Scenario contrast](figures/scenario_contrast.png)", "", END]
    return "\n".join(lines)


def recorded(text: str) -> tuple[int, int, str] | None:
    """(n, seed, fingerprint) recorded in docs/scenarios.md's generated section, or None."""
    m = re.search(r"n=(\d+) seed=(\d+) docs=true\); fingerprint ([0-9a-f]+)", text)
    return (int(m.group(1)), int(m.group(2)), m.group(3)) if m else None


def write_outputs(table: pd.DataFrame, args: Any, digest: str | None) -> list[str]:
    """contrast.csv, contrast.md and contrast.png into `out`; with docs, the docs section and figure too."""
    import matplotlib.pyplot as plt

    from sim.plots.contrast import contrast_figure

    out = Path(args.out)
    text = section(table, args.configs, args.n, args.seed, digest or "-")
    fig = contrast_figure(table, args.n, args.seed)
    atomic_write(out / "contrast.csv", lambda tmp: table.to_csv(tmp, index=False))
    atomic_write_text(out / "contrast.md", text + "\n")
    atomic_write(out / "contrast.png", lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    written = [str(out / f) for f in ("contrast.csv", "contrast.md", "contrast.png")]
    if args.docs:
        doc = DOC.read_text(encoding="utf-8")
        if START in doc and END in doc:
            doc = doc[: doc.index(START)] + text + doc[doc.index(END) + len(END) :]
        else:
            doc = doc.rstrip("\n") + "\n\n## What each counterfactual changes\n\n" + text + "\n"
        atomic_write(FIGURE, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
        atomic_write(TABLE, lambda tmp: table.to_csv(tmp, index=False))
        atomic_write_text(DOC, doc)
        written += [str(DOC), str(FIGURE), str(TABLE)]
    plt.close(fig)
    return written


def contrast_of(args: Any) -> pd.DataFrame:
    """Run the checked request and return its contrast table."""
    runs = run_all(args.configs, args.n, args.seed, args.executor, args.workers or None)
    base = runs.pop(args.baseline)
    return contrast_table(base, runs, expectations(args.configs))
