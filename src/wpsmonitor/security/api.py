"""The security sector in the JSON API (docs/security-sector.md, docs/api.md), through the same
selectors as the pages: whoever reads the plan reads its institutions and the coverage of
women's desks by province (counts of desks, not of people). The desks' case counts are not in
the API: they are read by the plan's members on the desk's page only, and never published."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.accounts.auth import READ_AUTH, api_user
from wpsmonitor.core.api import ErrorOut
from wpsmonitor.security import selectors
from wpsmonitor.security.models import (
    ASSESSMENT_SCALE_HIGH,
    ASSESSMENT_SCALE_LOW,
    AssessmentFramework,
)

router = Router(tags=["security sector"], auth=READ_AUTH)


class InstitutionOut(Schema):
    code: str
    kind: str = Field(description="army, police, gendarmerie, justice, corrections or intelligence")
    organisation: str = Field(description="The organisation's code")
    institutional_plan: str | None = Field(description="The code of its internal WPS plan")
    package_adopted: bool = Field(description="Whether it adopted the indicator package")
    package_indicators: list[str] = Field(description="The package's indicator codes")


class InstitutionsOut(Schema):
    plan: str
    institutions: list[InstitutionOut]


class CoverageRowOut(Schema):
    province: str | None = Field(description="The province's code; null: desks at the plan's area")
    province_name: str | None
    open: int
    planned: int
    closed: int


class CoverageOut(Schema):
    plan: str
    rows: list[CoverageRowOut]


@router.get(
    "/plans/{plan}/security/institutions",
    response={200: InstitutionsOut, 401: ErrorOut, 404: ErrorOut},
    summary="The plan's security institutions and their indicator package",
)
def institutions(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = plan_access(api_user(request), plan)
    rows = []
    # The packages' indicators fetched together, not once per institution.
    for found in selectors.institutions(access.plan).prefetch_related("package__indicators"):
        adoption = getattr(found, "package", None)
        rows.append(
            {
                "code": found.code,
                "kind": found.kind,
                "organisation": found.organisation.code,
                "institutional_plan": (
                    found.institutional_plan.code if found.institutional_plan else None
                ),
                "package_adopted": adoption is not None,
                "package_indicators": (
                    sorted(i.code for i in adoption.indicators.all()) if adoption else []
                ),
            }
        )
    return {"plan": access.plan.code, "institutions": rows}


@router.get(
    "/plans/{plan}/security/desks/coverage",
    response={200: CoverageOut, 401: ErrorOut, 404: ErrorOut},
    summary="Women's and children's desks by province and status",
)
def coverage(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = plan_access(api_user(request), plan)
    return {
        "plan": access.plan.code,
        "rows": [
            {
                "province": r.area.code if r.area else None,
                "province_name": r.area.name if r.area else None,
                "open": r.open,
                "planned": r.planned,
                "closed": r.closed,
            }
            for r in selectors.coverage(access.plan)
        ],
    }


# Training and deployments (docs/security-sector.md, "Training", "Deployments and the parity
# targets"): aggregates only, never one person. The plan's members read them whole; everyone
# else after disclosure control (a count below the plan's threshold, zero included, is null;
# a mean or share over fewer people than the threshold is null).


class ImpactOut(Schema):
    institution: str
    unit: str | None = Field(
        description="The unit's name (or 'No unit recorded'); null: the whole institution"
    )
    participants: int | None
    women: int | None
    men: int | None
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None = Field(description="Post-test less pre-test, over the paired only")
    improving: float | None = Field(description="Share of the paired whose score rose (0-1)")
    mean_follow_up: float | None
    retained: float | None = Field(
        description="Share whose follow-up is at most 10 points below their post-test (0-1)"
    )


class ParityOut(Schema):
    year: int
    category: str = Field(
        description="contingent, staff_observers, fpu, ipo or justice (UN categories)"
    )
    women: int | None
    men: int | None
    share: float | None = Field(description="Women's share of the people deployed (0-1)")
    target: float | None = Field(description="The parity strategy's verified target for the year")
    end_target: float | None = Field(description="The strategy's target for 2028")
    trained_share: float | None = Field(description="Share trained before deployment (0-1)")


class TrainingOut(Schema):
    plan: str
    disclosure_control: bool = Field(description="Whether small counts were suppressed")
    threshold: int
    impact: list[ImpactOut]
    parity: list[ParityOut]


@router.get(
    "/plans/{plan}/security/training",
    response={200: TrainingOut, 401: ErrorOut, 404: ErrorOut},
    summary="Training impact by institution and unit, and deployments against the parity targets",
)
def training(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = plan_access(api_user(request), plan)
    detail = access.can_read_training_detail()
    threshold = access.plan.disclosure_threshold
    impact = []
    for found in selectors.institutions(access.plan):
        rows = selectors.training_impact(found)
        for index, (_unit, row) in enumerate(rows):
            shown = selectors.public_impact(row, threshold)
            source: Any = row if detail else shown
            impact.append(
                {
                    "institution": found.code,
                    # The last row is the whole institution's.
                    "unit": None if index == len(rows) - 1 else row.label,
                    "participants": source.participants,
                    "women": source.women,
                    "men": source.men,
                    "mean_pre": source.mean_pre,
                    "mean_post": source.mean_post,
                    "mean_gain": source.mean_gain,
                    "improving": source.improving,
                    "mean_follow_up": source.mean_follow_up,
                    "retained": source.retained,
                }
            )
    parity = []
    for r in selectors.parity(access.plan):
        p: Any = r if detail else selectors.public_parity(r, threshold)
        parity.append(
            {
                "year": r.year,
                "category": r.category,
                "women": p.women,
                "men": p.men,
                "share": p.share,
                "target": p.target,
                "end_target": p.end_target,
                "trained_share": p.trained_share,
            }
        )
    return {
        "plan": access.plan.code,
        "disclosure_control": not detail,
        "threshold": threshold,
        "impact": impact,
        "parity": parity,
    }


# Self-assessment (docs/security-sector.md, "Self-assessment") -----------------------------


class SelfAssessmentScoreOut(Schema):
    theme: str = Field(description="The theme's code in its framework")
    theme_name: str
    score: int = Field(description="1 (a major barrier) to 4 (in place)")
    change: int | None = Field(
        description="The score less the previous assessment's of the same framework, if any"
    )
    findings: str
    recommendations: str


class SelfAssessmentOut(Schema):
    id: int
    framework: str = Field(description="dcaf or mowip")
    assessed_on: date
    status: str = Field(description="draft (members only) or published")
    conducted_by: str = Field(description="internal, external or joint")
    conducting_organisation: str
    method: str
    scores: list[SelfAssessmentScoreOut]


class SelfAssessmentsOut(Schema):
    plan: str
    institution: str
    scale: list[int] = Field(description="The scores a theme may take")
    assessments: list[SelfAssessmentOut]


@router.get(
    "/plans/{plan}/security/institutions/{institution}/assessments",
    response={200: SelfAssessmentsOut, 401: ErrorOut, 404: ErrorOut},
    summary="An institution's self-assessments, scores by theme and change over time",
)
def assessments(request: HttpRequest, plan: str, institution: str) -> dict[str, Any]:
    access = plan_access(api_user(request), plan)
    found = selectors.institution_for(access.plan, institution)
    listed = selectors.assessments_of(found, drafts=access.can_read_assessment(published=False))
    out = []
    for framework in AssessmentFramework.values:
        mine = [a for a in listed if a.framework == framework]
        for index, a in enumerate(mine):
            trend = selectors.trends(mine[: index + 1])[0]
            notes = {s.theme: s for s in a.scores.all()}
            out.append(
                {
                    "id": a.pk,
                    "framework": a.framework,
                    "assessed_on": a.assessed_on,
                    "status": a.status,
                    "conducted_by": a.conducted_by,
                    "conducting_organisation": a.conducting_organisation,
                    "method": a.method,
                    "scores": [
                        {
                            "theme": r.code,
                            "theme_name": r.name,
                            "score": r.scores[-1],
                            "change": r.change,
                            "findings": notes[r.code].findings,
                            "recommendations": notes[r.code].recommendations,
                        }
                        for r in trend.rows
                        if r.code in notes
                    ],
                }
            )
    return {
        "plan": access.plan.code,
        "institution": found.code,
        "scale": list(range(ASSESSMENT_SCALE_LOW, ASSESSMENT_SCALE_HIGH + 1)),
        "assessments": out,
    }
