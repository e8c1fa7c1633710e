"""Notebook 07 solutions: one way to answer each exercise, with a note on how to read it."""

from __future__ import annotations

from .cells import SETUP, code, md
from .nb07_seminar_exercises import EXERCISES

NAME = "07_seminar_solutions"

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

CELLS = [
    md("""
# 07 Seminar exercises: solutions

One way to answer each exercise, at small ensemble sizes so the notebook runs in under a
minute. The numbers you get with other seeds or larger `n` will differ within the intervals;
that is the point of the intervals.
"""),
    code(SETUP),
    code("""from sim import load_config, run_ensemble
from sim.analysis.stats import proportion"""),
    *[c for i, ((title, text), sol, note) in enumerate(zip(EXERCISES, SOLUTIONS, SOLUTION_NOTES, strict=True), 1)
      for c in (md(f"## Exercise {i}: {title}\n\n{text}"), code(sol), md(f"**Reading it.** {note}"))],
]
