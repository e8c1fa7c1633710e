"""Cell builders and the setup cell every notebook opens with.

Cell text starts on its own line inside triple quotes and is stripped here, so a
module reads like the notebook it becomes.
"""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell

SETUP = """import sim.plots as plots  # first: the magic below then sets the notebook's own figure backend
%matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
pd.set_option("display.max_colwidth", 120)"""


def md(text: str):
    """A markdown cell from text with its surrounding blank lines dropped."""
    return new_markdown_cell(text.strip())


def code(text: str):
    """A code cell from text with its surrounding blank lines dropped."""
    return new_code_cell(text.strip())
