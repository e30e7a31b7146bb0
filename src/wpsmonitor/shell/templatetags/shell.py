"""The site shell's template library: numbers in the reader's locale, figures read the way an
indicator means them, progress bars, fast selects and table download links.

It knows no feature: every page of every app loads it (`{% load shell %}`)."""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import html
import math

from django import template
from django.http import QueryDict
from django.utils.formats import get_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.translated import (
    HasOriginalLanguage,
    Shown,
    fallback_note,
    language_codes,
    marked_html,
    shown,
    shown_html,
)
from wpsmonitor.core.units import unit_for, unit_name

register = template.Library()


@register.filter
def localized(name: str) -> str:
    """A reference name (level, dimension, option, source, country) in the reader's language."""
    return localized_name(name)


DASH = "–"


@register.simple_tag(name="translated")
def translated_text(
    obj: HasOriginalLanguage | Shown, field: str = "title", original: str = ""
) -> SafeString:
    """A plan's text in the reader's language; else in its original language, marked with its
    language and a note saying so ("Shown in French: no Spanish text yet"): core/translated.py.
    `original`: the object's original language when the page knows it (its plan's).
    `obj` may be a text already chosen in Python (a `Shown`, in a list a view built)."""
    return mark_safe(shown_html(_shown(obj, field, original)))


def _shown(obj: object, field: str, original: str) -> Shown:
    """The text of `obj.<field>`; `obj` itself when a view chose it already (a `Shown`)."""
    if isinstance(obj, Shown):
        return obj
    return shown(obj, field, original=original or None)


@register.simple_tag(name="translated_cell")
def translated_cell(
    obj: HasOriginalLanguage | Shown,
    field: str = "title",
    original: str = "",
    chars: int = 0,
    words: int = 0,
) -> SafeString:
    """The same, marked with its language but without its note: a cell of a table or an item of
    a list, whose note `{% translated_note %}` says once (in the caption, above the list).
    `chars`, `words`: cut to that many characters or words (a recommendation's text in a list).
    `obj` may be a `Shown`, as for `{% translated %}`."""
    text = _shown(obj, field, original)
    if chars:
        text = dataclasses.replace(text, text=Truncator(text.text).chars(int(chars)))
    if words:
        text = dataclasses.replace(text, text=Truncator(text.text).words(int(words)))
    return mark_safe(marked_html(text))


def _reached(item: object, path: str) -> object:
    if not path:
        return None
    for name in path.split("."):
        item = getattr(item, name, None) if item is not None else None
    return item


def _reached_all(item: object, steps: list[str]) -> list[object]:
    """The objects a path reaches from an item, through a relation of many as well
    ("addressees.name": each addressee; prefetched, it costs no query)."""
    found = [item]
    for name in steps:
        reached: list[object] = []
        for obj in found:
            value = getattr(obj, name, None)
            if value is None:
                continue
            if hasattr(value, "all") and callable(value.all):  # a related manager
                reached.extend(value.all())
            elif isinstance(value, list | tuple):  # a list a view built
                reached.extend(value)
            else:
                reached.append(value)
        found = reached
    return found


def _original_of(obj: object, page_language: object) -> str | None:
    """The original language of a text's object: its own when it stores it (an organisation,
    whose language need not be the plan's: free to read), else the page's (a node, an
    indicator: their own would look up their plan)."""
    own = getattr(obj, "__dict__", {}).get("original_language")
    return str(own or page_language or "") or None


@register.simple_tag(name="translated_note")
def translated_note(items: object, paths: str = "title", original: str = "") -> SafeString:
    """The note of a table's or a list's texts, once: "(Some texts are shown in English: no
    Spanish text yet)", or nothing when each is in the reader's language. `paths` reach the
    texts from an item, separated by commas ("indicator.title": the title of each row's
    indicator; "title,lead_organisation.name"). `original`: the texts' original language when
    the page knows it (its plan's), or a path reaching it from an item ("plan.original_language"
    on a page of several plans): either spares a query a row; an object whose original language
    is a field of its own (an organisation) keeps its own. A path may reach a text a view chose
    already (a `Shown`: "title" of rows whose `title` is one)."""
    texts = []
    for item in items or ():  # type: ignore[attr-defined]
        language = original if original in language_codes() else _reached(item, original)
        for path in paths.split(","):
            *steps, field = path.strip().split(".")
            for obj in _reached_all(item, steps):
                value = getattr(obj, field, None)
                if isinstance(value, Shown):
                    texts.append(value)
                elif value:  # no text in any language (or a row without one): nothing to note
                    texts.append(shown(obj, field, original=_original_of(obj, language)))
    note = fallback_note(texts)
    if not note:
        return mark_safe("")
    return format_html(' <small class="translation-note">({})</small>', note)


@register.simple_tag(name="translated_plain")
def translated_plain_tag(obj: HasOriginalLanguage, field: str = "title", original: str = "") -> str:
    """The `|translated` filter's plain text, for a list of options where the page knows the
    original language (its plan's): the filter would look up each one's plan."""
    return shown(obj, field, original=original or None).text


@register.filter(name="translated")
def translated_plain(obj: HasOriginalLanguage, field: str = "title") -> str:
    """The same text without markup or note, where no markup may go (a page's <title>, an
    attribute, an option of a select)."""
    return _shown(obj, field, "").text


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
    return _format(number, decimals)


@functools.lru_cache(maxsize=32)
def _separators(language: str) -> tuple[str, str, object]:
    return (
        str(get_format("DECIMAL_SEPARATOR", language)),
        str(get_format("THOUSAND_SEPARATOR", language)),
        get_format("NUMBER_GROUPING", language),
    )


def _language() -> str:
    # get_language() goes through asgiref's thread-local machinery (~10 µs); the tree below
    # pins it for the length of one render.
    return pinned_language.get() or get_language() or "en"


# A ContextVar, not a global: gunicorn threads render pages in different languages at once.
pinned_language: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "portal_language", default=None
)


def _format(number: float, decimals: int) -> str:
    """Locale formatting with grouping. Django's number_format costs ~0.1 ms a call and a plan
    page formats hundreds of numbers, so the separators are looked up once per language."""
    decimal_sep, thousand_sep, grouping = _separators(_language())
    if grouping != 3:
        # Unusual grouping (e.g. Indian 3,2): leave it to Django. It truncates, so round first.
        return number_format(
            round(number, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
        )
    if round(number, decimals) == 0:
        number = 0.0  # no "-0"
    text = f"{number:,.{decimals}f}"  # rounds half-even on the binary value, like round()
    return text.replace(",", "\x00").replace(".", decimal_sep).replace("\x00", thousand_sep)


@register.filter
def pct(value: object, places: int = 0) -> str:
    """A ratio (0.42) as a percentage in the active locale ("42 %" style per translation)."""
    number = _finite(value)
    if number is None:
        return DASH
    return _("%(number)s%%") % {"number": num(number * 100, int(places))}


@register.simple_tag(name="progress")
def progress_bar(ratio: object, label: str = "") -> SafeString:
    """Achievement as text and as a bar; the bar is decoration, the text carries the meaning."""
    number = _finite(ratio)
    if number is None:
        return format_html('<span class="progress muted">{}</span>', label or DASH)
    width = max(0.0, min(number, 1.0)) * 100
    # Plain string building: this runs for every node of a plan, and format_html is slow. An SVG
    # whose width is an attribute, not a `style`: the Content-Security-Policy allows no inline
    # style (shell/middleware.py).
    return mark_safe(
        '<span class="progress"><svg class="bar" aria-hidden="true" focusable="false" '
        'viewBox="0 0 100 10" preserveAspectRatio="none">'
        f'<rect width="{width:.0f}" height="10" fill="#2f6f3e"/></svg>'
        f"<span>{escape(pct(number))}</span></span>"
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
    # Singular when the figure reads "1", plural otherwise (core/units.py: "1 text", "1.5
    # texts"); a no-break space keeps the figure and its unit on one line in a narrow column.
    shown = unit_for(unit, 1 if text.lstrip("-") == "1" else None)
    return f"{text}\u00a0{shown}" if shown else text


@register.filter(name="unit")
def unit_label(unit: str) -> str:
    """An indicator's unit named on its own (a fact, a heading): its plural (core/units.py)."""
    return unit_name(unit)


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


@register.simple_tag
def fast_select(field: object) -> SafeString:
    """A form field's <select>, built directly: Django's widget templates render each
    <option> through the template engine, which cost ~400 ms for a plan with 130 areas."""
    escape = html.escape
    value = field.value()  # type: ignore[attr-defined]
    selected = "" if value is None else str(value)
    describedby = f' aria-describedby="{field.auto_id}-error"' if field.errors else ""  # type: ignore[attr-defined]
    parts = [
        f'<select name="{escape(field.html_name)}" id="{escape(field.auto_id)}"{describedby}>'  # type: ignore[attr-defined]
    ]
    for code, label in field.field.choices:  # type: ignore[attr-defined]
        mark = " selected" if str(code) == selected else ""
        parts.append(f'<option value="{escape(str(code))}"{mark}>{escape(str(label))}</option>')
    parts.append("</select>")
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def download_links(context: template.Context, table: str, caption: object = "") -> SafeString:
    """Links to this page's table `table` as CSV and XLSX, with the page's filters kept.

    The caption is repeated for screen readers, where a list of links shows no context.
    """
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params["table"] = table
    links = []
    for fmt, label in (("csv", _("CSV")), ("xlsx", _("Excel (XLSX)"))):
        params["download"] = fmt
        hidden = (
            format_html('<span class="visually-hidden"> – {}</span>', caption) if caption else ""
        )
        links.append(format_html('<a href="?{}">{}{}</a>', params.urlencode(), label, hidden))
    return format_html(
        '<p class="downloads small">{} {}</p>',
        _("Download this table:"),
        mark_safe(" · ".join(links)),
    )
