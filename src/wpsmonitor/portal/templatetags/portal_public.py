"""Template tags of the public homes (portal/public_views.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from wpsmonitor.portal.maps import LegendEntry
from wpsmonitor.portal.maps import swatch as map_swatch

register = template.Library()


@register.simple_tag
def swatch(entry: LegendEntry) -> SafeString:
    """A map legend entry's sample, drawn like the map's areas."""
    return map_swatch(entry)
