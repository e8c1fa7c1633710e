"""Run many points x replicates on one executor, in memory or streamed to a folder.

The one loop behind `run_ensemble` (one point), `run_design` (many sampled
points) and each Hydra job: plan the chunks, skip those already on disk, send
the rest to the executor, and either write each finished chunk at once
(`out` given: memory stays flat however many runs) or keep it until all are in
(no `out`). Chunks are put back in index order, so the tables are the same
whichever executor ran them and in whatever order chunks finished.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf
from tqdm.auto import tqdm

from sim.config.schema import EXECUTORS, ConfigError
from sim.config.uncertainty import posterior_path
from sim.runs.chunks import ChunkTask, plan, run_chunk
from sim.runs.executors import make_executor
from sim.runs.provenance import file_metadata, seeds_record
from sim.runs.results import EnsembleResult, check_tables
from sim.runs.store import ChunkStore

#: Settings that change how runs are executed, never what they produce.
RUNTIME_KEYS = ("ensemble", "output_dir", "experiment")


def digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _model_part(container: dict) -> dict:
    return {k: v for k, v in container.items() if k not in RUNTIME_KEYS}


def whole_number(key: str, value: Any, low: int, high: int) -> int:
    """A whole number in [low, high], or ConfigError naming the key (no silent rounding of 2.7 or '5')."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ConfigError(f"{key}: expected a whole number, got {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{key}: {value} is out of range; allowed [{low}, {high}]")
    return int(value)


def run_points(
    config: DictConfig,
    points: Sequence[dict[str, Any]] | None = None,
    n: int | None = None,
    seed: int | None = None,
    executor: str | None = None,
    workers: int | None = None,
    out: str | Path | None = None,
    progress: bool = False,
    chunk_size: int | None = None,
    point_ids: Sequence[int] | None = None,
    desc: str = "runs",
) -> EnsembleResult:
    """Run n replicates of every point ({dotted key: value} set on `config`).

    points=None runs the config itself as one untagged point (an ensemble);
    otherwise runs and daily rows carry `point_id` and the point's values.
    n, seed, executor, workers, chunk_size default to the config's `ensemble`.
    """
    if not isinstance(config, DictConfig) or "ensemble" not in config:
        raise ConfigError(f"config: expected a config from sim.load_config(...), got {config!r:.60}")
    ens = config.ensemble
    n = whole_number("n", ens.n if n is None else n, 1, 10**7)
    seed = whole_number("seed", ens.seed if seed is None else seed, 0, 2**63 - 1)
    executor = ens.executor if executor is None else executor
    if executor not in EXECUTORS:
        raise ConfigError(f"executor: {executor!r} is not allowed; expected one of {', '.join(EXECUTORS)}")
    workers = whole_number("workers", ens.workers if workers is None else workers, 0, 10**6) or None
    size = whole_number("chunk_size", ens.chunk_size if chunk_size is None else chunk_size, 1, 10**7)
    tagged = points is not None
    points = list(points) if points is not None else [{}]
    ids = list(point_ids) if point_ids is not None else list(range(len(points)))
    base = OmegaConf.to_container(config, resolve=True)
    assert isinstance(base, dict)
    base_key = digest(base)
    ex = make_executor(executor, workers, float(ens.timeout_s), str(ens.ray_address), bool(ens.get("oversubscribe")))
    total = len(points) * n
    if out is None and ex.workers > 1:
        size = max(1, min(size, -(-total // (2 * ex.workers))))  # keep every worker busy
    chunks = plan(len(points), n, size)
    job = _Job(chunks, ex, n, seed, base, base_key, ids, points, tagged, total, desc, progress, config)
    if out is not None:
        model_digest = digest(_model_part(base))
        manifest = {
            "format": 2,  # 2: chunks carry done records with checksums
            "n": n,
            "seed": seed,
            "points": len(points),
            "chunk_size": size,
            "model_config": model_digest,
            "point_values": digest([ids, points]),
            "parameters": _parameters_key(config),
        }
        meta = file_metadata(
            OmegaConf.to_yaml(config, resolve=True),  # the text of `base`, without making a DictConfig of it again
            model_digest,
            seed,
            replicates=n,
            points=len(points),
            seeding=seeds_record(seed, n)["scheme"],
        )
        store = ChunkStore(Path(out), manifest, meta)
        if store.finished:
            return _from_store(store, config, seed)
        store.lock()
        try:
            return _run(store, job)
        finally:
            store.release()
    return _run(None, job)


def _parameters_key(config: DictConfig) -> str:
    """How the runs draw their parameters, for the manifest: a resumed job must draw them the same way."""
    mode = str(config.ensemble.get("parameters", "fixed"))
    if mode != "posterior":
        return mode
    path = posterior_path(str(config.ensemble.posterior))
    content = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else "missing"
    return f"posterior:{content}"


@dataclass
class _Job:
    """What run_points has worked out: the chunks, where they run, and what every task needs."""

    chunks: list
    executor: Any
    n: int
    seed: int
    base: dict
    base_key: str
    ids: list
    points: list
    tagged: bool
    total: int
    desc: str
    progress: bool
    config: DictConfig


def _run(store: ChunkStore | None, job: _Job) -> EnsembleResult:
    """Run the chunks not yet done (into `store` when there is one) and gather the result."""
    chunks, ex, n, seed, base, base_key = job.chunks, job.executor, job.n, job.seed, job.base, job.base_key
    ids, points, tagged, total, desc, progress, config = (
        job.ids, job.points, job.tagged, job.total, job.desc, job.progress, job.config
    )  # fmt: skip
    done = store.done() if store else set()
    todo = [c for c in chunks if c.index not in done]

    def task(chunk):
        first, last = chunk.start // n, (chunk.stop - 1) // n
        touched = {p: (ids[p], points[p]) for p in range(first, last + 1)}
        return ChunkTask(chunk, base, touched, n, seed, tagged, base_key)

    parts: dict[int, Any] = {}
    bar = tqdm(
        total=total,
        initial=total - sum(c.stop - c.start for c in todo),
        desc=desc,
        unit="run",
        disable=not progress,
        leave=False,
    )
    try:
        for res in ex.imap(run_chunk, (task(c) for c in todo)):
            if store is not None:
                runs = pd.DataFrame.from_records(res.records)
                if len(runs):
                    runs.insert(0, "seed", seed)
                store.write(res.chunk.index, runs, res.daily, res.failures)
            else:
                parts[res.chunk.index] = res
            bar.update(res.chunk.stop - res.chunk.start)
    finally:
        bar.close()
    if store is not None:
        store.finish(len(chunks))
        return _from_store(store, config, seed)
    ordered = [parts[k] for k in sorted(parts)]
    runs = pd.DataFrame.from_records([r for p in ordered for r in p.records])
    if len(runs):
        runs.insert(0, "seed", seed)
    daily = [p.daily for p in ordered if len(p.daily)]
    return EnsembleResult(
        runs=runs,
        daily=pd.concat(daily, ignore_index=True) if daily else pd.DataFrame(),
        config=config,
        seed=seed,
        failures=pd.DataFrame([f for p in ordered for f in p.failures]),
    )


def _from_store(store: ChunkStore, config: DictConfig, seed: int) -> EnsembleResult:
    check_tables(store.folder)
    failures = json.loads((store.folder / "failures.json").read_text())
    return EnsembleResult(
        runs=pd.read_parquet(store.folder / "runs.parquet"),
        config=config,
        seed=seed,
        failures=pd.DataFrame(failures),
        out=store.folder,
    )
