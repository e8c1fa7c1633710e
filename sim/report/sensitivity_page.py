"""The sensitivity analysis's page (report.md): what ran, what drives each outcome (the indices with their
95% half-widths, most influential first) and where regional war and quick ceasefires concentrate (the
discovery boxes). sim.report.sensitivity runs the analysis and writes this page beside its tables."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from sim.report.markdown import markdown_table

OUTCOME_TEXT = {
    "p_rung_ge_5": "P(highest rung >= 5, war on Armenia proper)",
    "p_rung_ge_6": "P(highest rung >= 6, regional intervention)",
    "duration_days": "mean duration of the war (days)",
    "deaths": "mean deaths, military and civilian, all sides",
}
TARGET_TEXT = {
    "regional_war": "regional war: the highest rung reached 6 or more (an outside power in the war)",
    "quick_ceasefire": "quick ceasefire: the war ended in a ceasefire within 14 days",
}


def ranked(indices: pd.DataFrame, outcome: str, params: list[str]) -> list[str]:
    """Parameters by their main index for `outcome` (ST or mu*), or as given if it was not computed."""
    t = indices[(indices["outcome"] == outcome) & indices["index"].isin(["ST", "mu_star"])]
    return t.sort_values("value", ascending=False)["parameter"].tolist() if len(t) else list(params)


def _ci(value: float, conf: float) -> str:
    return f"{value:.3f}" if np.isnan(conf) else f"{value:.3f} ± {conf:.3f}"


def index_table(indices: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One row per parameter, most influential first, with each index and its 95% half-width."""
    t = indices[indices["outcome"] == outcome]
    kinds = [k for k in ("S1", "ST", "mu_star", "sigma") if k in set(t["index"])]
    main = "ST" if "ST" in kinds else "mu_star"
    rows = []
    for p in ranked(indices, outcome, []):
        v = t[t["parameter"] == p].set_index("index")
        row = {"parameter": p.removesuffix(".value")}
        row.update({k: _ci(v.loc[k, "value"], v.loc[k, "conf"]) for k in kinds})
        row["clear of zero"] = "yes" if v.loc[main, "value"] - v.loc[main, "conf"] > 0 else "no"
        rows.append(row)
    return pd.DataFrame(rows)


def report(args, result, boxes: pd.DataFrame, count: str) -> str:
    """A short page: what ran, what drives each outcome, where regional war and quick ceasefires concentrate."""
    from sim.analysis.discovery import TARGETS

    git = json.loads((args.out / "provenance.json").read_text()).get("git", {})
    sc = args.cfg.scenario
    points = len(result.points)
    lines = [
        f"# Sensitivity and scenario discovery: {sc.name}",
        "",
        f"Scenario {sc.name}: {sc.description}. Horizon {sc.horizon_days} days"
        + (f"; overrides {' '.join(args.overrides)}" if args.overrides else "")
        + ".",
        "",
        f"{count} (seed {args.seed}); {len(result.runs)} runs completed.",
        "",
        f"Command: `{args.command}`",
        "",
        f"Git commit when the runs began: {git.get('commit') or 'unknown'}"
        + (" (with uncommitted changes to sim/, conf/ or experiments/)" if git.get("dirty") else ""),
        "",
        "## What drives each outcome",
        "",
        (
            "Sobol S1 is the share of the outcome's variance over the sampled ranges that a parameter explains "
            "alone; ST adds its interactions with the others. "
            if args.method == "sobol"
            else "Morris mu* is the mean absolute change of the outcome when the parameter moves one grid step, in the "
            "outcome's units (a screening: it ranks, it does not apportion variance); a large sigma means "
            "interactions or non-linearity. "
        )
        + f"Each point's outcome is estimated from {args.replicates} runs, so Monte Carlo noise sets a floor: "
        "an index whose 95% interval (±) reaches zero is not distinguishable from no effect.",
        "",
    ]
    for outcome in args.outcomes:
        y = result.outcomes[outcome]
        constant = " It is constant, so there is no variance to apportion (indices 0)." if np.ptp(y) == 0 else ""
        lines += [
            f"### {OUTCOME_TEXT[outcome]}",
            "",
            f"Across the {points} points: mean {y.mean():.3g}, range {y.min():.3g} to {y.max():.3g}.{constant}",
            "",
            markdown_table(index_table(result.indices, outcome)),
            "",
            f"![{outcome}](sensitivity_{outcome}.png)",
            "",
        ]
    lines += [
        "## Scenario discovery",
        "",
        "A shallow decision tree (CART, scikit-learn) is fitted to every run, with the sampled parameters as "
        "features. A box is a region of parameter space where the outcome concentrates. Coverage: the share "
        "of all runs with the outcome that fall in the box. Density: the share of the box's runs that have "
        "it (95% Wilson interval); compare it with the share among all runs.",
        "",
    ]
    for target, text in TARGET_TEXT.items():
        b = boxes[boxes["target"] == target]
        share = float(b["share_all_runs"].iloc[0]) if len(b) else np.nan
        lines += [f"### {text}", ""]
        if b.empty:
            hits = int(TARGETS[target](result.runs).sum())
            lines += [
                f"No box: {hits} of {len(result.runs)} runs have the outcome, and the tree found no region "
                "where it concentrates.",
                f"![{target}](discovery_{target}.png)",
                "",
            ]
            continue
        shown = b.head(3).assign(
            coverage=b["coverage"].round(2),
            density=[
                f"{d:.2f} ({lo:.2f}-{hi:.2f})"
                for d, lo, hi in zip(b["density"], b["density_low"], b["density_high"], strict=True)
            ][:3],
        )
        lines += [
            f"Share among all runs: {share:.2f}.",
            "",
            markdown_table(shown[["rule", "runs", "hits", "coverage", "density"]]),
            "",
            f"![{target}](discovery_{target}.png)",
            "",
        ]
    lines += [
        "## Files",
        "",
        "indices.csv / indices.parquet (outcome, parameter, index, value, conf: 95% half-width), "
        "points.csv (the sample and each point's outcomes), runs.parquet (one row per run), discovery.csv "
        "(CART boxes), prim.csv (PRIM's peeling per target), config.yaml (resolved config), provenance.json, design/ "
        "(the streamed runs and daily tables; a rerun of the command resumes there).",
        "",
    ]
    return "\n".join(lines) + "\n"
