"""Reads of the security-sector module (docs/security-sector.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.core.errors import NotFound
from wpsmonitor.directory.models import Area
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.security.models import (
    DeskCases,
    DeskStatus,
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
