"""Markdown pipe tables, shared by the report pages and the command-line tools' reports."""

from __future__ import annotations

import pandas as pd


def markdown_table(df: pd.DataFrame) -> str:
    """A pipe table of `df` (no index); '|' inside a cell is escaped."""
    cells = [[str(c) for c in df.columns]] + [[str(v) for v in row] for row in df.itertuples(index=False)]
    lines = ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in cells]
    lines.insert(1, "|" + "|".join(" --- " for _ in df.columns) + "|")
    return "\n".join(lines)
