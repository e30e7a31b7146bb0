"""Number formatting in the active locale, progress bars and sparklines for the portal pages."""

from __future__ import annotations

import math
from collections.abc import Iterable

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

DASH = "–"


def _finite(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@register.filter
def num(value: object, places: int | str = "") -> str:
    """A number in the active locale with grouping; up to 2 decimals unless told, trailing zeros
    dropped so counts read as counts (1 234, not 1 234.00)."""
    number = _finite(value)
    if number is None:
        return DASH
    if places == "":
        decimals = 0 if number == int(number) else (1 if abs(number) >= 100 else 2)
        rounded = round(number, decimals)
        if decimals and rounded == int(rounded):
            decimals = 0
    else:
        decimals = int(places)
    # number_format truncates; round first so 0.639 reads 64 %, not 63 %.
    return number_format(
        round(number, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )


@register.filter
def pct(value: object, places: int = 0) -> str:
    """A ratio (0.42) as a percentage in the active locale ("42 %" style per translation)."""
    number = _finite(value)
    if number is None:
        return DASH
    return _("%(number)s%%") % {"number": num(number * 100, int(places))}


@register.simple_tag
def progress(ratio: object, label: str = "") -> SafeString:
    """Achievement as text and as a bar; the bar is decoration, the text carries the meaning."""
    number = _finite(ratio)
    if number is None:
        return format_html('<span class="progress muted">{}</span>', label or DASH)
    width = max(0.0, min(number, 1.0)) * 100
    return format_html(
        '<span class="progress"><span class="bar" aria-hidden="true">'
        '<span style="inline-size:{}%"></span></span><span>{}</span></span>',
        f"{width:.0f}",
        pct(number),
    )


@register.simple_tag
def sparkline(points: Iterable[object], width: int = 120, height: int = 28) -> SafeString:
    """A small inline SVG line of the values, hidden from assistive technology (the table
    next to it carries the figures)."""
    values = [_finite(p) for p in points]
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return mark_safe("")
    low = min(v for _i, v in known)
    high = max(v for _i, v in known)
    span = (high - low) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    coords = " ".join(
        f"{2 + i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}" for i, v in known
    )
    return format_html(
        '<svg class="spark" width="{}" height="{}" viewBox="0 0 {} {}" aria-hidden="true" '
        'focusable="false"><polyline points="{}"/></svg>',
        width,
        height,
        width,
        height,
        coords,
    )


RATIO_KINDS = {"percentage", "share", "formula"}


@register.simple_tag
def figure_value(figure: object, indicator: object, which: str = "value") -> str:
    """A figure (value, baseline or target) read the way the indicator's kind means it."""
    number = _finite(getattr(figure, which, None))
    if number is None:
        return DASH
    kind = getattr(indicator, "kind", "")
    unit = getattr(indicator, "unit", "") or ""
    if kind == "yes_no":
        if number == 1:
            return _("Yes")
        if number == 0:
            return _("No")
        # Across several areas the figure is the share of areas saying yes.
        return _("%(share)s yes") % {"share": pct(number)}
    if kind in ("scale", "milestone"):
        labels = getattr(indicator, "scale_labels", None) or []
        if number == int(number) and 0 <= int(number) < len(labels):
            return str(labels[int(number)])
        return num(number, 1)
    text = num(number, 1) if kind in RATIO_KINDS else num(number)
    if unit == "%" or kind in ("percentage", "share"):
        return _("%(number)s%%") % {"number": text}
    return f"{text} {unit}".strip()


@register.filter
def ratio_parts(figure: object) -> str:
    """ "7 / 20" for a percentage's numerator and denominator, empty otherwise."""
    n = _finite(getattr(figure, "numerator", None))
    d = _finite(getattr(figure, "denominator", None))
    if n is None or d is None:
        return ""
    return f"{num(n)} / {num(d)}"


@register.filter
def heading(depth: int) -> int:
    """Heading level for a framework node: pillars are h3 under the page's h2 sections."""
    return min(3 + int(depth), 6)


class _Bare:
    def __init__(self, value: object) -> None:
        self.value = value


@register.simple_tag
def value_as(indicator: object, value: object) -> str:
    """A bare number formatted as the indicator's value."""
    return figure_value(_Bare(value), indicator)
