"""Composed configs kept on disk (sim.config.stored): a new process unpickles what another composed.

Each test points the cache at its own folder and empties this process's memos, so that
load_config behaves as in a fresh process; Hydra's compose is counted to see whether it ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from sim.config import loading, stored
from sim.config.declared import CONF_DIR

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A cache folder of the test's own, empty memos, and a count of Hydra's compositions."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(stored.CACHE_ENV, str(folder))
    monkeypatch.setattr(loading, "_COMPOSED", type(loading._COMPOSED)())
    monkeypatch.setattr(loading, "_BASES", type(loading._BASES)())
    calls = []
    real = loading.hydra_compose

    def counted(*args, **kwargs):
        calls.append(kwargs.get("overrides"))
        return real(*args, **kwargs)

    monkeypatch.setattr(loading, "hydra_compose", counted)

    def forget():  # as a new process: nothing in memory
        loading._COMPOSED.clear()
        loading._BASES.clear()

    return folder, calls, forget


def test_a_second_process_reads_what_the_first_composed(fresh):
    folder, calls, forget = fresh
    first = loading.load_config("april_2016", overrides=["ensemble.n=7"])
    assert len(calls) == 1 and len(list(folder.glob(f"*{stored.SUFFIX}"))) == 1
    forget()
    again = loading.load_config("april_2016", overrides=["ensemble.n=7"])
    assert len(calls) == 1, "the second load composed again"
    assert OmegaConf.to_container(again) == OmegaConf.to_container(first)
    forget()
    loading.load_config("april_2016", overrides=["ensemble.n=9"])  # another value: the same composed choices
    assert len(calls) == 1
    loading.load_config("july_2020")  # another choice: composed
    assert len(calls) == 2


def test_the_cached_config_is_the_one_hydra_composes(fresh):
    """With Hydra's node too (the command line's check): the unpickled config equals a fresh composition."""
    folder, calls, _ = fresh
    args = ["scenario=turkey_intervenes", "combat.uav_erosion.value=0.02"]
    made = loading.compose(args, hydra_node=True)
    kept = loading.compose(args, hydra_node=True)
    assert len(calls) == 1
    assert OmegaConf.to_container(kept, resolve=False) == OmegaConf.to_container(made, resolve=False)
    assert OmegaConf.is_struct(kept) == OmegaConf.is_struct(made)


def test_an_edited_file_or_another_folder_composes_afresh(fresh, tmp_path, monkeypatch):
    folder, calls, forget = fresh
    conf = tmp_path / "conf"
    shutil.copytree(CONF_DIR, conf)
    monkeypatch.setattr(loading, "CONF_DIR", conf)
    assert loading.load_config("baseline_2020").scenario.horizon_days == 120
    path = conf / "scenario" / "baseline_2020.yaml"
    path.write_text(path.read_text().replace("horizon_days: 120", "horizon_days: 90"))
    forget()
    assert loading.load_config("baseline_2020").scenario.horizon_days == 90
    assert len(calls) == 2
    monkeypatch.setattr(loading, "CONF_DIR", CONF_DIR)  # the shipped folder: its own entry
    forget()
    assert loading.load_config("baseline_2020").scenario.horizon_days == 120
    assert len(calls) == 3


def test_a_damaged_entry_is_composed_afresh_and_replaced(fresh):
    folder, calls, forget = fresh
    loading.load_config("april_2016")
    (entry,) = folder.glob(f"*{stored.SUFFIX}")
    entry.write_bytes(b"not a pickle")
    forget()
    assert loading.load_config("april_2016").scenario.name
    assert len(calls) == 2
    forget()
    loading.load_config("april_2016")
    assert len(calls) == 2, "the damaged entry was not replaced"


def test_off_keeps_nothing_and_a_folder_that_cannot_be_made_costs_only_time(fresh, tmp_path, monkeypatch):
    folder, calls, forget = fresh
    monkeypatch.setenv(stored.CACHE_ENV, "off")
    loading.load_config("april_2016")
    forget()
    loading.load_config("april_2016")
    assert len(calls) == 2 and not folder.exists()
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    monkeypatch.setenv(stored.CACHE_ENV, str(blocker / "cache"))  # a file in the way
    forget()
    assert loading.load_config("april_2016").scenario.name
    assert len(calls) == 3


def test_a_refusal_is_never_cached(fresh):
    folder, calls, _ = fresh
    for _ in range(2):
        with pytest.raises(loading.ConfigError, match="scenario: '[^']+' is unknown"):
            loading.compose(["scenario=turky"])
    assert len(calls) == 2 and not list(folder.glob(f"*{stored.SUFFIX}"))


def test_the_folder_keeps_the_newest_entries(fresh, monkeypatch):
    folder, _, _ = fresh
    monkeypatch.setattr(stored, "KEEP", 2)
    for value in (3, 4, 5):
        loading.compose([f"ensemble.n={value}"])
    assert len(list(folder.glob(f"*{stored.SUFFIX}"))) == 2
    assert not list(folder.glob(".writing-*")), "a temporary file was left behind"


@pytest.mark.slow  # two interpreters
def test_processes_share_the_folder(tmp_path):
    """A command composes and keeps; a second one finds the entry and writes nothing new."""
    env = {**os.environ, stored.CACHE_ENV: str(tmp_path / "cache")}
    code = "from sim import load_config; print(load_config('april_2016').scenario.name)"
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        assert out.returncode == 0 and out.stdout.strip() == "april_2016", out.stderr[-800:]
        entries = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob(f"*{stored.SUFFIX}")}
        assert len(entries) == 1
        if _ == 0:
            before = entries
    assert entries == before, "the second process composed and wrote again"
