"""Casualties by side, military and civilian: spread across runs and the uncertainty of the mean.

Two different things are drawn and kept apart: the *spread* of outcomes across
runs (the range a single war could land in: median, 50% and 90% of runs) and
the *Monte Carlo uncertainty* of the ensemble mean (a bootstrap interval that
shrinks as N grows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from sim.analysis.stats import bootstrap, run_quantiles
from sim.outputs import CIVILIAN_DEATHS, MILITARY_DEATHS, output
from sim.plots.common import RECORD_COLOUR, footnote, new_figure, require

#: Casualty column -> the side it counts, as declared in sim.outputs.
MILITARY = {c: output(c).who for c in MILITARY_DEATHS}
CIVILIAN = {c: output(c).who for c in CIVILIAN_DEATHS}
#: Azerbaijan's foreign (Syrian) fighters: a military row of their own when the runs have it.
FOREIGN = {"military_deaths_foreign_fighters": "Syrian fighters (Azerbaijan)"}


def casualty_table(runs: pd.DataFrame, totals: tuple[tuple[str, ...], ...] = ()) -> pd.DataFrame:
    """Per casualty column: mean with bootstrap interval, median, 5/25/75/95th percentiles across runs.

    totals: groups of columns that a record counts together (the Armenian side's military dead,
    Armenia and Artsakh): each adds a row of their sum per run, its column named "a+b".
    """
    require(runs, [*MILITARY, *CIVILIAN, *(c for cols in totals for c in cols)], "runs")
    rows = []
    military = {**MILITARY, **{c: who for c, who in FOREIGN.items() if c in runs}}
    for kind, cols in (("military", military), ("civilian", CIVILIAN)):
        sums = {"+".join(g): " + ".join(cols[c] for c in g) for g in totals if set(g) <= set(cols)}
        for col, side in {**cols, **sums}.items():
            x = runs[col.split("+")].astype(float).sum(axis=1) if col in sums else runs[col].astype(float)
            m = bootstrap(x, np.mean)
            p5, p25, median, p75, p95 = run_quantiles(x, (0.05, 0.25, 0.5, 0.75, 0.95))
            rows.append(
                {
                    "column": col,
                    "kind": kind,
                    "side": side,
                    "n": m.n,
                    "mean": m.value,
                    "mean_low": m.low,
                    "mean_high": m.high,
                    "median": median,
                    "p5": p5,
                    "p25": p25,
                    "p75": p75,
                    "p95": p95,
                }
            )
    return pd.DataFrame(rows)


def casualty_ranges(runs: pd.DataFrame, title: str | None = None, record: dict | None = None):
    """Deaths by side: military (left) and civilian (right) on their own scales.

    Colours are Okabe-Ito blues (spread) and vermillion (mean and its interval).
    record: recorded totals by the columns they sum (sim.analysis.record.record_of), drawn as
    reddish-purple ranges on the rows they match; a record of several rows (the Armenian side's
    military dead, Armenia and Artsakh together) is written under the panel.
    """
    # a record of several columns (the Armenian side's military dead) gets a row of their sum to stand beside
    t = casualty_table(runs, tuple(cols for cols in (record or {}) if len(cols) > 1 and set(cols) <= set(runs)))
    n = int(t["n"].iloc[0])
    fig, grid = new_figure(2, 2, size=(11, 4.8), height_ratios=[1, 0.1])
    axes = grid[0]
    gs = grid[1, 0].get_gridspec()
    for a in grid[1]:
        a.remove()
    key = fig.add_subplot(gs[1, :])  # a strip under both panels for the shared legend
    key.axis("off")
    for ax, kind in zip(axes, ("military", "civilian"), strict=True):
        s = t[t["kind"] == kind].reset_index(drop=True)
        y = np.arange(len(s))[::-1].astype(float)
        ax.hlines(y, s["p5"], s["p95"], color="#56B4E9", lw=3, label="90% of runs (5th-95th percentile)")
        ax.hlines(y, s["p25"], s["p75"], color="#0072B2", lw=8, label="50% of runs (25th-75th percentile)")
        ax.plot(s["median"], y, "o", color="white", mec="black", ms=7, label="median run")
        err = np.vstack([s["mean"] - s["mean_low"], s["mean_high"] - s["mean"]])
        ax.errorbar(
            s["mean"],
            y - 0.28,
            xerr=err,
            fmt="D",
            color="#D55E00",
            ms=5,
            capsize=3,
            label="mean, 95% bootstrap interval",
        )
        for yi, row in zip(y, s.itertuples(), strict=True):  # beside the bar's end: no record marker covers it
            ax.text(row.p95, yi, f"  {row.median:,.0f}", fontsize=8, ha="left", va="center", color="0.15")
        noted = _draw_record(ax, s, y, record or {})
        ax.set_yticks(y, s["side"])
        ax.set_ylim(y.min() - 0.7, y.max() + (1.5 if noted else 0.7))  # room above the rows for a note
        right = max([float(s["p95"].max())] + [r.high for c, r in (record or {}).items() if set(c) <= set(s["column"])])
        ax.set_xlim(0, 1.3 * right)  # room to the right of the bars for the record's label
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))
        ax.set_xlabel(f"{kind} deaths per war ({output(s['column'].iloc[0]).unit})")
        ax.set_title(f"{kind.capitalize()} deaths by side")
        ax.grid(axis="x", color="0.92")
    entries: dict[str, object] = {}  # each entry once, though both panels (and every record row) draw it
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
    key.legend(list(entries.values()), list(entries), loc="center", ncols=3, fontsize=8,
               frameon=False)  # fmt: skip
    fig.suptitle(title or f"Casualties by side ({n} runs)")
    footnote(
        fig,
        f"N = {n} runs; bars show the spread across runs; "
        "the orange interval is the Monte Carlo uncertainty of the mean.",
    )
    return fig


def _draw_record(ax, s: pd.DataFrame, y, record: dict) -> bool:
    """The recorded totals beside the model's rows (one row's column), or as a note above the rows
    (several rows'); whether there is a note."""
    columns = list(s["column"])
    notes = []
    for cols, rec in record.items():
        if "+".join(cols) in columns:  # one column's record, or a sum's with its own row
            yi = y[columns.index("+".join(cols))] + 0.36
            ax.errorbar((rec.low + rec.high) / 2, yi, xerr=[[(rec.high - rec.low) / 2]], fmt="s", color=RECORD_COLOUR,
                        ms=6, capsize=4, lw=2, label="recorded (docs/sources.md)")  # fmt: skip
            ax.text(rec.high, yi, f"  {rec.text()}", fontsize=7.5, va="center", color="#8B3A6B")
        elif set(cols) <= set(columns):
            notes.append(f"{rec.label}: {rec.text()}")
    if notes:
        ax.text(0.99, 0.98, "\n".join(notes), transform=ax.transAxes, fontsize=7.5, ha="right", va="top",
                color="#8B3A6B")  # fmt: skip
    return bool(notes)
