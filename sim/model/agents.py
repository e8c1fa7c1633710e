"""Mesa agents: the belligerents, the outside powers and the mediating institution.

Agents hold their own state (forces, losses, today's action) and make their own
choices: which operation or defence to take, whether to accept a ceasefire,
which stance to adopt. The arithmetic of a choice lives in sim.rules.decisions;
the forecasts they choose from come from the model's `forecasts` and
`politics` (sim.model.forecasts, sim.model.powers), which see the whole theatre.
"""

from __future__ import annotations

import math
from typing import Any

import mesa

from sim.config.schema import BELLIGERENTS, SIDES
from sim.model.operations import Pool
from sim.model.ties import Ties
from sim.rules.decisions import (
    DEFENCES,
    OPTIONS,
    STANCES,
    Defence,
    Operation,
    OptionForecast,
    PowerInterests,
    Preferences,
    Stance,
    acceptance_probability,
    belligerent_utilities,
    decides_to_intervene,
    logit_choice,
    power_utilities,
    strike_utilities,
)

# The agents' model is a sim.model.conflict.ConflictModel, which imports this module;
# it is typed as Any here so that the two do not import each other.
ConflictModel = Any

#: The label of a belligerent's action on a day it chooses none: a ceasefire is in force.
CEASEFIRE = "CEASEFIRE"
_LABELS: dict[Any, str] = {None: CEASEFIRE}
_LABELS.update({op: op.name for op in Operation})  # an enum's .name is a slow property: read once
_DEFENCE_LABELS: dict[Any, str] = {None: CEASEFIRE}
_DEFENCE_LABELS.update({d: d.name for d in Defence})  # a separate table: IntEnum members of equal value hash equal


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
        self.pool = Pool(
            _v(spec, "troops"), _v(spec, "armour"), _v(spec, "artillery"), _v(spec, "uavs"), _v(spec, "air_defence")
        )
        self.initial = Pool(**vars(self.pool))
        reserve = _v(spec, "equipment_reserve")
        #: Equipment in depots, per type (sim.rules.logistics.EQUIPMENT): what replaces losses before any supplier.
        self.stock = [reserve * x for x in self.pool.equipment()]
        self.reserves = _v(spec, "reserves")
        self.mobilisation_rate = _v(spec, "mobilisation_rate")
        self.military_deaths = 0.0
        self.wounded = 0.0
        self.armour_lost = 0.0
        self.artillery_lost = 0.0
        self.air_defence_lost = 0.0
        self.replaced = 0.0  # equipment (all types) replaced so far, from depots and suppliers
        self.civilian_deaths = 0.0  # civilians of this belligerent's population killed
        self.foreign_fighters = 0.0  # foreign fighters in its committed force (the attacker's Syrian fighters)
        self.foreign_fighter_deaths = 0.0  # booked apart from its own military deaths
        self.uavs_lost = 0.0  # UAV sorties' worth of drones shot down or lost
        self.pressure = 0.0  # international pressure on this belligerent, 0-1
        self.action: Operation | Defence | None = None  # today's choice; None under a ceasefire
        self.strikes = False  # whether it struck the other side's towns today

    def mobilise(self) -> float:
        """Call up reservists; returns the troops added today."""
        n = min(self.reserves, self.mobilisation_rate)
        self.reserves -= n
        return n

    def utilities(self, forecasts, frustration: float) -> list[float]:
        """Its utility of each forecast option (its grievance counts only in an option that strikes towns)."""
        m = self.model
        strikes = any(fc.strikes_civilians for fc in forecasts)
        grievance = m.civilians.grievance(self.side) if strikes else 0.0
        return belligerent_utilities(forecasts, self.prefs, m.weights, self.pressure, frustration, grievance)

    def stand_down(self) -> None:
        """A ceasefire is in force: no action today."""
        self.action = None
        self.strikes = False

    def decide_strikes(self, rung: int, frustration: float, ally_risk: float) -> bool:
        """Whether it strikes the other side's towns today, beside its ground action (a logit choice).

        rung: the rung its ground action implies today; ally_risk: the risk the
        strikes bring the attacker's ally into the war (zero for the attacker).
        """
        m = self.model
        u = strike_utilities(
            self.prefs, m.weights, self.pressure, frustration, m.civilians.grievance(self.side), rung, ally_risk
        )
        self.strikes = logit_choice(u, self.prefs.temperature, m.rng.random()) == 1
        return self.strikes

    def _acceptance(self, value_continue: float, value_stop: float, broker: str) -> float:
        """Probability of accepting a ceasefire from `broker`: stopping is worth the ceasefire's
        own value and the trust in the broker (its tie to this belligerent)."""
        m = self.model
        value_stop += m.diplomacy["ceasefire_value"] + m.diplomacy["patron_trust"] * m.ties.weight(broker, self.name)
        return acceptance_probability(value_continue, value_stop, self.prefs.temperature)


class Attacker(Belligerent):
    """The revisionist belligerent (Azerbaijan): chooses an `Operation` each day."""

    action: Operation | None

    def __init__(self, model: ConflictModel, name: str, spec: Any):
        super().__init__(model, name, spec)
        self.action = Operation.HOLD

    @property
    def action_label(self) -> str:
        """Today's action as a label (the daily table's action column): an operation's name or CEASEFIRE."""
        return _LABELS[self.action]

    def options(self) -> tuple[Operation, ...]:
        """The operations its war aims allow, in rung order."""
        return OPTIONS[self.model.war_aims]

    def weigh(self) -> list[tuple[Operation, float]]:
        """Each option with its utility as the war stands now (what `decide` draws from)."""
        m = self.model
        ops = self.options()
        forecasts = m.forecasts.operations()
        u = self.utilities([forecasts[op] for op in ops], m.forecasts.frustration())
        return list(zip(ops, u, strict=True))

    def decide(self) -> Operation:
        """Today's operation: the scenario's opening on day one, then a logit choice over the options."""
        m = self.model
        if m.day == 1:
            op = Operation[m.opening]
        else:
            ops, u = zip(*self.weigh(), strict=True)
            op = ops[logit_choice(list(u), self.prefs.temperature, m.rng.random())]
        self.action = op
        return op

    def acceptance(self, broker: str) -> float:
        """Probability of accepting a ceasefire: the best offensive it could fight on with against holding."""
        m = self.model
        frustration = m.forecasts.frustration()
        ops = self.options()
        every = m.forecasts.operations()
        forecasts = [every[op] for op in ops if op >= Operation.LIMITED_OFFENSIVE]
        stop = self.utilities([every[Operation.HOLD]], frustration)[0]
        return self._acceptance(max(self.utilities(forecasts, frustration), default=0.0), stop, broker)


class Defender(Belligerent):
    """A defending belligerent (Armenia, Artsakh): chooses a `Defence` each day.

    Its troops, armour and guns stand in the sectors of its region, in the
    Armenian side's shared garrisons (sim.model.garrisons, the model's `garrisons`).
    """

    action: Defence | None

    def __init__(self, model: ConflictModel, name: str, spec: Any):
        super().__init__(model, name, spec)
        self.action = Defence.DEFEND

    @property
    def action_label(self) -> str:
        """Today's action as a label (the daily table's action column): a defence's name or CEASEFIRE."""
        return _DEFENCE_LABELS[self.action]

    def forecasts(self) -> tuple[OptionForecast, ...]:
        """What each defence (index = Defence) is expected to bring today."""
        return self.model.forecasts.defences(self)

    def decide(self) -> Defence:
        m = self.model
        u = self.utilities(self.forecasts(), 0.0)
        choice = DEFENCES[logit_choice(u, self.prefs.temperature, m.rng.random())]
        self.action = choice
        return choice

    def acceptance(self, broker: str) -> float:
        """Probability of accepting a ceasefire: the best defence against stopping (worth nothing in itself)."""
        return self._acceptance(max(self.utilities(self.forecasts(), 0.0), default=0.0), 0.0, broker)


class OutsidePower(mesa.Agent):
    """A regional or great power outside the war, choosing a `Stance` each day."""

    model: Any  # the ConflictModel

    def __init__(self, model: ConflictModel, name: str, spec: Any, ties: Ties):
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
        self.intelligence = _v(spec, "intelligence")  # reconnaissance it lends the attacker, in its own sorties
        self.peacekeepers = bool(spec.peacekeepers)
        self.abstains = bool(spec.get("abstains", False))  # stands aside: no stance but STAY_OUT, so never brokers
        self.stance = Stance.STAY_OUT
        self.intervened = False
        self._read_ties(ties)

    def _read_ties(self, ties: Ties) -> None:
        """Its own ties, which its daily choices and the belligerents' forecasts read (fixed for a run)."""
        me = self.name
        self.side = ties.side_of(me, self.border_interest)  # the side it would fight on
        self.mediation_tie = ties.weight(me, "minsk_group", ("mediation",))  # its tie to the mediating institution
        self.attacker_alliance = ties.weight(me, "azerbaijan", ("alliance",))  # its alliance with the attacker
        # its strongest alliance, and arms-supply tie, with Armenia or Artsakh
        self.armenian_alliance = max(
            ties.weight(me, "armenia", ("alliance",)), ties.weight(me, "artsakh", ("alliance",))
        )
        self.alliance_scope = ties.alliance_scope(me)  # what its first alliance covers
        self.arms_to_attacker = ties.weight(me, "azerbaijan", ("arms_supply",))
        self.arms_to_defenders = max(
            ties.weight(me, "armenia", ("arms_supply",)), ties.weight(me, "artsakh", ("arms_supply",))
        )
        own = ties.of(me)
        # (weight, belligerent, scope) of its alliances, config order; (weight, belligerent armed); (weight, rival)
        self.alliances = [
            (t["weight"], t["partner"], t["scope"])
            for t in own
            if t["kind"] == "alliance" and t["partner"] in BELLIGERENTS
        ]
        self.arms_ties = [(t["weight"], t["partner"]) for t in own if t["kind"] == "arms_supply"]
        self.rivalries = [(t["weight"], t["partner"]) for t in own if t["kind"] == "rivalry"]

    def decide(self) -> Stance:
        """Choose today's stance; once in the war, a power stays in it.

        Entering the war is a decision taken once, on the day it is worth more
        than every other stance (sim.rules.decisions.decides_to_intervene);
        otherwise the day's stance is a logit choice among the others. A power
        that abstains stays out.
        """
        m = self.model
        if self.intervened:
            self.stance = Stance.INTERVENE
            return self.stance
        if self.abstains:
            self.stance = Stance.STAY_OUT
            return self.stance
        situation = m.politics.situation_of(self)
        u = power_utilities(situation, self.interests, m.stance_costs)
        if self.intervention_force <= 0 or self.side is None:  # no force to send or no side to fight on
            u[Stance.INTERVENE] = -math.inf
            u[Stance.THREATEN] = -math.inf
        if decides_to_intervene(u):
            self.stance, self.intervened = Stance.INTERVENE, True
            return self.stance
        u[Stance.INTERVENE] = -math.inf
        self.stance = STANCES[logit_choice(u, self.interests.temperature, m.rng.random())]
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
