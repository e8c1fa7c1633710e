"""The interactive page (Solara, Mesa's SolaraViz controls): `make app`, or in Jupyter `from sim.app import page; page`.

The page lives in sim.app.war_page; importing it imports Solara, which the rest
of the package never needs, so it is loaded only when asked for.
"""

from importlib import import_module


def __getattr__(name: str):
    if name in ("page", "Page"):
        return getattr(import_module("sim.app.war_page"), name)
    raise AttributeError(f"module 'sim.app' has no attribute {name!r}")
