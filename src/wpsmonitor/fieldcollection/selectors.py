"""Reads of field collection: the assignments a user collects for, with their batches."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.fieldcollection.models import FieldBatch, FieldForm
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.models import Assignment, ReportingRound, RoundStatus


@dataclass
class Collected:
    """One assignment (organisation and area) of a round, as the page shows it."""

    round: ReportingRound
    organisation: Organisation
    area: Area
    may_import: bool
    forms: list[FieldForm] = field(default_factory=list)
    batches: list[FieldBatch] = field(default_factory=list)


def open_rounds(access: PlanAccess) -> list[ReportingRound]:
    return list(
        ReportingRound.objects.filter(plan=access.plan, status=RoundStatus.OPEN)
        .select_related("period", "plan")
        .order_by("-period__start")
    )


def collected(access: PlanAccess) -> list[Collected]:
    """The open rounds' assignments the user may download a form for, in a fixed number of
    queries."""
    rounds = open_rounds(access)
    pairs = (
        Assignment.objects.filter(plan=access.plan)
        .values_list("organisation_id", "area_id")
        .distinct()
    )
    organisations = Organisation.objects.in_bulk({o for o, _a in pairs})
    areas = Area.objects.in_bulk({a for _o, a in pairs})
    forms: dict[tuple[int, int, int], list[FieldForm]] = {}
    for form in FieldForm.objects.filter(round__in=rounds):
        forms.setdefault((form.round_id, form.organisation_id, form.area_id), []).append(form)
    batches: dict[tuple[int, int, int], list[FieldBatch]] = {}
    for batch in FieldBatch.objects.filter(round__in=rounds).select_related(
        "received_by", "imported_by"
    )[:500]:
        key = (batch.round_id, batch.organisation_id, batch.area_id)
        batches.setdefault(key, []).append(batch)
    out = []
    for round_ in rounds:
        for org_id, area_id in sorted(
            set(pairs), key=lambda p: (organisations[p[0]].name, areas[p[1]].path)
        ):
            organisation, area = organisations[org_id], areas[area_id]
            if not access.can_download_field_form(org_id, area):
                continue
            key = (round_.pk, org_id, area_id)
            out.append(
                Collected(
                    round=round_,
                    organisation=organisation,
                    area=area,
                    may_import=access.can_enter_for(org_id, area, civil_society=False),
                    forms=forms.get(key, []),
                    batches=batches.get(key, []),
                )
            )
    return out


def assignment_for(
    access: PlanAccess, period: str, organisation: str, area: str
) -> tuple[ReportingRound, Organisation, Area]:
    """The round and assignment named in a URL; 404 unless the user may download its form."""
    round_ = (
        ReportingRound.objects.select_related("period", "plan")
        .filter(plan=access.plan, period__code=period)
        .first()
    )
    org = Organisation.objects.filter(code=organisation).first()
    place = Area.objects.filter(code=area).first()
    if round_ is None or org is None or place is None:
        raise Http404("No such assignment")
    if not Assignment.objects.filter(plan=access.plan, organisation=org, area=place).exists():
        raise Http404("No such assignment")
    if not access.can_download_field_form(org.pk, place):
        raise Http404("No such assignment")
    return round_, org, place


def assignment_named(
    plan: Plan, period: str, organisation: str, area: str | None = None
) -> tuple[ReportingRound, Organisation, Area]:
    """The round and assignment named by their codes (the command line, the API), or a
    ValidationError that says which code names nothing (code "ambiguous" when the area is
    needed). Without an area, the organisation's only area in the plan. Rights are the
    caller's to check."""
    round_ = (
        ReportingRound.objects.select_related("period", "plan")
        .filter(plan=plan, period__code=period)
        .first()
    )
    if round_ is None:
        raise ValidationError(
            _("The plan %(plan)s has no round %(period)s.") % {"plan": plan.code, "period": period}
        )
    org = Organisation.objects.filter(code=organisation).first()
    if org is None:
        raise ValidationError(_("No organisation with code %(code)s.") % {"code": organisation})
    assigned = Area.objects.filter(
        pk__in=Assignment.objects.filter(plan=plan, organisation=org).values("area_id")
    ).order_by("path")
    if area is None:
        areas = list(assigned[:11])
        if len(areas) == 1:
            return round_, org, areas[0]
        if not areas:
            raise ValidationError(
                _("%(organisation)s reports nothing in the plan %(plan)s.")
                % {"organisation": org.code, "plan": plan.code}
            )
        raise ValidationError(
            _("%(organisation)s reports for several areas (%(areas)s): name the area.")
            % {"organisation": org.code, "areas": ", ".join(a.code for a in areas[:10])},
            code="ambiguous",
        )
    place = Area.objects.filter(code=area).first()
    if place is None:
        raise ValidationError(_("No area with code %(code)s.") % {"code": area})
    if not assigned.filter(pk=place.pk).exists():
        raise ValidationError(
            _("%(organisation)s reports nothing for %(area)s in the plan %(plan)s.")
            % {"organisation": org.code, "area": place.code, "plan": plan.code}
        )
    return round_, org, place


def batch_for(access: PlanAccess, pk: int) -> FieldBatch:
    batch = (
        FieldBatch.objects.select_related("round", "round__plan", "organisation", "area")
        .filter(pk=pk, round__plan=access.plan)
        .first()
    )
    if batch is None or not access.can_download_field_form(batch.organisation_id, batch.area):
        raise Http404("No such batch")
    return batch
