"""The report's "Steering committee" part (key "steering", docs/oversight.md, "The steering
committee"): the meetings of the plan's joint body held in the report's period, with the balance
of who attended, and the decisions taken at them with their status at the period's end.

Only published meetings are read, whichever the version: a report leaves the platform, and an
unpublished meeting is still the body's working record. A decision's status is the last update
of its history dated on or before the period's end (or today, for a period not over), so a
report built later says what stood then.
"""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.boards import selectors
from wpsmonitor.boards.models import OPEN_STATUSES, Decision, DecisionStatus, Meeting
from wpsmonitor.reports.cells import text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Paragraph, Section, Table

KEY = "steering"


def status_on(decision: Decision, on: date) -> str:
    """The decision's status on a day: its last update dated that day or before."""
    status = DecisionStatus.NOT_STARTED.value
    for update in sorted(decision.updates.all(), key=lambda u: (u.on, u.pk)):
        if update.on <= on:
            status = update.status
    return status


def _carried_by(decision: Decision) -> str:
    parts = []
    if decision.member is not None:
        parts.append(decision.member.name)
    if decision.organisation is not None:
        parts.append(decision.organisation.name)
    return " · ".join(parts)


def meetings_table(meetings: list[Meeting]) -> Table:
    rows = []
    for m in meetings:
        balance = selectors.attendance(m)
        place = m.place if not m.online else (f"{m.place} · " if m.place else "") + _("online")
        rows.append(
            (
                text_cell(date_format(m.held_on, "SHORT_DATE_FORMAT")),
                text_cell(place),
                text_cell(balance.label),
                text_cell(len(m.decisions.all())),
            )
        )
    return Table(
        key=f"{KEY}.meetings",
        title=_("Meetings held and who attended"),
        columns=(_("Date"), _("Place"), _("Attendance"), _("Decisions")),
        rows=tuple(rows),
    )


def decisions_table(meetings: list[Meeting], on: date) -> Table | None:
    rows = []
    for m in meetings:
        for d in m.decisions.all():
            status = status_on(d, on)
            overdue = d.due_on is not None and d.due_on < on and status in OPEN_STATUSES
            rows.append(
                (
                    text_cell(date_format(m.held_on, "SHORT_DATE_FORMAT")),
                    text_cell(d.text),
                    text_cell(_carried_by(d)),
                    text_cell(date_format(d.due_on, "SHORT_DATE_FORMAT") if d.due_on else ""),
                    text_cell(
                        DecisionStatus(status).label + (f" ({_('overdue')})" if overdue else "")
                    ),
                )
            )
    if not rows:
        return None
    return Table(
        key=f"{KEY}.decisions",
        title=_("Decisions and where they stand"),
        columns=(_("Meeting"), _("Decision"), _("Carried out by"), _("Due"), _("Status")),
        rows=tuple(rows),
        note=_("Status at %(date)s, from each decision's dated history.")
        % {"date": date_format(on, "SHORT_DATE_FORMAT")},
    )


def build(context: ReportContext) -> Section:
    title = _("Steering committee")
    start, end = date(context.first_year, 1, 1), date(context.last_year, 12, 31)
    on = min(end, context.today)
    meetings = selectors.meetings_in(context.plan, start, end)
    if not meetings:
        return Section(
            key=KEY,
            title=title,
            empty=_("The plan's joint body published no meeting held in the period."),
        )
    decisions = [d for m in meetings for d in m.decisions.all()]
    statuses = [status_on(d, on) for d in decisions]
    # Translators: e.g. "2 meetings held in the period; 5 decisions taken: 2 done, 2 not
    # started or in progress, 1 dropped."
    summary = _(
        "%(meetings)s; %(decisions)s: %(done)d done, %(open)d not started or in progress, %(dropped)d dropped."
    ) % {
        "meetings": ngettext(
            "%(n)d meeting held in the period", "%(n)d meetings held in the period", len(meetings)
        )
        % {"n": len(meetings)},
        "decisions": ngettext("%(n)d decision taken", "%(n)d decisions taken", len(decisions))
        % {"n": len(decisions)},
        "done": statuses.count(DecisionStatus.DONE),
        "open": sum(1 for s in statuses if s in OPEN_STATUSES),
        "dropped": statuses.count(DecisionStatus.DROPPED),
    }
    blocks: list[Paragraph | Table] = [Paragraph(summary), meetings_table(meetings)]
    table = decisions_table(meetings, on)
    if table is not None:
        blocks.append(table)
    return Section(key=KEY, title=title, blocks=tuple(blocks))
