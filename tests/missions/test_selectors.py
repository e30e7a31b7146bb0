"""The two computations, worked by hand: before and after a handover, and benchmarks met."""

from __future__ import annotations

from datetime import date

from tests.missions.conftest import MissionWorld

from wpsmonitor.indicators.selectors import Figure, SeriesPoint
from wpsmonitor.missions import selectors


def _points(
    values: dict[str, float | None], flags: dict[str, str] | None = None
) -> list[SeriesPoint]:
    flags = flags or {}
    return [
        SeriesPoint(period_code=p, figure=Figure(value=v, flag=flags.get(p, "")))
        for p, v in values.items()
    ]


SERIES = {
    "2023Q4": 1000.0,  # a fifth period before: outside the window
    "2024Q1": 10.0,
    "2024Q2": 20.0,
    "2024Q3": 30.0,
    "2024Q4": 40.0,
    "2025Q1": 8.0,  # holds 2025-02-15
    "2025Q2": 12.0,
    "2025Q3": 14.0,
    "2025Q4": 6.0,
    "2026Q1": 8.0,
    "2026Q2": 100.0,  # a fifth period after: outside the window
}


def test_the_period_holding_the_handover_is_on_neither_side() -> None:
    found = selectors.before_after(_points(SERIES), date(2025, 2, 15))
    assert found.before.periods == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert found.after.periods == ["2025Q2", "2025Q3", "2025Q4", "2026Q1"]
    assert found.before.mean == 25  # (10 + 20 + 30 + 40) / 4
    assert found.after.mean == 10  # (12 + 14 + 6 + 8) / 4
    assert found.change == -15


def test_a_handover_on_a_period_s_first_day_counts_that_period_after() -> None:
    found = selectors.before_after(_points(SERIES), date(2025, 1, 1))
    assert found.after.periods == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert found.after.mean == 10  # (8 + 12 + 14 + 6) / 4


def test_fewer_periods_than_the_window_give_the_mean_of_those_there_are() -> None:
    found = selectors.before_after(
        _points({"2024Q4": 4.0, "2025Q2": 1.0, "2025Q3": 2.0}), date(2025, 1, 1)
    )
    assert found.before.mean == 4
    assert found.after.mean == 1.5
    assert found.change == -2.5


def test_a_hidden_figure_hides_its_side_s_mean() -> None:
    points = _points({"2024Q3": 30.0, "2024Q4": None, "2025Q1": 8.0}, {"2024Q4": "primary"})
    found = selectors.before_after(points, date(2025, 1, 1))
    assert found.before.hidden and found.before.mean is None
    assert found.after.mean == 8
    assert found.change is None


def test_no_figure_on_a_side_gives_no_mean() -> None:
    found = selectors.before_after(_points({"2025Q1": 8.0}), date(2025, 1, 1))
    assert found.before.mean is None and found.change is None


def test_progress_per_phase_is_met_out_of_all(mw: MissionWorld) -> None:
    table = selectors.progress(mw.transition)
    first, second = table.phases
    assert (first.met, first.total) == (2, 3)
    assert round(first.share or 0, 4) == 0.6667
    assert (second.met, second.total, second.share) == (0, 1, 0.0)
    assert [a.code for a in table.areas] == ["SEN-P1", "SEN-D11", "SEN-P2"]
    cells = dict((p.phase.number, c) for p, c in table.rows)
    assert [len(c) for c in cells[1]] == [2, 1, 0]


def test_the_indicator_before_and_after_in_the_phase_s_area(mw: MissionWorld) -> None:
    rows = selectors.compare(selectors.watched_of(mw.transition, mw.users["coordinator"]), None)
    (row,) = rows
    assert row.comparison is not None
    assert row.comparison.before.mean == 25
    assert row.comparison.after.mean == 10
    assert row.comparison.after.periods == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
