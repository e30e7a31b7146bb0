"""The dates of list items: a day (2019-03-08) or a year alone (2019), as reports give them."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.indicators.models import DatePrecision

_YEAR = re.compile(r"\d{4}")


def item_date_parse(raw: Any) -> tuple[date | None, str]:
    """(date, precision) of a cell: empty gives (None, day); 2019 or "2019" the year alone,
    stored as 1 January 2019 with the precision "year"; a date or YYYY-MM-DD the day.

    Raises ValueError with the message refusing anything else.
    """
    if raw is None or raw == "":
        return None, DatePrecision.DAY
    if isinstance(raw, datetime):
        return raw.date(), DatePrecision.DAY
    if isinstance(raw, date):
        return raw, DatePrecision.DAY
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if _YEAR.fullmatch(text) and 1000 < int(text) < 10000:
        return date(int(text), 1, 1), DatePrecision.YEAR
    try:
        return date.fromisoformat(text[:10]), DatePrecision.DAY
    except ValueError:
        raise ValueError(
            _("%(value)r is not a date (YYYY-MM-DD, or a year alone: YYYY)") % {"value": text}
        ) from None
