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
    return (f"nproc={os.cpu_count()} cpu='{cpu}' python={platform.python_version()} "
            f"numpy={np.__version__} pandas={pandas.__version__} mesa={mesa.__version__}")


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


def in_child(module: str, *args: str, timeout: float = 3600) -> dict:
    """Run `python -m module args` in a fresh interpreter and return the JSON it prints last.

    Peak memory is a per-process figure, so each sweep is measured in its own process.
    """
    out = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])
