"""Notebook 07: the seminar exercises, each answered with the model (solutions in nb07_seminar_solutions)."""

from __future__ import annotations

from .cells import SETUP, code, md

NAME = "07_seminar_exercises"

#: Title and question of each exercise; the solutions notebook repeats them word for word.
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

CELLS = [
    md("""
# 07 Seminar exercises

Answer each question **with the model**: state the runs you made (scenario, overrides, `n`,
seed), the number you read off, and its Monte Carlo interval. Then say in two sentences what the
answer does and does not tell us about the real war (`docs/limitations.md`).

Keep `n` small while exploring (20-30 runs), then confirm with more.
"""),
    code(SETUP),
    code("""from sim import load_config, run_ensemble, scenarios
from sim.analysis.stats import proportion
import sim.plots as plots"""),
    *[c for i, (title, text) in enumerate(EXERCISES, 1)
      for c in (md(f"## Exercise {i}: {title}\n\n{text}"), code("# your runs here"))],
    md("""
## Discussion

* Which of your answers would change if the day-one calibration figures (claims by one side) were off by half?
* Where does the model's war differ from what happened between 27 September and 10 November 2020, and why might that be?
"""),
]
