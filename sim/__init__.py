"""Scenario simulation and escalation model of the 2020 Nagorno-Karabakh war.

    from sim import ConflictModel, load_config
    model = ConflictModel(load_config("baseline_2020"), rng=1)
    model.run_model()
    model.outcome                                   # one record of the run
    model.datacollector.get_model_vars_dataframe()  # one row per day

Names are imported on first use, so that checking a configuration (the command
line does it before anything runs) does not pay for importing the model.
"""

from importlib import import_module

_EXPORTS = {
    "ConfigError": "sim.schema",
    "ConflictModel": "sim.model",
    "EnsembleResult": "sim.results",
    "Rung": "sim.ladder",
    "load_config": "sim.config",
    "run_design": "sim.design",
    "run_ensemble": "sim.ensemble",
    "sample_design": "sim.design",
    "scenarios": "sim.config",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
