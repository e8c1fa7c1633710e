"""The parameter card: docs/parameters.md, generated from the composed configuration.

The card is how a reader checks where each number of the model comes from, so
it must never drift from conf/: it is written only by this module, from the
same validated config the model runs on (`sim.load_config`), and a test fails
when the committed file differs from what this module produces now.

    python -m sim.config.paramcard            # (re)write docs/parameters.md
    python -m sim.config.paramcard --check    # exit 1 with one line if it is stale
    card_frame(load_config("april_2016"))   # the card of any scenario, as a DataFrame
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from sim.config.declared import SOURCE_CLASSES, source_class
from sim.config.loading import DEFAULT_SCENARIO, load_config
from sim.config.schema import MEDIATORS, ConfigError, iter_params
from sim.config.theatre import SECTOR_RANGES
from sim.files import atomic_write_text

CARD_PATH = Path(__file__).resolve().parents[2] / "docs" / "parameters.md"
COMMAND = "python -m sim.config.paramcard"

#: Sections of the card, in order: config group -> heading.
GROUP_TITLES = {
    "belligerents": "Belligerents",
    "powers": "Outside powers",
    "mediator": "Mediator",
    "combat": "Combat (sim/rules/combat.py)",
    "decisions": "Decisions (sim/rules/decisions.py)",
    "diplomacy": "Diplomacy (sim/rules/diplomacy.py)",
}

#: Meaning and unit of each sector attribute (their ranges are sim.config.schema.SECTOR_RANGES).
SECTOR_UNITS = {
    "area_km2": "km2",
    "ruggedness": "0-1: 0 flat open ground, 1 rugged-mixed (Dupuy terrain factor interpolated)",
    "fortification": "0-1: 0 hasty defence, 1 fortified defence (Dupuy posture factor interpolated)",
    "population": "residents",
    "strategic_value": "share of its region's total strategic value (relative weight)",
    "garrison": "share of the region's defender forces stationed here at the start",
}

PARAM_COLUMNS = ["group", "actor", "parameter", "key", "value", "unit", "range_min", "range_max", "source"]


def fmt(x: Any) -> str:
    """A number as the card prints it: up to 10 significant digits, thousands separated."""
    return format(float(x), ",.10g")


def cell(text: Any) -> str:
    """Text made safe for a Markdown table cell (one line, escaped pipes)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def param_rows(cfg: Any) -> list[dict]:
    """One record per sourced parameter, in config order."""
    rows = []
    for key, p in iter_params(cfg):
        parts = key.split(".")
        group = parts[0]
        actor = parts[1] if group in ("belligerents", "powers") else (MEDIATORS[0] if group == "mediator" else "")
        lo, hi = (float(x) for x in p.range)
        rows.append(
            {
                "group": group,
                "actor": actor,
                "parameter": parts[-1],
                "key": key,
                "value": float(p.value),
                "unit": str(p.unit),
                "range_min": lo,
                "range_max": hi,
                "source": str(p.source),
            }
        )
    return rows


def tie_rows(cfg: Any) -> list[dict]:
    """One record per tie of the directed, weighted tie graph."""
    return [
        {
            "key": key,
            "actor": t.actor,
            "partner": t.partner,
            "kind": t.kind,
            "weight": float(t.weight),
            "range": [float(x) for x in t.range],
            "scope": t.scope,
            "source": str(t.source),
        }
        for key, t in cfg.ties.items()
    ]


def sector_rows(cfg: Any) -> list[dict]:
    """One record per theatre sector."""
    rows = []
    for name, s in cfg.theatre.sectors.items():
        row = {"name": name, "region": s.region, "controller": s.controller}
        row.update({attr: float(s[attr]) for attr in SECTOR_RANGES})
        row.update(
            {"line_of_contact": bool(s.line_of_contact), "iran_border": bool(s.iran_border), "source": str(s.source)}
        )
        rows.append(row)
    return rows


def card_frame(cfg: Any = None) -> pd.DataFrame:
    """The sourced parameters of a config (baseline if None) as a table, one row each."""
    cfg = load_config() if cfg is None else cfg
    return pd.DataFrame(param_rows(cfg), columns=PARAM_COLUMNS)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _param_table(rows: list[dict]) -> list[str]:
    return _table(
        ["key", "value", "unit", "allowed range", "source"],
        [
            [
                f"`{r['key']}`",
                fmt(r["value"]),
                r["unit"],
                f"{fmt(r['range_min'])} to {fmt(r['range_max'])}",
                r["source"],
            ]
            for r in rows
        ],
    )


def _actor_note(cfg: Any, group: str, actor: str) -> str:
    if group == "belligerents":
        return f"regime: {cfg.belligerents[actor].regime}"
    if group == "powers":
        spec = cfg.powers[actor]
        return "peacekeepers: " + ("yes" if spec.peacekeepers else "no") + ("; abstains" if spec.abstains else "")
    return ""


def _scenario_lines(cfg: Any) -> list[str]:
    sc = cfg.scenario
    rows = [
        ["`scenario.start_date`", sc.start_date],
        ["`scenario.horizon_days`", f"{sc.horizon_days} days"],
        ["`scenario.war_aims`", sc.war_aims],
        ["`scenario.opening`", sc.opening],
        ["`scenario.targets`", ", ".join(sc.targets) or "none"],
        [
            "`scenario.force_commitment`",
            f"{fmt(sc.force_commitment)} (share of the attacker's troops, armour and artillery committed each day)",
        ],
    ]
    return [f"## Scenario: {sc.name}", "", cell(sc.description), "", *_table(["key", "value"], rows)]


def _theatre_lines(cfg: Any) -> list[str]:
    rows = sector_rows(cfg)
    yes = {True: "yes", False: "no"}
    lines = ["## Theatre sectors", "", cell(cfg.theatre.source), ""]
    lines += _table(
        ["attribute", "unit", "allowed range"],
        [[f"`{a}`", SECTOR_UNITS[a], f"{fmt(lo)} to {fmt(hi)}"] for a, (lo, hi) in SECTOR_RANGES.items()],
    )
    lines += _table(
        [
            "name",
            "region",
            "controller",
            "area km2",
            "ruggedness",
            "fortification",
            "population",
            "strategic value",
            "garrison share",
            "line of contact",
            "borders Iran",
            "source",
        ],
        [
            [
                f"`{r['name']}`",
                r["region"],
                r["controller"],
                fmt(r["area_km2"]),
                fmt(r["ruggedness"]),
                fmt(r["fortification"]),
                fmt(r["population"]),
                fmt(r["strategic_value"]),
                fmt(r["garrison"]),
                yes[r["line_of_contact"]],
                yes[r["iran_border"]],
                r["source"],
            ]
            for r in rows
        ],
    )
    by_region: dict[str, float] = {}
    for r in rows:
        by_region[r["region"]] = by_region.get(r["region"], 0.0) + r["area_km2"]
    parts = ", ".join(f"{region} {fmt(km2)}" for region, km2 in by_region.items())
    lines += [f"Total area {fmt(sum(by_region.values()))} km2 ({parts}).", ""]
    links = ", ".join(f"{a}-{b}" for a, b in cfg.theatre.links)
    return lines + [f"Adjacent sectors (`theatre.links`): {links}.", ""]


def _class_lines(params: list[dict]) -> list[str]:
    """How many parameters rest on each class of source, and the judgements listed with their reasoning."""
    classes = [source_class(str(r["source"])) or "unclassified" for r in params]
    counts = ", ".join(f"{classes.count(c)} {c}" for c in (*SOURCE_CLASSES, "unclassified") if classes.count(c))
    judgements = [r for r, c in zip(params, classes, strict=True) if c == "judgement"]
    lines = [
        "## Sources by class",
        "",
        f"{counts}. A *quote* rests on a passage of the source document, a *dataset* on a named dataset or "
        "publication (SIPRI, Global Firepower, Dupuy, docs/sources.md), a *judgement* on the modeller's "
        "reasoning, stated in its source (sim.config.declared.source_class reads the class from the text; "
        "`tests/test_source_classes.py` fails on a source of no class). Every parameter is uncertain over "
        "its range: `ensemble.parameters=ranges` draws them all, docs/uncertainty.md. The judgements:",
        "",
    ]
    lines += _table(
        ["key", "value", "range", "reasoning"],
        [
            [f"`{r['key']}`", fmt(r["value"]), f"{fmt(r['range_min'])} to {fmt(r['range_max'])}", r["source"]]
            for r in judgements
        ],
    )
    return lines


def render(cfg: Any) -> str:
    """The whole card as Markdown; the same config always gives the same text."""
    params = param_rows(cfg)
    ties = tie_rows(cfg)
    lines = [
        "# Parameter card",
        "",
        f"<!-- Generated by `{COMMAND}` from conf/. Do not edit: change conf/ and regenerate. -->",
        "",
        f"Generated by `{COMMAND}` (or `make paramcard`) from the composed baseline configuration "
        f"(`sim.load_config()`, scenario `{cfg.scenario.name}`). Do not edit this file by hand: change the "
        "YAML under `conf/` and regenerate it; `tests/test_paramcard.py` fails when it is stale.",
        "",
        f"{len(params)} sourced parameters, {len(ties)} ties and {len(cfg.theatre.sectors)} sectors. Every "
        "parameter has a value, a unit, an allowed range (values outside it are refused on load) and a source: "
        "a quote from the source document, a named dataset and year, or a stated model assumption. "
        "The equations that use them are in [model.md](model.md). Any value can be overridden, e.g. "
        '`load_config(overrides=["belligerents.azerbaijan.uavs.value=40"])` or the same string on the '
        "command line of `experiments/run.py`; the named scenarios in `conf/scenario/` override some of them.",
        "",
        *_class_lines(params),
        *_scenario_lines(cfg),
    ]
    for group, title in GROUP_TITLES.items():
        rows = [r for r in params if r["group"] == group]
        lines += [f"## {title}", ""]
        actors = list(dict.fromkeys(r["actor"] for r in rows)) if group in ("belligerents", "powers") else [None]
        for actor in actors:
            if actor is not None:
                lines += [f"### {actor} ({_actor_note(cfg, group, actor)})", ""]
            elif group == "mediator":
                lines += [f"The mediating institution: `{MEDIATORS[0]}`.", ""]
            lines += _param_table([r for r in rows if actor is None or r["actor"] == actor])
    lines += [
        "## Ties",
        "",
        "A directed, weighted graph: `actor` holds the tie towards `partner`; `scope` says "
        "where an alliance guarantee applies. Weights are 0-1; the range is the span the evidence allows "
        "(a what-if may set a weight outside it).",
        "",
    ]
    lines += _table(
        ["key", "actor", "partner", "kind", "weight", "range", "scope", "source"],
        [
            [
                f"`{t['key']}`",
                t["actor"],
                t["partner"],
                t["kind"],
                fmt(t["weight"]),
                f"{fmt(t['range'][0])} to {fmt(t['range'][1])}",
                t["scope"],
                t["source"],
            ]
            for t in ties
        ],
    )
    lines += _theatre_lines(cfg)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_card(text: str, path: Path) -> None:
    """Write atomically (temporary file in the same folder, then rename): never half a card."""
    atomic_write_text(path, text)


def is_current(path: Path, text: str) -> bool:
    """Whether the file at `path` holds exactly `text`."""
    return path.is_file() and path.read_text(encoding="utf-8") == text


def main(argv: list[str] | None = None) -> int:
    """Command line: write the card, or with --check report whether it is stale."""
    parser = argparse.ArgumentParser(prog="python -m sim.config.paramcard", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the card differs from conf/")
    parser.add_argument("--output", type=Path, default=CARD_PATH, help="card file (default docs/parameters.md)")
    args = parser.parse_args(argv)
    try:
        text = render(load_config(DEFAULT_SCENARIO))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if is_current(args.output, text):
            return 0
        print(f"error: {args.output} is stale or missing; regenerate it with `{COMMAND}`", file=sys.stderr)
        return 1
    try:
        write_card(text, args.output)
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
