from datetime import date

import pytest

from wpsmonitor.core.periods import (
    PeriodCodeError,
    PeriodType,
    enclosing_periods,
    parse_period,
    periods_between,
)


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2025", PeriodType.YEAR, date(2025, 1, 1), date(2025, 12, 31)),
        ("2025S2", PeriodType.SEMESTER, date(2025, 7, 1), date(2025, 12, 31)),
        ("2025q1", PeriodType.QUARTER, date(2025, 1, 1), date(2025, 3, 31)),
        ("2024-02", PeriodType.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_it_parses_iso_period_codes(code: str, kind: PeriodType, start: date, end: date) -> None:
    parsed = parse_period(code)
    assert (parsed.type, parsed.start, parsed.end) == (kind, start, end)


@pytest.mark.parametrize("code", ["", "25", "2025Q5", "2025-13", "2025S3", "2025W01", "1800"])
def test_it_refuses_what_is_not_a_period(code: str) -> None:
    with pytest.raises(PeriodCodeError):
        parse_period(code)


def test_enclosing_periods_go_from_fine_to_coarse() -> None:
    assert enclosing_periods("2025-08") == ["2025Q3", "2025S2", "2025"]
    assert enclosing_periods("2025Q2") == ["2025S1", "2025"]
    assert enclosing_periods("2025") == []


def test_periods_between_covers_partial_periods() -> None:
    assert periods_between(PeriodType.QUARTER, date(2024, 11, 15), date(2025, 4, 1)) == [
        "2024Q4",
        "2025Q1",
        "2025Q2",
    ]
