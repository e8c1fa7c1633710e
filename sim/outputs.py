"""The model's outputs, declared once: every column of the `runs` and `daily` tables.

A run produces one row of `runs` (`ConflictModel.outcome`, with the runner's
`seed` and `replicate`) and one row of `daily` per day (the reporters of
`sim.model.daily`). Each column is declared here with its table, unit and a
sentence saying what it measures and why; summaries, sensitivity outcomes,
discovery targets, plots, the report and docs/outputs.md read these
declarations instead of spelling column names again, and tests/test_outputs.py
fails when the model produces a column not declared here or declares one it
does not produce.

This module sits below every layer: it imports nothing of the package, so the
actors whose columns repeat (BELLIGERENTS, POWERS) are spelled here as in
sim.config.schema (a test checks they agree).

    python -m sim.outputs            # (re)write docs/outputs.md
    python -m sim.outputs --check    # exit 1 with one line if it is stale
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "outputs.md"
COMMAND = "python -m sim.outputs"

#: The two result tables: name -> what one row is.
TABLES = {"runs": "one row per run", "daily": "one row per run and day"}

#: Units a column may have: unit -> what one unit counts.
UNITS = {
    "people": "persons (soldiers or civilians); whole numbers in `runs`, floats in `daily`",
    "km2": "square kilometres of the theatre",
    "days": "a length of time in days",
    "day": "a day of the war, counted from 1 (the model's first day)",
    "vehicles": "armoured vehicles (tanks and other armour)",
    "guns": "artillery pieces and rocket launchers",
    "sectors": "theatre sectors (a count)",
    "ceasefires": "ceasefires (a count)",
    "rung": "a rung of the escalation ladder, 0-7 (sim.rules.ladder.Rung)",
    "bool": "true or false",
    "label": "a name (text)",
    "id": "an identifier of the run, not a measurement",
    "share": "a share of runs, 0-1",
}

#: Actors whose columns repeat, as in sim.config.schema.
BELLIGERENTS = ("azerbaijan", "armenia", "artsakh")
POWERS = ("russia", "turkey", "iran", "israel", "france", "united_states")

#: How an actor or side is named on plots and tables (the `who` of a column).
WHO = {
    "azerbaijan": "Azerbaijan",
    "armenia": "Armenia",
    "artsakh": "Artsakh (Karabakh)",
    "armenian_side": "Armenian side",
    "russia": "Russia",
    "turkey": "Turkey",
    "iran": "Iran",
    "israel": "Israel",
    "france": "France",
    "united_states": "United States",
}


@dataclass(frozen=True)
class Output:
    """One column of a result table.

    who: the actor or side the column is about, as plots name it ("" for the whole war);
    optional: present only in some results (point_id: designs and sweeps only).
    """

    name: str
    table: str
    unit: str
    description: str
    who: str = ""
    optional: bool = False

    def __post_init__(self) -> None:
        if self.table not in TABLES:
            raise ValueError(f"{self.name}: table '{self.table}' is not one of {', '.join(TABLES)}")
        if self.unit not in UNITS:
            raise ValueError(f"{self.name}: unit '{self.unit}' is not one of {', '.join(UNITS)}")


@dataclass(frozen=True)
class Measure:
    """A quantity computed from the runs table: a per-point outcome or a per-run flag.

    reads: the runs columns it needs; of: the function of the runs (or of one
    point's runs) that computes it.
    """

    name: str
    unit: str
    description: str
    reads: tuple[str, ...]
    of: Callable[[Any], Any]


def _subject(actor: str) -> str:
    """An actor's name inside a sentence ("the United States")."""
    return ("the " if actor == "united_states" else "") + WHO[actor]


def _index(table: str) -> list[Output]:
    where = "the point's sampled parameters follow as one column per dotted config key" if table == "runs" else \
        "join on it to read the point's parameters from runs"
    return [
        Output("point_id", table, "id", f"The design point the run belongs to (designs and sweeps only); {where}.",
               optional=True),
        Output("replicate", table, "id", "The run's number within its point; replicate r of every point uses the "
               "same random stream (common random numbers), so points differ less by chance."),
    ]


def _runs() -> list[Output]:
    t = "runs"
    out = [
        Output("seed", t, "id", "The ensemble's master seed; with `replicate` it reproduces the run exactly."),
        _index(t)[0],
        Output("scenario", t, "label", "The scenario the run was configured from, so runs of several scenarios "
               "can be compared in one table."),
        Output("max_rung", t, "rung", "The highest escalation rung reached on any day: the headline measure of "
               "how far the war escalated."),
        Output("max_rung_day", t, "day", "The day the highest rung was first reached (0 if it never left rung "
               "0), which tells an early escalation from a late one."),
        Output("duration_days", t, "days", "How long the war lasted: to the day the ceasefire that held was "
               "agreed, the collapse, the last day of fighting before a lull, or the horizon."),
        Output("end_type", t, "label", "How the war ended (ceasefire, capitulation, lull, horizon; running if "
               "stopped early), the main categorical outcome of a run."),
        Output("broker", t, "label", "The outside power that brokered the end (the proposer of the ceasefire "
               "that held, or the guarantor of a capitulation), or none."),
        Output("ceasefires_agreed", t, "ceasefires", "Ceasefires agreed during the war, those later broken "
               "included: how much diplomacy took hold at all."),
        Output("ceasefires_broken", t, "ceasefires", "Ceasefires that broke down before holding long enough to "
               "end the war: how fragile the truces were."),
        Output("civilian_deaths_azerbaijan", t, "people", "Civilians of Azerbaijan killed in the war, the "
               "attacker's civilian cost.", WHO["azerbaijan"]),
        Output("civilian_deaths_armenian_side", t, "people", "Civilians of Armenia and Artsakh killed in the war, "
               "the defenders' civilian cost.", WHO["armenian_side"]),
        Output("territory_change_km2", t, "km2", "Area that changed hands, partial progress in contested sectors "
               "included (sum of |progress - initial| x area): how much ground the war moved."),
        Output("sectors_taken", t, "label", "The sectors whose controller changed by the end, comma-joined: "
               "where the front moved, as the theatre map draws it."),
    ]
    out += [Output(f"military_deaths_{b}", t, "people", f"Soldiers of {WHO[b]} killed in the war (in combat or "
                   "with a fallen sector), its military cost.", WHO[b]) for b in BELLIGERENTS]
    out.append(Output("military_deaths_foreign_fighters", t, "people", "Foreign (Syrian) fighters in Azerbaijan's "
                      "force killed in the war, booked apart from its own soldiers as the record does.",
                      WHO["azerbaijan"]))
    out += [Output(f"intervened_{p}", t, "bool", f"Whether {_subject(p)} entered the war with its own forces; any "
                   "intervention puts the war on rung 6 or higher.", WHO[p]) for p in POWERS]
    return out + [_index(t)[1]]


def _daily() -> list[Output]:
    t = "daily"
    out = [*_index(t), *(
        Output("day", t, "day", "The day of the war the row describes; rows run from the first day to the day "
               "the war ended."),
        Output("rung", t, "rung", "The escalation rung of the day, read off what the agents did that day: the "
               "path of the escalation."),
        Output("ceasefire", t, "bool", "Whether a ceasefire was in force at the end of the day."),
        Output("contested_sectors", t, "sectors", "Sectors fought over that day: how broad the fighting was."),
        Output("sectors_held_armenian", t, "sectors", "Sectors the Armenian side controlled at the end of the "
               "day: how much of the front still stood.", WHO["armenian_side"]),
        Output("km2_armenian", t, "km2", "Area the Armenian side held at the end of the day (partial progress in "
               "a contested sector counts for the attacker).", WHO["armenian_side"]),
        Output("km2_azerbaijani", t, "km2", "Area Azerbaijan held at the end of the day, partial progress in "
               "contested sectors included: the attacker's gains over time.", WHO["azerbaijan"]),
        Output("armour_lost_azerbaijan", t, "vehicles", "Azerbaijan's armoured vehicles lost so far, the "
               "attacker's material cost (compared with documented losses).", WHO["azerbaijan"]),
        Output("armour_lost_armenian_side", t, "vehicles", "Armenian and Artsakh armoured vehicles lost so far, "
               "destroyed or left in a fallen sector.", WHO["armenian_side"]),
        Output("artillery_lost_armenian_side", t, "guns", "Armenian and Artsakh guns lost so far, destroyed by "
               "drones or lost with a fallen sector.", WHO["armenian_side"]),
        Output("wounded_armenian_side", t, "people", "Armenian and Artsakh soldiers wounded (or captured) so "
               "far, the casualties that are not deaths.", WHO["armenian_side"]),
        Output("wounded_azerbaijan", t, "people", "Azerbaijan's soldiers (and its foreign fighters) wounded so "
               "far, the casualties that are not deaths.", WHO["azerbaijan"]),
        Output("civilian_deaths_azerbaijan", t, "people", "Civilians of Azerbaijan killed so far, the attacker's "
               "civilian cost over time.", WHO["azerbaijan"]),
        Output("civilian_deaths_armenian_side", t, "people", "Civilians of Armenia and Artsakh killed so far, the "
               "defenders' civilian cost over time.", WHO["armenian_side"]),
        Output("military_deaths_foreign_fighters", t, "people", "Foreign (Syrian) fighters in Azerbaijan's force "
               "killed so far.", WHO["azerbaijan"]),
    )]
    for b in BELLIGERENTS:
        out += [Output(f"military_deaths_{b}", t, "people", f"Soldiers of {WHO[b]} killed so far, its military "
                       "cost over time.", WHO[b]),
                Output(f"action_{b}", t, "label", f"What {WHO[b]} did that day: an operation, a defence or "
                       "CEASEFIRE, which sets the day's rung.", WHO[b])]
    out += [Output(f"stance_{p}", t, "label", f"The stance {_subject(p)} took that day (STAY_OUT, PRESSURE, MEDIATE, "
                   "RESUPPLY, THREATEN or INTERVENE): how far it was drawn in.", WHO[p]) for p in POWERS]
    return out


#: Every column of both tables, in the order the tables hold them.
OUTPUTS: tuple[Output, ...] = (*_runs(), *_daily())
_BY_KEY = {(o.table, o.name): o for o in OUTPUTS}


def declared(table: str, optional: bool = True) -> list[Output]:
    """Declarations of one table's columns, in table order (optional ones left out if optional=False)."""
    if table not in TABLES:
        raise ValueError(f"table: '{table}' is not one of {', '.join(TABLES)}")
    return [o for o in OUTPUTS if o.table == table and (optional or not o.optional)]


def columns(table: str, optional: bool = True) -> list[str]:
    """Names of one table's columns, in table order."""
    return [o.name for o in declared(table, optional)]


def output(name: str, table: str = "runs") -> Output:
    """The declaration of one column of a table."""
    try:
        return _BY_KEY[(table, name)]
    except KeyError:
        raise KeyError(f"{name}: not a declared column of the {table} table (sim/outputs.py)") from None


def parameters(names: Iterable[str]) -> list[str]:
    """The design's parameter columns among `names`: dotted config keys, e.g. powers.turkey.resolve.value."""
    return [c for c in names if "." in c]


def undeclared(table: str, names: Iterable[str]) -> list[str]:
    """Columns among `names` that are neither declared for `table` nor a design parameter."""
    known = set(columns(table))
    return [c for c in names if c not in known and "." not in c]


# --- named groups ------------------------------------------------------------------
#: Military deaths of each belligerent (runs and daily), in BELLIGERENTS order.
MILITARY_DEATHS: tuple[str, ...] = tuple(f"military_deaths_{b}" for b in BELLIGERENTS)
#: Civilian deaths of each side (runs and daily).
CIVILIAN_DEATHS: tuple[str, ...] = ("civilian_deaths_azerbaijan", "civilian_deaths_armenian_side")
#: All deaths, military first: their row sum is the war's death toll.
DEATHS: tuple[str, ...] = MILITARY_DEATHS + CIVILIAN_DEATHS
#: The key outcomes an ensemble summary reports with median and 5-95% range.
KEY_OUTCOMES: tuple[str, ...] = ("max_rung", "duration_days", "territory_change_km2", *DEATHS)
#: Whether each outside power intervened (runs).
INTERVENED: tuple[str, ...] = tuple(f"intervened_{p}" for p in POWERS)

#: Outcomes of one design point for global sensitivity, each a function of that point's runs.
SENSITIVITY_OUTCOMES: tuple[Measure, ...] = (
    Measure("p_rung_ge_5", "share", "Share of the point's runs that reached rung 5 (war on Armenia proper) or "
            "higher.", ("max_rung",), lambda g: float((g["max_rung"] >= 5).mean())),
    Measure("p_rung_ge_6", "share", "Share of the point's runs that reached rung 6 (regional intervention) or "
            "higher.", ("max_rung",), lambda g: float((g["max_rung"] >= 6).mean())),
    Measure("duration_days", "days", "Mean duration of the war over the point's runs.", ("duration_days",),
            lambda g: float(g["duration_days"].mean())),
    Measure("deaths", "people", "Mean death toll over the point's runs, military and civilian, all sides.",
            DEATHS, lambda g: float(g[list(DEATHS)].sum(axis=1).mean())),
)

#: Outcomes scenario discovery looks for, each a flag per run of the runs table.
DISCOVERY_TARGETS: tuple[Measure, ...] = (
    Measure("regional_war", "bool", "The run reached rung 6 (regional intervention) or higher.", ("max_rung",),
            lambda runs: runs["max_rung"] >= 6),
    Measure("quick_ceasefire", "bool", "The war ended in a ceasefire within 14 days.",
            ("end_type", "duration_days"),
            lambda runs: (runs["end_type"] == "ceasefire") & (runs["duration_days"] <= 14)),
)


# --- docs/outputs.md -------------------------------------------------------------------
def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    """docs/outputs.md: every declared column, the units, the groups and the derived measures."""
    lines = [
        "# Outputs: the columns of the result tables",
        "",
        f"<!-- Generated by `{COMMAND}` from sim/outputs.py. Do not edit: change sim/outputs.py and regenerate. -->",
        "",
        f"Generated by `{COMMAND}` from the declarations in `sim/outputs.py`, which summaries, plots and reports "
        "read too. Do not edit this file by hand: `tests/test_outputs.py` fails when it is stale, and when the "
        "model produces a column that is not declared (or declares one it does not produce).",
        "",
        "A design or sweep adds `point_id` to both tables and, to `runs`, one column per sampled parameter (its "
        "dotted config key, e.g. `powers.turkey.resolve.value`); those parameter columns are inputs, not "
        "outputs, and are not listed. Results on disk are `runs.parquet` and `daily.parquet` "
        "(sim/runs/results.py).",
    ]
    for table, row in TABLES.items():
        lines += ["", f"## `{table}`: {row}", "", "| column | unit | what it measures |", "| --- | --- | --- |"]
        for o in declared(table):
            lines.append(f"| `{o.name}` | {o.unit} | {_cell(o.description)} |")
    lines += ["", "## Units", "", "| unit | meaning |", "| --- | --- |"]
    lines += [f"| {u} | {_cell(m)} |" for u, m in UNITS.items()]
    lines += ["", "## Groups", "", "Named groups of columns that summaries, plots and reports read "
              "(`sim.outputs`):", ""]
    for name in ("MILITARY_DEATHS", "CIVILIAN_DEATHS", "DEATHS", "KEY_OUTCOMES", "INTERVENED"):
        lines.append(f"- `{name}`: " + ", ".join(f"`{c}`" for c in globals()[name]))
    for title, name, measures in (
            ("Sensitivity outcomes", "SENSITIVITY_OUTCOMES", SENSITIVITY_OUTCOMES),
            ("Discovery targets", "DISCOVERY_TARGETS", DISCOVERY_TARGETS)):
        lines += ["", f"## {title} (`{name}`)", "", "| name | unit | what it measures | reads |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| `{m.name}` | {m.unit} | {_cell(m.description)} | " + ", ".join(f"`{c}`" for c in m.reads) + " |"
                  for m in measures]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    """Write atomically (a temporary file in the same folder, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main(argv: list[str] | None = None) -> int:
    """Command line: write docs/outputs.md, or with --check report whether it is stale."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from the declarations")
    parser.add_argument("--output", type=Path, default=DOC_PATH, help="file to write (default docs/outputs.md)")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.is_file() and args.output.read_text(encoding="utf-8") == text
        if not current:
            print(f"{args.output} is stale; regenerate it with `{COMMAND}`", file=sys.stderr)
        return 0 if current else 1
    _write(args.output, text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
