"""The terms a war ends on (sim.rules.settlement): districts handed over after a collapse, none after
a ceasefire, and whether Armenia and Karabakh stay linked; over an ensemble, the model's endings carry them."""

import numpy as np

from sim import load_config, run_ensemble
from sim.rules.settlement import settle

#: Five sectors: two districts around the oblast (0, 1; sector 1 carries the road to Armenia),
#: two of the oblast (2, 3), one of Armenia proper (4).
KARABAKH = np.array([True, True, True, True, False])
OBLAST = np.array([False, False, True, True, False])
CORRIDOR = 1


def test_a_collapse_hands_over_the_districts_around_the_oblast_still_held():
    held = np.array([False, True, True, False, True])
    terms = settle("capitulation", held, KARABAKH, OBLAST, CORRIDOR, "russia")
    assert terms.handed_over == (1,)  # not the oblast's sector 2, not Armenia proper
    assert terms.linked and terms.peacekeepers == "russia"  # the road is gone, peacekeepers keep a corridor


def test_a_ceasefire_leaves_the_line_where_it_stopped():
    held = np.array([True, True, True, True, True])
    terms = settle("ceasefire", held, KARABAKH, OBLAST, CORRIDOR, "none")
    assert terms.handed_over == () and terms.linked


def test_without_the_road_or_peacekeepers_karabakh_is_cut_off():
    held = np.array([False, False, True, False, True])
    assert not settle("ceasefire", held, KARABAKH, OBLAST, CORRIDOR, "none").linked
    assert settle("ceasefire", held, KARABAKH, OBLAST, CORRIDOR, "france").linked
    nothing = np.array([False, False, False, False, True])
    assert not settle("capitulation", nothing, KARABAKH, OBLAST, CORRIDOR, "russia").linked


def test_the_baseline_endings_carry_their_terms(cfg_of):
    """30 runs: a capitulation hands over only districts around the oblast, a ceasefire none, a settlement
    what its terms cede (tests/test_bargaining.py); under a guarantor Karabakh stays linked to Armenia while
    any of it is held; each ceasefire has a day and a broker."""
    runs = run_ensemble(cfg_of("baseline_2020"), n=30, seed=4).runs
    t = load_config().theatre.sectors
    oblast = {n for n, s in t.items() if s.get("oblast")}
    karabakh = {n for n, s in t.items() if s.region == "karabakh"}
    for r in runs.itertuples():
        handed = [d for d in str(r.districts_handed_over).split(",") if d]
        if r.end_type == "capitulation":
            assert not set(handed) & oblast
        if r.end_type == "ceasefire":
            assert handed == [] and r.km2_handed_over == 0
        left = karabakh - set(handed) - set(str(r.sectors_taken).split(","))
        if r.end_type in ("capitulation", "settlement") and r.peacekeepers != "none":
            assert r.corridor == bool(left)
        days = [d for d in str(r.ceasefire_days).split(",") if d]
        brokers = [b for b in str(r.ceasefire_brokers).split(",") if b]
        assert len(days) == len(brokers) == r.ceasefires_agreed
    assert (runs.end_type == "settlement").any() and (runs.km2_handed_over > 0).any()  # not vacuous
