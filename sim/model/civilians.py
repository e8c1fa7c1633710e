"""CivilianHarm: the people of the theatre's towns and sectors, and what the war does to them.

Each day of fighting (a ConflictModel's `civilians`, called by the Front):

- the fighting in a sector kills some of its residents (collateral fire,
  sim.rules.combat.collateral_deaths, in proportion to those still there);
- the defenders' guns in a fought-over sector reach the attacker's rear, the
  Azerbaijani towns within `shelling_reach_km` of it (front-line shelling:
  Tartar and Barda from the Martakert and Aghdam fronts);
- a side that chooses to strike towns that day (`Belligerent.strikes`) turns
  part of its guns, rockets and missiles on the other side's towns;
- residents flee a town or sector that is hit, and all of a sector's
  remaining residents leave when it changes hands: the displaced.

The arithmetic is sim.rules.civilians; the towns and their positions come from
the theatre's config (conf/theatre, `towns`). Each side's civilian deaths are
remembered day by day, because a side's own dead feed its wish to strike back
(`grievance`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.operations import shares_of
from sim.model.theatre import ARMENIAN
from sim.rules.civilians import (
    flight,
    grievance,
    km_between,
    shelling_deaths,
    spread_by_population,
    strike_deaths,
)


class CivilianHarm:
    """Residents, the displaced and civilian deaths of one war, by side and town."""

    def __init__(self, model: Any, towns: Any):
        self.model = model
        t = model.theatre
        towns = dict(towns or {})
        self.names = list(towns)
        self.armenian = np.array([towns[n]["side"] == "armenian" for n in self.names], dtype=bool)
        self.population = np.array([float(towns[n]["population"]) for n in self.names])
        #: The sector an Armenian-side town lies in (-1 for Azerbaijani towns and towns outside every sector).
        self.sector = np.array([t.index.get(str(towns[n].get("sector") or ""), -1) for n in self.names], dtype=int)
        positions = np.array([list(towns[n]["position"]) for n in self.names], dtype=float).reshape(-1, 2)
        distance = np.array([float(towns[n]["distance_km"]) for n in self.names])  # to the line of contact
        #: Which sectors' guns reach each town (towns x sectors): the town lies within reach of the line, and
        #: of the sector's edge (its centre less the radius of a disc of its area).
        reach = model.harm.shelling_reach_km
        edge = km_between(positions, t.position) - np.sqrt(t.area / np.pi)
        self.in_reach = (edge <= reach) & (distance[:, None] <= reach)
        #: Residents still in each Azerbaijani town (an Armenian town's are its sector's, below).
        self.town_residents = self.population.copy()
        #: Residents still in each sector the Armenian side holds or held.
        self.sector_residents = t.population.copy()
        self.displaced = {"armenian": 0.0, "azerbaijani": 0.0}
        self.struck: set[str] = set()  # towns hit by a deliberate strike so far
        self.history: dict[str, list[float]] = {"armenian": [], "azerbaijani": []}

    # --- who is still there -----------------------------------------------------------------
    def occupancy(self) -> np.ndarray:
        """Share of each town's residents still there (an Armenian town: its sector's share)."""
        t = self.model.theatre
        sector_share = np.divide(
            self.sector_residents, t.population, out=np.zeros_like(t.population), where=t.population > 0
        )
        own = np.where(self.sector >= 0, sector_share[np.maximum(self.sector, 0)], 0.0)
        return np.where(self.armenian, own, self.town_residents / np.maximum(self.population, 1.0))

    def grievance(self, side: str) -> float:
        """How much a side's own civilian dead of recent days push it to strike back (0-1)."""
        m = self.model
        recent = self.history[side][-m.frustration_memory :]
        return grievance(sum(recent), m.grievance_deaths)

    # --- the day's harm -------------------------------------------------------------------------
    def day(self, sector_deaths: np.ndarray, sel: np.ndarray) -> None:
        """Civilian deaths and flight of a day of fighting in sectors `sel`.

        sector_deaths: expected deaths of the fighting in each attacked sector
        among its full population (the engagement's `civilian_deaths`). All the
        day's draws are Poisson and follow one another in one call.
        """
        m = self.model
        t, g, h, r = m.theatre, m.garrisons, m.harm, m.rules
        a, arm, art = m.attacker, m.armenia, m.artsakh
        occ = self.occupancy()
        n = len(self.names)
        town_fire = np.zeros(n)  # front-line fire on each town today, gun-days
        strike_fire = np.zeros(n)  # deliberate strikes on each town today, gun-days
        strike_mean = np.zeros(n)

        # Front-line shelling: the defenders' return fire on the attacker's rear, where its guns and
        # assault formations stand among Azerbaijan's front-line towns (Tartar, Barda). The
        # attacker's own fire falls on the fought-over sectors, whose residents bear it below.
        def_guns = g.artillery[sel]
        for k, i in enumerate(sel):
            towns = self.in_reach[:, i] & ~self.armenian
            if towns.any() and def_guns[k] > 0:
                town_fire[towns] += spread_by_population(r.return_fire_share * def_guns[k], self.population[towns])
        held_town = self.armenian & (self.sector >= 0)
        held_town[held_town] = t.controller[self.sector[held_town]] == ARMENIAN

        # Deliberate strikes on towns.
        if a.strikes:
            targets = held_town & t.karabakh[np.maximum(self.sector, 0)]
            if (m.contested & t.armenia_proper).any():
                targets = held_town  # towns of Armenia proper only in a war on Armenia proper (rung 5)
            fire = r.strike_share * a.pool.artillery
            self._strike(targets, fire, a.prefs.civilian_targeting, occ, strike_fire, strike_mean)
        for d, region in ((art, t.karabakh), (arm, t.armenia_proper)):
            if d.strikes:
                fire = r.strike_share * float(g.artillery[region].sum())
                self._strike(~self.armenian, fire, d.prefs.civilian_targeting, occ, strike_fire, strike_mean)

        sector_mean = sector_deaths * self._sector_occupancy(sel)
        means = np.concatenate((sector_mean, shelling_deaths(town_fire, occ, h.shelling_lethality) + strike_mean))
        deaths = m.rng.poisson(means)
        in_ap = t.armenia_proper[sel]
        by_sector, by_town = deaths[: len(sel)], deaths[len(sel) :]
        town_ap = np.where(self.sector >= 0, t.armenia_proper[np.maximum(self.sector, 0)], False)
        arm_dead = by_sector[in_ap].sum() + by_town[self.armenian & town_ap].sum()
        art_dead = by_sector[~in_ap].sum() + by_town[self.armenian & ~town_ap].sum()
        az_dead = by_town[~self.armenian].sum()
        arm.civilian_deaths += arm_dead
        art.civilian_deaths += art_dead
        a.civilian_deaths += az_dead
        self.history["armenian"].append(float(arm_dead + art_dead))
        self.history["azerbaijani"].append(float(az_dead))
        att_guns = m.forecasts.committed().artillery * shares_of(m.capacity[sel])
        self._flee(sel, att_guns, town_fire + strike_fire)

    def _strike(self, targets, fire: float, willingness: float, occ, fire_out, deaths_out) -> None:
        """A deliberate strike of `fire` gun-days on the `targets` towns, spread by population."""
        if not targets.any() or fire <= 0:
            return
        share = spread_by_population(fire, self.population[targets])
        fire_out[targets] += share
        deaths_out[targets] += strike_deaths(share, occ[targets], self.model.harm.town_strike_lethality, willingness)
        self.struck.update(n for n, s in zip(self.names, targets, strict=True) if s)

    def _sector_occupancy(self, sel: np.ndarray) -> np.ndarray:
        t = self.model.theatre
        pop = t.population[sel]
        return np.divide(self.sector_residents[sel], pop, out=np.zeros_like(pop), where=pop > 0)

    def _flee(self, sel: np.ndarray, sector_fire: np.ndarray, town_fire: np.ndarray) -> None:
        """Residents leave the sectors fought over and the towns hit today, as hard as they were hit.

        An Armenian town's residents are counted in its sector's: fire on the
        town (outside the sectors fought over) empties the sector in the
        town's share of its population.
        """
        rate = self.model.harm.flight_rate
        t = self.model.theatre
        pop = t.population
        fire = np.zeros(len(pop))
        fire[sel] += sector_fire
        for j in np.flatnonzero(self.armenian & (self.sector >= 0) & (town_fire > 0)):
            fire[self.sector[j]] += town_fire[j]
        left = flight(self.sector_residents, fire, pop, rate)
        self.sector_residents -= left
        self.displaced["armenian"] += float(left.sum())
        az = ~self.armenian
        gone = flight(self.town_residents[az], town_fire[az], self.population[az], rate)
        self.town_residents[az] -= gone
        self.displaced["azerbaijani"] += float(gone.sum())

    def sector_lost(self, i: int) -> None:
        """A sector changed hands: its remaining residents leave with the defenders."""
        self.displaced["armenian"] += float(self.sector_residents[i])
        self.sector_residents[i] = 0.0
