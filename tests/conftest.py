"""Shared fixtures: configs are composed once per session (Hydra compose is slow-ish)."""

import matplotlib
import pytest

matplotlib.use("Agg")

from sim import load_config  # noqa: E402


@pytest.fixture(scope="session")
def baseline_cfg():
    return load_config("baseline_2020")


@pytest.fixture(scope="session")
def cfg_of():
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = load_config(name)
        return cache[name]

    return get
