"""Combat arithmetic: frontage-limited assault under fire, with Dupuy-style multipliers.

Pure functions over numpy arrays (one entry per contested sector), no Mesa and
no randomness: they return *expected* daily losses, and the model draws the
realised numbers. Keeping the maths here lets it be tested on its own against
hand-computed cases, the closed-form Lanchester solution and the published
factors in docs/sources.md#lanchester-equations and docs/sources.md#dupuy-qjm-factors.

Model, per contested sector and day (dt = 1 day):
    W     = frontage_density * frontage_km                              (troops that can assault at once)
    e     = min(1, W / troops_att)                                      (share of the attacker engaged;
                                                                         the rest waits in reserve)
    P_att = e*troops + w_arm*e*armour + w_art*artillery + w_uav*uavs    (infantry-equivalents; guns and
                                                                         drones fire from depth)
    M_def = posture(fortification) * terrain(ruggedness)                (Dupuy QJM factors)
    M_eff = 1 + (M_def - 1) * exp(-erosion * (watched + uavs))          (drones erode the edge: the sorties
                                                                         flown over the sector so far and today;
                                                                         the model passes M_def eroded by the past)
    H     = surprise * min(troops_def, W)                               (defenders in the line, the rest in depth;
                                                                         surprise: the share manned on day one)
    P_def = M_eff * (H + w_arm*armour + w_art*artillery)
    attacker casualties = k * e*troops * P_def / W                      (linear law on the frontage:
    defender casualties = k * H * P_att / (M_eff * W)                    own exposed troops x enemy density;
                                                                         the dug-in defender is harder to hit)
    progress += advance_rate * max(0, ln(P_att / (ratio_min * P_def)))

Equipment follows the kill chain: drones find targets (located share
s = 1 - exp(-recon_rate * uavs)); drones and the guns they cue destroy the
defender's armour, guns and air-defence systems at a capacity of
uav_armour_kill * uavs + uav_artillery_kill * artillery * s a day, saturating as
1 - exp(-C / targets) over all three; the attacker's engaged armour is lost to the
defender's fire in proportion to P_def / P_att; its guns to the defender's
counter-battery fire, counterbattery_rate guns a day per defending gun (at most all
of them); its drones to the air defence still standing, uav_loss_rate of the
sorties a day over a fully defended sky, in proportion to the share left
(destroying air defence opens the sky: the suppression of air defences that
preceded the drone campaign of 2020).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

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
    surprise: float
    frontage_density: float
    recon_rate: float
    counterbattery_rate: float


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
    return_fire_share: share of the defenders' guns in a fought-over sector firing on the attacker's towns in reach
    interdiction_share: share of the attacker's guns assaulting a sector firing on the defenders' towns behind it
    armenian_share_karabakh: share of the Karabakh garrisons that are Armenia's soldiers (conscripts serving there)
    axis_tolerance: an open-aims limited offensive presses every reachable sector within this share of the best one
    foreign_fighters: foreign (Syrian) fighters in the attacker's committed force at the start
    foreign_fighter_exposure: how much more often than the attacker's own troops they are among the casualties
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
    interdiction_share: float
    armenian_share_karabakh: float
    axis_tolerance: float
    foreign_fighters: float
    foreign_fighter_exposure: float


class Forces(NamedTuple):
    """Forces of one side in each engaged sector (arrays of equal length; air_defence may be a scalar 0:
    the attacker's air defence is not among the targets of the day's fight). Forces, Clash and
    Engagement are NamedTuples: immutable values built several times a day, which a tuple builds
    fastest."""

    troops: np.ndarray
    armour: np.ndarray
    artillery: np.ndarray
    uavs: np.ndarray
    air_defence: np.ndarray | float = 0.0


class Engagement(NamedTuple):
    """Expected results of one day of fighting in each engaged sector."""

    force_ratio: np.ndarray
    attacker_casualties: np.ndarray
    defender_casualties: np.ndarray
    attacker_armour_lost: np.ndarray
    attacker_artillery_lost: np.ndarray
    defender_armour_lost: np.ndarray
    defender_artillery_lost: np.ndarray
    defender_air_defence_lost: np.ndarray
    attacker_uavs_lost: np.ndarray
    progress: np.ndarray
    civilian_deaths: np.ndarray


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


class Clash(NamedTuple):
    """The part of an Engagement a forecast reads: force ratio, casualties, progress, share engaged."""

    force_ratio: np.ndarray
    attacker_casualties: np.ndarray
    defender_casualties: np.ndarray
    progress: np.ndarray
    engaged: np.ndarray  # share of the attacker's troops and armour that fit the frontage


def assault_capacity(frontage_km: np.ndarray, f: CombatFactors) -> np.ndarray:
    """Troops that can assault a sector at once: its frontage times the assault density."""
    return f.frontage_density * np.asarray(frontage_km, dtype=float)


def clash(
    attacker: Forces,
    defender: Forces,
    multiplier: np.ndarray,
    capacity: np.ndarray,
    f: CombatFactors,
    surprise: bool = False,
) -> Clash:
    """Force ratio, expected casualties and progress of one day of combat (engage computes the rest from these).

    multiplier is the defender's posture x terrain factor (`defence_multiplier`)
    and capacity the troops the sector's frontage holds (`assault_capacity`),
    both fixed for a sector, so callers that fight many times compute them once.
    Only the attacker's troops and armour that fit the frontage engage; its guns
    and drones fire from depth. Each side's casualties are the linear law on
    the frontage: its own exposed troops times the enemy's power per unit of
    frontage capacity (so a mountain assault at a high multiplier costs the
    attacker dearly, and a crowded sector does not speed the fight); the
    defender's are divided by its (drone-eroded) multiplier, as positions and
    terrain that strengthen a defence also shelter it (Dupuy's posture factors
    lower the defender's casualty rate as they raise its strength).
    Forecasts need only these numbers, many times a day; the day's fight needs
    the whole Engagement. All operations broadcast: an attacker of shape
    (options, 1) against defenders of shape (sectors,) gives (options, sectors).
    """
    engaged = np.minimum(1.0, capacity / np.maximum(attacker.troops, 1e-9))
    troops = attacker.troops * engaged
    att_power = (
        troops
        + f.armour_weight * attacker.armour * engaged
        + f.artillery_weight * attacker.artillery
        + f.uav_weight * attacker.uavs
    )
    mult = eroded_multiplier(multiplier, attacker.uavs, f)
    holding = np.minimum(defender.troops, capacity)  # the defenders in the line; the rest are in depth
    if surprise:  # at dawn on day one only part of the line is manned and alert
        holding = holding * f.surprise
    def_power = mult * (holding + f.armour_weight * defender.armour + f.artillery_weight * defender.artillery)
    ratio = att_power / np.maximum(def_power, 1e-9)
    per_capacity = f.attrition_rate / np.maximum(capacity, 1e-9)
    att_cas = np.minimum(per_capacity * troops * def_power, troops)
    def_cas = np.minimum(per_capacity * holding * att_power / mult, holding)  # dug in: harder to hit
    progress = f.advance_rate * np.maximum(0.0, np.log(np.maximum(ratio, 1e-9) / f.breakthrough_ratio))
    return Clash(ratio, att_cas, def_cas, progress, engaged)


def engage(
    attacker: Forces,
    defender: Forces,
    ruggedness: np.ndarray,
    fortification: np.ndarray,
    population: np.ndarray,
    f: CombatFactors,
    surprise: bool = False,
    *,
    frontage_km: np.ndarray,
    cover: float = 1.0,
    intelligence: float = 0.0,
) -> Engagement:
    """Expected results of one day of combat in each contested sector (frontage_km: each sector's front;
    cover: the share of the defender's air defence still standing; intelligence: the reconnaissance the
    attacker's suppliers add, in its own drone sorties, `engagement_of`)."""
    capacity = assault_capacity(frontage_km, f)
    c = clash(attacker, defender, defence_multiplier(ruggedness, fortification, f), capacity, f, surprise)
    return engagement_of(c, attacker, defender, population, f, cover, intelligence)


def kill_chain(attacker: Forces, defender: Forces, f: CombatFactors, intelligence: float = 0.0) -> np.ndarray:
    """Share of the defender's armour, guns and air-defence systems destroyed today by drones and the fire they cue.

    Drones locate a share s = 1 - exp(-recon_rate * uavs * (1 + intelligence)) of
    the targets: the attacker's suppliers' reconnaissance (imagery, signals, the
    crews they lend) adds `intelligence` times the drones' own sorties to the
    search (the model's picture of each sector grows the same way). Armed
    drones strike uav_armour_kill targets a sortie and each gun on a located
    target uav_artillery_kill a day. Against T targets (armour, guns and air
    defence together: the strikes are shared among whatever is found) the share
    destroyed saturates as 1 - exp(-C / T): a thin line of exposed equipment is
    destroyed quickly, a dense one only in part.
    """
    located = 1.0 - np.exp(-f.recon_rate * attacker.uavs * (1.0 + intelligence))
    capacity = f.uav_armour_kill * attacker.uavs + f.uav_artillery_kill * attacker.artillery * located
    targets = defender.armour + defender.artillery + defender.air_defence
    return 1.0 - np.exp(-capacity / np.maximum(targets, 1e-9))


def counter_battery(attacker: Forces, defender: Forces, f: CombatFactors) -> np.ndarray:
    """The attacker's guns destroyed today by the defender's counter-battery fire.

    Each defending gun destroys counterbattery_rate of the attacker's guns a day,
    at most all of them: the defender's guns find the attacker's by their fire
    (no drones of its own), so the exchange falls as the kill chain destroys the
    defender's guns.
    """
    return np.minimum(f.counterbattery_rate * np.asarray(defender.artillery), np.asarray(attacker.artillery))


def engagement_of(
    c: Clash,
    attacker: Forces,
    defender: Forces,
    population: np.ndarray,
    f: CombatFactors,
    cover: float = 1.0,
    intelligence: float = 0.0,
) -> Engagement:
    """The whole Engagement of a clash: adds the armour, guns, air defence and drones lost and the civilians killed.

    The second half of `engage`, for a caller that already has the clash of
    these forces (the model's forecasts compute it for every option). cover: the
    share of the defender's air defence still standing theatre-wide (1 at the
    start): the attacker's drones are lost in proportion to it. intelligence:
    the reconnaissance its suppliers add, in its own drone sorties (`kill_chain`).
    """
    ratio = c.force_ratio
    exposure = np.minimum(f.armour_exposure / np.maximum(ratio, 1e-9), 0.5)
    att_armour_lost = attacker.armour * c.engaged * exposure
    destroyed = kill_chain(attacker, defender, f, intelligence)
    def_armour_lost = defender.armour * destroyed
    def_artillery_lost = defender.artillery * destroyed
    def_air_defence_lost = np.asarray(defender.air_defence) * destroyed
    uavs_lost = attacker.uavs * (f.uav_loss_rate * cover)
    civilians = collateral_deaths(attacker.artillery, population, f)
    return Engagement(
        force_ratio=ratio,
        attacker_casualties=c.attacker_casualties,
        defender_casualties=c.defender_casualties,
        attacker_armour_lost=att_armour_lost,
        attacker_artillery_lost=counter_battery(attacker, defender, f),
        defender_armour_lost=def_armour_lost,
        defender_artillery_lost=def_artillery_lost,
        defender_air_defence_lost=def_air_defence_lost,
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


def casualties_to_deaths(casualties: np.ndarray, f: CombatFactors) -> np.ndarray:
    """Split casualties into the killed share (the rest are wounded)."""
    return np.asarray(casualties) * f.killed_fraction
