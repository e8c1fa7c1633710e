"""Scenario contrast: every counterfactual against the baseline, with 95% intervals of the difference.

    python -m experiments.contrast                           # every counterfactual, n=200
    python -m experiments.contrast n=100 scenarios=[arms_embargo,russia_abstains] out=outputs/c
    python -m experiments.contrast docs=true                 # also rewrite docs/scenarios.md (make scenarios)
    python -m experiments.contrast --help                    # the options (conf/tools/contrast.yaml)

A Hydra app with the syntax of experiments.run: its options are the keys of
conf/tools/contrast.yaml (typed by ContrastApp). Runs the baseline and each
counterfactual with the same seed and writes contrast.csv (every number),
contrast.md (the tables) and contrast.png (the differences with their
intervals) into `out`; with docs=true also the generated section of
docs/scenarios.md and docs/figures/scenario_contrast.png. Exit status 0 when
every expectation the scenario files state (`scenario.expects`) is borne out,
1 when one is not, 2 on bad input (one line naming the key, checked before
anything runs). The work is in sim.report.contrast.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig

from experiments import cli


@dataclass
class ContrastApp:
    """Types of the keys of conf/tools/contrast.yaml (the values are in the file)."""

    n: int = MISSING
    seed: int = MISSING
    executor: str = MISSING
    workers: int = MISSING
    scenarios: list[str] | None = None
    baseline: str = MISSING
    docs: bool = False
    out: str = MISSING
    parameters: str = "fixed"


ConfigStore.instance().store(name="contrast_app_schema", node=ContrastApp)


def check(args: Any) -> Any:
    from sim.report.contrast import check as check_request

    return check_request(args)


def run(args: Any) -> int:
    """Run the checked request, write the outputs and print the verdict; 1 when an expectation fails."""
    import matplotlib

    matplotlib.use("Agg")
    from sim.analysis.contrast import unmet
    from sim.report.contrast import contrast_of, fingerprint, write_outputs

    logging.getLogger("MESA").setLevel(logging.WARNING)
    table = contrast_of(args)
    digest = fingerprint(args.configs, args.seed) if args.docs else None
    for path in write_outputs(table, args, digest):
        print(f"wrote {path}")
    failed = unmet(table)
    held = int((table["holds"] == "yes").sum())
    print(f"n={args.n} runs per scenario, seed {args.seed}: {held} expectations borne out, {len(failed)} not")
    for line in failed:
        print(f"  not borne out: {line}")
    return 1 if failed else 0


TOOL = cli.Tool(name="contrast", config="contrast", schema=ContrastApp, check=check, run=run)


@hydra.main(config_path=str(cli.TOOLS_DIR), config_name="contrast", version_base="1.3")
def app(cfg: DictConfig) -> int:
    return cli.run_job(TOOL, cfg)


def main(argv: list[str] | None = None) -> int:
    """Check the command line (every job of a sweep), then hand it to Hydra; the exit status."""
    return cli.main(TOOL, app, argv)


if __name__ == "__main__":
    sys.exit(main())
