"""The demo's dates on any clock (demo/clock.py): written as of 22 April 2026, moved back by
whole years on an earlier clock so that no dated record is in the future."""

from __future__ import annotations

from datetime import date

from wpsmonitor.demo import conduct
from wpsmonitor.demo.clock import WRITTEN_ON, dated, dated_or_none, years_back


def test_from_the_day_it_was_written_on_nothing_moves() -> None:
    for today in (WRITTEN_ON, date(2026, 12, 6), date(2031, 1, 1)):
        assert years_back(today) == 0
        assert dated(date(2024, 2, 12), today) == date(2024, 2, 12)


def test_on_an_earlier_clock_every_date_moves_back_by_whole_years() -> None:
    today = date(2025, 1, 10)
    assert years_back(today) == 2
    assert dated(WRITTEN_ON, today) == date(2024, 4, 22) <= today
    assert dated(date(2024, 2, 29), today) == date(2022, 2, 28)  # no 29 February in 2022
    assert dated_or_none(None, today) is None


def test_no_allegation_of_the_demo_is_dated_after_today_on_any_clock() -> None:
    days = [
        day
        for row in conduct.ALLEGATIONS
        for day in (row[3], row[7], row[8], row[11])
        if day is not None
    ]
    assert max(days) <= WRITTEN_ON  # the register is written as of the demo's day
    for today in (date(2024, 6, 1), date(2025, 4, 21), date(2026, 4, 17), date(2027, 3, 1)):
        assert all(dated(day, today) <= today for day in days), today
