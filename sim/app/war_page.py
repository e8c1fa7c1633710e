"""The interactive page: one war, day by day, with Mesa's SolaraViz controls.

Serve it in a browser with `solara run sim/app/war_page.py` (or `make app`); in Jupyter,
`from sim.app.war_page import page; page` shows the same page in a cell.

Sliders cover the handful of parameters a seminar argues about (drone power,
revanchism, the patrons' resolve, the mediator); their limits are the `range`
of each parameter in conf/, so the page cannot leave the space the sources
allow. Sliders start at the baseline values. A slider that is moved away from
its baseline value overrides the chosen scenario's value on the next Reset; a
slider left where it starts keeps the scenario's own value, so choosing e.g.
`turkey_intervenes` on its own runs that scenario unchanged. The panel on the
page always shows the values the running war actually uses.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from html import escape

import matplotlib

matplotlib.use("Agg")  # the page renders figures to PNG; no display is needed

import numpy as np  # noqa: E402
import solara  # noqa: E402
from mesa.visualization.solara_viz import ModelController, ModelCreator  # noqa: E402
from mesa.visualization.utils import update_counter  # noqa: E402
from omegaconf import OmegaConf  # noqa: E402

from sim.app.ensemble_panel import EnsemblePanel  # noqa: E402
from sim.app.page_figures import casualties_figure, rung_figure, theatre_figure  # noqa: E402
from sim.config.loading import DEFAULT_SCENARIO, load_config, scenarios  # noqa: E402
from sim.model.conflict import ConflictModel  # noqa: E402
from sim.model.levers import LEVERS  # noqa: E402
from sim.rules.ladder import Rung  # noqa: E402


@dataclass(frozen=True)
class KeyParam:
    """A parameter with a slider on the page: its config key and its label."""

    key: str  # dotted key of the Param in the config, e.g. "powers.turkey.resolve"
    label: str
    unit: str  # short, for beside the slider (the full unit is in docs/parameters.md)
    integer: bool = False


#: Keyword of PageModel -> parameter: ConflictModel's levers (sim.model.levers) that a seminar argues about
#: in notebooks/07, with their labels.
LABELS = {
    "azerbaijan_uavs": ("Az. UAV sorties/day", "sorties a day"),
    "azerbaijan_revanchism": ("Az. revanchism", "0-1 scale"),
    "turkey_resolve": ("Turkish resolve", "0-1 scale"),
    "russia_resolve": ("Russian resolve", "0-1 scale"),
    "minsk_group_strength": ("Minsk Group strength", "proposals a day"),
    "uav_erosion": ("UAV erosion/sortie", "edge lost per sortie"),
    "posture_fortified": ("Fortified posture", "Dupuy multiplier"),
}
KEY_PARAMS = {
    kw: KeyParam(LEVERS[kw].key.removesuffix(".value"), label, unit, LEVERS[kw].integer)
    for kw, (label, unit) in LABELS.items()
}


def _param(cfg, key: str):
    return OmegaConf.select(cfg, key)


@functools.cache
def baseline_config():
    """The baseline config the sliders start from, composed once per server (read-only: it is shared)."""
    cfg = load_config()
    OmegaConf.set_readonly(cfg, True)
    return cfg


def slider_specs(cfg=None) -> dict:
    """Mesa SolaraViz inputs (for ModelCreator): the scenario chooser, the seed and one slider per key parameter.

    Limits and starting values come from the baseline config, so a changed range
    in conf/ changes the page (when the page is served again: the page is redrawn
    often, so the baseline is composed once, `baseline_config`).
    """
    cfg = baseline_config() if cfg is None else cfg
    specs: dict = {
        "scenario_name": {"type": "Select", "value": DEFAULT_SCENARIO, "values": scenarios(), "label": "Scenario"},
        "seed": {"type": "SliderInt", "value": 1, "min": 0, "max": 999, "step": 1, "label": "Seed"},
    }
    for kw, kp in KEY_PARAMS.items():
        p = _param(cfg, kp.key)
        lo, hi = (float(x) for x in p.range)
        if kp.integer:
            specs[kw] = {
                "type": "SliderInt",
                "value": int(p.value),
                "min": int(lo),
                "max": int(hi),
                "step": 1,
                "label": kp.label,  # short, so the slider keeps its width; SliderValues gives value and unit
            }
        else:
            specs[kw] = {
                "type": "SliderFloat",
                "value": float(p.value),
                "min": lo,
                "max": hi,
                "step": (hi - lo) / 100,
                "label": kp.label,  # short, so the slider keeps its width; SliderValues gives value and unit
            }
    return specs


def page_overrides(baseline, values: dict) -> list[str]:
    """Hydra overrides for the sliders moved away from their baseline value."""
    out = []
    for kw, value in values.items():
        if value is None:
            continue
        key = KEY_PARAMS[kw].key
        if not np.isclose(float(value), float(_param(baseline, key).value)):
            out.append(f"{key}.value={value}")
    return out


class PageModel(ConflictModel):
    """ConflictModel built from the page's inputs (Mesa's Reset passes them as keywords)."""

    def __init__(
        self,
        scenario_name: str = DEFAULT_SCENARIO,
        seed: int = 1,
        azerbaijan_uavs: float | None = None,
        azerbaijan_revanchism: float | None = None,
        turkey_resolve: float | None = None,
        russia_resolve: float | None = None,
        minsk_group_strength: float | None = None,
        uav_erosion: float | None = None,
        posture_fortified: float | None = None,
    ):
        values = {k: v for k, v in locals().items() if k in KEY_PARAMS}
        self.overrides = page_overrides(baseline_config(), values)
        super().__init__(load_config(scenario_name, overrides=self.overrides), rng=int(seed))

    def key_values(self) -> dict[str, float]:
        """The values of the key parameters this war uses (after scenario and sliders)."""
        return {f"{kp.label} ({kp.unit})": float(_param(self.config, kp.key).value) for kp in KEY_PARAMS.values()}


# --- page components ---------------------------------------------------------------------
# Mesa's own controls (Step, Play, Reset) and parameter inputs, in a layout of plain
# solara columns: SolaraViz's draggable grid needs a Vue 2 front end, and with
# ipyvue 3 (Vue 3) its grid never loads, leaving the page empty.


def ending_html(model: ConflictModel) -> str:
    """The war's civilians, ceasefires and, once it is over, its ending and terms (HTML)."""
    c = model.civilians
    strikes = [who for who, b in (("Azerbaijan", model.attacker), ("Armenian side", model.armenia)) if b.strikes]
    strikes += ["Armenian side"] if model.artsakh.strikes and "Armenian side" not in strikes else []
    cf = ", ".join(f"day {d} ({b})" for d, b in model.ceasefire_log) or "none"
    text = (
        f"<p>Strikes on towns today: {escape(', '.join(strikes) or 'none')} · civilians killed: "
        f"Azerbaijan {model.attacker.civilian_deaths:.0f}, Armenian side "
        f"{model.armenia.civilian_deaths + model.artsakh.civilian_deaths:.0f} · displaced (Armenian side): "
        f"{c.displaced['armenian']:,.0f}</p><p>Ceasefires agreed: {escape(cf)}</p>"
    )
    if model.terms is not None:
        rec = model.outcome
        handed = ", ".join(rec["districts_handed_over"]) or "none"
        text += (
            f"<p><b>Ended</b> by {escape(rec['end_type'])} on day {rec['duration_days']}, brokered by "
            f"{escape(rec['broker'])}; peacekeepers: {escape(rec['peacekeepers'])}; handed over: {escape(handed)}; "
            f"Armenia and Karabakh linked: {'yes' if rec['corridor'] else 'no'}</p>"
        )
    return text


def equipment_html(model: ConflictModel) -> str:
    """Equipment lost by type and side, the air defence still standing and what was replaced (HTML)."""
    a, arm, art = model.attacker, model.armenia, model.artsakh
    return (
        f"<p>Equipment lost: Azerbaijan {a.armour_lost:.0f} armoured vehicles, {a.artillery_lost:.0f} guns, "
        f"{a.uavs_lost:.0f} drones · Armenian side {arm.armour_lost + art.armour_lost:.0f} armoured vehicles, "
        f"{arm.artillery_lost + art.artillery_lost:.0f} guns, {arm.air_defence_lost + art.air_defence_lost:.0f} "
        f"air-defence systems ({100 * model.garrisons.cover():.0f}% of its air defence still standing) · "
        f"replaced from depots and deliveries: Azerbaijan {a.replaced:.0f}, Armenian side {arm.replaced:.0f}</p>"
    )


def contrast_html(name: str) -> str:
    """What the scenario expects, and what `make scenarios` found against the baseline (HTML; '' for none)."""
    from sim.report.contrast import TABLE

    if name == DEFAULT_SCENARIO or not TABLE.is_file():
        return ""
    import pandas as pd

    rows = pd.read_csv(TABLE, keep_default_na=False)
    rows = rows[(rows.scenario == name) & (rows.moved != "")]
    if rows.empty:
        return ""

    def amount(r) -> str:
        if r.unit == "share":
            return f"{r.difference * 100:+.0f} pp"
        if r.unit == "rung":
            return f"{r.difference:+.2f} rungs"
        return f"{r.difference:+,.0f}" + {"days": " days", "km2": " km²"}.get(r.unit, "")

    items = [
        f"{r.measure.replace('_', ' ')} {amount(r)}" + (" (expected)" if r.holds == "yes" else "")
        for r in rows.itertuples()
    ]
    return f"<p>Against {DEFAULT_SCENARIO} (docs/scenarios.md, 200 runs each): {escape('; '.join(items))}</p>"


@solara.component
def StatusPanel(model: ConflictModel):
    """Where the war stands and which values it runs on (plain HTML: no extra front-end packages)."""
    update_counter.get()
    rung = Rung(model.rung)
    end = model.end_type or "still running"
    stances = ", ".join(
        f"{n.replace('_', ' ')}: {p.stance.name.lower().replace('_', ' ')}" for n, p in model.powers.items()
    )
    rows = "".join(f"<tr><td>{escape(label)}</td><td>{v:g}</td></tr>" for label, v in model.key_values().items())
    overrides = ", ".join(model.overrides) if model.overrides else "none"
    solara.HTML(
        tag="div",
        unsafe_innerHTML=(
            f"<h3>{escape(model.scenario_spec.name)}</h3><p>{escape(model.scenario_spec.description)}</p>"
            f"<p><i>{escape(model.scenario_spec.get('premise') or '')}</i></p>{contrast_html(model.scenario_spec.name)}"
            f"<p><b>Day {model.day}</b> · rung {int(rung)} ({rung.label}) · "
            f"Azerbaijan: {model.attacker.action_label.lower().replace('_', ' ')} · "
            f"ceasefire in force: {'yes' if model.ceasefire else 'no'} · "
            f"end: {end}</p><p>Outside powers: {stances}</p>{equipment_html(model)}{ending_html(model)}"
            f"<table><tr><th>parameter in use</th><th>value</th></tr>{rows}</table>"
            f"<p>Slider overrides: {escape(overrides)}</p>"
        ),
    )


@solara.component
def Figures(model: ConflictModel):
    """The theatre map and the live plots, redrawn after every step."""
    update_counter.get()
    daily = model.datacollector.get_model_vars_dataframe()
    deps = [model, model.day, update_counter.value]
    with solara.Columns([1, 1]):
        with solara.Column():
            StatusPanel(model)
            solara.FigureMatplotlib(rung_figure(daily), format="png", dependencies=deps)
        with solara.Column():
            solara.FigureMatplotlib(theatre_figure(model), format="png", dependencies=deps)
            solara.FigureMatplotlib(casualties_figure(daily), format="png", dependencies=deps)


@solara.component
def Page():
    """The whole page: Mesa's controls and inputs in the sidebar, the war in the main pane."""
    initial = solara.use_memo(PageModel, [])
    model = solara.use_reactive(initial)
    parameters = solara.use_reactive({})
    play_interval = solara.use_reactive(200)
    render_interval = solara.use_reactive(1)
    use_threads = solara.use_reactive(False)
    solara.Title("Karabakh 2020: escalation model")
    with solara.AppBar():
        solara.AppBarTitle("Karabakh 2020 escalation model")  # short: a long title is cut off in the bar
    with solara.Sidebar(), solara.Column():
        with solara.Card("Controls"):
            ModelController(
                model,
                model_parameters=parameters,
                play_interval=play_interval,
                render_interval=render_interval,
                use_threads=use_threads,
            )
            solara.Markdown("Step: one day. ▶: run day after day. Reset: a new war with the inputs below.")
        with solara.Card("Scenario and parameters"):
            ModelCreator(model, slider_specs(), model_parameters=parameters)
            SliderValues(parameters.value, model.value)
            solara.Markdown("A slider moved away from its start overrides the scenario on Reset.")
    solara.Markdown("*A teaching model, not a forecast: one war below is one draw; the ensemble shows many.*")
    Figures(model.value)
    EnsemblePanel(lambda: page_settings(model.value, parameters.value))


def page_settings(model: PageModel, values: dict) -> tuple[str, list[str], int]:
    """The scenario, slider overrides and seed as they stand on the page (moved sliders count before Reset)."""
    if not values:
        return model.scenario_spec.name, list(model.overrides), int(values.get("seed", 1))
    scenario = values.get("scenario_name", model.scenario_spec.name)
    moved = page_overrides(baseline_config(), {k: v for k, v in values.items() if k in KEY_PARAMS})
    return scenario, moved, int(values.get("seed", 1))


def slider_rows(values: dict, model: ConflictModel) -> str:
    """Each parameter's value in the war on the page, with its unit (HTML table rows); where the slider says
    otherwise, why: the scenario's own value is in use while the slider stays at its start, and a moved
    slider takes effect on Reset."""
    specs = slider_specs()
    base = baseline_config()
    rows = []
    for kw, kp in KEY_PARAMS.items():
        slider = float(values.get(kw, specs[kw]["value"]))
        used = float(_param(model.config, kp.key).value)
        note = ""
        if not np.isclose(slider, used):
            moved = not np.isclose(slider, float(_param(base, kp.key).value))
            note = (
                f" (slider at {slider:g}: from Reset, and in ensembles)"
                if moved
                else f" (the scenario's; slider at {slider:g})"
            )
        rows.append(f"<tr><td>{escape(kp.label)}</td><td><b>{used:g}</b> {escape(kp.unit)}{escape(note)}</td></tr>")
    return "".join(rows)


@solara.component
def SliderValues(values: dict, model: ConflictModel):
    """The sliders' parameters as the war on the page uses them (`slider_rows`); the sliders show a value
    only while dragged."""
    solara.HTML(tag="table", unsafe_innerHTML=slider_rows(values, model), style="font-size: 0.9em")


#: Display `page` in a Jupyter cell; `solara run sim/app/war_page.py` serves it in a browser.
page = Page()
