"""Notebook 02: the parameter card as a table, and where each number comes from."""

from __future__ import annotations

from .cells import SETUP, code, md

NAME = "02_actors_and_sources"

CELLS = [
    md("""
# 02 The actors and where every number comes from

A model is only as honest as its inputs. Every parameter in `conf/` carries a **value**, a **unit**,
an allowed **range** and a **source**: a quote from the source document (a news analysis of the
first day of the war), a public dataset (SIPRI, World Bank, Global Firepower), a classic of
combat modelling (Dupuy), or the plain words *model assumption*.

This notebook reads that parameter card as a table.
"""),
    code(SETUP),
    code("""from sim import load_config
from sim.config.paramcard import card_frame

cfg = load_config("baseline_2020")
card = card_frame(cfg)
print(len(card), "sourced parameters")
card.head()"""),
    md("""
## The belligerents

Azerbaijan is the attacker; Armenia and the Artsakh forces defend. Compare their forces and what
they care about (revanchism, casualty sensitivity, domestic pressure).
"""),
    code("""bel = card[card["group"] == "belligerents"]
bel.pivot(index="parameter", columns="actor", values="value")"""),
    md("""
## The outside powers

Each power has a resolve (readiness to use force for an ally), interests in stability, influence
and its borders, and a cost of intervening. Their ties (alliances, arms supply, mediation,
rivalry) are listed after.
"""),
    code("""powers = card[card["group"] == "powers"]
powers.pivot(index="parameter", columns="actor", values="value")"""),
    code("""from sim.config.paramcard import tie_rows

pd.DataFrame(tie_rows(cfg))"""),
    md("""
## Which numbers are quotes, which are data, which are assumptions?

A rough sort of the sources. Read a few of each kind in full.
"""),
    code("""def kind(source: str) -> str:
    s = source.lower()
    if "assumption" in s or "calibrated" in s:
        return "model assumption or calibration"
    if "'" in source or '"' in source:
        return "quote from the source document"
    return "dataset or literature"

card["kind"] = card["source"].map(kind)
display(card["kind"].value_counts().to_frame("parameters"))
card[card["kind"] == "model assumption or calibration"][["key", "value", "unit", "source"]].head(10)"""),
    md("""
## Questions

* Which of the parameters that drive escalation most (Turkish and Russian resolve, Azerbaijani
  revanchism) rest on a quote, which on an assumption? How would you defend each value in a seminar?
* The day-one casualty figures used for calibration are *claims by one side*, reported in a news
  analysis. What does that do to the model's casualty outputs? (See `docs/limitations.md`.)
* `make paramcard` writes the whole card to `docs/parameters.md`.
"""),
]
