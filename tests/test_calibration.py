"""Calibration by ABC-SMC (sim.analysis.calibration, sim.report.calibration, experiments.calibrate)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from experiments import calibrate as cli
from sim import load_config, run_ensemble
from sim.analysis.calibration import (
    UNDEFINED_MISFIT,
    CalibrationError,
    EpisodeSimulator,
    Prior,
    misfit,
    priors_of,
    weighted_quantile,
)
from sim.analysis.validation import Statistic, Target
from sim.report.calibration import check, fit

ROOT = Path(__file__).resolve().parents[1]


def _target(lo, hi, rule="overlap", min_share=0.5):
    return Target("t", "t", "u", Statistic("runs", ("x",)), (lo, hi), rule, min_share, True, "s", "fit")


def test_misfit_is_zero_inside_and_grows_on_a_log_scale_outside():
    t = _target(30.0, 40.0)
    assert misfit(pd.Series([30.0, 35.0, 50.0]), t) == 0.0
    below, far_below = misfit(pd.Series([20.0] * 3), t), misfit(pd.Series([2.0] * 3), t)
    assert 0 < below < far_below
    assert misfit(pd.Series([400.0]), t) == pytest.approx(np.log1p(400) - np.log1p(40))
    assert misfit(pd.Series([np.nan, np.nan]), t) == UNDEFINED_MISFIT  # a statistic the runs cannot give
    share = _target(0.0, 0.0, rule="share_inside", min_share=0.8)
    assert misfit(pd.Series([0.0] * 8 + [5.0] * 2), share) == 0.0
    assert misfit(pd.Series([0.0] * 5 + [5.0] * 5), share) == pytest.approx(4.0 * 0.3)


def test_priors_are_the_triangular_draws_of_the_ranges(baseline_cfg):
    (p,) = priors_of(baseline_cfg, ["combat.attrition_rate"])
    assert (p.low, p.mode, p.high) == (0.005, float(baseline_cfg.combat.attrition_rate.value), 0.2)
    assert p.unit == baseline_cfg.combat.attrition_rate.unit and p.unit  # the figures label the axis with it
    grid = np.linspace(p.low, p.high, 20001)
    assert np.trapezoid(p.density(grid), grid) == pytest.approx(1.0, abs=1e-3)
    assert p.rv().rvs() == pytest.approx(p.rv().rvs(), rel=10)  # a scipy distribution pyabc can sample
    with pytest.raises(CalibrationError, match="combat.attrition: not an uncertain sourced parameter"):
        priors_of(baseline_cfg, ["combat.attrition"])
    held = load_config("turkey_intervenes")
    with pytest.raises(CalibrationError, match="powers.turkey.resolve: not an uncertain"):
        priors_of(held, ["powers.turkey.resolve"])  # the scenario's lever cannot be fitted away


def _request(tmp_path, **kw):
    base = dict(
        episodes=["day_one_2020"],
        params=["combat.attrition_rate"],
        population=12,
        generations=2,
        n=3,
        seed=4,
        executor="serial",
        workers=0,
        min_acceptance=0.0,
        predictive_n=0,
        targets_dir=None,
        out=str(tmp_path / "cal"),
    )
    base.update(kw)
    return SimpleNamespace(**base)


@pytest.mark.slow
def test_recovery_of_a_known_parameter(tmp_path):
    """Day one simulated at a known attrition rate (0.06, declared 0.03) is calibrated back: the known value
    lies inside the posterior's 5-95% interval, and the posterior is narrower than the prior. (Small
    size; docs/uncertainty.md#recovery reports the full-size recovery over many known values.)"""
    truth = 0.06
    from benchmarks.recovery import day_one_episode

    targets = day_one_episode(tmp_path / "targets", truth, seed=99)
    args = check(
        _request(
            tmp_path,
            episodes=["synthetic"],
            targets_dir=str(targets),
            population=30,
            generations=3,
            n=8,
        )
    )
    priors, posterior, generations = fit(args)
    assert generations == 3
    x, w = posterior["combat.attrition_rate.value"].to_numpy(), posterior["weight"].to_numpy()
    p5, p95 = weighted_quantile(x, w, [0.05, 0.95])
    assert p5 <= truth <= p95
    assert (p95 - p5) < 0.5 * (priors[0].high - priors[0].low)


def test_a_particle_is_its_misfits_on_the_fit_targets_only():
    sim = EpisodeSimulator(("war_2020",), n=2, seed=1)
    out = sim({"combat__attrition_rate": 0.03})
    assert set(out) == {
        "war_2020/duration",
        "war_2020/azerbaijani_military_deaths",
        "war_2020/armenian_military_deaths",
        "war_2020/heavy_equipment_ratio",
        "war_2020/negotiated_settlement",
    }
    assert all(v >= 0 for v in out.values())
    assert sim({"combat__attrition_rate": 0.03}) == out  # common random numbers: same values, same misfits


@pytest.mark.slow
def test_cli_fits_resumes_and_refuses_other_settings(tmp_path, capsys, monkeypatch):
    import sim.report.calibration as report

    doc = tmp_path / "docs" / "validation.md"
    doc.parent.mkdir()
    doc.write_text("# Validation\n\nHand-written text stays.\n")
    monkeypatch.setattr(report, "DOC", doc)
    out = tmp_path / "cal"
    common = ["episodes=[day_one_2020]", "params=[combat.attrition_rate]", "population=10", "n=2", "seed=3"]
    assert cli.main([*common, "generations=2", "predictive_n=5", "executor=serial", f"out={out}", "docs=true"]) == 0
    printed = capsys.readouterr().out
    assert "posterior predictive check: check set:" in printed
    text = doc.read_text()
    assert text.startswith("# Validation\n\nHand-written text stays.") and report.START in text
    assert text.index("check set:") < text.index("fit set:")  # the held-out score first
    assert (doc.parent / "figures" / "predictive_check.png").is_file()
    for name in ("posterior.parquet", "calibration.csv", "prior_posterior.png", "predictive_check.png"):
        assert (out / name).is_file(), name
    post = pd.read_parquet(out / "posterior.parquet")
    assert list(post.columns) == ["combat.attrition_rate.value", "weight"] and post["weight"].sum() == pytest.approx(1)
    check_table = pd.read_csv(out / "predictive_check.csv")
    assert set(check_table["use"]) == {"fit", "check"}
    # the posterior is what ensemble.parameters=posterior reads
    cfg = load_config("baseline_2020", ["ensemble.parameters=posterior", f"ensemble.posterior={out}/posterior.parquet"])
    assert len(run_ensemble(cfg, n=3, seed=1).runs) == 3
    # one more population: resumed from the database, not restarted
    assert cli.main([*common, "generations=3", "predictive_n=0", "executor=serial", f"out={out}"]) == 0
    assert "resuming after 2 finished population(s)" in capsys.readouterr().out
    # other settings in the same folder: refused in one line, the folder untouched
    assert cli.main([*common[:-1], "seed=4", "generations=3", "predictive_n=0", f"out={out}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("calibrate error: out:") and "other seed" in err and "\n" not in err
    assert json.loads((out / "request.json").read_text())["settings"]["seed"] == 3
    # the same settings for another model (its code or conf/ changed): refused too, never resumed
    monkeypatch.setattr(report, "model_fingerprint", lambda args: "another model")
    assert cli.main([*common, "generations=3", "predictive_n=0", "executor=serial", f"out={out}"]) == 2
    assert "other model" in capsys.readouterr().err


def test_the_model_fingerprint_follows_the_episodes_config(tmp_path):
    """Same episodes and conf/: the same fingerprint; an episode run with another parameter: another one."""
    from types import SimpleNamespace

    from sim.config.paths import CONF_DIR
    from sim.report.calibration import model_fingerprint

    same, other = tmp_path / "same", tmp_path / "other"
    for folder in (same, other):
        folder.mkdir()
    text = (CONF_DIR / "backtest" / "day_one_2020.yaml").read_text()
    (same / "day_one_2020.yaml").write_text(text)
    changed = text.replace(
        "overrides: [scenario.horizon_days=1]", "overrides: [scenario.horizon_days=1, combat.attrition_rate.value=0.05]"
    )
    assert changed != text
    (other / "day_one_2020.yaml").write_text(changed)

    def args(folder):
        return SimpleNamespace(episodes=["day_one_2020"], targets_dir=str(folder))

    assert model_fingerprint(args(same)) == model_fingerprint(args(same))
    assert model_fingerprint(args(same)) != model_fingerprint(args(other))


@pytest.mark.slow
def test_a_killed_calibration_resumes_from_its_last_population(tmp_path):
    """A real process on two workers, killed with SIGKILL once a population is in the database."""
    out = tmp_path / "cal"
    cmd = [
        sys.executable,
        "-m",
        "experiments.calibrate",
        "episodes=[day_one_2020]",
        "params=[combat.attrition_rate,combat.killed_fraction]",
        "population=20",
        "generations=3",
        "n=3",
        "predictive_n=0",
        "executor=processes",
        "workers=2",
        f"out={out}",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)

    def populations() -> int:
        try:
            with sqlite3.connect(out / "history.db") as db:
                return int(db.execute("select count(*) from populations where t >= 0").fetchone()[0])
        except sqlite3.Error:
            return 0

    deadline = time.time() + 300
    while populations() < 1 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = populations()
    assert 1 <= done < 3, "the kill should land during the calibration"
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-800:]
    assert f"resuming after {done} finished population(s)" in again.stdout
    assert populations() == 3


@pytest.mark.slow
@pytest.mark.usefixtures("one_ray_at_a_time")
def test_particles_run_as_ray_tasks(tmp_path):
    """executor=ray: pyabc's futures sampler submits the particles to a local Ray through RayFutures."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        _, posterior, generations = fit(check(_request(tmp_path, executor="ray", population=6, generations=1, n=2)))
    finally:
        ray.shutdown()
    assert generations == 1 and len(posterior) == 6 and posterior["weight"].sum() == pytest.approx(1.0)
    lo, hi = 0.005, 0.2  # the declared range of the attrition rate
    assert posterior["combat.attrition_rate.value"].between(lo, hi).all()


def test_a_damaged_calibration_folder_is_one_line(tmp_path):
    """A history.db or request.json that cannot be read ends in one line naming the file, not a traceback."""
    from sim.report.calibration import _settings

    args = check(_request(tmp_path))
    out = Path(args.out)
    out.mkdir()
    (out / "history.db").write_text("garbage")
    (out / "request.json").write_text(json.dumps({"settings": _settings(args), "id": 1}))
    with pytest.raises(CalibrationError, match=r"^out: .*history.db cannot be read as the calibration's database"):
        fit(args)
    (out / "request.json").write_text("{not json")
    with pytest.raises(CalibrationError, match=r"^out: .*request.json cannot be read"):
        fit(args)
    assert (out / "history.db").read_text() == "garbage"  # nothing of the damaged folder is overwritten


def test_the_prior_posterior_figure_names_each_posterior_range_and_the_declared_value():
    import matplotlib.pyplot as plt

    from sim.plots.calibration import prior_posterior_figure

    priors = [
        Prior("combat.attrition_rate", 0.0, 0.03, 0.2, "casualties a day"),
        Prior("diplomacy.optimism", 0.0, 0.4, 0.9),
    ]
    rng = np.random.default_rng(4)
    posterior = pd.DataFrame(
        {
            "combat.attrition_rate.value": rng.uniform(0.02, 0.025, 400),
            "diplomacy.optimism.value": rng.uniform(0.3, 0.8, 400),
            "weight": rng.uniform(0.5, 1.5, 400),
        }
    )
    fig = prior_posterior_figure(priors, posterior, "synthetic")
    try:
        for ax, p in zip(fig.axes, priors, strict=False):
            x, w = posterior[f"{p.key}.value"].to_numpy(), posterior["weight"].to_numpy()
            p5, p95 = weighted_quantile(x, w, [0.05, 0.95])
            assert ax.get_title().splitlines() == [
                p.key,
                f"posterior 5-95%: {p5:.3g} to {p95:.3g}; declared {p.mode:.3g}",
            ]
            assert ax.get_ylabel() == "density" and ax.get_xlim() == (p.low, p.high)
            assert ax.get_xlabel() == (p.unit or "value (across its declared range)")  # its unit, where declared
            bars = [r for r in ax.patches if r.get_label() != "posterior 5-95%" and r.get_height() > 0]
            area = sum(r.get_width() * r.get_height() for r in bars)
            assert area == pytest.approx(1.0, rel=1e-6)  # a density, weighted
    finally:
        plt.close(fig)
