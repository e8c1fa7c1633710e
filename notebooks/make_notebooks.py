"""Build the seminar notebooks, executed and with their outputs, from their jupytext sources.

Each notebook's source is notebooks/sources/<name>.py in jupytext's percent format:
a plain Python file that Jupyter (with jupytext), VS Code and PyCharm open as a
notebook, and that diffs and reviews as code. This script runs every source top to
bottom (nbclient, the python3 kernel of this environment, in a temporary folder so
nothing it writes lands in the checkout) and stores notebooks/<name>.ipynb with its
outputs, so an instructor can read the figures and tables without running anything.
Each stored notebook records the SHA-256 of the source it was built from;
tests/test_notebooks.py fails when a source changed and its notebook was not rebuilt.

    make notebooks                                   # or: .venv/bin/python notebooks/make_notebooks.py
    .venv/bin/python notebooks/make_notebooks.py 01_quickstart      # one notebook

Every notebook only calls the package (sim, sim.plots); none holds model logic.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
KERNEL = {"name": "python3", "display_name": "Python 3 (karabakh-escalation)", "language": "python"}
#: Where a stored notebook records the digest of its source.
STAMP = "karabakh_escalation"
CELL_TIMEOUT_S = 300


def sources() -> dict[str, Path]:
    """Notebook name -> its jupytext source, in name order."""
    return {p.stem: p for p in sorted(SOURCES.glob("*.py"))}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_source(path: Path) -> nbformat.NotebookNode:
    """The source as a notebook without outputs, with stable cell ids (a rebuild changes only what changed)."""
    nb = jupytext.read(path)
    for i, cell in enumerate(nb.cells):
        cell.id = f"{path.stem[:2]}-{i:02d}"
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata.pop("jupytext", None)
    return nb


def build(path: Path) -> nbformat.NotebookNode:
    """Run the source top to bottom in a temporary folder; the notebook with its outputs and source digest."""
    nb = read_source(path)
    root = str(HERE.parent)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    os.environ["MPLBACKEND"] = "Agg"
    with tempfile.TemporaryDirectory() as tmp:
        NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": tmp}}).execute()
    nb.metadata[STAMP] = {"source": f"notebooks/sources/{path.name}", "source_sha256": digest(path)}
    return nb


def main(names: list[str]) -> None:
    found = sources()
    unknown = [n for n in names if n not in found]
    if unknown:
        sys.exit(f"notebook: '{unknown[0]}' is unknown; expected one of {', '.join(found)}")
    for name in names or list(found):
        nb = build(found[name])
        path = HERE / f"{name}.ipynb"
        tmp = path.with_suffix(".ipynb.tmp")
        nbformat.write(nb, tmp)
        tmp.replace(path)  # a rename: a notebook is whole or the old one
        print("wrote", path.relative_to(HERE.parent), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
