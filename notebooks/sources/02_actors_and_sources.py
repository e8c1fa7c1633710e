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
# # 02 The actors and where every number comes from
#
# A model is only as honest as its inputs. Every parameter in `conf/` carries a **value**, a **unit**,
# an allowed **range** and a **source**: a quote from the source document (a news analysis of the
# first day of the war), a public dataset (SIPRI, World Bank, Global Firepower), a classic of
# combat modelling (Dupuy), or the plain words *model assumption*.
#
# This notebook reads that parameter card as a table.

# %%
import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)

# %%
from sim import load_config
from sim.config.paramcard import card_frame

cfg = load_config("baseline_2020")
card = card_frame(cfg)
print(len(card), "sourced parameters")
card.head()

# %% [markdown]
# ## The belligerents
#
# Azerbaijan is the attacker; Armenia and the Artsakh forces defend. Compare their forces and what
# they care about (revanchism, casualty sensitivity, domestic pressure).

# %%
bel = card[card["group"] == "belligerents"]
bel.pivot(index="parameter", columns="actor", values="value")

# %% [markdown]
# ## The outside powers
#
# Each power has a resolve (readiness to use force for an ally), interests in stability, influence
# and its borders, and a cost of intervening. Their ties (alliances, arms supply, mediation,
# rivalry) are listed after.

# %%
powers = card[card["group"] == "powers"]
powers.pivot(index="parameter", columns="actor", values="value")

# %%
from sim.config.paramcard import tie_rows

pd.DataFrame(tie_rows(cfg))


# %% [markdown]
# ## Which numbers are quotes, which are data, which are assumptions?
#
# A rough sort of the sources. Read a few of each kind in full.

# %%
def kind(source: str) -> str:
    s = source.lower()
    if "assumption" in s or "calibrated" in s:
        return "model assumption or calibration"
    if "'" in source or '"' in source:
        return "quote from the source document"
    return "dataset or literature"

card["kind"] = card["source"].map(kind)
display(card["kind"].value_counts().to_frame("parameters"))
card[card["kind"] == "model assumption or calibration"][["key", "value", "unit", "source"]].head(10)

# %% [markdown]
# ## Questions
#
# * Which of the parameters that drive escalation most (Turkish and Russian resolve, Azerbaijani
#   revanchism) rest on a quote, which on an assumption? How would you defend each value in a seminar?
# * The day-one casualty figures used for calibration are *claims by one side*, reported in a news
#   analysis. What does that do to the model's casualty outputs? (See `docs/limitations.md`.)
# * `make paramcard` writes the whole card to `docs/parameters.md`.
