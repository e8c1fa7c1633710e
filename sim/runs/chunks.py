"""Units of work: a chunk is a contiguous slice of the (point, replicate) grid.

A sweep of P points with n replicates each is the flat index j = p * n + r,
cut into chunks of `size` runs. The cut depends only on (P, n, size), so a
resumed sweep finds the same chunks, and replicate r of every point is seeded
by the r-th child of `SeedSequence(seed)`: the numbers do not depend on which
worker, process or machine runs a chunk. Points share replicate seeds (common
random numbers), which makes differences between points less noisy.

`run_chunk` is the worker function of every executor; it lives here (not in a
script or notebook) so that spawned processes and Ray workers can import it.
"""

from __future__ import annotations

import json
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.config.conform import plain
from sim.config.uncertainty import ParameterDraws, parameter_draws, with_values


@dataclass(frozen=True)
class Chunk:
    """Runs start..stop-1 of the flat (point, replicate) index."""

    index: int
    start: int
    stop: int


@dataclass
class ChunkTask:
    """What a worker needs: the base config, the points it touches, seeds and the slice."""

    chunk: Chunk
    base: dict
    points: dict[int, tuple[int, dict[str, Any]]]  # point index -> (point_id, {dotted key: value})
    n: int
    seed: int
    tag_points: bool = True
    base_key: str | None = None  # digest of base: lets a worker reuse a point's config across chunks


@dataclass
class ChunkOutput:
    chunk: Chunk
    records: list[dict] = field(default_factory=list)
    daily: pd.DataFrame | None = None
    failures: list[dict] = field(default_factory=list)


def plan(n_points: int, n: int, size: int) -> list[Chunk]:
    """Chunks of at most `size` runs covering all n_points * n runs in order."""
    total = n_points * n
    return [Chunk(k, s, min(s + size, total)) for k, s in enumerate(range(0, total, size))]


def replicate_seed(seed: int, replicate: int) -> np.random.SeedSequence:
    """The replicate-th child of SeedSequence(seed), built directly (same as .spawn())."""
    return np.random.SeedSequence(seed, spawn_key=(replicate,))


#: The spawn key, under a replicate's seed, of the stream its parameters are drawn from
#: (ensemble.parameters=ranges|posterior): apart from the model's own stream, so a
#: replicate meets the same chance with fixed or drawn parameters.
PARAMETER_STREAM = 1


def parameter_rng(seed_seq: np.random.SeedSequence) -> np.random.Generator:
    """The replicate's parameter stream: a child of its seed that the model never uses."""
    return np.random.default_rng(
        np.random.SeedSequence(seed_seq.entropy, spawn_key=(*seed_seq.spawn_key, PARAMETER_STREAM))
    )


def run_one(
    config: Any, seed_seq: np.random.SeedSequence, replicate: int, draws: ParameterDraws | None = None
) -> tuple[dict, dict[str, list]]:
    """Run one replicate; returns its outcome record and its daily columns (name -> list, one entry a day).

    draws: how the replicate's parameters are chosen (sim.config.uncertainty);
    None or fixed runs the config as it is.
    Columns rather than a DataFrame: a chunk builds one DataFrame from all its
    runs' columns, which costs far less than a frame per run and a concat.
    """
    from sim.model.conflict import ConflictModel, parameters_of  # imported here: workers import the model once

    if draws is not None and draws.mode != "fixed":
        config = with_values(parameters_of(config), draws.values(parameter_rng(seed_seq)))
    model = ConflictModel(config, rng=np.random.default_rng(seed_seq))
    model.run_model()
    rec = model.outcome
    rec["replicate"] = replicate
    for listed in (
        "sectors_taken",
        "towns_struck",
        "districts_handed_over",
        "ceasefire_days",
        "ceasefire_brokers",
    ):  # lists become comma-joined labels in the table
        rec[listed] = ",".join(rec[listed])
    days = model.datacollector.model_vars
    columns = {"replicate": [replicate] * len(next(iter(days.values())))}
    columns.update(days)
    return rec, columns


#: This process's most recent point configs, by (base digest, point values): building one
#: (the plain copy, the point's values, its parameter draws) takes a few ms, which chunks of
#: the same point need not pay again.
_POINT_CONFIGS: OrderedDict[tuple[str, str], tuple[Any, ParameterDraws]] = OrderedDict()
_KEEP = 8


def point_config(base: dict, values: dict[str, Any], base_key: str | None = None) -> tuple[Any, ParameterDraws]:
    """The base config with one point's dotted-key values set, and how its replicates draw parameters.

    The config is a plain copy read like a config (sim.config.conform.Snapshot),
    not an OmegaConf node: building a DictConfig of the whole config and reading it
    back took ~50 ms a point, most of a design sweep's time when its points have
    a replicate or two each. The models of a point share the copy and only read it.
    base_key names the base's content (the runner passes its digest); with it,
    a process builds each point's config once and reuses it for later chunks.
    """
    key = None if base_key is None else (base_key, json.dumps(values, sort_keys=True, default=str))
    hit = _POINT_CONFIGS.get(key) if key is not None else None
    if hit is not None and key is not None:
        _POINT_CONFIGS.move_to_end(key)
        return hit
    config = with_values(plain(base), {dotted: plain(value) for dotted, value in values.items()})
    built = (config, parameter_draws(config))
    if key is not None:
        _POINT_CONFIGS[key] = built
        while len(_POINT_CONFIGS) > _KEEP:
            _POINT_CONFIGS.popitem(last=False)
    return built


def run_chunk(task: ChunkTask) -> ChunkOutput:
    """Run every (point, replicate) of a chunk; a run that raises fails its point, not the chunk."""
    out = ChunkOutput(task.chunk)
    columns: dict[str, list] = {}
    config, draws, current, failed = None, None, None, set()
    for j in range(task.chunk.start, task.chunk.stop):
        p, r = divmod(j, task.n)
        if p in failed:
            continue
        point_id, values = task.points.get(p, (p, {}))
        try:
            if p != current:
                (config, draws), current = point_config(task.base, values, task.base_key), p
            rec, days = run_one(config, replicate_seed(task.seed, r), r, draws)
        except Exception as exc:  # noqa: BLE001 - any model error fails this point only
            failed.add(p)
            out.failures.append(
                {
                    "point_id": point_id,
                    "replicate": r,
                    "error": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc(),
                    **values,
                }
            )
            continue
        if task.tag_points:
            rec = {"point_id": point_id, **values, **rec}
            days = {"point_id": [point_id] * len(days["replicate"]), **days}
        out.records.append(rec)
        for name, values_of_day in days.items():
            columns.setdefault(name, []).extend(values_of_day)
    from sim.model.daily import frame_of  # as run_one imports the model: in the worker

    out.daily = frame_of(columns)
    return out
