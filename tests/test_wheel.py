"""The built wheel works on its own: installed into a clean virtual environment, outside the checkout.

An editable install reads conf/ and everything else from the checkout, so it cannot show
that the wheel ships what running needs. These tests build the wheel, install it with its
dependencies into a fresh venv (pinned by the lockfile, as `make` installs) and run
`escalation-run` and `load_config()` from a folder that is not the checkout. The
user's-own-config route (KARABAKH_ESCALATION_CONF) is tested against the checkout, in a
subprocess because the folder is fixed at import.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"


def clean_env() -> dict[str, str]:
    """The environment less anything that would let the checkout leak into the installed package."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "KARABAKH_ESCALATION_CONF", "PYTHONHOME"}
    return {k: v for k, v in os.environ.items() if k not in drop} | {"MPLBACKEND": "Agg"}


def run(args: list[str], cwd: Path, timeout: float = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env or clean_env(), capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args[:4]} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(dist)], cwd=dist)
    [found] = dist.glob("karabakh_escalation-*.whl")
    return found


@pytest.mark.slow  # builds the wheel (pip in a process of its own)
def test_the_wheel_carries_the_config_and_the_metadata(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.removeprefix("sim/conf/") for n in names if n.startswith("sim/conf/")}
    in_checkout = {str(p.relative_to(ROOT / "conf")) for p in (ROOT / "conf").rglob("*.yaml")}
    assert shipped == in_checkout
    assert "sim/py.typed" in names and "sim/calibration/posterior.parquet" in names
    assert "hydra_plugins/karabakh_conf/__init__.py" in names  # Hydra reads sim/conf with libyaml
    assert any(n.endswith("licenses/LICENSE") for n in names)
    meta = next(zipfile.Path(wheel, n).read_text() for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in meta and "Classifier: Typing :: Typed" in meta and "Author: " in meta


@pytest.mark.slow  # builds a wheel and installs it with its dependencies into a new venv (about a minute)
def test_installed_wheel_runs_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    constraints = ["-c", str(LOCK)] if LOCK.exists() else []
    # This environment's pip installs into the new one (--python), so the new one needs no pip of its
    # own; --no-compile leaves byte-compiling to the first import (pip compiling every module of
    # numpy, scipy, pandas and pyarrow took two thirds of the install). What is installed is the same.
    install = ["--python", str(py), "install", "--quiet", "--no-compile", str(wheel), *constraints]
    run([sys.executable, "-m", "pip", *install], cwd=tmp_path)
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    probe = "import sim; print(sim.__file__); print(sim.load_config('april_2016').scenario.name)"
    found = run([str(py), "-c", probe], elsewhere)
    where, name = found.stdout.split()
    assert Path(where).is_relative_to(env_dir) and name == "april_2016"
    run([str(env_dir / "bin" / "escalation-run"), "ensemble.n=10"], elsewhere)
    [runs] = elsewhere.glob("outputs/baseline_2020/*/runs.parquet")
    assert len(pd.read_parquet(runs)) == 10
    sources = (runs.parent / ".hydra" / "hydra.yaml").read_text()
    assert "schema: libyaml" in sources and "schema: file" not in sources  # the installed plugin read sim/conf
    meta = pq.read_metadata(runs).metadata
    assert meta[b"karabakh_escalation.version"] == metadata.version("karabakh-escalation").encode()
    assert meta[b"karabakh_escalation.git_commit"] == b""  # no checkout: the version names the code


@pytest.mark.slow  # two subprocesses, each importing the package
def test_a_users_own_config_folder_is_read(tmp_path):
    env = clean_env() | {"PYTHONPATH": str(ROOT)}
    copied = tmp_path / "myconf"
    run([sys.executable, "-m", "sim.config.paths", "copy", str(copied)], tmp_path, env=env)
    defaults = copied / "ensemble" / "default.yaml"
    defaults.write_text(defaults.read_text().replace("n: 100", "n: 7", 1))
    probe = "from sim import load_config; print(load_config().ensemble.n)"
    mine = run([sys.executable, "-c", probe], tmp_path, env=env | {"KARABAKH_ESCALATION_CONF": str(copied)})
    assert mine.stdout.split() == ["7"]
    # a copy made when the defaults listed the typed schema first still composes, to the same config
    top = copied / "config.yaml"
    top.write_text(top.read_text().replace("defaults:\n", "defaults:\n  - schema\n", 1))
    typed_probe = "from sim import load_config; c = load_config(); print(c.ensemble.n, c.experiment.name)"
    older = run([sys.executable, "-c", typed_probe], tmp_path, env=env | {"KARABAKH_ESCALATION_CONF": str(copied)})
    assert older.stdout.split() == ["7", "single"]
    shipped = run([sys.executable, "-c", probe], tmp_path, env=env)
    assert shipped.stdout.split() == ["100"]
    wrong = subprocess.run(
        [sys.executable, "-m", "experiments.run", "ensemble.n=2"],
        cwd=tmp_path,
        env=env | {"KARABAKH_ESCALATION_CONF": str(tmp_path / "nowhere")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wrong.returncode == 2
    assert wrong.stderr.strip().splitlines() == [
        f"config error: KARABAKH_ESCALATION_CONF: {tmp_path / 'nowhere'} has no config.yaml; "
        "point it at a copy of the shipped folder (escalation-conf copy DEST makes one)"
    ]
