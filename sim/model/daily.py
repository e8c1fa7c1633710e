"""The daily table: what ConflictModel records at the end of each day.

One column per reporter (docs/model.md, Outputs), collected by Mesa's
DataCollector, so `model.datacollector.get_model_vars_dataframe()` gives one
row per day as in any Mesa model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mesa
import numpy as np
import pandas as pd

from sim.config.schema import BELLIGERENTS, POWERS
from sim.model.daycache import memo
from sim.rules.decisions import Stance

_STANCE_NAMES = {s: s.name for s in Stance}  # an enum's .name is a slow property, read six times a day


def reporters() -> dict[str, Any]:
    """Columns of the daily table: name -> function of the model returning an immutable value.

    Values are plain Python numbers, flags and labels (float() of a numpy
    scalar is exact); the two km2 columns share one computation per day.
    """

    def km2(m) -> tuple[float, float]:
        return memo(m.cache, ("km2_held",), m.theatre.km2_held)

    r = {
        "day": lambda m: m.day,
        "rung": lambda m: int(m.rung),
        "ceasefire": lambda m: m.ceasefire is not None,
        "contested_sectors": lambda m: int(np.count_nonzero(m.contested)),
        "sectors_held_armenian": lambda m: int(np.count_nonzero(m.theatre.controller == 0)),
        "km2_armenian": lambda m: km2(m)[0],
        "km2_azerbaijani": lambda m: km2(m)[1],
        "armour_lost_azerbaijan": lambda m: float(m.attacker.armour_lost),
        "uavs_lost_azerbaijan": lambda m: float(m.attacker.uavs_lost),
        "armour_lost_armenian_side": lambda m: float(m.armenia.armour_lost + m.artsakh.armour_lost),
        "artillery_lost_armenian_side": lambda m: float(m.armenia.artillery_lost + m.artsakh.artillery_lost),
        "artillery_lost_azerbaijan": lambda m: float(m.attacker.artillery_lost),
        "air_defence_lost_armenian_side": lambda m: float(m.armenia.air_defence_lost + m.artsakh.air_defence_lost),
        "equipment_replaced_azerbaijan": lambda m: float(m.attacker.replaced),
        "equipment_replaced_armenian_side": lambda m: float(m.armenia.replaced),
        "wounded_armenian_side": lambda m: float(m.armenia.wounded + m.artsakh.wounded),
        "wounded_azerbaijan": lambda m: float(m.attacker.wounded),
        "civilian_deaths_azerbaijan": lambda m: float(m.attacker.civilian_deaths),
        "civilian_deaths_armenian_side": lambda m: float(m.armenia.civilian_deaths + m.artsakh.civilian_deaths),
        "military_deaths_foreign_fighters": lambda m: float(m.attacker.foreign_fighter_deaths),
        "strikes_azerbaijan": lambda m: bool(m.attacker.strikes),
        "strikes_armenian_side": lambda m: bool(m.armenia.strikes or m.artsakh.strikes),
        "displaced_armenian_side": lambda m: float(m.civilians.displaced["armenian"]),
        "displaced_azerbaijan": lambda m: float(m.civilians.displaced["azerbaijani"]),
    }
    for name in BELLIGERENTS:
        r[f"military_deaths_{name}"] = _deaths_of(name)
        r[f"action_{name}"] = _action_of(name)
    for name in POWERS:
        r[f"stance_{name}"] = _stance_of(name)
    return r


def _deaths_of(name: str) -> Callable[[Any], float]:
    return lambda m: float(m.belligerents[name].military_deaths)


def _action_of(name: str) -> Callable[[Any], str]:
    return lambda m: m.belligerents[name].action_label


def _stance_of(name: str) -> Callable[[Any], str]:
    return lambda m: _STANCE_NAMES[m.powers[name].stance]


class DailyTable(mesa.DataCollector):
    """Mesa's DataCollector for model-level columns whose values are immutable.

    Mesa deep-copies every value it collects, so that a reporter returning a
    mutable object (a list, an array) cannot change rows already stored. Every
    column here is an int, float, bool or str, which cannot change, so after
    Mesa's own first collection (which also validates the reporters) values are
    stored as they are: the copies cost about a twentieth of a simulated day.
    """

    def __init__(self, model_reporters: dict[str, Any]):
        super().__init__(model_reporters=model_reporters)
        self._columns = [(name, self.model_vars[name], f) for name, f in model_reporters.items()]

    def collect(self, model) -> None:
        if not self._validated:
            super().collect(model)
            return
        steps = getattr(self, "_collection_steps", None)
        if steps is not None:
            steps.append(model.time)
        for _, column, report in self._columns:
            column.append(report(model))

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """The daily table, one row per day, as Mesa builds it.

        A column of numbers or flags is handed to pandas as a numpy array (of
        the dtype pandas would infer from the list: every value of a column is
        of one type), which spares pandas inferring it value by value; labels
        stay lists.
        """
        if not self.model_reporters:
            return super().get_model_vars_dataframe()
        return frame_of(self.model_vars)


_NUMERIC = (int, float, bool)


def frame_of(columns: dict[str, list]) -> pd.DataFrame:
    """A DataFrame of daily columns (name -> values), each column of numbers or flags handed to pandas as a
    numpy array of the dtype pandas would infer from the list (every value of a column is of one type):
    inferring it value by value costs pandas twice as much as the whole frame otherwise. Labels stay lists."""
    return pd.DataFrame({name: np.array(v) if v and type(v[0]) in _NUMERIC else v for name, v in columns.items()})
