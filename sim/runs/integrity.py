"""Integrity of results on disk: what each file should be, and whether it still is.

Every file is written whole or not at all (sim.files.atomic_write), but a file
can still be damaged afterwards: truncated by a full disk or a copy that
stopped, overwritten, corrupted. So each chunk records the size and SHA-256 of
its files when it is written, and each finished table its size and row count
(read from the Parquet footer, so checking a large table costs nothing like
reading it). Resuming checks every chunk and recomputes a damaged one; loading
checks the finished tables and names any damaged file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq


class ResultsError(ValueError):
    """A results folder is damaged or incomplete; the message names the file (one line)."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def chunk_record(path: Path) -> dict[str, Any]:
    """What a chunk file is when it is written: its size and SHA-256."""
    return {"bytes": path.stat().st_size, "sha256": sha256(path)}


def chunk_problem(path: Path, record: dict[str, Any]) -> str | None:
    """Why a chunk file is not what its record says (missing, another size, another checksum), or None."""
    if not path.exists():
        return "missing"
    if path.stat().st_size != record["bytes"]:
        return f"{path.stat().st_size} bytes, expected {record['bytes']}"
    if sha256(path) != record["sha256"]:
        return "checksum differs"
    return None


def table_record(path: Path) -> dict[str, Any]:
    """What a finished table is: its size and its row count."""
    return {"bytes": path.stat().st_size, "rows": pq.ParquetFile(path).metadata.num_rows}


def table_problem(path: Path, record: dict[str, Any]) -> str | None:
    """Why a finished table is not what status.json says, or None."""
    if not path.exists():
        return "missing"
    if path.stat().st_size != record["bytes"]:
        return f"{path.stat().st_size} bytes, expected {record['bytes']}"
    try:
        rows = pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # noqa: BLE001 - any unreadable file is damaged, whatever pyarrow raises
        return f"unreadable ({type(exc).__name__})"
    if rows != record["rows"]:
        return f"{rows} rows, expected {record['rows']}"
    return None
