"""Installs are locked and declared: every requirement has a locked version that satisfies it, and every
package the code imports is declared (not left to arrive through another package, as PyYAML once did).

make and CI install with `pip install -c requirements/lock.txt` (tools/lock.py writes it); a
requirement added to pyproject.toml without re-locking would install whatever is newest that day.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
OWN = canonicalize_name(PROJECT["name"])


def locked() -> dict[str, str]:
    lines = (ROOT / "requirements" / "lock.txt").read_text().splitlines()
    pins = [line.split("==") for line in lines if line and not line.startswith("#")]
    return {canonicalize_name(name): version for name, version in pins}


def requirements(extra: str | None = None) -> list[Requirement]:
    found = PROJECT["dependencies"] if extra is None else PROJECT["optional-dependencies"][extra]
    return [Requirement(r) for r in found]


def declared(extra: str | None) -> set[str]:
    """The distributions an install with `extra` (None: the core) asks for directly, self-references followed."""
    names: set[str] = set()
    for req in requirements(extra) + (requirements() if extra else []):
        if canonicalize_name(req.name) == OWN:
            names |= set().union(*(declared(e) for e in req.extras))
        else:
            names.add(canonicalize_name(req.name))
    return names


def test_every_requirement_has_a_locked_version_that_satisfies_it():
    pins = locked()
    for extra in [None, *PROJECT["optional-dependencies"]]:
        for req in requirements(extra):
            if canonicalize_name(req.name) == OWN:
                continue
            name = canonicalize_name(req.name)
            assert name in pins, f"{req} ({extra or 'core'}) is not in requirements/lock.txt: run make lock"
            assert req.specifier.contains(pins[name], prereleases=True), f"{req}: locked {pins[name]}; run make lock"


def imported(folder: Path) -> set[str]:
    """Top-level names of the third-party modules the files under `folder` import."""
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    local = {p.stem for p in ROOT.glob("*/*.py")} | {p.name for p in ROOT.iterdir() if p.is_dir()}  # the repo's own
    return {n for n in names if n not in sys.stdlib_module_names and n not in local}


def test_every_imported_package_is_declared():
    dists = packages_distributions()
    everything = declared("dev") | declared("lab")
    for folder, allowed in (("sim", everything), ("experiments", everything), ("tests", everything)):
        for module in sorted(imported(ROOT / folder)):
            owners = {canonicalize_name(d) for d in dists.get(module, [])}
            assert owners & allowed, f"{folder}/ imports {module} ({owners or 'not installed'}), declared by no extra"
    core = declared(None)
    for module in ("yaml", "omegaconf", "hydra", "networkx", "loky", "pyarrow", "mesa"):
        assert {canonicalize_name(d) for d in dists[module]} & core, f"{module} must be a core requirement"


def test_make_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if "pip install" in line and "--upgrade pip" not in line]
    assert installs and all("-c $(LOCK)" in line for line in installs), installs


def test_the_page_starts_without_fetching_anything():
    """`make app` only serves the page: its front-end files are fetched once, when the app extra is installed
    (the .installed-app stamp's recipe), never when the page starts."""
    makefile = (ROOT / "Makefile").read_text()

    def recipe(target: str) -> str:
        start = makefile.index(f"\n{target}:")
        end = makefile.find("\n\n", start + 1)
        return makefile[start:end]

    assert "sim.app.assets" in recipe("$(VENV)/.installed-app")
    assert "sim.app.assets" not in recipe("app") and "npm" not in recipe("app")
