"""The report's "Auditing bodies and parliament" section (docs/oversight.md, "Auditing bodies
and parliament"): the audits of the plan held in the report's years, their findings by severity
with the status of each finding's recommendation in the tracker, and the parliamentary
hearings with the commitments made and their status.

Audits, hearings and commitments are public documents; the statuses are the tracker's, which
are public too. The documents shared with parliament are never printed. Nothing here is a count
of persons: no disclosure control. The integrator adds `build` to the report's SECTIONS.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wpsmonitor.oversight.models import Severity
from wpsmonitor.oversight.selectors import (
    audits_of,
    commitments_of,
    findings_of,
    hearings_of,
)
from wpsmonitor.reports.cells import number_cell, text_cell
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.reports.document import Block, Paragraph, Section, Table

KEY = "oversight"


def build(context: ReportContext) -> Section:
    title = _("Auditing bodies and parliament")
    years = (context.first_year, context.last_year)
    audits = [
        a
        for a in audits_of(context.plan, published_only=context.is_public)
        if years[0] <= a.held_on.year <= years[1]
    ]
    hearings = [
        h
        for h in hearings_of(context.plan, published_only=context.is_public)
        if years[0] <= h.held_on.year <= years[1]
    ]
    if not audits and not hearings:
        return Section(
            key=KEY,
            title=title,
            empty=_("No audit or parliamentary hearing of the plan is recorded for the period."),
        )
    severities = {s.value: 0 for s in Severity}
    finding_rows = []
    for audit in audits:
        for finding in findings_of(audit):
            severities[finding.severity] += 1
            rec = finding.recommendation
            finding_rows.append(
                (
                    text_cell(f"{audit.title} ({audit.body.name}, {audit.held_on.isoformat()})"),
                    text_cell(finding.get_severity_display()),
                    text_cell(finding.text),
                    text_cell(finding.action.code if finding.action else None),
                    text_cell(rec.text if rec else None),
                    text_cell(rec.get_status_display() if rec else None),
                )
            )
    commitment_rows = []
    for hearing in hearings:
        for commitment in commitments_of(hearing):
            rec = commitment.recommendation
            commitment_rows.append(
                (
                    text_cell(
                        f"{hearing.title} ({hearing.committee.name}, {hearing.held_on.isoformat()})"
                    ),
                    text_cell(rec.text),
                    text_cell(", ".join(o.name for o in rec.addressees.all()) or None),
                    text_cell(rec.due_on.isoformat() if rec.due_on else None),
                    text_cell(rec.get_status_display()),
                )
            )
    intro = Paragraph(
        _(
            "Audits: %(audits)s, with %(findings)s findings (high severity: %(high)s). "
            "Parliamentary hearings: %(hearings)s, with %(commitments)s commitments. Each "
            "finding's recommendation and each commitment is followed in the recommendation "
            "tracker; the status is the latest recorded there."
        )
        % {
            "audits": len(audits),
            "findings": len(finding_rows),
            "high": severities[Severity.HIGH],
            "hearings": len(hearings),
            "commitments": len(commitment_rows),
        }
    )
    by_severity = Table(
        key="oversight.by_severity",
        title=_("Audit findings by severity"),
        columns=(_("Severity"), _("Findings")),
        rows=tuple(
            (text_cell(Severity(code).label), number_cell(n)) for code, n in severities.items()
        ),
    )
    findings = Table(
        key="oversight.findings",
        title=_("Audit findings and their recommendations"),
        columns=(
            _("Audit"),
            _("Severity"),
            _("Finding"),
            _("Action"),
            _("Recommendation"),
            _("Status"),
        ),
        rows=tuple(finding_rows),
    )
    commitments = Table(
        key="oversight.commitments",
        title=_("Commitments made at parliamentary hearings"),
        columns=(_("Hearing"), _("Commitment"), _("Who committed"), _("Due"), _("Status")),
        rows=tuple(commitment_rows),
    )
    blocks: list[Block] = [intro]
    if finding_rows:
        blocks += [by_severity, findings]
    if commitment_rows:
        blocks.append(commitments)
    return Section(key=KEY, title=title, blocks=tuple(blocks))
