"""Ensembles: N replicates of one scenario point with independent, reproducible streams.

Replicate i always gets the i-th child of `SeedSequence(seed)`, whichever
executor runs it and however replicates are split, so results are identical
serially, on processes or on a cluster.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from sim.model import ConflictModel


@dataclass
class EnsembleResult:
    """Tables of one ensemble: `runs` (one row per run) and `daily` (one row per run and day)."""

    runs: pd.DataFrame
    daily: pd.DataFrame
    config: Any = None
    seed: int = 0


def replicate_seeds(seed: int, n: int, start: int = 0) -> list[np.random.SeedSequence]:
    """Seed sequences of replicates start..start+n-1 of an ensemble."""
    children = np.random.SeedSequence(seed).spawn(start + n)
    return children[start:]


def run_one(config: Any, seed_seq: np.random.SeedSequence, replicate: int) -> tuple[dict, pd.DataFrame]:
    """Run one replicate; returns its outcome record and daily table."""
    model = ConflictModel(config, rng=np.random.default_rng(seed_seq))
    model.run_model()
    rec = model.outcome
    rec["replicate"] = replicate
    rec["sectors_taken"] = ",".join(rec["sectors_taken"])
    daily = model.datacollector.get_model_vars_dataframe()
    daily.insert(0, "replicate", replicate)
    return rec, daily


def _run_chunk(args: tuple) -> tuple[list[dict], list[pd.DataFrame]]:
    container, seed, start, n = args
    config = OmegaConf.create(container)
    out = [run_one(config, s, start + i) for i, s in enumerate(replicate_seeds(seed, n, start))]
    return [r for r, _ in out], [d for _, d in out]


def run_ensemble(
    config: DictConfig,
    n: int | None = None,
    seed: int | None = None,
    executor: str | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> EnsembleResult:
    """Run an ensemble of replicates of one scenario point.

    n, seed, executor, workers default to the config's `ensemble` group.
    """
    ens = config.ensemble
    n = int(ens.n if n is None else n)
    seed = int(ens.seed if seed is None else seed)
    executor = ens.executor if executor is None else executor
    workers = int(ens.workers if workers is None else workers) or None
    container = OmegaConf.to_container(config, resolve=True)
    if executor == "processes":
        chunk = max(1, min(int(ens.chunk_size), -(-n // 8)))
        jobs = [(container, seed, s, min(chunk, n - s)) for s in range(0, n, chunk)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(_run_chunk, jobs))
    else:
        parts = [_run_chunk((container, seed, 0, n))]
    records = [r for recs, _ in parts for r in recs]
    daily = [d for _, ds in parts for d in ds]
    runs = pd.DataFrame.from_records(records)
    runs.insert(0, "seed", seed)
    return EnsembleResult(runs=runs, daily=pd.concat(daily, ignore_index=True), config=config, seed=seed)
