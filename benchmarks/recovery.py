"""Recovery of known parameters by the calibration, at about its nominal rate.

    python -m benchmarks.recovery [--truths 10] [--population 40] [--generations 4] [--n 8] [--executor processes]

For each of --truths known attrition rates (spread over the middle of the declared
range), day one is simulated at that value (40 runs), the median defender deaths
become a synthetic target (+-10%), and the calibration (sim.report.calibration.fit,
the same ABC-SMC as `make calibrate`) fits the attrition rate back. A well-calibrated
posterior holds the known value inside its 90% (5-95%) interval in about 90% of the
cases; the line printed gives the coverage with its Wilson interval. Not a test: a
full-size run takes minutes (the suite runs one case, tests/test_calibration.py).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import yaml

from sim import load_config, run_ensemble
from sim.analysis.calibration import weighted_quantile
from sim.analysis.stats import wilson
from sim.report.calibration import check, fit

KEY = "combat.attrition_rate"


def day_one_episode(folder: Path, truth: float, seed: int) -> Path:
    """A folder of backtest files with one episode: day one simulated at attrition rate `truth` (40 runs),
    its median defender deaths +-10% the one fit target. Returns the folder (a calibration's targets_dir)."""
    runs = run_ensemble(
        load_config("baseline_2020", ["scenario.horizon_days=1", f"{KEY}.value={truth}"]), n=40, seed=seed
    ).runs
    med = float((runs["military_deaths_armenia"] + runs["military_deaths_artsakh"]).median())
    target = {
        "name": "deaths",
        "label": "defender deaths on day one",
        "unit": "deaths",
        "statistic": {"table": "runs", "columns": ["military_deaths_armenia", "military_deaths_artsakh"]},
        "observed": [0.9 * med, 1.1 * med],
        "tolerance": {"rule": "median_inside"},
        "claimed": True,
        "use": "fit",
        "source": f"simulated at {KEY}={truth}",
    }
    folder.mkdir(parents=True, exist_ok=True)
    episode = {
        "episode": "synthetic",
        "scenario": "baseline_2020",
        "description": "recovery",
        "overrides": ["scenario.horizon_days=1"],
        "targets": [target],
    }
    (folder / "synthetic.yaml").write_text(yaml.safe_dump(episode))
    return folder


def recover(truth: float, folder: Path, a: argparse.Namespace, seed: int) -> tuple[float, float]:
    """The posterior 5-95% interval of the attrition rate fitted to day one simulated at `truth`."""
    targets = day_one_episode(folder / "targets", truth, seed)
    args = SimpleNamespace(
        episodes=["synthetic"],
        params=[KEY],
        population=a.population,
        generations=a.generations,
        n=a.n,
        seed=seed,
        executor=a.executor,
        workers=0,
        min_acceptance=0.0,
        predictive_n=0,
        targets_dir=str(targets),
        out=str(folder / "cal"),
    )
    _, posterior, _ = fit(check(args))
    p5, p95 = weighted_quantile(posterior[f"{KEY}.value"].to_numpy(), posterior["weight"].to_numpy(), [0.05, 0.95])
    return float(p5), float(p95)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truths", type=int, default=10)
    ap.add_argument("--population", type=int, default=40)
    ap.add_argument("--generations", type=int, default=4)
    ap.add_argument("--n", type=int, default=8)
    ap.add_argument("--executor", default="processes")
    a = ap.parse_args()
    truths = np.linspace(0.015, 0.09, a.truths)
    inside = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k, truth in enumerate(truths):
            lo, hi = recover(float(truth), Path(tmp) / str(k), a, seed=1000 + k)
            hit = lo <= truth <= hi
            inside += hit
            print(
                f"{KEY}={truth:.4f}: posterior 5-95% [{lo:.4f}, {hi:.4f}] {'inside' if hit else 'OUTSIDE'}", flush=True
            )
    e = wilson(inside, len(truths))
    print(
        f"recovery: {inside} of {len(truths)} known values inside their 90% interval "
        f"({e.value:.0%}, 95% interval {e.low:.0%}-{e.high:.0%}; nominal 90%)"
    )


if __name__ == "__main__":
    main()
