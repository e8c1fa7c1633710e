"""Each rung of the ladder follows from the activity that defines it."""

import pytest

from sim.rules.ladder import DayActivity, Rung, rung_of


@pytest.mark.parametrize(
    "activity,rung",
    [
        (DayActivity(), Rung.FROZEN_CONFLICT),
        (DayActivity(skirmish=True), Rung.SKIRMISHES),
        (DayActivity(contested_karabakh=1), Rung.LIMITED_OFFENSIVE),
        (DayActivity(contested_karabakh=2), Rung.LIMITED_OFFENSIVE),
        (DayActivity(contested_karabakh=3), Rung.GENERAL_OFFENSIVE),
        (DayActivity(contested_karabakh=3, strikes_on_population_centres=True), Rung.STRIKES_ON_POPULATION_CENTRES),
        (DayActivity(contested_armenia_proper=1), Rung.WAR_ON_ARMENIA_PROPER),
        (
            DayActivity(intervening_powers=frozenset({"turkey"}), intervention_sides=frozenset({"azerbaijani"})),
            Rung.REGIONAL_INTERVENTION,
        ),
        (
            DayActivity(
                intervening_powers=frozenset({"russia", "turkey"}),
                intervention_sides=frozenset({"armenian", "azerbaijani"}),
            ),
            Rung.RUSSIA_TURKEY_CLASH,
        ),
    ],
)
def test_rung_of_each_activity(activity, rung):
    assert rung_of(activity) == rung


def test_russia_and_turkey_on_the_same_side_is_not_a_clash():
    a = DayActivity(intervening_powers=frozenset({"russia", "turkey"}), intervention_sides=frozenset({"armenian"}))
    assert rung_of(a) == Rung.REGIONAL_INTERVENTION


def test_ladder_has_eight_ordered_rungs():
    assert [int(r) for r in Rung] == list(range(8))
