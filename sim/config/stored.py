"""Composed configs kept on disk, so that a new process does not compose conf/ again.

Hydra's composition of conf/ takes about 0.3 s, and every new Python process (a
command, a notebook's kernel, the page, a test worker) composes the same few
configs afresh. This keeps each composition, pickled, in a cache folder under a
key made of all that the composition reads: the override strings, the content of
every file of the config folder (and its place), the working folder where
Hydra's own node is asked for (its `runtime.cwd`), and the versions of Python,
Hydra, OmegaConf, Hydra's plugins and the schema that a config folder may name.
A change in any of them gives another key, so an entry is never stale; an entry
that cannot be read (damaged, another user's, an older format) is composed
afresh and replaced. Failures are never cached: a bad override always reaches
Hydra, which words its error.

Entries are written whole (a temporary file renamed), so two processes composing
the same config at once leave one good entry. The folder keeps the newest
KEEP entries (about 0.25 MB each).

Where: $KARABAKH_ESCALATION_CACHE, else $XDG_CACHE_HOME/karabakh-escalation/configs,
else ~/.cache/karabakh-escalation/configs. KARABAKH_ESCALATION_CACHE=off turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from omegaconf import DictConfig

#: The environment variable naming the cache folder, or `off`.
CACHE_ENV = "KARABAKH_ESCALATION_CACHE"
#: Entries the folder keeps (the oldest beyond are removed when one is written).
KEEP = 128
SUFFIX = ".composed"


def cache_folder() -> Path | None:
    """The folder composed configs are kept in, or None when the cache is off."""
    asked = os.environ.get(CACHE_ENV, "").strip()
    if asked.lower() in ("off", "0", "false", "no"):
        return None
    if asked:
        return Path(asked).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
    return Path(base) / "karabakh-escalation" / "configs"


@functools.cache
def _software() -> tuple:
    """What, besides conf/ and the overrides, decides a composition: Python (the pickle), Hydra,
    OmegaConf and Hydra's plugins (their configs join the search path), and the schema a config
    folder may list in its defaults (sim.config.schema).

    The installed versions are read off the names of their metadata folders
    (`hydra_core-1.3.8.dist-info`): a listing of the import path, about a millisecond
    (importlib.metadata's scan of every distribution takes thirty).
    """
    installed = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        installed += sorted(n for n in names if n.startswith(("hydra", "omegaconf")) and n.endswith(".dist-info"))
    schema = hashlib.blake2b(Path(__file__).with_name("schema.py").read_bytes(), digest_size=16).hexdigest()
    return (sys.implementation.name, sys.version_info[:3], pickle.HIGHEST_PROTOCOL, tuple(installed), schema)


def key_of(overrides: Sequence[str], hydra_node: bool, conf_state: tuple) -> str:
    """The entry's name: a digest of everything the composition reads (see the module's docstring)."""
    where = os.getcwd() if hydra_node else ""
    text = repr((tuple(overrides), hydra_node, where, conf_state, _software()))
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def read(key: str) -> DictConfig | None:
    """The config kept under `key`, or None (no folder, no entry, or one that cannot be read)."""
    folder = cache_folder()
    if folder is None:
        return None
    path = folder / f"{key}{SUFFIX}"
    try:
        if path.stat().st_uid != os.getuid():  # only what this user wrote is unpickled
            return None
        found = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - absent, unreadable or damaged: compose afresh
        return None
    return found if isinstance(found, DictConfig) else None


def write(key: str, cfg: DictConfig) -> None:
    """Keep `cfg` under `key`; a folder that cannot be made or written to keeps nothing (composing
    again is all it costs)."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".writing-", suffix=SUFFIX)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(pickle.dumps(cfg, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, folder / f"{key}{SUFFIX}")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _trim(folder)
    except OSError:
        return


def _trim(folder: Path) -> None:
    """Remove the oldest entries beyond KEEP."""
    entries = []
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue  # removed by another process meanwhile
    for _, path in sorted(entries)[: max(0, len(entries) - KEEP)]:
        path.unlink(missing_ok=True)
