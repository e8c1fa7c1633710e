"""What every figure shares: colour-blind-safe colours, rung names, table checks.

Colours: the Okabe-Ito palette for categories (distinguishable under the common
colour-vision deficiencies) and 'cividis' for ordered quantities (rungs,
probabilities), which is perceptually uniform and colour-blind safe.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.analysis.stats import CONFIDENCE
from sim.rules.ladder import Rung

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
SEQUENTIAL = "cividis"
#: The historical record, in every figure that draws it beside the model (Okabe-Ito reddish purple).
RECORD_COLOUR = "#CC79A7"
RUNGS = list(Rung)
#: Shown under every figure that carries intervals.
INTERVAL_NOTE = f"bars/bands: {CONFIDENCE:.0%} Monte Carlo intervals (Wilson for shares, bootstrap for statistics)"


def rung_label(r: int, width: int = 0) -> str:
    """'5 war on Armenia proper', optionally wrapped to `width` characters per line (names capitalised)."""
    text = f"{int(r)} {Rung(int(r)).label}"
    if width and len(text) > width:
        words, lines, line = text.split(), [], ""
        for w in words:
            if line and len(line) + 1 + len(w) > width:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines.append(line)
        text = "\n".join(lines)
    return text


def rung_colours() -> list:
    """One colour per rung, dark (frozen) to bright (Russia-Turkey clash).

    'viridis' rather than 'cividis' here: eight ordered levels need more distinct
    hues than cividis's greys give, and viridis is colour-blind safe too.
    """
    cmap = plt.get_cmap("viridis")
    return [cmap(x) for x in np.linspace(0.0, 1.0, len(RUNGS))]


def category_colours(names) -> dict:
    """A stable Okabe-Ito colour per category name (order of first appearance)."""
    return {n: OKABE_ITO[i % len(OKABE_ITO)] for i, n in enumerate(names)}


def require(df: pd.DataFrame | None, columns, table: str) -> pd.DataFrame:
    """Refuse a table that lacks columns a figure needs, naming them."""
    if df is None or len(df) == 0:
        raise ValueError(f"{table}: the table is empty; a figure needs at least one run")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{table}: missing column(s) {', '.join(missing)}")
    return df


def run_keys(df: pd.DataFrame) -> list[str]:
    """Columns that identify one run in a table (scenario and seed when present)."""
    return [c for c in ("scenario", "seed", "replicate") if c in df.columns]


def draw_record(ax, low: float, high: float, label: str | None = None, *, across_x: bool = True,
                narrow: float = 0.0) -> None:  # fmt: skip
    """A recorded figure across a panel, in the record's colour: a range as a band behind the data, a
    point (or a range no wider than `narrow`, too thin to show as a band at the panel's scale) as a
    line at its middle. across_x: the record is a value of x (a vertical band); else of y."""
    if high - low > narrow:
        span = ax.axvspan if across_x else ax.axhspan
        span(low, high, color=RECORD_COLOUR, alpha=0.3, lw=0, zorder=0, label=label)
    else:
        line = ax.axvline if across_x else ax.axhline
        line((low + high) / 2, color=RECORD_COLOUR, lw=2.4, label=label)


def footnote(fig, text: str) -> None:
    """A small grey note at the bottom of the figure (sources of intervals, N), wrapped to the figure's width."""
    lines = textwrap.wrap(text, width=int(fig.get_figwidth() * 16)) or [""]
    share = (0.008 + 0.016 * len(lines) * 6.4 / fig.get_figheight()) if len(lines) > 1 else 0.045
    fig.get_layout_engine().set(rect=(0, share, 1, 1 - share))
    fig.text(0.01, 0.008, "\n".join(lines), fontsize=7.5, color="0.35", ha="left", va="bottom")


def new_figure(nrows: int = 1, ncols: int = 1, size=(8, 4.8), **kw):
    """A figure with constrained layout, so labels never overlap between panels."""
    fig, axes = plt.subplots(nrows, ncols, figsize=size, layout="constrained", **kw)
    fig.get_layout_engine().set(h_pad=0.12)
    return fig, axes


def counts_of_runs(ax, xaxis_thousands: bool = False) -> None:
    """A histogram of runs reads as one: whole numbers of runs on the y axis (not 2.5 runs) and,
    for a quantity in the thousands, separators on the x axis (2,500 not 2500)."""
    ax.set_ylabel("number of runs")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if xaxis_thousands:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))
