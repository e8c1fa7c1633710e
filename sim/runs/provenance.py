"""What produced a results folder: code version, packages, seeding scheme.

Written beside every job's tables (provenance.json, config.yaml, seeds.json) and, since
files get copied away from their folder, inside every Parquet file too: its key-value
metadata holds the keys of `file_metadata` under the prefix `karabakh_escalation.`, so
`pyarrow.parquet.read_metadata(path).metadata` (or `sim.results.load(path).provenance`)
tells what produced a table found anywhere.
"""

from __future__ import annotations

import json
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
#: The layout of the runs and daily tables (columns and their meaning); raised when one changes.
SCHEMA_VERSION = 1
#: The prefix of this package's keys in a Parquet file's key-value metadata.
META_PREFIX = "karabakh_escalation."


def git_commit() -> dict:
    """HEAD commit of the code and whether the working tree differs from it."""

    def git(*args):
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, timeout=20)

    if not (REPO / ".git").exists():  # an installed wheel: the package version names the code
        return {"commit": None, "dirty": None}
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


def own_version() -> str | None:
    try:
        return metadata.version("karabakh-escalation")
    except metadata.PackageNotFoundError:
        return None


def provenance() -> dict:
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "version": own_version(),
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


def file_metadata(config_yaml: str | None, config_digest: str, seed: int | list[int], **more: object) -> dict[str, str]:
    """The key-value metadata every Parquet table of a results folder carries (all values strings).

    config_yaml: the resolved config (so a copied file can be rerun); config_digest: the
    digest of its model part (the manifest's `model_config`); seed: the job's seed (a
    sweep's: the jobs' seeds); `more`: further keys (JSON-encoded unless strings).
    """
    record = provenance()
    out = {
        "schema_version": str(SCHEMA_VERSION),
        "version": record["version"] or "",
        "git_commit": record["git"]["commit"] or "",
        "git_dirty": json.dumps(record["git"]["dirty"]),
        "config_digest": config_digest,
        "seed": json.dumps(seed),
        "packages": json.dumps(record["packages"]),
        "python": record["python"],
        "created": record["created"],
        "config": config_yaml or "",
    }
    out.update({k: v if isinstance(v, str) else json.dumps(v, default=str) for k, v in more.items()})
    return {META_PREFIX + k: v for k, v in out.items()}


def read_file_metadata(path: str | Path) -> dict[str, str]:
    """This package's keys of a Parquet file's metadata, without the prefix ({} for a file without them)."""
    import pyarrow.parquet as pq

    found = pq.read_schema(path).metadata or {}
    prefix = META_PREFIX.encode()
    return {k[len(prefix) :].decode(): v.decode() for k, v in found.items() if k.startswith(prefix)}
