"""The GET filter form of the plan and indicator pages, and small display helpers."""

from __future__ import annotations

import pycountry
from django.utils.translation import get_language_info


def language_names(codes: list[str] | None) -> list[str]:
    """Readable names for a plan's language codes ("fr" → "French" in the active language)."""
    names = []
    for code in codes or []:
        try:
            names.append(str(get_language_info(code)["name_translated"]))
            continue
        except KeyError:
            pass
        language = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
        names.append(language.name if language else code)
    return names
