"""Hydra reads conf/ through sim.config.libyaml_source: the same configs as Hydra's own file source, faster.

The comparisons are against public OmegaConf and Hydra behaviour: OmegaConf.load
(every file of conf/ in tests/test_config_integrity.py, the odd scalars here), and
Hydra's file source composing a copy of conf/ that lies outside the config folder
(the plugin leaves such a folder to Hydra).
"""

from __future__ import annotations

import shutil
from collections.abc import MutableSequence
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.config_search_path import ConfigSearchPath, SearchPathElement
from hydra.core.plugins import Plugins
from hydra.errors import HydraException
from hydra.plugins.config_source import ConfigSource
from hydra.plugins.search_path_plugin import SearchPathPlugin
from omegaconf import OmegaConf

from sim.config.libyaml_source import (
    SCHEME,
    ConfFolderByLibyaml,
    LibyamlConfigSource,
    header_of,
    inside_conf,
)
from sim.config.loading import scenarios
from sim.config.paths import CONF_DIR, read_conf_file


def test_scalars_duplicate_keys_and_headers_follow_omegaconf(tmp_path: Path):
    f = tmp_path / "x.yaml"
    f.write_text("# @package _global_\na: 1e-3\nb: 1_000.5\nc: 2020-09-27\nd: .inf\ne: 0x10\nf: yes\n")
    assert read_conf_file(f) == OmegaConf.to_container(OmegaConf.load(f))
    assert header_of(f.read_text()) == {"package": "_global_"}
    assert header_of("a: 1\n# @package foo\n") == {"package": None}  # a header opens the file or is none
    f.write_text("a: 1\nb: 2\na: 3\n")
    with pytest.raises(Exception, match="found duplicate key a"):
        read_conf_file(f)


class _SearchPath(ConfigSearchPath):
    """A search path as Hydra hands it to its plugins (the public interface)."""

    def __init__(self, *paths: str):
        self.elements: MutableSequence[SearchPathElement] = [SearchPathElement("p", p) for p in paths]

    def get_path(self) -> MutableSequence[SearchPathElement]:
        return self.elements

    def append(self, provider, path, anchor=None) -> None:  # noqa: ANN001 - Hydra's signature
        self.elements.append(SearchPathElement(provider, path))

    def prepend(self, provider, path, anchor=None) -> None:  # noqa: ANN001
        self.elements.insert(0, SearchPathElement(provider, path))


def test_only_the_config_folder_is_read_by_libyaml(tmp_path: Path):
    assert ConfFolderByLibyaml in Plugins.instance().discover(SearchPathPlugin)
    assert LibyamlConfigSource in Plugins.instance().discover(ConfigSource)
    path = _SearchPath(str(CONF_DIR), f"file://{CONF_DIR / 'tools'}", f"file://{tmp_path}", "pkg://hydra.conf")
    ConfFolderByLibyaml().manipulate_search_path(path)
    assert [e.path for e in path.get_path()] == [
        f"{SCHEME}://{CONF_DIR}",
        f"{SCHEME}://{CONF_DIR / 'tools'}",
        f"file://{tmp_path}",
        "pkg://hydra.conf",
    ]
    assert not inside_conf(str(CONF_DIR.parent)) and not inside_conf(f"pkg://{CONF_DIR}")


def _composed(folder: Path, overrides: list[str]) -> dict | str:
    try:
        with initialize_config_dir(config_dir=str(folder), version_base="1.3"):
            cfg = compose(config_name="config", overrides=overrides, return_hydra_config=True)
    except HydraException as exc:
        return str(exc).splitlines()[0]
    hydra_node = OmegaConf.to_container(cfg.hydra, resolve=False)
    assert isinstance(hydra_node, dict)
    sources = hydra_node["runtime"].pop("config_sources")  # where the files were read: the one difference
    assert {s["schema"] for s in sources if s["provider"] == "main"} == {SCHEME if folder == CONF_DIR else "file"}
    return {**OmegaConf.to_container(cfg, resolve=False), "hydra": hydra_node}  # type: ignore[dict-item]


def test_compositions_equal_hydras_file_source(tmp_path: Path):
    copy = tmp_path / "conf"
    shutil.copytree(CONF_DIR, copy)
    assert "april_2016" in scenarios()  # a scenario file with a `# @package _global_` header
    cases = [[], ["scenario=april_2016", "ensemble.n=7"], ["experiment=turkey_x_russia"], ["scenario=no_such"]]
    for overrides in cases:
        assert _composed(CONF_DIR, overrides) == _composed(copy, overrides), overrides
