"""The model: ConflictModel (a Mesa model, one step a day), its agents, the theatre and the front.

`from sim.model import ConflictModel` is the public way in.
"""

from sim.model.conflict import ConflictModel

__all__ = ["ConflictModel"]
