"""The report folder: figures, tables, page and provenance, written whole or not at all."""

import logging

import pandas as pd
import pytest
from omegaconf import OmegaConf

from sim import load_config, run_ensemble
from sim.analysis.points import points_of
from sim.report.numbers import key_numbers
from sim.report.writer import write_report

logging.getLogger("MESA").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def ensemble():
    cfg = load_config("baseline_2020", overrides=["scenario.horizon_days=30"])
    return run_ensemble(cfg, n=20, seed=1)


@pytest.fixture(scope="session")
def report_dir(ensemble, tmp_path_factory):
    out = tmp_path_factory.mktemp("rep") / "report"
    return write_report(ensemble.runs, ensemble.daily, out, config=ensemble.config)


@pytest.mark.slow  # writes a report's figures
def test_report_writes_every_figure_as_png_and_svg_with_its_table(report_dir):
    stems = [
        "escalation_fan",
        "rung_probability_by_day",
        "max_rung",
        "endings",
        "duration",
        "casualties",
        "sector_control",
    ]
    for stem in stems:
        for ext in ("png", "svg", "csv"):
            assert (report_dir / f"{stem}.{ext}").stat().st_size > 0, f"{stem}.{ext}"
    assert (report_dir / "report.md").exists() and (report_dir / "index.html").exists()
    assert (report_dir / "config.yaml").read_text().count("baseline_2020") >= 1
    md = (report_dir / "report.md").read_text()
    for stem in stems:
        assert f"({stem}.png)" in md
    assert not any(p.name.endswith((".tmp", ".old")) for p in report_dir.parent.iterdir())


@pytest.mark.slow  # writes a report's figures
def test_report_page_states_scenario_key_numbers_and_provenance(report_dir, ensemble):
    md = (report_dir / "report.md").read_text()
    assert "Scenario baseline_2020" in md and "horizon 30 days" in md
    assert "## Key numbers" in md and "## Provenance" in md and "code version (git)" in md
    runs = ensemble.runs
    p4 = (runs["max_rung"] >= 4).mean()
    assert f"| P(highest rung >= 4: strikes on population centres) | {p4:.2f} [" in md
    assert "Precision: P(highest rung >= 6)" in md
    page = (report_dir / "index.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and '<img src="max_rung.png"' in page and "<table" in page
    summary = pd.read_csv(report_dir / "summary.csv")
    assert summary.iloc[0].tolist() == ["runs", "20"]


def test_key_numbers_intervals_contain_their_estimates(ensemble):
    t = key_numbers(ensemble.runs)
    for text in t["estimate [95% interval]"][1:]:
        value, interval = text.replace(",", "").split(" [")
        low, high = (float(x) for x in interval.rstrip("]").split())
        assert low <= float(value) <= high


@pytest.mark.slow  # writes a report's figures
def test_report_over_several_scenarios_and_a_sweep_grid(ensemble, tmp_path):
    a = ensemble.runs
    b = ensemble.runs.assign(scenario="variant")
    out = write_report(pd.concat([a, b]), None, tmp_path / "cmp")
    assert (out / "comparison.png").exists() and not (out / "escalation_fan.png").exists()
    assert (out / "max_rung_variant.png").exists() and (out / "max_rung_baseline_2020.png").exists()
    grid = pd.concat(
        [
            a.assign(**{"powers.turkey.resolve.value": x, "mediator.strength.value": y})
            for x in (0.1, 0.9)
            for y in (0.2, 0.8)
        ]
    )
    assert points_of(grid).varying == ("powers.turkey.resolve.value", "mediator.strength.value")
    out = write_report(grid, None, tmp_path / "sweep", k_sweep=4)
    assert (out / "sweep_rung_4.png").exists()
    cells = pd.read_csv(out / "sweep_rung_4.csv")
    assert len(cells) == 4 and (cells["n"] == 20).all()


@pytest.mark.slow  # writes a report's figures
def test_report_replaces_a_previous_report_but_refuses_other_folders(ensemble, tmp_path):
    out = write_report(ensemble.runs, None, tmp_path / "r")
    (out / "stale.txt").write_text("old")
    write_report(ensemble.runs, None, out)
    assert not (out / "stale.txt").exists() and (out / "report.md").exists()
    other = tmp_path / "results"
    other.mkdir()
    (other / "runs.parquet").write_text("not mine")
    with pytest.raises(ValueError, match="out_dir: .* is not a report folder"):
        write_report(ensemble.runs, None, other)
    assert [p.name for p in other.iterdir()] == ["runs.parquet"]


@pytest.mark.slow  # writes a report's figures
def test_a_failing_figure_leaves_nothing_half_written(ensemble, tmp_path):
    broken = ensemble.runs.assign(sectors_taken="atlantis")  # the map refuses unknown sectors
    with pytest.raises(ValueError, match="unknown sector"):
        write_report(broken, None, tmp_path / "r", config=ensemble.config)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # writes a report's figures
def test_config_is_optional_and_can_be_a_plain_mapping(ensemble, tmp_path):
    cfg = OmegaConf.create(OmegaConf.to_container(ensemble.config, resolve=True))
    out = write_report(ensemble.runs, ensemble.daily, tmp_path / "r", config=cfg, title="A named title")
    assert (out / "report.md").read_text().startswith("# A named title")
