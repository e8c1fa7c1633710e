"""Ensembles: N replicates of one scenario point with independent, reproducible streams.

Replicate i always gets the i-th child of `SeedSequence(seed)`, whichever
executor runs it and however replicates are split into chunks, so results are
identical serially, on processes or on a Ray cluster.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from omegaconf import DictConfig

from sim.runs.chunks import run_one
from sim.runs.results import EnsembleResult
from sim.runs.runner import run_points

__all__ = ["EnsembleResult", "replicate_seeds", "run_ensemble", "run_one"]


def replicate_seeds(seed: int, n: int, start: int = 0) -> list[np.random.SeedSequence]:
    """Seed sequences of replicates start..start+n-1 of an ensemble."""
    return np.random.SeedSequence(seed).spawn(start + n)[start:]


def run_ensemble(
    config: DictConfig,
    n: int | None = None,
    seed: int | None = None,
    executor: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    out: str | Path | None = None,
) -> EnsembleResult:
    """Run an ensemble of replicates of one scenario point.

    n, seed, executor ("serial", "processes" or "ray"), workers (0/None = all
    cores) default to the config's `ensemble` group. With `out`, finished chunks
    are written to that folder as they come (see sim.runs.results) and rerunning the
    same call resumes where it stopped; `.daily` is then read from disk on demand.
    """
    return run_points(
        config, None, n=n, seed=seed, executor=executor, workers=workers, out=out, progress=progress, desc="replicates"
    )
