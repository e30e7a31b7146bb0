"""API shapes of plans and their results frameworks."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class OrganisationRef(Schema):
    code: str
    name: str
    acronym: str
    type: str


class AreaRef(Schema):
    code: str
    name: str


class PlanRef(Schema):
    code: str
    title: str
    kind: str
    status: str


class PlanOut(Schema):
    code: str
    title: str
    kind: str
    status: str
    country: str | None  # ISO 3166-1 alpha-3 of the country the plan's area lies in
    area: AreaRef
    generation: int | None
    start: date
    end: date
    adopted_on: date | None
    lead_organisation: OrganisationRef | None
    coordination_mechanism: str
    languages: list[str]
    description: str
    document_url: str
    parent: PlanRef | None
    created_at: datetime
    updated_at: datetime


class PlanDetailOut(PlanOut):
    children: list[PlanRef]


class PlanPage(Schema):
    count: int
    next: str | None
    items: list[PlanOut]


class LevelOut(Schema):
    depth: int
    code: str
    name: str
    holds_actions: bool


class ActionOut(Schema):
    status: str
    delayed: bool
    percent_complete: int | None
    planned_start: date | None
    planned_end: date | None
    responsible_organisation: OrganisationRef | None
    partner_organisations: list[OrganisationRef]


class NodeOut(Schema):
    code: str
    title: str
    description: str
    level: str
    depth: int
    parent: str | None
    order: int
    pillar_theme: str
    indicators: list[str]
    action: ActionOut | None  # set on nodes of the level that holds actions


class FrameworkOut(Schema):
    plan: str
    levels: list[LevelOut]
    nodes: list[NodeOut]  # depth first, siblings by order then code


# ---------------------------------------------------------------------------- quality scorecard


class QualityItemOut(Schema):
    kind: str  # action, indicator or plan
    code: str
    title: str
    note: str


class QualityLinkOut(Schema):
    url: str
    label: str


class CriterionOut(Schema):
    key: str
    group: str  # oecd, wilpf, content
    title: str
    rule: str
    status: str  # met, partly, not_met, not_applicable
    fraction: float  # 0 to 1: the point earned when the criterion applies
    why: str
    missing: list[QualityItemOut]
    found: list[QualityItemOut]
    link: QualityLinkOut | None


class PlanQualityOut(Schema):
    plan: PlanRef
    points: float
    maximum: int  # number of criteria that apply to the plan
    percent: float
    me_description: str
    civil_society_roles: list[str]
    alignment_references: list[str]
    criteria: list[CriterionOut]


class CriterionBriefOut(Schema):
    key: str
    status: str
    fraction: float


class PlanQualityBriefOut(Schema):
    plan: PlanRef
    points: float
    maximum: int
    percent: float
    criteria: list[CriterionBriefOut]


class StatisticOut(Schema):
    key: str
    group: str
    title: str
    applicable: int  # plans the criterion applies to
    met: int
    partly: int
    not_met: int
    met_percent: float | None


class QualityComparisonOut(Schema):
    count: int
    statistics: list[StatisticOut]
    plans: list[PlanQualityBriefOut]


class QualityFieldsIn(Schema):
    """Fields left out are not changed."""

    me_description: str | None = None
    civil_society_roles: list[str] | None = None  # design, implementation, monitoring
    alignment_references: list[str] | None = None  # cedaw, sdg
