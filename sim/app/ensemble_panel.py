"""The page's ensemble: many wars with the current settings, so a seminar sees outcomes, not an anecdote.

One simulated war is one draw; the button runs WARS of them with the scenario
and sliders as they stand, in a background thread with a progress bar, then
shows the fan chart, how the wars ended and the deaths by side, each with its
Monte Carlo interval (sim.plots), and sentences written from the numbers
(sim.report.conclusions). The last two ensembles stand side by side, each
labelled with its settings, so moving a slider and running again compares two
settings. Replicate r uses the r-th seed of the ensemble (sim.runs.chunks), so
the page's 100 wars are those of `run_ensemble(config, n=100, seed=...)`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
import solara
from omegaconf import OmegaConf

from sim import plots
from sim.config.loading import load_config
from sim.plots.endings import END_LABELS
from sim.report.conclusions import ensemble_sentences
from sim.runs.chunks import replicate_seed, run_one

#: Wars per ensemble on the page: enough for intervals of about +-10 percentage points.
WARS = 100
#: Ensembles shown side by side.
SHOWN = 2
#: Wars between two progress reports.
PROGRESS_EVERY = 5


@dataclass(frozen=True)
class Ensemble:
    """An ensemble run from the page: its settings, as a reader reads them, and its tables."""

    label: str
    runs: pd.DataFrame
    daily: pd.DataFrame


def settings_label(scenario: str, overrides: list[str], seed: int) -> str:
    moved = "; ".join(o.removesuffix(".value").replace(".value=", " = ") for o in overrides) or "no slider moved"
    return f"{scenario} ({moved}), seed {seed}"


def run_wars(
    scenario: str, overrides: list[str], seed: int, n: int = WARS, on_progress: Callable[[int], None] | None = None
) -> Ensemble:
    """n wars of the scenario with the overrides, one at a time so that progress can be shown.

    Progress is reported every PROGRESS_EVERY wars and at the end: each report redraws the panel.
    """
    cfg = load_config(scenario, overrides=overrides)
    OmegaConf.set_readonly(cfg, True)  # the wars then share one plain copy of it (sim.model.conflict.parameters_of)
    records, days = [], []
    for r in range(n):
        rec, columns = run_one(cfg, replicate_seed(seed, r), r)
        records.append(rec)
        days.append(pd.DataFrame(columns))
        if on_progress is not None and ((r + 1) % PROGRESS_EVERY == 0 or r + 1 == n):
            on_progress(r + 1)
    runs = pd.DataFrame(records)
    runs.insert(0, "seed", seed)
    return Ensemble(settings_label(scenario, overrides, seed), runs, pd.concat(days, ignore_index=True))


def png(figure) -> bytes:
    """A pyplot figure as PNG bytes, closed at once (the page holds images, not figures)."""
    buf = io.BytesIO()
    try:
        figure.savefig(buf, format="png", dpi=80)
    finally:
        plt.close(figure)
    return buf.getvalue()


def endings_text(runs: pd.DataFrame) -> list[str]:
    """Each ending's share with its 95% Wilson interval, as lines of text."""
    t = plots.end_type_table(runs)
    return [
        f"{END_LABELS.get(r.category, r.category)}: {r.p:.0%} (95% interval {r.low:.0%}-{r.high:.0%})"
        for r in t.itertuples()
    ]


@solara.component
def EnsembleView(ens: Ensemble):
    """One ensemble: what it says in words, then its fan chart, endings and casualty ranges."""
    images = solara.use_memo(
        lambda: [
            png(plots.fan_chart(ens.daily, title=f"Escalation over time ({len(ens.runs)} wars)")),
            png(plots.end_shares(ens.runs, title=f"How the wars end ({len(ens.runs)} wars)")),
            png(plots.casualty_ranges(ens.runs, title=f"Deaths by side ({len(ens.runs)} wars)")),
        ],
        [ens],
    )
    with solara.Card():
        # The settings as a heading of their own, wrapped: a card's title is cut to one line, which hid the
        # very setting that tells two ensembles apart.
        solara.Markdown(f"**{ens.label}**")
        solara.Markdown(" ".join(ensemble_sentences(ens.runs)))
        solara.Markdown("**How the wars ended**\n\n" + "\n".join(f"- {line}" for line in endings_text(ens.runs)))
        for caption, image in zip(("Fan chart of the rung by day", "Endings", "Casualty ranges"), images, strict=True):
            solara.Markdown(f"**{caption}**")
            solara.Image(image, width="100%")


@solara.component
def EnsemblePanel(settings: Callable[[], tuple[str, list[str], int]]):
    """The button, the progress bar and the last SHOWN ensembles side by side.

    settings: returns the scenario, the slider overrides and the seed as they stand on the page.
    """
    shown: solara.Reactive[list[Ensemble]] = solara.use_reactive([])
    done = solara.use_reactive(0)
    request: solara.Reactive[tuple[str, list[str], int] | None] = solara.use_reactive(None)

    def work():
        if request.value is None:
            return None
        scenario, overrides, seed = request.value
        done.set(0)
        ens = run_wars(scenario, overrides, seed, on_progress=done.set)
        shown.set([*shown.value, ens][-SHOWN:])
        request.set(None)
        return ens

    solara.use_thread(work, dependencies=[request.value])
    running = request.value is not None
    with solara.Card("Many wars: what these settings do across an ensemble"):
        solara.Markdown(
            f"One war is one draw. Run {WARS} with the scenario and sliders as they stand (in the background); "
            f"the last {SHOWN} ensembles stand side by side, so move a slider and run again to compare."
        )
        with solara.Row():
            solara.Button(
                f"Run {WARS} wars", on_click=lambda: request.set(settings()), disabled=running, color="primary"
            )
            solara.Button("Clear", on_click=lambda: shown.set([]), disabled=running or not shown.value)
        if running:
            solara.ProgressLinear(done.value / WARS * 100)
            solara.Text(f"{done.value}/{WARS} wars run")
    if shown.value:
        with solara.Columns([1] * len(shown.value)):
            for ens in shown.value:
                EnsembleView(ens)
