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
# # 07 Seminar exercises: solutions
#
# One way to answer each exercise, at small ensemble sizes so the notebook runs in under a
# minute. The numbers you get with other seeds or larger `n` will differ within the intervals;
# that is the point of the intervals.

# %%
import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)

# %%
from sim import load_config, run_ensemble
from sim.analysis.stats import proportion


# %% [markdown]
# ## Exercise 1: Drones
#
# Azerbaijan's Bayraktar TB2 drones were widely credited for the speed of its advance. Using
# `belligerents.azerbaijan.uavs.value` (range 0-80 sorties a day), compare the baseline with 6 sorties
# (before the TB2 deliveries). How do territory taken and the length of the war change?

# %%
def ensemble(overrides=(), scenario="baseline_2020", n=25, seed=1):
    return run_ensemble(load_config(scenario, overrides=list(overrides)), n=n, seed=seed).runs

few = ensemble(["belligerents.azerbaijan.uavs.value=6"]).assign(case="6 sorties (pre-TB2)")
base = ensemble().assign(case="26 sorties (baseline)")
both = pd.concat([few, base])
both.groupby("case")[["territory_change_km2", "duration_days"]].describe().round(0)

# %% [markdown]
# **Reading it.** With fewer drone sorties the attacker's combat power and its erosion of the defender's terrain
# and fortification edge fall, so less territory changes hands. Read the medians *and* the spread: with
# 25 runs each, overlapping ranges are common.

# %% [markdown]
# ## Exercise 2: Turkish resolve
#
# Compare `powers.turkey.resolve.value` at 0.0, 0.5 and 1.0. What happens to the chance that
# the war reaches rung 6 (regional intervention)? Report each probability with its interval.

# %%
rows = []
for resolve in (0.0, 0.5, 1.0):
    r = ensemble([f"powers.turkey.resolve.value={resolve}"])
    e = proportion(r["max_rung"] >= 6)
    rows.append({"turkish resolve": resolve, "P(rung >= 6)": e.value, "low": e.low, "high": e.high, "runs": len(r)})
pd.DataFrame(rows).round(3)

# %% [markdown]
# **Reading it.** The chance of rung 6 should rise with Turkish resolve, but note the intervals: at 25 runs
# they are roughly +-0.15 wide. Say whether the difference is larger than the intervals before
# calling it an effect.

# %% [markdown]
# ## Exercise 3: Russia as guarantor
#
# Compare the scenarios `baseline_2020` and `russia_guarantor`. How often does Russia broker the end of the war in each?

# %%
rows = []
for name in ("baseline_2020", "russia_guarantor"):
    r = ensemble(scenario=name)
    e = proportion(r["broker"] == "russia")
    rows.append({"scenario": name, "P(Russia brokers)": e.value, "low": e.low, "high": e.high, "runs": len(r)})
pd.DataFrame(rows).round(3)

# %% [markdown]
# **Reading it.** In `russia_guarantor` the attacker admits Russian peacekeepers without first taking territory,
# so ceasefires Russia brokers hold. Compare the share with the interval.

# %% [markdown]
# ## Exercise 4: Your own counterfactual
#
# Pick one parameter from the card (notebook 02) whose source you find weakest. Move it to
# both ends of its range and say whether a conclusion from exercises 1-3 survives.

# %%
# One example: Azerbaijani revanchism, a judgement from quotes, at both ends of its range.
rows = []
for value in (0.3, 1.0):
    for resolve in (0.0, 1.0):
        r = ensemble([f"belligerents.azerbaijan.revanchism.value={value}", f"powers.turkey.resolve.value={resolve}"], n=20)
        e = proportion(r["max_rung"] >= 6)
        rows.append({"revanchism": value, "turkish resolve": resolve, "P(rung >= 6)": e.value, "low": e.low, "high": e.high})
pd.DataFrame(rows).round(3)

# %% [markdown]
# **Reading it.** A conclusion that holds at both ends of a weakly sourced parameter's range is robust to that
# doubt; one that flips tells you which assumption carries it. Notebook 06 (sensitivity) asks the
# same question for many parameters at once.
