"""The sweeps the benchmarks time: our runner, a bare loop, and mesa.batch_run, all on the same runs.

Every workload runs replicates 0..n-1 of one config with the replicate seeds of
sim.runs.ensemble (child r of SeedSequence(seed)), so all three simulate the very
same wars and collect the same outputs: one outcome record per run and the
daily table.

As a script it runs one sweep in a fresh process and prints one JSON line with
its peak memory (used by the memory figures):

    python -m benchmarks.workloads KIND N [--scenario S] [--horizon DAYS]

KIND is `runner` (run_ensemble streaming to a temporary folder, serial),
`runner-memory` (run_ensemble in memory), `bare` or `batch_run`.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import tempfile
import threading
import time

import mesa
import numpy as np
import pandas as pd
from omegaconf import DictConfig

from sim import ConflictModel, load_config, run_ensemble
from sim.runs.ensemble import replicate_seeds

SEED = 20200927


def config(scenario: str = "baseline_2020", horizon: int | None = None) -> DictConfig:
    overrides = [] if horizon is None else [f"scenario.horizon_days={horizon}"]
    return load_config(scenario, overrides=overrides)


def bare_loop(cfg: DictConfig, n: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a user writes without our runner: build, run, keep the outcome and the daily table."""
    records, frames = [], []
    for r, s in enumerate(replicate_seeds(seed, n)):
        model = ConflictModel(cfg, rng=np.random.default_rng(s))
        model.run_model()
        rec = model.outcome
        rec["replicate"] = r
        rec["sectors_taken"] = ",".join(rec["sectors_taken"])
        records.append(rec)
        daily = model.datacollector.get_model_vars_dataframe()
        daily.insert(0, "replicate", r)
        frames.append(daily)
    return pd.DataFrame.from_records(records), pd.concat(frames, ignore_index=True)


def runner(
    cfg: DictConfig,
    n: int,
    seed: int = SEED,
    executor: str = "serial",
    workers: int | None = None,
    out: str | None = None,
):
    """Our ensemble runner (sim.run_ensemble)."""
    return run_ensemble(cfg, n=n, seed=seed, executor=executor, workers=workers, out=out)


def batch_run(cfg: DictConfig, n: int, seed: int = SEED, processes: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """mesa.batch_run of the same model and seeds, every day collected, made into the same two tables.

    batch_run returns one dict per run and day; the per-run outcome a plot
    needs is the last day of each run (batch_run has no outcome record).
    """
    rows = mesa.batch_run(
        ConflictModel,
        parameters={"config": [cfg]},
        rng=replicate_seeds(seed, n),
        number_processes=processes,
        data_collection_period=1,
        max_steps=int(cfg.scenario.horizon_days) + 1,
        display_progress=False,
    )
    daily = pd.DataFrame(rows)
    runs = daily.groupby("RunId", sort=True).tail(1)
    return runs, daily


class RssSampler:
    """Peak resident memory of this process while a block runs, sampled every few milliseconds.

    ru_maxrss would also count the peak of the imports before the sweep, which
    can hide the sweep itself; sampling the current RSS (psutil) does not.
    """

    def __init__(self, every_s: float = 0.005):
        import psutil

        self.proc, self.every_s, self.peak = psutil.Process(), every_s, 0
        self._stop = threading.Event()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            self._stop.wait(self.every_s)

    def __enter__(self) -> RssSampler:
        self.baseline = self.proc.memory_info().rss
        self.peak = self.baseline
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["runner", "runner-memory", "bare", "batch_run"])
    ap.add_argument("n", type=int)
    ap.add_argument("--scenario", default="baseline_2020")
    ap.add_argument("--horizon", type=int, default=None)
    a = ap.parse_args()
    cfg = config(a.scenario, a.horizon)
    bare_loop(cfg, 2)  # warm-up: every lazy import and cache is in place before the baseline
    run_ensemble(cfg, n=2, seed=SEED, executor="serial")
    gc.collect()
    t0 = time.perf_counter()
    folder = tempfile.mkdtemp(prefix="bench-") if a.kind == "runner" else None
    try:
        with RssSampler() as mem:
            if a.kind == "runner":
                rows = len(runner(cfg, a.n, out=folder).runs)
            elif a.kind == "runner-memory":
                rows = len(runner(cfg, a.n).runs)
            elif a.kind == "bare":
                rows = len(bare_loop(cfg, a.n)[0])
            else:
                rows = len(batch_run(cfg, a.n)[0])
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    mb = 1024.0 * 1024.0
    print(
        json.dumps(
            {
                "kind": a.kind,
                "n": a.n,
                "runs": rows,
                "horizon": a.horizon,
                "seconds": time.perf_counter() - t0,
                "baseline_mb": mem.baseline / mb,
                "peak_mb": mem.peak / mb,
                "sweep_mb": (mem.peak - mem.baseline) / mb,
            }
        )
    )


if __name__ == "__main__":
    main()
