"""The report's opening in plain words, written from the numbers with their uncertainty.

A seminar participant reads the first paragraph and rarely the tables, so the
paragraph says what the tables say, no more: each share with its 95% Wilson
interval, each typical value as a median with the range that holds 90% of
runs. The words for a share ("most runs", "about half") follow from the
share itself (SHARE_WORDS), so a sentence cannot claim more than its number.
The model beside the record (`record_sentences`) compares each recorded figure
of conf/backtest with the runs in the same words.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.points import Points, point_labels, short_name
from sim.analysis.record import Recorded
from sim.analysis.stats import run_spread, wilson
from sim.outputs import CIVILIAN_DEATHS, INTERVENED, MILITARY_DEATHS, output
from sim.plots.endings import END_LABELS

#: (lowest share, words): the first whose share is reached describes it.
SHARE_WORDS = (
    (0.9, "almost all runs"),
    (0.6, "most runs"),
    (0.4, "about half of the runs"),
    (0.1, "a minority of runs"),
    (1e-12, "few runs"),
    (0.0, "no run"),
)
#: The documents a reader needs beside the numbers (paths from the project root).
READ_ALSO = (
    ("what the model reproduces and misses", "docs/validation.md"),
    ("its limitations and whose claims the figures are", "docs/limitations.md"),
)


#: How a sentence says that a war ended a given way.
END_PHRASES = {
    "settlement": "the war ends in a negotiated settlement",
    "ceasefire": "the war ends in a ceasefire that holds",
    "capitulation": "the war ends with the collapse of the Armenian defence",
    "lull": "the fighting dies down without an agreement (a lull)",
    "horizon": "the war is still being fought at the model's horizon",
}


def end_phrase(end_type: str) -> str:
    return END_PHRASES.get(end_type, f"the war ends by {END_LABELS.get(end_type, end_type).lower()}")


def share_words(p: float) -> str:
    return next(words for low, words in SHARE_WORDS if p >= low)


#: Below this many runs a sentence counts runs ("3 of 8 runs") instead of naming a share in words.
FEW_RUNS = 20


def _words(k: int, n: int) -> str:
    """'most runs' from the share, or '3 of 8 runs' when so few runs leave the share wide open."""
    return f"{k} of {n} runs" if n < FEW_RUNS else share_words(k / n)


def _share(k: int, n: int) -> str:
    e = wilson(k, n)
    return f"{e.value:.0%}, 95% interval {e.low:.0%}-{e.high:.0%}"


def ensemble_sentences(runs: pd.DataFrame) -> list[str]:
    """Four sentences on one setting's runs: how the war ends, how far it escalates, its cost, who entered."""
    n = len(runs)
    ends = runs["end_type"].value_counts()
    top, k = str(ends.index[0]), int(ends.iloc[0])
    lo, med, hi = run_spread(runs["duration_days"])
    out = [
        f"In {_words(k, n)} ({_share(k, n)}) {end_phrase(top)}; the median war lasts "
        f"{med:.0f} days and 90% of runs end within {lo:.0f}-{hi:.0f} days."
    ]
    r4, r6 = int((runs["max_rung"] >= 4).sum()), int((runs["max_rung"] >= 6).sum())
    out.append(
        f"Strikes on population centres (rung 4) happen in {_words(r4, n)} ({_share(r4, n)}); "
        f"an outside power's intervention (rung 6 or higher) in {_words(r6, n)} ({_share(r6, n)})."
    )
    mil = runs[list(MILITARY_DEATHS)].sum(axis=1)
    civ = runs[list(CIVILIAN_DEATHS)].sum(axis=1)
    (ml, mm, mh), (cl, cm, ch) = run_spread(mil), run_spread(civ)
    out.append(
        f"A median war kills {mm:,.0f} soldiers (90% of runs: {ml:,.0f}-{mh:,.0f}) and {cm:,.0f} civilians "
        f"({cl:,.0f}-{ch:,.0f}), all sides together."
    )
    entered = [(c, int(runs[c].sum())) for c in INTERVENED if c in runs and runs[c].sum() > 0]
    if entered:
        col, k = max(entered, key=lambda e: e[1])
        who = output(col).who or col
        out.append(f"{who.capitalize()} enters the war in {_words(k, n)} ({_share(k, n)}).")
    else:
        out.append(f"No outside power enters the war with its own forces in any of the {n} runs.")
    return out


def _point_sentence(name: str, g: pd.DataFrame) -> str:
    n = len(g)
    ends = g["end_type"].value_counts()
    top, k = str(ends.index[0]), int(ends.iloc[0])
    lo, med, hi = run_spread(g["duration_days"])
    r6 = wilson(int((g["max_rung"] >= 6).sum()), n)
    return (
        f"{name}: in {_words(k, n)} ({_share(k, n)}) {end_phrase(top)}, the median war lasting {med:.0f} "
        f"days (90% of runs {lo:.0f}-{hi:.0f}); an outside power intervenes in {r6.value:.0%} of runs "
        f"(95% interval {r6.low:.0%}-{r6.high:.0%})."
    )


def grid_sentences(runs: pd.DataFrame, pts: Points, each_up_to: int = 4) -> list[str]:
    """A sentence per point while they are few; beyond, the points at either end of the two headline
    outcomes (regional intervention and duration), each from that point's runs alone."""
    groups = list(runs.groupby(point_labels(runs, pts), sort=False))
    if len(groups) <= each_up_to:
        return [_point_sentence(str(name), g) for name, g in groups]
    r6 = {str(name): wilson(int((g["max_rung"] >= 6).sum()), len(g)) for name, g in groups}
    days = {str(name): float(g["duration_days"].median()) for name, g in groups}
    low6, high6 = min(r6, key=lambda k: r6[k].value), max(r6, key=lambda k: r6[k].value)
    short, long = min(days, key=days.__getitem__), max(days, key=days.__getitem__)
    ends = {str(name): str(g["end_type"].value_counts().index[0]) for name, g in groups}
    common = pd.Series(ends).value_counts()

    def share(k: str) -> str:
        return f"{r6[k].value:.0%} (95% interval {r6[k].low:.0%}-{r6[k].high:.0%})"

    return [
        f"Across the {len(groups)} points, an outside power intervenes (rung 6 or higher) in {share(low6)} of "
        f"runs at {low6} and in {share(high6)} at {high6}.",
        f"The median war lasts from {days[short]:.0f} days ({short}) to {days[long]:.0f} days ({long}).",
        f"The most common ending is that {end_phrase(str(common.index[0]))} at {int(common.iloc[0])} of the "
        f"{len(groups)} points; each point's numbers are in the table below.",
    ]


def design_sentences(ranks: list[pd.DataFrame]) -> list[str]:
    """The strongest parameter of each outcome, with its rank correlation and interval."""
    out = []
    for t in ranks:
        top = t.iloc[0]
        sure = top["low"] > 0 or top["high"] < 0
        direction = "raises" if top["rho"] > 0 else "lowers"
        verdict = (
            f"{short_name(top['parameter'])} {direction} it most clearly"
            if sure
            else f"no parameter moves it clearly (the strongest, {short_name(top['parameter'])}, has an interval "
            "that includes zero)"
        )
        out.append(
            f"{output_name(top['outcome'])}: {verdict} (rank correlation {top['rho']:+.2f}, 95% interval "
            f"{top['low']:+.2f} to {top['high']:+.2f}, over {int(top['points'])} points)."
        )
    return out


def output_name(measure: str) -> str:
    """A sensitivity outcome as a reader names it."""
    names = {
        "p_rung_ge_5": "War on Armenia proper (rung 5)",
        "p_rung_ge_6": "Regional intervention (rung 6)",
        "duration_days": "Duration",
        "deaths": "Deaths",
    }
    return names.get(measure, measure)


def record_sentences(runs: pd.DataFrame, record: dict[tuple[str, ...], Recorded]) -> list[str]:
    """Each recorded figure beside the runs: the model's median and 90% range, and where the record falls."""
    out = []
    for cols, rec in record.items():
        values = runs[list(cols)].sum(axis=1).astype(float)
        lo, med, hi = run_spread(values)
        unit = output(cols[0]).unit
        inside = float(((values >= rec.low) & (values <= rec.high)).mean())
        if rec.high < lo:
            where = "below the range of 90% of runs: the model overstates it"
        elif rec.low > hi:
            where = "above the range of 90% of runs: the model understates it"
        else:
            where = "inside the range of 90% of runs"
        span = f"{rec.low:,.0f}" if rec.low == rec.high else f"{rec.low:,.0f}-{rec.high:,.0f}"
        out.append(
            f"{rec.label}: recorded {span} {unit}; the model's median run gives {med:,.0f} (90% of runs "
            f"{lo:,.0f}-{hi:,.0f}), so the record lies {where}; {inside:.0%} of runs fall within the recorded "
            f"{'figure' if rec.low == rec.high else 'range'}."
        )
    return out


def opening_blocks(runs: pd.DataFrame, pts: Points, ranks: list[pd.DataFrame] | None, docs: list) -> list[tuple]:
    """The report's first section: the sentences for its kind, then where to read on (docs: (text, href))."""
    if pts.kind == "ensemble":
        sentences = ensemble_sentences(runs)
    elif pts.kind == "grid":
        sentences = grid_sentences(runs, pts)
    else:
        sentences = design_sentences(ranks or [])
    return [
        ("h2", "In brief"),
        ("p", " ".join(sentences)),
        (
            "p",
            "These are the model's wars, not forecasts: each share is the model's, with the 95% interval that "
            "its number of runs allows.",
        ),
        ("links", "Before drawing lessons, read", docs),
    ]


def record_blocks(runs: pd.DataFrame, record: dict[tuple[str, ...], Recorded]) -> list[tuple]:
    """The section comparing the model with the record of the episode its scenario models."""
    if not record:
        return []
    return [
        ("h2", "The model beside the record"),
        (
            "p",
            "The scenario models a real episode; conf/backtest holds what is recorded of it. Each recorded figure "
            "is drawn on the figures below and compared here with the runs:",
        ),
        ("ul", record_sentences(runs, record)),
    ]
