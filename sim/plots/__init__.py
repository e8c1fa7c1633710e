"""Figures of ensemble results: each function takes result tables and returns a matplotlib Figure.

Nothing here runs the model. Inputs are the `runs` table (one row per run) and
the `daily` table (one row per run and day) of sim.run_ensemble or a results
folder; every estimated probability is drawn with its Monte Carlo interval
(sim.analysis.stats). Each figure has a matching tidy `*_table` function that returns
exactly the numbers it draws.
"""

from sim.plots.casualties import casualty_ranges, casualty_table
from sim.plots.compare import compare_scenarios, comparison_table
from sim.plots.endings import broker_table, duration, duration_table, end_shares, end_type_table
from sim.plots.escalation import (
    fan_chart,
    max_rung_bars,
    max_rung_table,
    rung_matrix,
    rung_probability_by_day,
    rung_probability_table,
    rung_quantiles,
)
from sim.plots.response import response_curves, response_table
from sim.plots.sweeps import sweep_heatmap, sweep_table
from sim.plots.territory import territory, territory_table
from sim.plots.theatre_map import sector_control_map, sector_table

__all__ = [
    "response_curves",
    "response_table",
    "broker_table",
    "casualty_ranges",
    "casualty_table",
    "compare_scenarios",
    "comparison_table",
    "duration",
    "duration_table",
    "end_shares",
    "end_type_table",
    "fan_chart",
    "max_rung_bars",
    "max_rung_table",
    "rung_matrix",
    "rung_probability_by_day",
    "rung_probability_table",
    "rung_quantiles",
    "sector_control_map",
    "sector_table",
    "sweep_heatmap",
    "sweep_table",
    "territory",
    "territory_table",
]
