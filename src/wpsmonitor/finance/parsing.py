"""Reading what a person typed into a budget cell or form: currency codes, amounts, years,
yes/no and choices, each refused with a ValidationError that says why."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def currency_code(raw: Any) -> str:
    """An ISO 4217 code, upper case, or ValidationError."""
    code = str(raw or "").strip().upper()
    if not code:
        raise ValidationError(_("Give a currency (ISO 4217 code such as USD, EUR or CDF)."))
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code (such as USD, EUR or CDF).")
            % {"code": code[:12]}
        )
    return code


def parse_decimal(raw: Any, *, places: int, maximum: Decimal) -> Decimal | None:
    """A non-negative number with at most `places` decimals, None when empty.

    Accepts numbers and text written with a point for decimals; spaces (thousands groups) are
    ignored. A comma is refused: "1,500" could be one and a half or fifteen hundred."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationError(_("Give a number, not yes/no."))
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    else:
        cleaned = "".join(str(raw).split()).replace("\u202f", "").replace("\xa0", "")
        if "," in cleaned:
            raise ValidationError(
                _("Write numbers with a point for decimals and no commas (1500.50).")
            )
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(
                _("%(value)s is not a number.") % {"value": str(raw)[:40]}
            ) from None
    if not number.is_finite():
        raise ValidationError(_("Give a finite number."))
    if number < 0:
        raise ValidationError(_("Amounts cannot be negative."))
    if number >= maximum:
        raise ValidationError(_("The number is too large."))
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(
            _("At most %(places)s decimals (%(value)s).") % {"places": places, "value": number}
        )
    return number.quantize(Decimal(1).scaleb(-places))


def parse_year(raw: Any, low: int, high: int) -> int:
    text = cell_text(raw)
    if not text:
        raise ValidationError(_("Give the year."))
    try:
        year = int(text)
    except ValueError:
        raise ValidationError(
            _("%(value)s is not a year (such as 2025).") % {"value": text[:20]}
        ) from None
    if not low <= year <= high:
        raise ValidationError(
            _("The year must be between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    return year


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = cell_text(raw).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationError(_("Write yes or no."))


def parse_choice(raw: Any, choices: Iterable[str], *, empty: str | None = None) -> str:
    text = cell_text(raw).lower()
    allowed = list(choices)
    if not text and empty is not None:
        return empty
    if text not in allowed:
        raise ValidationError(
            _("%(value)s is not allowed; use one of: %(choices)s.")
            % {"value": text[:40] or "—", "choices": ", ".join(allowed)}
        )
    return text


TRUE_WORDS = {"yes", "y", "true", "1", "oui", "x"}


def cell_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


FALSE_WORDS = {"", "no", "n", "false", "0", "non"}
