"""Load a validated configuration: Hydra's compose API over conf/, then sim.schema.

`load_config("april_2016", overrides=[...])` is the notebook-side twin of the
Hydra command line; both go through the same schema and the same checks, and
both turn any failure into a one-line `ConfigError` that names the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.schema import ConfigError, register, validate

CONF_DIR = Path(__file__).resolve().parent.parent / "conf"
DEFAULT_SCENARIO = "baseline_2020"


def scenarios() -> list[str]:
    """Names of the shipped scenarios (files in conf/scenario/)."""
    return sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))


def one_line(exc: BaseException) -> str:
    """A one-line description of a Hydra/OmegaConf error that names the key."""
    if isinstance(exc, ConfigError):
        return str(exc)
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        m = exc.problem_mark
        return f"{m.name}:{m.line + 1}:{m.column + 1}: malformed YAML: {exc.problem}"
    inner = exc
    while getattr(inner, "__cause__", None) is not None and not isinstance(inner, OmegaConfBaseException):
        inner = inner.__cause__
    key = getattr(inner, "full_key", None)
    msg = str(inner).strip().splitlines()[0] if str(inner).strip() else type(inner).__name__
    if "Could not find" in msg and "scenario" in msg:
        msg = f"unknown scenario; expected one of {', '.join(scenarios())}"
        key = "scenario"
    return f"{key}: {msg}" if key else msg


def load_config(scenario: str | None = None, overrides: Sequence[str] = ()) -> DictConfig:
    """Compose and validate the config of a named scenario.

    scenario: a file name in conf/scenario/ (default baseline_2020);
    overrides: Hydra override strings, e.g. ["ensemble.n=50", "combat.uav_erosion.value=0.1"].
    Raises ConfigError with a one-line message on any bad input.
    """
    register()
    args = list(overrides)
    if scenario is not None:
        if scenario not in scenarios():
            raise ConfigError(f"scenario: '{scenario}' is unknown; expected one of {', '.join(scenarios())}")
        args.insert(0, f"scenario={scenario}")
    backup = GlobalHydra.instance().is_initialized()
    if backup:
        raise ConfigError("load_config cannot run inside a Hydra application; use the cfg it was given")
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
            cfg = compose(config_name="config", overrides=args)
    except (HydraException, OmegaConfBaseException, yaml.YAMLError, ValueError) as exc:
        raise ConfigError(one_line(exc)) from exc
    return check(cfg)


def check(cfg: DictConfig) -> DictConfig:
    """Validate a composed config (types were checked by Hydra against the schema)."""
    try:
        OmegaConf.resolve(cfg)
    except OmegaConfBaseException as exc:
        raise ConfigError(one_line(exc)) from exc
    return validate(cfg)
