"""Reads of the standard report's own data (docs/reports.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import NotFound
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reports.models import GeneratedReport, ReportNarrative, ReportTemplate


@dataclass(frozen=True)
class Narrative:
    text: str
    language: str  # the language it is written in; may differ from the one asked for
    version: int


def narratives_for(
    plan: Plan, *, scope: str, year: int, language: str
) -> dict[int | None, Narrative]:
    """The latest narrative of each part of a report (None: the summary; else a node's pk), in
    `language` where written in it, else in the language written last (marked as such by its
    `language`). One query."""
    found: dict[int | None, Narrative] = {}
    rows = ReportNarrative.objects.filter(plan=plan, scope=scope, year=year).order_by(
        "node_id", "-written_at", "-version"
    )
    for row in rows:
        current = found.get(row.node_id)
        # Rows come newest first: the first one stands, unless a later one (older, but in the
        # language asked for) replaces one in another language.
        if current is None or (current.language != language and row.language == language):
            found[row.node_id] = Narrative(row.text, row.language, row.version)
    return found


def narrative_history(
    plan: Plan, *, scope: str, year: int, node: FrameworkNode | None, language: str
) -> list[ReportNarrative]:
    """Every version of one narrative, newest first."""
    return list(
        ReportNarrative.objects.filter(
            plan=plan, scope=scope, year=year, node=node, language=language
        ).order_by("-version")
    )


def generated_reports(access: PlanAccess) -> list[GeneratedReport]:
    """The plan's generated reports this reader may read, newest first: every one for those
    who see the detail, the published public ones for everyone else. One query."""
    rows = GeneratedReport.objects.filter(plan=access.plan).select_related(
        "release", "periodic_report"
    )
    if not access.can_see_generated_reports():
        rows = rows.filter(published=True, version="public")
    return [r for r in rows.defer("document") if access.can_read_generated(r)]


def published_reports(plan: Plan) -> list[GeneratedReport]:
    """The plan's published reports (public versions), newest first: what the portal lists."""
    return list(
        GeneratedReport.objects.filter(plan=plan, published=True, version="public")
        .defer("document")
        .order_by("-published_at", "-pk")
    )


def generated_report(access: PlanAccess, pk: int) -> GeneratedReport:
    """One generated report of the plan the reader may read; NotFound otherwise (hidden and
    missing alike)."""
    found = (
        GeneratedReport.objects.filter(plan=access.plan, pk=pk)
        .select_related("plan", "release", "periodic_report")
        .first()
    )
    if found is None or not access.can_read_generated(found):
        raise NotFound(_("No report %(pk)s.") % {"pk": pk})
    return found


def template_of(plan: Plan) -> ReportTemplate | None:
    return ReportTemplate.objects.filter(plan=plan).first()


def pillars(plan: Plan) -> list[FrameworkNode]:
    """The parts of the plan a narrative may speak to: its top-level nodes (pillars)."""
    return list(FrameworkNode.objects.filter(plan=plan, parent=None).order_by("path"))
