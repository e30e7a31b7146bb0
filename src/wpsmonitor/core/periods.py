"""ISO-style period codes: 2025 (year), 2025S1 (semester), 2025Q3 (quarter), 2025-07 (month).

Pure functions, no database: parsing, date ranges, and which coarser periods contain a period.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _


class PeriodType(StrEnum):
    YEAR = "year"
    SEMESTER = "semester"
    QUARTER = "quarter"
    MONTH = "month"


# Finest first: a period of one type lies inside exactly one period of each coarser type.
PERIOD_TYPE_ORDER = [PeriodType.MONTH, PeriodType.QUARTER, PeriodType.SEMESTER, PeriodType.YEAR]

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), PeriodType.YEAR),
    (re.compile(r"^(\d{4})S([12])$"), PeriodType.SEMESTER),
    (re.compile(r"^(\d{4})Q([1-4])$"), PeriodType.QUARTER),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), PeriodType.MONTH),
]


class PeriodCodeError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class ParsedPeriod:
    start: date
    end: date
    type: PeriodType
    code: str

    def contains(self, other: ParsedPeriod) -> bool:
        return self.start <= other.start and other.end <= self.end


def _month_range(year: int, first_month: int, months: int) -> tuple[date, date]:
    last_month = first_month + months - 1
    return date(year, first_month, 1), date(
        year, last_month, calendar.monthrange(year, last_month)[1]
    )


def parse_period(code: str) -> ParsedPeriod:
    """Parse a period code; raise PeriodCodeError with a readable message if it is not one."""
    text = (code or "").strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2200:
            raise PeriodCodeError(_("year %(year)s is out of range") % {"year": year})
        if kind is PeriodType.YEAR:
            start, end = date(year, 1, 1), date(year, 12, 31)
        elif kind is PeriodType.SEMESTER:
            start, end = _month_range(year, 1 + 6 * (int(match.group(2)) - 1), 6)
        elif kind is PeriodType.QUARTER:
            start, end = _month_range(year, 1 + 3 * (int(match.group(2)) - 1), 3)
        else:
            start, end = _month_range(year, int(match.group(2)), 1)
        return ParsedPeriod(start=start, end=end, type=kind, code=text)
    raise PeriodCodeError(
        _("%(code)r is not a period code (use 2025, 2025S1, 2025Q3 or 2025-07)") % {"code": code}
    )


def period_code_for(kind: PeriodType, day: date) -> str:
    """The code of the period of the given type that contains the day."""
    if kind is PeriodType.YEAR:
        return f"{day.year}"
    if kind is PeriodType.SEMESTER:
        return f"{day.year}S{1 if day.month <= 6 else 2}"
    if kind is PeriodType.QUARTER:
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def enclosing_periods(code: str) -> list[str]:
    """Codes of the coarser standard periods that contain this one, finest first.

    >>> enclosing_periods("2025-08")
    ['2025Q3', '2025S2', '2025']
    """
    parsed = parse_period(code)
    coarser = PERIOD_TYPE_ORDER[PERIOD_TYPE_ORDER.index(parsed.type) + 1 :]
    return [period_code_for(kind, parsed.start) for kind in coarser]


def periods_between(kind: PeriodType, start: date, end: date) -> list[str]:
    """All period codes of one type that overlap [start, end], in order."""
    codes: list[str] = []
    day = start
    while day <= end:
        code = period_code_for(kind, day)
        codes.append(code)
        day = date.fromordinal(parse_period(code).end.toordinal() + 1)
    return codes
