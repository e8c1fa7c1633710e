"""One reading of "5-95% of runs" on a page: the figures that draw a spread of runs (casualties, territory,
duration, a sweep's response) give the same range as the tables beside them (sim.analysis.stats.run_spread),
however long the tail of runs cut short."""

import numpy as np
import pandas as pd
import pytest

from sim import plots
from sim.analysis.stats import run_quantiles, run_spread
from sim.plots.response import response_table

#: 20 runs: two wars cut short, then the bulk. Interpolated, the 5% point would fall between them.
TAILED = [40.0, 900.0, *np.linspace(1700.0, 4000.0, 18)]


def test_run_quantiles_are_values_of_runs_holding_at_least_their_share():
    lo, p25, mid, p75, hi = run_quantiles(TAILED, (0.05, 0.25, 0.5, 0.75, 0.95))
    assert {lo, p25, p75, hi} <= set(TAILED)
    assert mid == pd.Series(TAILED).median()
    x = np.array(TAILED)
    assert ((x >= lo) & (x <= hi)).mean() >= 0.9 and ((x >= p25) & (x <= p75)).mean() >= 0.5
    assert lo < pd.Series(TAILED).quantile(0.05)  # what interpolating would have drawn instead
    assert run_spread(TAILED) == (lo, mid, hi)


@pytest.fixture
def tailed(baseline):
    runs = baseline.runs.head(len(TAILED)).copy()
    for col in ("military_deaths_azerbaijan", "territory_change_km2", "duration_days"):
        runs[col] = TAILED
    return runs


def test_the_figures_ranges_are_the_tables(tailed):
    lo, _, hi = run_spread(TAILED)
    cas = plots.casualty_table(tailed).set_index("column").loc["military_deaths_azerbaijan"]
    assert (cas["p5"], cas["p95"]) == (lo, hi)
    ter = plots.territory_table(tailed).iloc[0]
    assert (ter["p05"], ter["p95"]) == (lo, hi)
    dur = plots.duration_table(tailed).set_index("group").loc["all runs"]
    assert (dur["p5"], dur["p95"]) == (lo, hi)
    tailed["x"] = 1.0
    resp = response_table(tailed, "x", ["territory_change_km2"]).iloc[0]
    assert (resp["p5"], resp["p95"]) == (lo, hi)
