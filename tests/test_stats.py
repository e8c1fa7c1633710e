"""Monte Carlo intervals and the convergence helper (sim.analysis.stats)."""

import numpy as np
import pytest
from scipy import stats as sps

from sim.analysis.stats import (
    bootstrap,
    convergence,
    convergence_of_mean,
    paired_share_difference,
    proportion,
    proportions,
    replicates_needed,
    wilson,
    wilson_half_width,
)


def test_wilson_contains_estimate_and_matches_the_score_formula():
    for k, n in [(0, 10), (3, 10), (10, 10), (17, 40), (1, 1)]:
        e = wilson(k, n)
        assert 0.0 <= e.low <= e.value <= e.high <= 1.0
        # independent check: the Wilson score interval in closed form
        z, p = sps.norm.ppf(0.975), k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        assert e.low == pytest.approx(max(0.0, centre - half), abs=1e-9)
        assert e.high == pytest.approx(min(1.0, centre + half), abs=1e-9)


def test_wilson_gives_scipys_numbers_exactly():
    """The interval is worked out as scipy.stats.binomtest's proportion_ci (method="wilson") does, so a
    report's numbers are scipy's to the last bit: every k of every n up to 30 and of a few larger n,
    at three levels."""
    for confidence in (0.95, 0.9, 0.5):
        for n in [*range(1, 31), 97, 200, 1000]:
            for k in range(0, n + 1, max(1, n // 40)):
                ci = sps.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
                e = wilson(k, n, confidence)
                assert (e.low, e.high) == (float(ci.low), float(ci.high)), (k, n, confidence)


def test_wilson_at_zero_events_still_has_a_nontrivial_upper_bound():
    e = wilson(0, 30)
    assert e.value == 0.0 and e.low == pytest.approx(0.0, abs=1e-12) and 0.05 < e.high < 0.15


def test_wilson_refuses_impossible_counts_and_levels():
    with pytest.raises(ValueError, match="k, n"):
        wilson(5, 3)
    with pytest.raises(ValueError, match="confidence"):
        wilson(1, 3, confidence=1.5)
    assert np.isnan(wilson(0, 0).value)


def test_wilson_coverage_over_many_simulated_ensembles():
    """The 95% interval covers the true share in about 95% of ensembles (tolerance +-3 points)."""
    rng = np.random.default_rng(7)
    p, n, trials = 0.2, 40, 2000
    ks = rng.binomial(n, p, trials)
    interval = {k: wilson(k, n) for k in np.unique(ks)}  # the interval depends on k and n only
    covered = np.mean([interval[k].low <= p <= interval[k].high for k in ks])
    assert 0.92 <= covered <= 0.98


def _paired_flags(both: int, other_only: int, base_only: int, neither: int) -> tuple[np.ndarray, np.ndarray]:
    base = np.array([1] * both + [0] * other_only + [1] * base_only + [0] * neither)
    other = np.array([1] * both + [1] * other_only + [0] * base_only + [0] * neither)
    return base, other


def test_paired_share_difference_stays_inside_plus_minus_one_and_holds_its_estimate():
    for table in [(0, 50, 0, 0), (0, 0, 50, 0), (36, 12, 2, 0), (30, 10, 5, 55), (1, 0, 0, 0)]:
        d = paired_share_difference(*_paired_flags(*table))
        assert -1.0 <= d.low <= d.value <= d.high <= 1.0, table
    every_run_moved = paired_share_difference(*_paired_flags(0, 50, 0, 0))
    assert every_run_moved.value == 1.0 and every_run_moved.high == 1.0 and 0.85 < every_run_moved.low < 0.95


def test_paired_share_difference_gives_no_change_an_interval_of_honest_width():
    """Where no run changes, the interval is around zero and not a point (the correlation is shrunk)."""
    for table in [(5, 0, 0, 5), (0, 0, 0, 50), (20, 0, 0, 30)]:
        d = paired_share_difference(*_paired_flags(*table))
        assert d.value == 0.0 and d.low < -0.01 and d.high > 0.01


def test_paired_share_difference_meets_the_wald_interval_in_large_samples():
    """At n = 40,000 with shares far from 0 and 1 the score and Wald paired intervals agree to 1e-3."""
    table = (12_000, 4_000, 2_000, 22_000)
    d = paired_share_difference(*_paired_flags(*table))
    b, c, n = table[1], table[2], sum(table)
    half = sps.norm.ppf(0.975) * np.sqrt((b + c) - (b - c) ** 2 / n) / n
    assert d.value == pytest.approx((b - c) / n)
    assert d.low == pytest.approx((b - c) / n - half, abs=1e-3)
    assert d.high == pytest.approx((b - c) / n + half, abs=1e-3)


def test_paired_share_difference_coverage_over_many_simulated_ensembles():
    """Correlated paired runs (as common random numbers give): the 95% interval covers the true
    difference in about 95% of 2,000 ensembles of 60 runs (tolerance 92-98%)."""
    rng = np.random.default_rng(11)
    cells = np.array([0.25, 0.15, 0.05, 0.55])  # both, other only, base only, neither
    truth = cells[1] - cells[2]
    covered = 0
    for counts in rng.multinomial(60, cells, size=2000):
        d = paired_share_difference(*_paired_flags(*counts))
        covered += d.low <= truth <= d.high
    assert 0.92 <= covered / 2000 <= 0.98


def test_paired_share_difference_refuses_what_is_not_paired_flags():
    with pytest.raises(ValueError, match="0/1 flags"):
        paired_share_difference(np.array([0, 1, 2]), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="same runs"):
        paired_share_difference(np.array([0, 1]), np.array([0, 1, 1]))


def test_proportions_table_lists_unseen_categories_with_zero():
    t = proportions(["ceasefire", "ceasefire", "horizon"], ["ceasefire", "capitulation", "horizon"])
    assert list(t["category"]) == ["ceasefire", "capitulation", "horizon"]
    assert list(t["count"]) == [2, 0, 1]
    assert t["p"].sum() == pytest.approx(1.0)
    assert (t["low"] <= t["p"]).all() and (t["p"] <= t["high"]).all()
    assert proportion([True, False, True, True]).value == 0.75


def test_bootstrap_interval_contains_statistic_and_is_reproducible():
    x = np.random.default_rng(3).exponential(100.0, 60)
    a, b = bootstrap(x, np.median), bootstrap(x, np.median)
    assert a == b
    assert a.low <= np.median(x) <= a.high
    m = bootstrap(x, np.mean)
    # the bootstrap interval of a mean is close to the t interval (within 25% in width)
    t_half = sps.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    assert m.half_width == pytest.approx(t_half, rel=0.25)
    c = bootstrap(np.full(10, 4.0))
    assert (c.value, c.low, c.high) == (4.0, 4.0, 4.0)


def test_replicates_needed_delivers_the_precision_and_no_fewer_would():
    for p in (0.5, 0.2, 0.05):
        n = replicates_needed(0.05, p)
        assert wilson_half_width(p, n) <= 0.05 < wilson_half_width(p, n - 1)
    assert replicates_needed(0.05) == pytest.approx(1.96**2 * 0.25 / 0.05**2, rel=0.02)  # ~384 at p=0.5
    with pytest.raises(ValueError, match="half_width"):
        replicates_needed(0.0)


def test_convergence_says_whether_n_is_enough_and_how_many_are_needed():
    small = convergence(6, 30, half_width=0.05)
    assert not small.enough and small.replicates_needed > 30
    assert "not enough" in small.describe("P(rung >= 6)")
    # running the recommended number at the same share does reach the target
    n = small.replicates_needed
    assert wilson(round(0.2 * n), n).half_width <= 0.05 + 1e-3
    big = convergence(400, 2000, half_width=0.05)
    assert big.enough and big.replicates_needed <= 2000


def test_convergence_of_mean_scales_by_the_square_root_law():
    x = np.random.default_rng(5).normal(50.0, 10.0, 40)
    c = convergence_of_mean(x, half_width=1.0)
    assert not c.enough
    assert c.replicates_needed == pytest.approx(40 * (c.estimate.half_width / 1.0) ** 2, rel=0.01)
    assert convergence_of_mean(x, half_width=50.0).enough
