"""Global sensitivity (Sobol or Morris) and scenario discovery over declared parameter ranges.

    python -m experiments.sensitivity                                   # Sobol, 8 parameters, baseline_2020
    python -m experiments.sensitivity --method morris --base 10 --replicates 20
    python -m experiments.sensitivity --scenario turkey_intervenes scenario.horizon_days=60 \\
        --params powers.turkey.resolve mediator.strength combat.advance_rate --executor processes --workers 2
    python -m experiments.sensitivity --params all --method morris --max-runs 100000

Positional arguments are Hydra overrides of the base config (as for
experiments.run). The run count is printed before anything runs; a design above
--max-runs is refused. Writes into --out: indices.csv and indices.parquet (tidy:
outcome, parameter, index, value, conf), sensitivity_<outcome>.png/.svg (bars
with 95% confidence intervals), points.csv (the sample with each point's
outcomes), runs.parquet (one row per run of the design), discovery.csv and
discovery_<target>.png/.svg (CART boxes for regional war and quick ceasefire,
with coverage and density), report.md, config.yaml and provenance.json. The runs
stream into <out>/design while they run: rerunning the same command resumes
there. Bad input: one line, exit 2, nothing written.
"""
from __future__ import annotations

import argparse
import logging
import shlex
import sys
from pathlib import Path

from sim.analysis.sensitivity import OUTCOMES
from sim.analysis.sensitivity_report import InputError, analyse, check_args, count_line, start, write_outputs
from sim.config.loading import DEFAULT_SCENARIO
from sim.config.schema import EXECUTORS, ConfigError

EXIT_INPUT = 2


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m experiments.sensitivity", description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n".join(__doc__.splitlines()[1:7]))
    p.add_argument("overrides", nargs="*", help="Hydra overrides of the base config, e.g. scenario.horizon_days=60")
    p.add_argument("--scenario", default=DEFAULT_SCENARIO, help=f"a file in conf/scenario (default {DEFAULT_SCENARIO})")
    p.add_argument("--method", default="sobol", help="sobol or morris (default sobol)")
    p.add_argument("--params", nargs="+", default=None,
                   help="dotted keys (<param>[.value] or ties.<name>[.weight]), or 'all' (default: 8, see docs/sensitivity.md)")
    p.add_argument("--base", type=int, default=None,
                   help="Sobol base sample N (power of two, default 32) or Morris trajectories r (default 10)")
    p.add_argument("--levels", type=int, default=4, help="Morris grid levels (even, default 4)")
    p.add_argument("--second-order", action="store_true", help="Sobol: also second-order indices S2 (N*(2k+2) points)")
    p.add_argument("--replicates", type=int, default=10, help="runs per point (default 10)")
    p.add_argument("--outcomes", nargs="+", default=list(OUTCOMES), help=f"any of {', '.join(OUTCOMES)} (default all)")
    p.add_argument("--seed", type=int, default=1, help="seed of the sample and of the runs (default 1)")
    p.add_argument("--executor", default=None, help=f"one of {', '.join(EXECUTORS)} (default: the config's)")
    p.add_argument("--workers", type=int, default=0, help="worker processes (0 = all cores)")
    p.add_argument("--max-runs", type=int, default=20_000, help="refuse a larger design (default 20000)")
    p.add_argument("--out", type=Path, default=Path("outputs/sensitivity"), help="output folder")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("MESA").setLevel(logging.WARNING)
    try:
        check_args(args)
    except (InputError, ConfigError) as exc:
        print(f"sensitivity error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    print(count_line(args), flush=True)
    start(args)
    args.command = "python -m experiments.sensitivity " + shlex.join(sys.argv[1:] if argv is None else argv)
    try:
        result = analyse(args)
    except ConfigError as exc:  # e.g. the design folder holds another run's chunks
        print(f"sensitivity error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except RuntimeError as exc:  # a point whose runs all failed: no indices can be computed
        print(f"sensitivity failed: {exc}", file=sys.stderr)
        return 1
    written = write_outputs(args, result)
    print(f"wrote {len(written)} files to {args.out}: {', '.join(written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
