"""All benchmark figures, each printed as a ratio with its goal and whether it is met.

    python -m benchmarks            # quick: scaled-down sweeps, a few minutes on 2 cores
    python -m benchmarks --full     # the sizes the goals name (20,000 / 100,000 runs: ~45 min on 2 cores)

Timings are the minimum of --repeat repetitions (the least disturbed one on a
shared machine). In-process serial comparisons use CPU time (time.process_time),
anything with worker processes uses wall time. Memory figures run each sweep in
a fresh interpreter, sampling its resident memory (psutil) during the sweep:
the figure is the process's peak during the sweep (the goals' "peak memory");
the detail also shows the rise over the memory just before the sweep (after
imports and a warm-up run), i.e. what the sweep itself holds. The two sweeps of a
memory figure run side by side (each in its own process; no time is read from them),
after every timing.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from benchmarks.common import Figure, in_children, machine
from benchmarks.model_step import measure, report
from benchmarks.workloads import bare_loop, batch_run, config, runner
from sim.runs.executors import shutdown_pools


@dataclass(frozen=True)
class Sizes:
    """Run counts and horizons of one mode."""

    serial_n: int  # overhead and serial throughput
    parallel_n: int  # 2 processes
    vs_batch_memory_n: int  # goal: 20,000
    vs_batch_horizon: int | None
    small_sweep_n: int  # goal: 1,000
    large_sweep_n: int  # goal: 100,000
    sweep_horizon: int | None
    absolute_n: int  # goal: 1,000
    repeat: int


QUICK = Sizes(60, 100, 600, 20, 200, 4000, 5, 1000, 2)
FULL = Sizes(1000, 1000, 20000, None, 1000, 100000, None, 1000, 3)


def cpu_best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def wall_best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def horizon_note(h: int | None) -> str:
    return "full horizon" if h is None else f"horizon {h} days"


def figures(s: Sizes) -> list[Figure]:
    cfg = config()
    runner(cfg, 4, executor="processes", workers=2)  # start the reused worker pool once (cold start not timed)
    out = []

    t_bare = cpu_best(lambda: bare_loop(cfg, s.serial_n), s.repeat)
    t_ours = cpu_best(lambda: runner(cfg, s.serial_n), s.repeat)
    ratio = t_ours / t_bare
    out.append(
        Figure(
            "runner / bare loop (serial)",
            ratio,
            "<= 1.05",
            ratio <= 1.05,
            f"{s.serial_n} runs: runner {t_ours:.2f} s, bare loop {t_bare:.2f} s CPU",
        )
    )

    t_batch = cpu_best(lambda: batch_run(cfg, s.serial_n), s.repeat)
    ratio = t_batch / t_ours
    out.append(
        Figure(
            "batch_run / runner time (serial)",
            ratio,
            ">= 1.0",
            ratio >= 1.0,
            f"{s.serial_n} runs: batch_run {t_batch:.2f} s, runner {t_ours:.2f} s CPU",
        )
    )

    t_ser = wall_best(lambda: runner(cfg, s.parallel_n), s.repeat)
    t_par = wall_best(lambda: runner(cfg, s.parallel_n, executor="processes", workers=2), s.repeat)
    t_bpar = wall_best(lambda: batch_run(cfg, s.parallel_n, processes=2), s.repeat)
    ratio = t_bpar / t_par
    out.append(
        Figure(
            "batch_run / runner time (2 procs)",
            ratio,
            "> 1.0",
            ratio > 1.0,
            f"{s.parallel_n} runs: batch_run {t_bpar:.2f} s, runner {t_par:.2f} s wall",
        )
    )
    ratio = t_ser / t_par
    out.append(
        Figure(
            "runner serial / 2 processes",
            ratio,
            ">= 1.8",
            ratio >= 1.8,
            f"{s.parallel_n} runs: serial {t_ser:.2f} s, 2 processes {t_par:.2f} s wall",
        )
    )

    t_warm = wall_best(lambda: runner(cfg, s.absolute_n, executor="processes", workers=2), s.repeat)
    shutdown_pools()
    t0 = time.perf_counter()
    runner(cfg, s.absolute_n, executor="processes", workers=2)
    t_cold = time.perf_counter() - t0
    per_1000 = t_warm * 1000 / s.absolute_n
    scaled = "" if s.absolute_n == 1000 else f"; measured {s.absolute_n} runs, scaled to 1,000"
    out.append(
        Figure(
            "1,000-run baseline, 2 procs (s)",
            per_1000,
            "< 10 s",
            per_1000 < 10.0,
            f"wall time with the worker pool started (as from the second ensemble of a session); "
            f"{t_cold * 1000 / s.absolute_n:.1f} s including starting the two workers{scaled}",
        )
    )

    h = s.vs_batch_horizon
    args = [] if h is None else ["--horizon", str(h)]
    ours, theirs = in_children(
        "benchmarks.workloads",
        ["runner", str(s.vs_batch_memory_n), *args],
        ["batch_run", str(s.vs_batch_memory_n), *args],
    )
    ratio = ours["peak_mb"] / theirs["peak_mb"]
    full = s.vs_batch_memory_n >= 20000 and h is None
    out.append(
        Figure(
            "memory runner / batch_run",
            ratio,
            "<= 0.2",
            ratio <= 0.2 if full else None,
            f"{s.vs_batch_memory_n} runs, {horizon_note(h)}: runner (streaming) +{ours['sweep_mb']:.0f} MB "
            f"(peak {ours['peak_mb']:.0f}), batch_run +{theirs['sweep_mb']:.0f} MB "
            f"(peak {theirs['peak_mb']:.0f})" + ("" if full else QUICK_ONLY),
        )
    )

    h = s.sweep_horizon
    args = [] if h is None else ["--horizon", str(h)]
    small, large = in_children(
        "benchmarks.workloads", ["runner", str(s.small_sweep_n), *args], ["runner", str(s.large_sweep_n), *args]
    )
    ratio = large["peak_mb"] / small["peak_mb"]
    out.append(
        Figure(
            f"peak memory {s.large_sweep_n} / {s.small_sweep_n} runs",
            ratio,
            "<= 1.5",
            ratio <= 1.5,
            f"{horizon_note(h)}, streaming: {large['peak_mb']:.0f} MB vs {small['peak_mb']:.0f} MB peak "
            f"(sweep +{large['sweep_mb']:.0f} vs +{small['sweep_mb']:.0f} MB over the warmed baseline)",
        )
    )

    return out


#: What a quick-mode memory figure against batch_run says: batch_run's extra memory
#: grows with the rows it keeps, so only the goal's size (--full) can show one fifth.
QUICK_ONLY = (
    "; quick size: both are mostly the interpreter and its libraries here, so the goal "
    "(one fifth at 20,000 full-horizon runs) is shown by --full only"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="the run counts the goals name (~45 minutes on 2 cores)")
    ap.add_argument("--repeat", type=int, default=None, help="repetitions per timing (minimum kept)")
    a = ap.parse_args()
    s = FULL if a.full else QUICK
    if a.repeat:
        s = Sizes(**{**s.__dict__, "repeat": a.repeat})
    print(f"machine: {machine()}")
    print(f"mode: {'full' if a.full else 'quick'}; {s}")
    runs = 40 if not a.full else 200
    print("model step (CPU time, best of 3): " + report(measure("baseline_2020", runs, 3)))
    print(
        "model step, read-only config (as the runner builds them): " + report(measure("baseline_2020", runs, 3, True))
    )
    t0 = time.perf_counter()
    for fig in figures(s):
        print(fig.line(), flush=True)
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
