"""The scenario contrast figure: each counterfactual's difference from the baseline, with its interval.

One panel per key measure, one row per scenario: a point at the mean paired
difference and a bar for its 95% interval (sim.analysis.contrast), a line at
zero (no change). Colour says what the scenario expected of the measure:
blue where it expected a move and the interval bears it out, vermillion where
it does not, grey where it expected nothing.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.contrast import CONFIDENCE, MEASURES
from sim.plots.common import OKABE_ITO, footnote, new_figure, require

#: The measures the figure draws (the table has them all).
PANELS = (
    "duration",
    "territory",
    "military_deaths_azerbaijan",
    "military_deaths_armenian_side",
    "civilian_deaths_armenian_side",
    "civilian_deaths_azerbaijan",
    "settlement",
    "russian_broker",
)
#: Panel titles short enough for a quarter of the figure's width (the measures' descriptions are sentences).
TITLES = {"settlement": "Wars ended by a settlement", "russian_broker": "Wars Russia brokered"}
COLOURS = {"yes": OKABE_ITO[4], "no": OKABE_ITO[5], "": "0.55"}
UNIT_LABELS = {"share": "percentage points", "people": "people", "days": "days", "km2": "km²", "rung": "rungs"}


def _level(value: float, unit: str) -> str:
    """A baseline level as a reader says it: 83%, 2,496 km², 2,697 people, 39 days."""
    if unit == "share":
        return f"{value * 100:.0f}%"
    text = f"{value:,.0f}" if abs(value) >= 10 else f"{value:.2g}"
    return f"{text} {UNIT_LABELS.get(unit, unit)}"


def contrast_figure(table: pd.DataFrame, n: int, seed: int):
    """Small multiples of the contrast table's differences (shares in percentage points)."""
    require(table, ["scenario", "measure", "difference", "low", "high", "holds"], "contrast")
    scenarios = list(dict.fromkeys(table["scenario"]))
    # a row per scenario, and room for two rows of titled panels, the legend and the footnote however few
    fig, axes = new_figure(2, 4, size=(13, max(5.2, 1.2 + 0.42 * len(scenarios) * 2)), sharey=True)
    y = {s: i for i, s in enumerate(scenarios)}
    for ax, name in zip(axes.ravel(), PANELS, strict=True):
        m = MEASURES[name]
        scale = 100.0 if m.unit == "share" else 1.0
        rows = table[table["measure"] == name]
        for r in rows.itertuples():
            colour = COLOURS[r.holds]
            x, lo, hi = r.difference * scale, r.low * scale, r.high * scale
            ax.errorbar(x, y[r.scenario], xerr=[[x - lo], [hi - x]], fmt="o", color=colour, ms=5, capsize=3, lw=1.4)
        ax.axvline(0.0, color="0.2", lw=0.8, ls="--")
        title = TITLES.get(name, m.description.rstrip("."))
        if len(rows):  # the baseline's own level, so that a difference can be read against it
            title += f"\n(baseline mean {_level(float(rows['baseline'].iloc[0]), m.unit)})"
        ax.set_title(title, fontsize=9.5)
        ax.set_xlabel(f"difference ({UNIT_LABELS.get(m.unit, m.unit)})", fontsize=8.5)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(labelsize=8)
    axes[0, 0].set_yticks(range(len(scenarios)), scenarios)
    axes[1, 0].set_yticks(range(len(scenarios)), scenarios)
    axes[0, 0].invert_yaxis()
    handles = [
        axes[0, 0].errorbar([], [], xerr=[], fmt="o", color=COLOURS[k], label=label)
        for k, label in (
            ("yes", "expected move, borne out"),
            ("no", "expected move, not borne out"),
            ("", "no expectation"),
        )
    ]
    fig.legend(handles=handles, loc="outside upper right", ncols=3, fontsize=8.5, frameon=False)
    fig.suptitle("What each counterfactual changes: difference from baseline_2020", fontsize=12, x=0.01, ha="left")
    footnote(
        fig,
        f"points: mean of paired differences over n={n} runs per scenario (seed {seed}, common random numbers); "
        f"bars: {CONFIDENCE:.0%} t intervals of that mean (shares: Newcombe's paired score interval). "
        "Dashed line: no change.",
    )
    return fig
