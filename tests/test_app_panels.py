"""What the page's status panel says about a war's civilians, ceasefires, ending and terms, and about the
chosen scenario against the baseline (sim.app.war_page; the browser test drives the page itself).

The page is imported inside the tests: with Solara it takes about two seconds to import, which every
test worker would pay when it collects this file.
"""

import logging

logging.getLogger("MESA").setLevel(logging.WARNING)


def test_the_panel_shows_the_ending_and_its_terms_once_the_war_is_over():
    from sim.app.war_page import PageModel, ending_html

    m = PageModel(scenario_name="baseline_2020", seed=3)
    m.step()
    assert "civilians killed" in ending_html(m) and "Ended" not in ending_html(m)
    m.run_model()
    text = ending_html(m)
    assert f"Ended</b> by {m.end_type}" in text and f"peacekeepers: {m.peacekeepers}" in text
    assert "handed over:" in text and "linked:" in text


def test_a_counterfactual_shows_what_it_moves_against_the_baseline():
    from sim.app.war_page import contrast_html

    text = contrast_html("no_turkish_drones")
    assert "territory" in text and "(expected)" in text  # docs/figures/scenario_contrast.csv, make scenarios
    assert contrast_html("baseline_2020") == ""


def test_the_panel_shows_equipment_by_type_and_the_air_defence_standing():
    from sim.app.war_page import PageModel, equipment_html

    m = PageModel(scenario_name="baseline_2020", seed=3)
    assert "Armenian side 0 armoured vehicles, 0 guns, 0 air-defence systems (100% of" in equipment_html(m)
    m.run_model()
    text = equipment_html(m)
    lost = m.armenia.air_defence_lost + m.artsakh.air_defence_lost
    assert f"{lost:.0f} air-defence systems" in text and f"{m.attacker.artillery_lost:.0f} guns" in text
    assert f"{100 * m.garrisons.cover():.0f}% of its air defence still standing" in text


def test_the_sliders_values_are_those_the_war_uses_and_say_why_they_differ():
    """april_2016 flies 4 sorties a day while the UAV slider stays at the baseline's 26: the panel gives the
    4 in use and says it is the scenario's; a slider moved but not yet applied says it takes effect from
    Reset (ensembles use it at once)."""
    from sim.app.war_page import KEY_PARAMS, PageModel, slider_rows

    april = PageModel(scenario_name="april_2016", seed=1)
    uavs = float(april.config.belligerents.azerbaijan.uavs.value)
    rows = slider_rows({}, april)
    label = KEY_PARAMS["azerbaijan_uavs"].label
    row = rows.split(label, 1)[1].split("</tr>", 1)[0]
    assert f"<b>{uavs:g}</b>" in row and "(the scenario&#x27;s; slider at 26)" in row
    base = PageModel(scenario_name="baseline_2020", seed=1)
    row = slider_rows({"azerbaijan_uavs": 50.0}, base).split(label, 1)[1].split("</tr>", 1)[0]
    assert "<b>26</b>" in row and "(slider at 50: from Reset, and in ensembles)" in row
    assert "slider at" not in slider_rows({}, base)  # the baseline unmoved: nothing to explain
