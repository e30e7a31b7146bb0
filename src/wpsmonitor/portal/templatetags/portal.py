"""Number formatting in the active locale, progress bars and download links for
the portal pages."""

from __future__ import annotations

import contextvars
import functools
import html
import math
from datetime import date
from urllib.parse import quote

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import date_format, get_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.plans.models import ActionStatus
from wpsmonitor.portal.selectors import ReportState

register = template.Library()


@register.filter
def localized(name: str) -> str:
    """A reference name (level, dimension, option, source, country) in the reader's language."""
    return localized_name(name)


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
    return _pinned_language.get() or get_language() or "en"


# A ContextVar, not a global: gunicorn threads render pages in different languages at once.
_pinned_language: contextvars.ContextVar[str | None] = contextvars.ContextVar(
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
    # Plain string building: this runs for every node of a plan, and format_html is slow.
    return mark_safe(
        '<span class="progress"><span class="bar" aria-hidden="true">'
        f'<span style="inline-size:{width:.0f}%"></span></span><span>{escape(pct(number))}</span>'
        "</span>"
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


def _date(day: date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "?"


@register.simple_tag
def framework_tree(progress: object, plan_code: str, query: str = "") -> SafeString:
    """The results framework as nested sections, one per pillar.

    Rendered in Python rather than with template tags because it is the bulk of the plan
    page: with Django templates it cost ~1 ms a node, here a tenth of that.
    """
    token = _pinned_language.set(get_language() or "en")
    try:
        return _framework_tree(progress, plan_code, query)
    finally:
        _pinned_language.reset(token)


def _framework_tree(progress: object, plan_code: str, query: str) -> SafeString:
    escape = html.escape  # noqa: F811 - the stdlib one: inputs are plain strings, and it is fast
    not_measured = _("not measured")
    suffix = f"?{escape(query)}" if query else ""
    # One reverse() for the page, not one per indicator.
    url_pattern = reverse("portal:indicator", args=[plan_code, "__CODE__"])
    status_labels = {value: str(label) for value, label in ActionStatus.choices}
    labels = {
        "achievement": escape(_("Achievement:")),
        "responsible": escape(_("Responsible:")),
        "planned": escape(_("Planned:")),
        "no_dates": escape(_("no dates")),
        "not_recorded": escape(_("not recorded")),
        "delayed": escape(_("Delayed")),
        "no_indicator": escape(_("No indicator")),
        "indicator": escape(_("Indicator")),
        "value": escape(_("Value")),
        "baseline": escape(_("Baseline")),
        "target": escape(_("Target")),
    }
    out: list[str] = []
    for root in getattr(progress, "roots", ()):
        out.append(f'<section class="pillar" aria-labelledby="node-{root.node.pk}">')
        for item in root.walk():
            node = item.node
            level = heading(item.depth)
            out.append(
                f'<div class="node d{item.depth}"><div class="node-head">'
                f'<h{level} id="node-{node.pk}"><span class="code">{escape(node.code)}</span> '
                f"{escape(node.title)}</h{level}> "
                f'<span class="muted small">{escape(localized_name(node.level.name))}</span></div>'
                '<p class="node-meta">'
            )
            if item.is_action:
                out.append(
                    f'<span class="badge st-{escape(node.status)}">'
                    f"{escape(status_labels.get(node.status, node.status))}</span>"
                )
                if item.is_delayed:
                    out.append(f' <span class="badge st-delayed">{labels["delayed"]}</span>')
                org = node.responsible_organisation
                out.append(
                    f" <span>{labels['responsible']} "
                    f"{escape(org.name) if org else labels['not_recorded']}</span>"
                )
                if node.planned_start or node.planned_end:
                    dates = f"{_date(node.planned_start)} – {_date(node.planned_end)}"
                else:
                    dates = labels["no_dates"]
                out.append(f" <span>{labels['planned']} {dates}</span>")
                if node.percent_complete is not None:
                    done = _("%(percent)s%% done") % {"percent": num(node.percent_complete)}
                    out.append(f" <span>{escape(done)}</span>")
                if item.indicators_total:
                    out.append(
                        f" <span>{labels['achievement']} "
                        f"{progress_bar(item.achievement, not_measured)}</span>"
                    )
            elif item.indicators_total:
                measured = _("%(measured)s of %(total)s indicators measured") % {
                    "measured": num(item.indicators_measured),
                    "total": num(item.indicators_total),
                }
                out.append(
                    f"<span>{labels['achievement']} "
                    f"{progress_bar(item.achievement, not_measured)}</span> "
                    f"<span>{escape(measured)}</span>"
                )
            else:
                out.append(f"<span>{labels['no_indicator']}</span>")
            if not item.is_action and item.actions.total:
                done = _("%(done)s of %(total)s actions completed") % {
                    "done": num(item.actions.completed),
                    "total": num(item.actions.total),
                }
                out.append(f" <span>{escape(done)}")
                if item.actions.delayed:
                    delayed = ngettext(
                        "%(count)s delayed", "%(count)s delayed", item.actions.delayed
                    ) % {"count": num(item.actions.delayed)}
                    out.append(f', <span class="st-delayed">{escape(delayed)}</span>')
                out.append("</span>")
            out.append("</p>")
            if item.indicators:
                caption = _("Indicators of %(code)s") % {"code": node.code}
                out.append(
                    f'<div class="table-wrap"><table><caption class="visually-hidden">'
                    f"{escape(caption)}</caption><thead><tr>"
                    f'<th scope="col">{labels["indicator"]}</th>'
                    f'<th scope="col" class="num">{labels["value"]}</th>'
                    f'<th scope="col" class="num">{labels["baseline"]}</th>'
                    f'<th scope="col" class="num">{labels["target"]}</th>'
                    f'<th scope="col">{escape(_("Achievement"))}</th></tr></thead><tbody>'
                )
                for ip in item.indicators:
                    ind, fig = ip.indicator, ip.figure
                    url = url_pattern.replace("__CODE__", quote(ind.code, safe="")) + suffix
                    out.append(
                        f'<tr><th scope="row"><a href="{escape(url)}"><span class="code">'
                        f"{escape(ind.code)}</span> {escape(ind.title)}</a></th>"
                        f'<td class="num">{escape(figure_value(fig, ind))}</td>'
                        f'<td class="num">{escape(figure_value(fig, ind, "baseline"))}</td>'
                        f'<td class="num">{escape(figure_value(fig, ind, "target"))}</td>'
                        f"<td>{progress_bar(fig.achievement)}</td></tr>"
                    )
                out.append("</tbody></table></div>")
            out.append("</div>")
        out.append("</section>")
    return mark_safe("".join(out))


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


def state_label(state: str) -> str:
    if state == ReportState.APPROVED:
        return _("Approved")
    if state == ReportState.SUBMITTED:
        return _("Submitted, awaiting review")
    return _("Not submitted yet")


@register.simple_tag
def report_state(state: str) -> SafeString:
    """A reporting state as a badge; the words carry the meaning, not the colour."""
    css = {ReportState.APPROVED: "st-completed", ReportState.SUBMITTED: "st-ongoing"}
    return format_html(
        '<span class="badge {}">{}</span>', css.get(state, "st-not_started"), state_label(state)
    )


@register.simple_tag
def gap_text(gap: int | None) -> str:
    """How far apart two accounts of an action are, in words (portal.shadow.gap_words)."""
    from wpsmonitor.portal.shadow import gap_words

    return gap_words(gap)
