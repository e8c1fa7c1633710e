"""Configuration: the typed schema, loading and checking configs, the parameter card.

`load_config`, `scenarios` and `DEFAULT_SCENARIO` are re-exported here, so
`from sim.config import load_config` reads as it always has.
"""

from sim.config.loading import DEFAULT_SCENARIO, load_config, scenarios
from sim.config.schema import ConfigError

__all__ = ["DEFAULT_SCENARIO", "ConfigError", "load_config", "scenarios"]
