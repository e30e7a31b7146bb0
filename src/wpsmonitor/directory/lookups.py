"""Finding countries by their ISO codes (pycountry)."""

from __future__ import annotations

import pycountry


def country_lookup(code: str) -> pycountry.db.Country | None:
    """A country by ISO 3166-1 alpha-2, alpha-3 or numeric code, or None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    try:
        return pycountry.countries.lookup(code)
    except LookupError:
        return None
