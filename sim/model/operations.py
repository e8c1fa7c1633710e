"""Operations: which sectors an option attacks, with what, and what it should bring.

Pure functions over the theatre arrays and force pools (no Mesa). The model uses
them both to forecast options for the decision rules and to fight the day, so a
belligerent's expectations and the war it gets come from the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.rules.combat import CombatFactors, Engagement, Forces, engage
from sim.rules.decisions import Operation
from sim.model.theatre import Theatre


@dataclass
class Pool:
    """Forces a side can commit, theatre-wide."""

    troops: float
    armour: float
    artillery: float
    uavs: float


def targets_of(ops, theatre: Theatre, planned: list[str], war_aims: str, front=None) -> dict[Operation, np.ndarray]:
    """Boolean mask of the sectors each operation attacks today (a new array each).

    A limited offensive under limited war aims attacks the planned sectors still
    held by the defender; otherwise it attacks the most valuable reachable one.
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
            out[op] = _limited_targets(theatre, kb_front, planned, war_aims)
        elif op == Operation.ATTACK_ARMENIA:
            out[op] = kb_front | front(theatre.armenia_proper)
        else:
            out[op] = kb_front.copy()
    return out


def _limited_targets(theatre: Theatre, kb_front: np.ndarray, planned: list[str], war_aims: str) -> np.ndarray:
    mask = np.zeros(len(theatre.names), dtype=bool)
    if war_aims == "limited" and planned:
        for name in planned:
            i = theatre.index[name]
            mask[i] = theatre.progress[i] < 1.0
    elif kb_front.any():
        score = np.where(kb_front, theatre.value / (1.0 + theatre.ruggedness), -1.0)
        mask[int(np.argmax(score))] = True
    return mask


def split(pool: Pool, mask: np.ndarray) -> Forces:
    """Spread a pool evenly over the attacked sectors."""
    n = max(int(mask.sum()), 1)
    share = mask.astype(float) / n
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
) -> Engagement:
    """Expected results of today's combat in the masked sectors (arrays over those sectors).

    defender_bonus adds infantry-equivalents to the defence (an intervening ally).
    """
    sel = np.flatnonzero(mask)
    d_troops = defender.troops[sel] + (0.0 if defender_bonus is None else defender_bonus[sel])
    return engage(
        Forces(attacker.troops[sel], attacker.armour[sel], attacker.artillery[sel], attacker.uavs[sel]),
        Forces(d_troops, defender.armour[sel], defender.artillery[sel], defender.uavs[sel]),
        theatre.ruggedness[sel],
        theatre.fortification[sel],
        theatre.population[sel],
        f,
        surprise=surprise,
    )


def fight_with(
    mask: np.ndarray,
    pool: Pool,
    defender: Forces,
    theatre: Theatre,
    f: CombatFactors,
    surprise: bool,
    defender_bonus: np.ndarray | None = None,
) -> Engagement:
    """fight(mask, split(pool, mask), defender, ...) for a whole pool, computed only over the attacked sectors.

    Same numbers as the two-step form (each attacked sector gets pool / n, the
    same IEEE product), without building and then discarding the arrays of the
    sectors not attacked; the model fights and forecasts this way many times a day.
    """
    sel = np.flatnonzero(mask)
    share = np.full(len(sel), 1.0 / max(len(sel), 1))
    d_troops = defender.troops[sel] + (0.0 if defender_bonus is None else defender_bonus[sel])
    return engage(
        Forces(pool.troops * share, pool.armour * share, pool.artillery * share, pool.uavs * share),
        Forces(d_troops, defender.armour[sel], defender.artillery[sel], np.zeros(len(sel))),
        theatre.ruggedness[sel],
        theatre.fortification[sel],
        theatre.population[sel],
        f,
        surprise=surprise,
    )


@dataclass(frozen=True)
class OptionLayout:
    """The attacker's options as rows of one clash: what depends on their targets alone.

    rows maps a set of attacked sectors (mask bytes) to its row; row_of gives
    each option's row (None for an option that attacks nothing); `attacked` is
    the (rows x sectors) mask; share is 1 / sectors attacked, per row (shape
    (rows, 1), for broadcasting; `shares` the same as floats); spans[r] is the
    slice of row r in the row-after-row list of attacked sectors; counts[r] is
    (sectors in Karabakh, in Armenia proper, on the Iranian border?).
    """

    rows: dict[bytes, int]
    row_of: dict[Operation, int | None]
    attacked: np.ndarray | None
    share: np.ndarray | None
    shares: list[float]
    spans: list[tuple[int, int]]
    counts: list[tuple[int, int, bool]]

    @classmethod
    def of(cls, ops, masks: dict[Operation, np.ndarray], regions: np.ndarray) -> OptionLayout:
        """regions: (sectors x 3) indicator of Karabakh, Armenia proper and the Iranian border."""
        rows: dict[bytes, int] = {}
        for mask in masks.values():
            if mask.any():
                rows.setdefault(mask.tobytes(), len(rows))
        row_of = {op: rows.get(masks[op].tobytes()) if op in masks else None for op in ops}
        if not rows:
            return cls(rows, row_of, None, None, [], [], [])
        m = np.array([np.frombuffer(k, dtype=bool) for k in rows])
        n = m.sum(axis=1)
        share = 1.0 / n[:, None]
        ends = np.cumsum(n).tolist()
        spans = [(end - k, end) for end, k in zip(ends, n.tolist(), strict=True)]
        counts = [(kb, ap, border > 0) for kb, ap, border in (m.astype(np.int64) @ regions).tolist()]
        return cls(rows, row_of, m, share, share[:, 0].tolist(), spans, counts)
