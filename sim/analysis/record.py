"""The historical record of a scenario, for drawing beside the model.

The backtest files (conf/backtest) hold what is known of each episode. A
scenario's record is the targets of the episodes that run that scenario as it
is (no overrides: day one of 2020 runs the baseline cut to one day, so its
figures are not the baseline's), read as plain per-run totals of the runs
table: duration, deaths by side, territory. Figures draw them beside the
model's distribution; ratios and shares stay in the backtest table. An episode
may also say which districts changed hands (`districts_of`), for the map.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.analysis.validation import BACKTEST_DIR, DistrictRecord, Episode, episodes


@dataclass(frozen=True)
class Recorded:
    """A recorded figure: its range (low == high for a point), what it is and where it comes from."""

    low: float
    high: float
    label: str
    source: str

    def text(self) -> str:
        span = f"{self.low:,.0f}" if self.low == self.high else f"{self.low:,.0f}-{self.high:,.0f}"
        return f"record: {span}"


def _as_it_is(scenario: str, folder) -> list[Episode]:
    """The episodes that run this scenario as it is (no overrides): theirs is the scenario's record."""
    return [ep for ep in episodes(folder).values() if ep.scenario == scenario and not ep.overrides]


def record_of(scenario: str, folder=BACKTEST_DIR) -> dict[tuple[str, ...], Recorded]:
    """Recorded totals of a scenario, keyed by the runs columns they sum (e.g. ('duration_days',))."""
    out: dict[tuple[str, ...], Recorded] = {}
    for ep in _as_it_is(scenario, folder):
        for t in ep.targets:
            s = t.statistic
            plain = s.table == "runs" and s.day is None and not s.count_items and s.one_of is None and not s.per
            low, high = t.observed
            if plain and low is not None and high is not None:
                out[tuple(s.columns)] = Recorded(float(low), float(high), t.label, t.source)
    return out


def ratios_of(scenario: str, folder=BACKTEST_DIR) -> dict[tuple[tuple[str, ...], tuple[str, ...]], Recorded]:
    """Recorded ratios of a scenario's runs (as record_of), keyed by (numerator columns, denominator columns):
    e.g. the exchange ratio, for a figure that derives the same ratio per run."""
    out: dict[tuple[tuple[str, ...], tuple[str, ...]], Recorded] = {}
    for ep in _as_it_is(scenario, folder):
        for t in ep.targets:
            s = t.statistic
            low, high = t.observed
            if s.table == "runs" and s.day is None and s.per and low is not None and high is not None:
                out[(tuple(s.columns), tuple(s.per))] = Recorded(float(low), float(high), t.label, t.source)
    return out


def districts_of(scenario: str, folder=BACKTEST_DIR) -> DistrictRecord | None:
    """Which districts changed hands in the episode that runs this scenario as it is, if its file says."""
    return next((ep.districts for ep in _as_it_is(scenario, folder) if ep.districts is not None), None)
