"""Where chunks run: in this process, on a pool of local processes, or on Ray.

Every executor has one method, `imap(fn, tasks)`, yielding results as chunks
finish (any order; callers put them back in order by chunk index). Each has a
timeout: when no chunk finishes within `timeout_s` seconds the workers are
stopped and TimeoutError is raised, so a notebook never hangs silently.

Local processes come from loky's reusable executor (public API only): each worker is a
fresh interpreter, so starting one costs the model's imports; the pool is therefore
kept and reused across ensembles, its idle workers leave after POOL_IDLE_S, and it is
shut down at exit. Stopping it (a timeout, Ctrl-C, an error) kills its workers through
`shutdown(kill_workers=True)`, and a worker that dies (e.g. the out-of-memory killer)
fails the ensemble at once with loky's error instead of leaving it waiting. At most
two chunks per worker are in flight, so a long sweep never holds more than a few
chunks' results in memory.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from typing import Any

from loky import BrokenProcessPool, get_reusable_executor

from sim.config.schema import EXECUTORS, ConfigError

#: Seconds an idle worker of the reused pool waits for work before it leaves.
POOL_IDLE_S = 300
#: The pools this process started (loky reuses one; kept to shut it down at exit).
_POOLS: list[Any] = []


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the process that started it dies, even by SIGKILL.

    On Linux the kernel does it (PR_SET_PDEATHSIG); elsewhere, and as a second
    guard, a daemon thread checks every second that the parent is still there.
    Without this a killed run leaves its workers running for minutes.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the thread below does it
        pass
    if os.getppid() != parent:  # orphaned before the watch was set
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _start_worker(parent: int) -> None:
    """Worker initializer: tie the worker's life to its parent (`_die_with_parent`), then import the
    model and freeze what the imports made.

    A worker runs thousands of short models, each leaving cycles (a model and its agents) for
    the cyclic collector; every full collection would rescan the hundreds of thousands of
    objects the imports made (numpy, pandas, Hydra, Mesa), which never become garbage.
    Frozen, they are left out of the scans (`gc.freeze`): about 3% of a run's time.
    """
    _die_with_parent(parent)
    for module in ("sim.runs.chunks", "sim.model.conflict"):  # what every task needs: the runner and the model
        importlib.import_module(module)
    gc.collect()
    gc.freeze()


def capped(workers: int | None, oversubscribe: bool = False) -> int:
    """Worker processes to start: as asked, but no more than the cores unless the user insists.

    Asking for more says so in one line on stderr (ensemble.oversubscribe=true keeps the number).
    """
    cores = cpu_count()
    asked = workers or cores
    if asked > cores and not oversubscribe:
        print(
            f"ensemble.workers={asked} is more than this machine's {cores} cores; using {cores} "
            f"(ensemble.oversubscribe=true keeps {asked})",
            file=sys.stderr,
        )
        return cores
    return asked


class SerialExecutor:
    """Chunks one after another in this process (no timeout is needed: errors surface here)."""

    workers = 1

    def __init__(self, timeout_s: float = 900.0):
        self.timeout_s = timeout_s

    def imap(self, fn: Callable, tasks: Iterable) -> Iterator[Any]:
        for task in tasks:
            yield fn(task)

    def futures(self) -> None:
        """No futures executor: callers run the work in this process (e.g. pyabc's single-core sampler)."""
        return None


class ProcessExecutor:
    """A reused pool of local processes (loky's reusable executor)."""

    def __init__(self, workers: int | None = None, timeout_s: float = 900.0, oversubscribe: bool = False):
        main = sys.modules.get("__main__")
        if getattr(main, "__file__", None) == "<stdin>":  # spawned workers re-read the main script: impossible
            raise ConfigError(
                "executor: 'processes' cannot start workers for a script read on stdin; "
                "save the script to a file, or use executor='serial'"
            )
        self.workers = capped(workers, oversubscribe)
        self.timeout_s = timeout_s

    def _pool(self) -> Any:
        pool = get_reusable_executor(
            max_workers=self.workers,
            timeout=POOL_IDLE_S,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        if pool not in _POOLS:
            _POOLS.append(pool)
        return pool

    def futures(self) -> Executor:
        """The pool as a concurrent.futures executor, for libraries that submit their own work (pyabc)."""
        return self._pool()

    def _discard(self, pool: Any) -> None:
        if pool in _POOLS:
            _POOLS.remove(pool)
        pool.shutdown(wait=False, kill_workers=True)

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
        except BrokenProcessPool as exc:  # loky: a worker was killed (TerminatedWorkerError) or cannot start
            self._discard(pool)
            codes = re.search(r"exit codes of the workers are (\{.*?\})", str(exc))
            raise ChildProcessError(
                f"a worker process died while running a chunk (exit {codes.group(1) if codes else 'unknown'}); "
                "often the out-of-memory killer: lower ensemble.workers or ensemble.chunk_size"
            ) from exc
        except BaseException:
            self._discard(pool)
            raise


class RayExecutor:
    """Chunks as Ray tasks: a local Ray (num_cpus=workers) or a cluster by address."""

    def __init__(self, workers: int | None = None, timeout_s: float = 900.0, address: str = ""):
        if address and address != "auto":
            reachable(address)
        import ray

        self.ray = ray
        if not ray.is_initialized():
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                ray.init(num_cpus=workers or cpu_count(), include_dashboard=False, log_to_driver=False)
        self.workers = int(ray.cluster_resources().get("CPU", 1))
        self.timeout_s = timeout_s

    def futures(self) -> Executor:
        """Ray tasks behind the concurrent.futures interface, for libraries that submit their own work (pyabc)."""
        return RayFutures(self.ray)

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


class RayFutures(Executor):
    """submit() runs the call as a Ray task and returns its concurrent.futures Future.

    A function is made a Ray task once (Ray exports it to the cluster then) and
    reused for every later call: pyabc submits the same function for each batch.
    """

    def __init__(self, ray: Any):
        self.ray = ray
        self._tasks: dict[Callable, Any] = {}

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        task = self._tasks.get(fn)
        if task is None:
            task = self._tasks[fn] = self.ray.remote(num_cpus=1, max_retries=0)(fn)
        return task.remote(*args, **kwargs).future()


#: Seconds to wait for a Ray cluster's address to answer before giving up (Ray itself retries without end).
CONNECT_TIMEOUT_S = 10.0


def reachable(address: str, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """Refuse, in one line and within `timeout_s`, a Ray address (host:port) nothing answers on."""
    import socket

    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"ensemble.ray_address: '{address}' is not host:port (or auto, or empty for a local Ray)")
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except OSError as exc:
        raise ConfigError(
            f"ensemble.ray_address: nothing answers at {address} within {timeout_s:g} s ({exc.strerror or exc}); "
            "start the cluster (ray start --head) or fix the address"
        ) from None


def make_executor(
    kind: str, workers: int | None = None, timeout_s: float = 900.0, ray_address: str = "", oversubscribe: bool = False
):
    """An executor by name: serial, processes or ray."""
    if kind == "serial":
        return SerialExecutor(timeout_s)
    if kind == "processes":
        return ProcessExecutor(workers, timeout_s, oversubscribe)
    if kind == "ray":
        return RayExecutor(workers, timeout_s, ray_address)
    raise ConfigError(f"ensemble.executor: '{kind}' is not allowed; expected one of {', '.join(EXECUTORS)}")


@atexit.register
def shutdown_pools() -> None:
    """Stop the reused process pools (also called at interpreter exit)."""
    while _POOLS:
        _POOLS.pop().shutdown(wait=True)
