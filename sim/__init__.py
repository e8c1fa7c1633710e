"""Scenario simulation and escalation model of the 2020 Nagorno-Karabakh war.

    from sim import ConflictModel, load_config
    model = ConflictModel(load_config("baseline_2020"), rng=1)
    model.run_model()
    model.outcome                                   # one record of the run
    model.datacollector.get_model_vars_dataframe()  # one row per day
"""

from sim.config import load_config, scenarios
from sim.design import run_design, sample_design
from sim.ensemble import EnsembleResult, run_ensemble
from sim.ladder import Rung
from sim.model import ConflictModel
from sim.schema import ConfigError

__all__ = ["ConfigError", "ConflictModel", "EnsembleResult", "Rung", "load_config", "run_design", "run_ensemble",
           "sample_design", "scenarios"]
