"""Hydra plugins of the karabakh-escalation project: its config folder read with libyaml (sim.config.libyaml_source).

Hydra imports every module of the `hydra_plugins` namespace package and registers the
plugin classes it finds in them; these two are defined in sim.config.libyaml_source.
"""

from sim.config.libyaml_source import ConfFolderByLibyaml, LibyamlConfigSource

__all__ = ["ConfFolderByLibyaml", "LibyamlConfigSource"]
