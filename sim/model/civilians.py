"""CivilianHarm: the people of the theatre's towns and sectors, and what the war does to them.

Each day of fighting (a ConflictModel's `civilians`, called by the Front):

- the fighting in a sector kills some of its residents (collateral fire,
  sim.rules.combat.collateral_deaths, in proportion to those still there);
- each side's guns in a fought-over sector reach the other side's towns within
  `shelling_reach_km` of it (front-line shelling): the defenders' the attacker's
  rear (Tartar and Barda from the Martakert and Aghdam fronts), the attacker's
  the defenders' towns behind the sectors it assaults (Martuni, Martakert);
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

from sim.model.draws import poisson_each
from sim.model.operations import shares_of
from sim.model.theatre import ARMENIAN
from sim.rules.civilians import (
    flight,
    grievance,
    km_between,
    population_scale,
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
        self._grievance: dict[str, float] = {}  # each side's grievance while its record is unchanged
        self._index(t)

    def _index(self, t: Any) -> None:
        """Which towns are whose and lie where, as index lists: fixed for a run, read every day of fighting.

        The day's arithmetic is then a few operations over the towns concerned,
        element by element the same as over the masks they stand for.
        """
        self._az = np.nonzero(~self.armenian)[0]
        self._az_population = self.population[self._az]
        self._az_scale = population_scale(self._az_population)
        self._armenian = np.nonzero(self.armenian)[0]
        #: Armenian-side towns within a sector, and that sector: their residents are the sector's.
        self._sectored = np.nonzero(self.armenian & (self.sector >= 0))[0]
        self._sector_of = self.sector[self._sectored]
        in_ap = np.where(self.sector >= 0, t.armenia_proper[np.maximum(self.sector, 0)], False)
        self._in_karabakh = t.karabakh[np.maximum(self.sector, 0)]
        self._armenia_towns = np.nonzero(self.armenian & in_ap)[0].tolist()
        self._artsakh_towns = np.nonzero(self.armenian & ~in_ap)[0].tolist()
        self._az_towns = self._az.tolist()
        self._town_floor = np.maximum(self.population, 1.0)
        #: A sector's pre-war residents, 1 where it had none (its residents are then 0: their share is 0).
        self._sector_population = np.where(t.population > 0, t.population, 1.0)
        self._sector_scale = population_scale(t.population)
        #: Where each sector's front-line fire falls (sectors x towns: each row spreads one gun-day over the
        #: towns it reaches, by population): the defenders' guns reach Azerbaijani towns, the attacker's the
        #: Armenian side's outside the sector itself (a town in a fought-over sector bears the fight's own
        #: fire with the sector's residents), and those of Armenia proper only in a war on it (rung 5:
        #: `interdiction_armenia`), as for deliberate strikes.
        own_sector = self.sector[:, None] == np.arange(len(t.names))[None, :]
        behind = self.in_reach & self.armenian[:, None] & ~own_sector
        self.return_fire = self._spread_of(self.in_reach & ~self.armenian[:, None])
        self.interdiction = self._spread_of(behind & ~in_ap[:, None])
        self.interdiction_armenia = self._spread_of(behind)
        self._in_ap = t.armenia_proper.tolist()

    def _spread_of(self, reach: np.ndarray) -> np.ndarray:
        """(sectors x towns) one gun-day of each sector's fire spread over the towns it reaches (`reach`:
        towns x sectors) by population, sim.rules.civilians.spread_by_population, row by row."""
        return np.array([spread_by_population(1.0, np.where(row, self.population, 0.0)) for row in reach.T])

    # --- who is still there -----------------------------------------------------------------
    def occupancy(self) -> np.ndarray:
        """Share of each town's residents still there (an Armenian town: its sector's share)."""
        occ = self.town_residents / self._town_floor
        occ[self._armenian] = 0.0
        sectors = self._sector_of
        occ[self._sectored] = self.sector_residents[sectors] / self._sector_population[sectors]
        return occ

    def grievance(self, side: str) -> float:
        """How much a side's own civilian dead of recent days push it to strike back (0-1)."""
        found = self._grievance.get(side)
        if found is None:  # it changes only with the record of deaths, so it is kept until a day adds to it
            m = self.model
            recent = self.history[side][-m.frustration_memory :]
            found = self._grievance[side] = grievance(sum(recent), m.grievance_deaths)
        return found

    # --- the day's harm -------------------------------------------------------------------------
    def day(self, sector_deaths: np.ndarray, sel: np.ndarray, attacker_fire: np.ndarray | None = None) -> None:
        """Civilian deaths and flight of a day of fighting in sectors `sel`.

        sector_deaths: expected deaths of the fighting in each attacked sector
        among its full population (the engagement's `civilian_deaths`);
        attacker_fire: the attacker's guns in each of them (computed from the
        committed forces unless the fight passes them). All the day's draws are
        Poisson and follow one another in one call.
        """
        m = self.model
        t, g, h, r = m.theatre, m.garrisons, m.harm, m.rules
        a, arm, art = m.attacker, m.armenia, m.artsakh
        occ = self.occupancy()
        n = len(self.names)
        strike_fire = np.zeros(n)  # deliberate strikes on each town today, gun-days
        strike_mean = np.zeros(n)
        where = sel.tolist()

        # Front-line shelling: the defenders' return fire on the attacker's rear, where its guns and
        # assault formations stand among Azerbaijan's front-line towns (Tartar, Barda), and the
        # attacker's fire on the defenders' front-line towns behind the sectors it assaults
        # (Martuni, Martakert). Its fire on the fought-over sectors themselves falls on their
        # residents, below. (Each sector's row of `return_fire` and `interdiction`, computed once for
        # the run, spreads a gun-day over the towns it reaches by population.)
        if attacker_fire is None:
            attacker_fire = m.forecasts.committed().artillery * shares_of(m.capacity[sel])
        town_fire = r.return_fire_share * (g.artillery[sel] @ self.return_fire[sel])
        war_on_armenia = bool((m.contested & t.armenia_proper).any())
        spread = self.interdiction_armenia if war_on_armenia else self.interdiction
        town_fire += r.interdiction_share * (np.asarray(attacker_fire, dtype=float) @ spread[sel])

        # Deliberate strikes on towns.
        if a.strikes:
            held_town = np.zeros(n, dtype=bool)
            held_town[self._sectored] = t.controller[self._sector_of] == ARMENIAN
            targets = held_town & self._in_karabakh
            if war_on_armenia:
                targets = held_town  # towns of Armenia proper only in a war on Armenia proper (rung 5)
            fire = r.strike_share * a.pool.artillery
            self._strike(targets, fire, a.prefs.civilian_targeting, occ, strike_fire, strike_mean)
        for d, region in ((art, t.karabakh), (arm, t.armenia_proper)):
            if d.strikes:
                fire = r.strike_share * float(g.artillery[region].sum())
                self._strike(~self.armenian, fire, d.prefs.civilian_targeting, occ, strike_fire, strike_mean)

        sector_mean = sector_deaths * (self.sector_residents[sel] / self._sector_population[sel])
        means = np.concatenate((sector_mean, shelling_deaths(town_fire, occ, h.shelling_lethality) + strike_mean))
        deaths = poisson_each(m.rng, means.tolist())
        by_sector, by_town = deaths[: len(where)], deaths[len(where) :]
        in_ap = self._in_ap
        arm_dead = sum([d for i, d in zip(where, by_sector, strict=True) if in_ap[i]])
        arm_dead += sum([by_town[j] for j in self._armenia_towns])
        art_dead = sum([d for i, d in zip(where, by_sector, strict=True) if not in_ap[i]])
        art_dead += sum([by_town[j] for j in self._artsakh_towns])
        az_dead = sum([by_town[j] for j in self._az_towns])
        arm.civilian_deaths += arm_dead
        art.civilian_deaths += art_dead
        a.civilian_deaths += az_dead
        self.history["armenian"].append(float(arm_dead + art_dead))
        self.history["azerbaijani"].append(float(az_dead))
        self._grievance.clear()
        self._flee(sel, attacker_fire, town_fire + strike_fire)

    def _strike(self, targets, fire: float, willingness: float, occ, fire_out, deaths_out) -> None:
        """A deliberate strike of `fire` gun-days on the `targets` towns, spread by population."""
        if not targets.any() or fire <= 0:
            return
        share = spread_by_population(fire, self.population[targets])
        fire_out[targets] += share
        deaths_out[targets] += strike_deaths(share, occ[targets], self.model.harm.town_strike_lethality, willingness)
        self.struck.update(n for n, s in zip(self.names, targets, strict=True) if s)

    def _flee(self, sel: np.ndarray, sector_fire: np.ndarray, town_fire: np.ndarray) -> None:
        """Residents leave the sectors fought over and the towns hit today, as hard as they were hit.

        An Armenian town's residents are counted in its sector's: fire on the
        town (outside the sectors fought over) empties the sector in the
        town's share of its population. (The populations' scales are computed once for the run.)
        """
        rate = self.model.harm.flight_rate
        fire = np.zeros(len(self.sector_residents))
        fire[sel] += sector_fire
        on_towns = town_fire[self._sectored]
        for j in (on_towns > 0).nonzero()[0].tolist():
            fire[self._sector_of[j]] += on_towns[j]
        left = flight(self.sector_residents, fire, None, rate, scale=self._sector_scale)
        self.sector_residents -= left
        self.displaced["armenian"] += float(left.sum())
        az = self._az
        az_fire = town_fire[az]
        if az_fire.any():  # no fire, no flight: nothing changes
            gone = flight(self.town_residents[az], az_fire, None, rate, scale=self._az_scale)
            self.town_residents[az] -= gone
            self.displaced["azerbaijani"] += float(gone.sum())

    def sector_lost(self, i: int) -> None:
        """A sector changed hands: its remaining residents leave with the defenders."""
        self.displaced["armenian"] += float(self.sector_residents[i])
        self.sector_residents[i] = 0.0
