"""Shared fixtures: configs are composed once per run (Hydra compose is slow-ish).

With pytest-xdist every worker is a session of its own, and many tests start commands:
they all keep composed configs in one cache folder of the run (sim.config.stored,
`pytest_configure`), so each config is composed once however many processes ask for it.
"""

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from sim import load_config, run_ensemble  # noqa: E402
from sim.config.stored import CACHE_ENV  # noqa: E402


def pytest_configure(config):  # noqa: V103 - a pytest hook
    """Composed configs (sim.config.stored) go to a folder of this run, not the user's cache: the
    pytest-xdist workers, started after this hook, and every command they run inherit it, so a config
    is composed once per run; the folder is removed at the end. An explicit setting (a folder, or off)
    is kept."""
    if os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get(CACHE_ENV):
        return
    folder = tempfile.mkdtemp(prefix="karabakh-escalation-tests-configs-")
    os.environ[CACHE_ENV] = folder
    config.stash[_CACHE_FOLDER] = folder


def pytest_unconfigure(config):  # noqa: V103 - a pytest hook
    folder = config.stash.get(_CACHE_FOLDER, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_CACHE_FOLDER = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def baseline_cfg():
    return load_config("baseline_2020")


@pytest.fixture(scope="session")
def baseline():
    """Thirty 30-day baseline wars (seed 1): the figure tests' ensemble."""
    return run_ensemble(load_config("baseline_2020", overrides=["scenario.horizon_days=30"]), n=30, seed=1)


@pytest.fixture(scope="session")
def intervention():
    """Twenty 30-day wars with Turkey in (seed 1): the figure tests' second ensemble."""
    return run_ensemble(load_config("turkey_intervenes", overrides=["scenario.horizon_days=30"]), n=20, seed=1)


@pytest.fixture(scope="session")
def cfg_of():
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = load_config(name)
        return cache[name]

    return get


@pytest.fixture  # noqa: V103 - a fixture, named in usefixtures marks
def one_ray_at_a_time():
    """Hold the machine-wide Ray lock for the test: two Ray instances started at once on one
    machine (a local one and a head, by two pytest-xdist workers or two runs of the suite)
    compete for ports, memory and /tmp/ray. Tests that start Ray use this fixture
    (@pytest.mark.usefixtures, so it comes before any fixture that starts Ray); the lock
    is released when the holder's process ends, however it ends."""
    with open(Path(tempfile.gettempdir()) / "karabakh-escalation-tests-ray.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# tryfirst: before `-m "not slow"` deselects, so that the marks this adds count
@pytest.hookimpl(tryfirst=True)  # noqa: V103 - a pytest hook
def pytest_collection_modifyitems(config, items):
    """Cases of an `exhaustive` check beyond its first are slow; then files with slow tests first.

    An exhaustive check (every scenario composes, every group option, every
    refusal of a bad override) composes a config per case, about a second each:
    `make test-quick` keeps one case of each such check, `make test` runs them all.

    Files with slow tests first, each file's tests together and in their order: with
    several workers (pytest-xdist hands out whole files in this order, see pyproject.toml)
    the long files start early and the quick ones fill the gaps at the end, instead of a
    long file starting last while the other workers wait."""
    seen: set[tuple] = set()  # (file, test function) of the exhaustive checks met so far
    for item in items:
        if item.get_closest_marker("exhaustive") is not None:
            check = (item.path, getattr(item, "originalname", item.name))
            if check in seen:
                item.add_marker(pytest.mark.slow)
            seen.add(check)
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)
