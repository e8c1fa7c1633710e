"""The model's outputs, declared once: every column of the `runs` and `daily` tables.

Each column is declared with its table, unit and a sentence saying what it
measures and why (declared.py); named groups of columns and the measures
computed from runs live in groups.py; docs/outputs.md is generated from both
(page.py, `python -m sim.outputs`). Summaries, sensitivity outcomes, discovery
targets, plots and the report read these declarations instead of spelling
column names again. This package imports nothing else of sim.
"""

from sim.outputs.declared import (
    BELLIGERENTS,
    OUTPUTS,
    POWERS,
    TABLES,
    UNITS,
    WHO,
    Output,
    columns,
    declared,
    output,
    parameters,
    undeclared,
)
from sim.outputs.groups import (
    CIVILIAN_DEATHS,
    CONTRAST_MEASURES,
    DEATHS,
    DISCOVERY_TARGETS,
    GROUPS,
    INTERVENED,
    KEY_OUTCOMES,
    MILITARY_DEATHS,
    SENSITIVITY_OUTCOMES,
    Measure,
)
from sim.outputs.page import COMMAND, DOC_PATH, main, render

__all__ = [
    "BELLIGERENTS",
    "CIVILIAN_DEATHS",
    "CONTRAST_MEASURES",
    "COMMAND",
    "DEATHS",
    "DISCOVERY_TARGETS",
    "DOC_PATH",
    "GROUPS",
    "INTERVENED",
    "KEY_OUTCOMES",
    "MILITARY_DEATHS",
    "OUTPUTS",
    "POWERS",
    "SENSITIVITY_OUTCOMES",
    "TABLES",
    "UNITS",
    "WHO",
    "Measure",
    "Output",
    "columns",
    "declared",
    "main",
    "output",
    "parameters",
    "render",
    "undeclared",
]
