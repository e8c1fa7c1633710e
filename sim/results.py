"""`sim.results`: reading result folders back (`sim.results.load(folder)`).

The results layer lives in sim.runs.results; this name is kept because the
README, the docs and the notebooks read results through it.
"""

from sim.runs.results import EnsembleResult, Results, load

__all__ = ["EnsembleResult", "Results", "load"]
