"""Operations: which sectors an option attacks, with what, and what it should bring.

Pure functions over the theatre arrays and force pools (no Mesa). The model uses
them both to forecast options for the decision rules and to fight the day, so a
belligerent's expectations and the war it gets come from the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.theatre import ARMENIAN, Theatre
from sim.rules.combat import (
    CombatFactors,
    Engagement,
    Forces,
    assault_capacity,
    clash,
    defence_multiplier,
    engage,
    engagement_of,
    eroded_multiplier,
)
from sim.rules.decisions import Operation


@dataclass
class Pool:
    """Forces a side can commit, theatre-wide."""

    troops: float
    armour: float
    artillery: float
    uavs: float
    air_defence: float = 0.0  # kept at home: no defender fire reaches it (it completes the inventory)

    def equipment(self) -> tuple[float, float, float, float]:
        """Armour, guns, air defence and UAVs (sim.rules.logistics.EQUIPMENT order)."""
        return (self.armour, self.artillery, self.air_defence, self.uavs)


def targets_of(
    ops,
    theatre: Theatre,
    planned: list[str],
    war_aims: str,
    front=None,
    axis_tolerance: float = 0.0,
    cost: np.ndarray | None = None,
) -> dict[Operation, np.ndarray]:
    """Boolean mask of the sectors each operation attacks today (a new array each).

    A limited offensive under limited war aims attacks the planned sectors still
    held by the defender; otherwise the reachable sectors worth most for their
    cost (`axis_scores`), every one within axis_tolerance of the best, so that
    nearly equal axes are pressed together rather than one chosen by list order.
    cost: what taking each sector costs (the model passes its defence multiplier;
    default 1 + ruggedness).
    A general offensive attacks the whole reachable front in Karabakh; an attack
    on Armenia proper adds the reachable border sectors of Armenia proper.
    `front` (default theatre.front) maps a region mask to its reachable front;
    the model passes a cached one, as several options read the same fronts.
    """
    front = theatre.front if front is None else front
    out: dict[Operation, np.ndarray] = {}
    kb_front = None
    for op in ops:
        if op <= Operation.SKIRMISH:
            out[op] = np.zeros(len(theatre.names), dtype=bool)
            continue
        if kb_front is None:
            kb_front = front(theatre.karabakh)
        if op == Operation.LIMITED_OFFENSIVE:
            out[op] = _limited_targets(theatre, kb_front, planned, war_aims, axis_tolerance, cost)
        elif op == Operation.ATTACK_ARMENIA:
            out[op] = kb_front | front(theatre.armenia_proper)
        else:
            out[op] = kb_front.copy()
    return out


def axis_scores(
    theatre: Theatre, front: np.ndarray, cost: np.ndarray | None = None, region: np.ndarray | None = None
) -> np.ndarray:
    """What each reachable sector is worth attacking, per unit of cost (-inf off the front).

    A sector is worth its own value and the value of the held sectors of the
    same region behind it that taking it would open (its neighbours not yet
    reachable): an axis is chosen for where it leads, as the southern axis in
    2020 led to Hadrut, Shusha and the Iranian border.
    """
    held = theatre.controller == ARMENIAN
    behind = held & ~front & (theatre.karabakh if region is None else region)
    opened = theatre.adjacency[:, behind].astype(float) @ theatre.value[behind]
    cost = 1.0 + theatre.ruggedness if cost is None else cost
    return np.where(front, (theatre.value + opened) / cost, -np.inf)


def _limited_targets(
    theatre: Theatre,
    kb_front: np.ndarray,
    planned: list[str],
    war_aims: str,
    axis_tolerance: float,
    cost: np.ndarray | None,
) -> np.ndarray:
    mask = np.zeros(len(theatre.names), dtype=bool)
    if war_aims == "limited" and planned:
        for name in planned:
            i = theatre.index[name]
            mask[i] = theatre.progress[i] < 1.0
    elif kb_front.any():
        score = axis_scores(theatre, kb_front, cost)
        mask[:] = kb_front & (score >= (1.0 - axis_tolerance) * score.max())
    return mask


def _in_sectors(value: np.ndarray | float, sel: np.ndarray) -> np.ndarray | float:
    """A per-sector array at the selected sectors; a scalar (Forces' default 0 air defence) as it is."""
    return value[sel] if isinstance(value, np.ndarray) else value


def shares_of(capacity: np.ndarray) -> np.ndarray:
    """How a pool is spread over the attacked sectors: in proportion to what each frontage holds."""
    return capacity / capacity.sum()


def split(pool: Pool, mask: np.ndarray, capacity: np.ndarray) -> Forces:
    """Spread a pool over the attacked sectors in proportion to their assault capacity."""
    share = np.zeros(len(mask))
    share[mask] = shares_of(capacity[mask])
    return Forces(
        troops=pool.troops * share,
        armour=pool.armour * share,
        artillery=pool.artillery * share,
        uavs=pool.uavs * share,
    )


def defenders(garrison: np.ndarray, armour: np.ndarray, artillery: np.ndarray) -> Forces:
    """Defender forces in every sector (UAVs: none)."""
    return Forces(troops=garrison, armour=armour, artillery=artillery, uavs=np.zeros_like(garrison))


def fight(
    mask: np.ndarray,
    attacker: Forces,
    defender: Forces,
    theatre: Theatre,
    f: CombatFactors,
    surprise: bool,
    defender_bonus: np.ndarray | None = None,
    cover: float = 1.0,
    intelligence: float = 0.0,
) -> Engagement:
    """Expected results of today's combat in the masked sectors (arrays over those sectors).

    defender_bonus adds infantry-equivalents to the defence (an intervening ally); cover is the
    share of the defender's air defence still standing, intelligence the reconnaissance the attacker's
    suppliers add, in its own drone sorties (sim.rules.combat.engagement_of).
    """
    sel = np.flatnonzero(mask)
    d_troops = defender.troops[sel] + (0.0 if defender_bonus is None else defender_bonus[sel])
    ad = _in_sectors(defender.air_defence, sel)
    return engage(
        Forces(attacker.troops[sel], attacker.armour[sel], attacker.artillery[sel], attacker.uavs[sel]),
        Forces(d_troops, defender.armour[sel], defender.artillery[sel], defender.uavs[sel], ad),
        theatre.ruggedness[sel],
        theatre.fortification[sel],
        theatre.population[sel],
        f,
        surprise=surprise,
        frontage_km=theatre.frontage_km[sel],
        cover=cover,
        intelligence=intelligence,
    )


def fight_with(
    mask: np.ndarray,
    pool: Pool,
    defender: Forces,
    theatre: Theatre,
    f: CombatFactors,
    surprise: bool,
    defender_bonus: np.ndarray | None = None,
    cover: float = 1.0,
    intelligence: float = 0.0,
) -> Engagement:
    """fight(mask, split(pool, mask, capacity), defender, ...) for a whole pool, only over the attacked sectors.

    Same numbers as the two-step form (each attacked sector gets the same share
    of the pool, the same IEEE products), without building and then discarding
    the arrays of the sectors not attacked; the model fights and forecasts this
    way many times a day.
    """
    sel = mask.nonzero()[0]
    capacity = assault_capacity(theatre.frontage_km[sel], f)
    share = shares_of(capacity)
    d_troops = defender.troops[sel] + (0.0 if defender_bonus is None else defender_bonus[sel])
    attacker = Forces(pool.troops * share, pool.armour * share, pool.artillery * share, pool.uavs * share)
    defence = Forces(
        d_troops,
        defender.armour[sel],
        defender.artillery[sel],
        np.zeros(len(sel)),
        _in_sectors(defender.air_defence, sel),
    )
    multiplier = eroded_multiplier(
        defence_multiplier(theatre.ruggedness[sel], theatre.fortification[sel], f), theatre.watched[sel], f
    )
    c = clash(attacker, defence, multiplier, capacity, f, surprise)
    return engagement_of(c, attacker, defence, theatre.population[sel], f, cover, intelligence)


@dataclass(frozen=True)
class OptionLayout:
    """The attacker's options as rows of one clash: what depends on their targets alone.

    rows maps a set of attacked sectors (mask bytes) to its row; row_of gives
    each option's row (None for an option that attacks nothing); `attacked` is
    the (rows x sectors) mask; share is each attacked sector's share of the pool
    (`shares_of` its assault capacity; 0 where not attacked), shape (rows, sectors);
    spans[r] is the slice of row r in the row-after-row list of attacked
    sectors; counts[r] is (sectors in Karabakh, in Armenia proper, on the Iranian border?).
    """

    rows: dict[bytes, int]
    row_of: dict[Operation, int | None]
    attacked: np.ndarray | None
    share: np.ndarray | None
    spans: list[tuple[int, int]]
    counts: list[tuple[int, int, bool]]

    @classmethod
    def of(cls, ops, masks: dict[Operation, np.ndarray], regions: np.ndarray, capacity: np.ndarray) -> OptionLayout:
        """regions: (sectors x 3) indicator of Karabakh, Armenia proper and the Iranian border;
        capacity: each sector's assault capacity (sim.rules.combat.assault_capacity)."""
        rows: dict[bytes, int] = {}
        for mask in masks.values():
            if mask.any():
                rows.setdefault(mask.tobytes(), len(rows))
        row_of = {op: rows.get(masks[op].tobytes()) if op in masks else None for op in ops}
        if not rows:
            return cls(rows, row_of, None, None, [], [])
        m = np.array([np.frombuffer(k, dtype=bool) for k in rows])
        share = np.zeros(m.shape)
        for r, row in enumerate(m):  # the fight's own arithmetic (fight_with), row by row
            share[r, row] = shares_of(capacity[row])
        n = m.sum(axis=1)
        ends = np.cumsum(n).tolist()
        spans = [(end - k, end) for end, k in zip(ends, n.tolist(), strict=True)]
        counts = [(kb, ap, border > 0) for kb, ap, border in (m.astype(np.int64) @ regions).tolist()]
        return cls(rows, row_of, m, share, spans, counts)
