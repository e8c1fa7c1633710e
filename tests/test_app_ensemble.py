"""The page's ensemble: the same wars as run_ensemble, with progress, labelled by their settings."""

import logging

import pandas as pd

from sim import load_config, run_ensemble
from sim.app.ensemble_panel import endings_text, run_wars
from sim.app.war_page import PageModel, page_settings

logging.getLogger("MESA").setLevel(logging.WARNING)
SHORT = ["scenario.horizon_days=12", "powers.turkey.resolve.value=1.0"]


def test_the_page_runs_the_wars_of_run_ensemble_and_reports_progress():
    seen = []
    ens = run_wars("baseline_2020", SHORT, seed=4, n=6, on_progress=seen.append)
    assert seen == [1, 2, 3, 4, 5, 6]
    ref = run_ensemble(load_config("baseline_2020", overrides=SHORT), n=6, seed=4)
    cols = [c for c in ref.runs.columns if c in ens.runs.columns]
    pd.testing.assert_frame_equal(ens.runs[cols], ref.runs[cols], check_dtype=False)
    assert len(ens.daily) == len(ref.daily)
    assert ens.label == "baseline_2020 (scenario.horizon_days=12; powers.turkey.resolve = 1.0), seed 4"
    lines = endings_text(ens.runs)
    share = (ens.runs["end_type"] == "settlement").mean()
    assert lines[0].startswith(f"Negotiated settlement: {share:.0%} (95% interval ")


def test_page_settings_take_moved_sliders_before_reset():
    model = PageModel()
    assert page_settings(model, {}) == ("baseline_2020", [], 1)
    values = {"scenario_name": "arms_embargo", "seed": 7, "turkey_resolve": 1.0, "russia_resolve": None}
    assert page_settings(model, values) == ("arms_embargo", ["powers.turkey.resolve.value=1.0"], 7)
