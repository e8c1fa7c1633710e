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
