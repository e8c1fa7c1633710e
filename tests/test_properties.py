"""Property tests (hypothesis): whatever values the parameters take inside their
declared ranges, losses and forces are never negative, the theatre's area is
conserved, the rung stays on the ladder and cumulative deaths never fall.

Examples are few and runs short (a few days) so the suite stays quick; the
ranges come from conf/ itself, so a widened range is tested automatically.
"""

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import ConflictModel
from sim.config.schema import BELLIGERENTS, iter_params
from sim.rules.combat import CombatFactors, Forces, engage
from sim.rules.ladder import DayActivity, Rung, rung_of

FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCENARIOS = ("baseline_2020", "april_2016", "july_2020")
DAYS = 8


def unit_draws(n: int):
    """n numbers in [0, 1], mapped by the tests onto each parameter's declared range."""
    return st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)


# --- combat arithmetic -------------------------------------------------------------------
SECTORS = 3
amounts = st.lists(st.floats(0.0, 5e4), min_size=SECTORS, max_size=SECTORS).map(np.array)
shares = st.lists(st.floats(0.0, 1.0), min_size=SECTORS, max_size=SECTORS).map(np.array)


def forces():
    return st.builds(
        Forces,
        amounts,
        amounts.map(lambda x: x / 50),
        amounts.map(lambda x: x / 100),
        amounts.map(lambda x: x / 500),
        amounts.map(lambda x: x / 1000),  # air defence
    )


@FEW
@given(
    draws=unit_draws(len(CombatFactors.__dataclass_fields__)),
    attacker=forces(),
    defender=forces(),
    rugged=shares,
    fort=shares,
    population=amounts,
    surprise=st.booleans(),
)
def test_engagement_losses_are_never_negative_nor_more_than_there_is(
    baseline_cfg, draws, attacker, defender, rugged, fort, population, surprise
):
    ranges = {k: baseline_cfg.combat[k].range for k in CombatFactors.__dataclass_fields__}
    f = CombatFactors(**{k: lo + u * (hi - lo) for (k, (lo, hi)), u in zip(ranges.items(), draws, strict=True)})
    e = engage(
        attacker, defender, rugged, fort, population, f, surprise=surprise, frontage_km=np.full(np.shape(rugged), 20.0)
    )
    for name in e._fields:
        value = getattr(e, name)
        assert np.all(np.isfinite(value)) and np.all(value >= 0), name
    assert np.all(e.attacker_casualties <= attacker.troops)
    assert np.all(e.defender_casualties <= defender.troops)
    assert np.all(e.attacker_armour_lost <= attacker.armour)
    assert np.all(e.defender_armour_lost <= defender.armour)
    assert np.all(e.defender_artillery_lost <= defender.artillery)
    assert np.all(e.attacker_uavs_lost <= attacker.uavs)


# --- the ladder ---------------------------------------------------------------------------
activities = st.builds(
    DayActivity,
    skirmish=st.booleans(),
    contested_karabakh=st.integers(0, 8),
    contested_armenia_proper=st.integers(0, 2),
    strikes_on_population_centres=st.booleans(),
    intervening_powers=st.frozensets(
        st.sampled_from(["russia", "turkey", "iran", "israel", "france", "united_states"])
    ),
    intervention_sides=st.frozensets(st.sampled_from(["armenian", "azerbaijani"])),
)


@settings(max_examples=200, deadline=None)
@given(activities, st.integers(0, 3))
def test_the_rung_stays_on_the_ladder_and_more_fighting_never_lowers_it(activity, more):
    rung = rung_of(activity)
    assert isinstance(rung, Rung) and 0 <= rung <= 7
    wider = DayActivity(
        activity.skirmish,
        activity.contested_karabakh + more,
        activity.contested_armenia_proper,
        activity.strikes_on_population_centres,
        activity.intervening_powers,
        activity.intervention_sides,
    )
    assert rung_of(wider) >= rung


# --- a few days of the model -----------------------------------------------------------
def randomised(cfg, draws):
    """A copy of cfg with every sourced parameter and tie weight set inside its range."""
    c = copy.deepcopy(cfg)
    params = list(iter_params(c))
    for (_, p), u in zip(params, draws, strict=False):
        lo, hi = (float(x) for x in p.range)
        p.value = lo + u * (hi - lo)
    for tie, u in zip(c.ties.values(), draws[len(params) :], strict=False):
        tie.weight = u
    return c


def n_draws(cfg) -> int:
    return len(list(iter_params(cfg))) + len(cfg.ties)


def check_day(m: ConflictModel, previous: dict) -> dict:
    a = m.attacker
    for x in (a.pool.troops, a.pool.armour, a.pool.artillery, a.pool.uavs, a.reserves, a.armour_lost, a.wounded):
        assert x >= 0
    for d in (m.armenia, m.artsakh):
        assert d.reserves >= 0 and d.armour_lost >= 0 and d.wounded >= 0
    for arr in (m.garrisons.troops, m.garrisons.armour, m.garrisons.artillery, m.theatre.progress):
        assert np.all(arr >= 0)
    assert np.all(m.theatre.progress <= 1)
    armenian, azerbaijani = m.theatre.km2_held()
    assert armenian >= -1e-6 and azerbaijani >= -1e-6
    assert armenian + azerbaijani == pytest.approx(m.theatre.total_area, rel=1e-9)
    assert int(m.rung) in {r.value for r in Rung}
    deaths = {f"military_{b}": m.belligerents[b].military_deaths for b in BELLIGERENTS}
    deaths |= {f"civilian_{b}": m.belligerents[b].civilian_deaths for b in BELLIGERENTS}
    for k, v in deaths.items():
        assert v >= previous.get(k, 0), f"{k} fell from {previous.get(k)} to {v}"
    return deaths


@pytest.mark.slow  # 25 models built and run for a few days
@FEW
@given(data=st.data(), scenario=st.sampled_from(SCENARIOS), seed=st.integers(0, 2**32 - 1))
def test_a_few_days_with_random_parameters_keep_the_invariants(cfg_of, data, scenario, seed):
    base = cfg_of(scenario)
    cfg = randomised(base, data.draw(unit_draws(n_draws(base)), label="unit draws"))
    m = ConflictModel(cfg, rng=seed)
    total = float(sum(s.area_km2 for s in cfg.theatre.sectors.values()))
    assert m.theatre.total_area == total
    previous: dict = {}
    while m.running and m.day < DAYS:
        m.step()
        previous = check_day(m, previous)
    df = m.datacollector.get_model_vars_dataframe()
    assert len(df) == m.day
    assert np.allclose(df["km2_armenian"] + df["km2_azerbaijani"], total)
    assert df["rung"].between(0, 7).all()
    for b in BELLIGERENTS:
        assert df[f"military_deaths_{b}"].is_monotonic_increasing
    for col in ("civilian_deaths_azerbaijan", "civilian_deaths_armenian_side"):
        assert df[col].is_monotonic_increasing and (df[col] >= 0).all()
