"""Results on disk: chunk files while a sweep runs, one table per kind when it is done.

A results folder (one Hydra job, one design, or `run_ensemble(..., out=...)`):

    manifest.json      what is being run (n, seed, points, chunk size, config digest)
    chunks/            runs-000007.parquet, daily-000007.parquet, failures-000007.json,
                       done-000007.json (the size and SHA-256 of the chunk's tables)
    runs.parquet       one row per run, all chunks in order (written when all are done)
    daily.parquet      one row per run and day
    failures.json      runs that raised: point, replicate, error and traceback
    status.json        {"complete": ..., "finished": true, "failures": k, "runs": ...,
                       "daily": ...} (size and row count of each table) once the tables
                       above are written; complete only when no run failed

Every file is written to a temporary name and renamed, so a killed process
leaves either a whole file or none; a chunk counts as done once its done record
exists (written last) and its files still match it (sim.runs.integrity).
Rerunning the same sweep skips done chunks and recomputes a damaged one, saying
so; the chunk files are removed only after the full tables and status.json are
in place. `load` checks the finished tables against status.json and names a
damaged file.

A sweep folder holds one job folder per point and, after the multirun, the
aggregated runs.parquet. `load(folder)` reads any of these.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.files import atomic_write
from sim.runs.integrity import ResultsError, table_problem
from sim.runs.provenance import read_file_metadata


def write_parquet(df: pd.DataFrame, path: Path, metadata: dict[str, str] | None = None) -> None:
    """Write a table atomically (a temporary file in the same folder, then a rename), with `metadata` in its footer."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **(metadata or {})})
    atomic_write(Path(path), lambda tmp: pq.write_table(table, tmp))


def write_json(obj: Any, path: Path) -> None:
    def write(tmp):
        with open(tmp, "w") as fh:
            json.dump(obj, fh, indent=1, default=str)

    atomic_write(Path(path), write)


def write_text(text: str, path: Path) -> None:
    def write(tmp):
        Path(tmp).write_text(text)

    atomic_write(Path(path), write)


def read_json(path: Path, default: Any = None) -> Any:
    path = Path(path)
    return json.loads(path.read_text()) if path.exists() else default


#: Rows gathered into one row group of a joined file. A row group per chunk file would
#: make the metadata, and the memory of writing and reading the file back, grow with
#: the number of chunks (2,000 for 100,000 runs); this bounds both by the group size
#: (a group of the daily table is a few MB while it is gathered).
ROW_GROUP_ROWS = 16_384


def concat_parquet(
    files: Iterable[Path],
    dest: Path,
    columns: dict[Path, dict[str, Any]] | None = None,
    metadata: dict[str, str] | None = None,
) -> int:
    """Stream parquet files into one (atomically), a row group's worth of rows in memory at a time.

    Schemas are unified first (a column that is all-null in one chunk takes its
    type from the others; a column missing from a file is filled with nulls).
    `columns` maps a file to constant columns to prepend, e.g. a job's point id.
    Consecutive files are gathered into row groups of about ROW_GROUP_ROWS rows.
    `metadata` becomes the file's key-value metadata (the parts' own is dropped).
    Returns the number of rows written.
    """
    files = [Path(f) for f in files]
    schemas = [pq.read_schema(f).remove_metadata() for f in files]
    schemas = [s for s in schemas if len(s)]
    extra: dict[str, pa.DataType] = {}
    for f in files:
        for k, v in ((columns or {}).get(f) or {}).items():
            extra.setdefault(k, pa.array([v]).type)
    schema = pa.unify_schemas([pa.schema(list(extra.items())), *schemas], promote_options="permissive")
    schema = schema.with_metadata(metadata or {})
    rows = 0

    def write(tmp):
        nonlocal rows
        with pq.ParquetWriter(tmp, schema) as writer:
            group: list[pa.Table] = []
            gathered = 0
            for f in files:
                table = pq.read_table(f)
                if table.num_rows == 0:
                    continue
                for k, v in ((columns or {}).get(f) or {}).items():
                    if k not in table.column_names:
                        table = table.append_column(k, pa.array([v] * table.num_rows, type=extra[k]))
                for name in schema.names:
                    if name not in table.column_names:
                        table = table.append_column(name, pa.nulls(table.num_rows, schema.field(name).type))
                group.append(table.select(schema.names).cast(schema))
                gathered += table.num_rows
                rows += table.num_rows
                if gathered >= ROW_GROUP_ROWS:
                    writer.write_table(pa.concat_tables(group).combine_chunks(), row_group_size=gathered)
                    group, gathered = [], 0
            if group:
                writer.write_table(pa.concat_tables(group).combine_chunks(), row_group_size=gathered)

    atomic_write(Path(dest), write)
    return rows


#: Metadata keys whose values are plain text (the others are JSON).
TEXT_KEYS = ("config", "python", "created", "version", "git_commit", "config_digest", "seeding")


@dataclass
class Results:
    """Tables read back from a results folder (or one copied runs.parquet); `daily` is read only when asked for."""

    folder: Path
    runs: pd.DataFrame
    daily_files: list[Path]
    failures: pd.DataFrame
    complete: bool
    runs_file: Path | None = None

    @cached_property
    def provenance(self) -> dict[str, Any]:
        """What produced the runs table, from its own metadata (sim.runs.provenance.file_metadata),
        JSON values decoded; {} for tables written before files carried it."""
        path = self.runs_file or self.folder / "runs.parquet"
        found = read_file_metadata(path) if path.exists() else {}
        return {k: v if k in TEXT_KEYS else _decoded(v) for k, v in found.items()}

    @cached_property
    def daily(self) -> pd.DataFrame:
        return (
            pd.concat([pd.read_parquet(f) for f in self.daily_files], ignore_index=True)
            if self.daily_files
            else pd.DataFrame()
        )

    @cached_property
    def config(self) -> dict | None:
        """The resolved config: the folder's config.yaml, else the one inside the runs table's metadata."""
        import yaml

        path = self.folder / "config.yaml"
        if self.runs_file is None and path.exists():
            return yaml.safe_load(path.read_text())
        return yaml.safe_load(self.provenance["config"]) if self.provenance.get("config") else None


def _decoded(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def job_folders(sweep: Path) -> list[Path]:
    """Job folders of a sweep (each with a manifest), in Hydra job-number order."""
    found = [p.parent for p in Path(sweep).glob("*/manifest.json")]
    return sorted(found, key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit() else 0, p.name))


def check_tables(folder: Path) -> None:
    """Raise ResultsError naming a finished table that is not what status.json recorded."""
    status = read_json(folder / "status.json", {})
    for kind in ("runs", "daily"):
        if kind in status:
            problem = table_problem(folder / f"{kind}.parquet", status[kind])
            if problem:
                raise ResultsError(
                    f"{folder / f'{kind}.parquet'} is damaged ({problem}); its chunks are gone once a run "
                    "completes, so remove the folder and rerun to recompute it"
                )


def _failures(paths: Iterable[Path]) -> pd.DataFrame:
    return pd.DataFrame([f for p in paths for f in read_json(p, [])])


def load(folder: str | Path) -> Results:
    """Read a job, design or sweep folder: runs (always), daily (lazily), failures; or one runs.parquet file.

    A sweep folder without its aggregated runs.parquet (e.g. still running) is
    read from its job folders; a job still running is read from its chunks
    (`complete` is then False).
    """
    folder = Path(folder)
    if folder.is_file():  # one table, e.g. a runs.parquet copied elsewhere: its provenance is in its metadata
        complete = read_file_metadata(folder).get("failed_runs") == "0"  # unknown (older file): not complete
        return Results(folder.parent, pd.read_parquet(folder), [], pd.DataFrame(), complete, runs_file=folder)
    if (folder / "runs.parquet").exists():
        check_tables(folder)
        jobs = job_folders(folder)
        for job in jobs:
            check_tables(job)
        daily = (
            [folder / "daily.parquet"]
            if (folder / "daily.parquet").exists()
            else [j / "daily.parquet" for j in jobs if (j / "daily.parquet").exists()]
        )
        failures = _failures([folder / "failures.json", *[j / "failures.json" for j in jobs]])
        own = read_json(folder / "status.json")
        if jobs:
            complete = all(read_json(j / "status.json", {}).get("complete") for j in jobs)
        else:  # a job or design folder: complete only if no run failed (older folders: no status, complete)
            complete = own is None or bool(own.get("complete"))
        return Results(folder, pd.read_parquet(folder / "runs.parquet"), daily, failures, complete)
    jobs = job_folders(folder)
    if jobs:
        parts = [load(j) for j in jobs]
        runs = pd.concat([p.runs for p in parts if len(p.runs)], ignore_index=True)
        return Results(
            folder,
            runs,
            [f for p in parts for f in p.daily_files],
            pd.concat([p.failures for p in parts], ignore_index=True),
            all(p.complete for p in parts),
        )
    chunks = folder / "chunks"
    chunk_runs = [
        chunks / f"runs-{r.stem.split('-')[1]}.parquet"
        for r in sorted(chunks.glob("done-*.json"))
        if (chunks / f"runs-{r.stem.split('-')[1]}.parquet").exists()
    ]
    if chunk_runs:
        runs = pd.concat([pd.read_parquet(f) for f in chunk_runs], ignore_index=True)
        daily = [f.with_name(f.name.replace("runs-", "daily-")) for f in chunk_runs]
        return Results(folder, runs, daily, _failures((folder / "chunks").glob("failures-*.json")), False)
    raise FileNotFoundError(f"{folder}: no results here (no runs.parquet, job folders or chunks)")


class EnsembleResult:
    """Tables of one ensemble or design: `runs` (one row per run), `daily` (one row per run and day).

    When the results were streamed to a folder (`out`), `daily` is read from it
    only when first asked for, so a large sweep's daily rows never sit in memory
    unless wanted. `failures` lists the runs that raised (empty when none did).
    """

    def __init__(
        self,
        runs: pd.DataFrame,
        daily: pd.DataFrame | None = None,
        config: Any = None,
        seed: int = 0,
        failures: pd.DataFrame | None = None,
        out: Path | None = None,
    ):
        self.runs, self._daily, self.config, self.seed = runs, daily, config, seed
        self.failures = failures if failures is not None else pd.DataFrame()
        self.out = Path(out) if out is not None else None

    @property
    def daily(self) -> pd.DataFrame:
        if self._daily is None and self.out is not None:
            self._daily = pd.read_parquet(self.out / "daily.parquet")
        return self._daily

    def __repr__(self) -> str:
        where = f", out={self.out}" if self.out else ""
        return f"EnsembleResult({len(self.runs)} runs, {len(self.failures)} failures{where})"
