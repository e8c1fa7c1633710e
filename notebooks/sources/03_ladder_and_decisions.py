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
# # 03 The escalation ladder and how decisions are made
#
# Each day the attacker picks an operation (hold, skirmish, limited offensive, general offensive,
# strike cities, attack Armenia proper). It forecasts what each option would bring (territory,
# own losses, the rung it implies, the risk that an outside power steps in), scores each option
# with its preferences, and chooses by a **logit rule**: better options are more likely, but not
# certain. The *decision temperature* sets how noisy the choice is.
#
# Here we step one war by hand and look at the probabilities behind each choice.

# %%
import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)

# %%
import numpy as np
from sim import ConflictModel, Rung, load_config
from sim.rules.decisions import logit_probabilities

def attacker_choice(model):
    """The attacker's options and their choice probabilities as the model stands now (from sim.rules.decisions)."""
    a = model.attacker
    ops, u = zip(*a.weigh())  # each option and its utility as the war stands now
    p = logit_probabilities(np.array(u), a.prefs.temperature)
    return pd.DataFrame({"option": [op.name.lower() for op in ops], "utility": np.round(u, 2),
                         "probability": np.round(p, 3)})


# %% [markdown]
# ## Step by hand
#
# Day 1 is fixed by the scenario (the general offensive of 27 September). From day 2 the attacker chooses.

# %%
model = ConflictModel(load_config("baseline_2020"), rng=7)
for _ in range(3):
    model.step()
    print(f"day {model.day}: Azerbaijan chose {model.attacker.action_label.lower():<20} rung {int(model.rung)} ({Rung(model.rung).label})")
attacker_choice(model)

# %% [markdown]
# The table is what the attacker would weigh for **tomorrow**, given today's front, losses and
# international pressure. Step once more and compare the choice with the probabilities.

# %%
model.step()
print("day", model.day, "choice:", model.attacker.action_label.lower())
attacker_choice(model)


# %% [markdown]
# ## Change one parameter, see the decision change
#
# Casualty sensitivity weighs the attacker's expected losses. Build the same war (same seed, same
# days) with Azerbaijan at the most casualty-averse value its range allows and compare the probabilities on the same day.

# %%
def after_days(overrides, days=4, seed=7):
    m = ConflictModel(load_config("baseline_2020", overrides=overrides), rng=seed)
    for _ in range(days):
        m.step()
    return attacker_choice(m)

top = load_config("baseline_2020").belligerents.azerbaijan.casualty_sensitivity.range[1]  # top of its sourced range
base = after_days([])
averse = after_days([f"belligerents.azerbaijan.casualty_sensitivity.value={top}"])
base.merge(averse, on="option", suffixes=(" baseline", " casualty-averse"))

# %%
fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
x = np.arange(len(base))
ax.bar(x - 0.2, base["probability"], 0.4, label="baseline", color="#E69F00")
ax.bar(x + 0.2, averse["probability"], 0.4, label=f"casualty sensitivity {top}", color="#0072B2")
ax.set_xticks(x, base["option"], rotation=20)
ax.set_ylabel("probability of the choice (model)")
ax.set_title("Attacker's choice probabilities on day 5 (one war, seed 7)")
ax.legend();

# %% [markdown]
# **Reading it.** At the top of its range, casualty sensitivity barely moves this choice: the general
# offensive stays the most likely option and loses only a couple of points of probability. The same
# holds later in this war (try `days=12` or `days=20`: the utilities move by a few hundredths): the
# attacker's expected losses weigh little beside the ground it expects to take. That is a finding about
# the model, worth questioning against the record of Azerbaijan's losses. These are exact
# model probabilities for one state of one war, not Monte Carlo estimates. To ask how often wars climb
# higher under a parameter, run ensembles (notebooks 04 and 05).
#
# ## Questions
#
# * Try `belligerents.azerbaijan.decision_temperature.value` at the bottom and top of its range. What changes?
# * Which option does Turkish resolve affect, and through which term (hint: intervention risk is against the attacker only)?
