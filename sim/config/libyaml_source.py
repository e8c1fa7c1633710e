"""Hydra reads the project's config folder through this source: the same files, parsed by libyaml.

Hydra's own file source parses each file with OmegaConf.load, whose YAML loader is
pure Python: about 0.16 s for conf/ (120 KB, with the sources written beside the
values), paid by every composition, and a command line composes two or three
times. `LibyamlConfigSource` parses with PyYAML's C loader under the rules
OmegaConf's loader sets (a number such as 1e-3 is a float, a date stays a string,
a key written twice is an error) and hands Hydra the same OmegaConf nodes, so a
composed config is the same node for node (tests/test_conf_source.py compares
every file of conf/).

`ConfFolderByLibyaml` is the Hydra search-path plugin that points Hydra at it for
the config folder (sim.config.paths.CONF_DIR) and nothing else: another Hydra
application in the same environment keeps Hydra's file source. Hydra finds both
classes in the `hydra_plugins` package of this repository (hydra_plugins/karabakh_conf).
Without libyaml (a PyYAML built without it) the search path is left as it was.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
from hydra.core.config_search_path import ConfigSearchPath
from hydra.core.object_type import ObjectType
from hydra.plugins.config_source import ConfigLoadError, ConfigResult, ConfigSource
from hydra.plugins.search_path_plugin import SearchPathPlugin
from omegaconf import OmegaConf

from sim.config.paths import CONF_DIR

SCHEME = "libyaml"
#: PyYAML's C loader, or None where PyYAML was built without libyaml.
C_LOADER = getattr(yaml, "CSafeLoader", None)

#: YAML 1.2 floats as OmegaConf reads them: also without a dot (1e-3) and with underscores (1_000.5).
FLOAT = re.compile(
    r"""^(?:[-+]?[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+)
    |\.[0-9]+(?:_[0-9]+)*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
#: A header line of a config file (`# @package _global_`).
HEADER = re.compile(r"^#\s*@(\S+)\s+(\S+)\s*$")


def _resolvers() -> dict:
    """PyYAML's safe implicit types as OmegaConf changes them: floats as above, no timestamps."""
    table: dict = {}
    for first, pairs in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in pairs if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float")]
        table[first] = kept
    for first in "-+0123456789.":
        table.setdefault(first, []).append(("tag:yaml.org,2002:float", FLOAT))
    return table


if C_LOADER is not None:

    class ConfLoader(C_LOADER):  # type: ignore[misc,valid-type]
        """libyaml's parser with OmegaConf's reading of scalars and its refusal of duplicate keys."""

        yaml_implicit_resolvers = _resolvers()

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag != yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG:
                    continue
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key {key_node.value}",
                        key_node.start_mark,
                    )
                seen.add(key_node.value)
            return super().construct_mapping(node, deep=deep)


def read_yaml(path: str) -> Any:
    """A config file's content as plain data, read as OmegaConf.load reads it (with libyaml)."""
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=ConfLoader)


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
        data = read_yaml(full)
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
        if C_LOADER is None:
            return
        for element in search_path.get_path():
            if inside_conf(element.path):
                element.path = f"{SCHEME}://{folder_of(element.path)}"
