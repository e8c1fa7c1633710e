"""The theatre's part of the schema: sectors, links, aliases and towns, and their checks.

Typed by the dataclasses below (registered with the rest of the schema in
sim.config.schema); `check_theatre` checks what types cannot: attributes inside
their fixed and declared ranges, shares per region, links between known
sectors, aliases and towns that name known sectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

from sim.config.errors import ConfigError
from sim.config.errors import in_range as _in_range
from sim.config.errors import one_of as _one_of

REGIONS = ("karabakh", "armenia_proper")
CONTROLLERS = ("armenian", "azerbaijani")


@dataclass
class SectorSpec:
    region: str = MISSING
    controller: str = MISSING
    area_km2: float = MISSING
    ruggedness: float = MISSING
    fortification: float = MISSING
    population: float = MISSING
    strategic_value: float = MISSING
    garrison: float = MISSING
    line_of_contact: bool = False
    iran_border: bool = False
    #: Part of the former Nagorno-Karabakh Autonomous Oblast (the districts around it are not):
    #: a settlement after a collapse hands back the districts around it (sim.rules.settlement).
    oblast: bool = False
    position: list[float] = field(default_factory=lambda: [0.0, 0.0])
    source: str = MISSING
    #: Height of the sector (its centre or its mean; the theatre file says which), metres.
    elevation_m: float = 0.0
    #: [low, high] of a numeric attribute (the uncertainty of a figure or the span of a
    #: judgement); optional, keyed by attribute name.
    ranges: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class TownSpec:
    """A town within range of the other side's fire: a target of strikes and shelling (sim.model.civilians)."""

    side: str = MISSING
    population: float = MISSING
    position: list[float] = field(default_factory=lambda: [0.0, 0.0])
    distance_km: float = MISSING
    sector: str = ""
    source: str = MISSING


@dataclass
class TheatreSpec:
    sectors: dict[str, SectorSpec] = MISSING
    links: list[list[str]] = MISSING
    source: str = MISSING
    towns: dict[str, TownSpec] = field(default_factory=dict)
    #: The sector whose road links Armenia with Karabakh (Lachin); "" for none.
    corridor: str = ""
    #: Names a scenario's `targets` may use for a set of this theatre's sectors (e.g. the
    #: default theatre's coarse sectors in a finer theatre).
    aliases: dict[str, list[str]] = field(default_factory=dict)


#: Fixed ranges of sector attributes (their units are in docs/parameters.md).
SECTOR_RANGES = {
    "area_km2": (1.0, 10000.0),
    "ruggedness": (0.0, 1.0),
    "fortification": (0.0, 1.0),
    "population": (0.0, 2e6),
    "strategic_value": (0.0, 1.0),
    "garrison": (0.0, 1e5),
}
#: Elevation of a sector, metres (below sea level at the Caspian shore, up to the highest peaks).
ELEVATION_RANGE = (-100.0, 6000.0)
#: Attributes of a sector that `ranges` may give a [low, high] for.
SECTOR_NUMERIC = (*SECTOR_RANGES, "elevation_m")
TOWN_SIDES = ("azerbaijani", "armenian")
#: How far shares that should sum to 1 may miss it (rounding in the YAML files).
SHARE_TOLERANCE = 1e-6


def check_theatre(theatre: Any) -> None:
    """Sectors (attributes, declared ranges, shares per region), links, aliases and towns."""
    sectors = list(theatre.sectors)
    value_sum: dict[str, float] = {}
    garrison_sum: dict[str, float] = {}
    for name in sectors:
        s = theatre.sectors[name]
        key = f"theatre.sectors.{name}"
        _one_of(f"{key}.region", s.region, REGIONS)
        _one_of(f"{key}.controller", s.controller, CONTROLLERS)
        for attr, (lo, hi) in SECTOR_RANGES.items():
            _in_range(f"{key}.{attr}", float(s[attr]), lo, hi)
        _in_range(f"{key}.elevation_m", float(s.get("elevation_m", 0.0)), *ELEVATION_RANGE)
        for attr, rng in (s.get("ranges") or {}).items():
            _one_of(f"{key}.ranges.{attr}", attr, SECTOR_NUMERIC)
            if len(rng) != 2:
                raise ConfigError(f"{key}.ranges.{attr}: a range is [low, high], two numbers; got {list(rng)}")
            lo, hi = (float(x) for x in rng)
            if lo > hi:
                raise ConfigError(
                    f"{key}.ranges.{attr}: [{lo}, {hi}] is empty; the lower bound must not exceed the upper"
                )
            value = float(s.get(attr, 0.0))
            if not (lo <= value <= hi):
                raise ConfigError(
                    f"{key}.{attr}: {value} is outside its declared range [{lo}, {hi}] "
                    f"({key}.ranges.{attr}); the value must lie within it"
                )
        value_sum[s.region] = value_sum.get(s.region, 0.0) + float(s.strategic_value)
        garrison_sum[s.region] = garrison_sum.get(s.region, 0.0) + float(s.garrison)
    for region, total in value_sum.items():
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise ConfigError(
                f"theatre.sectors.*.strategic_value: the sectors of region {region} sum to {total:.6g}; "
                "a sector's value is a share of its region's, so they must sum to 1"
            )
    for region, total in garrison_sum.items():
        if total > 1.0 + SHARE_TOLERANCE:
            raise ConfigError(
                f"theatre.sectors.*.garrison: the sectors of region {region} sum to {total:.6g}; "
                "a garrison is a share of the region's defender, so they must sum to at most 1 "
                "(the rest is held back)"
            )
    if not theatre.links:
        raise ConfigError("theatre.links: empty; list the pairs of neighbouring sectors, e.g. [[north, south]]")
    seen: dict[frozenset, int] = {}
    for i, link in enumerate(theatre.links):
        if len(link) != 2:
            raise ConfigError(f"theatre.links[{i}]: a link joins exactly two sectors, got {list(link)}")
        for end in link:
            _one_of(f"theatre.links[{i}]", end, sectors)
        if link[0] == link[1]:
            raise ConfigError(
                f"theatre.links[{i}]: [{link[0]}, {link[1]}] links a sector to itself; "
                "a link joins two different sectors"
            )
        pair = frozenset(link)
        if pair in seen:
            raise ConfigError(
                f"theatre.links[{i}]: [{link[0]}, {link[1]}] repeats theatre.links[{seen[pair]}]; "
                "each pair of sectors is linked once"
            )
        seen[pair] = i
    for alias, members in (theatre.get("aliases") or {}).items():
        if alias in sectors:
            raise ConfigError(
                f"theatre.aliases.{alias}: '{alias}' is already a sector; an alias needs a name of its own"
            )
        if not members:
            raise ConfigError(f"theatre.aliases.{alias}: empty; list the sectors it stands for")
        for member in members:
            _one_of(f"theatre.aliases.{alias}", member, sectors)
    if theatre.get("corridor"):
        _one_of("theatre.corridor", theatre.corridor, sectors)
    for name, town in (theatre.get("towns") or {}).items():
        key = f"theatre.towns.{name}"
        _one_of(f"{key}.side", town.side, TOWN_SIDES)
        if town.sector:
            _one_of(f"{key}.sector", town.sector, sectors)
        _in_range(f"{key}.population", float(town.population), 0.0, 1e8)
        _in_range(f"{key}.distance_km", float(town.distance_km), 0.0, 2000.0)
        if len(town.position) != 2:
            raise ConfigError(f"{key}.position: a position is [longitude, latitude], got {list(town.position)}")
        if not str(town.source).strip():
            raise ConfigError(f"{key}.source: empty; say where the town's figures come from")
