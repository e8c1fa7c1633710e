"""Validated configs composed once per process, and the ensemble options the tools share.

The command-line tools check every job of a command line before Hydra runs it,
and again inside the job; a sweep's jobs mostly compose the same scenario with
the same overrides. `composed_config` keeps each result (load_config takes
about half a second) and hands out copies.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from typing import Any

from omegaconf import DictConfig

from sim.config.loading import load_config
from sim.config.schema import EXECUTORS


@functools.lru_cache(maxsize=32)
def _composed(scenario: str | None, overrides: tuple[str, ...]) -> DictConfig:
    return load_config(scenario, overrides=list(overrides))


def composed_config(scenario: str | None, overrides: Sequence[str] = ()) -> DictConfig:
    """load_config(scenario, overrides), composed once per process; a fresh copy each call."""
    return copy.deepcopy(_composed(scenario, tuple(overrides)))


def check_run_options(args: Any, n_low: int, per: str, error: type[Exception]) -> None:
    """The ensemble options every tool shares (n, seed, executor, workers): `error`, one line, if one is bad.

    n: from n_low to 100,000 runs `per` (an episode, a scenario); seed: [0, 2**63).
    """
    if not n_low <= args.n <= 100_000:
        raise error(f"n: {args.n} is out of range; allowed [{n_low}, 100000] runs per {per}")
    if not 0 <= args.seed < 2**63:
        raise error(f"seed: {args.seed} is out of range; allowed [0, 2**63)")
    if args.executor not in EXECUTORS:
        raise error(f"executor: '{args.executor}' is not allowed; expected one of {', '.join(EXECUTORS)}")
    if args.workers < 0:
        raise error(f"workers: {args.workers} is out of range; allowed >= 0")
