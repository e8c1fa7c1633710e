"""Configuration: the typed schema, loading and checking configs, the parameter card.

`load_config`, `scenarios` and `DEFAULT_SCENARIO` are re-exported here, so
`from sim.config import load_config` reads as it always has. They are imported
on first use (sim.exports): a worker process that reads plain configs
(sim.runs.chunks) needs the schema's conversions, not Hydra.
"""

from sim.exports import lazy

_EXPORTS = {
    "ConfigError": "sim.config.schema",
    "DEFAULT_SCENARIO": "sim.config.loading",
    "load_config": "sim.config.loading",
    "scenarios": "sim.config.loading",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy(globals(), _EXPORTS)
