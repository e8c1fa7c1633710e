"""The ensemble options the command-line tools share, checked alike in each.

(The tools check every job of a command line before Hydra runs it, and again
inside the job; load_config remembers what it composed, so the same scenario
with the same overrides is composed once per process.)
"""

from __future__ import annotations

from typing import Any

from sim.config.schema import EXECUTORS


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
