"""Scenario discovery: which parameter regions lead to an outcome of interest (CART and PRIM).

Two methods, because exploratory modellers use both and they answer differently:

- CART (`discover`, scikit-learn): a shallow decision tree is fitted to sampled runs
  (features: the design's parameter columns; label: e.g. highest rung >= 6, or an early
  ceasefire). Each leaf the tree labels as the outcome is a box; several boxes may cover
  the outcome between them.
- PRIM (`prim`, the Patient Rule Induction Method of Friedman and Fisher, 1999, as the
  EMA Workbench and the scenario-discovery literature use it): one box, peeled from the
  whole sampled space a small share of runs at a time, always where that raises the
  density most. The peeling trajectory is the trade-off between the two numbers below,
  for the analyst to choose on; the densest box that keeps `min_coverage` is marked.

Every box is a conjunction of parameter bounds reported with the two numbers of scenario
discovery: coverage, the share of all runs with the outcome that fall in the box; and
density, the share of runs in the box that have the outcome.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.outputs import DISCOVERY_TARGETS

#: Outcomes analysts ask about most; each maps the runs table to one flag per run (declared in sim.outputs).
TARGETS = {m.name: m.of for m in DISCOVERY_TARGETS}


def discover(
    runs: pd.DataFrame, params: list[str], target, max_depth: int = 3, min_leaf: float = 0.05, seed: int = 0
) -> pd.DataFrame:
    """Boxes (rules) where `target` concentrates, with coverage, density and runs in each.

    target: a boolean Series aligned with runs, or a key of TARGETS;
    min_leaf: the smallest box as a share of all runs (keeps boxes meaningful).
    Returns one row per box, densest first: rule (readable), bounds per parameter
    (low/high columns), runs, hits, coverage, density.
    """
    missing = [p for p in params if p not in runs]
    if missing:
        raise ValueError(f"params: column(s) {', '.join(missing)} are not in the runs table")
    y = np.asarray(TARGETS[target](runs) if isinstance(target, str) else target, dtype=bool)
    if len(y) != len(runs):
        raise ValueError(f"target: {len(y)} flags for {len(runs)} runs")
    x = runs[params].to_numpy(dtype=float)
    from sklearn.tree import DecisionTreeClassifier  # here: scikit-learn takes ~1 s to import

    tree = DecisionTreeClassifier(
        max_depth=max_depth,
        min_samples_leaf=max(1, int(min_leaf * len(runs))),
        class_weight="balanced",
        random_state=seed,
    ).fit(x, y)
    t = tree.tree_
    total_hits = int(y.sum())
    leaves = tree.apply(x)
    rows = []

    def positive(node: int) -> bool:
        """Every leaf under `node` predicts the outcome (then the node is one box, not several)."""
        if t.children_left[node] == -1:
            return bool(tree.classes_[int(np.argmax(t.value[node][0]))])
        return positive(t.children_left[node]) and positive(t.children_right[node])

    def walk(node: int, bounds: dict) -> None:
        if positive(node):
            inside = np.isin(leaves, _leaves_under(t, node))
            rows.append((bounds, int(inside.sum()), int(y[inside].sum())))
            return
        if t.children_left[node] == -1:
            return
        name, cut = params[t.feature[node]], float(t.threshold[node])
        lo, hi = bounds.get(name, (-np.inf, np.inf))
        walk(t.children_left[node], {**bounds, name: (lo, min(hi, cut))})
        walk(t.children_right[node], {**bounds, name: (max(lo, cut), hi)})

    walk(0, {})
    out = []
    for bounds, n_in, hits in rows:
        rule = " and ".join(_clause(p, *bounds[p]) for p in params if p in bounds) or "everywhere"
        row = {
            "rule": rule,
            "runs": n_in,
            "hits": hits,
            "coverage": hits / total_hits if total_hits else np.nan,
            "density": hits / n_in if n_in else np.nan,
        }
        for p in params:
            lo, hi = bounds.get(p, (-np.inf, np.inf))
            row[f"{p} low"], row[f"{p} high"] = lo, hi
        out.append(row)
    cols = ["rule", "runs", "hits", "coverage", "density"] + [f"{p} {s}" for p in params for s in ("low", "high")]
    return pd.DataFrame(out, columns=cols).sort_values("density", ascending=False).reset_index(drop=True)


def prim(
    runs: pd.DataFrame,
    params: list[str],
    target,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """PRIM's peeling trajectory for `target`: one row per box, from the whole sampled space inwards.

    Each step removes, from the bottom or the top of one parameter, the `alpha` share of the
    box's runs whose removal leaves the highest density, until the box would hold fewer
    than `min_mass` of all runs or no peel raises the density. Bounds are inclusive (low <= x
    <= high; an unrestricted side is -inf or inf). Columns: step, rule, runs, hits, coverage,
    density, mass, chosen (the densest box with coverage >= min_coverage), the bounds.
    """
    missing = [p for p in params if p not in runs]
    if missing:
        raise ValueError(f"params: column(s) {', '.join(missing)} are not in the runs table")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha: {alpha} is out of range; allowed (0, 0.5)")
    y = np.asarray(TARGETS[target](runs) if isinstance(target, str) else target, dtype=bool)
    if len(y) != len(runs):
        raise ValueError(f"target: {len(y)} flags for {len(runs)} runs")
    x = runs[params].to_numpy(dtype=float)
    inside = np.ones(len(y), dtype=bool)
    bounds = {p: [-np.inf, np.inf] for p in params}
    total_hits, trajectory = int(y.sum()), []

    def record() -> None:
        n_in, hits = int(inside.sum()), int(y[inside].sum())
        trajectory.append((dict((p, tuple(b)) for p, b in bounds.items()), n_in, hits))

    record()
    while True:
        best = None
        for j, p in enumerate(params):
            values = x[inside, j]
            for side, cut in ((0, np.quantile(values, alpha)), (1, np.quantile(values, 1 - alpha))):
                keep = inside & ((x[:, j] >= cut) if side == 0 else (x[:, j] <= cut))
                peeled = int(inside.sum() - keep.sum())
                if peeled == 0 or keep.sum() < min_mass * len(y):
                    continue
                density = y[keep].mean()
                if best is None or density > best[0]:
                    best = (density, keep, p, side, float(x[keep, j].min() if side == 0 else x[keep, j].max()))
        if best is None or best[0] <= y[inside].mean():
            break
        _, inside, p, side, edge = best
        bounds[p][side] = edge
        record()
    rows = []
    for step, (box, n_in, hits) in enumerate(trajectory):
        rule = " and ".join(_closed_clause(p, *box[p]) for p in params if np.isfinite(box[p]).any()) or "everywhere"
        row = {"step": step, "rule": rule, "runs": n_in, "hits": hits}
        row |= {"coverage": hits / total_hits if total_hits else np.nan, "density": hits / n_in, "mass": n_in / len(y)}
        row |= {f"{p} {s}": v for p in params for s, v in zip(("low", "high"), box[p], strict=True)}
        rows.append(row)
    out = pd.DataFrame(rows)
    eligible = out[out["coverage"] >= min_coverage]
    out.insert(7, "chosen", out.index == (eligible["density"].idxmax() if len(eligible) else -1))
    return out


def _closed_clause(name: str, lo: float, hi: float) -> str:
    short = name.removesuffix(".value")
    if np.isfinite(lo) and np.isfinite(hi):
        return f"{lo:.3g} <= {short} <= {hi:.3g}"
    return f"{short} >= {lo:.3g}" if np.isfinite(lo) else f"{short} <= {hi:.3g}"


def _leaves_under(t, node: int) -> list[int]:
    if t.children_left[node] == -1:
        return [node]
    return _leaves_under(t, t.children_left[node]) + _leaves_under(t, t.children_right[node])


def _clause(name: str, lo: float, hi: float) -> str:
    short = name.removesuffix(".value")
    if np.isfinite(lo) and np.isfinite(hi):
        return f"{lo:.3g} < {short} <= {hi:.3g}"
    return f"{short} > {lo:.3g}" if np.isfinite(lo) else f"{short} <= {hi:.3g}"


def prim_table(runs: pd.DataFrame, params: list[str]) -> pd.DataFrame:
    """PRIM's peeling trajectory for every discovery target, one table (column `target` first)."""
    parts = [prim(runs, params, target).assign(target=target) for target in TARGETS]
    table = pd.concat(parts, ignore_index=True)
    return table[["target", *[c for c in table.columns if c != "target"]]]
