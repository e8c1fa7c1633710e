"""Shared helpers: best-of-k timing, the machine description, peak memory in a child process."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    """One line naming the machine: cores, CPU model, Python and key library versions."""
    import mesa
    import pandas

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"nproc={os.cpu_count()} cpu='{cpu}' python={platform.python_version()} "
        f"numpy={np.__version__} pandas={pandas.__version__} mesa={mesa.__version__}"
    )


@dataclass
class Figure:
    """One benchmark figure: a measured ratio against its goal."""

    name: str
    value: float | None
    goal: str
    met: bool | None
    detail: str

    def line(self) -> str:
        shown = "n/a" if self.value is None else f"{self.value:.3g}"
        verdict = {True: "MET", False: "NOT MET", None: "ONLY --full"}[self.met]
        return f"{self.name:<34} {shown:>8}  goal {self.goal:<14} {verdict:<12} {self.detail}"


def in_children(module: str, *arg_lists: list[str], timeout: float = 7200) -> list[dict]:
    """Run `python -m module args` for each argument list, side by side, each in a fresh interpreter;
    return the JSON each prints last.

    Peak memory is a per-process figure, so each sweep is measured in its own
    process; the others do not change it, so independent sweeps can share the
    cores (no timing is read from them).
    """
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", module, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for args in arg_lists
    ]
    results = []
    for args, proc in zip(arg_lists, procs, strict=True):
        out, err = proc.communicate(timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"{module} {' '.join(args)} failed:\n{err[-2000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results
