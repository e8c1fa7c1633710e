"""The rules of the war as pure functions: combat, decisions, the escalation ladder, diplomacy.

Nothing here imports Mesa, Hydra or anything else of the package: each module
is arithmetic over numbers and arrays, testable alone. The model (sim.model)
calls these rules; the config schema (sim.config) reads their parameter sets.
"""
