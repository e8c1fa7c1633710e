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
# # 07 Seminar exercises
#
# Answer each question **with the model**: state the runs you made (scenario, overrides, `n`,
# seed), the number you read off, and its Monte Carlo interval. Then say in two sentences what the
# answer does and does not tell us about the real war (`docs/limitations.md`).
#
# Keep `n` small while exploring (20-30 runs), then confirm with more. Intervals:
# `sim.analysis.stats.proportion(flags)` for a share (Wilson), `bootstrap(values)` for a median,
# `proportions(labels)` for the share of each ending (notebook 04 shows them in use).

# %%
import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)

# %%
from sim import load_config, run_ensemble, scenarios
from sim.analysis.stats import bootstrap, proportion, proportions

# %% [markdown]
# ## Exercise 1: Drones
#
# Azerbaijan's Bayraktar TB2 drones were widely credited for the speed of its advance. Using
# `belligerents.azerbaijan.uavs.value` (range 0-80 sorties a day), compare the baseline with 10 sorties
# (Israeli drones and loitering munitions only, before the TB2 deliveries, as the `no_turkish_drones`
# scenario has it). How do territory taken and the length of the war change?

# %%
# your runs here

# %% [markdown]
# ## Exercise 2: Turkish resolve
#
# Compare `powers.turkey.resolve.value` at 0.0, 0.5 and 1.0. What happens to the chance that
# the war reaches rung 6 (regional intervention)? Report each probability with its interval.

# %%
# your runs here

# %% [markdown]
# ## Exercise 3: Russia as guarantor
#
# Compare the scenarios `baseline_2020` and `russia_guarantor`. How does the war end in each (ceasefire
# or settlement), how long does it last, and does Russia broker more often?

# %%
# your runs here

# %% [markdown]
# ## Exercise 4: Your own counterfactual
#
# Pick one parameter from the card (notebook 02) whose source you find weakest. Move it to
# both ends of its range and say whether a conclusion from exercises 1-3 survives.

# %%
# your runs here

# %% [markdown]
# ## Discussion
#
# * Which of your answers would change if the day-one calibration figures (claims by one side) were off by half?
# * Where does the model's war differ from what happened between 27 September and 10 November 2020, and why might that be?
