"""Scenario simulation and escalation model of the 2020 Nagorno-Karabakh war.

    from sim import ConflictModel, load_config
    model = ConflictModel(load_config("baseline_2020"), rng=1)
    model.run_model()
    model.outcome                                   # one record of the run
    model.datacollector.get_model_vars_dataframe()  # one row per day

Names are imported on first use (sim.exports), so that checking a configuration (the command
line does it before anything runs) does not pay for importing the model.
"""

from sim.exports import lazy

_EXPORTS = {
    "ConfigError": "sim.config.schema",
    "ConflictModel": "sim.model.conflict",
    "EnsembleResult": "sim.runs.results",
    "Rung": "sim.rules.ladder",
    "load_config": "sim.config.loading",
    "run_design": "sim.runs.design",
    "run_ensemble": "sim.runs.ensemble",
    "sample_design": "sim.runs.design",
    "scenarios": "sim.config.loading",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy(globals(), _EXPORTS)
