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
# # 04 What-if scenarios against the baseline
#
# Each counterfactual in `conf/scenario/` changes a few sourced values of `baseline_2020` to ask one
# question, states that question as its `premise`, and says which outcomes it `expects` to move (up or
# down). `docs/scenarios.md` collects them, with the contrast `make scenarios` computes over 200 runs each.
# Here we run smaller ensembles, read how the wars end, and compare each scenario with the baseline the
# way that contrast does.

# %%
import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)

# %%
from sim import load_config, run_ensemble
from sim.analysis.contrast import contrast_table
from sim.plots.contrast import contrast_figure

NAMES = ["baseline_2020", "no_turkish_drones", "russia_abstains", "russia_guarantor", "turkey_intervenes",
         "strong_minsk_group"]
N, SEED = 40, 1  # per scenario; small so this runs in seconds: intervals are wide
results = {name: run_ensemble(load_config(name), n=N, seed=SEED) for name in NAMES}
runs = pd.concat([r.runs for r in results.values()], ignore_index=True)
for name in NAMES[1:]:
    sc = load_config(name).scenario
    print(f"{name}: {sc.premise}\n    expects: {dict(sc.expects)}\n")

# %% [markdown]
# ## How the wars end, on what terms, and who brokers
#
# The real war ended on 10 November 2020 after the fall of Shusha: Russia brokered a settlement, its
# peacekeepers deployed, the Armenian side handed over the districts around the former oblast it still held
# (Aghdam, Kalbajar, Lachin), and a corridor through Lachin kept Karabakh linked to Armenia. In the model
# most wars end in a `settlement` too: each side starts out reading the balance in its own favour, the
# fighting shows both what the war is really like, and once their beliefs have converged the guarantor's
# offer is worth more to both than fighting on (docs/model.md 7.4). Each run records its ending: `end_type`, `broker`, `peacekeepers`, `districts_handed_over`,
# `km2_handed_over`, `corridor`, and the day and broker of every ceasefire agreed on the way
# (`ceasefire_days`, `ceasefire_brokers`), most of them broken.

# %%
runs.groupby("scenario")["end_type"].value_counts(normalize=True).unstack(fill_value=0).round(2)

# %% [markdown]
# Each share is an estimate from 40 runs. Before quoting one, give its interval:
# `sim.analysis.stats.proportions` gives every ending's share with its 95% Wilson interval, and
# `bootstrap` a median with its bootstrap interval (the exercises of notebook 07 ask for both).

# %%
from sim.analysis.stats import bootstrap, proportions

baseline_runs = runs[runs.scenario == "baseline_2020"]
display(proportions(baseline_runs["end_type"]).round(2))
days = bootstrap(baseline_runs["duration_days"])
print(f"median days of war: {days.value:.0f} (95% interval {days.low:.0f}-{days.high:.0f}, {days.n} runs)")

# %%
endings = runs.assign(russian_peacekeepers=runs.peacekeepers == "russia")
endings.groupby("scenario")[["russian_peacekeepers", "corridor", "km2_handed_over", "ceasefires_agreed",
                             "ceasefires_broken"]].mean().round(2)

# %%
runs[runs.scenario == "baseline_2020"][["end_type", "duration_days", "peacekeepers", "districts_handed_over",
                                         "ceasefire_days", "ceasefire_brokers"]].head(8)

# %% [markdown]
# ## Civilians
#
# Both sides struck the other's towns, each presenting its strikes as answers to the other's. In the
# model each belligerent decides every day of fighting whether to strike (`strikes_azerbaijan`,
# `strikes_armenian_side` in the daily table), civilians die of the fighting in their sector, of front-line
# shelling and of those strikes, and residents flee what hits their town.

# %%
civ = ["civilian_deaths_azerbaijan", "civilian_deaths_armenian_side", "displaced_armenian_side"]
runs.groupby("scenario")[civ].median().round(0)

# %% [markdown]
# ## Each scenario against the baseline: paired differences
#
# Every scenario ran with the same seed, so replicate r of each used the same random stream as replicate r of
# the baseline (common random numbers). The contrast of a measure is then the mean of the per-replicate
# differences, with a 95% interval: a move is shown when the interval excludes zero. Blue points are moves a
# scenario expected and got, vermillion expected and not shown (with 40 runs some will be, where 200 show
# them), grey where it expected nothing.

# %%
base = results["baseline_2020"].runs
others = {name: results[name].runs for name in NAMES[1:]}
expects = {name: dict(load_config(name).scenario.expects) for name in others}
table = contrast_table(base, others, expects)
fig = contrast_figure(table, N, SEED)
table[table.measure.isin(["territory", "duration", "settlement"])].round(2)

# %% [markdown]
# ## Questions
#
# * Without the TB2 drones the war is short and ends in a ceasefire. Which part of the kill chain (docs/model.md 7.1) makes the difference: the sorties' own kills, the artillery they direct, or the erosion of the defenders' positions?
# * Turkey in the war makes Russia mediate more and the Armenian side strike Azerbaijan's towns less. Which terms of the powers' and belligerents' utilities carry those effects?
# * A stronger Minsk Group ends wars sooner. Does it change who holds what when they end, or only when?
# * Settlements come once beliefs have converged. Sweep `diplomacy.optimism` and `diplomacy.belief_memory`: which moves the war's length more, and why does the bargaining logic predict that?
# * The contrast uses paired differences. Rerun it with a different seed for the baseline than for the scenarios: what happens to the intervals, and why?
