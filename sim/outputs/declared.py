"""Every column of the `runs` and `daily` tables, declared once with its table, unit and meaning.

A run produces one row of `runs` (`ConflictModel.outcome`, with the runner's
`seed` and `replicate`) and one row of `daily` per day (the reporters of
`sim.model.daily`). tests/test_outputs.py fails when the model produces a
column not declared here or declares one it does not produce.

This module sits below every layer: it imports nothing of the package, so the
actors whose columns repeat (BELLIGERENTS, POWERS) are spelled here as in
sim.config.schema (a test checks they agree).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
    "drones": "UAVs, counted in daily sorties' worth (the model's unit of a drone fleet)",
    "systems": "air-defence systems (a launcher with its radar)",
    "items": "pieces of equipment of any type (vehicles, guns, air-defence systems, drones), a count",
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

STANCES = "STAY_OUT, PRESSURE, MEDIATE, RESUPPLY, THREATEN or INTERVENE"


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


def _subject(actor: str) -> str:
    """An actor's name inside a sentence ("the United States")."""
    return ("the " if actor == "united_states" else "") + WHO[actor]


def _point_id(table: str) -> Output:
    where = (
        "the point's sampled parameters follow as one column per dotted config key"
        if table == "runs"
        else "join on it to read the point's parameters from runs"
    )
    text = f"The design point the run belongs to (designs and sweeps only); {where}."
    return Output("point_id", table, "id", text, optional=True)


def _replicate(table: str) -> Output:
    text = (
        "The run's number within its point; replicate r of every point uses the same random stream "
        "(common random numbers), so points differ less by chance."
    )
    return Output("replicate", table, "id", text)


def _runs() -> list[Output]:
    t = "runs"
    out = [
        Output("seed", t, "id", "The ensemble's master seed; with `replicate` it reproduces the run exactly."),
        _point_id(t),
        Output(
            "scenario",
            t,
            "label",
            "The scenario the run was configured from, so runs of several scenarios can be compared in one table.",
        ),
        Output(
            "max_rung",
            t,
            "rung",
            "The highest escalation rung reached on any day: the headline measure of how far the war escalated.",
        ),
        Output(
            "max_rung_day",
            t,
            "day",
            "The day the highest rung was first reached (0 if it never left rung 0), which tells an early "
            "escalation from a late one.",
        ),
        Output(
            "duration_days",
            t,
            "days",
            "How long the war lasted: to the day the ceasefire that held was agreed, the collapse, the last day "
            "of fighting before a lull, or the horizon.",
        ),
        Output(
            "end_type",
            t,
            "label",
            "How the war ended (settlement, ceasefire, capitulation, lull, horizon; running if stopped early), "
            "the main categorical outcome of a run.",
        ),
        Output(
            "broker",
            t,
            "label",
            "The outside power that brokered the end (the proposer of the ceasefire that held, or the guarantor "
            "of a capitulation), or none.",
        ),
        Output(
            "peacekeepers",
            t,
            "label",
            "The outside power whose peacekeepers deploy between the sides at the end (the guarantor of a "
            "guaranteed ceasefire or of a capitulation), or none: the war's terms on the ground.",
        ),
        Output(
            "districts_handed_over",
            t,
            "label",
            "The districts the Armenian side handed over at the end, beyond those taken in the fighting "
            "(comma-joined): after a collapse, those it still held around the former oblast.",
        ),
        Output(
            "km2_handed_over",
            t,
            "km2",
            "Area of the districts handed over at the end, beyond the territory that changed hands in the fighting.",
        ),
        Output(
            "corridor",
            t,
            "bool",
            "Whether Armenia and the Armenian-held part of Karabakh stay linked at the end: through the "
            "corridor district still held, or through a corridor under a guarantor's peacekeepers.",
        ),
        Output(
            "ceasefire_days",
            t,
            "label",
            "The day each ceasefire was agreed, those later broken included (comma-joined, in order).",
        ),
        Output(
            "ceasefire_brokers",
            t,
            "label",
            "Who brokered each ceasefire, in the order of ceasefire_days (comma-joined).",
        ),
        Output(
            "ceasefires_agreed",
            t,
            "ceasefires",
            "Ceasefires agreed during the war, those later broken included: how much diplomacy took hold at all.",
        ),
        Output(
            "ceasefires_broken",
            t,
            "ceasefires",
            "Ceasefires that broke down before holding long enough to end the war: how fragile the truces were.",
        ),
        Output(
            "civilian_deaths_azerbaijan",
            t,
            "people",
            "Civilians of Azerbaijan killed in the war, the attacker's civilian cost.",
            WHO["azerbaijan"],
        ),
        Output(
            "civilian_deaths_armenian_side",
            t,
            "people",
            "Civilians of Armenia and Artsakh killed in the war, the defenders' civilian cost.",
            WHO["armenian_side"],
        ),
        Output(
            "territory_change_km2",
            t,
            "km2",
            "Area that changed hands, partial progress in contested sectors included (sum of |progress - "
            "initial| x area): how much ground the war moved.",
        ),
        Output(
            "sectors_taken",
            t,
            "label",
            "The sectors whose controller changed by the end, comma-joined: where the front moved, as the "
            "theatre map draws it.",
        ),
    ]
    out += [
        Output(
            "displaced_armenian_side",
            t,
            "people",
            "Residents of Artsakh and Armenia who left their homes: fled the towns and sectors struck, shelled "
            "or fought over, or left with the defenders when their sector fell.",
            WHO["armenian_side"],
        ),
        Output(
            "displaced_azerbaijan",
            t,
            "people",
            "Residents of Azerbaijan's towns within the other side's reach who fled them while they were struck "
            "or shelled.",
            WHO["azerbaijan"],
        ),
        Output(
            "towns_struck",
            t,
            "label",
            "The towns hit by a deliberate strike during the war, comma-joined: each side's civilian targets "
            "(conf/theatre, towns).",
        ),
    ]
    out += [
        Output(
            f"military_deaths_{b}",
            t,
            "people",
            f"Soldiers of {WHO[b]} killed in the war (in combat or with a fallen sector), its military cost.",
            WHO[b],
        )
        for b in BELLIGERENTS
    ]
    out.append(
        Output(
            "military_deaths_foreign_fighters",
            t,
            "people",
            "Foreign (Syrian) fighters in Azerbaijan's force killed in the war, booked apart from its own "
            "soldiers as the record does.",
            WHO["azerbaijan"],
        )
    )
    out += [
        Output(
            f"intervened_{p}",
            t,
            "bool",
            f"Whether {_subject(p)} entered the war with its own forces; any intervention puts the war on rung 6 "
            "or higher.",
            WHO[p],
        )
        for p in POWERS
    ]
    return out + [_replicate(t)]


def _daily_war() -> list[Output]:
    """The daily columns about the whole war and its material: front, losses, wounded, civilians."""
    az, arm = WHO["azerbaijan"], WHO["armenian_side"]
    rows = [
        ("day", "day", "", "The day of the war the row describes; rows run from the first day to the day the war "
         "ended."),
        ("rung", "rung", "", "The escalation rung of the day, read off what the agents did that day: the path of the "
         "escalation."),
        ("ceasefire", "bool", "", "Whether a ceasefire was in force at the end of the day."),
        ("contested_sectors", "sectors", "", "Sectors fought over that day: how broad the fighting was."),
        ("sectors_held_armenian", "sectors", arm, "Sectors the Armenian side controlled at the end of the day: how "
         "much of the front still stood."),
        ("km2_armenian", "km2", arm, "Area the Armenian side held at the end of the day (partial progress in a "
         "contested sector counts for the attacker)."),
        ("km2_azerbaijani", "km2", az, "Area Azerbaijan held at the end of the day, partial progress in contested "
         "sectors included: the attacker's gains over time."),
        ("armour_lost_azerbaijan", "vehicles", az, "Azerbaijan's armoured vehicles lost so far, the attacker's "
         "material cost (compared with documented losses)."),
        ("uavs_lost_azerbaijan", "drones", az, "Azerbaijan's drones lost so far (shot down or lost, in daily "
         "sorties' worth): the price of the kill chain."),
        ("armour_lost_armenian_side", "vehicles", arm, "Armenian and Artsakh armoured vehicles lost so far, destroyed "
         "or left in a fallen sector."),
        ("artillery_lost_armenian_side", "guns", arm, "Armenian and Artsakh guns lost so far, destroyed by drones or "
         "lost with a fallen sector."),
        ("artillery_lost_azerbaijan", "guns", az, "Azerbaijan's guns and rocket launchers lost so far, to the "
         "defenders' counter-battery fire."),
        ("air_defence_lost_armenian_side", "systems", arm, "Armenian and Artsakh air-defence systems lost so far, "
         "found by drones and destroyed, or lost with a fallen sector: each one lost opens the sky to the drones."),
        ("equipment_replaced_azerbaijan", "items", az, "Vehicles, guns and drones Azerbaijan has replaced so far, "
         "from its depots and its suppliers' deliveries (paid from its arms spending)."),
        ("equipment_replaced_armenian_side", "items", arm, "Vehicles, guns and air-defence systems the Armenian "
         "side has replaced so far, from its depots and Russia's deliveries (paid from its arms spending)."),
        ("wounded_armenian_side", "people", arm, "Armenian and Artsakh soldiers wounded (or captured) so far, the "
         "casualties that are not deaths."),
        ("wounded_azerbaijan", "people", az, "Azerbaijan's soldiers (and its foreign fighters) wounded so far, the "
         "casualties that are not deaths."),
        ("civilian_deaths_azerbaijan", "people", az, "Civilians of Azerbaijan killed so far, the attacker's civilian "
         "cost over time."),
        ("civilian_deaths_armenian_side", "people", arm, "Civilians of Armenia and Artsakh killed so far, the "
         "defenders' civilian cost over time."),
        ("military_deaths_foreign_fighters", "people", az, "Foreign (Syrian) fighters in Azerbaijan's force killed "
         "so far."),
        ("strikes_azerbaijan", "bool", az, "Whether Azerbaijan struck the Armenian side's towns that day, beside "
         "its ground operation (a decision of its own; it puts the day on rung 4 or higher)."),
        ("strikes_armenian_side", "bool", arm, "Whether Armenia or the Artsakh forces struck Azerbaijan's towns that "
         "day (rockets, missiles; it puts the day on rung 4 or higher)."),
        ("displaced_armenian_side", "people", arm, "Residents of Artsakh and Armenia displaced so far (fled or left "
         "with a fallen sector)."),
        ("displaced_azerbaijan", "people", az, "Residents of Azerbaijan's towns in reach who have fled so far."),
    ]  # fmt: skip
    return [Output(name, "daily", unit, text, who) for name, unit, who, text in rows]


def _daily() -> list[Output]:
    t = "daily"
    out = [_point_id(t), _replicate(t), *_daily_war()]
    for b in BELLIGERENTS:
        deaths = f"Soldiers of {WHO[b]} killed so far, its military cost over time."
        action = f"What {WHO[b]} did that day: an operation, a defence or CEASEFIRE, which sets the day's rung."
        out += [
            Output(f"military_deaths_{b}", t, "people", deaths, WHO[b]),
            Output(f"action_{b}", t, "label", action, WHO[b]),
        ]
    for p in POWERS:
        stance = f"The stance {_subject(p)} took that day ({STANCES}): how far it was drawn in."
        out.append(Output(f"stance_{p}", t, "label", stance, WHO[p]))
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
        raise KeyError(f"{name}: not a declared column of the {table} table (sim/outputs/declared.py)") from None


def parameters(names: Iterable[str]) -> list[str]:
    """The design's parameter columns among `names`: dotted config keys, e.g. powers.turkey.resolve.value."""
    return [c for c in names if "." in c]


def undeclared(table: str, names: Iterable[str]) -> list[str]:
    """Columns among `names` that are neither declared for `table` nor a design parameter."""
    known = set(columns(table))
    return [c for c in names if c not in known and "." not in c]
