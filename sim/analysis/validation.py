"""Backtests: known figures of past episodes against statistics of ensemble tables.

A backtest target names a statistic of the `runs` or `daily` table of an
ensemble (one value per run), an observed range from the record, and a rule
for when the model agrees with it. The rules are fixed before the comparison
and say nothing about how good the model is; they only say what "agrees" means:

- ``overlap``: the observed range overlaps the model's 5-95% range of the
  statistic (a numeric figure the model should be able to produce);
- ``share_inside``: at least ``min_share`` of the runs fall inside the observed
  range (an event the record reports as having happened, e.g. "no sector changed
  hands"); the share carries a 95% Wilson interval;
- ``median_inside``: the model's median lies in the observed range (a typical
  run must look like the record, e.g. an exchange ratio of about 0.76).

Pure pandas/numpy over the tables; episodes are parsed from plain mappings (the
YAML files in conf/backtest/), and every bad entry is one `BacktestError` line
naming the file and key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.analysis.stats import wilson
from sim.config.paths import CONF_DIR

BACKTEST_DIR = CONF_DIR / "backtest"
RULES = ("overlap", "share_inside", "median_inside")
TABLES = ("runs", "daily")
#: Quantiles that make the model's range (5-95%).
LOW_Q, HIGH_Q = 0.05, 0.95


class BacktestError(ValueError):
    """A backtest file or table that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Statistic:
    """How to read one value per run from the ensemble tables.

    table: "runs" or "daily"; columns: summed (numeric) or, with `one_of` or
    `count_items`, a single column; day (daily only): the value on that day, or
    on the run's last day if it ended earlier (None: the last day);
    count_items: number of names in a comma-joined string (e.g. sectors_taken);
    one_of: 1.0 if the value is one of these, else 0.0 (categorical outcomes);
    per: the sum of `columns` divided by the sum of these (a ratio, e.g. an
    exchange ratio of deaths; NaN for a run whose denominator is 0).
    """

    table: str
    columns: tuple[str, ...]
    day: int | None = None
    count_items: bool = False
    one_of: tuple[str, ...] | None = None
    per: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Target:
    """A known figure: its statistic, observed range (None = open end) and rule."""

    name: str
    label: str
    unit: str
    statistic: Statistic
    observed: tuple[float | None, float | None]
    rule: str
    min_share: float
    claimed: bool
    source: str
    use: str = "check"  # fit: make calibrate matches it; check: held out to test the fit (fixed in the YAML)


#: How a target serves calibration: fitted to, or held out as the check of the fit.
USES = ("fit", "check")


@dataclass(frozen=True)
class DistrictRecord:
    """Which districts changed hands in an episode: taken in the fighting, or handed over at its end.

    Not a target (a run's districts are not scored): the sector-control map draws it beside the
    model's share of runs in which each district changed hands.
    """

    taken: tuple[str, ...]
    handed_over: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Episode:
    """A historical episode: the scenario that models it and the targets it must meet."""

    name: str
    scenario: str
    description: str
    overrides: tuple[str, ...]
    targets: tuple[Target, ...]
    districts: DistrictRecord | None = None


# --- parsing ---------------------------------------------------------------------------
def _need(m: Mapping, key: str, where: str, kind=None):
    if not isinstance(m, Mapping) or key not in m:
        raise BacktestError(f"{where}.{key}: missing")
    value = m[key]
    if kind is not None and not isinstance(value, kind):
        raise BacktestError(f"{where}.{key}: expected {getattr(kind, '__name__', kind)}, got {value!r}")
    return value


def _bound(value, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise BacktestError(f"{where}: expected a number or null, got {value!r}")
    return float(value)


def parse_statistic(m: Mapping, where: str) -> Statistic:
    table = _need(m, "table", where, str)
    if table not in TABLES:
        raise BacktestError(f"{where}.table: '{table}' is not allowed; expected one of {', '.join(TABLES)}")
    cols = _need(m, "columns", where, list)
    if not cols or not all(isinstance(c, str) for c in cols):
        raise BacktestError(f"{where}.columns: expected a non-empty list of column names, got {cols!r}")
    day = m.get("day")
    if day is not None and (table != "daily" or isinstance(day, bool) or not isinstance(day, int) or day < 1):
        raise BacktestError(f"{where}.day: {day!r} is not allowed; expected a day >= 1 of the daily table, or null")
    one_of = m.get("one_of")
    if one_of is not None and (not isinstance(one_of, list) or not one_of):
        raise BacktestError(f"{where}.one_of: expected a non-empty list of values, got {one_of!r}")
    count_items = bool(m.get("count_items", False))
    if (one_of is not None or count_items) and len(cols) != 1:
        raise BacktestError(f"{where}.columns: one_of and count_items read exactly one column, got {cols!r}")
    per = m.get("per")
    if per is not None and (not isinstance(per, list) or not per or not all(isinstance(c, str) for c in per)):
        raise BacktestError(f"{where}.per: expected a non-empty list of column names, got {per!r}")
    if per is not None and (one_of is not None or count_items):
        raise BacktestError(
            f"{where}.per: a ratio reads numeric columns; it cannot be combined with one_of or count_items"
        )
    unknown = set(m) - {"table", "columns", "day", "one_of", "count_items", "per"}
    if unknown:
        raise BacktestError(
            f"{where}.{sorted(unknown)[0]}: unknown key; allowed table, columns, day, one_of, count_items, per"
        )
    return Statistic(
        table,
        tuple(cols),
        day,
        count_items,
        tuple(str(v) for v in one_of) if one_of else None,
        tuple(per) if per else None,
    )


def parse_target(m: Mapping, where: str) -> Target:
    name = _need(m, "name", where, str)
    where = f"{where}[{name}]"
    observed = _need(m, "observed", where, list)
    if len(observed) != 2:
        raise BacktestError(f"{where}.observed: expected [lo, hi], got {observed!r}")
    lo, hi = (_bound(v, f"{where}.observed") for v in observed)
    if lo is None and hi is None:
        raise BacktestError(f"{where}.observed: at least one end must be a number")
    if lo is not None and hi is not None and lo > hi:
        raise BacktestError(f"{where}.observed: [{lo}, {hi}] is empty; lo must not exceed hi")
    tol = _need(m, "tolerance", where, Mapping)
    rule = _need(tol, "rule", f"{where}.tolerance", str)
    if rule not in RULES:
        raise BacktestError(f"{where}.tolerance.rule: '{rule}' is not allowed; expected one of {', '.join(RULES)}")
    min_share = float(tol.get("min_share", 0.5))
    if not 0.0 < min_share <= 1.0:
        raise BacktestError(f"{where}.tolerance.min_share: {min_share} is out of range; allowed (0, 1]")
    return Target(
        name=name,
        label=str(_need(m, "label", where, str)),
        unit=str(_need(m, "unit", where, str)),
        statistic=parse_statistic(_need(m, "statistic", where, Mapping), f"{where}.statistic"),
        observed=(lo, hi),
        rule=rule,
        min_share=min_share,
        claimed=bool(_need(m, "claimed", where, bool)),
        source=str(_need(m, "source", where, str)),
        use=_use(m, where),
    )


def _use(m: Mapping, where: str) -> str:
    use = _need(m, "use", where, str)
    if use not in USES:
        raise BacktestError(f"{where}.use: '{use}' is not allowed; expected one of {', '.join(USES)}")
    return str(use)


def parse_episode(m: Mapping, where: str = "episode") -> Episode:
    if not isinstance(m, Mapping):
        raise BacktestError(f"{where}: expected a mapping of episode, scenario, targets")
    targets = _need(m, "targets", where, list)
    if not targets:
        raise BacktestError(f"{where}.targets: expected at least one target")
    parsed = tuple(parse_target(t, f"{where}.targets") for t in targets)
    names = [t.name for t in parsed]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise BacktestError(f"{where}.targets: duplicate target name {sorted(dup)[0]!r}")
    overrides = m.get("overrides") or []
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        raise BacktestError(f"{where}.overrides: expected a list of Hydra override strings, got {overrides!r}")
    return Episode(
        name=str(_need(m, "episode", where, str)),
        scenario=str(_need(m, "scenario", where, str)),
        description=str(m.get("description", "")),
        overrides=tuple(overrides),
        targets=parsed,
        districts=parse_districts(m["districts"], f"{where}.districts") if m.get("districts") is not None else None,
    )


def parse_districts(m: Mapping, where: str) -> DistrictRecord:
    """An episode's `districts` block: taken and handed_over (lists of sector names) and a source."""
    if not isinstance(m, Mapping):
        raise BacktestError(f"{where}: expected a mapping of taken, handed_over, source")
    unknown = set(m) - {"taken", "handed_over", "source"}
    if unknown:
        raise BacktestError(f"{where}.{sorted(unknown)[0]}: unknown key; allowed taken, handed_over, source")
    lists = {}
    for key in ("taken", "handed_over"):
        names = m.get(key) or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise BacktestError(f"{where}.{key}: expected a list of sector names, got {names!r}")
        lists[key] = tuple(names)
    both = set(lists["taken"]) & set(lists["handed_over"])
    if both:
        raise BacktestError(f"{where}: {sorted(both)[0]!r} is both taken and handed over")
    return DistrictRecord(lists["taken"], lists["handed_over"], str(_need(m, "source", where, str)))


def load_episode(path: Path) -> Episode:
    """Parse one backtest file (conf/backtest/<episode>.yaml)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise BacktestError(f"{path}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise BacktestError(f"{path}: malformed YAML ({str(exc).splitlines()[0]})") from exc
    return parse_episode(data, path.name)


def episodes(folder: Path = BACKTEST_DIR) -> dict[str, Episode]:
    """All episodes of a folder, by name; parsed once while no file of it changes (a report asks for
    the record several times, the page at every step), each Episode immutable."""
    files = sorted(Path(folder).glob("*.yaml"))
    key = (str(folder), tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))
    if key not in _PARSED:
        _PARSED.clear()
        _PARSED[key] = {ep.name: ep for ep in map(load_episode, files)}
    return dict(_PARSED[key])


#: The last folder's episodes, by the names, modification times and sizes of its files.
_PARSED: dict[tuple, dict[str, Episode]] = {}


# --- statistics and comparison --------------------------------------------------------------
def statistic_values(stat: Statistic, runs: pd.DataFrame, daily: pd.DataFrame) -> pd.Series:
    """One value per run (indexed by replicate) of a statistic of the ensemble tables."""
    table = runs if stat.table == "runs" else daily
    missing = [c for c in (*stat.columns, *(stat.per or ()), "replicate") if c not in table.columns]
    if missing:
        raise BacktestError(f"statistic: column {missing[0]!r} is not in the {stat.table} table")
    if stat.table == "daily":
        rows = table if stat.day is None else table[table["day"] <= stat.day]
        rows = rows.sort_values(["replicate", "day"]).groupby("replicate", sort=True).tail(1)
    else:
        rows = table
    rows = rows.set_index("replicate").sort_index()
    if stat.one_of is not None:
        values = rows[stat.columns[0]].astype(str).isin(stat.one_of).astype(float)
    elif stat.count_items:
        values = rows[stat.columns[0]].fillna("").astype(str).map(lambda s: len([x for x in s.split(",") if x]))
    else:
        values = rows[list(stat.columns)].astype(float).sum(axis=1)
        if stat.per is not None:
            denominator = rows[list(stat.per)].astype(float).sum(axis=1)
            values = values / denominator.where(denominator > 0)
    return values.astype(float).rename(None)


def inside(values: np.ndarray, observed: tuple[float | None, float | None]) -> np.ndarray:
    """Whether each value lies in the observed range (None = open end)."""
    lo, hi = observed
    ok = np.ones(len(values), dtype=bool)
    if lo is not None:
        ok &= values >= lo
    if hi is not None:
        ok &= values <= hi
    return ok


def overlaps(observed: tuple[float | None, float | None], p_lo: float, p_hi: float) -> bool:
    """Whether [p_lo, p_hi] overlaps the observed range."""
    lo, hi = observed
    return (lo is None or p_hi >= lo) and (hi is None or p_lo <= hi)


def compare(values: pd.Series | np.ndarray, target: Target) -> dict:
    """One row of the backtest table: the model's median, 5-95% range, share inside, verdict."""
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        raise BacktestError(f"{target.name}: no runs to compare")
    v = v[np.isfinite(v)]  # a ratio is undefined in a run whose denominator is 0: such runs are left out
    if len(v) == 0:
        p5 = med = p95 = math.nan
        k, share, ci_lo, ci_hi = 0, math.nan, math.nan, math.nan
        passes = False
    else:
        p5, med, p95 = np.quantile(v, [LOW_Q, 0.5, HIGH_Q])
        k = int(inside(v, target.observed).sum())
        ci = wilson(k, len(v), 0.95)  # scipy's binomtest(...).proportion_ci(method="wilson"), without its import
        share, ci_lo, ci_hi = k / len(v), ci.low, ci.high
        if target.rule == "overlap":
            passes = overlaps(target.observed, p5, p95)
        elif target.rule == "median_inside":
            passes = bool(inside(np.array([med]), target.observed)[0])
        else:
            passes = share >= target.min_share
    lo, hi = target.observed
    return {
        "target": target.name,
        "label": target.label,
        "unit": target.unit,
        "observed_lo": np.nan if lo is None else lo,
        "observed_hi": np.nan if hi is None else hi,
        "model_median": float(med),
        "model_p5": float(p5),
        "model_p95": float(p95),
        "share_inside": share,
        "share_ci_lo": ci_lo,
        "share_ci_hi": ci_hi,
        "runs": len(v),
        "rule": f"share_inside>={target.min_share:g}" if target.rule == "share_inside" else target.rule,
        "claimed": target.claimed,
        "use": target.use,
        "passes": bool(passes),
    }


def backtest(episode: Episode, runs: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """The backtest table of one episode from its ensemble's tables."""
    rows = [compare(statistic_values(t.statistic, runs, daily), t) for t in episode.targets]
    table = pd.DataFrame(rows)
    table.insert(0, "episode", episode.name)
    return table


def format_range(lo: float, hi: float) -> str:
    """An observed range as text: '32', '[8, 20]', '>= 101', '<= 7'."""

    def num(x: float) -> str:
        return f"{x:g}"

    if np.isnan(lo):
        return f"<= {num(hi)}"
    if np.isnan(hi):
        return f">= {num(lo)}"
    return num(lo) if lo == hi else f"[{num(lo)}, {num(hi)}]"


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The backtest table as printed: target, observed range, median, 5-95%, share, verdict."""
    out = pd.DataFrame(
        {
            "episode": table["episode"],
            "target": table["target"],
            "observed": [
                format_range(lo, hi) for lo, hi in zip(table["observed_lo"], table["observed_hi"], strict=True)
            ],
            "model median": table["model_median"].map(lambda x: f"{x:.3g}"),
            "model 5-95%": [f"[{a:.3g}, {b:.3g}]" for a, b in zip(table["model_p5"], table["model_p95"], strict=True)],
            "share inside (95% CI)": [
                f"{s:.2f} ({a:.2f}-{b:.2f})"
                for s, a, b in zip(table["share_inside"], table["share_ci_lo"], table["share_ci_hi"], strict=True)
            ],
            "rule": table["rule"],
            "claimed": table["claimed"].map({True: "yes", False: "no"}),
            "use": table["use"],
            "inside tolerance": table["passes"].map({True: "yes", False: "NO"}),
        }
    )
    return out


def claimed_failures(table: pd.DataFrame) -> list[str]:
    """Targets claimed to pass that do not: '<episode>/<target>'."""
    bad = table[table["claimed"] & ~table["passes"]]
    return [f"{e}/{t}" for e, t in zip(bad["episode"], bad["target"], strict=True)]
