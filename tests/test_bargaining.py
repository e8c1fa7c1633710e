"""War termination as bargaining (sim.rules.bargaining, sim.model.bargaining): the range opens when the
beliefs converge, the offer lies inside it, the battlefield moves the beliefs, and over an ensemble most
wars end in a settlement whose terms the bargaining set."""

import logging

import numpy as np
import pytest

from sim import ConflictModel, load_config, run_ensemble
from sim.rules.bargaining import (
    bargaining_range,
    expected_share,
    handed_over,
    prior_rate,
    proposal,
    settlement_acceptance,
    updated,
)

logging.getLogger("MESA").setLevel(logging.WARNING)


def test_each_side_reads_the_balance_in_its_own_favour():
    a = prior_rate(0.004, 2.8, 0.4, attacker=True)
    d = prior_rate(0.004, 2.8, 0.4, attacker=False)
    assert a > 0.004 * 2.8 > d > 0
    assert prior_rate(0.004, 2.8, 0.0, True) == prior_rate(0.004, 2.8, 0.0, False)


def test_beliefs_converge_on_what_the_battlefield_shows():
    a, d, seen = 0.016, 0.007, 0.01
    for _ in range(60):
        a, d = updated(a, seen, 18), updated(d, seen, 18)
    assert abs(a - seen) < 1e-3 and abs(d - seen) < 1e-3


def test_the_range_is_empty_while_the_attacker_expects_more_than_the_defender_concedes():
    taken, held, days = 0.1, 0.9, 30
    p_a, p_d = expected_share(taken, held, 0.016, days), expected_share(taken, held, 0.007, days)
    low, high = bargaining_range(p_a, 0.01, p_d, 0.01)
    assert low > high  # optimism: no deal every side prefers to war
    low, high = bargaining_range(p_d, 0.01, p_d, 0.01)  # the same beliefs: the costs open a range
    assert low < high
    x = proposal(low, high, taken)
    assert low <= x <= high and x >= taken
    assert expected_share(0.8, 0.2, 0.05, 30) == 1.0  # never more than all of it


def test_acceptance_rises_with_the_surplus():
    p = [settlement_acceptance(s, 700.0, 0.4) for s in (-0.01, 0.0, 0.01)]
    assert p[0] < 0.5 == p[1] < p[2]


def test_the_offer_cedes_whole_districts_in_order():
    values = [(0, 0.1), (1, 0.2), (2, 0.3)]
    assert handed_over(values, 0.0) == ()
    assert handed_over(values, 0.12) == (0,)
    assert handed_over(values, 0.25) == (0, 1)
    assert handed_over(values, 1.0) == (0, 1, 2)


def test_a_day_of_losses_moves_both_beliefs_towards_it():
    m = ConflictModel(load_config("baseline_2020"), rng=2)
    b = m.bargaining
    before = b.beliefs().copy()
    assert before[0] > before[1]  # the attacker starts the more optimistic
    t = m.theatre
    t.progress[t.index["jabrayil"]] = 1.0  # a district lost today
    b.observe()
    after = b.beliefs()
    assert (after > before).all() and after[0] - after[1] < before[0] - before[1] + 1e-12


@pytest.mark.slow  # a 200-run ensemble
def test_most_wars_end_in_a_settlement_on_bargained_terms(cfg_of):
    """200 baseline runs: more than half end in a negotiated settlement (95% Wilson interval above 0.5);
    a settlement cedes only districts the Armenian side still held, the oblast's last; the beliefs have
    converged by then (the settlement comes after the first weeks of fighting in most runs)."""
    from sim.analysis.stats import wilson

    runs = run_ensemble(cfg_of("baseline_2020"), n=200, seed=9).runs
    settled = runs[runs.end_type == "settlement"]
    assert wilson(len(settled), len(runs)).low > 0.5
    oblast = {n for n, s in load_config().theatre.sectors.items() if s.get("oblast")}
    for r in settled.itertuples():
        handed = [d for d in str(r.districts_handed_over).split(",") if d]
        taken = set(str(r.sectors_taken).split(","))
        assert not set(handed) & taken
        inside = [i for i, d in enumerate(handed) if d in oblast]
        assert inside == list(range(len(handed) - len(inside), len(handed)))  # the oblast's come last
    assert np.median(settled.duration_days) > 21
