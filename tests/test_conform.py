"""sim.config.conform gives the config OmegaConf's typed schema would give, at a fraction of the cost.

Hydra composes conf/ untyped; `conform` then types it against sim.config.schema.Config.
These tests hold it to the library's own semantics: for the composed default config and
for values written the ways a YAML file or a command line may write them, the conformed
container equals what OmegaConf.structured(Config) merged with the same container gives
(values, their types and the order of the keys), and what OmegaConf refuses is refused
in one line naming the key.
"""

from __future__ import annotations

import copy
import json

import pytest
from omegaconf import OmegaConf
from omegaconf.errors import ValidationError

from sim.config.conform import conform, first_missing
from sim.config.loading import CONF_DIR, compose, scenarios
from sim.config.schema import Config, ConfigError, EnsembleSpec, Param, ScenarioSpec
from sim.config.theatre import SectorSpec


@pytest.fixture(scope="module")
def composed() -> dict:
    """The default config as Hydra composes it (untyped), resolved to a plain container."""
    return OmegaConf.to_container(compose([]), resolve=True)


def typed(container: dict, spec=Config) -> dict:
    return OmegaConf.to_container(OmegaConf.merge(OmegaConf.structured(spec), container))


def exact(x) -> str:
    """Values with their types and keys in order: 1 and 1.0, True and 'True' differ."""
    return json.dumps(x, default=repr)


def test_the_composed_default_conforms_to_what_the_typed_schema_gives(composed):
    assert exact(conform(composed, Config)) == exact(typed(composed))


@pytest.mark.exhaustive
@pytest.mark.parametrize(
    "choice",
    [
        [],
        *[[f"scenario={n}"] for n in scenarios()],
        *[[f"experiment={p.stem}"] for p in sorted((CONF_DIR / "experiment").glob("*.yaml"))],
    ],
)
def test_every_key_the_schema_gives_is_written_in_the_files(choice):
    """The command line can set a key only if the composed files have it: conforming adds no key."""

    def keys(node, key=""):
        out = set()
        for k, v in node.items() if isinstance(node, dict) else ():
            out |= {f"{key}.{k}"} | keys(v, f"{key}.{k}")
        return out

    raw = OmegaConf.to_container(compose(choice), resolve=True)
    assert sorted(keys(conform(raw, Config)) - keys(raw)) == []


#: (schema class, where its node is in the composed default, field, value as written): converted as
#: OmegaConf's typed nodes convert it
CONVERTED = [
    (Param, "combat.uav_erosion", "value", 1),  # an int for a float
    (Param, "combat.uav_erosion", "value", "0.25"),  # a number in quotes
    (Param, "combat.uav_erosion", "range", [0, "1"]),
    (EnsembleSpec, "ensemble", "n", "7"),  # an integer in quotes
    (EnsembleSpec, "ensemble", "oversubscribe", "yes"),
    (EnsembleSpec, "ensemble", "oversubscribe", 0),
    (EnsembleSpec, "ensemble", "oversubscribe", "On"),
    (ScenarioSpec, "scenario", "name", 2020),  # a number for a string
    (ScenarioSpec, "scenario", "premise", True),
    (SectorSpec, "theatre.sectors.fuzuli", "position", [47, "39.5"]),
]


def node_of(composed: dict, where: str) -> dict:
    node = composed
    for part in where.split("."):
        node = node[part]
    return copy.deepcopy(node)


@pytest.mark.parametrize(("spec", "where", "field", "value"), CONVERTED)
def test_a_value_is_converted_as_the_typed_schema_converts_it(composed, spec, where, field, value):
    node = node_of(composed, where) | {field: value}
    assert exact(conform(node, spec, where)) == exact(typed(node, spec))


#: (schema class, node, field, value): refused by the typed schema, and by conform in one line naming the key
REFUSED = [
    (ScenarioSpec, "scenario", "force_commitment", "abc", "scenario.force_commitment: expected a number, got 'abc'"),
    (EnsembleSpec, "ensemble", "n", 5.0, "ensemble.n: expected an integer, got 5.0"),
    (EnsembleSpec, "ensemble", "n", True, "ensemble.n: expected an integer, got True"),
    (EnsembleSpec, "ensemble", "oversubscribe", "maybe", "ensemble.oversubscribe: expected true or false, got 'maybe'"),
    (Param, "combat.uav_erosion", "value", None, "combat.uav_erosion.value: expected a number, got None"),
    (ScenarioSpec, "scenario", "targets", "fuzuli", "scenario.targets: expected a list, got 'fuzuli'"),
    (ScenarioSpec, "scenario", "weather", "rain", "scenario.weather: unknown key; allowed: name, description"),
]


@pytest.mark.parametrize(("spec", "where", "field", "value", "line"), REFUSED)
def test_what_the_typed_schema_refuses_is_refused_in_one_line(composed, spec, where, field, value, line):
    node = node_of(composed, where) | {field: value}
    with pytest.raises((ValidationError, ValueError, KeyError)):
        typed(node, spec)
    with pytest.raises(ConfigError) as caught:
        conform(node, spec, where)
    assert str(caught.value).startswith(line) and "\n" not in str(caught.value)


def test_a_parameter_set_as_a_number_is_told_to_set_its_value(composed):
    changed = copy.deepcopy(composed)
    changed["combat"]["uav_erosion"] = 0.3
    with pytest.raises(ConfigError, match=r"^combat.uav_erosion: a parameter is set through its value: write "):
        conform(changed, Config)


def test_a_key_the_schema_requires_and_the_files_leave_out_is_named(composed):
    changed = copy.deepcopy(composed)
    del changed["scenario"]["start_date"]
    with pytest.raises(ConfigError, match=r"^scenario.start_date: no value given"):
        conform(changed, Config)


def test_the_first_missing_value_is_found_in_sorted_order():
    assert first_missing({"b": {"x": "???"}, "a": [1, {"y": "???"}]}) == "a[1].y"
    assert first_missing({"a": 1, "b": ["x"]}) is None
