"""Plans built through the models and services, sized on demand, for the portal tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    Direction,
    Indicator,
    IndicatorKind,
    Source,
    SourceKind,
    TimeRule,
)
from wpsmonitor.indicators.services import (
    baseline_set,
    indicator_create,
    period_ensure,
    reference_data_ensure,
    target_set,
)
from wpsmonitor.plans.models import ActionStatus, FrameworkNode, Plan, PlanKind, PlanStatus
from wpsmonitor.plans.services import node_create, plan_create
from wpsmonitor.publishing.models import Release
from wpsmonitor.reporting.models import Assignment, ReportingRound, Submission, SubmissionStatus


@dataclass
class BuiltPlan:
    plan: Plan
    country: Area
    provinces: list[Area]
    ministry: Organisation
    cso: Organisation
    indicators: list[Indicator]


def build_plan(
    *,
    code: str = "nap-3",
    pillars: int = 2,
    outcomes_per_pillar: int = 1,
    actions_per_output: int = 2,
    status: str = PlanStatus.IMPLEMENTATION,
    country_code: str = "COD",
) -> BuiltPlan:
    """A plan with pillars → outcomes → one output each → actions, and per outcome one
    number indicator disaggregated by sex and one percentage indicator."""
    reference_data_ensure()
    country = area_country_ensure(country_code)
    provinces = [
        area_subdivision_ensure(parent=country, code=f"{country_code}-P{i}", name=f"Province {i}")
        for i in (1, 2)
    ]
    ministry, _ = Organisation.objects.get_or_create(
        code="mogender",
        defaults={
            "name": "Ministry of Gender",
            "acronym": "MoG",
            "type": OrganisationType.GOVERNMENT,
        },
    )
    cso, _ = Organisation.objects.get_or_create(
        code="women-network",
        defaults={"name": "Women's Network", "type": OrganisationType.CIVIL_SOCIETY},
    )
    Source.objects.get_or_create(
        code="cso-shadow",
        defaults={"kind": SourceKind.CIVIL_SOCIETY, "name": "Shadow report", "organisation": cso},
    )
    plan = plan_create(
        code=code,
        title=f"National Action Plan {code}",
        kind=PlanKind.NATIONAL,
        area=country,
        generation=3,
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
        adopted_on=date(2023, 11, 20),
        status=status,
        lead_organisation=ministry,
        coordination_mechanism="National steering committee chaired by the Ministry of Gender",
        languages=["fr", "ln"],
    )
    indicators: list[Indicator] = []
    statuses = list(ActionStatus)
    for p in range(1, pillars + 1):
        pillar = node_create(plan=plan, code=f"P{p}", title=f"Pillar {p}", order=p)
        for o in range(1, outcomes_per_pillar + 1):
            outcome = node_create(
                plan=plan, parent=pillar, code=f"P{p}.O{o}", title=f"Outcome {p}.{o}", order=o
            )
            output = node_create(
                plan=plan, parent=outcome, code=f"P{p}.O{o}.1", title=f"Output {p}.{o}.1"
            )
            for a in range(1, actions_per_output + 1):
                node_create(
                    plan=plan,
                    parent=output,
                    code=f"P{p}.O{o}.1.A{a}",
                    title=f"Action {p}.{o}.{a}",
                    order=a,
                    responsible_organisation=ministry,
                    planned_start=date(2024, 1, 1),
                    planned_end=date(2026, 12, 31),
                    status=statuses[(p + o + a) % len(statuses)],
                )
            indicators.append(
                indicator_create(
                    plan=plan,
                    node=outcome,
                    code=f"IND-{p}-{o}-N",
                    title=f"Women trained {p}.{o}",
                    definition="Number of women trained in mediation",
                    kind=IndicatorKind.NUMBER,
                    unit="people",
                    direction=Direction.INCREASE,
                    time_rule=TimeRule.SUM,
                    scheme=["sex"],
                    responsible_organisation=ministry,
                )
            )
            indicators.append(
                indicator_create(
                    plan=plan,
                    node=outcome,
                    code=f"IND-{p}-{o}-P",
                    title=f"Share of women police {p}.{o}",
                    kind=IndicatorKind.PERCENTAGE,
                    unit="%",
                    direction=Direction.INCREASE,
                    time_rule=TimeRule.LAST,
                )
            )
    return BuiltPlan(plan, country, provinces, ministry, cso, indicators)


@pytest.fixture
def small_plan(db: None) -> BuiltPlan:
    return build_plan()


def add_values(
    built: BuiltPlan, *, quarters: tuple[str, ...] = ("2024Q1", "2024Q2"), publish: bool = True
) -> None:
    """Government values in both provinces; the shadow report only for the first indicator;
    a baseline and target on every number indicator; then the aggregates are rebuilt and,
    unless told not to, a release of them published (what anonymous readers read)."""
    rows = []
    for indicator in built.indicators:
        for q_index, quarter in enumerate(quarters, start=1):
            for p_index, province in enumerate(built.provinces, start=1):
                if indicator.kind == IndicatorKind.NUMBER:
                    for sex, base in (("F", 10), ("M", 5)):
                        rows.append(
                            {
                                "indicator": indicator.code,
                                "period": quarter,
                                "area": province.code,
                                "cell": f"sex={sex}",
                                "value": base * p_index * q_index,
                            }
                        )
                else:
                    rows.append(
                        {
                            "indicator": indicator.code,
                            "period": quarter,
                            "area": province.code,
                            "numerator": 2 * p_index + q_index,
                            "denominator": 20,
                        }
                    )
        if indicator.kind == IndicatorKind.NUMBER:
            baseline_set(indicator=indicator, period="2023", value=20)
            target_set(indicator=indicator, period="2024", value=200)
    first = built.indicators[0]
    for quarter in quarters:
        for sex, value in (("F", 7), ("M", 3)):
            rows.append(
                {
                    "indicator": first.code,
                    "period": quarter,
                    "area": built.provinces[0].code,
                    "cell": f"sex={sex}",
                    "source": "cso-shadow",
                    "value": value,
                }
            )
    values_ingest(rows=rows, plan=built.plan.code)
    rebuild_plan_aggregates(built.plan)
    if publish:
        publish_release(built.plan)


def release_admin() -> User:
    """An administrator: one who sees the detail (PlanAccess.sees_detail) and may publish."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.filter(username="release-admin").first()
    if admin is None:
        admin = get_user_model().objects.create_superuser(
            username="release-admin", email="release-admin@example.org", password="x-9-long-pw"
        )
    return admin


@pytest.fixture
def detail_client(db: None) -> Client:
    """A client signed in as one who reads the figures as the platform holds them."""
    client = Client()
    client.force_login(release_admin())
    return client


def publish_release(plan: Plan) -> Release:
    """Prepare and publish a release of the plan's figures, as its coordinator would: what
    anonymous readers of the portal read (docs/publishing.md, "Who reads what")."""
    from wpsmonitor.publishing import services as publishing

    admin = release_admin()
    draft = publishing.release_prepare(by=admin, plan=plan)
    return publishing.release_publish(by=admin, release=draft, confirm=True)


@pytest.fixture
def plan_with_values(db: None) -> BuiltPlan:
    built = build_plan()
    add_values(built)
    return built


def add_round(built: BuiltPlan, *, period: str = "2024Q2") -> ReportingRound:
    """A reporting round with the ministry assigned in both provinces (one indicator each, and
    every action in the first province) and the police at the national level; the ministry's
    first province approved, its second submitted, the police's still a draft.

    Written through the models: only the statuses matter to the portal, and going through the
    services would need the whole entry sheet.
    """
    plan = built.plan
    police, _ = Organisation.objects.get_or_create(
        code="police", defaults={"name": "National Police", "type": OrganisationType.SECURITY}
    )
    first, second = built.provinces
    for province in (first, second):
        Assignment.objects.create(
            plan=plan, organisation=built.ministry, area=province, indicator=built.indicators[0]
        )
    Assignment.objects.create(
        plan=plan, organisation=police, area=built.country, indicator=built.indicators[1]
    )
    for action in FrameworkNode.objects.filter(plan=plan, level__holds_actions=True):
        Assignment.objects.create(plan=plan, organisation=built.ministry, area=first, action=action)
    # An older round, so that "latest" has to choose.
    ReportingRound.objects.create(
        plan=plan, period=period_ensure("2024Q1"), deadline=date(2024, 4, 30)
    )
    round_ = ReportingRound.objects.create(
        plan=plan, period=period_ensure(period), deadline=date(2024, 7, 31)
    )
    gov = Source.objects.get(code=GOVERNMENT_SOURCE)
    for organisation, area, status in (
        (built.ministry, first, SubmissionStatus.APPROVED),
        (built.ministry, second, SubmissionStatus.SUBMITTED),
        (police, built.country, SubmissionStatus.DRAFT),
    ):
        Submission.objects.create(
            round=round_, organisation=organisation, area=area, source=gov, status=status
        )
    return round_
