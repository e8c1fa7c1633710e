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
# # 01 Quickstart: one war, then many
#
# This model re-runs the outbreak of the Nagorno-Karabakh war of 27 September 2020 as an
# agent-based simulation: Azerbaijan, Armenia and the Artsakh forces fight over sectors of the
# line of contact, while Russia, Turkey, Iran and the OSCE Minsk Group choose how far to get
# involved. One step is one day.
#
# It is a **teaching and exploration model, not a forecast** (see `docs/limitations.md`). Every
# number it starts from is sourced in `conf/`; notebook 02 shows where each comes from.
#
# In this notebook you will: load the baseline scenario, run one war and read it day by day,
# then run an ensemble of wars and look at the spread of outcomes.

# %%
import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)

# %% [markdown]
# ## Load a scenario
#
# `load_config` composes the Hydra configuration in `conf/` and checks every value against its
# declared range. `scenarios()` lists the named scenarios you can load.

# %%
from sim import ConflictModel, Rung, load_config, run_ensemble, scenarios

print(scenarios())
cfg = load_config("baseline_2020")
print(cfg.scenario.description)

# %% [markdown]
# ## One war, day by day
#
# A `ConflictModel` is one war. `run_model()` steps it until the sides accept a settlement, a ceasefire
# holds, the defence collapses, fighting dies down, or the horizon is reached. Mesa's `DataCollector` keeps one row per day.
# The seed (`rng`) fixes the random draws: the same seed gives the same war.

# %%
model = ConflictModel(cfg, rng=1)
model.run_model()
days = model.datacollector.get_model_vars_dataframe()
days[["day", "rung", "action_azerbaijan", "ceasefire", "contested_sectors", "km2_azerbaijani",
      "military_deaths_armenia", "military_deaths_artsakh", "military_deaths_azerbaijan", "stance_russia",
      "stance_turkey"]].head(12)

# %% [markdown]
# This war is a short one: a ceasefire is agreed on day 5, and the table goes on past it because a
# ceasefire ends the war only once it has held for `diplomacy.hold_days` (7 days) without fighting; the
# war's duration counts the days of fighting. Both sides' dead are in the table: Armenia's soldiers
# (conscripts, reservists and volunteers sent to Karabakh) apart from Artsakh's own.

# %% [markdown]
# The `rung` column is the escalation ladder (0 frozen conflict ... 7 Russia-Turkey clash). The rung
# of a day is *read off what the agents did* that day, never drawn at random on its own:

# %%
for r in Rung:
    print(int(r), r.label)

# %% [markdown]
# The outcome record sums up the whole war: how high it climbed, how long it lasted, how it ended and who brokered it.

# %%
model.outcome

# %% [markdown]
# ## How the war is fought
#
# The theatre is seventeen districts (a Mesa `Network`: the seven districts around Nagorno-Karabakh,
# its own six, and four provinces of Armenia proper), linked by the roads and valleys an advance can
# follow. Each day (`docs/model.md`, section 7.1):
#
# * only as many soldiers as a district's front can hold assault it; the rest wait in reserve;
# * each side loses men in proportion to its own soldiers in the line and the enemy's power on that
#   front, and positions and terrain shelter the defender (an assault on a fortified mountain
#   district costs the attacker dearly);
# * drones build a picture of each district's defences day after day, eroding its advantage, and
#   cue the guns: the *kill chain* that destroyed most of the Armenian side's armour and artillery;
#   Turkey and Israel, which arm Azerbaijan, add their own reconnaissance to the drones' search;
# * the defenders' air defence shoots drones down, and each system the drones destroy opens the sky
#   a little more; the defenders' guns answer with counter-battery fire on Azerbaijan's artillery;
# * losses are replaced from each side's depots and from its suppliers' deliveries, paid for out of
#   its arms spending (SIPRI) in proportion to what each supplier sold it;
# * Azerbaijan presses the axes worth most for what they open behind them (the south, towards
#   Hadrut and Shusha), and the defenders send their reservists where the attack falls.
#
# Which districts fell in this war, and what it cost each side:

# %%
t = model.theatre
fallen = [n for i, n in enumerate(t.names) if t.controller[i] != t.initial_controller[i]]
last = days.iloc[-1]
print("districts taken:", ", ".join(fallen) or "none")
print("military deaths: Azerbaijan", int(last.military_deaths_azerbaijan),
      "| Armenia", int(last.military_deaths_armenia), "| Artsakh", int(last.military_deaths_artsakh),
      "| Syrian fighters", int(last.military_deaths_foreign_fighters))
print("heavy equipment lost: Azerbaijan", int(last.armour_lost_azerbaijan), "armoured vehicles and",
      int(last.artillery_lost_azerbaijan), "guns | Armenian side", int(last.armour_lost_armenian_side),
      "armoured vehicles,", int(last.artillery_lost_armenian_side), "guns and",
      int(last.air_defence_lost_armenian_side), "air-defence systems")
print("items replaced from depots and deliveries: Azerbaijan", int(last.equipment_replaced_azerbaijan),
      "| Armenian side", int(last.equipment_replaced_armenian_side))

# %% [markdown]
# ## Many wars: an ensemble
#
# One run is one story among many possible ones. `run_ensemble` runs `n` replicates with independent,
# reproducible random streams and returns two tables: `runs` (one row per war) and `daily`
# (one row per war and day). We keep `n` small so the notebook runs in seconds; for real
# estimates use hundreds of runs (`make run`).

# %%
res = run_ensemble(cfg, n=30, seed=1)
res.runs[["replicate", "max_rung", "duration_days", "end_type", "broker", "military_deaths_armenia",
          "military_deaths_artsakh", "military_deaths_azerbaijan", "territory_change_km2"]].head()

# %% [markdown]
# ## Plot the ensemble
#
# `sim.plots` draws ensemble tables. The fan chart shows the spread of the rung day by day; the
# bar chart gives the share of wars reaching each highest rung, **with its Monte Carlo interval**:
# 30 runs give wide intervals, and that width is part of the answer.

# %%
import sim.plots as plots

# Figures appear below the cell; assigning them keeps each from being shown twice.
fan = plots.fan_chart(res.daily, title="Baseline 2020: escalation rung by day (30 runs)")
bars = plots.max_rung_bars(res.runs, title="Baseline 2020: highest rung reached (30 runs)")

# %%
ends = plots.end_shares(res.runs, title="Baseline 2020: how the wars ended (30 runs)")

# %% [markdown]
# **Reading it, beside the record.** The real war stayed at rung 4 (each side striking the other's towns,
# no outside power's forces in the fight), lasted 44 days and ended in a settlement Russia brokered on
# 10 November 2020 (docs/validation.md). Here most of the 30 wars also top out at rung 4, a few reach
# rung 5 (a war on Armenia proper), and most end in a settlement after five to six weeks; the rest end
# early in a ceasefire, as the single war above did. The real war is one draw from such a spread, so the
# question to ask of the model is not "did it predict the war" but "was the war that happened a likely
# one in the model": docs/validation.md answers it target by target.

# %% [markdown]
# ## Your turn
#
# * Change the seed of the single war: does the story change? Does the ensemble picture change with `seed=2`?
# * Raise `n` to 100: which intervals shrink, and by roughly how much?
# * Open the interactive page (`make app`) and watch one war unfold on the map.
