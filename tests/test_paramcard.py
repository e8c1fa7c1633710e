"""The parameter card (docs/parameters.md) is current, complete and consistent with conf/."""

import subprocess
import sys
from pathlib import Path

import pytest

from sim.config import paramcard
from sim.config.schema import ACTORS, iter_params

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def card(baseline_cfg):
    return paramcard.render(baseline_cfg)


def test_committed_card_is_current(card):
    committed = ROOT / "docs" / "parameters.md"
    assert committed.is_file(), f"docs/parameters.md is missing; create it with `{paramcard.COMMAND}`"
    assert committed.read_text(encoding="utf-8") == card, (
        f"docs/parameters.md is stale (conf/ changed); regenerate it with `{paramcard.COMMAND}` and commit it"
    )


def test_card_is_deterministic(baseline_cfg, card):
    assert paramcard.render(baseline_cfg) == card


def test_every_parameter_is_sourced_with_unit_and_in_range(baseline_cfg):
    params = list(iter_params(baseline_cfg))
    assert len(params) > 100
    for key, p in params:
        assert str(p.source).strip(), f"{key}: empty source"
        assert str(p.unit).strip(), f"{key}: empty unit"
        lo, hi = (float(x) for x in p.range)
        assert lo <= float(p.value) <= hi, f"{key}: {p.value} outside [{lo}, {hi}]"
    for key, tie in baseline_cfg.ties.items():
        assert str(tie.source).strip(), f"ties.{key}: empty source"
    for name, sector in baseline_cfg.theatre.sectors.items():
        assert str(sector.source).strip(), f"theatre.sectors.{name}: empty source"


def test_card_frame_has_one_row_per_parameter(baseline_cfg):
    frame = paramcard.card_frame(baseline_cfg)
    keys = [k for k, _ in iter_params(baseline_cfg)]
    assert list(frame["key"]) == keys
    assert frame["key"].is_unique
    assert (frame["range_min"] <= frame["value"]).all() and (frame["value"] <= frame["range_max"]).all()
    assert frame["source"].str.strip().ne("").all() and frame["unit"].str.strip().ne("").all()
    assert set(frame["group"]) == set(paramcard.GROUP_TITLES)


def test_card_names_every_actor_parameter_tie_and_sector(baseline_cfg, card):
    assert set(ACTORS) == {
        "azerbaijan",
        "armenia",
        "artsakh",
        "russia",
        "turkey",
        "iran",
        "israel",
        "france",
        "united_states",
        "minsk_group",
    }
    for actor in ACTORS:
        assert f"### {actor} (" in card or f"`{actor}`" in card, f"actor {actor} missing from the card"
    for key, _ in iter_params(baseline_cfg):
        assert f"`{key}`" in card
    for key in baseline_cfg.ties:
        assert f"`{key}`" in card
    for name in baseline_cfg.theatre.sectors:
        assert f"| `{name}` |" in card


def test_table_rows_have_as_many_cells_as_their_header(card):
    """A source quote with a '|' must not break a table."""
    width = None
    for line in card.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = line.replace("\\|", "").count("|") - 1
        width = cells if width is None else width
        assert cells == width, line


def test_values_are_printed_as_in_conf(baseline_cfg, card):
    s = baseline_cfg.theatre.sectors.martakert
    assert f"| `martakert` | karabakh | armenian | {paramcard.fmt(s.area_km2)} |" in card
    assert "| `belligerents.azerbaijan.troops` | 67,000 | personnel | 40,000 to 126,000 |" in card
    assert paramcard.fmt(0.0025) == "0.0025" and paramcard.fmt(2e6) == "2,000,000"


def test_cell_escapes_pipes_and_newlines():
    assert paramcard.cell("a | b\nc") == "a \\| b c"


@pytest.mark.slow  # composes the configuration four times
def test_write_then_check(tmp_path, capsys):
    out = tmp_path / "docs" / "card.md"
    assert paramcard.main(["--check", "--output", str(out)]) == 1  # missing
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and paramcard.COMMAND in err
    assert paramcard.main(["--output", str(out)]) == 0
    assert [p.name for p in out.parent.iterdir()] == ["card.md"]  # no temporary file left behind
    assert paramcard.main(["--check", "--output", str(out)]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("67,000", "68,000"), encoding="utf-8")
    assert paramcard.main(["--check", "--output", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "stale" in err


def test_unwritable_output_is_refused_in_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert paramcard.main(["--output", str(blocker / "card.md")]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cannot write" in err
    assert blocker.read_text() == "not a folder"


@pytest.mark.slow  # a command in a process of its own
def test_module_entry_point_checks_the_committed_card():
    done = subprocess.run(
        [sys.executable, "-m", "sim.config.paramcard", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
