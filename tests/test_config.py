"""Every file in conf/ composes and validates; each named scenario runs a small ensemble."""

from __future__ import annotations

from functools import cache

import pytest

from sim import load_config, run_ensemble
from sim.config.command_check import check_command_line
from sim.config.loading import CONF_DIR, scenarios

REQUIRED = {
    "baseline_2020",
    "april_2016",
    "july_2020",
    "turkey_intervenes",
    "turkey_restrained",
    "russia_guarantor",
    "russia_abstains",
    "iran_mediates",
    "arms_embargo",
    "strong_minsk_group",
}
EXPERIMENTS = sorted(p.stem for p in (CONF_DIR / "experiment").glob("*.yaml"))
SHORT = ["scenario.horizon_days=15"]


@cache
def experiment(name):
    return check_command_line([f"experiment={name}"])


def test_all_required_scenarios_exist():
    assert REQUIRED <= set(scenarios())


@pytest.mark.exhaustive
@pytest.mark.parametrize("name", scenarios())
def test_scenario_has_a_comment_and_its_name(name):
    text = (CONF_DIR / "scenario" / f"{name}.yaml").read_text()
    comment = [ln for ln in text.splitlines() if ln.startswith("#") and "@package" not in ln]
    assert len(" ".join(comment)) > 60, f"{name}.yaml needs a comment on what it changes and why"
    assert load_config(name).scenario.name == name


@pytest.mark.exhaustive
@pytest.mark.parametrize("name", scenarios())
def test_scenario_runs_a_small_ensemble(name):
    res = run_ensemble(load_config(name, overrides=SHORT), n=3, seed=5)
    assert len(res.runs) == 3 and set(res.runs["scenario"]) == {name}
    assert res.daily.groupby("replicate")["day"].max().le(15).all()


@pytest.mark.exhaustive
@pytest.mark.parametrize(
    "group", ["belligerents", "powers", "mediator", "ties", "theatre", "combat", "decisions", "diplomacy", "ensemble"]
)
def test_every_option_of_every_group_composes(group):
    for option in sorted(p.stem for p in (CONF_DIR / group).glob("*.yaml")):
        assert load_config(overrides=[f"{group}={option}"]) is not None


@pytest.mark.slow  # composes the configuration once per sweep value
@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_composes_and_every_sweep_value_validates(name):
    cfg = experiment(name)
    assert cfg.experiment.name == name
    swept = cfg.hydra.sweeper.params or {}
    if cfg.experiment.design.method == "none":
        assert len(swept) == 2, "a grid experiment sweeps two parameters"
        assert "${experiment.name}" in (CONF_DIR / "experiment" / f"{name}.yaml").read_text()
    else:
        assert len(cfg.experiment.design.params) >= 8, "a sampled design varies many parameters"


@pytest.mark.slow  # composes every experiment (shared with the test above within one process)
def test_required_grids_are_there():
    keys = {name: set(experiment(name).hydra.sweeper.params or {}) for name in EXPERIMENTS}
    assert {"powers.turkey.resolve.value", "powers.russia.resolve.value"} in keys.values()
    assert {"belligerents.azerbaijan.arms_spending.value", "combat.posture_fortified.value"} in keys.values()
    assert {"mediator.strength.value", "mediator.ceasefire_durability.value"} in keys.values()


def test_launcher_choice_composes():
    cfg = check_command_line(["hydra/launcher=local_processes"])
    assert cfg.hydra.launcher.n_jobs == -1


def test_a_config_is_composed_once_but_each_caller_gets_its_own_copy_and_an_edited_file_counts(tmp_path, monkeypatch):
    import shutil

    from sim.config import loading

    conf = tmp_path / "conf"
    shutil.copytree(CONF_DIR, conf)
    monkeypatch.setattr(loading, "CONF_DIR", conf)
    monkeypatch.setattr(loading, "_COMPOSED", type(loading._COMPOSED)())
    first = load_config("baseline_2020")
    assert first.scenario.horizon_days == 120
    first.scenario.horizon_days = 5  # the caller's copy: the next caller does not see it
    assert load_config("baseline_2020").scenario.horizon_days == 120
    assert len(loading._COMPOSED) == 1  # composed once
    path = conf / "scenario" / "baseline_2020.yaml"
    path.write_text(path.read_text().replace("horizon_days: 120", "horizon_days: 90"))
    assert load_config("baseline_2020").scenario.horizon_days == 90  # the edited file is read


@pytest.mark.exhaustive  # the first case sets values on a group choice: the short route's common case
@pytest.mark.parametrize(
    "overrides",
    [
        ["scenario=april_2016", "scenario.horizon_days=6"],
        [],
        ["powers.turkey.resolve.value=0.5", "scenario.horizon_days=6", "scenario.horizon_days=9"],
        ["scenario=turkey_intervenes", "combat.uav_erosion.value=0.02", "ensemble.n=7"],
        ["scenario.targets=[fuzuli,jabrayil]", "ensemble.executor=processes"],
        ["ties.turkey_azerbaijan_alliance.weight=0.3", "output_dir=/tmp/elsewhere"],
        ["+scenario.expects.casualties=up"],  # an addition: Hydra's own route
        ["~scenario.expects"],  # a deletion: Hydra's own route
    ],
)
def test_the_short_route_composes_what_hydra_composes(overrides):
    """load_config composes the group choices once and sets plain values itself, as Hydra does:
    the config is the same, value for value, as Hydra's whole composition (and the same errors)."""
    from omegaconf import OmegaConf

    from sim.config.loading import check, compose, composed, conf_state

    def outcome(build):
        try:
            return OmegaConf.to_container(build(), resolve=True)
        except Exception as exc:  # noqa: BLE001 - the refusal itself is compared
            return f"{type(exc).__name__}: {exc}"

    hydra = outcome(lambda: check(compose(overrides)))
    assert outcome(lambda: composed(overrides, conf_state())) == hydra


def test_a_command_lines_check_composes_what_hydra_composes():
    """The command line's check sets its values on the composed group choices, Hydra node and all: the same
    config as Hydra's whole composition but for Hydra's record of the command line."""
    from omegaconf import OmegaConf

    from sim.config.command_check import with_hydra_node
    from sim.config.loading import compose, conf_state

    record = ("task", "override_dirname")
    for args in (
        ["scenario=april_2016", "ensemble.n=7", "output_dir=/tmp/y"],
        ["hydra/launcher=joblib", "report=false"],
    ):
        short, whole = (
            OmegaConf.to_container(c, resolve=False)
            for c in (with_hydra_node(args, conf_state()), compose(args, hydra_node=True))
        )
        assert isinstance(short, dict) and isinstance(whole, dict)
        for c in (short, whole):
            c["hydra"]["overrides"].pop(record[0])
            c["hydra"]["job"].pop(record[1])
        assert short == whole


@pytest.mark.exhaustive
@pytest.mark.parametrize(
    "overrides",
    [
        ["combat.uav_erosion.value=7"],  # out of range
        ["powers.turkey.resolve.value=abc"],  # not a number
        ["powers.turky.resolve.value=0.5"],  # no such key
        ["scenario.horizon_days=-3"],
    ],
)
def test_the_short_route_refuses_in_the_same_words(overrides):
    from sim.config.loading import check, compose, composed, conf_state
    from sim.config.schema import ConfigError

    with pytest.raises(ConfigError) as hydra:
        check(compose(overrides))
    with pytest.raises(ConfigError) as short:
        composed(overrides, conf_state())
    assert str(short.value) == str(hydra.value)


def test_values_are_set_on_the_composed_choices_not_composed_again(monkeypatch):
    from sim.config import loading

    monkeypatch.setattr(loading, "_BASES", type(loading._BASES)())
    state = loading.conf_state()
    a = loading.composed(["scenario=april_2016", "scenario.horizon_days=6"], state)
    b = loading.composed(["scenario=april_2016", "ensemble.n=9"], state)
    assert [k[0] for k in loading._BASES] == [("scenario=april_2016",)]  # one composition for both
    assert (a.scenario.horizon_days, b.ensemble.n, b.scenario.name) == (6, 9, "april_2016")
