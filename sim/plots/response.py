"""How outcomes respond to one swept parameter: the median with its Monte Carlo interval, and the spread.

For each value of the swept parameter: the median run (with a 95% bootstrap
interval of the median, the Monte Carlo uncertainty) and the 5-95% range of
the runs (the spread of the war itself). A response that moves the median by
more than its interval is one the ensemble resolves; one inside the intervals
is not. Outcomes are columns of the runs table or the derived exchange ratio.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.analysis.stats import bootstrap, run_quantiles
from sim.plots.common import INTERVAL_NOTE, OKABE_ITO, draw_record, footnote, new_figure, require

#: Derived outcomes a response can show, from runs-table columns.
DERIVED = {
    "exchange_ratio": (("military_deaths_azerbaijan",), ("military_deaths_armenia", "military_deaths_artsakh")),
}
LABELS = {
    "territory_change_km2": "territory changing hands (km²)",
    "exchange_ratio": "exchange ratio (Azerbaijani / Armenian-side military deaths)",
    "duration_days": "duration of the war (days)",
    "military_deaths_azerbaijan": "Azerbaijan's military deaths",
}


def outcome_values(runs: pd.DataFrame, outcome: str) -> pd.Series:
    """One value per run: a runs column, or a derived ratio (NaN where its denominator is 0)."""
    if outcome in DERIVED:
        num, den = DERIVED[outcome]
        require(runs, [*num, *den], "runs")
        d = runs[list(den)].sum(axis=1).astype(float)
        return runs[list(num)].sum(axis=1).astype(float) / d.where(d > 0)
    require(runs, [outcome], "runs")
    return runs[outcome].astype(float)


def response_table(runs: pd.DataFrame, x: str, outcomes: list[str]) -> pd.DataFrame:
    """Tidy per (outcome, value of x): runs, median with its 95% bootstrap interval, 5% and 95% quantiles."""
    require(runs, [x], "runs")
    rows = []
    for outcome in outcomes:
        values = outcome_values(runs, outcome)
        for xv, idx in runs.groupby(x, sort=True).groups.items():
            v = values.loc[idx].dropna().to_numpy()
            if len(v) == 0:
                continue
            e = bootstrap(v)
            p5, p95 = run_quantiles(v, (0.05, 0.95))
            rows.append(
                {
                    "outcome": outcome,
                    x: xv,
                    "n": len(v),
                    "median": e.value,
                    "median_low": e.low,
                    "median_high": e.high,
                    "p5": p5,
                    "p95": p95,
                }
            )
    return pd.DataFrame(rows)


def response_curves(
    runs: pd.DataFrame,
    x: str,
    outcomes: list[str],
    xlabel: str | None = None,
    title: str | None = None,
    record: dict | None = None,
    shipped: float | None = None,
):
    """One panel per outcome: the median against x with its Monte Carlo interval, over the runs' 5-95% band.

    record: recorded figures by outcome (sim.analysis.record.Recorded), drawn as a band (a range) or
    line (a point) across the panel in the record's colour: which values of x give the war that was fought. shipped: the
    scenario's own value of x, a dotted vertical line.
    """
    t = response_table(runs, x, outcomes)
    record = record or {}
    fig, axes = new_figure(1, len(outcomes), size=(4.2 * len(outcomes), 3.9), squeeze=False)
    for ax, outcome, colour in zip(axes[0], outcomes, OKABE_ITO, strict=False):
        part = t[t["outcome"] == outcome]
        xs = part[x].to_numpy(dtype=float)
        ax.fill_between(xs, part["p5"], part["p95"], color=colour, alpha=0.18, lw=0, label="runs: 5-95% range")
        ax.errorbar(
            xs,
            part["median"],
            yerr=[part["median"] - part["median_low"], part["median_high"] - part["median"]],
            color=colour,
            marker="o",
            capsize=3,
            lw=1.6,
            label="median, 95% interval",
        )
        rec = record.get(outcome)
        if rec is not None:
            draw_record(ax, rec.low, rec.high, "the record" if rec.high > rec.low else "the record (one figure)",
                        across_x=False)  # fmt: skip
        if shipped is not None:
            ax.axvline(shipped, color="0.2", lw=1.0, ls=":", zorder=0, label=f"the scenario's value ({shipped:g})")
        ax.set_xlabel(xlabel or x)
        ax.set_title(LABELS.get(outcome, outcome), fontsize=10)
        ax.grid(alpha=0.3)
    fig.suptitle(title or f"Response to {xlabel or x}", fontsize=11, x=0.01, ha="left")
    # One legend for every panel, beside the title (no band or curve under it). Each panel has a colour of
    # its own, so the runs' band and the median are keyed in grey, as they look in any panel.
    seen: dict[str, object] = {
        "runs: 5-95% range": Patch(facecolor="0.5", alpha=0.3, lw=0),
        "median, 95% interval": Line2D([], [], color="0.3", marker="o", lw=1.6),
    }
    for ax in axes[0]:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(label, handle)
    fig.legend(list(seen.values()), list(seen), loc="outside upper right", ncols=3, fontsize=8.5, frameon=False)
    low, high = int(t["n"].min()), int(t["n"].max())
    note = f"{INTERVAL_NOTE}; n = {low if low == high else f'{low}-{high}'} runs per value"
    if record:
        note += "; purple: the record of the episode the scenario models (conf/backtest)"
    footnote(fig, note)
    return fig
