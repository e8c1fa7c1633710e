"""The chunk files of one results folder while it is written: resuming, locking, joining.

See sim.runs.results for the folder's layout. A chunk counts as done once its done
record exists (written last) and its files still match it (sim.runs.integrity); a
damaged chunk is removed and recomputed. `finish` joins the chunks into the folder's
tables (with the job's provenance in their metadata) and removes them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd

from sim.config.schema import ConfigError
from sim.runs.integrity import ResultsError, chunk_problem, chunk_record, table_record
from sim.runs.provenance import META_PREFIX
from sim.runs.results import concat_parquet, read_json, write_json, write_parquet


class ChunkStore:
    """The chunk files of one results folder, with the manifest that makes resuming safe."""

    def __init__(self, folder: Path, manifest: dict, metadata: dict[str, str] | None = None):
        self.folder = Path(folder)
        self.metadata = metadata  # every table's provenance (sim.runs.provenance.file_metadata)
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
        write_parquet(daily, files["daily"], self.metadata)
        if failures:
            write_json(failures, self.chunks / f"failures-{index:06d}.json")
        write_parquet(runs, files["runs"], self.metadata)
        write_json({kind: chunk_record(path) for kind, path in files.items()}, self.chunks / f"done-{index:06d}.json")

    def finish(self, n_chunks: int) -> None:
        """Check every chunk, join them into runs.parquet and daily.parquet, mark complete, drop the chunks."""
        for k in range(n_chunks):
            problem = self.damaged(k)
            if problem:
                raise ResultsError(f"chunk {k}: {problem}; rerun the same command to recompute it")
        order = [f"{k:06d}" for k in range(n_chunks)]
        failures = [f for k in order for f in read_json(self.chunks / f"failures-{k}.json", [])]
        # a copied table says whether runs of its job failed (the failures themselves stay in failures.json)
        meta = {**(self.metadata or {}), f"{META_PREFIX}failed_runs": str(len(failures))}
        for kind in ("runs", "daily"):
            parts = [self.chunks / f"{kind}-{k}.parquet" for k in order]
            concat_parquet(parts, self.folder / f"{kind}.parquet", metadata=meta)
        write_json(failures, self.folder / "failures.json")
        tables = {kind: table_record(self.folder / f"{kind}.parquet") for kind in ("runs", "daily")}
        # A job with failed runs is finished but not complete: load() and the reports say so.
        status = {"complete": not failures, "finished": True, "failures": len(failures), **tables}
        write_json(status, self.folder / "status.json")
        shutil.rmtree(self.chunks, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
