"""Validated configs composed once per process.

The command-line tools check every job of a command line before Hydra runs it,
and again inside the job; a sweep's jobs mostly compose the same scenario with
the same overrides. `composed_config` keeps each result (load_config takes
about half a second) and hands out copies.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence

from omegaconf import DictConfig

from sim.config.loading import load_config


@functools.lru_cache(maxsize=32)
def _composed(scenario: str | None, overrides: tuple[str, ...]) -> DictConfig:
    return load_config(scenario, overrides=list(overrides))


def composed_config(scenario: str | None, overrides: Sequence[str] = ()) -> DictConfig:
    """load_config(scenario, overrides), composed once per process; a fresh copy each call."""
    return copy.deepcopy(_composed(scenario, tuple(overrides)))
