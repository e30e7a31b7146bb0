"""Peace processes in the JSON API (docs/peace-processes.md), through the same selectors as the
pages, so the same figures: whoever reads the plan reads its processes, each round's women's
share by role and overall (computed from the delegations' seats), and the consultations of civil
society. Delegates at peace talks are public figures and a seat is a count: no suppression."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import ErrorOut, Id
from wpsmonitor.peace import selectors
from wpsmonitor.peace.models import SeatRole

router = Router(tags=["peace processes"], auth=READ_AUTH)


class WomenShareOut(Schema):
    women: int
    men: int
    not_recorded: int = Field(description="Seats whose holder's sex is not recorded")
    share: float | None = Field(
        description="Women's share (0 to 1) of the seats whose sex is recorded; null: none"
    )


class NegotiationRoundOut(Schema):
    number: int
    title: str
    started_on: date
    ended_on: date | None
    place: str
    delegations: int
    roles: dict[str, WomenShareOut] = Field(
        description="By role: negotiator, mediator, signatory, observer, adviser"
    )
    overall: WomenShareOut = Field(description="All roles' seats together")


class PeaceProcessOut(Schema):
    id: int
    name: str
    level: str
    status: str
    area: str | None = Field(description="The area's code")
    started_on: date | None
    ended_on: date | None
    mediators: str
    rounds: list[NegotiationRoundOut]


class PeaceProcessesOut(Schema):
    plan: str
    processes: list[PeaceProcessOut]


class PeaceConsultationOut(Schema):
    process: int
    process_name: str
    held_on: date
    stage: str
    method: str
    organisations_consulted: int
    womens_organisations: int
    organisation_names: str
    asked: str
    in_outcome: str = Field(description="yes, partly, no or not_yet")
    outcome_note: str


class PeaceConsultationsOut(Schema):
    plan: str
    consultations: list[PeaceConsultationOut]


def _share(found: selectors.Share) -> dict[str, Any]:
    share = found.share
    return {
        "women": found.women,
        "men": found.men,
        "not_recorded": found.not_recorded,
        "share": None if share is None else float(share),
    }


ANSWERS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "/plans/{plan}/peace/processes",
    response={200: PeaceProcessesOut, **ANSWERS},
    summary="Peace processes, with women's share of the seats by round and role",
)
def processes(request: HttpRequest, plan: str) -> dict[str, Any]:
    """Every process of the plan with its rounds, each with women's share by role and over all
    roles, computed from its delegations' seats."""
    access = access_for_api(request, plan)
    if not access.can_read_peace():
        raise PermissionDenied
    out = []
    for p in selectors.processes_of(access.plan):
        rounds = [
            {
                "number": r.round.number,
                "title": r.round.title,
                "started_on": r.round.started_on,
                "ended_on": r.round.ended_on,
                "place": r.round.place,
                "delegations": r.delegations,
                "roles": {role: _share(r.by_role[role]) for role in SeatRole.values},
                "overall": _share(r.overall),
            }
            for r in selectors.trend(p)
        ]
        out.append(
            {
                "id": p.pk,
                "name": p.name,
                "level": p.level,
                "status": p.status,
                "area": p.area.code if p.area else None,
                "started_on": p.started_on,
                "ended_on": p.ended_on,
                "mediators": p.mediators,
                "rounds": rounds,
            }
        )
    return {"plan": access.plan.code, "processes": out}


@router.get(
    "/plans/{plan}/peace/consultations",
    response={200: PeaceConsultationsOut, **ANSWERS},
    summary="Consultations of civil society on the plan's peace processes",
)
def consultations(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = access_for_api(request, plan)
    if not access.can_read_peace():
        raise PermissionDenied
    return {
        "plan": access.plan.code,
        "consultations": [
            {
                "process": c.process_id,
                "process_name": c.process.name,
                "held_on": c.held_on,
                "stage": c.stage,
                "method": c.method,
                "organisations_consulted": c.organisations_consulted,
                "womens_organisations": c.womens_organisations,
                "organisation_names": c.organisation_names,
                "asked": c.asked,
                "in_outcome": c.in_outcome,
                "outcome_note": c.outcome_note,
            }
            for c in selectors.plan_consultations(access.plan)
        ],
    }


# --- Agreements and gender provisions (docs/peace-processes.md, "Agreements and gender
# provisions"): public documents; civil society's assessments once published (a draft only to
# its organisation's monitors, as on the pages).


class ProvisionStatusOut(Schema):
    on: date
    status: str = Field(description="not_initiated, minimal, intermediate or full")
    note: str


class ProvisionAssessmentOut(Schema):
    organisation: str = Field(description="The civil-society organisation's code")
    organisation_name: str
    assessed_on: date
    status: str = Field(description="not_initiated, minimal, intermediate or full")
    comment: str
    published: bool
    steps: int | None = Field(
        description="Civil society's status minus the government's latest, in steps of the "
        "scale (negative: it sees less done); null without a government status"
    )
    differs: bool


class GenderProvisionOut(Schema):
    id: int
    category: str = Field(description="PA-X WGG category code: WggPar, WggEq, WggGrp, ...")
    category_name: str
    text: str
    reference: str
    actions: list[str] = Field(description="Codes of the NAP actions that carry it out")
    budget_lines: list[int] = Field(description="Ids of the budget lines that fund it")
    statuses: list[ProvisionStatusOut] = Field(description="The government's, in date order")
    latest_status: str | None
    assessments: list[ProvisionAssessmentOut]


class AgreementOut(Schema):
    id: int
    pax_id: int | None = Field(description="PA-X's AgtId, when known")
    name: str
    signed_on: date | None
    stage: str = Field(description="PA-X stage code: Pre, Cea, SubPar, SubComp, Imp, Ren, Oth")
    agreement_type: str = Field(description="PA-X Agtp: Inter, InterIntra, Intra, IntraLocal")
    parties: str
    source_url: str
    process: int | None


class AgreementDetailOut(AgreementOut):
    provisions: list[GenderProvisionOut]


class AgreementsOut(Schema):
    plan: str
    agreements: list[AgreementOut]


def _agreement(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "pax_id": a.pax_id,
        "name": a.name,
        "signed_on": a.signed_on,
        "stage": a.stage,
        "agreement_type": a.agreement_type,
        "parties": a.parties,
        "source_url": a.source_url,
        "process": a.process_id,
    }


def _agreements_reader(request: HttpRequest, plan: str) -> Any:
    access = access_for_api(request, plan)
    if not access.can_read_agreements():
        raise PermissionDenied
    return access


@router.get(
    "/plans/{plan}/peace/agreements",
    response={200: AgreementsOut, **ANSWERS},
    summary="Peace agreements of the plan's country",
)
def agreements(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = _agreements_reader(request, plan)
    return {
        "plan": access.plan.code,
        "agreements": [_agreement(a) for a in selectors.agreements_of(access.plan)],
    }


@router.get(
    "/plans/{plan}/peace/agreements/{agreement_id}",
    response={200: AgreementDetailOut, 400: ErrorOut, **ANSWERS},
    summary="A peace agreement with its gender provisions, statuses and civil society's view",
)
def agreement(request: HttpRequest, plan: str, agreement_id: Id) -> dict[str, Any]:
    """The agreement's gender provisions (PA-X WGG categories), each with its linked NAP actions
    and budget lines, the government's implementation statuses over time, and the civil-society
    assessments the caller may read beside the latest status."""
    access = _agreements_reader(request, plan)
    found = selectors.agreement_of(access.plan, agreement_id)
    provisions = []
    for v in selectors.provision_views([found], access.can_view_provision_assessment):
        latest = v.latest
        provisions.append(
            {
                "id": v.provision.pk,
                "category": v.provision.category,
                "category_name": str(v.provision.get_category_display()),
                "text": v.provision.text,
                "reference": v.provision.reference,
                "actions": [a.code for a in v.provision.actions.all()],
                "budget_lines": [line.pk for line in v.provision.budget_lines.all()],
                "statuses": [{"on": s.on, "status": s.status, "note": s.note} for s in v.statuses],
                "latest_status": latest.status if latest else None,
                "assessments": [
                    {
                        "organisation": c.assessment.organisation.code,
                        "organisation_name": c.assessment.organisation.name,
                        "assessed_on": c.assessment.assessed_on,
                        "status": c.assessment.status,
                        "comment": c.assessment.comment,
                        "published": c.assessment.published,
                        "steps": c.steps,
                        "differs": c.differs,
                    }
                    for c in v.comparisons
                ],
            }
        )
    return {**_agreement(found), "provisions": provisions}
