"""Units of indicators, as typed by whoever wrote the plan ("people", "texts", "%").

A unit is data, so the translation catalogue cannot make it agree with a figure ("1 texts").
The rule: a unit may be written as its singular and its plural joined by a bar, `text|texts`;
a figure of exactly 1 (or -1) is followed by the singular, every other figure, and the unit
named on its own (a column, the indicator's facts, a chart's axis), by the plural. A unit
written without a bar is always shown as written. Files and the API carry the unit as stored,
bar included, so that a plan exported and imported again keeps it.
"""

from __future__ import annotations

SEPARATOR = "|"


def unit_forms(unit: str) -> tuple[str, str]:
    """The singular and the plural of a unit ('text|texts' -> ('text', 'texts'); 'cases' ->
    ('cases', 'cases')). Blank halves fall back on the other one."""
    singular, bar, plural = (unit or "").partition(SEPARATOR)
    singular, plural = singular.strip(), plural.strip()
    if not bar:
        return singular, singular
    return singular or plural, plural or singular


def unit_for(unit: str, number: float | None = None) -> str:
    """The unit to write after `number` (its plural when there is no number)."""
    singular, plural = unit_forms(unit)
    return singular if number is not None and abs(number) == 1 else plural


def unit_name(unit: str) -> str:
    """The unit named on its own, as a heading or a fact: its plural."""
    return unit_forms(unit)[1]
