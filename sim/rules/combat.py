"""Combat arithmetic: Lanchester attrition with Dupuy-style multipliers.

Pure functions over numpy arrays (one entry per contested sector), no Mesa and
no randomness: they return *expected* daily losses, and the model draws the
realised numbers. Keeping the maths here lets it be tested on its own against
the closed-form Lanchester solution and the published factors in docs/sources.md#lanchester-equations
and docs/sources.md#dupuy-qjm-factors.

Model, per contested sector and day (dt = 1 day):
    P_att = troops + w_arm*armour + w_art*artillery + w_uav*uavs       (infantry-equivalents)
    M_def = posture(fortification) * terrain(ruggedness)               (Dupuy QJM factors)
    M_eff = 1 + (M_def - 1) * exp(-erosion * uavs)                      (drones erode the edge)
    P_def = M_eff * surprise * (troops + w_arm*armour + w_art*artillery)
    attacker casualties = k * P_def,  defender casualties = k * P_att   (square law)
    progress += advance_rate * max(0, ln(P_att / (ratio_min * P_def)))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CombatFactors:
    """Coefficients of the combat model (values and sources live in conf/combat)."""

    attrition_rate: float
    killed_fraction: float
    armour_weight: float
    artillery_weight: float
    uav_weight: float
    posture_hasty: float
    posture_fortified: float
    terrain_rugged: float
    uav_erosion: float
    armour_exposure: float
    uav_armour_kill: float
    uav_artillery_kill: float
    uav_loss_rate: float
    advance_rate: float
    breakthrough_ratio: float
    collateral_rate: float
    city_strike_rate: float
    surprise: float


@dataclass(frozen=True)
class FrontRules:
    """Rules of a day's fighting outside the engagement arithmetic (values from conf/combat).

    strike_share: share of a side's artillery turned on towns when it strikes them
    skirmish_casualties: expected casualties per side on a day of skirmishing
    counterattack_casualty_factor: multiplier on the defender's casualties when it counterattacks
    counterattack_fire_factor: multiplier on the attacker's casualties where the defender counterattacks
    counterattack_extra_losses: hundreds of deaths a counterattack adds to the defender's forecast
    counterattack_ratio: force ratio below which a counterattack retakes ground
    counterattack_transfer: share of Armenia's border garrison sent to the Karabakh front per day
    advance_noise_shape: shape k of the Gamma(k, 1/k) factor on a day's advance
    fallback_share: share of a lost sector's garrison and armour that falls back
    return_fire_share: share of the defender's guns in contested sectors firing into Azerbaijan
    frontline_exposed_share: share of Azerbaijan's front-line population within reach of that fire
    """

    strike_share: float
    skirmish_casualties: float
    counterattack_casualty_factor: float
    counterattack_fire_factor: float
    counterattack_extra_losses: float
    counterattack_ratio: float
    counterattack_transfer: float
    advance_noise_shape: float
    fallback_share: float
    return_fire_share: float
    frontline_exposed_share: float


@dataclass(frozen=True)
class Forces:
    """Forces of one side in each engaged sector (arrays of equal length)."""

    troops: np.ndarray
    armour: np.ndarray
    artillery: np.ndarray
    uavs: np.ndarray


@dataclass(frozen=True)
class Engagement:
    """Expected results of one day of fighting in each engaged sector."""

    force_ratio: np.ndarray
    attacker_casualties: np.ndarray
    defender_casualties: np.ndarray
    attacker_armour_lost: np.ndarray
    defender_armour_lost: np.ndarray
    defender_artillery_lost: np.ndarray
    attacker_uavs_lost: np.ndarray
    progress: np.ndarray
    civilian_deaths: np.ndarray


def combat_power(forces: Forces, f: CombatFactors, with_uavs: bool = True) -> np.ndarray:
    """Combat power in infantry-equivalents (Dupuy's S, strength)."""
    power = forces.troops + f.armour_weight * forces.armour + f.artillery_weight * forces.artillery
    if with_uavs:
        power = power + f.uav_weight * forces.uavs
    return power


def defence_multiplier(ruggedness: np.ndarray, fortification: np.ndarray, f: CombatFactors) -> np.ndarray:
    """Dupuy posture x terrain factor for a defender.

    Fortification 0 is a hasty defence (1.3), 1 a fortified one (1.6); ruggedness 0
    is flat open ground (1.0), 1 rugged-mixed terrain (1.5). A fortified defence in
    rugged terrain thus multiplies defender power by 2.4, as docs/sources.md#dupuy-qjm-factors states.
    """
    posture = f.posture_hasty + (f.posture_fortified - f.posture_hasty) * np.asarray(fortification)
    terrain = 1.0 + (f.terrain_rugged - 1.0) * np.asarray(ruggedness)
    return posture * terrain


def eroded_multiplier(multiplier: np.ndarray, uavs: np.ndarray, f: CombatFactors) -> np.ndarray:
    """Drones erode the defender's terrain and fortification advantage.

    The part of the multiplier above 1 decays exponentially with the number of
    UAV sorties over the sector: observation and precision strikes deny the
    defender the concealment that terrain and trenches give.
    """
    return 1.0 + (np.asarray(multiplier) - 1.0) * np.exp(-f.uav_erosion * np.asarray(uavs))


def square_law_step(a: np.ndarray, b: np.ndarray, alpha: float, beta: float, dt: float):
    """One explicit step of Lanchester's aimed-fire law dA/dt = -beta*B, dB/dt = -alpha*A."""
    a_next = np.maximum(a - beta * b * dt, 0.0)
    b_next = np.maximum(b - alpha * a * dt, 0.0)
    return a_next, b_next


def square_law_closed_form(a0: float, b0: float, alpha: float, beta: float, t: float):
    """Closed-form solution of the square law (valid while both sides are above zero)."""
    g = np.sqrt(alpha * beta)
    a = a0 * np.cosh(g * t) - np.sqrt(beta / alpha) * b0 * np.sinh(g * t)
    b = b0 * np.cosh(g * t) - np.sqrt(alpha / beta) * a0 * np.sinh(g * t)
    return a, b


@dataclass(frozen=True)
class Clash:
    """The part of an Engagement a forecast reads: force ratio, casualties, progress."""

    force_ratio: np.ndarray
    attacker_casualties: np.ndarray
    defender_casualties: np.ndarray
    progress: np.ndarray


def clash(
    attacker: Forces,
    defender: Forces,
    multiplier: np.ndarray,
    f: CombatFactors,
    surprise: bool = False,
) -> Clash:
    """Force ratio, expected casualties and progress of one day of combat (engage computes the rest from these).

    multiplier is the defender's posture x terrain factor (`defence_multiplier`),
    which is fixed for a sector, so callers that fight many times compute it once.
    Forecasts need only these numbers, many times a day; the day's fight needs
    the whole Engagement. All operations broadcast: an attacker of shape
    (options, 1) against defenders of shape (sectors,) gives (options, sectors).
    """
    att_power = combat_power(attacker, f)
    mult = eroded_multiplier(multiplier, attacker.uavs, f)
    def_power = mult * combat_power(defender, f, with_uavs=False)
    if surprise:
        def_power = def_power * f.surprise
    ratio = att_power / np.maximum(def_power, 1e-9)
    att_cas = np.minimum(f.attrition_rate * def_power, attacker.troops)
    def_cas = np.minimum(f.attrition_rate * att_power, defender.troops)
    progress = f.advance_rate * np.maximum(0.0, np.log(np.maximum(ratio, 1e-9) / f.breakthrough_ratio))
    return Clash(ratio, att_cas, def_cas, progress)


def engage(
    attacker: Forces,
    defender: Forces,
    ruggedness: np.ndarray,
    fortification: np.ndarray,
    population: np.ndarray,
    f: CombatFactors,
    surprise: bool = False,
) -> Engagement:
    """Expected results of one day of combat in each contested sector."""
    c = clash(attacker, defender, defence_multiplier(ruggedness, fortification, f), f, surprise)
    return engagement_of(c, attacker, defender, population, f)


def engagement_of(c: Clash, attacker: Forces, defender: Forces, population: np.ndarray,
                  f: CombatFactors) -> Engagement:
    """The whole Engagement of a clash: adds the armour, guns and drones lost and the civilians killed.

    The second half of `engage`, for a caller that already has the clash of
    these forces (the model's forecasts compute it for every option).
    """
    ratio = c.force_ratio
    exposure = np.minimum(f.armour_exposure / np.maximum(ratio, 1e-9), 0.5)
    att_armour_lost = attacker.armour * exposure
    def_armour_lost = defender.armour * (1.0 - np.exp(-f.uav_armour_kill * attacker.uavs))
    def_artillery_lost = defender.artillery * (1.0 - np.exp(-f.uav_artillery_kill * attacker.uavs))
    uavs_lost = attacker.uavs * f.uav_loss_rate
    civilians = collateral_deaths(attacker.artillery, population, f)
    return Engagement(
        force_ratio=ratio,
        attacker_casualties=c.attacker_casualties,
        defender_casualties=c.defender_casualties,
        attacker_armour_lost=att_armour_lost,
        defender_armour_lost=def_armour_lost,
        defender_artillery_lost=def_artillery_lost,
        attacker_uavs_lost=uavs_lost,
        progress=c.progress,
        civilian_deaths=civilians,
    )


def collateral_deaths(artillery: np.ndarray, population: np.ndarray, f: CombatFactors) -> np.ndarray:
    """Civilians killed as a side effect of artillery fire on a populated sector.

    Proportional to the guns firing and to the civilians within their reach
    (population in tens of thousands).
    """
    return f.collateral_rate * np.asarray(artillery) * np.asarray(population) / 1e4


def city_strike_deaths(artillery: float, population: np.ndarray, willingness: float, f: CombatFactors) -> np.ndarray:
    """Civilians killed by deliberate shelling of population centres.

    `willingness` is the striking side's willingness to target civilian areas
    (0-1); it scales how much of its artillery is turned on the towns.
    """
    return f.city_strike_rate * willingness * artillery * np.asarray(population) / 1e4


def casualties_to_deaths(casualties: np.ndarray, f: CombatFactors) -> np.ndarray:
    """Split casualties into the killed share (the rest are wounded)."""
    return np.asarray(casualties) * f.killed_fraction
