"""The period codes of the aggregates: the standard periods, plus "ALL", the plan to date."""

from __future__ import annotations

from typing import Any

from wpsmonitor.core.periods import parse_period

ALL_PERIODS = "ALL"


def period_sort_key(code: str) -> tuple[Any, ...]:
    """Order period codes by start, finest first, with "ALL" last."""
    if code == ALL_PERIODS:
        return (1,)
    parsed = parse_period(code)
    return (0, parsed.start, parsed.end)
