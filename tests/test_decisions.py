"""Decision rules (sim.rules.decisions): each term of a utility moves the way the
document says it should, and the logit choice behaves as a logit choice."""

import numpy as np
import pytest

from sim.rules.decisions import (
    OptionForecast,
    PowerInterests,
    PowerSituation,
    Preferences,
    Stance,
    StanceCosts,
    Weights,
    acceptance_probability,
    belligerent_utility,
    logit_choice,
    logit_probabilities,
    power_utilities,
)

W = Weights(gain=250, losses=0.6, pressure=0.5, intervention=6, civilian_strikes=2.0)
COSTS = StanceCosts(stance_cost=0.1, threat_cost=0.3, resupply_stake=0.5, intervention_stakes=2.0)


def prefs(**kw) -> Preferences:
    base = dict(
        revanchism=0.9,
        casualty_sensitivity=0.3,
        regime_casualty_weight=0.5,
        battlefield_legitimacy=0.9,
        domestic_pressure=0.7,
        civilian_targeting=0.6,
        temperature=0.4,
    )
    base.update(kw)
    return Preferences(**base)


def option(**kw) -> OptionForecast:
    base = dict(gain=0.0, losses=0.0, escalation=3, intervention_risk=0.0, strikes_civilians=False)
    base.update(kw)
    return OptionForecast(**base)


def utility(opt=None, p=None, pressure=0.0, frustration=0.0, w=W):
    return belligerent_utility(opt or option(), p or prefs(), w, pressure, frustration)


# --- belligerent utility ---------------------------------------------------------------
def test_more_revanchism_values_a_gain_more():
    gain = option(gain=0.1)
    values = [utility(gain, prefs(revanchism=r)) for r in (0.3, 0.6, 0.9, 1.0)]
    assert np.all(np.diff(values) > 0)


def test_battlefield_legitimacy_under_domestic_pressure_values_a_gain_more():
    """A dynasty whose power 'rides on the battlefield' values the same gain more."""
    gain = option(gain=0.1)
    low = utility(gain, prefs(battlefield_legitimacy=0.0))
    high = utility(gain, prefs(battlefield_legitimacy=1.0))
    assert high > low
    # without domestic pressure the legitimacy term has nothing to act on
    assert utility(gain, prefs(battlefield_legitimacy=0.0, domestic_pressure=0.0)) == pytest.approx(
        utility(gain, prefs(battlefield_legitimacy=1.0, domestic_pressure=0.0))
    )


def test_revanchism_does_not_change_an_option_without_gain():
    assert utility(option(losses=1.0), prefs(revanchism=0.3)) == utility(option(losses=1.0), prefs(revanchism=1.0))


def test_losses_are_penalised_by_casualty_sensitivity_and_regime_weight():
    assert utility(option(losses=2.0)) < utility(option(losses=1.0)) < utility(option(losses=0.0))
    costly = option(losses=1.0)
    by_sensitivity = [utility(costly, prefs(casualty_sensitivity=s)) for s in (0.05, 0.3, 0.6, 0.9)]
    by_regime = [utility(costly, prefs(regime_casualty_weight=r)) for r in (0.2, 0.5, 1.0, 1.2)]
    assert np.all(np.diff(by_sensitivity) < 0)
    assert np.all(np.diff(by_regime) < 0)


def test_a_democracy_loses_more_utility_per_death_than_an_autocracy():
    """Armenia's and Azerbaijan's values from conf/belligerents: the same losses weigh more in Yerevan."""
    costly = option(losses=1.0)
    autocracy = utility(costly, prefs(casualty_sensitivity=0.3, regime_casualty_weight=0.5))
    democracy = utility(costly, prefs(casualty_sensitivity=0.7, regime_casualty_weight=1.0))
    assert democracy < autocracy < 0


@pytest.mark.parametrize("rung", [0, 1])
def test_pressure_does_not_touch_holding_or_skirmishing(rung):
    assert utility(option(escalation=rung), pressure=0.0) == utility(option(escalation=rung), pressure=1.0)


def test_pressure_penalises_each_rung_above_skirmishes():
    for rung in (2, 3, 4, 5):
        assert utility(option(escalation=rung), pressure=1.0) < utility(option(escalation=rung), pressure=0.2)
    by_rung = [utility(option(escalation=r), pressure=0.8) for r in range(1, 6)]
    assert np.all(np.diff(by_rung) < 0)
    # without pressure the rung itself costs nothing
    assert utility(option(escalation=5), pressure=0.0) == utility(option(escalation=2), pressure=0.0)


def test_intervention_risk_is_penalised():
    by_risk = [utility(option(intervention_risk=r)) for r in (0.0, 0.1, 0.5, 1.0)]
    assert np.all(np.diff(by_risk) < 0)
    assert by_risk[-1] - by_risk[0] == pytest.approx(-W.intervention)


def test_civilian_strikes_are_valued_with_frustration_and_willingness():
    strike = option(escalation=4, strikes_civilians=True)
    by_frustration = [utility(strike, frustration=f) for f in (0.0, 0.4, 1.0)]
    by_willingness = [utility(strike, prefs(civilian_targeting=c), frustration=0.5) for c in (0.0, 0.3, 0.6, 1.0)]
    assert np.all(np.diff(by_frustration) > 0)
    assert np.all(np.diff(by_willingness) > 0)
    # a side unwilling to target civilians pays for it whatever its frustration
    assert utility(strike, prefs(civilian_targeting=0.0), frustration=1.0) < utility(option(escalation=4))
    # frustration plays no part in an option that does not strike towns
    plain = option(escalation=4, gain=0.05)
    assert utility(plain, frustration=0.0) == utility(plain, frustration=1.0)


# --- logit choice --------------------------------------------------------------------
UTILS = np.array([0.3, -0.2, 1.0, 0.9, -3.0])


@pytest.mark.parametrize("temperature", [0.05, 0.4, 1.0, 3.0, 100.0])
def test_logit_probabilities_sum_to_one_and_follow_the_utilities(temperature):
    p = logit_probabilities(UTILS, temperature)
    assert p.sum() == pytest.approx(1.0)
    assert np.all(p >= 0)
    order = np.argsort(UTILS)
    assert np.all(np.diff(p[order]) >= 0)


def test_low_temperature_is_near_argmax_and_high_temperature_near_uniform():
    cold = logit_probabilities(UTILS, 0.005)
    assert cold[np.argmax(UTILS)] > 0.999
    hot = logit_probabilities(UTILS, 1e4)
    assert np.allclose(hot, 1.0 / len(UTILS), atol=1e-3)


def test_logit_is_stable_for_huge_utilities_and_ignores_impossible_options():
    p = logit_probabilities(np.array([1e6, 1e6 - 1, -np.inf]), 1.0)
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0)
    assert p[2] == 0.0
    for u in (0.0, 0.3, 0.999999):
        assert logit_choice(np.array([-np.inf, 0.0, -np.inf, 0.5]), 0.4, u) in (1, 3)


def test_choice_frequencies_match_the_probabilities():
    """Over 20,000 uniform draws each option's frequency lies within 4 binomial
    standard errors of its probability (a false alarm has odds below 1 in 10,000
    per option, and the draws are seeded, so the test is also reproducible)."""
    n, temperature = 20_000, 0.5
    draws = np.random.default_rng(12345).random(n)
    chosen = np.array([logit_choice(UTILS, temperature, u) for u in draws])
    freq = np.bincount(chosen, minlength=len(UTILS)) / n
    p = logit_probabilities(UTILS, temperature)
    tolerance = 4 * np.sqrt(p * (1 - p) / n) + 1e-12
    assert np.all(np.abs(freq - p) <= tolerance), (freq, p)


def test_logit_choice_covers_the_unit_interval():
    assert logit_choice(UTILS, 1.0, 0.0) == 0
    assert logit_choice(UTILS, 1.0, 1.0 - 1e-12) == len(UTILS) - 1
    assert logit_choice(UTILS, 1.0, 1.0) == len(UTILS) - 1  # never out of range


# --- ceasefire acceptance ----------------------------------------------------------------
def test_acceptance_is_one_half_at_equality():
    for t in (0.05, 0.4, 3.0):
        assert acceptance_probability(1.7, 1.7, t) == pytest.approx(0.5)


def test_accepts_when_stopping_is_worth_more():
    assert acceptance_probability(value_continue=0.0, value_stop=1.0, temperature=0.4) > 0.9
    assert acceptance_probability(value_continue=1.0, value_stop=0.0, temperature=0.4) < 0.1
    # a calculating actor (low temperature) follows the rule almost surely
    assert acceptance_probability(0.0, 0.1, 0.001) > 0.999
    assert acceptance_probability(0.1, 0.0, 0.001) < 0.001


def test_acceptance_grows_with_the_value_of_stopping_and_stays_a_probability():
    stops = np.linspace(-100, 100, 41)
    p = np.array([acceptance_probability(0.0, s, 0.4) for s in stops])
    assert np.all(np.diff(p) >= 0)
    assert np.all((p >= 0) & (p <= 1))
    with np.errstate(all="raise"):  # no overflow for extreme utilities
        acceptance_probability(-1e300, 1e300, 1e-9)


# --- outside powers ------------------------------------------------------------------
def situation(**kw) -> PowerSituation:
    base = dict(ally_threat=0.5, arms_need=0.2, mediation_tie=0.5, escalation=3 / 7, rival_intervened=0.0, rivalry=0.6)
    base.update(kw)
    return PowerSituation(**base)


def interests(**kw) -> PowerInterests:
    base = dict(resolve=0.6, stability_interest=0.8, influence_interest=0.8, intervention_cost=2.5, temperature=0.3)
    base.update(kw)
    return PowerInterests(**base)


def test_no_mediation_without_a_mediation_tie():
    u = power_utilities(situation(mediation_tie=0.0), interests(), COSTS)
    assert u[Stance.MEDIATE] == -np.inf
    assert logit_probabilities(u, 0.3)[Stance.MEDIATE] == 0.0
    assert np.isfinite(power_utilities(situation(mediation_tie=0.2), interests(), COSTS)[Stance.MEDIATE])


def test_one_utility_per_stance_and_staying_out_is_the_zero_point():
    u = power_utilities(situation(), interests(), COSTS)
    assert len(u) == len(Stance)
    assert u[Stance.STAY_OUT] == 0.0


def test_intervention_grows_with_resolve_and_ally_threat_and_falls_with_cost():
    def intervene(s=None, i=None):
        return power_utilities(s or situation(), i or interests(), COSTS)[Stance.INTERVENE]

    by_resolve = [intervene(i=interests(resolve=r)) for r in (0.0, 0.3, 0.6, 1.0)]
    by_threat = [intervene(s=situation(ally_threat=a)) for a in (0.0, 0.3, 0.6, 1.0)]
    by_cost = [intervene(i=interests(intervention_cost=c)) for c in (0.1, 1.0, 2.5, 4.0)]
    assert np.all(np.diff(by_resolve) > 0)
    assert np.all(np.diff(by_threat) > 0)
    assert np.all(np.diff(by_cost) < 0)
    # a rival already in the war on the other side pulls a resolved power in
    assert intervene(s=situation(rival_intervened=1.0)) > intervene(s=situation(rival_intervened=0.0))


def test_a_power_without_resolve_never_prefers_war():
    u = power_utilities(situation(ally_threat=1.0, rival_intervened=1.0, rivalry=1.0), interests(resolve=0.0), COSTS)
    assert u[Stance.INTERVENE] < u[Stance.STAY_OUT]
