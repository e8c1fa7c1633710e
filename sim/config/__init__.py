"""Configuration: the typed schema, loading and checking configs, the parameter card.

`load_config`, `scenarios` and `DEFAULT_SCENARIO` are re-exported here, so
`from sim.config import load_config` reads as it always has. They are imported
on first use: a worker process that reads plain configs (sim.runs.chunks) needs
the schema's conversions, not Hydra.
"""

from importlib import import_module

_EXPORTS = {
    "ConfigError": "sim.config.schema",
    "DEFAULT_SCENARIO": "sim.config.loading",
    "load_config": "sim.config.loading",
    "scenarios": "sim.config.loading",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sim.config' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
