"""The package's layers: imports go one way, downwards, and no module imports itself round a cycle.

Layers, lowest first (docs/architecture.md): sim.files, sim.exports and sim.rules (pure
maths), sim.config, sim.model, sim.runs, sim.analysis, sim.plots, sim.report,
sim.app. A module may import its own layer and any lower one. The check reads
the source (every `import`, including those inside functions and under
TYPE_CHECKING), so it needs no import of the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"
LAYERS = ["files", "rules", "config", "model", "runs", "analysis", "plots", "report", "app"]
RANK = {"files": 0, "exports": 0, "outputs": 0, "rules": 0, **{name: i for i, name in enumerate(LAYERS)}}
MAX_LINES = 420


def module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sim_imports(path: Path) -> set[str]:
    """Every sim.* module a file imports (from-imports of names resolve to their module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "sim"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sim":
            found.add(node.module)
    return found


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


MODULES = {module_name(p): p for p in sorted(SIM.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_downwards(module):
    mine = layer_of(module)
    if mine is None:  # sim/__init__.py and the public re-export sim.results sit above every layer
        return
    upward = [m for m in sim_imports(MODULES[module]) if layer_of(m) and RANK[layer_of(m)] > RANK[mine]]
    assert not upward, f"{module} ({mine}) imports a higher layer: {upward}"


def test_rules_import_no_mesa_and_nothing_of_the_package():
    for module, path in MODULES.items():
        if layer_of(module) != "rules":
            continue
        tree = ast.parse(path.read_text())
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not names & {"mesa", "hydra", "omegaconf"}, f"{module} imports {names & {'mesa', 'hydra', 'omegaconf'}}"
        assert all(m.startswith("sim.rules") for m in sim_imports(path)), f"{module} imports outside sim.rules"


def test_no_import_cycles():
    graph = {m: {i for i in sim_imports(p) if i in MODULES and i != m} for m, p in MODULES.items()}
    # A package's __init__ re-exporting its own modules is not a cycle of behaviour.
    graph = {
        m: {i for i in deps if not m.startswith(i + ".") and not i.startswith(m + ".")} for m, deps in graph.items()
    }
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in graph[m]:
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(n) :] + [n]))
            if n not in state:
                visit(n, path + [n])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [m])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_readable(module):
    lines = len(MODULES[module].read_text().splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most about 400: split it by idea)"


def test_no_mixins():
    """Behaviour lives in the objects that own it (docs/architecture.md), not in classes mixed into the model."""
    mixins = [
        f"{module}.{node.name}"
        for module, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef) and node.name.endswith("Mixin")
    ]
    assert not mixins, f"mixin classes: {mixins}"
