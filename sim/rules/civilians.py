"""Civilians in harm's way: strikes on towns, shelling of front-line towns, and flight.

Pure arithmetic (no Mesa); sim.model.civilians applies it to the theatre's
towns each day. Two mechanisms kill civilians beyond the fighting in a
sector itself (sim.rules.combat.collateral_deaths):

- deliberate strikes: a side that chooses to strike towns on a day of
  fighting (sim.rules.decisions.strike_utilities) turns `strike_share` of its guns,
  rockets and missiles on the other side's towns, spread over them by
  population (docs/sources.md#civilian-harm: Stepanakert, Martuni, Martakert,
  Shusha on one side; Ganja, Barda, Tartar, Mingachevir on the other);
- shelling of front-line towns: on a day a sector is fought over, the
  defenders' guns there fire on the attacker's rear, the Azerbaijani towns
  within `shelling_reach_km` of it (the attacker's own fire falls on the
  fought-over sectors and the people in them).

A gun-day turned on an inhabited town kills about the same number of people
whatever the town's size (the munitions land on a built-up area, not on its
whole population), so deaths scale with the fire and with the share of the
residents still there: people flee a town that is struck or shelled (`flight`)
and flight is what empties a town, not deaths. Choosing to strike weighs the
same terms as any option (sim.rules.decisions.belligerent_utility), with a
grievance: each side justified its strikes on towns as answers to the other's
(`grievance`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Kilometres per degree of latitude (and of longitude at the equator).
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class HarmRules:
    """Rates of civilian harm beyond the sectors fought over (values from conf/combat).

    town_strike_lethality: civilians killed per gun-day turned on an inhabited town by a deliberate strike
    shelling_lethality: civilians killed per gun-day of front-line fire falling on an inhabited town
    shelling_reach_km: distance from a fought-over sector's centre within which its guns reach the other side's towns
    flight_rate: how fast residents leave a town hit by fire, per gun-day per 10,000 residents
    """

    town_strike_lethality: float
    shelling_lethality: float
    shelling_reach_km: float
    flight_rate: float


def km_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distances (km) between positions [longitude, latitude]: rows of `a` against rows of `b`.

    An equirectangular approximation, within a few per cent over the hundred
    kilometres of this theatre.
    """
    a, b = np.atleast_2d(np.asarray(a, float)), np.atleast_2d(np.asarray(b, float))
    lat = np.radians((a[:, None, 1] + b[None, :, 1]) / 2.0)
    dx = (a[:, None, 0] - b[None, :, 0]) * np.cos(lat)
    dy = a[:, None, 1] - b[None, :, 1]
    return KM_PER_DEGREE * np.hypot(dx, dy)


def spread_by_population(fire: float, population: np.ndarray) -> np.ndarray:
    """A volume of fire spread over target towns in proportion to their populations."""
    population = np.asarray(population, float)
    total = population.sum()
    return fire * population / total if total > 0 else np.zeros_like(population)


def strike_deaths(fire: np.ndarray, occupancy: np.ndarray, lethality: float, willingness: float) -> np.ndarray:
    """Expected civilians killed by a deliberate strike on each town.

    fire: gun-days turned on each town; occupancy: share of its residents still
    there (0-1); willingness: the striking side's willingness to target
    civilian areas (0-1), which sets how much of that fire lands on homes
    rather than on what military objects the towns hold.
    """
    return lethality * willingness * np.asarray(fire) * np.asarray(occupancy)


def shelling_deaths(fire: np.ndarray, occupancy: np.ndarray, lethality: float) -> np.ndarray:
    """Expected civilians killed by front-line fire falling on each town (gun-days `fire`)."""
    return lethality * np.asarray(fire) * np.asarray(occupancy)


def population_scale(population: np.ndarray) -> np.ndarray:
    """Pre-war residents in tens of thousands (at least 1e-9): what `flight` divides the fire by."""
    return np.maximum(np.asarray(population, float) / 1e4, 1e-9)


def flight(
    residents: np.ndarray,
    fire: np.ndarray,
    population: np.ndarray | None,
    rate: float,
    scale: np.ndarray | None = None,
) -> np.ndarray:
    """Residents who leave today, driven by how hard their town was hit for its size.

    fire: gun-days that fell on each town today; population: its pre-war
    residents. A share 1 - exp(-rate x fire per 10,000 residents) of those
    remaining leave: a village on the front line empties in days, a city
    struck now and then loses few. scale: `population_scale(population)`, for
    a caller that computes it once (population is then not read).
    """
    if scale is None:
        scale = population_scale(np.asarray(population, float))
    per_10k = np.asarray(fire, float) / scale
    return np.asarray(residents, float) * (1.0 - np.exp(-rate * per_10k))


def grievance(recent_deaths: float, full_at: float) -> float:
    """How much a side's own civilian dead push it to strike back (0-1).

    Full once `full_at` of its civilians have been killed over the recent
    days the decision remembers.
    """
    return min(1.0, max(0.0, recent_deaths) / max(full_at, 1e-9))
