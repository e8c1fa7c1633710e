"""What produced a results folder: code version, packages, seeding scheme.

Written beside every job's tables so a result can be traced and rerun.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "mesa",
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "matplotlib",
    "hydra-core",
    "omegaconf",
    "SALib",
    "scikit-learn",
    "ray",
    "networkx",
)
REPO = Path(__file__).resolve().parents[2]


def git_commit() -> dict:
    """HEAD commit of the code and whether the working tree differs from it."""

    def git(*args):
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, timeout=20)

    try:
        head = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no", "--", "sim", "conf", "experiments")
    except (OSError, subprocess.TimeoutExpired):
        return {"commit": None, "dirty": None}
    return {
        "commit": head.stdout.strip() or None,
        "dirty": bool(dirty.stdout.strip()) if head.returncode == 0 else None,
    }


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def provenance() -> dict:
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_commit(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
        "command": sys.argv,
    }


def seeds_record(seed: int, n: int) -> dict:
    """How every run's random stream follows from the job's seed."""
    return {
        "seed": seed,
        "replicates": n,
        "scheme": "replicate r of every point uses numpy.random.default_rng(SeedSequence(seed).spawn(n)[r]) "
        "(= SeedSequence(seed, spawn_key=(r,))); the runs table's seed and replicate columns identify each run",
    }
