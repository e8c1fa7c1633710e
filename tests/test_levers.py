"""Mesa conventions: ConflictModel takes its key levers as flat keywords beside the config object.

Mesa's batch_run and SolaraViz's model_params build a model from keywords, one value each.
The keywords must reach the model (different values, different wars, over several
seeds), agree with the same value set through the config, and be refused in one line
naming the keyword when wrong.
"""

from __future__ import annotations

import mesa
import pandas as pd
import pytest

from sim import ConfigError, ConflictModel, load_config
from sim.model.levers import LEVERS

SEEDS = [1, 2, 3]


def batch(parameters: dict) -> pd.DataFrame:
    rows = mesa.batch_run(
        ConflictModel,
        parameters,
        rng=SEEDS,
        max_steps=60,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    return pd.DataFrame(rows)


def test_batch_run_over_a_lever_gives_different_wars_for_each_value():
    runs = batch({"azerbaijan_uavs": [0, 40], "horizon_days": 30})
    assert len(runs) == 6 and set(runs["azerbaijan_uavs"]) == {0, 40}
    taken = runs.pivot(index="rng", columns="azerbaijan_uavs", values="km2_azerbaijani")
    assert (taken[40] > taken[0] + 1000).all(), taken  # drones take ground, on every seed


def test_batch_run_over_a_scenario_and_a_float_lever():
    runs = batch({"scenario": ["baseline_2020"], "minsk_group_strength": [0.0, 1.0], "horizon_days": 45})
    assert len(runs) == 6
    days = runs.pivot(index="rng", columns="minsk_group_strength", values="day")
    peace = runs.pivot(index="rng", columns="minsk_group_strength", values="ceasefire")
    assert not (days[0.0].equals(days[1.0]) and peace[0.0].equals(peace[1.0])), runs


def test_a_lever_is_the_same_as_the_override_it_names():
    by_keyword = ConflictModel(rng=5, turkey_resolve=0.9, horizon_days=20)
    by_config = ConflictModel(
        load_config(overrides=["powers.turkey.resolve.value=0.9", "scenario.horizon_days=20"]), rng=5
    )
    on_a_config = ConflictModel(load_config(overrides=["scenario.horizon_days=20"]), rng=5, turkey_resolve=0.9)
    for model in (by_keyword, by_config, on_a_config):
        model.run_model()
    assert by_keyword.outcome == by_config.outcome == on_a_config.outcome


def test_the_page_sliders_are_levers():
    from sim.app.war_page import KEY_PARAMS  # here: the page imports Solara (seconds at collection)

    for kw, param in KEY_PARAMS.items():
        assert LEVERS[kw].key == f"{param.key}.value"


@pytest.mark.parametrize(
    ("kwargs", "line"),
    [
        (
            {"turkey_reslove": 0.5},
            r"^turkey_reslove: not a parameter of ConflictModel \(did you mean 'turkey_resolve'\?\)",
        ),
        ({"azerbaijan_uavs": 2.5}, r"^azerbaijan_uavs: expected a whole number, got 2.5$"),
        ({"turkey_resolve": "high"}, r"^turkey_resolve: expected a number, got 'high'$"),
        ({"turkey_resolve": 5.0}, r"^powers.turkey.resolve.value: 5.0 is out of range; allowed \[0.0, 1.0\]$"),
        ({"scenario": "nope"}, r"^scenario: 'nope' is unknown"),
    ],
)
def test_a_bad_keyword_is_one_line_naming_it(kwargs, line):
    with pytest.raises(ConfigError, match=line):
        ConflictModel(rng=1, **kwargs)


def test_a_config_and_a_scenario_name_together_are_refused(baseline_cfg):
    with pytest.raises(ConfigError, match=r"^scenario: give either a config or a scenario name, not both$"):
        ConflictModel(baseline_cfg, scenario="april_2016")
    ConflictModel(baseline_cfg, rng=1, turkey_resolve=0.1)
    assert baseline_cfg.powers.turkey.resolve.value != 0.1  # the caller's config is left as it was
