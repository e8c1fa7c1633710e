# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (karabakh-escalation)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 Sweeps from a notebook
#
# A sweep runs the same scenario over a grid of parameter values. `sim.runs.design.run_design` takes a
# table of points (one column per dotted config key, one row per point), runs `n` replicates of each
# with common random numbers, and returns the runs with the point's values as columns.
# `sim.plots.sweep_heatmap` then draws P(highest rung >= k) per cell, with its interval and run count.

# %%
import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)

# %%
import itertools
from omegaconf import OmegaConf
from sim import load_config
from sim.runs.design import run_design

cfg = load_config("baseline_2020")
RESOLVE, COST = "powers.turkey.resolve.value", "powers.turkey.intervention_cost.value"

def levels(key, k=3):
    lo, hi = (float(x) for x in OmegaConf.select(cfg, key.rsplit(".", 1)[0]).range)
    return [round(lo + i * (hi - lo) / (k - 1), 3) for i in range(k)]

points = pd.DataFrame(list(itertools.product(levels(RESOLVE), levels(COST))), columns=[RESOLVE, COST])
points

# %% [markdown]
# Each grid level spans the parameter's declared range (bottom, middle, top). Ten runs per point
# keep this fast; each cell's interval says what ten runs can and cannot tell.

# %%
res = run_design(cfg, points, n=10, seed=1)
fig = plots.sweep_heatmap(res.runs, RESOLVE, COST, k=6, xlabel="Turkish resolve (0-1)",
                          ylabel="Turkish cost of intervening (utility)",
                          title="P(regional intervention, rung >= 6): Turkish resolve x cost (10 runs per cell)")

# %%
plots.sweep_table(res.runs, RESOLVE, COST, k=6)

# %% [markdown]
# **Reading it.** Turkey's entry is nearly a switch: in most cells it enters in all ten runs or in none,
# because it enters on the day intervening is worth more to it than every other stance
# (`decides_to_intervene`), and then stays in. Resolve and cost trade off along a boundary: at resolve 0.5
# Turkey enters when intervening costs it 2.05 but not 4.0, and at resolve 1.0 even at a cost of 4.0 in
# most runs. The baseline (resolve 0.5, cost 2.5) lies just on the far side of that boundary: Turkey stays
# out there (notebook 07, exercise 2), so a small change of either parameter carries the model across.
# Ten runs per cell are enough to see where the boundary runs, not to pin a share between 0 and 1 (the
# one such cell's interval spans about half the scale).

# %% [markdown]
# ## Questions
#
# * Where does the boundary between staying out and entering run, and how far is the baseline (resolve 0.5, cost 2.5) from it? What does the `turkey_intervenes` scenario change to carry the model across (`docs/scenarios.md`)?
# * Change the threshold: `k=5` (war on Armenia proper). Which cells move, and are the moves larger than the intervals?
# * Sweep `powers.russia.resolve.value` against `mediator.strength.value`. Keep the grid small: runs = points x n.
