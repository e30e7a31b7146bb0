"""The quality scorecard's API shapes."""

from __future__ import annotations

from ninja import Schema

from wpsmonitor.plans.schemas import PlanRef


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
