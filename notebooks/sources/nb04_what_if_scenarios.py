"""Notebook 04: the named counterfactual scenarios side by side, with Monte Carlo intervals."""

from __future__ import annotations

from .cells import SETUP, code, md

NAME = "04_what_if_scenarios"

CELLS = [
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
