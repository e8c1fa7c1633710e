"""Hydra reads the project's config folder through this source: the same files, parsed by libyaml.

Hydra's own file source parses each file with OmegaConf.load, whose YAML loader is
pure Python: about 0.16 s for conf/ (120 KB, with the sources written beside the
values), paid by every composition, and a command line composes two or three
times. `LibyamlConfigSource` parses with PyYAML's C loader under the rules
OmegaConf's loader sets (sim.config.paths.read_conf_file: a number such as 1e-3
is a float, a date stays a string, a key written twice is an error) and hands
Hydra the same OmegaConf nodes, so a composed config is the same node for node
(tests/test_conf_source.py).

`ConfFolderByLibyaml` is the Hydra search-path plugin that points Hydra at it for
the config folder (sim.config.paths.CONF_DIR) and nothing else: another Hydra
application in the same environment keeps Hydra's file source. Hydra finds both
classes in the `hydra_plugins` package of this repository (hydra_plugins/karabakh_conf).
A PyYAML built without libyaml reads the same configs with its Python parser.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hydra.core.config_search_path import ConfigSearchPath
from hydra.core.object_type import ObjectType
from hydra.plugins.config_source import ConfigLoadError, ConfigResult, ConfigSource
from hydra.plugins.search_path_plugin import SearchPathPlugin
from omegaconf import OmegaConf

from sim.config.paths import CONF_DIR, read_conf_file

SCHEME = "libyaml"
#: A header line of a config file (`# @package _global_`).
HEADER = re.compile(r"^#\s*@(\S+)\s+(\S+)\s*$")


def header_of(text: str) -> dict[str, str | None]:
    """The `# @key value` lines that open a config file (Hydra reads `package` from them)."""
    found: dict[str, str | None] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        m = HEADER.match(line)
        if not m:
            break
        found[m.group(1)] = m.group(2)
    found.setdefault("package", None)
    return found


class LibyamlConfigSource(ConfigSource):
    """Hydra's config source for a folder of YAML files (`libyaml:///path/to/conf`)."""

    @staticmethod
    def scheme() -> str:
        return SCHEME

    def _file(self, config_path: str) -> str:
        name = config_path if config_path.endswith(".yaml") else f"{config_path}.yaml"
        return os.path.realpath(os.path.join(self.path, name))

    def load_config(self, config_path: str) -> ConfigResult:
        full = self._file(config_path)
        if not os.path.isfile(full):
            raise ConfigLoadError(f"Config not found : {full}")
        with open(full, encoding="utf-8") as f:
            header = header_of(f.read(512))
        data = read_conf_file(full)
        if data is not None and not isinstance(data, (list, dict, str)):
            raise ConfigLoadError(f"{full}: a config file holds a mapping, not a {type(data).__name__}")
        return ConfigResult(
            config=OmegaConf.create(data), path=f"{SCHEME}://{self.path}", provider=self.provider, header=header
        )

    def available(self) -> bool:
        return self.is_group("")

    def is_group(self, config_path: str) -> bool:
        return os.path.isdir(os.path.realpath(os.path.join(self.path, config_path)))

    def is_config(self, config_path: str) -> bool:
        return os.path.isfile(self._file(config_path))

    def list(self, config_path: str, results_filter: ObjectType | None) -> list[str]:
        found = set()
        for name in os.listdir(os.path.realpath(os.path.join(self.path, config_path))):
            if name in ("__pycache__", "__init__.py"):
                continue
            inner = os.path.join(config_path, name)
            if results_filter in (None, ObjectType.GROUP) and self.is_group(inner):
                found.add(name)
            if results_filter in (None, ObjectType.CONFIG) and name.endswith(".yaml") and self.is_config(inner):
                found.add(name[: -len(".yaml")])
        return sorted(found)


def folder_of(entry: str) -> str | None:
    """The folder of a search-path entry that Hydra reads with its file source (`file:///...` or a bare
    path, as hydra.main gives its config_path), else None."""
    if entry.startswith("file://"):
        return entry[len("file://") :]
    return None if "://" in entry else entry


def inside_conf(entry: str) -> bool:
    """Whether a search-path entry is the config folder or a folder in it."""
    folder = folder_of(entry)
    if folder is None:
        return False
    where, conf = Path(folder).resolve(), CONF_DIR.resolve()
    return where == conf or conf in where.parents


class ConfFolderByLibyaml(SearchPathPlugin):
    """Points Hydra's search path at LibyamlConfigSource for the config folder (see the module)."""

    def manipulate_search_path(self, search_path: ConfigSearchPath) -> None:
        for element in search_path.get_path():
            if inside_conf(element.path):
                element.path = f"{SCHEME}://{folder_of(element.path)}"
