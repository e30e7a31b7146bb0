"""Plans built through the models and services, sized on demand, for the portal tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.models import (
    Direction,
    Indicator,
    IndicatorKind,
    Source,
    SourceKind,
    TimeRule,
)
from wpsmonitor.indicators.services import reference_data_ensure, scheme_ensure
from wpsmonitor.plans.models import (
    DEFAULT_LEVELS,
    ActionStatus,
    FrameworkLevel,
    FrameworkNode,
    Plan,
    PlanKind,
    PlanStatus,
)


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
    plan = Plan.objects.create(
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
    levels = {
        code_: FrameworkLevel.objects.create(
            plan=plan, depth=depth, code=code_, name=str(name), holds_actions=holds
        )
        for depth, (code_, name, holds) in enumerate(DEFAULT_LEVELS, start=1)
    }
    by_sex = scheme_ensure(dimension_codes=["sex"])
    total = scheme_ensure(dimension_codes=[])
    indicators: list[Indicator] = []
    statuses = list(ActionStatus)
    for p in range(1, pillars + 1):
        pillar = FrameworkNode.objects.create(
            plan=plan, level=levels["pillar"], code=f"P{p}", title=f"Pillar {p}", order=p
        )
        for o in range(1, outcomes_per_pillar + 1):
            outcome = FrameworkNode.objects.create(
                plan=plan,
                parent=pillar,
                level=levels["outcome"],
                code=f"P{p}.O{o}",
                title=f"Outcome {p}.{o}",
                order=o,
            )
            output = FrameworkNode.objects.create(
                plan=plan,
                parent=outcome,
                level=levels["output"],
                code=f"P{p}.O{o}.1",
                title=f"Output {p}.{o}.1",
                order=1,
            )
            for a in range(1, actions_per_output + 1):
                FrameworkNode.objects.create(
                    plan=plan,
                    parent=output,
                    level=levels["action"],
                    code=f"P{p}.O{o}.1.A{a}",
                    title=f"Action {p}.{o}.{a}",
                    order=a,
                    responsible_organisation=ministry,
                    planned_start=date(2024, 1, 1),
                    planned_end=date(2026, 12, 31),
                    status=statuses[(p + o + a) % len(statuses)],
                )
            indicators.append(
                Indicator.objects.create(
                    plan=plan,
                    node=outcome,
                    code=f"IND-{p}-{o}-N",
                    title=f"Women trained {p}.{o}",
                    definition="Number of women trained in mediation",
                    kind=IndicatorKind.NUMBER,
                    unit="people",
                    direction=Direction.INCREASE,
                    time_rule=TimeRule.SUM,
                    scheme=by_sex,
                    responsible_organisation=ministry,
                    order=len(indicators),
                )
            )
            indicators.append(
                Indicator.objects.create(
                    plan=plan,
                    node=outcome,
                    code=f"IND-{p}-{o}-P",
                    title=f"Share of women police {p}.{o}",
                    kind=IndicatorKind.PERCENTAGE,
                    unit="%",
                    direction=Direction.INCREASE,
                    time_rule=TimeRule.LAST,
                    scheme=total,
                    factor=100,
                    order=len(indicators),
                )
            )
    return BuiltPlan(plan, country, provinces, ministry, cso, indicators)


@pytest.fixture
def small_plan(db: None) -> BuiltPlan:
    return build_plan()
