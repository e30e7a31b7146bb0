"""What a value row is, and how its raw cells are read: CSV text, spreadsheet numbers, JSON."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

# The columns of a value row, in this order, everywhere (CSV header, XLSX Values sheet, JSON keys).
VALUE_COLUMNS: tuple[str, ...] = (
    "plan",
    "indicator",
    "period",
    "area",
    "cell",
    "source",
    "value",
    "numerator",
    "denominator",
    "text",
    "comment",
)

YES_WORDS = {"1", "yes", "oui", "true", "y", "si", "sí", "1.0"}
NO_WORDS = {"0", "no", "non", "false", "n", "0.0"}


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def as_text(raw: Any) -> str:
    """A cell as trimmed text; a whole float (a spreadsheet's 2.0) as its integer ("2")."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


# The largest integer a float holds is below 2**1024.
_FLOAT_BITS = 1023


def parse_number(raw: Any) -> float | None:
    """A finite float, None when blank; ValueError with a readable message otherwise."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, int) and raw.bit_length() > _FLOAT_BITS:
        # Beyond a float's range (a JSON integer of 400 digits): float() would raise
        # OverflowError, and str() of one above 4,300 digits a ValueError of its own.
        raise ValueError(_("the number is too large to be a figure"))
    if isinstance(raw, (int, float)):
        number = float(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(_("%(text)r is not a number") % {"text": text[:40]}) from None
    if not math.isfinite(number):
        raise ValueError(_("%(text)r is not a finite number") % {"text": str(raw)[:40]})
    return number


def format_number(number: float) -> str:
    """A number in a message: 12 rather than 12.0, 0.5 as 0.5."""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"
