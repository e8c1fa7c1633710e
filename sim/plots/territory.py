"""How much ground changes hands in the fighting, with the record where one exists.

Territory is the war's stake, and the one outcome a reader can hold against a
map of what happened: the histogram shows the spread across runs (km2 taken in
the fighting, not the districts handed over at the end, which the endings'
terms carry), the median with its bootstrap interval, and the recorded range
of the episode the scenario models (conf/backtest, sim.analysis.record).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.stats import bootstrap, run_quantiles
from sim.outputs import output
from sim.plots.common import counts_of_runs, draw_record, footnote, new_figure, require

TERRITORY = "territory_change_km2"


def territory_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Median territory changed hands with its bootstrap interval, and the 5/25/75/95th percentiles (km2)."""
    require(runs, [TERRITORY], "runs")
    x = runs[TERRITORY].astype(float)
    b = bootstrap(x, np.median)
    qs = (0.05, 0.25, 0.75, 0.95)
    row = {"n": b.n, "median_km2": b.value, "low": b.low, "high": b.high}
    row.update({f"p{round(k * 100):02d}": v for k, v in zip(qs, run_quantiles(x, qs), strict=True)})
    return pd.DataFrame([row])


def territory(runs: pd.DataFrame, title: str | None = None, record: Any = None):
    """Histogram of the territory that changed hands per run, its median, and the record when given.

    record: the recorded range (sim.analysis.record.Recorded), drawn as a band or a line.
    """
    t = territory_table(runs).iloc[0]
    x = runs[TERRITORY].astype(float)
    hi = max(float(x.max()), record.high if record is not None else 0.0, 1.0)
    bins = np.linspace(0, hi * 1.02, 31)
    fig, ax = new_figure(size=(9, 4.8))
    ax.hist(x, bins=bins, color="#56B4E9", edgecolor="white", lw=0.4, label="runs")
    ax.axvspan(t["low"], t["high"], color="0.5", alpha=0.25, lw=0, zorder=0,  # behind the bars: their colour stays
               label=f"95% bootstrap interval of the median [{t['low']:,.0f}, {t['high']:,.0f}]")  # fmt: skip
    ax.axvline(t["median_km2"], color="black", lw=1.8, ls="--", label=f"median run {t['median_km2']:,.0f} km\u00b2")
    if record is not None:  # a range under 1/200 of the axis would not show as a band
        draw_record(ax, record.low, record.high, f"{record.text()} km\u00b2", narrow=hi / 200)
    unit = output(TERRITORY).unit.replace("km2", "km\u00b2")
    ax.set_xlabel(f"territory that changed hands in the fighting ({unit})")
    counts_of_runs(ax, xaxis_thousands=True)
    ax.set_xlim(0, bins[-1])
    ax.legend(
        fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, frameon=False
    )  # below: no bar hidden
    ax.set_title(title or f"How much ground changes hands ({len(runs)} runs)")
    footnote(fig, f"N = {len(runs)} runs; districts handed over at the end are not counted (see the endings).")
    return fig
