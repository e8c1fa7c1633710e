"""Decision rules: bounded-rational expected utility with a logit choice.

Pure functions, no Mesa. The model forecasts what each option would bring (its
`OptionForecast`), these functions turn forecasts into utilities and choices.
A belligerent weighs territory (valued by revanchism, and more when the regime's
legitimacy rides on the battlefield), its own casualties (weighted by casualty
sensitivity and regime type), international pressure against escalation, and the
risk that an enemy's ally intervenes. Outside powers weigh their ties and
interests. Choices are logit: P(a) proportional to exp(U(a) / temperature), so a
low temperature is a calculating actor and a high one a noisy one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

import numpy as np


class Operation(IntEnum):
    """The attacker's daily ground options; the value is the lowest rung the option implies.

    (Rung 4, strikes on towns, is not a ground option: each side decides every
    day whether to strike the other's towns as well, `strike_utilities`.)
    """

    HOLD = 0
    SKIRMISH = 1
    LIMITED_OFFENSIVE = 2
    GENERAL_OFFENSIVE = 3
    ATTACK_ARMENIA = 5


class Defence(IntEnum):
    """The Armenian side's daily ground options (Artsakh forces and Armenia)."""

    DEFEND = 0
    COUNTERATTACK = 1


class Stance(IntEnum):
    """An outside power's daily options, from least to most involved."""

    STAY_OUT = 0
    PRESSURE = 1
    MEDIATE = 2
    RESUPPLY = 3
    THREATEN = 4
    INTERVENE = 5


#: War aims cap the attacker's options (a scenario input: April 2016 was a limited
#: operation, the document calls 2020 "much grander in scale and space").
WAR_AIMS = {
    "limited": Operation.LIMITED_OFFENSIVE,
    "general": Operation.GENERAL_OFFENSIVE,
    "open": Operation.ATTACK_ARMENIA,
}

#: The attacker's options under each war aim, in rung order (built once: iterating an enum is slow).
OPTIONS = {aims: tuple(op for op in Operation if op <= cap) for aims, cap in WAR_AIMS.items()}
DEFENCES = tuple(Defence)
STANCES = tuple(Stance)  # STANCES[k] is Stance(k), without the enum's slow call


@dataclass(frozen=True)
class Preferences:
    """What a belligerent cares about (values from conf/belligerents)."""

    revanchism: float
    casualty_sensitivity: float
    regime_casualty_weight: float
    battlefield_legitimacy: float
    domestic_pressure: float
    civilian_targeting: float
    temperature: float


@dataclass(frozen=True)
class Weights:
    """Scale of each term of a belligerent's utility (conf/decisions)."""

    gain: float
    losses: float
    pressure: float
    intervention: float
    civilian_strikes: float


class OptionForecast(NamedTuple):
    """What one option is expected to bring over the next day.

    (A NamedTuple, not a frozen dataclass: the model builds dozens a day, and a
    tuple is several times cheaper to build.)

    gain: strategic value taken (attacker) or kept/retaken (defender), share of the theatre
    losses: own military deaths expected, in hundreds
    escalation: the rung the option implies
    intervention_risk: probability that an outside power enters the war against the chooser
    strikes_civilians: whether the option shells population centres
    """

    gain: float
    losses: float
    escalation: int
    intervention_risk: float
    strikes_civilians: bool = False


def belligerent_utility(
    option: OptionForecast,
    prefs: Preferences,
    w: Weights,
    pressure: float,
    frustration: float,
    grievance: float = 0.0,
) -> float:
    """Expected utility of one option for a belligerent.

    pressure: international pressure on the chooser now (0-1), which makes each
    rung above skirmishing costlier; frustration: the share of recent days the
    offensive gained nothing, which the document links to shelling civilian areas;
    grievance: how much the chooser's own civilian dead of recent days push it
    to strike back (0-1; sim.rules.civilians.grievance), since each side
    presented its strikes on towns as answers to the other's.
    """
    legitimacy = 1.0 + prefs.battlefield_legitimacy * prefs.domestic_pressure
    u = w.gain * prefs.revanchism * legitimacy * option.gain
    u -= w.losses * prefs.casualty_sensitivity * prefs.regime_casualty_weight * option.losses
    u -= w.pressure * pressure * max(0, option.escalation - 1)
    u -= w.intervention * option.intervention_risk
    if option.strikes_civilians:
        motive = frustration + prefs.domestic_pressure + grievance
        u += w.civilian_strikes * (prefs.civilian_targeting * motive - 1.0)
    return u


def belligerent_utilities(
    options,
    prefs: Preferences,
    w: Weights,
    pressure: float,
    frustration: float,
    grievance: float = 0.0,
) -> list[float]:
    """`belligerent_utility` of each option, with the chooser's own weights multiplied out once.

    Each term is the same product in the same order as belligerent_utility's
    (the weights' products are its left-hand factors), so the numbers are
    the same; a belligerent weighs several options many times a day.
    """
    legitimacy = 1.0 + prefs.battlefield_legitimacy * prefs.domestic_pressure
    per_gain = w.gain * prefs.revanchism * legitimacy
    per_loss = w.losses * prefs.casualty_sensitivity * prefs.regime_casualty_weight
    per_rung = w.pressure * pressure
    out = []
    for option in options:
        u = per_gain * option.gain
        u -= per_loss * option.losses
        u -= per_rung * max(0, option.escalation - 1)
        u -= w.intervention * option.intervention_risk
        if option.strikes_civilians:
            motive = frustration + prefs.domestic_pressure + grievance
            u += w.civilian_strikes * (prefs.civilian_targeting * motive - 1.0)
        out.append(u)
    return out


#: A strike on towns puts the war on this rung at least (sim.rules.ladder.Rung.STRIKES_ON_POPULATION_CENTRES).
STRIKE_RUNG = 4


def strike_utilities(
    prefs: Preferences,
    w: Weights,
    pressure: float,
    frustration: float,
    grievance: float,
    rung: int,
    ally_risk: float,
) -> list[float]:
    """Utilities of (holding fire, striking the other side's towns) on a day of fighting.

    A decision of its own, beside the day's ground option: the ground war is
    the same either way, so the two differ by the strike's own terms only
    (belligerent_utility's): what striking is worth to the chooser (its
    willingness to target civilian areas times frustration, domestic pressure
    and grievance, less a fixed restraint), the pressure of escalating from
    today's rung to rung 4, and the risk that the strikes bring the attacker's
    ally in (`ally_risk`, zero for the attacker itself).
    """
    hold = OptionForecast(0.0, 0.0, rung, 0.0)
    strike = OptionForecast(0.0, 0.0, max(rung, STRIKE_RUNG), ally_risk, strikes_civilians=True)
    return belligerent_utilities((hold, strike), prefs, w, pressure, frustration, grievance)


def _logit_weights(utilities, temperature: float) -> tuple[list[float], float]:
    """exp((U - max U) / temperature) of each option, and their sum.

    Plain Python floats: a choice is among 3-6 options, made several times a
    day, and numpy's per-call cost exceeds the arithmetic at that size. The sum
    runs left to right, as numpy sums fewer than eight numbers.
    """
    t = max(temperature, 1e-9)
    z = [float(x) / t for x in utilities]
    top = max(z)  # -inf marks an option that is not open; some option always is
    if not math.isfinite(top):
        top = max(x for x in z if math.isfinite(x))
    w = [math.exp(x - top) for x in z]
    total = 0.0
    for x in w:
        total += x
    return w, total


def logit_probabilities(utilities, temperature: float) -> np.ndarray:
    """Logit (softmax) choice probabilities at a given temperature."""
    w, total = _logit_weights(utilities, temperature)
    return np.array([x / total for x in w])


def logit_choice(utilities, temperature: float, u01: float) -> int:
    """Index of the chosen option, given one uniform draw in [0, 1).

    The first option whose cumulative probability exceeds the draw (the last if
    rounding leaves the total just below it).
    """
    w, total = _logit_weights(utilities, temperature)
    cdf = 0.0
    for k, x in enumerate(w):
        cdf += x / total
        if cdf > u01:
            return k
    return len(w) - 1


def acceptance_probability(value_continue: float, value_stop: float, temperature: float) -> float:
    """Probability of accepting a ceasefire: a logit between stopping and continuing.

    A belligerent accepts when continuing is worth less than stopping; the logit
    gives the bounded-rational version of that rule.
    """
    x = (value_stop - value_continue) / max(temperature, 1e-9)
    return 1.0 / (1.0 + math.exp(-min(max(x, -50.0), 50.0)))


@dataclass(frozen=True)
class PowerInterests:
    """An outside power's interests (values from conf/powers)."""

    resolve: float
    stability_interest: float
    influence_interest: float
    intervention_cost: float
    temperature: float


class PowerSituation(NamedTuple):
    """What an outside power sees on a day (a NamedTuple: six are built a day).

    ally_threat: tie-weighted threat to the belligerents it is allied with, in the
      scope its guarantee covers (0-1)
    arms_need: tie-weighted equipment losses of the belligerents it arms (0-1)
    mediation_tie: weight of its mediating role (0-1)
    escalation: today's rung / 7
    rival_intervened: 1 if a rival power is in the war on the other side
    rivalry: weight of that rivalry (0-1)
    """

    ally_threat: float
    arms_need: float
    mediation_tie: float
    escalation: float
    rival_intervened: float
    rivalry: float


@dataclass(frozen=True)
class StanceCosts:
    """Fixed terms of the stance utilities, shared by every power (conf/decisions).

    stance_cost: effort of pressure, mediation or resupply (staying out is the zero point)
    threat_cost: reputation a public threat commits
    resupply_stake: value of one unit of arms need before the power's influence interest
    intervention_stakes: worth of entering a war per unit of resolve x stakes
    """

    stance_cost: float
    threat_cost: float
    resupply_stake: float
    intervention_stakes: float


def power_utilities(s: PowerSituation, i: PowerInterests, c: StanceCosts) -> list[float]:
    """Utility of each `Stance` for an outside power (index = Stance value).

    Entering the war is worth resolve x stakes x intervention_stakes, less the
    power's cost of intervening; the stakes are the threat to its ally in the
    scope of its guarantee or to its border (ally_threat) plus a rival already
    in the war on the other side (rival_intervened x rivalry). A power with no
    resolve or nothing at stake neither threatens nor intervenes (-inf), however
    low its cost: nothing to fight for, no war.
    """
    u = [0.0] * len(Stance)
    u[Stance.PRESSURE] = i.stability_interest * s.escalation - c.stance_cost
    # Only a power with a mediating role (a tie to the mediating institution) can broker.
    u[Stance.MEDIATE] = (
        s.mediation_tie * (i.stability_interest + i.influence_interest) * s.escalation - c.stance_cost
        if s.mediation_tie > 0
        else -math.inf
    )
    u[Stance.RESUPPLY] = s.arms_need * (c.resupply_stake + i.influence_interest) - c.stance_cost
    u[Stance.THREATEN] = i.resolve * s.ally_threat - c.threat_cost if i.resolve * s.ally_threat > 0 else -math.inf
    stakes = s.ally_threat + s.rival_intervened * s.rivalry
    u[Stance.INTERVENE] = (
        i.resolve * stakes * c.intervention_stakes - i.intervention_cost if i.resolve * stakes > 0 else -math.inf
    )
    return u


def decides_to_intervene(utilities: list[float]) -> bool:
    """Whether a power enters the war today: a deliberate decision, not a draw.

    Intervention is a one-off step with lasting consequences, so it is not one
    of the daily logit options (a small daily probability would, over a long
    war, drift into an intervention nobody decided on). A power intervenes on
    the day entering the war is worth more than every other stance, i.e. when
    the threat to its ally or border, or a rival already in, pushes resolve x
    stakes past its cost of intervening; while those inputs stay below that
    threshold it never does.
    """
    u = utilities[Stance.INTERVENE]
    return math.isfinite(u) and all(u > x for k, x in enumerate(utilities) if k != Stance.INTERVENE)


@dataclass(frozen=True)
class Outlook:
    """How powers read the war and how belligerents read the powers (conf/decisions).

    intervention_hazard: daily probability scale of a power acting on a threat (forecasts)
    threat_risk_factor: multiplier on that risk for a power that threatens
    counterattack_ally_risk, retaliation_ally_risk: shares of the attacker's ally's risk
      that a counterattack and a strike on Azerbaijani towns bring
    pressure_per_stance: pressure one power adds per day of pressure or mediation
    defender_pressure_share: share of that pressure on the defending side
    ally_distress_civilians: Azerbaijani civilian deaths at which that distress term is full
    ally_distress_frustration: distress per unit frustration of the ally's offensive
    ally_distress_setback: distress per unit share of recent fighting days the ally lost ground
    ally_distress_rival: distress when a rival power has entered against the ally
    contested_threat: threat seen in a region one of whose sectors was fought over
    """

    intervention_hazard: float
    threat_risk_factor: float
    counterattack_ally_risk: float
    retaliation_ally_risk: float
    pressure_per_stance: float
    defender_pressure_share: float
    ally_distress_civilians: float
    ally_distress_frustration: float
    ally_distress_setback: float
    ally_distress_rival: float
    contested_threat: float
