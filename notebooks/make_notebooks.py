"""Write the seminar notebooks (stored without outputs) from the cells below.

Run `.venv/bin/python notebooks/make_notebooks.py` after editing a cell here, so
the .ipynb files and this source stay one thing. Every notebook only calls the
package (sim, sim.plots); none holds model logic.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
KERNEL = {"name": "python3", "display_name": "Python 3 (karabakh-escalation)", "language": "python"}

SETUP = """import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
%matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)"""


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str):
    return new_code_cell(text.strip())


NOTEBOOKS: dict[str, list] = {}

NOTEBOOKS["01_quickstart"] = [
    md("""
# 01 Quickstart: one war, then many

This model re-runs the outbreak of the Nagorno-Karabakh war of 27 September 2020 as an
agent-based simulation: Azerbaijan, Armenia and the Artsakh forces fight over sectors of the
line of contact, while Russia, Turkey, Iran and the OSCE Minsk Group choose how far to get
involved. One step is one day.

It is a **teaching and exploration model, not a forecast** (see `docs/limitations.md`). Every
number it starts from is sourced in `conf/`; notebook 02 shows where each comes from.

In this notebook you will: load the baseline scenario, run one war and read it day by day,
then run an ensemble of wars and look at the spread of outcomes.
"""),
    code(SETUP),
    md("""
## Load a scenario

`load_config` composes the Hydra configuration in `conf/` and checks every value against its
declared range. `scenarios()` lists the named scenarios you can load.
"""),
    code("""from sim import ConflictModel, Rung, load_config, run_ensemble, scenarios

print(scenarios())
cfg = load_config("baseline_2020")
print(cfg.scenario.description)"""),
    md("""
## One war, day by day

A `ConflictModel` is one war. `run_model()` steps it until a ceasefire holds, the defence
collapses, fighting dies down, or the horizon is reached. Mesa's `DataCollector` keeps one row per day.
The seed (`rng`) fixes the random draws: the same seed gives the same war.
"""),
    code("""model = ConflictModel(cfg, rng=1)
model.run_model()
days = model.datacollector.get_model_vars_dataframe()
days[["day", "rung", "action_azerbaijan", "contested_sectors", "km2_azerbaijani",
      "military_deaths_artsakh", "military_deaths_azerbaijan", "stance_russia", "stance_turkey"]].head(10)"""),
    md("""
The `rung` column is the escalation ladder (0 frozen conflict ... 7 Russia-Turkey clash). The rung
of a day is *read off what the agents did* that day, never drawn at random on its own:
"""),
    code("""for r in Rung:
    print(int(r), r.label)"""),
    md("""
The outcome record sums up the whole war: how high it climbed, how long it lasted, how it ended and who brokered it.
"""),
    code("""model.outcome"""),
    md("""
## Many wars: an ensemble

One run is one story among many possible ones. `run_ensemble` runs `n` replicates with independent,
reproducible random streams and returns two tables: `runs` (one row per war) and `daily`
(one row per war and day). We keep `n` small so the notebook runs in seconds; for real
estimates use hundreds of runs (`make run`).
"""),
    code("""res = run_ensemble(cfg, n=30, seed=1)
res.runs[["replicate", "max_rung", "duration_days", "end_type", "broker",
          "military_deaths_artsakh", "military_deaths_azerbaijan", "territory_change_km2"]].head()"""),
    md("""
## Plot the ensemble

`sim.plots` draws ensemble tables. The fan chart shows the spread of the rung day by day; the
bar chart gives the share of wars reaching each highest rung, **with its Monte Carlo interval**:
30 runs give wide intervals, and that width is part of the answer.
"""),
    code("""import sim.plots as plots

# Figures appear below the cell; assigning them keeps each from being shown twice.
fan = plots.fan_chart(res.daily, title="Baseline 2020: escalation rung by day (30 runs)")
bars = plots.max_rung_bars(res.runs, title="Baseline 2020: highest rung reached (30 runs)")"""),
    code("""ends = plots.end_shares(res.runs, title="Baseline 2020: how the wars ended (30 runs)")"""),
    md("""
## Your turn

* Change the seed of the single war: does the story change? Does the ensemble picture change with `seed=2`?
* Raise `n` to 100: which intervals shrink, and by roughly how much?
* Open the interactive page (`make app`) and watch one war unfold on the map.
"""),
]

NOTEBOOKS["02_actors_and_sources"] = [
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
from sim.paramcard import card_frame

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
    code("""from sim.paramcard import tie_rows

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

NOTEBOOKS["03_ladder_and_decisions"] = [
    md("""
# 03 The escalation ladder and how decisions are made

Each day the attacker picks an operation (hold, skirmish, limited offensive, general offensive,
strike cities, attack Armenia proper). It forecasts what each option would bring (territory,
own losses, the rung it implies, the risk that an outside power steps in), scores each option
with its preferences, and chooses by a **logit rule**: better options are more likely, but not
certain. The *decision temperature* sets how noisy the choice is.

Here we step one war by hand and look at the probabilities behind each choice.
"""),
    code(SETUP),
    code("""import numpy as np
from sim import ConflictModel, Rung, load_config
from sim.decisions import logit_probabilities

def attacker_choice(model):
    \"\"\"The attacker's options and their choice probabilities as the model stands now (from sim.decisions).\"\"\"
    a = model.attacker
    ops = a.options()
    u = a.utilities([model.forecast_operation(op) for op in ops], model.frustration())
    p = logit_probabilities(np.array(u), a.prefs.temperature)
    return pd.DataFrame({"option": [op.name.lower() for op in ops], "utility": np.round(u, 2),
                         "probability": np.round(p, 3)})"""),
    md("""
## Step by hand

Day 1 is fixed by the scenario (the general offensive of 27 September). From day 2 the attacker chooses.
"""),
    code("""model = ConflictModel(load_config("baseline_2020"), rng=7)
for _ in range(3):
    model.step()
    print(f"day {model.day}: Azerbaijan chose {model.attacker.action.lower():<20} rung {int(model.rung)} ({Rung(model.rung).label})")
attacker_choice(model)"""),
    md("""
The table is what the attacker would weigh for **tomorrow**, given today's front, losses and
international pressure. Step once more and compare the choice with the probabilities.
"""),
    code("""model.step()
print("day", model.day, "choice:", model.attacker.action.lower())
attacker_choice(model)"""),
    md("""
## Change one parameter, see the decision change

Casualty sensitivity weighs the attacker's expected losses. Build the same war (same seed, same
days) with Azerbaijan at the most casualty-averse value its range allows and compare the probabilities on the same day.
"""),
    code("""def after_days(overrides, days=4, seed=7):
    m = ConflictModel(load_config("baseline_2020", overrides=overrides), rng=seed)
    for _ in range(days):
        m.step()
    return attacker_choice(m)

top = load_config("baseline_2020").belligerents.azerbaijan.casualty_sensitivity.range[1]  # top of its sourced range
base = after_days([])
averse = after_days([f"belligerents.azerbaijan.casualty_sensitivity.value={top}"])
base.merge(averse, on="option", suffixes=(" baseline", " casualty-averse"))"""),
    code("""fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
x = np.arange(len(base))
ax.bar(x - 0.2, base["probability"], 0.4, label="baseline", color="#E69F00")
ax.bar(x + 0.2, averse["probability"], 0.4, label=f"casualty sensitivity {top}", color="#0072B2")
ax.set_xticks(x, base["option"], rotation=20)
ax.set_ylabel("probability of the choice (model)")
ax.set_title("Attacker's choice probabilities on day 5 (one war, seed 7)")
ax.legend();"""),
    md("""
These are exact model probabilities for one state of one war, not Monte Carlo estimates. To ask
how often wars climb higher under a parameter, run ensembles (notebooks 04 and 05).

## Questions

* Try `belligerents.azerbaijan.decision_temperature.value` at the bottom and top of its range. What changes?
* Which option does Turkish resolve affect, and through which term (hint: intervention risk is against the attacker only)?
"""),
]

NOTEBOOKS["04_what_if_scenarios"] = [
    md("""
# 04 What-if scenarios side by side

Each file in `conf/scenario/` changes a few sourced values of the baseline to ask a counterfactual
question (the file comments say what and why; `docs/scenarios.md` collects them). Here we run a
small ensemble of each and compare them on one figure, with Monte Carlo intervals.
"""),
    code(SETUP),
    code("""from sim import load_config, run_ensemble
import sim.plots as plots

NAMES = ["baseline_2020", "turkey_intervenes", "russia_abstains", "arms_embargo", "strong_minsk_group"]
N = 25  # per scenario; small so this runs in seconds: intervals are wide
results = {name: run_ensemble(load_config(name), n=N, seed=1) for name in NAMES}
runs = pd.concat([r.runs for r in results.values()], ignore_index=True)
for name in NAMES:
    print(f"{name:<20}", load_config(name).scenario.description)"""),
    code("""fig = plots.compare_scenarios(runs, title=f"Five scenarios: P(highest rung >= k), {N} runs each")
plots.comparison_table(runs)"""),
    md("""
## How the wars end, and who brokers

A Russian-brokered ceasefire with peacekeepers is how the real war ended on 10 November 2020. Which scenarios make that ending more or less common?
"""),
    code("""runs.groupby("scenario")["end_type"].value_counts(normalize=True).unstack(fill_value=0).round(2)"""),
    code("""runs.groupby("scenario")[["duration_days", "territory_change_km2", "military_deaths_artsakh",
                          "military_deaths_azerbaijan"]].median().round(0)"""),
    md("""
## Questions

* Which counterfactual moves the chance of a regional intervention (rung 6 or more) the most? Is the difference larger than the intervals?
* An arms embargo removes drones and resupply. Does it make the war shorter, longer, less deadly?
* A stronger Minsk Group proposes more ceasefires. Why might more ceasefires not mean a shorter war?
"""),
]

NOTEBOOKS["05_sweeps"] = [
    md("""
# 05 Sweeps from a notebook

A sweep runs the same scenario over a grid of parameter values. `sim.design.run_design` takes a
table of points (one column per dotted config key, one row per point), runs `n` replicates of each
with common random numbers, and returns the runs with the point's values as columns.
`sim.plots.sweep_heatmap` then draws P(highest rung >= k) per cell, with its interval and run count.
"""),
    code(SETUP),
    code("""import itertools
from omegaconf import OmegaConf
from sim import load_config
from sim.design import run_design

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

NOTEBOOKS["06_sensitivity_and_discovery"] = [
    md("""
# 06 Sensitivity and scenario discovery

Many of the model's numbers are judgements with wide declared ranges (notebook 02). Two questions
follow: **which of them matter** for an outcome, and **which combinations** of them lead to the
outcomes we worry about. This notebook answers both with the package's own tools, at tiny sizes.

**Sobol indices** split the variance of an outcome over the sampled ranges. The first-order index
S1 of a parameter is the share it explains alone; the total index ST adds every interaction it
takes part in. ST near 0: the parameter can be fixed anywhere in its range without changing the
outcome. ST much larger than S1: it matters through interactions. Cost: N x (k + 2) points for k
parameters and a base sample N (a power of two), N x (2k + 2) with second-order indices.

**Morris screening** moves one parameter at a time along r random trajectories through a grid.
Each step gives an elementary effect: the change of the outcome, scaled to a move across the
parameter's whole range. mu* is their mean absolute value, in the outcome's units (so a
probability's mu* can exceed 1); sigma large against mu* means interactions or a non-linear
effect. Morris ranks, it does not apportion variance, and it is cheap: r x (k + 1) points.

Every point's outcome is estimated from a few replicate runs, so Monte Carlo noise sets a floor:
an index whose 95% interval reaches zero is not distinguishable from no effect.
"""),
    code(SETUP),
    code("""from sim import load_config
from sim.sensitivity import morris, ranking, run_count, sobol
from sim.discovery import TARGETS, discover
from sim.plots.sensitivity import sensitivity_bars
from sim.plots.discovery import discovery_box
from sim.schema import design_ranges

cfg = load_config("baseline_2020", overrides=["scenario.horizon_days=60"])
PARAMS = [
    "powers.turkey.intervention_cost.value",   # how costly Turkey finds entering the war
    "powers.russia.intervention_cost.value",
    "diplomacy.ceasefire_value.value",         # how much a belligerent values a ceasefire
    "combat.advance_rate.value",               # the tempo of the ground war
    "belligerents.azerbaijan.arms_spending.value",  # a control: stored, read by no rule of the war
]
RANGES = design_ranges(cfg)
pd.DataFrame({"low": [RANGES[p][0] for p in PARAMS], "high": [RANGES[p][1] for p in PARAMS]}, index=PARAMS)"""),
    md("""
The last parameter is a control: the model records arms spending but no rule of the war reads it.
Because every point reuses the same random numbers (common random numbers), its indices should
come out exactly zero. A method that gave it a large index would be telling us about noise.

## Morris: a cheap first screen
"""),
    code("""print("Morris runs:", run_count("morris", len(PARAMS), 4, 4))
m = morris(cfg, PARAMS, trajectories=4, replicates=4, seed=1)
m.indices.query("index == 'mu_star'").pivot(index="parameter", columns="outcome", values="value").round(2)"""),
    code("""fig = sensitivity_bars(m.indices, "duration_days", title="Morris screening: what moves the duration of the war (days)")"""),
    md("""
## Sobol: how the variance of an outcome divides up

First the duration of the war: each point's outcome is the mean duration of its runs. With N = 16
and 4 replicates the intervals are wide: read the ranking and the control, not the decimals.
"""),
    code("""print("Sobol runs:", run_count("sobol", len(PARAMS), 16, 4))
s = sobol(cfg, PARAMS, base=16, replicates=4, seed=1)
fig = sensitivity_bars(s.indices, "duration_days", title="Sobol indices of the war's duration (N = 16, 4 runs per point)")"""),
    md("""
Now P(regional war): the share of a point's runs that reached rung 6 (an outside power in the
war). It is a threshold outcome, zero over most of the ranges and high in a small corner, so at
this size its indices are unstable: compare with `seed=2`, then with the command line's sizes.
An index above 1 or an interval wider than the index is the estimator telling you N is too small.
"""),
    code("""ranking(s.indices, "p_rung_ge_6", "ST").round(2)"""),
    md("""
## Scenario discovery: where do regional wars and quick ceasefires happen?

Indices say *which* parameters matter; scenario discovery says *where*. A shallow decision tree
(CART, scikit-learn) is fitted to every run of the design, and each region it labels as the
outcome is a **box**: a rule of parameter bounds. Two numbers judge a box:

* **coverage**: the share of all runs with the outcome that fall inside the box (does it explain most cases?);
* **density**: the share of runs inside the box that have the outcome (is it a reliable warning sign?).

A good box has both high, and a density well above the share among all runs.
"""),
    code("""for target in TARGETS:
    share = TARGETS[target](s.runs).mean()
    print(f"{target}: {share:.2f} of all runs")
    display(discover(s.runs, PARAMS, target)[["rule", "runs", "hits", "coverage", "density"]].round(2))"""),
    code("""target = "regional_war"
boxes = discover(s.runs, PARAMS, target)
fig = discovery_box(s.runs, boxes, PARAMS, TARGETS[target](s.runs), RANGES, "regional war")  # axes: the best box's parameters"""),
    md("""
## Scaling up

These sizes are for a seminar room. For numbers worth quoting, run the command line, which prints
the run count first, streams the runs to disk (rerunning resumes), and writes the indices, the
charts, the boxes and a report (`docs/sensitivity.md`):

```
python -m experiments.sensitivity --base 64 --replicates 20 --executor processes --workers 2 --out outputs/sensitivity
python -m experiments.sensitivity --method morris --params all --base 10 --max-runs 50000
```

## Questions

* Which parameters' ST is clearly above zero for the duration? Does the box for quick ceasefires bound the same ones?
* Is the control parameter exactly zero? Why does this need common random numbers?
* Double N or the replicates. Which intervals shrink more, and why (sampling the ranges vs Monte Carlo noise per point)?
* Compare ST with S1 for duration. Where is the gap largest, and what does that say about interactions?
"""),
]

EXERCISES = [
    ("Drones", """Azerbaijan's Bayraktar TB2 drones were widely credited for the speed of its advance. Using
`belligerents.azerbaijan.uavs.value` (range 0-80 sorties a day), compare the baseline with 6 sorties
(before the TB2 deliveries). How do territory taken and the length of the war change?"""),
    ("Turkish resolve", """Compare `powers.turkey.resolve.value` at 0.0, 0.5 and 1.0. What happens to the chance that
the war reaches rung 6 (regional intervention)? Report each probability with its interval."""),
    ("Russia as guarantor", """Compare the scenarios `baseline_2020` and `russia_guarantor`. How often does Russia broker the end of the war in each?"""),
    ("Your own counterfactual", """Pick one parameter from the card (notebook 02) whose source you find weakest. Move it to
both ends of its range and say whether a conclusion from exercises 1-3 survives."""),
]

NOTEBOOKS["07_seminar_exercises"] = [
    md("""
# 07 Seminar exercises

Answer each question **with the model**: state the runs you made (scenario, overrides, `n`,
seed), the number you read off, and its Monte Carlo interval. Then say in two sentences what the
answer does and does not tell us about the real war (`docs/limitations.md`).

Keep `n` small while exploring (20-30 runs), then confirm with more.
"""),
    code(SETUP),
    code("""from sim import load_config, run_ensemble, scenarios
from sim.stats import proportion
import sim.plots as plots"""),
    *[c for i, (title, text) in enumerate(EXERCISES, 1)
      for c in (md(f"## Exercise {i}: {title}\n\n{text}"), code("# your runs here"))],
    md("""
## Discussion

* Which of your answers would change if the day-one calibration figures (claims by one side) were off by half?
* Where does the model's war differ from what happened between 27 September and 10 November 2020, and why might that be?
"""),
]

SOLUTIONS = [
    """def ensemble(overrides=(), scenario="baseline_2020", n=25, seed=1):
    return run_ensemble(load_config(scenario, overrides=list(overrides)), n=n, seed=seed).runs

few = ensemble(["belligerents.azerbaijan.uavs.value=6"]).assign(case="6 sorties (pre-TB2)")
base = ensemble().assign(case="26 sorties (baseline)")
both = pd.concat([few, base])
both.groupby("case")[["territory_change_km2", "duration_days"]].describe().round(0)""",
    """rows = []
for resolve in (0.0, 0.5, 1.0):
    r = ensemble([f"powers.turkey.resolve.value={resolve}"])
    e = proportion(r["max_rung"] >= 6)
    rows.append({"turkish resolve": resolve, "P(rung >= 6)": e.value, "low": e.low, "high": e.high, "runs": len(r)})
pd.DataFrame(rows).round(3)""",
    """rows = []
for name in ("baseline_2020", "russia_guarantor"):
    r = ensemble(scenario=name)
    e = proportion(r["broker"] == "russia")
    rows.append({"scenario": name, "P(Russia brokers)": e.value, "low": e.low, "high": e.high, "runs": len(r)})
pd.DataFrame(rows).round(3)""",
    """# One example: Azerbaijani revanchism, a judgement from quotes, at both ends of its range.
rows = []
for value in (0.3, 1.0):
    for resolve in (0.0, 1.0):
        r = ensemble([f"belligerents.azerbaijan.revanchism.value={value}", f"powers.turkey.resolve.value={resolve}"], n=20)
        e = proportion(r["max_rung"] >= 6)
        rows.append({"revanchism": value, "turkish resolve": resolve, "P(rung >= 6)": e.value, "low": e.low, "high": e.high})
pd.DataFrame(rows).round(3)""",
]

SOLUTION_NOTES = [
    """With fewer drone sorties the attacker's combat power and its erosion of the defender's terrain
and fortification edge fall, so less territory changes hands. Read the medians *and* the spread: with
25 runs each, overlapping ranges are common.""",
    """The chance of rung 6 should rise with Turkish resolve, but note the intervals: at 25 runs
they are roughly +-0.15 wide. Say whether the difference is larger than the intervals before
calling it an effect.""",
    """In `russia_guarantor` the attacker admits Russian peacekeepers without first taking territory,
so ceasefires Russia brokers hold. Compare the share with the interval.""",
    """A conclusion that holds at both ends of a weakly sourced parameter's range is robust to that
doubt; one that flips tells you which assumption carries it. Notebook 06 (sensitivity) asks the
same question for many parameters at once.""",
]

NOTEBOOKS["07_seminar_solutions"] = [
    md("""
# 07 Seminar exercises: solutions

One way to answer each exercise, at small ensemble sizes so the notebook runs in under a
minute. The numbers you get with other seeds or larger `n` will differ within the intervals;
that is the point of the intervals.
"""),
    code(SETUP),
    code("""from sim import load_config, run_ensemble
from sim.stats import proportion"""),
    *[c for i, ((title, text), sol, note) in enumerate(zip(EXERCISES, SOLUTIONS, SOLUTION_NOTES, strict=True), 1)
      for c in (md(f"## Exercise {i}: {title}\n\n{text}"), code(sol), md(f"**Reading it.** {note}"))],
]


def build(name: str, cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    for i, cell in enumerate(nb.cells):
        cell.id = f"{name[:2]}-{i:02d}"  # stable ids, so rewriting a notebook changes only what changed
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        path = HERE / f"{name}.ipynb"
        nbformat.write(build(name, cells), path)
        print("wrote", path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
