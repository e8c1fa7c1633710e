"""Global sensitivity (Sobol or Morris) and scenario discovery over declared parameter ranges.

    python -m experiments.sensitivity                                   # Sobol, 8 parameters, baseline_2020
    python -m experiments.sensitivity method=morris base=10 replicates=20
    python -m experiments.sensitivity scenario=turkey_intervenes overrides=[scenario.horizon_days=60] \\
        params=[powers.turkey.resolve,mediator.strength,combat.advance_rate] executor=processes workers=2
    python -m experiments.sensitivity params=[all] method=morris max_runs=100000
    python -m experiments.sensitivity --help                            # the options (conf/tools/sensitivity.yaml)

A Hydra app with the syntax of experiments.run: its options are the keys of
conf/tools/sensitivity.yaml (typed by SensitivityApp), set with key=value; model
overrides of the base config go in `overrides=[key=value,...]`. The run count is
printed before anything runs; a design above max_runs is refused. Writes into
`out`: indices.csv and indices.parquet (tidy: outcome, parameter, index, value,
conf), sensitivity_<outcome>.png/.svg (bars with 95% confidence intervals),
points.csv (the sample with each point's outcomes), runs.parquet (one row per
run of the design), discovery.csv and discovery_<target>.png/.svg (CART boxes
for regional war and quick ceasefire, with coverage and density), report.md,
config.yaml and provenance.json. The runs stream into <out>/design while they
run: rerunning the same command resumes there. Bad input: one line naming the
key, exit 2, nothing written (checked for every job of a sweep before anything
runs). The work is in sim.report.sensitivity.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from dataclasses import dataclass, field
from typing import Any

import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig

from experiments import cli

# SALib and scikit-learn come with the analysis extra, not a plain install. They are imported where they are
# used (~2 s together), so `--help` and a refused command do not wait for them; whether they are there is
# known at once.
for _needed in ("SALib", "sklearn"):
    if importlib.util.find_spec(_needed) is None:
        sys.exit(
            f"sensitivity: {_needed} is not installed; it comes with the analysis extra: "
            "pip install 'karabakh-escalation[analysis]' (make sensitivity installs it)"
        )

from sim.report.sensitivity import InputError  # noqa: E402 - after the check of the extra


@dataclass
class SensitivityApp:
    """Types of the keys of conf/tools/sensitivity.yaml (the values are in the file)."""

    scenario: str = MISSING
    overrides: list[str] = field(default_factory=list)
    method: str = MISSING
    params: list[str] | None = None
    base: int | None = None
    levels: int = MISSING
    second_order: bool = MISSING
    replicates: int = MISSING
    outcomes: list[str] = MISSING
    seed: int = MISSING
    executor: str | None = None
    workers: int = MISSING
    max_runs: int = MISSING
    out: str = MISSING
    ranges: str = "declared"
    docs: bool = False


ConfigStore.instance().store(name="sensitivity_app_schema", node=SensitivityApp)


def check(args: Any) -> Any:
    from sim.report.sensitivity import check_args

    return check_args(args)


def run(args: Any) -> int:
    """Print the run count, run the design (resumable) and write the tables, figures and report."""
    import matplotlib

    matplotlib.use("Agg")
    from sim.config.schema import ConfigError
    from sim.report.sensitivity import analyse, count_line, start, write_outputs

    logging.getLogger("MESA").setLevel(logging.WARNING)
    print(count_line(args), flush=True)
    start(args)
    try:
        result = analyse(args)
    except ConfigError as exc:  # e.g. the design folder holds another run's chunks
        print(f"sensitivity error: {exc}", file=sys.stderr)
        return cli.EXIT_INPUT
    except RuntimeError as exc:  # a point whose runs all failed: no indices can be computed
        print(f"sensitivity failed: {exc}", file=sys.stderr)
        return 1
    written = write_outputs(args, result)
    print(f"wrote {len(written)} files to {args.out}: {', '.join(written)}")
    if args.docs:
        from sim.report.sensitivity_docs import write_docs

        print("wrote", write_docs(args, result))
    return 0


TOOL = cli.Tool(
    name="sensitivity", config="sensitivity", schema=SensitivityApp, check=check, run=run, errors=(InputError,)
)


@hydra.main(config_path=str(cli.TOOLS_DIR), config_name="sensitivity", version_base="1.3")
def app(cfg: DictConfig) -> int:
    return cli.run_job(TOOL, cfg)


def main(argv: list[str] | None = None) -> int:
    """Check the command line (every job of a sweep), then hand it to Hydra; the exit status."""
    return cli.main(TOOL, app, argv)


if __name__ == "__main__":
    sys.exit(main())
