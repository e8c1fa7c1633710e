"""Every column the model produces is declared once in sim.outputs, and every declared column is produced.

A small serial ensemble and a two-point design (short horizon) give both
tables as the runners build them; the declarations are checked against them
per table, for names and order. docs/outputs.md must be what
`python -m sim.outputs` writes now.
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pandas as pd
import pytest
from omegaconf import OmegaConf

from sim import outputs, run_design, run_ensemble
from sim.config.schema import BELLIGERENTS, POWERS

logging.getLogger("MESA").setLevel(logging.WARNING)

ROOT = Path(__file__).resolve().parents[1]
PARAM = "powers.turkey.resolve.value"


@pytest.fixture(scope="module")
def short_cfg(baseline_cfg):
    cfg = OmegaConf.create(OmegaConf.to_container(baseline_cfg, resolve=True))
    cfg.scenario.horizon_days = 12
    return cfg


@pytest.fixture(scope="module")
def ensemble(short_cfg):
    return run_ensemble(short_cfg, n=3, seed=5, executor="serial")


@pytest.fixture(scope="module")
def design(short_cfg):
    return run_design(short_cfg, pd.DataFrame({PARAM: [0.2, 0.8]}), n=2, seed=5, executor="serial")


def _compare(table: str, produced: list[str], optional: bool) -> None:
    declared = outputs.columns(table, optional=optional)
    extra = [c for c in produced if c not in declared]
    missing = [c for c in declared if c not in produced]
    assert not extra, f"{table}: produced but not declared in sim/outputs/: {extra}"
    assert not missing, f"{table}: declared in sim/outputs/ but not produced: {missing}"
    assert produced == declared, f"{table}: declared in another order than the table holds them"


@pytest.mark.parametrize("table", list(outputs.TABLES))
def test_an_ensemble_produces_exactly_the_declared_columns(ensemble, table):
    frame = getattr(ensemble, table)
    assert len(frame)
    _compare(table, list(frame.columns), optional=False)


@pytest.mark.parametrize("table", list(outputs.TABLES))
def test_a_design_adds_point_id_and_its_parameters(design, table):
    frame = getattr(design, table)
    assert outputs.parameters(frame.columns) == ([PARAM] if table == "runs" else [])
    _compare(table, [c for c in frame.columns if c != PARAM], optional=True)
    assert outputs.undeclared(table, frame.columns) == []


def test_every_declaration_has_a_unit_and_a_description():
    for o in outputs.OUTPUTS:
        assert o.unit in outputs.UNITS, f"{o.table}.{o.name}: unit '{o.unit}' is not in UNITS"
        text = o.description.strip()
        assert len(text) > 20 and text[0].isupper() and text.endswith("."), (
            f"{o.table}.{o.name}: the description should be a sentence saying what it measures and why"
        )
    for table in outputs.TABLES:
        names = outputs.columns(table)
        assert len(names) == len(set(names)), f"{table}: a column is declared twice"
    for u, meaning in outputs.UNITS.items():
        assert meaning.strip(), f"unit {u} has no meaning"


def test_declarations_reject_an_unknown_table_or_unit():
    with pytest.raises(ValueError, match="table"):
        outputs.Output("x", "weekly", "days", "A column of no table.")
    with pytest.raises(ValueError, match="unit"):
        outputs.Output("x", "runs", "furlongs", "A column in no declared unit.")
    with pytest.raises(KeyError, match="not a declared column"):
        outputs.output("no_such_column")


def test_repeating_actors_match_the_schema():
    assert outputs.BELLIGERENTS == BELLIGERENTS and outputs.POWERS == POWERS
    assert set(BELLIGERENTS) | set(POWERS) <= set(outputs.WHO)


def test_groups_and_measures_read_declared_columns_of_one_unit(ensemble):
    runs = set(outputs.columns("runs"))
    for name in ("MILITARY_DEATHS", "CIVILIAN_DEATHS", "DEATHS", "KEY_OUTCOMES", "INTERVENED"):
        group = getattr(outputs, name)
        assert group and set(group) <= runs, f"{name} names a column the runs table does not declare"
    for group in (outputs.MILITARY_DEATHS, outputs.CIVILIAN_DEATHS, outputs.DEATHS, outputs.INTERVENED):
        assert len({outputs.output(c).unit for c in group}) == 1
    assert outputs.DEATHS == outputs.MILITARY_DEATHS + outputs.CIVILIAN_DEATHS
    for m in (*outputs.SENSITIVITY_OUTCOMES, *outputs.DISCOVERY_TARGETS):
        assert set(m.reads) <= runs and m.unit in outputs.UNITS and m.description.endswith(".")
    for m in outputs.SENSITIVITY_OUTCOMES:
        assert isinstance(m.of(ensemble.runs), float)
    for m in outputs.DISCOVERY_TARGETS:
        flags = m.of(ensemble.runs)
        assert len(flags) == len(ensemble.runs) and flags.dtype == bool


def test_callers_read_the_declarations():
    from sim.analysis import discovery, sensitivity, summary
    from sim.plots import casualties

    assert summary.DEATH_COLUMNS == list(outputs.DEATHS)
    assert list(sensitivity.OUTCOMES) == ["p_rung_ge_5", "p_rung_ge_6", "duration_days", "deaths"]
    assert list(discovery.TARGETS) == ["regional_war", "quick_ceasefire"]
    assert list(casualties.MILITARY) == sensitivity.MILITARY == list(outputs.MILITARY_DEATHS)
    assert list(casualties.CIVILIAN) == sensitivity.CIVILIAN == list(outputs.CIVILIAN_DEATHS)
    assert list(casualties.MILITARY.values()) == ["Azerbaijan", "Armenia", "Artsakh (Karabakh)"]


def test_outputs_import_nothing_of_the_package_but_themselves():
    for path in (ROOT / "sim" / "outputs").glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not [m for m in names if m.split(".")[0] == "sim" and not m.startswith("sim.outputs")], path


def test_committed_doc_is_current():
    doc = ROOT / "docs" / "outputs.md"
    assert doc.is_file(), f"docs/outputs.md is missing; create it with `{outputs.COMMAND}`"
    assert doc.read_text(encoding="utf-8") == outputs.render(), (
        f"docs/outputs.md is stale (sim/outputs/ changed); regenerate it with `{outputs.COMMAND}` and commit it"
    )
    text = doc.read_text(encoding="utf-8")
    for o in outputs.OUTPUTS:
        assert f"| `{o.name}` | {o.unit} |" in text


def test_check_flag_reports_a_stale_file(tmp_path):
    path = tmp_path / "outputs.md"
    assert outputs.main(["--check", "--output", str(path)]) == 1
    assert outputs.main(["--output", str(path)]) == 0
    assert outputs.main(["--check", "--output", str(path)]) == 0
