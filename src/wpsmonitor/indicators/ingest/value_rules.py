"""The value rules of each kind of indicator: what a row must give, and what it must leave empty.

The same rules whether the figures arrive as text (a CSV cell) or as numbers (a spreadsheet, a
JSON body, a submission's stored figures): every raw figure goes through parse_number/as_text.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.core.units import unit_name
from wpsmonitor.indicators.ingest.lookups import IndicatorFacts
from wpsmonitor.indicators.ingest.problems import ProblemLog
from wpsmonitor.indicators.ingest.rows import (
    NO_WORDS,
    YES_WORDS,
    as_text,
    format_number,
    is_blank,
    parse_number,
)
from wpsmonitor.indicators.models import IndicatorKind

# What a valid row stores: value, numerator, denominator, text.
Figures = tuple[float | None, float | None, float | None, str]

_COLUMN_NAMES = {"v": "value", "n": "numerator", "d": "denominator", "t": "text"}


class ValueRules:
    """Checks the figures of a row against its indicator's kind.

    Problems go to the log (which stops the reading at its cap); a value outside the
    indicator's expected range is a warning only: the row is stored.
    """

    def __init__(self, log: ProblemLog) -> None:
        self.log = log

    def check(
        self, ind: IndicatorFacts, v: Any, n: Any, d: Any, t: Any, place: int, rownum: int
    ) -> Figures | None:
        """The figures to store; None (after recording problems) when the row is refused."""
        kind = ind.kind
        text = "" if t is None else str(t).strip()
        if kind == IndicatorKind.NUMBER:
            return self._number(ind, v, n, d, text, place, rownum)
        if kind == IndicatorKind.PERCENTAGE:
            return self._percentage(ind, v, n, d, text, place, rownum)
        if kind == IndicatorKind.YES_NO:
            return self._yes_no(ind, v, n, d, text, place, rownum)
        if kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE):
            return self._step(ind, v, n, d, text, place, rownum)
        if kind == IndicatorKind.NARRATIVE:
            return self._narrative(ind, v, n, d, text, place, rownum)
        self._not_typed(ind, place, rownum)
        return None

    # ----------------------------------------------------------------- per kind
    def _number(
        self, ind: IndicatorFacts, v: Any, n: Any, d: Any, text: str, place: int, rownum: int
    ) -> Figures | None:
        problem = self.log.problem
        try:
            # Fast path for CSV text; parse_number handles the other types.
            value = float(v) if type(v) is str and v else parse_number(v)
            if value is not None and not math.isfinite(value):
                raise ValueError
        except ValueError as exc:
            if isinstance(v, str) or not exc.args:
                message = _("%(text)r is not a number") % {"text": str(v).strip()[:40]}
            else:  # parse_number's own message: str() of a huge integer would itself fail
                message = str(exc)
            problem(place, rownum, "value", message)
            return None
        ok = True
        if value is None:
            problem(place, rownum, "value", _("a value is required for a number indicator"))
            ok = False
        elif value < 0 and not (ind.expected_min is not None and ind.expected_min < 0):
            problem(place, rownum, "value", _("a count cannot be negative"))
            ok = False
        elif ind.whole_numbers and not value.is_integer():
            problem(
                place,
                rownum,
                "value",
                _("a count of %(unit)s is a whole number: %(value)s")
                % {"unit": unit_name(ind.unit), "value": format_number(value)},
            )
            ok = False
        if n or d or text or type(n) in (int, float) or type(d) in (int, float):
            ok = self._unused(ind, place, rownum, n=n, d=d, t=text) and ok
        if not ok or value is None:
            return None
        self._expected(ind, value, place, rownum)
        return value, None, None, ""

    def _percentage(
        self, ind: IndicatorFacts, v: Any, n: Any, d: Any, text: str, place: int, rownum: int
    ) -> Figures | None:
        parts = self._ratio_parts(n, d, place, rownum)
        if parts is None:
            return None
        num, den = parts
        value = num / den * ind.factor
        if not self._value_left_to_compute(v, value, place, rownum):
            return None
        if not self._unused(ind, place, rownum, t=text):
            return None
        self._expected(ind, value, place, rownum)
        return value, num, den, ""

    def _yes_no(
        self, ind: IndicatorFacts, v: Any, n: Any, d: Any, text: str, place: int, rownum: int
    ) -> Figures | None:
        word = as_text(v).lower()
        if word in YES_WORDS:
            value = 1.0
        elif word in NO_WORDS:
            value = 0.0
        else:
            self.log.problem(
                place,
                rownum,
                "value",
                _("%(text)r is not yes or no (use 1/0, yes/no, oui/non, true/false)")
                % {"text": word[:40]}
                if word
                else _("a yes/no value is required (1 or 0)"),
            )
            return None
        if not self._unused(ind, place, rownum, n=n, d=d, t=text):
            return None
        return value, None, None, ""

    def _step(
        self, ind: IndicatorFacts, v: Any, n: Any, d: Any, text: str, place: int, rownum: int
    ) -> Figures | None:
        """A scale or a milestone: a step given by its label or by its index (0 first)."""
        raw = as_text(v)
        index: int | None = None
        lowered = [label.lower() for label in ind.labels]
        if raw.lower() in lowered:
            index = lowered.index(raw.lower())
        else:
            try:
                number = parse_number(raw)
            except ValueError:
                number = None
            if number is not None and number.is_integer() and 0 <= number < len(ind.labels):
                index = int(number)
        if index is None:
            self.log.problem(
                place,
                rownum,
                "value",
                _("%(text)r is not a step of %(ind)s: give 0 to %(last)s or a label")
                % {"text": raw[:40], "ind": ind.code, "last": max(len(ind.labels) - 1, 0)},
            )
            return None
        if not self._unused(ind, place, rownum, n=n, d=d):
            return None
        return float(index), None, None, text

    def _narrative(
        self, ind: IndicatorFacts, v: Any, n: Any, d: Any, text: str, place: int, rownum: int
    ) -> Figures | None:
        if not text:
            self.log.problem(place, rownum, "text", _("a narrative indicator needs its text"))
            return None
        if not self._unused(ind, place, rownum, v=v, n=n, d=d):
            return None
        return None, None, None, text

    def _not_typed(self, ind: IndicatorFacts, place: int, rownum: int) -> None:
        """Lists are counted from their items; formulas and shares are computed."""
        if ind.kind == IndicatorKind.LIST:
            self.log.problem(
                place,
                rownum,
                "value",
                _("%(ind)s counts its list items; give them in ListItems, not as values")
                % {"ind": ind.code},
            )
            return
        self.log.problem(
            place,
            rownum,
            "indicator",
            _("%(ind)s is derived: its values are computed, never typed") % {"ind": ind.code},
        )

    # ----------------------------------------------------------------- shared steps
    def _ratio_parts(self, n: Any, d: Any, place: int, rownum: int) -> tuple[float, float] | None:
        """A percentage's numerator and denominator, both given, 0 <= numerator <= denominator."""
        problem = self.log.problem
        ok = True
        try:
            num = parse_number(n)
        except ValueError as exc:
            problem(place, rownum, "numerator", str(exc))
            num, ok = None, False
        try:
            den = parse_number(d)
        except ValueError as exc:
            problem(place, rownum, "denominator", str(exc))
            den, ok = None, False
        if ok and num is None:
            problem(place, rownum, "numerator", _("a percentage needs a numerator"))
            ok = False
        if ok and den is None:
            problem(place, rownum, "denominator", _("a percentage needs a denominator"))
            ok = False
        if not ok or num is None or den is None:
            return None
        if num < 0:
            problem(place, rownum, "numerator", _("the numerator cannot be negative"))
            return None
        if den <= 0:
            problem(place, rownum, "denominator", _("the denominator must be greater than 0"))
            return None
        if num > den:
            problem(
                place,
                rownum,
                "numerator",
                _("the numerator (%(num)s) is above the denominator (%(den)s)")
                % {"num": format_number(num), "den": format_number(den)},
            )
            return None
        return num, den

    def _value_left_to_compute(self, v: Any, computed: float, place: int, rownum: int) -> bool:
        """A percentage's value is computed: a typed one must be empty, or the computed one."""
        try:
            typed = parse_number(v)
        except ValueError as exc:
            self.log.problem(place, rownum, "value", str(exc))
            return False
        if typed is not None and abs(typed - computed) > 1e-6 * max(1.0, abs(computed)):
            self.log.problem(
                place,
                rownum,
                "value",
                _(
                    "the value of a percentage is computed from numerator and denominator "
                    "(%(computed)s); leave it empty"
                )
                % {"computed": format_number(computed)},
            )
            return False
        return True

    def _unused(self, ind: IndicatorFacts, place: int, rownum: int, **given: Any) -> bool:
        """Columns the kind does not use must be empty."""
        ok = True
        for key, raw in given.items():
            if not is_blank(raw):
                self.log.problem(
                    place,
                    rownum,
                    _COLUMN_NAMES[key],
                    _("%(column)s is not used by a %(kind)s indicator; leave it empty")
                    % {"column": _COLUMN_NAMES[key], "kind": ind.kind},
                )
                ok = False
        return ok

    def _expected(self, ind: IndicatorFacts, value: float, place: int, rownum: int) -> None:
        low, high = ind.expected_min, ind.expected_max
        outside = (low is not None and value < low) or (high is not None and value > high)
        if outside:
            self.log.warning(
                place,
                rownum,
                "value",
                _("%(value)s is outside the expected range %(low)s to %(high)s")
                % {
                    "value": format_number(value),
                    "low": "" if low is None else format_number(low),
                    "high": "" if high is None else format_number(high),
                },
            )
