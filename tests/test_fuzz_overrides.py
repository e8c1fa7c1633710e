"""A fuzz test (hypothesis) over the config's overrides: every generated command line either runs or
is refused with one line naming the key; none crashes with a traceback, and none is half-refused.

Each example overrides a few parameters (any sourced parameter of conf/, a scenario field, an ensemble
setting) with values drawn in range, out of range, of the wrong type or absurd. A refusal must be a
ConfigError of one line that names the key; an accepted config must run a short war to its end.
"""

from __future__ import annotations

import functools
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import ConfigError, ConflictModel, load_config
from sim.config.schema import iter_params

logging.getLogger("MESA").setLevel(logging.WARNING)


OTHER = ["scenario.horizon_days", "scenario.force_commitment", "scenario.war_aims", "scenario.opening",
         "ensemble.n", "ensemble.seed", "ensemble.chunk_size", "ensemble.executor"]  # fmt: skip
WEIRD = ["nan", "inf", "-inf", "-1", "0", "1e30", "abc", "''", "[1,2]", "true", "null", "{a: 1}"]


@functools.cache
def base():
    """The shipped config, composed on first use (not when pytest collects this file on every worker)."""
    return load_config()


@functools.cache
def sourced() -> tuple[str, ...]:
    """Every sourced parameter of conf/."""
    return tuple(sorted(k for k, _ in iter_params(base())))


def _range(key: str) -> tuple[float, float]:
    node = base()
    for part in key.split("."):
        node = node[part]
    lo, hi = node.range
    return float(lo), float(hi)


@st.composite
def command_lines(draw):
    n = draw(st.integers(1, 3))
    words = []
    for _ in range(n):
        params = sourced()
        key = draw(st.sampled_from([*params, *OTHER]))
        if draw(st.booleans()) and key in params:
            lo, hi = _range(key)
            value = repr(lo + draw(st.floats(0.0, 1.0)) * (hi - lo))
        else:
            value = draw(st.sampled_from(WEIRD))
        words.append(f"{key}.value={value}" if key in params else f"{key}={value}")
    return words


@pytest.mark.slow  # 40 composed configs, each running a short war when accepted
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=command_lines())
def test_every_override_runs_or_is_one_line_naming_its_key(words):
    try:
        cfg = load_config(overrides=["scenario.horizon_days=6", *words])
    except ConfigError as exc:
        msg = str(exc)
        assert "\n" not in msg, msg
        named = [w.split("=", 1)[0].removesuffix(".value") for w in words]
        assert any(k.split(".")[-1] in msg for k in named) or "scenario" in msg, (words, msg)
        return
    model = ConflictModel(cfg, rng=1)
    model.run_model()
    assert model.outcome["duration_days"] >= 1
