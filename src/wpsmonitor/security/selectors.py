"""Reads of the security-sector module (docs/security-sector.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.core.errors import NotFound
from wpsmonitor.directory.models import Area
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.security.assessment import themes_of
from wpsmonitor.security.models import (
    AssessmentFramework,
    AssessmentStatus,
    DeskCases,
    DeskStatus,
    InstitutionAssessment,
    SecurityInstitution,
    WomensDesk,
)


def institutions(plan: Plan) -> QuerySet[SecurityInstitution]:
    return (
        SecurityInstitution.objects.filter(plan=plan)
        .select_related("organisation", "institutional_plan", "package")
        .order_by("code")
    )


def institution_for(plan: Plan, code: str) -> SecurityInstitution:
    found = (
        SecurityInstitution.objects.filter(plan=plan, code=code)
        .select_related("plan__area", "organisation", "institutional_plan")
        .first()
    )
    if found is None:
        raise NotFound(_("No such institution."))
    return found


def desks(plan: Plan) -> QuerySet[WomensDesk]:
    return (
        WomensDesk.objects.filter(institution__plan=plan)
        .select_related("institution", "area")
        .order_by("area__path", "name")
    )


def desk_for(plan: Plan, pk: int) -> WomensDesk:
    found = (
        WomensDesk.objects.filter(institution__plan=plan, pk=pk)
        .select_related("institution__plan__area", "institution__organisation", "area")
        .first()
    )
    if found is None:
        raise NotFound(_("No such desk."))
    return found


def desk_cases(desk: WomensDesk) -> QuerySet[DeskCases]:
    return DeskCases.objects.filter(desk=desk).select_related("period").order_by("period__start")


def areas_for(plan: Plan) -> list[Area]:
    """The areas a desk of the plan may sit in: the plan's area and below."""
    return list(
        Area.objects.filter(path__startswith=plan.area.path)
        .select_related("level")
        .order_by("path")
    )


@dataclass
class CoverageRow:
    area: Area | None  # None: desks recorded at the plan's own area, in no province
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def open(self) -> int:
        return self.counts.get(DeskStatus.OPEN, 0)

    @property
    def planned(self) -> int:
        return self.counts.get(DeskStatus.PLANNED, 0)

    @property
    def closed(self) -> int:
        return self.counts.get(DeskStatus.CLOSED, 0)


def coverage(plan: Plan) -> list[CoverageRow]:
    """Desks by province (the areas right under the plan's) and status: every province, those
    without a desk too; a last row for desks recorded at the plan's own area, if any. Counts of
    desks, not of people: public. Two queries."""
    provinces = list(Area.objects.filter(parent=plan.area).order_by("name", "pk"))
    rows = {p.pk: CoverageRow(p) for p in provinces}
    unplaced = CoverageRow(None)
    for path, status in desks(plan).values_list("area__path", "status"):
        row = next((rows[p.pk] for p in provinces if path.startswith(p.path)), unplaced)
        row.counts[status] = row.counts.get(status, 0) + 1
    result = list(rows.values())
    if unplaced.counts:
        result.append(unplaced)
    return result


def package_nodes(institution: SecurityInstitution) -> list[FrameworkNode]:
    """Where the package may be adopted: a node of the institution's internal plan, or of the
    plan the institution is under."""
    plans = [institution.plan_id]
    if institution.institutional_plan_id is not None:
        plans.insert(0, institution.institutional_plan_id)
    return list(
        FrameworkNode.objects.filter(plan_id__in=plans)
        .select_related("plan")
        .order_by("plan_id", "path")
    )


# Self-assessment (docs/security-sector.md, "Self-assessment") -----------------------------


def assessments_of(
    institution: SecurityInstitution, *, drafts: bool
) -> list[InstitutionAssessment]:
    """The institution's assessments, oldest first, with their scores (drafts only if asked:
    for the plan's members)."""
    found = InstitutionAssessment.objects.filter(institution=institution)
    if not drafts:
        found = found.filter(status=AssessmentStatus.PUBLISHED)
    return list(found.prefetch_related("scores").order_by("framework", "assessed_on", "pk"))


def assessment_for(
    institution: SecurityInstitution, pk: int, *, drafts: bool
) -> InstitutionAssessment:
    found = next((a for a in assessments_of(institution, drafts=drafts) if a.pk == pk), None)
    if found is None:
        raise NotFound(_("No such assessment."))
    return found


@dataclass
class ThemeRow:
    code: str
    name: str
    scores: list[int | None]  # one per assessment of the trend, oldest first
    change: int | None  # the latest score less the previous assessment's, if both are known


@dataclass
class FrameworkTrend:
    framework: str
    label: str
    assessments: list[InstitutionAssessment]
    rows: list[ThemeRow]

    @property
    def latest(self) -> InstitutionAssessment:
        return self.assessments[-1]

    @property
    def previous(self) -> InstitutionAssessment | None:
        return self.assessments[-2] if len(self.assessments) > 1 else None


def _scores(assessment: InstitutionAssessment) -> dict[str, int]:
    return {s.theme: s.score for s in assessment.scores.all()}


def trends(found: list[InstitutionAssessment]) -> list[FrameworkTrend]:
    """Scores by theme over time, one trend per framework (an assessment is compared only with
    one of its own framework), with each theme's change since the previous assessment: the
    latest score less the one before it. Each theme in the framework's order."""
    result: list[FrameworkTrend] = []
    for framework, label in AssessmentFramework.choices:
        mine = sorted(
            (a for a in found if a.framework == framework), key=lambda a: (a.assessed_on, a.pk)
        )
        if not mine:
            continue
        by_assessment = [_scores(a) for a in mine]
        rows = []
        for theme in themes_of(framework):
            scores = [s.get(theme.code) for s in by_assessment]
            last = scores[-1]
            before = scores[-2] if len(scores) > 1 else None
            change = last - before if last is not None and before is not None else None
            rows.append(ThemeRow(theme.code, str(theme.name), scores, change))
        result.append(FrameworkTrend(framework, str(label), mine, rows))
    return result


@dataclass
class LatestAssessment:
    institution: SecurityInstitution
    trend: FrameworkTrend


def latest_by_institution(plan: Plan, until: date | None = None) -> list[LatestAssessment]:
    """Each institution's latest published assessment per framework (held by `until`, if given),
    with the change since the previous published one of the same framework (for the report)."""
    published = InstitutionAssessment.objects.filter(
        institution__plan=plan, status=AssessmentStatus.PUBLISHED
    )
    if until is not None:
        published = published.filter(assessed_on__lte=until)
    published = (
        published.select_related("institution__organisation")
        .prefetch_related("scores")
        .order_by("institution__code", "assessed_on", "pk")
    )
    grouped: dict[int, list[InstitutionAssessment]] = {}
    institutions: dict[int, SecurityInstitution] = {}
    for a in published:
        grouped.setdefault(a.institution_id, []).append(a)
        institutions[a.institution_id] = a.institution
    return [
        LatestAssessment(institutions[pk], trend)
        for pk, found in grouped.items()
        for trend in trends(found)
    ]
