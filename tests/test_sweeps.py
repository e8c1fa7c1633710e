"""Hydra multiruns through the command line: job folders, the aggregated table, launchers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.runs.results import load

ROOT = Path(__file__).resolve().parent.parent
SMALL = ["scenario.horizon_days=10", "ensemble.n=3", "ensemble.seed=7"]


def run_cli(*args) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "experiments.run", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.mark.slow  # the command line: Hydra, the model, a report
def test_two_by_two_grid_gives_four_jobs_and_the_aggregated_table(tmp_path):
    proc = run_cli(
        "-m",
        f"output_dir={tmp_path}",
        "experiment=turkey_x_russia",
        "powers.turkey.resolve.value=0.0,1.0",
        "powers.russia.resolve.value=0.0,1.0",
        *SMALL,
    )
    sweep = tmp_path / "turkey_x_russia" / "baseline_2020_n3_seed7"
    jobs = sorted(p for p in sweep.iterdir() if p.is_dir() and p.name != "report")
    assert [p.name for p in jobs] == ["0", "1", "2", "3"]
    report = sweep / "report"
    assert (report / "index.html").exists() and (report / "comparison.png").exists()
    assert (report / "sweep_rung_6.png").exists() and (
        report / "max_rung_turkey_resolve_1_russia_resolve_0.png"
    ).exists()
    fans = sorted(report.glob("escalation_fan_*.csv"))  # a few points: each its own day-by-day figures
    assert len(fans) == 4
    for fan in map(pd.read_csv, fans):
        assert fan["n"].eq(3).all() and len(fan) == 10
    for job in jobs:
        for name in ("runs.parquet", "daily.parquet", "config.yaml", "seeds.json", "provenance.json", "status.json"):
            assert (job / name).exists(), f"{job / name} missing"
        assert len(pd.read_parquet(job / "runs.parquet")) == 3
    assert (tmp_path / "latest").resolve() == sweep.resolve()  # one layout: <output_dir>/<name>/<run>, and latest
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert len(runs) == 12 and runs.groupby(["point_id", "replicate"]).size().eq(1).all()
    grid = runs.groupby("point_id")[["powers.turkey.resolve.value", "powers.russia.resolve.value"]].first()
    assert sorted(map(tuple, grid.values)) == [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    back = load(sweep)
    assert len(back.runs) == 12 and back.complete and len(back.daily) == 12 * 10
    assert "12 runs over 4 points" in proc.stdout
    # the sweep's own provenance: a file and config beside the joined table, and inside it each job's
    sweep_record = json.loads((sweep / "provenance.json").read_text())
    assert sorted(sweep_record["jobs"]) == ["0", "1", "2", "3"] and sweep_record["git"]["commit"]
    assert "powers.turkey.resolve.value=0.0,1.0" in sweep_record["overrides"]
    assert back.config["ensemble"]["seed"] == 7 and back.config["experiment"]["name"] == "turkey_x_russia"
    inside = back.provenance
    assert inside["seed"] == 7 and sorted(inside["jobs"]) == ["0", "1", "2", "3"] and inside["schema_version"] == 1
    job_digests = {name: job["config_digest"] for name, job in inside["jobs"].items()}
    assert len(set(job_digests.values())) == 4  # four different points
    assert job_digests["0"] == load(jobs[0] / "runs.parquet").provenance["config_digest"]
    # a job of the sweep is the same ensemble as from Python with the same values and seed
    from sim import load_config, run_ensemble

    cfg = load_config(
        overrides=["scenario.horizon_days=10", "powers.turkey.resolve.value=1.0", "powers.russia.resolve.value=0.0"]
    )
    want = run_ensemble(cfg, n=3, seed=7).runs
    got = runs[(runs["powers.turkey.resolve.value"] == 1.0) & (runs["powers.russia.resolve.value"] == 0.0)]
    pd.testing.assert_frame_equal(got.reset_index(drop=True)[want.columns], want, check_dtype=False)


@pytest.mark.slow  # the command line: Hydra, the model
def test_joblib_launcher_runs_scenario_points_in_parallel(tmp_path):
    run_cli(
        "-m",
        f"output_dir={tmp_path}",
        "hydra/launcher=local_processes",
        "hydra.launcher.n_jobs=2",
        f"hydra.sweep.dir={tmp_path / 'sw'}",
        "scenario=baseline_2020,turkey_restrained",
        "report=false",  # the launcher is under test here; the sweep's report, in the 2x2 grid test
        *SMALL,
    )
    res = load(tmp_path / "sw")
    assert len(res.runs) == 6 and set(res.runs["scenario"]) == {"baseline_2020", "turkey_restrained"}
    days = res.daily.groupby(["point_id", "replicate"])["day"]  # each job's days, from its own process
    assert days.ngroups == 6 and days.count().eq(10).all()
    assert not (tmp_path / "sw" / "report").exists()  # report=false: tables only


@pytest.mark.slow  # the command line: Hydra, the model, a report
def test_sampled_design_job_streams_and_reports_the_run_count(tmp_path):
    proc = run_cli(
        f"output_dir={tmp_path}",
        "experiment=lhs_many_parameters",
        "experiment.design.points=4",
        "ensemble.chunk_size=5",
        *SMALL,
    )
    assert "4 points x 3 replicates = 12 runs" in proc.stdout
    folder = tmp_path / "lhs_many_parameters" / "baseline_2020_n3_seed7"
    res = load(folder)
    assert len(res.runs) == 12 and res.runs["point_id"].nunique() == 4 and res.complete
    assert (tmp_path / "latest").resolve() == folder.resolve()
    page = (folder / "report" / "report.md").read_text()
    assert page.startswith("# Design lhs_many_parameters:")  # titled as the design, not as its base scenario
    assert "(design_ranking.png)" in page and "sweep_rung" not in page
    assert res.runs.groupby("point_id")["combat.posture_fortified.value"].nunique().eq(1).all()


@pytest.mark.slow  # the command line: Hydra, the model, a report
def test_a_single_job_writes_tables_and_a_readable_report(tmp_path):
    job = tmp_path / "job"
    proc = run_cli(f"output_dir={tmp_path}", f"hydra.run.dir={job}", *SMALL)
    assert len(pd.read_parquet(job / "runs.parquet")) == 3
    report = job / "report"
    for name in ("index.html", "report.md", "escalation_fan.png", "max_rung.png", "sector_control.png", "summary.csv"):
        assert (report / name).exists(), f"{report / name} missing"
    page = (report / "report.md").read_text()
    assert "baseline_2020" in page and "P(highest rung >= 3" in page
    assert f"report: {report / 'index.html'}" in proc.stdout
    assert (tmp_path / "latest").resolve() == job.resolve()


@pytest.mark.slow  # the command line: Hydra, the model, a report
def test_a_scenario_sweep_can_draw_from_the_posterior(tmp_path):
    """-m scenario=a,b ensemble.parameters=posterior: every job's runs draw the calibrated parameters
    (here a one-row posterior, so every run gets its value), and the sweep is read back whole."""
    post = tmp_path / "posterior.parquet"
    pd.DataFrame({"combat.attrition_rate.value": [0.15], "weight": [1.0]}).to_parquet(post)
    sweep = ["-m", "scenario=baseline_2020,turkey_intervenes", "report=false", *SMALL]
    run_cli(*sweep, f"output_dir={tmp_path / 'drawn'}", "ensemble.parameters=posterior", f"ensemble.posterior={post}")
    run_cli(*sweep, f"output_dir={tmp_path / 'fixed'}")
    drawn, fixed = (load((tmp_path / kind / "latest").resolve()).runs for kind in ("drawn", "fixed"))
    assert set(drawn["scenario"]) == {"baseline_2020", "turkey_intervenes"} and len(drawn) == 6
    # five times the declared attrition rate: many more soldiers die in every scenario
    assert drawn["military_deaths_azerbaijan"].sum() > 2 * fixed["military_deaths_azerbaijan"].sum()
