"""The demo's dates on any clock.

The demo is written as of `WRITTEN_ON`, its latest date in the past (the parliamentary hearing
and the Nord-Kivu text, 22 April 2026). Its services refuse a date in the future, so on a clock
before that day its dated records move back by whole years, as few as put `WRITTEN_ON` on or
before today (`timezone.localdate()`); on that day or after, nothing moves and the dates read as
written (the demo's tests read them so). Whole years keep every month and day (29 February
becomes the 28th), the intervals between them and the cohorts by year.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

WRITTEN_ON = date(2026, 4, 22)


def _back(day: date, years: int) -> date:
    if years == 0:
        return day
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year - years, day=28)


def years_back(today: date | None = None) -> int:
    """Whole years the demo's dates move back on this clock (0 from `WRITTEN_ON` on)."""
    today = today or timezone.localdate()
    years = 0
    while _back(WRITTEN_ON, years) > today:
        years += 1
    return years


def dated(day: date, today: date | None = None) -> date:
    """`day`, as written in the demo, on today's clock."""
    return _back(day, years_back(today))


def dated_or_none(day: date | None, today: date | None = None) -> date | None:
    return None if day is None else dated(day, today)
