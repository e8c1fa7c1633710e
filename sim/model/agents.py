"""Mesa agents: the belligerents, the outside powers and the mediating institution.

Agents hold their own state (forces, losses, today's choice) and make their own
choices; the arithmetic of a choice lives in sim.rules.decisions and the forecasts
they choose from come from the model (sim.model.conflict), which sees the whole theatre.
"""

from __future__ import annotations

from typing import Any

import mesa

from sim.rules.decisions import (
    DEFENCES,
    OPTIONS,
    STANCES,
    Defence,
    Operation,
    PowerInterests,
    Preferences,
    Stance,
    belligerent_utility,
    logit_choice,
    power_utilities,
)
from sim.model.operations import Pool
from sim.config.schema import SIDES

# The agents' model is a sim.model.conflict.ConflictModel, which imports this module;
# it is typed as Any here so that the two do not import each other.
ConflictModel = Any


def _v(spec: Any, key: str) -> float:
    return float(spec[key].value)


class Belligerent(mesa.Agent):
    """A party to the war: Azerbaijan, Armenia or the Artsakh forces."""

    model: Any  # the ConflictModel

    def __init__(self, model: ConflictModel, name: str, spec: Any):
        super().__init__(model)
        self.name = name
        self.side = SIDES[name]
        self.regime = spec.regime
        self.prefs = Preferences(
            revanchism=_v(spec, "revanchism"),
            casualty_sensitivity=_v(spec, "casualty_sensitivity"),
            regime_casualty_weight=_v(spec, "regime_casualty_weight"),
            battlefield_legitimacy=_v(spec, "battlefield_legitimacy"),
            domestic_pressure=_v(spec, "domestic_pressure"),
            civilian_targeting=_v(spec, "civilian_targeting"),
            temperature=_v(spec, "decision_temperature"),
        )
        self.arms_spending = _v(spec, "arms_spending")
        self.pool = Pool(_v(spec, "troops"), _v(spec, "armour"), _v(spec, "artillery"), _v(spec, "uavs"))
        self.initial = Pool(self.pool.troops, self.pool.armour, self.pool.artillery, self.pool.uavs)
        self.reserves = _v(spec, "reserves")
        self.mobilisation_rate = _v(spec, "mobilisation_rate")
        self.military_deaths = 0.0
        self.wounded = 0.0
        self.armour_lost = 0.0
        self.artillery_lost = 0.0
        self.civilian_deaths = 0.0  # civilians of this belligerent's population killed
        self.pressure = 0.0  # international pressure on this belligerent, 0-1
        self.action = "HOLD"

    def mobilise(self) -> float:
        """Call up reservists; returns the troops added today."""
        n = min(self.reserves, self.mobilisation_rate)
        self.reserves -= n
        return n

    def utilities(self, forecasts, frustration: float) -> list[float]:
        w = self.model.weights
        return [belligerent_utility(fc, self.prefs, w, self.pressure, frustration) for fc in forecasts]


class Attacker(Belligerent):
    """The revisionist belligerent (Azerbaijan): chooses an `Operation` each day."""

    def options(self) -> tuple[Operation, ...]:
        """The operations its war aims allow, in rung order."""
        return OPTIONS[self.model.war_aims]

    def decide(self) -> Operation:
        m = self.model
        if m.day == 1:
            op = Operation[m.opening]
        else:
            ops = self.options()
            forecasts = [m.forecast_operation(op) for op in ops]
            u = self.utilities(forecasts, m.frustration())
            op = ops[logit_choice(u, self.prefs.temperature, m.rng.random())]
        self.action = op.name
        return op


class Defender(Belligerent):
    """A defending belligerent (Armenia, Artsakh): chooses a `Defence` each day."""

    def decide(self) -> Defence:
        m = self.model
        u = self.utilities(m.forecast_defences(self), 0.0)
        choice = DEFENCES[logit_choice(u, self.prefs.temperature, m.rng.random())]
        self.action = choice.name
        return choice


class OutsidePower(mesa.Agent):
    """A regional or great power outside the war, choosing a `Stance` each day."""

    model: Any  # the ConflictModel

    def __init__(self, model: ConflictModel, name: str, spec: Any):
        super().__init__(model)
        self.name = name
        self.interests = PowerInterests(
            resolve=_v(spec, "resolve"),
            stability_interest=_v(spec, "stability_interest"),
            influence_interest=_v(spec, "influence_interest"),
            intervention_cost=_v(spec, "intervention_cost"),
            temperature=_v(spec, "decision_temperature"),
        )
        self.border_interest = _v(spec, "border_interest")
        self.intervention_force = _v(spec, "intervention_force")
        self.resupply_capacity = _v(spec, "resupply_capacity")
        self.peacekeepers = bool(spec.peacekeepers)
        self.stance = Stance.STAY_OUT
        self.intervened = False
        # Read off the ties by the model (PowersMixin._read_ties), fixed for a run:
        self.side: str | None = None  # the side it would fight on
        self.mediation_tie = 0.0  # its tie to the mediating institution
        self.attacker_alliance = 0.0  # its alliance with the attacker
        self.armenian_alliance = 0.0  # its strongest alliance with Armenia or Artsakh
        self.alliance_scope = "all"  # what its first alliance covers
        self.arms_to_attacker = 0.0  # its arms-supply tie to the attacker
        self.arms_to_defenders = 0.0  # its strongest arms-supply tie to Armenia or Artsakh
        self.alliances: list[tuple[float, str, str]] = []  # (weight, belligerent, scope), config order
        self.arms_ties: list[tuple[float, str]] = []  # (weight, belligerent armed)
        self.rivalries: list[tuple[float, str]] = []  # (weight, rival power)

    def decide(self) -> Stance:
        """Choose today's stance; once in the war, a power stays in it."""
        m = self.model
        if self.intervened:
            self.stance = Stance.INTERVENE
            return self.stance
        situation = m.situation_of(self)
        u = power_utilities(situation, self.interests, m.stance_costs)
        if self.intervention_force <= 0 or self.side is None:
            u[Stance.INTERVENE] = -1e9
            u[Stance.THREATEN] = -1e9
        self.stance = STANCES[logit_choice(u, self.interests.temperature, m.rng.random())]
        if self.stance == Stance.INTERVENE:
            self.intervened = True
        return self.stance


class Mediator(mesa.Agent):
    """The OSCE Minsk Group: proposes ceasefires while there is fighting."""

    model: Any  # the ConflictModel

    def __init__(self, model: ConflictModel, name: str, spec: Any):
        super().__init__(model)
        self.name = name
        self.strength = _v(spec, "strength")
        self.durability = _v(spec, "ceasefire_durability")

    def proposes(self) -> bool:
        return self.model.rng.random() < self.strength
