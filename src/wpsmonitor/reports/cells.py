"""Cells of report tables, formatted once in the report's language (docs/reports.md).

Every section builds its cells here, so a number reads the same in every table and every format:
the text with the portal's own formatting (shell's `num`, `pct`, `figure_value`), the number
kept beside it for the XLSX twin and the tests.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.reading import flag_text
from wpsmonitor.indicators.selectors import Figure
from wpsmonitor.reports.document import Cell
from wpsmonitor.shell.templatetags.shell import DASH, figure_value, num, pct


def kept(value: float | int) -> float | int:
    """A number as every format keeps it: 15 significant digits, what a spreadsheet holds (a
    float's repr has up to 17), so the XLSX, the JSON and the tests read the same number."""
    return float(f"{value:.15g}") if isinstance(value, float) else value


def text_cell(text: object) -> Cell:
    return Cell(text=str(text) if text not in (None, "") else DASH)


def number_cell(value: float | int | None, places: int | str = "") -> Cell:
    if value is None:
        return Cell(text=DASH, kind="number")
    return Cell(text=num(value, places), value=kept(value), kind="number")


def percent_cell(ratio: float | None) -> Cell:
    """A ratio (0.42) shown as "42 %"; the cell keeps the ratio."""
    if ratio is None:
        return Cell(text=DASH, kind="percent")
    return Cell(text=pct(ratio), value=kept(ratio), kind="percent")


def money_cell(amount: float | int | None, currency: str = "") -> Cell:
    if amount is None:
        return Cell(text=DASH, kind="money")
    text = num(amount, 0)
    return Cell(
        text=f"{text}\u00a0{currency}" if currency else text, value=kept(amount), kind="money"
    )


def figure_cell(figure: Figure, indicator: Indicator, which: str = "value") -> Cell:
    """A figure's value (or baseline, target) read as its indicator means it; a figure withheld
    by disclosure control shows its flag's public words and has no number."""
    if which == "value" and figure.suppressed:
        return Cell(text=flag_text(figure.flag, figure.threshold), flag=figure.flag, kind="number")
    value = getattr(figure, which)
    if value is None:
        return Cell(text=DASH, kind="number")
    return Cell(text=figure_value(figure, indicator, which), value=kept(value), kind="number")


def achievement_cell(figure: Figure) -> Cell:
    if figure.suppressed:
        return Cell(text=_("not shown"), flag=figure.flag, kind="percent")
    return percent_cell(figure.achievement)
