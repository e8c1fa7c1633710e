"""The campaign's choice of axes (sim.model.operations): value per cost with where an axis leads,
nearly equal axes pressed together, and nothing decided by the order of a list."""

import random

import numpy as np
import pytest

from sim.model.operations import axis_scores, targets_of
from sim.model.theatre import Theatre
from sim.rules.decisions import Operation


@pytest.fixture
def theatre(baseline_cfg):
    return Theatre(baseline_cfg.theatre, random=random.Random(0))


def limited(theatre, tolerance, cost=None):
    return targets_of((Operation.LIMITED_OFFENSIVE,), theatre, [], "open", axis_tolerance=tolerance, cost=cost)[
        Operation.LIMITED_OFFENSIVE
    ]


def test_an_axis_is_worth_its_value_and_what_it_opens(theatre):
    t = theatre
    front = t.front(t.karabakh)
    score = axis_scores(t, front)
    assert np.all(np.isneginf(score[~front]))
    i = t.index["jabrayil"]
    behind = [j for j in np.flatnonzero(t.adjacency[i]) if not front[j] and t.karabakh[j]]
    assert behind, "Jabrayil opens the districts behind it"
    expected = (t.value[i] + t.value[behind].sum()) / (1.0 + t.ruggedness[i])
    assert score[i] == pytest.approx(expected)
    # Armenia proper behind a Karabakh sector is not what a Karabakh axis is for
    k = t.index["kalbajar"]
    opened = [j for j in np.flatnonzero(t.adjacency[k]) if not front[j] and t.karabakh[j]]
    assert score[k] == pytest.approx((t.value[k] + t.value[opened].sum()) / (1.0 + t.ruggedness[k]))


def test_nearly_equal_axes_are_pressed_together_whatever_their_order(theatre):
    t = theatre
    front = t.front(t.karabakh)
    score = axis_scores(t, front)
    best = int(np.argmax(score))
    # make a second front sector worth 1% less than the best: both are attacked
    other = next(int(j) for j in np.flatnonzero(front) if j != best)
    cost = 1.0 + t.ruggedness
    scale = 0.99 * score[best] / score[other]
    cost = cost.copy()
    cost[other] /= scale
    chosen = limited(t, 0.15, cost)
    assert chosen[best] and chosen[other]
    # a tolerance of zero keeps only the best; moving the second to 1% above it swaps them
    assert limited(t, 0.0, cost).sum() == 1
    cost[other] /= 1.02
    assert limited(t, 0.0, cost)[other] and not limited(t, 0.0, cost)[best]


def test_small_changes_move_the_choice_smoothly(theatre):
    """Moving one sector's ruggedness by 0.01 changes at most that sector's membership."""
    t = theatre
    base = limited(t, 0.15)
    for i in np.flatnonzero(t.front(t.karabakh)):
        for d in (-0.01, 0.01):
            t.ruggedness[i] += d
            moved = limited(t, 0.15)
            t.ruggedness[i] -= d
            changed = np.flatnonzero(moved != base)
            assert set(changed) <= {i} or len(changed) <= 1, (t.names[i], [t.names[j] for j in changed])
