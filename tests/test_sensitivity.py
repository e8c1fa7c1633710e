"""Global sensitivity through the ensemble machinery, on an outcome whose driver is known by construction.

Construction: over a 3-day war, military deaths are binomial draws from the day's
casualties with probability `combat.killed_fraction` (sim.model.front), whose range
[0.1, 0.5] spans a factor of five; `powers.france.intervention_force` is read
only once France has decided to intervene, which its resolve and cost never let
it do in a three-day war. With common random numbers across points (run_design),
changing France's force alone leaves every run identical, so its indices must be
zero up to Monte Carlo noise, and killed_fraction must rank first.
"""

import logging

import matplotlib.pyplot as plt
import pytest
from matplotlib.container import BarContainer

from sim import load_config
from sim.analysis.sensitivity import MILITARY, morris, problem, ranking, run_count, sobol
from sim.config.schema import ConfigError
from sim.plots.sensitivity import sensitivity_bars

logging.getLogger("MESA").setLevel(logging.WARNING)

DRIVER = "combat.killed_fraction.value"
INERT = "powers.france.intervention_force.value"
#: a weak third parameter in three days: the mediator cannot end a war that young.
OTHER = "mediator.strength.value"
DEATHS = {"military_deaths": lambda g: float(g[MILITARY].sum(axis=1).mean())}


@pytest.fixture(scope="module")
def cfg():
    return load_config("baseline_2020", overrides=["scenario.horizon_days=3"])


@pytest.fixture(scope="module")
def sobol_result(cfg):
    return sobol(cfg, [DRIVER, INERT, OTHER], base=16, replicates=2, seed=1, outcomes=DEATHS)


@pytest.mark.slow
def test_sobol_runs_through_the_design_machinery(sobol_result):
    r = sobol_result
    assert len(r.points) == 16 * (3 + 2) == run_count("sobol", 3, 16, 1)
    assert len(r.runs) == len(r.points) * 2
    assert set(r.runs["point_id"]) == set(range(len(r.points)))
    assert r.runs[DRIVER].between(0.1, 0.5).all()


@pytest.mark.slow
def test_sobol_known_driver_first_and_inert_parameter_near_zero(sobol_result):
    idx = sobol_result.indices
    rank = ranking(idx, "military_deaths", "ST")
    assert rank["parameter"].iloc[0] == DRIVER
    assert rank.set_index("parameter").loc[DRIVER, "value"] > 0.5
    inert = idx[(idx["parameter"] == INERT) & (idx["outcome"] == "military_deaths")].set_index("index")["value"]
    assert abs(inert["S1"]) < 0.05 and abs(inert["ST"]) < 0.05


@pytest.mark.slow
def test_morris_screens_the_same_driver(cfg):
    r = morris(cfg, [DRIVER, INERT], trajectories=6, replicates=2, seed=2, outcomes=DEATHS)
    mu = r.indices[r.indices["index"] == "mu_star"].set_index("parameter")["value"]
    assert len(r.points) == run_count("morris", 2, 6, 1)
    assert mu[DRIVER] > 10 * max(mu[INERT], 1e-9)
    assert mu[INERT] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.slow
def test_index_chart_shows_every_parameter_with_intervals(sobol_result):
    fig = sensitivity_bars(sobol_result.indices, "military_deaths")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "combat.killed fraction"  # largest ST on top
    assert len(labels) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["first-order S1", "total ST"]
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    st = [p.get_width() for p in bars[1]]
    expected = ranking(sobol_result.indices, "military_deaths", "ST")["value"].tolist()[::-1]
    assert st == pytest.approx(expected)
    assert "share of output variance" in ax.get_xlabel()
    plt.close(fig)


def test_bad_parameters_get_one_clear_line(cfg):
    with pytest.raises(ConfigError, match="params: 'combat.nonsense.value' is not a sampled parameter"):
        problem(cfg, ["combat.nonsense.value", DRIVER])
    with pytest.raises(ConfigError, match="power of two"):
        sobol(cfg, [DRIVER, INERT], base=10)
