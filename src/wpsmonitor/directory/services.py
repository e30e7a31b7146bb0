"""Writes for organisations and areas."""

from __future__ import annotations

import pycountry
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.services import service
from wpsmonitor.directory.lookups import country_lookup
from wpsmonitor.directory.models import Area, AreaLevel

DEFAULT_LEVELS = [
    (1, "country", _("Country")),
    (2, "province", _("Province or region")),
    (3, "district", _("District")),
    (4, "locality", _("Locality")),
]


@service
def area_levels_ensure() -> dict[int, AreaLevel]:
    levels = {}
    for depth, code, name in DEFAULT_LEVELS:
        # Stored in English, the catalogue's msgid, and shown translated (core/names.py).
        with translation.override("en"):
            english = str(name)
        levels[depth], _created = AreaLevel.objects.get_or_create(
            depth=depth, defaults={"code": code, "name": english}
        )
    return levels


@service
def area_country_ensure(code: str) -> Area:
    """The country area for an ISO 3166-1 code (alpha-3 is the stored code); created on first use."""
    country = country_lookup(code)
    if country is None:
        raise ValueError(_("%(code)r is not an ISO 3166-1 country code") % {"code": code})
    levels = area_levels_ensure()
    area, _created = Area.objects.get_or_create(
        code=country.alpha_3, defaults={"name": country.name, "level": levels[1]}
    )
    return area


@service
def area_subdivision_ensure(*, parent: Area, code: str, name: str = "", depth: int = 2) -> Area:
    """A subdivision below a parent area, by ISO 3166-2 code or the country's own code.

    An ISO 3166-2 code gets its official name from pycountry when no name is given.
    """
    code = code.strip()
    if not name:
        subdivision = pycountry.subdivisions.get(code=code.upper())
        if subdivision is None:
            raise ValueError(
                _("%(code)r is not an ISO 3166-2 code; give the area a name") % {"code": code}
            )
        name = subdivision.name
    levels = area_levels_ensure()
    area, created = Area.objects.get_or_create(
        code=code, defaults={"name": name, "parent": parent, "level": levels[depth]}
    )
    if not created and area.parent_id != parent.pk:
        raise ValueError(_("area %(code)r already exists under another parent") % {"code": code})
    return area
