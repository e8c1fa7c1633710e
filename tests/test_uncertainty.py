"""Parameter uncertainty (sim.config.uncertainty): which numbers are drawn, how, and what it does to an ensemble."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from sim import load_config, run_ensemble
from sim.config.schema import ConfigError
from sim.config.uncertainty import (
    ParameterDraws,
    Posterior,
    Uncertain,
    check_posterior,
    draw,
    parameter_draws,
    read_posterior,
    uncertain_parameters,
    with_values,
)
from sim.model.conflict import parameters_of


def _keys(cfg) -> set[str]:
    return {u.key for u in uncertain_parameters(cfg)}


def test_every_declared_parameter_and_the_terrain_are_uncertain(baseline_cfg):
    keys = _keys(baseline_cfg)
    assert "combat.attrition_rate.value" in keys
    assert "decisions.gain_weight.value" in keys
    assert "theatre.sectors.shusha.fortification" in keys
    for u in uncertain_parameters(baseline_cfg):
        assert u.low <= u.mode <= u.high and u.low < u.high, u


def test_levers_a_scenario_or_an_override_sets_are_held(cfg_of):
    held = _keys(cfg_of("turkey_intervenes"))
    assert "powers.turkey.resolve.value" not in held  # the scenario's lever
    assert "powers.turkey.border_interest.value" in held  # untouched: still uncertain
    cfg = load_config("baseline_2020", ["combat.uav_weight.value=40", "theatre.sectors.shusha.fortification=0.75"])
    keys = _keys(cfg)
    assert "combat.uav_weight.value" not in keys
    assert "theatre.sectors.shusha.fortification" not in keys  # 0.75: not the file's value
    assert "combat.attrition_rate.value" in keys


def test_draws_are_triangular_around_the_declared_value():
    p = Uncertain("x.value", 0.0, 0.8, 1.0)
    rng = np.random.default_rng(5)
    xs = np.array([draw([p], rng)["x.value"] for _ in range(4000)])
    assert xs.min() >= 0.0 and xs.max() <= 1.0
    # triangular mean (low + mode + high) / 3 = 0.6, sd ~0.216: 4,000 draws put the mean within 0.02
    assert abs(xs.mean() - 0.6) < 0.02
    assert abs(np.median(xs) - 0.632) < 0.03  # mode side: more than half the mass above 0.5


def test_with_values_copies_only_what_it_changes(baseline_cfg):
    cfg = baseline_cfg.copy()
    OmegaConf.set_readonly(cfg, True)
    snap = parameters_of(cfg)
    changed = with_values(snap, {"combat.uav_weight.value": 99.0, "combat.attrition_rate.value": 0.05})
    assert changed.combat.uav_weight.value == 99.0 and changed.combat.attrition_rate.value == 0.05
    assert snap.combat.uav_weight.value == baseline_cfg.combat.uav_weight.value  # the shared snapshot is untouched
    assert changed.diplomacy is snap.diplomacy  # untouched branches are shared, not copied


def test_a_posterior_sets_its_keys_only_and_leaves_held_levers_alone():
    u = (Uncertain("a.value", 0.0, 0.5, 1.0), Uncertain("b.value", 0.0, 0.5, 1.0))
    post = Posterior(("a.value", "held.value"), np.array([[0.123, 7.0]]), np.array([1.0]))
    values = ParameterDraws("posterior", u, post).values(np.random.default_rng(1))
    assert values["a.value"] == 0.123  # from the posterior's only row
    assert "b.value" not in values  # not calibrated: stays at its declared value, as in the calibration
    assert "held.value" not in values  # a lever the config holds is not drawn from the posterior either


def test_a_missing_or_bad_posterior_is_one_line(tmp_path):
    with pytest.raises(ConfigError, match=r"^ensemble.posterior: no file .*make calibrate"):
        read_posterior(str(tmp_path / "nope.parquet"))
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    with pytest.raises(ConfigError, match=r"^ensemble.posterior: .* not a readable Parquet table"):
        read_posterior(str(bad))
    cfg = load_config("baseline_2020", ["ensemble.parameters=posterior", f"ensemble.posterior={tmp_path}/none.parquet"])
    with pytest.raises(ConfigError, match="ensemble.posterior"):
        parameter_draws(cfg)


def test_a_posterior_the_user_names_must_exist_before_anything_runs(tmp_path, capsys):
    """Only the shipped posterior may be missing (a job's companion then draws from the ranges and says
    so); a file named on the command line that is not there is refused in one line, exit 2, nothing made."""
    from experiments import run

    missing = tmp_path / "none.parquet"
    check_posterior(load_config("baseline_2020"))  # the shipped one, there or not: no refusal
    for words in (
        [f"ensemble.posterior={missing}"],
        ["ensemble.parameters=posterior", f"ensemble.posterior={missing}"],
    ):
        with pytest.raises(ConfigError, match=r"^ensemble.posterior: no file"):
            check_posterior(load_config("baseline_2020", words))
        with pytest.raises(SystemExit) as exit_:
            run.main([*words, "ensemble.n=2", f"output_dir={tmp_path / 'out'}"])
        assert exit_.value.code == 2 and capsys.readouterr().err.startswith("config error: ensemble.posterior: no file")
        assert not (tmp_path / "out").exists()


def test_an_unknown_mode_names_the_allowed_ones():
    with pytest.raises(ConfigError, match=r"ensemble.parameters: 'range'.*fixed, ranges, posterior"):
        load_config("baseline_2020", ["ensemble.parameters=range"])


@pytest.fixture(scope="module")
def both():
    """The same 80 replicates with fixed and with drawn parameters (paired: same chance streams)."""
    fixed = run_ensemble(load_config("baseline_2020", ["ensemble.n=80"])).runs
    ranges = run_ensemble(load_config("baseline_2020", ["ensemble.n=80", "ensemble.parameters=ranges"])).runs
    return fixed, ranges


@pytest.mark.slow  # two 80-run ensembles (the module's `both`)
def test_same_seed_same_draws(both):
    again = run_ensemble(
        load_config("baseline_2020", ["ensemble.n=80", "ensemble.parameters=ranges", "ensemble.chunk_size=7"])
    ).runs
    pd.testing.assert_frame_equal(both[1], again)


@pytest.mark.slow  # two 80-run ensembles (the module's `both`)
def test_drawn_parameters_widen_the_interval(both):
    """Chance alone vs chance and parameters: over 80 paired replicates the outcomes spread more when
    the parameters are drawn. Measured on a log scale (deaths and ground span orders of magnitude once
    parameters vary, and a few huge runs would dominate a plain standard deviation); over seeds 1-3 the
    ratios were 1.8-2.3 (deaths) and 1.5-1.9 (territory), so 1.4 and 1.3 leave room for noise."""
    fixed, ranges = both

    def ratio(col: str) -> float:
        return float(np.log1p(ranges[col]).std() / np.log1p(fixed[col]).std())

    assert ratio("military_deaths_azerbaijan") > 1.4
    assert ratio("territory_change_km2") > 1.3


def test_a_job_gets_a_companion_ensemble_for_its_total_interval(tmp_path):
    from sim.config.uncertainty import companion

    cfg = load_config("baseline_2020", [f"ensemble.posterior={tmp_path}/none.parquet"])
    other, mode, note = companion(cfg)
    assert mode == "ranges" and "no posterior" in note  # no posterior yet: the declared ranges, said so
    assert other.ensemble.parameters == "ranges" and cfg.ensemble.parameters == "fixed"
    pd.DataFrame({"combat.attrition_rate.value": [0.03], "weight": [1.0]}).to_parquet(tmp_path / "p.parquet")
    cfg = load_config("baseline_2020", [f"ensemble.posterior={tmp_path}/p.parquet"])
    assert companion(cfg)[1:] == ("posterior", "")
    assert companion(load_config("baseline_2020", ["ensemble.total=none"])) is None
    assert companion(load_config("baseline_2020", ["ensemble.parameters=ranges"])) is None  # already drawn


@pytest.mark.slow  # two 80-run ensembles (the module's `both`)
def test_the_interval_table_sets_chance_beside_the_total(both):
    from sim.analysis.intervals import interval_table

    fixed, ranges = both
    table = interval_table(fixed, ranges, "ranges")
    assert table.shape == (6, 3)
    assert "chance alone" in table.columns[1] and "declared range" in table.columns[2]
    assert table["outcome"].str.contains("days of war").any()

    def span(x: pd.Series) -> float:  # the 5-95% range on a log scale
        return float(np.log1p(x).quantile(0.95) - np.log1p(x).quantile(0.05))

    assert span(ranges["territory_change_km2"]) > 1.0 * span(fixed["territory_change_km2"])
    with pytest.raises(ValueError, match="mode: 'fixed' is not allowed"):
        interval_table(fixed, ranges, "fixed")


def test_the_shipped_posterior_is_found_from_any_working_folder(tmp_path, monkeypatch):
    from sim.config.schema import SHIPPED_POSTERIOR
    from sim.config.uncertainty import posterior_path

    monkeypatch.chdir(tmp_path)  # outside the checkout: the relative default still finds the shipped file
    found = posterior_path(SHIPPED_POSTERIOR)
    assert found.is_file() and found.is_absolute()
    (tmp_path / "calibration").mkdir()
    pd.DataFrame({"combat.attrition_rate.value": [0.03]}).to_parquet(tmp_path / SHIPPED_POSTERIOR)
    # a file in the working folder comes first
    assert posterior_path(SHIPPED_POSTERIOR).resolve() == (tmp_path / SHIPPED_POSTERIOR).resolve()
    assert not posterior_path("no/such.parquet").is_file()


def test_a_rewritten_posterior_is_read_afresh(tmp_path):
    """A calibration that rewrites its posterior in the same process (a resumed fit, a notebook) sees the new file."""
    path = tmp_path / "p.parquet"
    pd.DataFrame({"combat.attrition_rate.value": [0.03], "weight": [1.0]}).to_parquet(path)
    assert read_posterior(str(path)).values[0, 0] == 0.03
    pd.DataFrame({"combat.attrition_rate.value": [0.05, 0.06], "weight": [1.0, 1.0]}).to_parquet(path)
    assert list(read_posterior(str(path)).values[:, 0]) == [0.05, 0.06]


@pytest.mark.slow  # two 80-run ensembles (the module's `both`)
def test_the_summary_and_the_how_sure_table_give_the_same_range_of_the_same_runs(both):
    from sim.analysis.intervals import interval_table
    from sim.analysis.stats import run_spread
    from sim.analysis.summary import summary_table

    fixed, ranges = both
    lo, med, hi = run_spread(fixed["duration_days"])
    assert {lo, hi} <= set(fixed["duration_days"].astype(float))  # the ends are runs
    assert ((fixed["duration_days"] >= lo) & (fixed["duration_days"] <= hi)).mean() >= 0.9
    how_sure = interval_table(fixed, ranges, "ranges").set_index("outcome").iloc[:, 0]
    summary = summary_table(fixed)
    (said,) = [v for k, v in how_sure.items() if k.startswith("days of war")]
    assert said == f"{med:,.0f} [{lo:,.0f}, {hi:,.0f}]"
    assert f"{lo:,.0f}-{hi:,.0f}" in set(summary.iloc[:, 1:].to_numpy().ravel())
