"""Notebook 05: a small grid of Turkish resolve and intervention cost, run with run_design."""

from __future__ import annotations

from .cells import SETUP, code, md

NAME = "05_sweeps"

CELLS = [
    md("""
# 05 Sweeps from a notebook

A sweep runs the same scenario over a grid of parameter values. `sim.runs.design.run_design` takes a
table of points (one column per dotted config key, one row per point), runs `n` replicates of each
with common random numbers, and returns the runs with the point's values as columns.
`sim.plots.sweep_heatmap` then draws P(highest rung >= k) per cell, with its interval and run count.
"""),
    code(SETUP),
    code("""import itertools
from omegaconf import OmegaConf
from sim import load_config
from sim.runs.design import run_design

cfg = load_config("baseline_2020")
RESOLVE, COST = "powers.turkey.resolve.value", "powers.turkey.intervention_cost.value"

def levels(key, k=3):
    lo, hi = (float(x) for x in OmegaConf.select(cfg, key.rsplit(".", 1)[0]).range)
    return [round(lo + i * (hi - lo) / (k - 1), 3) for i in range(k)]

points = pd.DataFrame(list(itertools.product(levels(RESOLVE), levels(COST))), columns=[RESOLVE, COST])
points"""),
    md("""
Each grid level spans the parameter's declared range (bottom, middle, top). Ten runs per point
keep this fast; the intervals show how little ten runs can tell apart.
"""),
    code("""res = run_design(cfg, points, n=10, seed=1)
fig = plots.sweep_heatmap(res.runs, RESOLVE, COST, k=6, xlabel="Turkish resolve (0-1)",
                          ylabel="Turkish cost of intervening (utility)",
                          title="P(regional intervention, rung >= 6): Turkish resolve x cost (10 runs per cell)")"""),
    code("""plots.sweep_table(res.runs, RESOLVE, COST, k=6)"""),
    md("""
## Questions

* Resolve alone does not bring Turkey into the war in the model; what else has to change? Compare with the `turkey_intervenes` scenario (`docs/scenarios.md`).
* Change the threshold: `k=5` (war on Armenia proper). Which cells move, and are the moves larger than the intervals?
* Sweep `powers.russia.resolve.value` against `mediator.strength.value`. Keep the grid small: runs = points x n.
"""),
]
