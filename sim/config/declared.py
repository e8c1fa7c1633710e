"""What conf/ declares for each sourced parameter: its range, its value and its source.

A parameter's range is part of its source record, so a config may change a
value but never a range (sim.config.schema checks this). The declared value
and source also tell which parameters a scenario or a user has set on purpose:
those are levers, held fixed when the other, uncertain parameters are drawn
(sim.config.uncertainty).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from sim.config.paths import (
    CONF_DIR,  # the package's conf/ or a user's folder
    read_conf_file,
)

#: The groups of conf/ whose files declare the sourced parameters, each with its range.
PARAM_GROUPS = ("belligerents", "powers", "mediator", "combat", "decisions", "diplomacy")
RANGE_FIXED = "ranges are part of the source record; change the YAML file"


@dataclass(frozen=True)
class Declared:
    """One parameter as a group file of conf/ declares it."""

    low: float
    high: float
    value: float
    source: str
    file: str


@functools.cache
def declared_params() -> dict[str, tuple[Declared, ...]]:
    """Every sourced parameter of conf/<group>/*.yaml: dotted key -> its declarations (one per file)."""
    out: dict[str, list[Declared]] = {}

    def walk(node: Any, key: str, file: str) -> None:
        if isinstance(node, dict) and "range" in node and "value" in node:
            rng = node["range"]
            if isinstance(rng, list) and len(rng) == 2:
                d = Declared(float(rng[0]), float(rng[1]), float(node["value"]), str(node.get("source", "")), file)
                out.setdefault(key, []).append(d)
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{key}.{k}", file)

    for group in PARAM_GROUPS:
        for path in sorted((CONF_DIR / group).glob("*.yaml")):
            walk(read_conf_file(path), group, f"conf/{group}/{path.name}")
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def declared_ranges() -> dict[str, dict[tuple[float, float], str]]:
    """The range each sourced parameter is declared with: key -> {(lo, hi): file} (read-only: it is
    built once, as `declared_params` is, and every config check asks for it once per parameter)."""
    return {k: {(d.low, d.high): d.file for d in ds} for k, ds in declared_params().items()}


#: What a parameter's number rests on, read from its source text (docs/parameters.md counts them):
#: a judgement says so ("model assumption", "model judgement", a counterfactual), a dataset is
#: named (SIPRI, Global Firepower, Dupuy, a census, docs/sources.md, an official figure), a quote
#: is a passage of the source document in single quotes.
SOURCE_CLASSES = ("quote", "dataset", "judgement")
_JUDGEMENT = re.compile(r"model (assumption|judgement)|counterfactual", re.IGNORECASE)
_DATASET = re.compile(
    r"SIPRI|Global Firepower|World Bank|census|Dupuy|Crisis Group|docs/sources\.md|Database|statistics|"
    r"Military Balance|official",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"(^|[\s(;:,])'.{8,}?'(?=$|[\s.,;:)])")


def source_class(source: str) -> str | None:
    """The class of a source text: judgement, dataset or quote (in that order of precedence); None if none.

    A judgement comes first because it is the weakest footing: a source that
    calls its number a model judgement is one, whatever it cites as context.
    """
    if _JUDGEMENT.search(source):
        return "judgement"
    if _DATASET.search(source):
        return "dataset"
    if _QUOTE.search(source):
        return "quote"
    return None
