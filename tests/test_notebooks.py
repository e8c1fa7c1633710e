"""Every seminar notebook runs top to bottom, so a change in the package that breaks one fails CI.

A notebook's source is notebooks/sources/<name>.py in jupytext's percent format; the
stored notebooks/<name>.ipynb is that source executed, with its outputs, so an
instructor reads it without running anything (`make notebooks` rebuilds them). The
tests check that every source opens as a notebook, that every stored notebook was
built from its source as it is now (digest and cells) and ran without errors, that
each source runs from a temporary working folder (nbclient, the python3 kernel of
this environment, the repository on PYTHONPATH) within its budget and draws its
figures and prints what the stored notebook shows (its numbers are current), and that the
package never imports the notebooks' sources.
"""

from __future__ import annotations

import ast
import os
import sys
import time
from pathlib import Path

import jupytext
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


def _builder():
    sys.path.insert(0, str(ROOT / "notebooks"))
    try:
        import make_notebooks
    finally:
        sys.path.remove(str(ROOT / "notebooks"))
    return make_notebooks


def test_every_notebook_has_a_jupytext_source():
    mk = _builder()
    assert set(mk.sources()) == {p.stem for p in NOTEBOOKS}, (
        "every stored notebook has a source in notebooks/sources/ and every source a stored notebook"
    )
    for src in mk.sources().values():
        nb = jupytext.read(src)
        assert nb.cells and nb.cells[0].cell_type == "markdown", f"{src.name} opens with no title cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_notebook_is_its_source_executed(path):
    mk = _builder()
    nb = nbformat.read(path, as_version=4)
    src = mk.sources()[path.stem]
    stamp = nb.metadata.get(mk.STAMP, {})
    fresh = [c.source for c in mk.read_source(src).cells]
    assert stamp.get("source_sha256") == mk.digest(src) and [c.source for c in nb.cells] == fresh, (
        f"{path.name} was not built from notebooks/sources/{src.name} as it is now; run make notebooks"
    )
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{path.name}: cells not executed; run make notebooks"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"], f"{path.name} stored an error"


def test_package_never_imports_the_notebook_sources():
    """Notebooks sit downstream of the package: sim/ must not import their sources or their generator."""
    notebook_modules = {"sources", "make_notebooks", "notebooks"}  # (the sources are no modules any more; kept)
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


def _texts(nb) -> list[list[str]]:
    """Each code cell's printed text and results (not its figures, nor stderr's progress bars): with
    the notebooks' fixed seeds, the numbers a reader sees; a stored notebook whose numbers differ
    from what its source prints now teaches stale results."""
    out = []
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        texts = []
        for o in c.outputs:
            if o.output_type == "stream" and o.name == "stdout":
                texts.append(o.text)
            elif o.output_type in ("execute_result", "display_data") and "text/plain" in o.get("data", {}):
                if "image/png" not in o["data"]:  # a figure's text/plain is only its size
                    texts.append(o["data"]["text/plain"])
        out.append(texts)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    nb = _builder().read_source(_builder().sources()[path.stem])
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
    stored = nbformat.read(path, as_version=4)
    for i, (now, then) in enumerate(zip(_texts(nb), _texts(stored), strict=True)):
        assert now == then, (
            f"{path.name} code cell {i}: the stored output is not what the notebook prints now "
            f"(stored {''.join(then)[:160]!r}..., now {''.join(now)[:160]!r}...); run make notebooks"
        )
    assert list(tmp_path.iterdir()) == [] or all(p.is_relative_to(tmp_path) for p in tmp_path.iterdir())
