"""Where chunks run: in this process, on a pool of local processes, or on Ray.

Every executor has one method, `imap(fn, tasks)`, yielding results as chunks
finish (any order; callers put them back in order by chunk index). Each has a
timeout: when no chunk finishes within `timeout_s` seconds the workers are
stopped and TimeoutError is raised, so a notebook never hangs silently.

Importing mesa switches multiprocessing to "spawn", which makes starting a
worker cost an interpreter plus the model's imports; process pools are
therefore kept and reused across ensembles (one per worker count) and shut
down at exit. At most two chunks per worker are in flight, so a long sweep
never holds more than a few chunks' results in memory.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from sim.config.schema import EXECUTORS, ConfigError

_POOLS: dict[int, ProcessPoolExecutor] = {}


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class SerialExecutor:
    """Chunks one after another in this process (no timeout is needed: errors surface here)."""

    workers = 1

    def __init__(self, timeout_s: float = 900.0):
        self.timeout_s = timeout_s

    def imap(self, fn: Callable, tasks: Iterable) -> Iterator[Any]:
        for task in tasks:
            yield fn(task)


class ProcessExecutor:
    """A reused pool of spawned local processes."""

    def __init__(self, workers: int | None = None, timeout_s: float = 900.0):
        self.workers = workers or cpu_count()
        self.timeout_s = timeout_s

    def _pool(self) -> ProcessPoolExecutor:
        pool = _POOLS.get(self.workers)
        if pool is None:
            pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            _POOLS[self.workers] = pool
        return pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        _POOLS.pop(self.workers, None)
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)

    def imap(self, fn: Callable, tasks: Iterable) -> Iterator[Any]:
        pool = self._pool()
        pending, todo = set(), iter(tasks)
        try:
            while True:
                for task in todo:
                    pending.add(pool.submit(fn, task))
                    if len(pending) >= 2 * self.workers:
                        break
                if not pending:
                    return
                done, pending = wait(pending, timeout=self.timeout_s, return_when=FIRST_COMPLETED)
                if not done:
                    raise TimeoutError(
                        f"no chunk finished within ensemble.timeout_s={self.timeout_s:g} s on "
                        f"{self.workers} processes; the workers were stopped"
                    )
                for fut in done:
                    yield fut.result()
        except BaseException:
            self._discard(pool)
            raise


class RayExecutor:
    """Chunks as Ray tasks: a local Ray (num_cpus=workers) or a cluster by address."""

    def __init__(self, workers: int | None = None, timeout_s: float = 900.0, address: str = ""):
        import ray

        self.ray = ray
        if not ray.is_initialized():
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                ray.init(num_cpus=workers or cpu_count(), include_dashboard=False, log_to_driver=False)
        self.workers = int(ray.cluster_resources().get("CPU", 1))
        self.timeout_s = timeout_s

    def imap(self, fn: Callable, tasks: Iterable) -> Iterator[Any]:
        ray = self.ray
        remote = ray.remote(num_cpus=1, max_retries=0)(fn)
        pending, todo = [], iter(tasks)
        try:
            while True:
                for task in todo:
                    pending.append(remote.remote(task))
                    if len(pending) >= 2 * self.workers:
                        break
                if not pending:
                    return
                done, pending = ray.wait(pending, num_returns=1, timeout=self.timeout_s)
                if not done:
                    raise TimeoutError(
                        f"no chunk finished within ensemble.timeout_s={self.timeout_s:g} s on Ray; "
                        "the pending tasks were cancelled"
                    )
                yield ray.get(done[0])
        except BaseException:
            for ref in pending:
                ray.cancel(ref, force=True)
            raise


def make_executor(kind: str, workers: int | None = None, timeout_s: float = 900.0, ray_address: str = ""):
    """An executor by name: serial, processes or ray."""
    if kind == "serial":
        return SerialExecutor(timeout_s)
    if kind == "processes":
        return ProcessExecutor(workers, timeout_s)
    if kind == "ray":
        return RayExecutor(workers, timeout_s, ray_address)
    raise ConfigError(f"ensemble.executor: '{kind}' is not allowed; expected one of {', '.join(EXECUTORS)}")


@atexit.register
def shutdown_pools() -> None:
    """Stop the reused process pools (also called at interpreter exit)."""
    while _POOLS:
        _, pool = _POOLS.popitem()
        pool.shutdown(wait=True, cancel_futures=True)
