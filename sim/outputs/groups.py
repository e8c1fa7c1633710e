"""Named groups of declared columns, and the measures computed from the runs table.

Summaries, plots, sensitivity and scenario discovery read these instead of
spelling column names again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim.outputs.declared import BELLIGERENTS, POWERS

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

#: The groups docs/outputs.md lists, by name.
GROUPS: dict[str, tuple[str, ...]] = {
    "MILITARY_DEATHS": MILITARY_DEATHS,
    "CIVILIAN_DEATHS": CIVILIAN_DEATHS,
    "DEATHS": DEATHS,
    "KEY_OUTCOMES": KEY_OUTCOMES,
    "INTERVENED": INTERVENED,
}


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


def _share_at_least(rung: int) -> Callable[[Any], float]:
    return lambda g: float((g["max_rung"] >= rung).mean())


def _mean_deaths(g: Any) -> float:
    return float(g[list(DEATHS)].sum(axis=1).mean())


def _quick_ceasefire(runs: Any) -> Any:
    return (runs["end_type"] == "ceasefire") & (runs["duration_days"] <= 14)


#: Outcomes of one design point for global sensitivity, each a function of that point's runs.
SENSITIVITY_OUTCOMES: tuple[Measure, ...] = (
    Measure(
        "p_rung_ge_5",
        "share",
        "Share of the point's runs that reached rung 5 (war on Armenia proper) or higher.",
        ("max_rung",),
        _share_at_least(5),
    ),
    Measure(
        "p_rung_ge_6",
        "share",
        "Share of the point's runs that reached rung 6 (regional intervention) or higher.",
        ("max_rung",),
        _share_at_least(6),
    ),
    Measure(
        "duration_days",
        "days",
        "Mean duration of the war over the point's runs.",
        ("duration_days",),
        lambda g: float(g["duration_days"].mean()),
    ),
    Measure(
        "deaths",
        "people",
        "Mean death toll over the point's runs, military and civilian, all sides.",
        DEATHS,
        _mean_deaths,
    ),
)

#: Outcomes scenario discovery looks for, each a flag per run of the runs table.
DISCOVERY_TARGETS: tuple[Measure, ...] = (
    Measure(
        "regional_war",
        "bool",
        "The run reached rung 6 (regional intervention) or higher.",
        ("max_rung",),
        lambda runs: runs["max_rung"] >= 6,
    ),
    Measure(
        "quick_ceasefire",
        "bool",
        "The war ended in a ceasefire within 14 days.",
        ("end_type", "duration_days"),
        _quick_ceasefire,
    ),
)


def _armenian_military(runs: Any) -> Any:
    return runs["military_deaths_armenia"] + runs["military_deaths_artsakh"]


def _column(name: str) -> Callable[[Any], Any]:
    return lambda runs: runs[name].astype(float)


def _share(test: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda runs: test(runs).astype(float)


#: What a scenario contrast compares with the baseline, each a value per run (a share's is 0 or 1), so a
#: scenario's difference from the baseline is the mean of its runs' differences from the baseline's runs
#: of the same replicate (common random numbers). A scenario file's `expects` names these.
CONTRAST_MEASURES: tuple[Measure, ...] = (
    Measure("duration", "days", "Days of war.", ("duration_days",), _column("duration_days")),
    Measure("territory", "km2", "Area that changed hands.", ("territory_change_km2",), _column("territory_change_km2")),
    Measure(
        "military_deaths_azerbaijan",
        "people",
        "Azerbaijan's soldiers killed.",
        ("military_deaths_azerbaijan",),
        _column("military_deaths_azerbaijan"),
    ),
    Measure(
        "military_deaths_armenian_side",
        "people",
        "Soldiers of Armenia and Artsakh killed.",
        ("military_deaths_armenia", "military_deaths_artsakh"),
        _armenian_military,
    ),
    Measure(
        "civilian_deaths_azerbaijan",
        "people",
        "Azerbaijan's civilians killed.",
        ("civilian_deaths_azerbaijan",),
        _column("civilian_deaths_azerbaijan"),
    ),
    Measure(
        "civilian_deaths_armenian_side",
        "people",
        "Civilians of Armenia and Artsakh killed.",
        ("civilian_deaths_armenian_side",),
        _column("civilian_deaths_armenian_side"),
    ),
    Measure(
        "displaced_armenian_side",
        "people",
        "Residents of Armenia and Artsakh displaced.",
        ("displaced_armenian_side",),
        _column("displaced_armenian_side"),
    ),
    Measure("max_rung", "rung", "Highest rung of the escalation ladder reached.", ("max_rung",), _column("max_rung")),
    Measure(
        "regional_war",
        "share",
        "Share of wars an outside power entered (rung 6 or higher).",
        ("max_rung",),
        _share(lambda runs: runs["max_rung"] >= 6),
    ),
    Measure(
        "settlement",
        "share",
        "Share of wars ended by a negotiated settlement.",
        ("end_type",),
        _share(lambda runs: runs["end_type"] == "settlement"),
    ),
    Measure(
        "capitulation",
        "share",
        "Share of wars ended by the collapse of the defence.",
        ("end_type",),
        _share(lambda runs: runs["end_type"] == "capitulation"),
    ),
    Measure(
        "ceasefire",
        "share",
        "Share of wars ended by a ceasefire that held.",
        ("end_type",),
        _share(lambda runs: runs["end_type"] == "ceasefire"),
    ),
    Measure(
        "peacekeepers",
        "share",
        "Share of wars that ended with a guarantor's peacekeepers deployed.",
        ("peacekeepers",),
        _share(lambda runs: runs["peacekeepers"] != "none"),
    ),
    Measure(
        "handed_over",
        "km2",
        "Area handed over at the end, beyond what the fighting took.",
        ("km2_handed_over",),
        _column("km2_handed_over"),
    ),
    Measure(
        "russian_broker",
        "share",
        "Share of wars whose end Russia brokered.",
        ("broker",),
        _share(lambda runs: runs["broker"] == "russia"),
    ),
)
