"""Write the seminar notebooks (stored without outputs) from their sources.

The cells of each notebook live in notebooks/sources/ (one module per notebook);
this script only assembles and writes them. Run
`.venv/bin/python notebooks/make_notebooks.py` after editing a source, so the
.ipynb files and the sources stay one thing. Every notebook only calls the
package (sim, sim.plots); none holds model logic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the sources sit next to this script, outside the package
    sys.path.insert(0, str(HERE))

from sources import (  # noqa: E402
    nb01_quickstart,
    nb02_actors_and_sources,
    nb03_ladder_and_decisions,
    nb04_what_if_scenarios,
    nb05_sweeps,
    nb06_sensitivity_and_discovery,
    nb07_seminar_exercises,
    nb07_seminar_solutions,
)

KERNEL = {"name": "python3", "display_name": "Python 3 (karabakh-escalation)", "language": "python"}

#: Notebook file stem -> its cells, in the order the notebooks are written.
NOTEBOOKS: dict[str, list] = {
    module.NAME: module.CELLS
    for module in (nb01_quickstart, nb02_actors_and_sources, nb03_ladder_and_decisions, nb04_what_if_scenarios,
                   nb05_sweeps, nb06_sensitivity_and_discovery, nb07_seminar_exercises, nb07_seminar_solutions)
}


def build(name: str, cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    for i, cell in enumerate(nb.cells):
        cell.id = f"{name[:2]}-{i:02d}"  # stable ids, so rewriting a notebook changes only what changed
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def render(name: str, cells: list) -> str:
    """The notebook's file text exactly as written to disk (nbformat's JSON plus a final newline)."""
    text = nbformat.writes(build(name, cells))
    return text if text.endswith("\n") else text + "\n"


def main() -> None:
    texts = {name: render(name, cells) for name, cells in NOTEBOOKS.items()}  # all built before any is written
    for name, text in texts.items():
        path = HERE / f"{name}.ipynb"
        path.write_text(text, encoding="utf-8")
        print("wrote", path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
