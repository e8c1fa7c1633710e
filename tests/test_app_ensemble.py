"""The page's ensemble: the same wars as run_ensemble, with progress, labelled by their settings.

The page's modules are imported inside the tests: with Solara they take about two seconds to import,
which every test worker would pay when it collects this file.
"""

import logging

import pandas as pd

from sim import load_config, run_ensemble

logging.getLogger("MESA").setLevel(logging.WARNING)
SHORT = ["scenario.horizon_days=12", "powers.turkey.resolve.value=1.0"]


def test_the_page_runs_the_wars_of_run_ensemble_and_reports_progress():
    from sim.app.ensemble_panel import endings_text, run_wars

    seen = []
    ens = run_wars("baseline_2020", SHORT, seed=4, n=7, on_progress=seen.append)
    assert seen == [5, 7]  # every PROGRESS_EVERY (5) wars, and at the end
    ref = run_ensemble(load_config("baseline_2020", overrides=SHORT), n=7, seed=4)
    cols = [c for c in ref.runs.columns if c in ens.runs.columns]
    pd.testing.assert_frame_equal(ens.runs[cols], ref.runs[cols], check_dtype=False)
    assert len(ens.daily) == len(ref.daily)
    assert ens.label == "baseline_2020 (scenario.horizon_days=12; powers.turkey.resolve = 1.0), seed 4"
    lines = endings_text(ens.runs)
    share = (ens.runs["end_type"] == "settlement").mean()
    assert lines[0].startswith(f"Negotiated settlement: {share:.0%} (95% interval ")


def test_page_settings_take_moved_sliders_before_reset():
    from sim.app.war_page import PageModel, page_settings

    model = PageModel()
    assert page_settings(model, {}) == ("baseline_2020", [], 1)
    values = {"scenario_name": "arms_embargo", "seed": 7, "turkey_resolve": 1.0, "russia_resolve": None}
    assert page_settings(model, values) == ("arms_embargo", ["powers.turkey.resolve.value=1.0"], 7)


def test_a_jump_in_the_casualty_plot_is_explained_on_it():
    from sim.app.page_figures import casualties_figure

    days = pd.DataFrame({"day": [1, 2, 3, 4], "contested_sectors": [2, 2, 8, 1]})
    days["action_azerbaijan"] = ["LIMITED_OFFENSIVE", "LIMITED_OFFENSIVE", "GENERAL_OFFENSIVE", "HOLD"]
    for i, b in enumerate(("azerbaijan", "armenia", "artsakh")):
        days[f"military_deaths_{b}"] = [10 + i, 60 + i, 460 + i, 470 + i]  # day 3: +400 each, +1,200 in all
    for side in ("azerbaijan", "armenian_side"):
        days[f"civilian_deaths_{side}"] = [0, 1, 2, 2]
    notes = [t.get_text() for t in casualties_figure(days).axes[0].texts]
    assert notes == ["day 3: +1,200 soldiers killed\n(general offensive on 8 sectors)"]
    calm = days.assign(**{f"military_deaths_{b}": [10, 20, 30, 40] for b in ("azerbaijan", "armenia", "artsakh")})
    assert len(casualties_figure(calm).axes[0].texts) == 0


def test_the_page_map_outlines_the_districts_the_record_says_were_taken():
    """The baseline's map outlines 2020's taken districts (conf/backtest); a scenario with no such record not."""
    import numpy as np

    from sim import ConflictModel
    from sim.analysis.record import districts_of
    from sim.app.page_figures import theatre_figure
    from sim.plots.geography import theatre_cells

    model = ConflictModel(load_config("baseline_2020"), rng=1)
    record = districts_of("baseline_2020")
    ax = theatre_figure(model).axes[0]
    outline = [ln.get_xydata() for ln in ax.get_lines() if ln.get_gid() == "record"]
    cells, _ = theatre_cells(model.config.theatre)
    assert outline
    for seg in outline:  # each edge between a district the record says was taken and one it does not
        sides = [c.name for c in cells if all(np.isclose(c.polygon, xy).all(axis=1).any() for xy in seg)]
        assert len(sides) == 2 and len(set(record.taken) & set(sides)) == 1, sides
    assert "taken in the 2020 fighting (the record)" in [t.get_text() for t in ax.get_legend().get_texts()]
    other = theatre_figure(ConflictModel(load_config("april_2016"), rng=1)).axes[0]
    assert not [ln for ln in other.get_lines() if ln.get_gid() == "record"]


def test_the_page_map_shows_what_a_settlement_handed_over():
    """A war ended by a settlement: the districts it handed over are drawn as Azerbaijan's, hatched and labelled
    'handed over', as the page's ending says, not as still held."""
    from sim import ConflictModel
    from sim.app.page_figures import theatre_figure

    for seed in range(40):
        model = ConflictModel(load_config("baseline_2020"), rng=seed)
        model.run_model()
        if model.end_type == "settlement" and model.terms.handed_over:
            break
    else:
        raise AssertionError("no settlement handed districts over in 40 baseline wars")
    ax = theatre_figure(model).axes[0]
    t = model.theatre
    handed = {t.names[i] for i in model.terms.handed_over}
    areas = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    for name in handed:
        assert areas[name].get_hatch() == "//"
        assert f"{name.replace('_', ' ').title()}\nhanded over" in [x.get_text() for x in ax.texts]
    assert "handed over by the settlement" in [x.get_text() for x in ax.get_legend().get_texts()]
    held = set(t.names) - handed
    assert all(areas[n].get_hatch() is None for n in held if n in areas)


def test_the_page_speaks_in_words_not_column_names():
    """The scenario's contrast on the page reads as text ('military deaths azerbaijan -871'), not as the
    contrast table's column names."""
    from sim.app.war_page import contrast_html

    text = contrast_html("arms_embargo")
    assert "territory" in text and "_" not in text.split("docs/scenarios.md", 1)[1]


def test_the_page_casualty_key_sits_below_the_plot_not_over_its_lines():
    """The casualties figure's key is under the axes (inside them it covered the lines as they climbed)."""
    from sim.app.page_figures import casualties_figure
    from sim.app.war_page import PageModel

    model = PageModel(scenario_name="baseline_2020", seed=1)
    for _ in range(8):
        model.step()
    fig = casualties_figure(model.datacollector.get_model_vars_dataframe())
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lays the figure out (constrained layout)
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    key, plot = ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)
    assert key.y1 <= plot.y0 and len(ax.get_legend().get_texts()) == 5
