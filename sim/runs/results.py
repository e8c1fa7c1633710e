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
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.config.schema import ConfigError
from sim.files import atomic_write
from sim.runs.integrity import ResultsError, chunk_problem, chunk_record, table_problem, table_record


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write a table atomically: a temporary file in the same folder, then a rename."""
    atomic_write(Path(path), lambda tmp: df.to_parquet(tmp, index=False))


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


def concat_parquet(files: Iterable[Path], dest: Path, columns: dict[Path, dict[str, Any]] | None = None) -> int:
    """Stream parquet files into one (atomically), a row group's worth of rows in memory at a time.

    Schemas are unified first (a column that is all-null in one chunk takes its
    type from the others; a column missing from a file is filled with nulls).
    `columns` maps a file to constant columns to prepend, e.g. a job's point id.
    Consecutive files are gathered into row groups of about ROW_GROUP_ROWS rows.
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


class ChunkStore:
    """The chunk files of one results folder, with the manifest that makes resuming safe."""

    def __init__(self, folder: Path, manifest: dict):
        self.folder = Path(folder)
        self.chunks = self.folder / "chunks"
        manifest = json.loads(json.dumps(manifest, default=str))
        found = read_json(self.folder / "manifest.json")
        if found is not None and found != manifest:
            diff = [k for k in manifest if found.get(k) != manifest[k]] or ["format"]
            raise ConfigError(
                f"{self.folder}: holds results of a different run ({', '.join(diff)} differ); "
                "rerun with the same settings to resume, or choose another output folder"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        if found is None:
            write_json(manifest, self.folder / "manifest.json")
        self.manifest = manifest

    @property
    def complete(self) -> bool:
        return bool((read_json(self.folder / "status.json") or {}).get("complete"))

    @property
    def finished(self) -> bool:
        """Every chunk was run and joined (complete, or finished with failed runs)."""
        status = read_json(self.folder / "status.json") or {}
        return bool(status.get("finished") or status.get("complete"))

    def lock(self) -> None:
        """Claim the folder for this process, or refuse in one line if a live process is writing into it.

        The lock file holds the writer's process id; a lock left by a process
        that no longer exists (killed) is taken over.
        """
        path = self.folder / ".writing"
        for _ in range(2):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                try:
                    holder = int(path.read_text().strip() or 0)
                except (OSError, ValueError):
                    holder = 0
                if holder and holder != os.getpid() and _alive(holder):
                    raise ConfigError(
                        f"{self.folder}: another run (process {holder}) is writing into this folder; "
                        "wait for it to finish or choose another output folder"
                    ) from None
                path.unlink(missing_ok=True)  # left by a process that is gone: take it over
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            return

    def release(self) -> None:
        """Give the folder up (only if this process holds it)."""
        path = self.folder / ".writing"
        try:
            if int(path.read_text().strip() or 0) == os.getpid():
                path.unlink()
        except (OSError, ValueError):
            pass

    def _files(self, index: int) -> dict[str, Path]:
        return {kind: self.chunks / f"{kind}-{index:06d}.parquet" for kind in ("runs", "daily")}

    def damaged(self, index: int) -> str | None:
        """Why chunk `index` cannot be used ('not written', or a file and what is wrong with it), or None."""
        record = read_json(self.chunks / f"done-{index:06d}.json")
        if record is None:
            return "not written"
        for kind, path in self._files(index).items():
            problem = chunk_problem(path, record[kind])
            if problem:
                return f"{path} is damaged ({problem})"
        return None

    def done(self, say=print) -> set[int]:
        """The chunks written whole and unchanged; a damaged one is removed (to be recomputed) and `say` names it."""
        if not self.chunks.exists():
            return set()
        out = set()
        for record in sorted(self.chunks.glob("done-*.json")):
            index = int(record.stem.split("-")[1])
            problem = self.damaged(index)
            if problem is None:
                out.add(index)
                continue
            say(f"results: {problem}; recomputing chunk {index}")
            for path in [record, *self._files(index).values(), self.chunks / f"failures-{index:06d}.json"]:
                path.unlink(missing_ok=True)
        return out

    def write(self, index: int, runs: pd.DataFrame, daily: pd.DataFrame, failures: list[dict]) -> None:
        """Write one chunk: its tables and failures, then the record of their sizes and checksums (it marks
        the chunk done)."""
        files = self._files(index)
        write_parquet(daily, files["daily"])
        if failures:
            write_json(failures, self.chunks / f"failures-{index:06d}.json")
        write_parquet(runs, files["runs"])
        write_json({kind: chunk_record(path) for kind, path in files.items()}, self.chunks / f"done-{index:06d}.json")

    def finish(self, n_chunks: int) -> None:
        """Check every chunk, join them into runs.parquet and daily.parquet, mark complete, drop the chunks."""
        for k in range(n_chunks):
            problem = self.damaged(k)
            if problem:
                raise ResultsError(f"chunk {k}: {problem}; rerun the same command to recompute it")
        order = [f"{k:06d}" for k in range(n_chunks)]
        concat_parquet([self.chunks / f"runs-{k}.parquet" for k in order], self.folder / "runs.parquet")
        concat_parquet([self.chunks / f"daily-{k}.parquet" for k in order], self.folder / "daily.parquet")
        failures = [f for k in order for f in read_json(self.chunks / f"failures-{k}.json", [])]
        write_json(failures, self.folder / "failures.json")
        tables = {kind: table_record(self.folder / f"{kind}.parquet") for kind in ("runs", "daily")}
        # A job with failed runs is finished but not complete: load() and the reports say so.
        status = {"complete": not failures, "finished": True, "failures": len(failures), **tables}
        write_json(status, self.folder / "status.json")
        shutil.rmtree(self.chunks, ignore_errors=True)


@dataclass
class Results:
    """Tables read back from a results folder; `daily` is read only when asked for."""

    folder: Path
    runs: pd.DataFrame
    daily_files: list[Path]
    failures: pd.DataFrame
    complete: bool

    @cached_property
    def daily(self) -> pd.DataFrame:
        return (
            pd.concat([pd.read_parquet(f) for f in self.daily_files], ignore_index=True)
            if self.daily_files
            else pd.DataFrame()
        )

    @cached_property
    def config(self) -> dict | None:
        import yaml

        path = self.folder / "config.yaml"
        return yaml.safe_load(path.read_text()) if path.exists() else None


def job_folders(sweep: Path) -> list[Path]:
    """Job folders of a sweep (each with a manifest), in Hydra job-number order."""
    found = [p.parent for p in Path(sweep).glob("*/manifest.json")]
    return sorted(found, key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit() else 0, p.name))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


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
    """Read a job, design or sweep folder: runs (always), daily (lazily), failures.

    A sweep folder without its aggregated runs.parquet (e.g. still running) is
    read from its job folders; a job still running is read from its chunks
    (`complete` is then False).
    """
    folder = Path(folder)
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
