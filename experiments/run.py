"""Hydra entry point: run one scenario ensemble and write its tables and a figure.

    python -m experiments.run                              # baseline_2020, 100 replicates
    python -m experiments.run scenario=april_2016 ensemble.n=200
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.config import CONF_DIR, check
from sim.ensemble import run_ensemble
from sim.schema import ConfigError, register
from sim.summary import summary_table, write_tables

register()


@hydra.main(config_path=str(CONF_DIR), config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    try:
        cfg = check(cfg)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        sys.exit(2)
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    out = Path(HydraConfig.get().runtime.output_dir)
    result = run_ensemble(cfg)
    write_tables(result, out)
    print(summary_table(result.runs).to_string())
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
