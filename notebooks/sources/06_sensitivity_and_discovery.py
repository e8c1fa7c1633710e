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
# # 06 Sensitivity and scenario discovery
#
# Many of the model's numbers are judgements with wide declared ranges (notebook 02). Two questions
# follow: **which of them matter** for an outcome, and **which combinations** of them lead to the
# outcomes we worry about. This notebook answers both with the package's own tools, at tiny sizes.
#
# **Sobol indices** split the variance of an outcome over the sampled ranges. The first-order index
# S1 of a parameter is the share it explains alone; the total index ST adds every interaction it
# takes part in. ST near 0: the parameter can be fixed anywhere in its range without changing the
# outcome. ST much larger than S1: it matters through interactions. Cost: N x (k + 2) points for k
# parameters and a base sample N (a power of two), N x (2k + 2) with second-order indices.
#
# **Morris screening** moves one parameter at a time along r random trajectories through a grid.
# Each step gives an elementary effect: the change of the outcome, scaled to a move across the
# parameter's whole range. mu* is their mean absolute value, in the outcome's units (so a
# probability's mu* can exceed 1); sigma large against mu* means interactions or a non-linear
# effect. Morris ranks, it does not apportion variance, and it is cheap: r x (k + 1) points.
#
# Every point's outcome is estimated from a few replicate runs, so Monte Carlo noise sets a floor:
# an index whose 95% interval reaches zero is not distinguishable from no effect.

# %%
import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)

# %%
from sim import load_config
from sim.analysis.sensitivity import morris, ranking, run_count, sobol
from sim.analysis.discovery import TARGETS, discover
from sim.plots.sensitivity import sensitivity_bars
from sim.plots.discovery import discovery_box
from sim.config.schema import design_ranges

cfg = load_config("baseline_2020", overrides=["scenario.horizon_days=60"])
PARAMS = [
    "powers.turkey.intervention_cost.value",   # how costly Turkey finds entering the war
    "powers.russia.intervention_cost.value",
    "diplomacy.ceasefire_value.value",         # how much a belligerent values a ceasefire
    "combat.advance_rate.value",               # the tempo of the ground war
    "powers.france.intervention_force.value",  # a control: read only if France intervenes, which it never does
]
RANGES = design_ranges(cfg)
pd.DataFrame({"low": [RANGES[p][0] for p in PARAMS], "high": [RANGES[p][1] for p in PARAMS]}, index=PARAMS)

# %% [markdown]
# The last parameter is a control: France's intervention force is read only once France decides to
# intervene, and its ties and interests never bring it to that (docs/model.md, the powers' decisions).
# Because every point reuses the same random numbers (common random numbers), its indices should
# come out exactly zero. A method that gave it a large index would be telling us about noise.
#
# ## Morris: a cheap first screen

# %%
print("Morris runs:", run_count("morris", len(PARAMS), 4, 4))
m = morris(cfg, PARAMS, trajectories=4, replicates=4, seed=1)
m.indices.query("index == 'mu_star'").pivot(index="parameter", columns="outcome", values="value").round(2)

# %%
fig = sensitivity_bars(m.indices, "duration_days", title="Morris screening: what moves the duration of the war (days)")

# %% [markdown]
# ## Sobol: how the variance of an outcome divides up
#
# First the duration of the war: each point's outcome is the mean duration of its runs. With N = 16
# and 4 replicates the intervals are wide: read the ranking and the control, not the decimals.

# %%
print("Sobol runs:", run_count("sobol", len(PARAMS), 16, 4))
s = sobol(cfg, PARAMS, base=16, replicates=4, seed=1)
fig = sensitivity_bars(s.indices, "duration_days", title="Sobol indices of the war's duration (N = 16, 4 runs per point)")

# %% [markdown]
# Now P(regional war): the share of a point's runs that reached rung 6 (an outside power in the
# war). It is a threshold outcome, zero over most of the ranges and high in a small corner, so at
# this size its indices are unstable: compare with `seed=2`, then with the command line's sizes.
# An index above 1 or an interval wider than the index is the estimator telling you N is too small.
# So is an index of 0.00 with an interval of 0.00: if none of the 16 base points falls in the corner
# where a power enters, the outcome barely varies along that parameter's column of the design, and
# Sobol cannot see it, however much it matters there. The boxes below fit every run of the same
# design and can still find the parameter (Turkey's cost of intervening, for instance): where the two
# disagree at this size, trust neither until N is larger.

# %%
ranking(s.indices, "p_rung_ge_6", "ST").round(2)

# %% [markdown]
# ## Scenario discovery: where do regional wars and quick ceasefires happen?
#
# Indices say *which* parameters matter; scenario discovery says *where*. A shallow decision tree
# (CART, scikit-learn) is fitted to every run of the design, and each region it labels as the
# outcome is a **box**: a rule of parameter bounds. Two numbers judge a box:
#
# * **coverage**: the share of all runs with the outcome that fall inside the box (does it explain most cases?);
# * **density**: the share of runs inside the box that have the outcome (is it a reliable warning sign?).
#
# A good box has both high, and a density well above the share among all runs.

# %%
for target in TARGETS:
    share = TARGETS[target](s.runs).mean()
    print(f"{target}: {share:.2f} of all runs")
    display(discover(s.runs, PARAMS, target)[["rule", "runs", "hits", "coverage", "density"]].round(2))

# %%
target = "regional_war"
boxes = discover(s.runs, PARAMS, target)
fig = discovery_box(s.runs, boxes, PARAMS, TARGETS[target](s.runs), RANGES, "regional war")  # axes: the best box's parameters

# %% [markdown]
# ## Scaling up
#
# These sizes are for a seminar room. For numbers worth quoting, run the command line, which prints
# the run count first, streams the runs to disk (rerunning resumes), and writes the indices, the
# charts, the boxes and a report (`docs/sensitivity.md`):
#
# ```
# python -m experiments.sensitivity base=64 replicates=20 executor=processes workers=2 out=outputs/sensitivity
# python -m experiments.sensitivity method=morris params=[all] base=10 max_runs=50000
# ```
#
# ## Questions
#
# * Which parameters' ST is clearly above zero for the duration? Does the box for quick ceasefires bound the same ones?
# * Is the control parameter exactly zero? Why does this need common random numbers?
# * Double N or the replicates. Which intervals shrink more, and why (sampling the ranges vs Monte Carlo noise per point)?
# * Compare ST with S1 for duration. Where is the gap largest, and what does that say about interactions?
