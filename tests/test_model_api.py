"""The public API of the model, as notebooks and later work use it: construction,
the outcome record, the daily table, Mesa idioms, and reproducibility."""

import mesa
import numpy as np
import pandas as pd
import pytest
from mesa.agentset import AbstractAgentSet
from mesa.discrete_space import Network

from sim import ConflictModel, run_ensemble
from sim.config.schema import BELLIGERENTS, POWERS
from sim.model.daily import reporters

OUTCOME_KEYS = {
    "max_rung",
    "max_rung_day",
    "duration_days",
    "end_type",
    "broker",
    "military_deaths_azerbaijan",
    "military_deaths_armenia",
    "military_deaths_artsakh",
    "civilian_deaths_azerbaijan",
    "civilian_deaths_armenian_side",
    "territory_change_km2",
    "sectors_taken",
    *(f"intervened_{p}" for p in ("russia", "turkey", "iran", "israel", "france", "united_states")),
}
DAILY_COLUMNS = {
    "day",
    "rung",
    "km2_armenian",
    "km2_azerbaijani",
    "civilian_deaths_azerbaijan",
    "civilian_deaths_armenian_side",
    *(f"military_deaths_{b}" for b in BELLIGERENTS),
}


def run(cfg, rng) -> ConflictModel:
    m = ConflictModel(cfg, rng=rng)
    m.run_model()
    return m


@pytest.fixture(scope="module")
def baseline_run(baseline_cfg):
    return run(baseline_cfg, 11)


def test_no_config_runs_the_baseline(baseline_cfg):
    """ConflictModel() is the baseline_2020 scenario: same rng, same run as the explicit config."""
    m = ConflictModel(rng=5)
    m.run_model()
    assert not m.running
    assert m.outcome["scenario"] == "baseline_2020"
    assert m.outcome == run(baseline_cfg, 5).outcome


def test_outcome_has_every_documented_key(baseline_run):
    out = baseline_run.outcome
    assert OUTCOME_KEYS <= set(out), OUTCOME_KEYS - set(out)
    assert isinstance(out["sectors_taken"], list)
    assert set(out["sectors_taken"]) <= set(baseline_run.theatre.names)
    assert out["end_type"] in {"settlement", "ceasefire", "capitulation", "lull", "horizon"}
    assert out["broker"] in {"none", "minsk_group", *POWERS}
    for p in POWERS:
        assert isinstance(out[f"intervened_{p}"], bool)
    assert 0 <= out["max_rung"] <= 7
    assert 1 <= out["max_rung_day"] <= out["duration_days"] <= baseline_run.horizon


def test_daily_table_has_one_row_per_day(baseline_run):
    m = baseline_run
    df = m.datacollector.get_model_vars_dataframe()
    assert DAILY_COLUMNS <= set(df.columns), DAILY_COLUMNS - set(df.columns)
    assert len(df) == m.day
    assert df["day"].tolist() == list(range(1, m.day + 1))
    assert df["rung"].max() == m.outcome["max_rung"]
    last = df.iloc[-1]
    for b in BELLIGERENTS:  # cumulative: the last row is the run's total
        assert last[f"military_deaths_{b}"] == m.outcome[f"military_deaths_{b}"]
        assert df[f"military_deaths_{b}"].is_monotonic_increasing
    assert last["km2_armenian"] + last["km2_azerbaijani"] == pytest.approx(m.theatre.total_area)


def test_the_daily_table_is_what_mesas_own_collector_collects(baseline_cfg):
    """DailyTable skips Mesa's deep copies; that is safe only because every value is immutable."""
    m = ConflictModel(baseline_cfg, rng=5)
    plain = mesa.DataCollector(model_reporters=reporters())
    while m.running:
        m.step()
        plain.collect(m)
    ours = m.datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(ours, plain.get_model_vars_dataframe(), check_exact=True)
    values = [v for column in m.datacollector.model_vars.values() for v in column]
    assert {type(v) for v in values} <= {int, float, bool, str}
    assert len(ours) == m.day > 5


def test_the_model_is_built_from_mesa_parts(baseline_run, baseline_cfg):
    m = baseline_run
    assert isinstance(m, mesa.Model)
    assert isinstance(m.datacollector, mesa.DataCollector)
    assert isinstance(m.agents, AbstractAgentSet)  # Mesa 3.5's model.agents is a hard-keyed AgentSet
    assert all(isinstance(a, mesa.Agent) for a in m.agents)
    names = sorted(a.name for a in m.agents)
    assert names == sorted([*BELLIGERENTS, *POWERS, "minsk_group"])
    kinds = {kind.__name__: len(group) for kind, group in m.agents_by_type.items()}
    assert kinds == {"Attacker": 1, "Defender": 2, "OutsidePower": len(POWERS), "Mediator": 1}
    assert isinstance(m.theatre.space, Network)
    cells = {c.coordinate for c in m.theatre.space.all_cells}
    assert cells == set(baseline_cfg.theatre.sectors)
    assert len(m.theatre.space.all_cells) == len(baseline_cfg.theatre.sectors)


def test_same_rng_gives_identical_outcome_and_daily_table(baseline_cfg):
    for seed in (0, 3, 2020):
        a, b = run(baseline_cfg, seed), run(baseline_cfg, seed)
        assert a.outcome == b.outcome
        pd.testing.assert_frame_equal(
            a.datacollector.get_model_vars_dataframe(), b.datacollector.get_model_vars_dataframe()
        )
    # a Generator built from the same seed is the same rng
    g1 = run(baseline_cfg, np.random.default_rng(np.random.SeedSequence(9)))
    g2 = run(baseline_cfg, np.random.default_rng(np.random.SeedSequence(9)))
    assert g1.outcome == g2.outcome


def test_different_rngs_give_different_runs(baseline_cfg):
    """Six seeds give six different outcome records and six different daily tables."""
    models = [run(baseline_cfg, seed) for seed in range(6)]
    outcomes = {repr(sorted(m.outcome.items())) for m in models}
    tables = {m.datacollector.get_model_vars_dataframe().to_csv() for m in models}
    assert len(outcomes) == 6
    assert len(tables) == 6


def test_ensembles_are_reproducible(cfg_of):
    cfg = cfg_of("april_2016")
    a, b = run_ensemble(cfg, n=6, seed=4), run_ensemble(cfg, n=6, seed=4)
    pd.testing.assert_frame_equal(a.runs, b.runs)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    c = run_ensemble(cfg, n=6, seed=5)
    assert not a.daily.equals(c.daily)
    assert len(a.runs) == 6 and a.runs["replicate"].tolist() == list(range(6))


@pytest.mark.parametrize("scenario", ["baseline_2020", "april_2016", "turkey_intervenes"])
def test_the_daily_rung_is_read_off_what_was_done(cfg_of, scenario):
    """The rung follows from the day's actions, never a walk of its own: over 15 runs,
    each day's rung agrees with its contested sectors, the attacker's action, the
    day's strikes on towns and the powers' stances (rung 6+ exactly when some power
    is in the war and there is fighting)."""
    daily = run_ensemble(cfg_of(scenario), n=15, seed=8).daily
    stance = daily[[f"stance_{p}" for p in POWERS]]
    fought = (daily["contested_sectors"] > 0) | (daily["action_azerbaijan"] == "SKIRMISH")
    in_war = (stance == "INTERVENE").any(axis=1) & fought
    assert ((daily["rung"] >= 6) == in_war).all()
    quiet = daily[~in_war]
    contested, rung, action = quiet["contested_sectors"], quiet["rung"], quiet["action_azerbaijan"]
    assert (contested[rung == 0] == 0).all() and (action[rung == 0] != "SKIRMISH").all()
    assert (contested[rung == 1] == 0).all() and (action[rung == 1] == "SKIRMISH").all()
    assert contested[rung == 2].between(1, 2).all()
    assert (contested[rung == 3] >= 3).all()
    assert (contested[rung == 5] >= 1).all()
    # rung 4 is the day's strikes on towns (either side's), unless Armenia proper is fought over (5)
    strikes = quiet["strikes_azerbaijan"] | quiet["strikes_armenian_side"]
    assert strikes[rung == 4].all() and (rung[strikes] >= 4).all()
    # no fighting and no strikes on towns: the frozen conflict
    assert (rung[(contested == 0) & (action != "SKIRMISH") & ~strikes] == 0).all()
    assert (rung >= 2).any()  # not vacuous: there was an offensive
