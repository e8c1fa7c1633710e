"""Scenarios that mean something (sim.analysis.contrast, sim.report.contrast): each counterfactual moves
what its premise says it moves, by more than the Monte Carlo noise, and docs/scenarios.md's contrast is
what the model gives now.

The paired difference is checked on synthetic data with a known mean (its interval's coverage); the
acceptance tests run every counterfactual against the baseline, 200 runs each on the same seed.
"""

import logging

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.analysis.contrast import MEASURES, contrast_table, paired_difference, unmet
from sim.config.loading import CONF_DIR, load_config
from sim.report import contrast as report
from sim.runs.ensemble import run_ensemble

logging.getLogger("MESA").setLevel(logging.WARNING)


def test_the_paired_interval_covers_the_true_difference_about_95_percent_of_the_time():
    """400 synthetic pairs of 50 runs, true difference 1.0: coverage within 0.92-0.98 (binomial
    noise at n=400 is about +-0.011), and a shared noise term cancels in the pairing."""
    rng = np.random.default_rng(1)
    covered = 0
    for _ in range(400):
        shared = rng.normal(0, 10, 50)  # the common random numbers' part, large
        base = pd.Series(shared + rng.normal(0, 1, 50))
        other = pd.Series(shared + 1.0 + rng.normal(0, 1, 50))
        d = paired_difference(base, other)
        covered += d.low <= 1.0 <= d.high
        assert d.high - d.low < 2.0  # the shared noise (sd 10) does not widen it
    assert 0.92 <= covered / 400 <= 0.98


def test_moves_only_when_the_interval_excludes_zero():
    base = pd.Series([1.0, 2.0, 3.0, 4.0])
    assert paired_difference(base, base + 1).moved == "up"
    assert paired_difference(base, base - 1).moved == "down"
    assert paired_difference(base, base + pd.Series([1.0, -1.0, 1.0, -1.0])).moved == ""
    with pytest.raises(ValueError, match="same replicates"):
        paired_difference(base, pd.Series([1.0, 2.0, 3.0, 4.0], index=[4, 5, 6, 7]))


def test_a_scenario_file_refuses_an_unknown_expectation():
    from sim.config.schema import ConfigError

    with pytest.raises(ConfigError, match=r"scenario.expects: 'territory_taken' is not allowed"):
        load_config("arms_embargo", overrides=["+scenario.expects.territory_taken=down"])
    with pytest.raises(ConfigError, match=r"scenario.expects.territory: 'less' is not allowed"):
        load_config("arms_embargo", overrides=["scenario.expects.territory=less"])


def test_every_counterfactual_states_a_premise():
    """Read from each file itself (its base, the baseline, states none): the file must say what it asks."""
    for name in report.counterfactuals("baseline_2020"):
        text = yaml.safe_load((CONF_DIR / "scenario" / f"{name}.yaml").read_text(encoding="utf-8"))
        premise = str(text.get("scenario", {}).get("premise") or "")
        assert len(premise) > 40, f"{name}: state the question the scenario asks in scenario.premise"


@pytest.mark.slow  # composes every scenario and runs a few wars of each
def test_the_contrast_in_docs_is_current():
    """docs/scenarios.md records the fingerprint of the model's outcomes it was made from (a few runs of
    every scenario at its seed): the same runs now must give the same fingerprint, else `make scenarios`."""
    text = report.DOC.read_text(encoding="utf-8")
    found = report.recorded(text)
    assert found, "docs/scenarios.md has no generated contrast; run `make scenarios`"
    _, seed, digest = found
    configs = {name: load_config(name) for name in ["baseline_2020", *report.counterfactuals("baseline_2020")]}
    assert report.fingerprint(configs, seed) == digest, "docs/scenarios.md is stale: run `make scenarios`"
    assert report.FIGURE.is_file()
    for name in configs:
        if name != "baseline_2020":
            assert f"`{name}`" in text.split(report.START, 1)[1], f"{name} is missing from the contrast"


N, SEED = 200, 20200927


@pytest.fixture(scope="module")
def contrast_runs():
    names = ["baseline_2020", *report.counterfactuals("baseline_2020")]
    return {name: run_ensemble(load_config(name), n=N, seed=SEED) for name in names}


@pytest.mark.slow  # ten 200-run ensembles
def test_every_counterfactual_moves_what_its_premise_says(contrast_runs):
    """Every expectation a scenario file states is borne out: the 95% interval of the paired
    difference from the baseline (200 runs each, common random numbers) excludes zero in the
    expected direction. The issue's cases are checked by name as well."""
    base = contrast_runs["baseline_2020"].runs
    runs = {k: v.runs for k, v in contrast_runs.items() if k != "baseline_2020"}
    expects = {k: dict(load_config(k).scenario.expects) for k in runs}
    table = contrast_table(base, runs, expects)
    assert unmet(table) == []
    assert (table["holds"] == "yes").sum() >= 15  # not vacuous
    territory = MEASURES["territory"].of
    for name in ("arms_embargo", "no_turkish_drones"):
        assert territory(runs[name]).mean() <= (2 / 3) * territory(base).mean(), f"{name}: cut territory by a third"
    assert (runs["russia_abstains"]["broker"] != "russia").all()
    assert (runs["russia_guarantor"]["peacekeepers"] != "none").mean() > 0.5
    duration = MEASURES["duration"].of
    assert duration(runs["strong_minsk_group"]).mean() <= 0.8 * duration(base).mean()


@pytest.mark.slow
def test_turkey_in_the_war_changes_russia_armenia_and_the_costs(contrast_runs):
    """turkey_intervenes against the baseline, 200 runs each: Russia mediates or intervenes on a larger
    share of days, Armenia counterattacks on a smaller share of the days it fights (a counterattack
    risks Turkey's forces), and Azerbaijan's civilian toll falls; each a paired difference whose 95%
    interval excludes zero."""
    base, turkey = contrast_runs["baseline_2020"].daily, contrast_runs["turkey_intervenes"].daily

    def engaged(daily):
        return daily.assign(f=daily["stance_russia"].isin(["MEDIATE", "INTERVENE"])).groupby("replicate")["f"].mean()

    def counterattacks(daily):
        fighting = daily[daily["action_armenia"] != "CEASEFIRE"]
        return fighting.assign(f=fighting["action_armenia"] == "COUNTERATTACK").groupby("replicate")["f"].mean()

    assert paired_difference(engaged(base).astype(float), engaged(turkey).astype(float)).moved == "up"
    b, t = counterattacks(base).astype(float), counterattacks(turkey).astype(float)
    both = b.index.intersection(t.index)  # the wars with a day of fighting in both
    assert len(both) > 0.9 * len(b)
    assert paired_difference(b.loc[both], t.loc[both]).moved == "down"
    civ = MEASURES["civilian_deaths_azerbaijan"].of
    b, t = contrast_runs["baseline_2020"].runs, contrast_runs["turkey_intervenes"].runs
    assert paired_difference(pd.Series(civ(b).to_numpy()), pd.Series(civ(t).to_numpy())).moved == "down"


def test_the_contrast_can_draw_parameters_and_refuses_what_it_cannot(tmp_path, capsys):
    """parameters=ranges runs every scenario with drawn parameters (the paired differences then carry
    parameter uncertainty); a bad mode, a missing posterior or docs with drawn parameters: one line, exit 2."""
    from experiments.contrast import main

    out = tmp_path / "c"
    code = main(["n=4", "scenarios=[arms_embargo]", "parameters=ranges", f"out={out}"])
    assert code in (0, 1)  # 1: an expectation not borne out at n=4, which is no error
    assert (out / "contrast.csv").is_file()
    for args, line in (
        (["parameters=drawn"], "parameters: 'drawn' is not allowed; expected one of fixed, ranges, posterior"),
        (["parameters=ranges", "docs=true"], "docs: the docs section compares fixed parameters"),
    ):
        assert main([*args, "n=4", f"out={tmp_path / 'bad'}"]) == 2
        err = capsys.readouterr().err.strip()
        assert line in err and "\n" not in err
    assert not (tmp_path / "bad").exists()
