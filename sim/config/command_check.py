"""Check a command line before Hydra runs it: every value it would run is composed and validated first.

`check_command_line` is what `python -m experiments.run` does before it hands its
arguments to Hydra, so that a bad value anywhere (in a sweep too) stops the program
in one line naming the key, before a folder is made. It composes through
sim.config.loading, by the short route (group choices composed once and kept, values
set on a copy) wherever that gives the same config.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.config.conform import Snapshot, plain
from sim.config.errors import sweep_without_m
from sim.config.loading import (
    checked,
    compose,
    conf_state,
    config_of,
    is_group_choice,
    one_line,
    pickled,
    refuse_range_overrides,
    values_on_choices,
)
from sim.config.schema import ConfigError


def writable_folder(key: str, path: Path) -> None:
    """Refuse, in one line naming the key, a results folder that cannot be made or written to.

    The folder need not exist: its nearest existing ancestor must be a folder this
    user may write in (a file in the way, /proc or a read-only place fail here,
    before Hydra makes anything).
    """
    path = path.expanduser().absolute()
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise ConfigError(f"{key}: {path} cannot be made: {probe} is a file, not a folder")
    try:  # os.access says yes to root everywhere: try it (an empty folder, removed at once)
        os.rmdir(tempfile.mkdtemp(prefix=".write-check-", dir=probe))
    except OSError as exc:
        raise ConfigError(
            f"{key}: {path} cannot be made: {probe} is not writable ({exc.strerror}); choose another folder"
        ) from None


def parse_override(word: str, parser: OverridesParser | None = None) -> Any:
    """Hydra's reading of one command-line override; a word it cannot read is one ConfigError line naming
    its key (Hydra's own message is a traceback and a link)."""
    try:
        return (parser or OverridesParser.create()).parse_overrides([word])[0]
    except HydraException as exc:
        key = word.split("=", 1)[0].lstrip("+~")
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{key}: cannot read '{word}' ({first}); write key=value, a list as key=[a,b]") from None


def with_hydra_node(args: list[str], state: tuple) -> DictConfig:
    """compose(args, hydra_node=True), by the short route of `composed` where it gives the same config: the
    group choices of a command line compose once (kept on disk), its values (the output folder, ensemble.n)
    are set on a copy. Hydra's record of the command line (hydra.overrides.task, hydra.job.override_dirname)
    then holds the group choices only: the check reads neither, and the job's own composition has them whole."""
    return values_on_choices(args, state, hydra_node=True) or compose(args, hydra_node=True, state=state)


def check_command_line(overrides: Sequence[str], multirun: bool = True) -> Snapshot:
    """Validate what a command line would run before Hydra writes anything.

    Composes the base config (without sweep overrides) and then each value of
    every sweep, from the command line and from `hydra.sweeper.params` of an
    experiment file, one at a time: a bad value anywhere stops the program
    before a folder is made. Returns the validated base config with its hydra
    node, as a plain copy read like a config (the command line runs through
    Hydra, which composes its own: making a DictConfig here would be thrown away).
    """
    refuse_range_overrides(overrides)
    parser = OverridesParser.create()
    parsed = [parse_override(word, parser) for word in overrides]
    fixed = [str(o.input_line) for o in parsed if not o.is_sweep_override()]
    sweeps = {o.key_or_group: o for o in parsed if o.is_sweep_override()}
    if sweeps and not multirun:
        key, o = next(iter(sweeps.items()))
        raise sweep_without_m(key, str(o.input_line).split("=", 1)[1])
    state = conf_state()
    base = with_hydra_node(fixed, state)
    params = OmegaConf.select(base, "hydra.sweeper.params") or {}
    extra = []  # the experiment's fixed values, set on top of the command line's
    for key, spec in params.items():
        if key not in sweeps:
            line = f"{key}={spec}"  # a str
            o = parser.parse_overrides([line])[0]
            if o.is_sweep_override():
                sweeps[key] = o
            else:
                extra.append(line)
    fixed += extra
    composed_base = with_hydra_node(fixed, state) if extra else base  # the base is read above, never changed
    conformed = checked(composed_base)
    cfg = plain({**conformed, "hydra": OmegaConf.to_container(composed_base.hydra, resolve=False)})
    writable_folder("output_dir", Path(str(cfg.output_dir)))
    body = b""  # the conformed config pickled, made for the first plain value swept: each value's copy is a loads
    for key, o in sweeps.items():
        prefix = "++" if o.is_force_add() else "+" if o.is_add() else ""
        name = f"{key}@{o.package}" if o.package else key
        if is_group_choice(key) or prefix or o.package:  # a group choice: compose it
            for value in o.sweep_string_iterator():
                point = [*fixed, f"{prefix}{name}={value}"]
                checked(values_on_choices(point, state) or compose(point, state=state))
            continue
        if not body:
            body = pickled(config_of(conformed))
        for swept in o.sweep_iterator():  # a plain value: set it on the composed config (fast)
            point = pickle.loads(body)
            try:
                OmegaConf.update(point, key, swept, merge=True)
            except OmegaConfBaseException as exc:
                raise ConfigError(one_line(exc)) from exc
            checked(point)
    return cfg
