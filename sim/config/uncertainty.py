"""Parameter uncertainty: which parameters of a config are uncertain, and drawing them per replicate.

An ensemble's spread with every parameter fixed is chance alone (the Monte
Carlo interval). The parameters themselves are uncertain too: each is declared
with a range in conf/. With `ensemble.parameters=ranges` every replicate draws
its own values, so the ensemble's spread is chance and parameters together (the
prior interval: everything the declared ranges allow); `posterior` draws the
calibrated parameters from a posterior file written by `make calibrate` and
holds the rest at their declared values, as the calibration did (the total
interval of a model fitted to the record).

Which parameters are drawn: every sourced parameter whose value and source are
the ones conf/'s group files declare, and the terrain judgements of each
sector (ruggedness, fortification) that the theatre file gives a range for. A
value a scenario, a sweep point or the command line sets is a lever, held
fixed: `turkey_intervenes` stays a Turkey ready to fight.

The draw is triangular on [low, high] with its mode at the declared value: the
declared value is the best estimate the source supports and the range the
span it allows, so values near the estimate are likelier than the ends (a
uniform draw would treat a bound as likely as the estimate). Draws come from a
stream of their own (sim.runs.chunks spawns it from the replicate's seed), so
the model's chance stream is the same as with fixed parameters: fixed and
drawn ensembles are paired replicate by replicate.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import OmegaConf

from sim.config.declared import CONF_DIR, declared_params
from sim.config.errors import ConfigError
from sim.config.paths import read_conf_file
from sim.config.schema import PARAMETER_MODES, SHIPPED_POSTERIOR, iter_params

#: Sector attributes drawn with the parameters (terrain judgements with a declared range).
SECTOR_DRAWN = ("ruggedness", "fortification")


@dataclass(frozen=True)
class Uncertain:
    """One uncertain number: where it sits in the config, its declared range and best estimate."""

    key: str  # dotted path to the number, e.g. combat.attrition_rate.value or theatre.sectors.shusha.fortification
    low: float
    mode: float
    high: float


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@functools.cache
def _theatre_files() -> dict[str, set[float]]:
    """The values each sector attribute has in the theatre files of conf/: 'sector.attr' -> {value, ...}."""
    out: dict[str, set[float]] = {}
    for path in sorted((CONF_DIR / "theatre").glob("*.yaml")):
        sectors = (read_conf_file(path) or {}).get("sectors") or {}
        for name, s in sectors.items():
            for attr in SECTOR_DRAWN:
                if attr in s:
                    out.setdefault(f"{name}.{attr}", set()).add(float(s[attr]))
    return out


def uncertain_parameters(cfg: Any) -> list[Uncertain]:
    """The config's uncertain numbers, in a fixed order (the order of the draws).

    Sourced parameters first (as sim.config.schema.iter_params yields them),
    then the sectors' terrain. A parameter whose value or source differs from
    every declaration in conf/ was set on purpose and is left out (held).
    """
    declared = declared_params()
    out: list[Uncertain] = []
    for key, p in iter_params(cfg):
        value, source = float(p.value), str(p.get("source", ""))
        lo, hi = float(p.range[0]), float(p.range[1])
        if lo >= hi:
            continue
        if any(_same(d.value, value) and d.source == source for d in declared.get(key, ())):
            out.append(Uncertain(f"{key}.value", lo, value, hi))
    files = _theatre_files()
    for name, s in cfg.theatre.sectors.items():
        ranges = s.get("ranges") or {}
        for attr in SECTOR_DRAWN:
            if attr not in ranges:
                continue
            lo, hi = float(ranges[attr][0]), float(ranges[attr][1])
            value = float(s[attr])
            if lo < hi and any(_same(v, value) for v in files.get(f"{name}.{attr}", ())):
                out.append(Uncertain(f"theatre.sectors.{name}.{attr}", lo, value, hi))
    return out


def draw(params: list[Uncertain], rng: np.random.Generator) -> dict[str, float]:
    """One replicate's values: a triangular draw on [low, high] with its mode at the declared value."""
    lows = np.array([p.low for p in params])
    modes = np.array([p.mode for p in params])
    highs = np.array([p.high for p in params])
    values = rng.triangular(lows, modes, highs) if params else np.array([])
    return {p.key: float(v) for p, v in zip(params, values, strict=True)}


@dataclass(frozen=True)
class Posterior:
    """Calibrated parameter sets (one row each) with their weights, as `make calibrate` saves them."""

    keys: tuple[str, ...]
    values: np.ndarray  # rows x keys
    weights: np.ndarray  # rows, summing to 1

    def draw(self, rng: np.random.Generator) -> dict[str, float]:
        row = int(rng.choice(len(self.weights), p=self.weights))
        return {k: float(v) for k, v in zip(self.keys, self.values[row], strict=True)}


def posterior_path(path: str) -> Path:
    """The posterior file `ensemble.posterior` names: as given (relative to the working folder), else, for
    a relative path, the checkout's or the installed package's copy of it (the wheel ships the posterior)."""
    from importlib import resources

    given = Path(path)
    if given.is_file() or given.is_absolute():
        return given
    for root in (Path(__file__).resolve().parents[2], Path(str(resources.files("sim")))):
        if (root / given).is_file():
            return root / given
    return given


def read_posterior(path: str) -> Posterior:
    """A posterior file: a Parquet table, one column per dotted parameter key (…`.value`), optional `weight`.

    Read once per version of the file (its path, modification time and size): a
    calibration that rewrites the file in the same process is read afresh.
    """
    p = posterior_path(path)
    if not p.is_file():
        raise ConfigError(f"ensemble.posterior: no file {path}; run `make calibrate` to write one, or give its path")
    stat = p.stat()
    return _read_posterior(p, path, stat.st_mtime_ns, stat.st_size)


@functools.cache
def _read_posterior(p: Path, path: str, _mtime_ns: int, _size: int) -> Posterior:
    import pandas as pd

    try:
        table = pd.read_parquet(p)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same one-line error
        raise ConfigError(
            f"ensemble.posterior: {path} is not a readable Parquet table ({type(exc).__name__})"
        ) from None
    keys = tuple(c for c in table.columns if c != "weight")
    if not keys or len(table) == 0:
        raise ConfigError(f"ensemble.posterior: {path} holds no parameter sets")
    w = table["weight"].to_numpy(float) if "weight" in table.columns else np.ones(len(table))
    if not np.all(np.isfinite(w)) or (w < 0).any() or w.sum() <= 0:
        raise ConfigError(f"ensemble.posterior: {path} has weights that are not finite and >= 0")
    return Posterior(keys, table[list(keys)].to_numpy(float), w / w.sum())


@dataclass(frozen=True)
class ParameterDraws:
    """How a point's replicates choose their parameters (built once per point, used for each replicate)."""

    mode: str
    uncertain: tuple[Uncertain, ...]
    posterior: Posterior | None = None

    def values(self, rng: np.random.Generator) -> dict[str, float]:
        """The replicate's values: {} when fixed; every uncertain one from its range; or a posterior row.

        A posterior row sets the calibrated keys that are uncertain here (a lever the
        config holds stays held) and leaves the rest at their declared values: the
        posterior was fitted with them there, so it says nothing of other values.
        """
        if self.mode == "fixed":
            return {}
        if self.posterior is None:
            return draw(list(self.uncertain), rng)
        uncertain = {u.key for u in self.uncertain}
        return {k: v for k, v in self.posterior.draw(rng).items() if k in uncertain}


def parameter_draws(cfg: Any) -> ParameterDraws:
    """The draws a config's ensemble asks for (`ensemble.parameters`, `ensemble.posterior`)."""
    ens = cfg.ensemble
    mode = str(ens.get("parameters", "fixed"))
    if mode not in PARAMETER_MODES:
        raise ConfigError(f"ensemble.parameters: '{mode}' is not allowed; expected one of {', '.join(PARAMETER_MODES)}")
    if mode == "fixed":
        return ParameterDraws(mode, ())
    posterior = read_posterior(str(ens.get("posterior", ""))) if mode == "posterior" else None
    return ParameterDraws(mode, tuple(uncertain_parameters(cfg)), posterior)


def with_values(snapshot: Any, values: dict[str, float]) -> Any:
    """A copy of a plain config snapshot with the dotted keys set; only the dicts along each path are copied.

    A key along a path that the snapshot lacks is made, as OmegaConf.update makes it."""
    if not values:
        return snapshot
    root = type(snapshot)(snapshot)
    copied = {id(root)}
    for dotted, value in values.items():
        node = root
        parts = dotted.split(".")
        for part in parts[:-1]:
            if part not in node:
                child = node[part] = type(root)()
                copied.add(id(child))
            else:
                child = node[part]
                if id(child) not in copied:
                    child = node[part] = type(child)(child)
                    copied.add(id(child))
            node = child
        node[parts[-1]] = value
    return root


def check_posterior(cfg: Any) -> None:
    """Refuse in one line, before anything runs, a posterior file the ensemble needs that is not there.

    Only the shipped posterior may be missing, and only for a job's companion ensemble (`companion`
    then draws from the ranges and says so); a file the user named, or the one an ensemble drawing
    from the posterior reads, must exist.
    """
    ens = cfg.ensemble
    drawn = str(ens.parameters) == "posterior"
    if drawn or (str(ens.total) == "posterior" and str(ens.posterior) != SHIPPED_POSTERIOR):
        read_posterior(str(ens.posterior))


def companion(cfg: Any) -> tuple[Any, str, str] | None:
    """The config of a job's companion ensemble (parameters drawn), its mode and a note; None if it has none.

    A job with fixed parameters gets one (ensemble.total): `posterior` when the
    posterior file exists, else `ranges` with a note saying so; a job that already
    draws its parameters, or total=none, gets none.
    """
    ens = cfg.ensemble
    mode = str(ens.get("total", "none"))
    if mode == "none" or str(ens.get("parameters", "fixed")) != "fixed":
        return None
    note = ""
    if mode == "posterior" and not posterior_path(str(ens.posterior)).is_file():
        mode, note = (
            "ranges",
            f"no posterior at {ens.posterior} (make calibrate writes it): parameters from their ranges",
        )
    other = cfg.copy()
    OmegaConf.set_readonly(other, False)
    other.ensemble.parameters = mode
    return other, mode, note
