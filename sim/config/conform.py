"""Conform a composed config to the schema: defaults filled in, values converted, keys in the schema's order.

Hydra composes conf/ as plain YAML; `conform` then walks the result against
the schema's dataclasses (sim.config.schema.Config) and gives the config the
typed schema would: a key the schema does not define is refused, a key it
leaves out takes its default, a number is converted as OmegaConf's typed
nodes convert it (1 to 1.0 for a float, '5' to 5 for an integer, 'yes' to
true, 7 to '7' for a string) and anything else is refused in one line naming
the key. Typing the files through Hydra's ConfigStore does the same during
composition, at about twice the cost of composing them, and a command line
composes three times; the walk over a plain container takes a few milliseconds.

`Snapshot` is a plain nested copy read like a config (attributes or keys): the
checks of sim.config.schema, the model's set-up (sim.model.conflict), the
runner's point configs (sim.runs.chunks) and the command line's check read
plain copies, because making or reading an OmegaConf node costs microseconds a node.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import MISSING as NO_DEFAULT
from dataclasses import asdict, fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

from omegaconf import MISSING

from sim.config.errors import ConfigError, did_you_mean


class Snapshot(dict):
    """A plain nested copy of a config, read like one (attributes or keys)."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def plain(x: Any) -> Any:
    """A plain container (dicts, lists, values) as nested Snapshots."""
    if isinstance(x, dict):
        return Snapshot({k: plain(v) for k, v in x.items()})
    if isinstance(x, list):
        return [plain(v) for v in x]
    return x


def first_missing(node: Any, key: str = "") -> str | None:
    """The first key, in sorted order, whose value is `???` (MISSING) in a plain container; None if none."""
    found: list[str] = []

    def walk(n: Any, k: str) -> None:
        if isinstance(n, dict):
            for name, v in n.items():
                walk(v, f"{k}.{name}" if k else str(name))
        elif isinstance(n, list):
            for i, v in enumerate(n):
                walk(v, f"{k}[{i}]")
        elif n == MISSING and isinstance(n, str):
            found.append(k)

    walk(node, key)
    return min(found) if found else None


@functools.cache
def _hints(spec: type) -> dict[str, Any]:
    """The field types of a schema dataclass (typing works them out afresh on every call; they never change)."""
    return get_type_hints(spec)


_TYPE_NAMES = {float: "a number", int: "an integer", str: "a string", bool: "true or false"}
_TRUE, _FALSE = ("y", "yes", "on", "true", "1"), ("n", "no", "off", "false", "0")


def _value(node: Any, spec: type, where: str) -> Any:
    """A value converted to its field's type as OmegaConf's typed nodes convert it, or ConfigError."""
    kind = type(node)
    if spec is float and kind in (float, int, str):
        try:
            return float(node)
        except ValueError:
            pass
    elif spec is int and kind in (int, str):
        try:
            return int(node)
        except ValueError:
            pass
    elif spec is bool:
        if kind is bool:
            return node
        if kind is int:
            return node != 0
        if kind is str and node.lower() in _TRUE + _FALSE:
            return node.lower() in _TRUE
    elif spec is str and kind in (str, int, float, bool):
        return str(node)
    raise ConfigError(f"{where}: expected {_TYPE_NAMES[spec]}, got {node!r}")


def conform(node: Any, spec: Any, key: str = "") -> Any:
    """The plain container `node` as the typed schema `spec` gives it, or ConfigError naming the first key that
    does not fit (see the module docstring)."""
    where = key or "config"
    if is_dataclass(spec) and isinstance(spec, type):
        if not isinstance(node, dict):
            if spec.__name__ == "Param":
                raise ConfigError(f"{where}: a parameter is set through its value: write {key}.value=<number>")
            names = ", ".join(f.name for f in fields(spec))
            raise ConfigError(f"{where}: expected a mapping with keys {names}, got {node!r}")
        hints = _hints(spec)
        for k in node:
            if k not in hints:
                raise ConfigError(
                    f"{key + '.' if key else ''}{k}: unknown key{did_you_mean(k, hints)}; allowed: {', '.join(hints)}"
                )
        out = {}
        for f in fields(spec):
            inner = f"{key}.{f.name}" if key else f.name
            if f.name in node:
                out[f.name] = conform(node[f.name], hints[f.name], inner)
            elif f.default_factory is not NO_DEFAULT:
                made = f.default_factory()
                if is_dataclass(made) and not isinstance(made, type):
                    made = asdict(made)
                out[f.name] = conform(made, hints[f.name], inner)
            elif f.default is MISSING or f.default is NO_DEFAULT:
                raise ConfigError(f"{inner}: no value given (??? in the config); set it in its file or as an override")
            else:
                out[f.name] = copy.copy(f.default)
        return out
    origin = get_origin(spec)
    if origin is dict:
        if not isinstance(node, dict):
            raise ConfigError(f"{where}: expected a mapping, got {node!r}")
        inner_spec = get_args(spec)[1]
        return {k: conform(v, inner_spec, f"{key}.{k}") for k, v in node.items()}
    if origin is list:
        if not isinstance(node, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {node!r}")
        inner_spec = get_args(spec)[0]
        return [conform(v, inner_spec, f"{key}[{i}]") for i, v in enumerate(node)]
    if spec in _TYPE_NAMES:
        return _value(node, spec, where)
    return node
