"""The portal's own tags: the plan page's results framework and reporting states."""

from __future__ import annotations

from datetime import date
from html import escape
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.core.translated import Shown, fallback_note, marked_html, shown, shown_html
from wpsmonitor.indicators.models import IndicatorKind
from wpsmonitor.indicators.selectors import IndicatorProgress, NodeProgressItem
from wpsmonitor.plans.models import ActionStatus
from wpsmonitor.portal.selectors import ReportState
from wpsmonitor.publishing.flags import text_of_flag
from wpsmonitor.shell.templatetags.shell import (
    figure_value,
    heading,
    num,
    pinned_language,
    progress_bar,
)

register = template.Library()


def _flag(figure: object) -> str:
    return str(getattr(figure, "flag", "") or "")


def figure_text(figure: object, indicator: object, which: str = "value") -> str:
    """A figure as the pages show it: one suppressed in the release reads as its flag ("fewer
    than 5"...), never as a dash or a zero; baselines and targets are the plan's own and always
    shown. Every figure of the portal's pages goes through here (downloads.py's `_value` is
    the same rule for files)."""
    flag = _flag(figure)
    if which == "value" and flag:
        return text_of_flag(flag, getattr(figure, "threshold", None))
    return figure_value(figure, indicator, which)


@register.simple_tag
def shown_figure(figure: object, indicator: object, which: str = "value") -> SafeString:
    """`figure_text` in a template; a suppressed figure is marked so it can be styled."""
    text = figure_text(figure, indicator, which)
    if which == "value" and _flag(figure):
        return format_html('<span class="suppressed">{}</span>', text)
    return format_html("{}", text)


def _date(day: date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "?"


@register.simple_tag
def framework_tree(
    progress: object, plan_code: str, query: str = "", original: str = ""
) -> SafeString:
    """The results framework as nested sections, one per pillar.

    Rendered in Python rather than with template tags because it is the bulk of the plan
    page: with Django templates it cost ~1 ms a node, here a tenth of that.
    """
    token = pinned_language.set(get_language() or "en")
    try:
        return _framework_tree(progress, plan_code, query, original)
    finally:
        pinned_language.reset(token)


def _framework_tree(progress: object, plan_code: str, query: str, original: str) -> SafeString:
    tree = _TreeWriter(plan_code, query, original or None)
    out: list[str] = []
    for root in getattr(progress, "roots", ()):
        out.append(f'<section class="pillar" aria-labelledby="node-{root.node.pk}">')
        for item in root.walk():
            tree.node(out, item)
        out.append("</section>")
    # The responsible organisations' names are marked one by one; their note is said once,
    # above the tree, rather than after each action.
    note = fallback_note(tree.organisations)
    if note:
        out.insert(0, f'<p class="small translation-note">{escape(note)}</p>')
    return mark_safe("".join(out))


class _TreeWriter:
    """Writes the framework's nodes into one list of strings. What every node of the page
    shares is prepared once: the words (translated and escaped) and the indicator link.

    `escape` is the stdlib one: the inputs are plain strings, and it is fast.
    """

    def __init__(self, plan_code: str, query: str, original: str | None = None) -> None:
        # The plan's original language: what a text missing in the reader's falls back to.
        self.original = original
        self.organisations: list[Shown] = []
        self.not_measured = _("not measured")
        self.suffix = f"?{escape(query)}" if query else ""
        # One reverse() for the page, not one per indicator.
        self.url_pattern = reverse("portal:indicator", args=[plan_code, "__CODE__"])
        self.status_labels = {value: str(label) for value, label in ActionStatus.choices}
        self.labels = {
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

    def node(self, out: list[str], item: NodeProgressItem) -> None:
        """One node: its heading, a line of facts, and the table of its indicators."""
        node = item.node
        level = heading(item.depth)
        out.append(
            f'<div class="node d{item.depth}"><div class="node-head">'
            f'<h{level} id="node-{node.pk}"><span class="code">{escape(node.code)}</span> '
            f"{shown_html(shown(node, 'title', original=self.original))}</h{level}> "
            f'<span class="muted small">{escape(localized_name(node.level.name))}</span></div>'
            '<p class="node-meta">'
        )
        if item.is_action:
            self.action_facts(out, item)
        elif item.indicators_total:
            self.achievement(out, item)
        else:
            out.append(f"<span>{self.labels['no_indicator']}</span>")
        if not item.is_action and item.actions.total:
            self.actions_done(out, item)
        out.append("</p>")
        if item.indicators:
            self.indicator_table(out, item)
        out.append("</div>")

    def action_facts(self, out: list[str], item: NodeProgressItem) -> None:
        """An action's status, delay, responsible organisation, dates, progress, achievement."""
        node, labels = item.node, self.labels
        out.append(
            f'<span class="badge st-{escape(node.status)}">'
            f"{escape(self.status_labels.get(node.status, node.status))}</span>"
        )
        if item.is_delayed:
            out.append(f' <span class="badge st-delayed">{labels["delayed"]}</span>')
        org = node.responsible_organisation
        if org:
            name = shown(org, "name")
            self.organisations.append(name)
        out.append(
            f" <span>{labels['responsible']} "
            f"{marked_html(name) if org else labels['not_recorded']}</span>"
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
                f"{progress_bar(item.achievement, self.not_measured)}</span>"
            )

    def achievement(self, out: list[str], item: NodeProgressItem) -> None:
        """Above the actions: the achievement of the indicators below, and how many measured."""
        measured = _("%(measured)s of %(total)s indicators measured") % {
            "measured": num(item.indicators_measured),
            "total": num(item.indicators_total),
        }
        out.append(
            f"<span>{self.labels['achievement']} "
            f"{progress_bar(item.achievement, self.not_measured)}</span> "
            f"<span>{escape(measured)}</span>"
        )

    def actions_done(self, out: list[str], item: NodeProgressItem) -> None:
        """Above the actions: how many of those below are completed, and how many delayed."""
        done = _("%(done)s of %(total)s actions completed") % {
            "done": num(item.actions.completed),
            "total": num(item.actions.total),
        }
        out.append(f" <span>{escape(done)}")
        if item.actions.delayed:
            delayed = ngettext("%(count)s delayed", "%(count)s delayed", item.actions.delayed) % {
                "count": num(item.actions.delayed)
            }
            out.append(f', <span class="st-delayed">{escape(delayed)}</span>')
        out.append("</span>")

    def indicator_table(self, out: list[str], item: NodeProgressItem) -> None:
        """The node's indicators, each linked to its page, with value, baseline and target."""
        labels = self.labels
        caption = _("Indicators of %(code)s") % {"code": item.node.code}
        url_pattern, suffix = self.url_pattern, self.suffix
        titles = [shown(ip.indicator, "title", original=self.original) for ip in item.indicators]
        # Each fallback title marked with its language; the note once, above the table (its
        # caption is for screen readers only).
        note = fallback_note(titles)
        if note:
            out.append(f'<p class="small translation-note">{escape(note)}</p>')
        out.append(
            f'<div class="table-wrap" role="region" aria-label="{escape(caption)}" tabindex="0">'
            f'<table><caption class="visually-hidden">{escape(caption)}</caption><thead><tr>'
            f'<th scope="col">{labels["indicator"]}</th>'
            f'<th scope="col" class="num">{labels["value"]}</th>'
            f'<th scope="col" class="num">{labels["baseline"]}</th>'
            f'<th scope="col" class="num">{labels["target"]}</th>'
            f'<th scope="col">{escape(_("Achievement"))}</th></tr></thead><tbody>'
        )
        for ip, title in zip(item.indicators, titles, strict=True):
            ind, fig = ip.indicator, ip.figure
            url = url_pattern.replace("__CODE__", quote(ind.code, safe="")) + suffix
            out.append(
                f'<tr><th scope="row"><a href="{escape(url)}"><span class="code">'
                f"{escape(ind.code)}</span> "
                f"{marked_html(title)}</a></th>"
                f'<td class="num">{self.value_cell(ip, url)}</td>'
                f'<td class="num">{escape(figure_value(fig, ind, "baseline"))}</td>'
                f'<td class="num">{escape(figure_value(fig, ind, "target"))}</td>'
                f"<td>{progress_bar(fig.achievement)}</td></tr>"
            )
        out.append("</tbody></table></div>")

    def value_cell(self, ip: IndicatorProgress, url: str) -> str:
        """The value cell (escaped HTML). A narrative indicator has no figure: its texts there
        are counted ("3 texts") and linked to them on its page; a list's count links to its
        items. Anything else, and a narrative with no text, reads as its figure."""
        ind, fig = ip.indicator, ip.figure
        if ind.kind == IndicatorKind.NARRATIVE and ip.texts:
            words = qualitative_count(ind, ip.texts)
            return f'<a href="{escape(url)}#texts">{escape(words)}</a>'
        text = figure_text(fig, ind)
        if ind.kind == IndicatorKind.LIST and fig.value is not None and not _flag(fig):
            words = text if ind.unit else qualitative_count(ind, int(fig.value))
            return f'<a href="{escape(url)}#items">{escape(words)}</a>'
        return escape(text)


@register.simple_tag
def qualitative_count(indicator: object, count: int) -> str:
    """ "3 texts" for a narrative indicator, "5 items" for a list: what it holds instead of a
    figure, in words."""
    if getattr(indicator, "kind", "") == IndicatorKind.NARRATIVE:
        return ngettext("%(count)s text", "%(count)s texts", count) % {"count": num(count)}
    return ngettext("%(count)s item", "%(count)s items", count) % {"count": num(count)}


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
