"""Calibration: recovery of known parameter values, ranges kept, usable output."""

import logging

import numpy as np
import pytest
import yaml
from omegaconf import OmegaConf

from experiments import calibrate as cli
from sim import load_config
from sim.analysis.calibration import (
    CalibrationError,
    Prior,
    abc_posterior,
    calibrate,
    override_strings,
    priors_of,
    read_overrides,
    scenario_document,
    summarise,
    weighted_quantile,
    with_values,
)
from sim.analysis.validation import episodes, find_target
from sim.config.schema import ConfigError, validate

logging.getLogger("MESA").setLevel(logging.WARNING)

KEYS = ["combat.attrition_rate", "combat.armour_exposure"]
#: Known values away from the shipped ones (0.03, 0.03), inside the declared ranges.
TRUTH = {"combat.attrition_rate": 0.045, "combat.armour_exposure": 0.1}
#: Stated tolerance of recovery on a tiny budget (40 draws x 10 runs): 25% of the true value.
RECOVERY_TOLERANCE = 0.25


@pytest.fixture(scope="module")
def day_one():
    cfg = load_config("baseline_2020", overrides=["scenario.horizon_days=1"])
    ep = episodes()["day_one_2020"]
    return cfg, [find_target(ep, "defender_military_deaths"), find_target(ep, "attacker_armour_lost")]


@pytest.fixture(scope="module")
def recovered(day_one):
    cfg, targets = day_one
    # the synthetic "record": the model itself at known values, a large ensemble on another seed
    observed = summarise(with_values(cfg, TRUTH), targets, n=200, seed=99)
    return calibrate(cfg, KEYS, targets, observed, draws=40, n=10, seed=3, accept=0.25)


def test_calibration_recovers_known_values(recovered):
    for key, true in TRUTH.items():
        fitted = recovered.fitted[key]
        assert abs(fitted - true) <= RECOVERY_TOLERANCE * true, (key, fitted, true)


def test_posterior_is_narrower_than_the_prior_and_inside_the_range(recovered):
    for p in recovered.priors:
        x = recovered.posterior[p.key]
        assert ((x > p.lo) & (x < p.hi)).all()
        row = recovered.table.set_index("parameter").loc[p.key]
        assert p.lo < row.p5 <= row["median"] <= row.p95 < p.hi
        assert p.to_unit(row.p95) - p.to_unit(row.p5) < 0.5  # the data moved the prior
    assert np.isclose(recovered.posterior["weight"].sum(), 1.0)


def test_unreachable_target_keeps_the_fit_inside_the_range(day_one):
    """Asking for far more armour losses than the range allows pins the fit near, not past, the bound."""
    cfg, targets = day_one
    fit = calibrate(cfg, ["combat.armour_exposure"], targets[1:], [5000.0], draws=12, n=4, seed=1, accept=0.5)
    row = fit.table.iloc[0]
    assert 0.3 < row["median"] <= row.p95 <= 0.5
    validate(with_values(cfg, fit.fitted))


def test_fitted_values_are_usable_as_overrides_and_as_a_scenario(recovered, tmp_path):
    overrides = override_strings(recovered)
    path = tmp_path / "overrides.txt"
    path.write_text("# comment\n" + "\n".join(overrides) + "\n")
    cfg = load_config("baseline_2020", overrides=read_overrides(path))
    for key, v in recovered.fitted.items():
        assert OmegaConf.select(cfg, f"{key}.value") == pytest.approx(v, rel=1e-3)
    base = load_config("baseline_2020")
    doc = scenario_document(base, recovered, "baseline_2020_calibrated", "a synthetic target")
    merged = validate(OmegaConf.merge(base, OmegaConf.create(yaml.safe_load(yaml.safe_dump(doc)))))
    assert merged.scenario.name == "baseline_2020_calibrated"
    assert merged.scenario.horizon_days == base.scenario.horizon_days
    assert "ABC calibration" in merged.combat.attrition_rate.source


def test_priors_follow_declared_ranges(baseline_cfg):
    att, arm = priors_of(baseline_cfg, KEYS)
    assert (att.lo, att.hi, att.log) == (0.005, 0.2, True)  # spans 40x: log-uniform
    assert (arm.lo, arm.hi, arm.log) == (0.01, 0.5, True)
    u = np.linspace(0, 1, 5)
    assert np.allclose(att.to_unit(att.from_unit(u)), u)
    lin = Prior("x", 1.0, 3.0, False)
    assert np.allclose(lin.from_unit(u), [1.0, 1.5, 2.0, 2.5, 3.0])


def test_abc_posterior_on_a_known_linear_simulator():
    """Summary = 10 * theta exactly: the regression adjustment lands on the observed point."""
    rng = np.random.default_rng(0)
    u = rng.random((200, 1))
    s = 10.0 * u + 1.0
    post, w, dist = abc_posterior(u, s, np.array([6.0]), accept=0.2)
    assert weighted_quantile(post[:, 0], w, [0.5])[0] == pytest.approx(0.5, abs=0.01)
    assert dist.argmin() == np.abs(u[:, 0] - 0.5).argmin()


def test_bad_requests_are_one_line(baseline_cfg, day_one):
    cfg, targets = day_one
    with pytest.raises(CalibrationError, match="combat.nonsense: not a sourced parameter"):
        priors_of(baseline_cfg, ["combat.nonsense"])
    with pytest.raises(CalibrationError, match="draws: 2 is too few"):
        calibrate(cfg, KEYS, targets, [32, 44], draws=2)
    with pytest.raises(ConfigError, match="combat.attrition_rate.value: 0.5 is out of range"):
        with_values(cfg, {"combat.attrition_rate": 0.5})


@pytest.mark.slow
def test_cli_writes_a_usable_fit(tmp_path, capsys):
    out = tmp_path / "cal"
    code = cli.main(["draws=8", "n=3", "accept=0.5", "seed=4", f"out={out}"])
    assert code == 0
    cfg = load_config("baseline_2020", overrides=read_overrides(out / "overrides.txt"))
    assert cfg.combat.attrition_rate.range[0] <= cfg.combat.attrition_rate.value <= cfg.combat.attrition_rate.range[1]
    doc = yaml.safe_load((out / "baseline_2020_calibrated.yaml").read_text())
    assert doc["scenario"]["name"] == "baseline_2020_calibrated"
    assert (out / "calibration.png").stat().st_size > 10_000
    assert "overrides:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["params=[combat.nonsense]"], "calibrate error: params: combat.nonsense: not a sourced parameter"),
        (
            ["targets=[defender_wounded]"],
            "calibrate error: observed: target defender_wounded has an open observed range",
        ),
        (["episode=may_1994"], "calibrate error: episode: 'may_1994' is unknown"),
        (["targets=[nope]"], "calibrate error: targets: day_one_2020: no target 'nope'"),
        (["observed=[1,2,3]"], "calibrate error: observed: 3 values for 2 targets"),
        (["accept=1.5"], "calibrate error: accept: 1.5 is out of range; allowed (0, 1]"),
        (["adjust=maybe"], "calibrate error: adjust: 'maybe' is not allowed; expected true or false"),
        (["name=../../../evil_name"], "calibrate error: name: '../../../evil_name' is not allowed"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "cal"
    assert cli.main([*args, "draws=8", "n=2", f"out={out}"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not out.exists()
