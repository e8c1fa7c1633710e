"""Every seminar notebook runs top to bottom, so a change in the package that breaks one fails CI.

Notebooks run with nbclient on the python3 kernel of this environment, from a
temporary working folder (so anything a notebook writes lands there), with the
repository on PYTHONPATH. They are stored without outputs; the test also checks
that, that the stored notebooks are byte for byte what notebooks/make_notebooks.py
writes from notebooks/sources/, and that the package never imports those sources.
"""

from __future__ import annotations

import ast
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 120
#: The issue's budget is a minute per notebook on a quiet machine; allow for a shared, busy one.
NOTEBOOK_BUDGET_S = 180
#: Figures each notebook must show (a plotting change that silently draws nothing fails here).
MIN_FIGURES = {
    "01_quickstart": 3,
    "03_ladder_and_decisions": 1,
    "04_what_if_scenarios": 1,
    "05_sweeps": 1,
    "06_sensitivity_and_discovery": 3,
}


def test_there_are_notebooks():
    names = {p.stem for p in NOTEBOOKS}
    assert {
        "01_quickstart",
        "02_actors_and_sources",
        "03_ladder_and_decisions",
        "04_what_if_scenarios",
        "05_sweeps",
        "06_sensitivity_and_discovery",
        "07_seminar_exercises",
        "07_seminar_solutions",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; store notebooks without outputs"


def test_notebooks_match_their_source():
    sys.path.insert(0, str(ROOT / "notebooks"))
    try:
        import make_notebooks
    finally:
        sys.path.remove(str(ROOT / "notebooks"))
    assert set(make_notebooks.NOTEBOOKS) == {p.stem for p in NOTEBOOKS}, (
        "every stored notebook has a module in notebooks/sources/ and every module a stored notebook"
    )
    for name, cells in make_notebooks.NOTEBOOKS.items():
        stored = (ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8")
        assert stored == make_notebooks.render(name, cells), (
            f"{name}.ipynb differs from notebooks/sources/; run notebooks/make_notebooks.py to rewrite the notebooks"
        )


def test_package_never_imports_the_notebook_sources():
    """Notebooks sit downstream of the package: sim/ must not import their sources or their generator."""
    notebook_modules = {"sources", "make_notebooks", "notebooks"}
    offenders = []
    for path in sorted((ROOT / "sim").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} imports {n}"
                for n in names
                if n.split(".")[0] in notebook_modules
            ]
    assert not offenders, offenders


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    start = time.monotonic()
    client.execute()
    took = time.monotonic() - start
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert took < NOTEBOOK_BUDGET_S, f"{path.name} took {took:.0f}s; keep default sizes small"
    images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    print(f"{path.name}: {took:.1f}s, {images} figure(s)")
    assert images >= MIN_FIGURES.get(path.stem, 0), f"{path.name} showed {images} figure(s)"
    assert list(tmp_path.iterdir()) == [] or all(p.is_relative_to(tmp_path) for p in tmp_path.iterdir())
