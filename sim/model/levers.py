"""The model's key levers as flat keyword parameters, the way Mesa's tools pass them.

`mesa.batch_run(ConflictModel, {"turkey_resolve": [0.2, 0.9]}, ...)` and SolaraViz's
`model_params` build models from keywords, one value each, not from a config object.
So `ConflictModel(turkey_resolve=0.9, scenario="april_2016")` works too: a lever is a
short name for a dotted key of the config, set on the named scenario (or on the config
given) and checked like any override (its declared range, its type), with one line
naming the lever when it is refused. The levers are the parameters a seminar argues
about (the page's sliders, sim.app.war_page) and the war's horizon.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.config.errors import ConfigError, did_you_mean


@dataclass(frozen=True)
class Lever:
    """A flat keyword of ConflictModel: the dotted config key it sets and whether it is a whole number."""

    key: str
    integer: bool = False


#: Keyword -> the value it sets. The page's sliders are these (less the horizon).
LEVERS = {
    "azerbaijan_uavs": Lever("belligerents.azerbaijan.uavs.value", integer=True),
    "azerbaijan_revanchism": Lever("belligerents.azerbaijan.revanchism.value"),
    "turkey_resolve": Lever("powers.turkey.resolve.value"),
    "russia_resolve": Lever("powers.russia.resolve.value"),
    "minsk_group_strength": Lever("mediator.strength.value"),
    "uav_erosion": Lever("combat.uav_erosion.value"),
    "posture_fortified": Lever("combat.posture_fortified.value"),
    "horizon_days": Lever("scenario.horizon_days", integer=True),
}


def _settings(levers: dict[str, Any]) -> tuple[tuple[str, int | float], ...]:
    """(dotted key, value) for each lever, in a fixed order; a bad name or value is one line naming it."""
    out = []
    for name, value in sorted(levers.items()):
        if name not in LEVERS:
            hint, allowed = did_you_mean(name, LEVERS), ", ".join(["scenario", *LEVERS])
            raise ConfigError(f"{name}: not a parameter of ConflictModel{hint}; allowed: {allowed}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{name}: expected a number, got {value!r}")
        lever = LEVERS[name]
        if lever.integer and float(value) != int(value):
            raise ConfigError(f"{name}: expected a whole number, got {value!r}")
        out.append((lever.key, int(value) if lever.integer else float(value)))
    return tuple(out)


@functools.lru_cache(maxsize=64)
def _composed(scenario: str | None, settings: tuple[tuple[str, int | float], ...]) -> DictConfig:
    """A composed, checked, read-only config (composing takes Hydra a while; a batch repeats the same few)."""
    from sim.config.loading import load_config

    cfg = load_config(scenario, overrides=[f"{key}={value!r}" for key, value in settings])
    OmegaConf.set_readonly(cfg, True)  # shared between models, and read through the fast snapshot
    return cfg


def config_with_levers(config: Any, scenario: str | None, levers: dict[str, Any]) -> Any:
    """The config a model is built from: `config`, or the named scenario (default baseline), with the levers set."""
    settings = _settings(levers)
    if config is None and scenario is None and not settings:  # ConflictModel(): a baseline config of its own
        from sim.config.loading import load_config

        return load_config()
    if config is None:
        return _composed(scenario, settings)
    if scenario is not None:
        raise ConfigError("scenario: give either a config or a scenario name, not both")
    if not settings:
        return config
    if not isinstance(config, DictConfig):
        raise ConfigError(f"config: levers need a config from sim.load_config(...), got {config!r:.60}")
    from sim.config.loading import check

    changed = config.copy()
    OmegaConf.set_readonly(changed, False)
    try:
        for key, value in settings:
            OmegaConf.update(changed, key, value, merge=True)
    except OmegaConfBaseException as exc:
        raise ConfigError(f"{getattr(exc, 'full_key', '') or 'config'}: {exc}") from exc
    return check(changed)
