"""A plan ready for a reporting round: organisations, users in every role, assignments.

Built through the services, as a secretariat would: the coordinator gives roles and assigns
indicators; nothing here writes rows the services would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from tests.portal.conftest import BuiltPlan, build_plan

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.indicators.models import Direction, Indicator, IndicatorKind, TimeRule
from wpsmonitor.indicators.services import indicator_create, target_set
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.reporting import services
from wpsmonitor.reporting.models import ReportingRound

PASSWORD = "a long test passphrase"


@dataclass
class Cycle:
    built: BuiltPlan
    round: ReportingRound
    police: Organisation
    other_cso: Organisation
    grid: Indicator  # number by sex x age, expected 0..500
    yes_no: Indicator
    narrative: Indicator
    action: FrameworkNode
    users: dict[str, AbstractBaseUser]

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.built.plan

    @property
    def province(self):  # type: ignore[no-untyped-def]
        return self.built.provinces[0]

    @property
    def other_province(self):  # type: ignore[no-untyped-def]
        return self.built.provinces[1]


def make_user(name: str, **extra: object) -> AbstractBaseUser:
    return get_user_model().objects.create_user(
        username=name, email=f"{name}@example.org", password=PASSWORD, **extra
    )


def build_cycle() -> Cycle:
    built = build_plan()
    plan = built.plan
    police, _ = Organisation.objects.get_or_create(
        code="police", defaults={"name": "National Police", "type": OrganisationType.SECURITY}
    )
    other_cso, _ = Organisation.objects.get_or_create(
        code="other-cso",
        defaults={"name": "Other Women's Group", "type": OrganisationType.CIVIL_SOCIETY},
    )
    outcome = FrameworkNode.objects.get(plan=plan, code="P1.O1")
    grid = indicator_create(
        plan=plan,
        node=outcome,
        code="IND-GRID",
        title="Survivors supported",
        kind=IndicatorKind.NUMBER,
        unit="people",
        direction=Direction.INCREASE,
        time_rule=TimeRule.SUM,
        scheme=["sex", "age"],
        expected_min=0,
        expected_max=500,
    )
    yes_no = indicator_create(
        plan=plan,
        node=outcome,
        code="IND-YN",
        title="Referral mechanism in place",
        kind=IndicatorKind.YES_NO,
        time_rule=TimeRule.LAST,
    )
    narrative = indicator_create(
        plan=plan,
        node=outcome,
        code="IND-NAR",
        title="Main obstacles met",
        kind=IndicatorKind.NARRATIVE,
        time_rule=TimeRule.NONE,
    )
    target_set(
        indicator=grid, period="2025Q1", area=built.provinces[0], cell="sex=F;age=18-29", value=40
    )
    users = {
        name: make_user(name)
        for name in (
            "coordinator",
            "focal",
            "focal_other_area",
            "police_focal",
            "monitor",
            "other_monitor",
            "viewer",
            "outsider",
        )
    }
    users["admin"] = make_user("admin", is_superuser=True, is_staff=True)
    PlanRole.objects.create(user=users["coordinator"], plan=plan, role=Role.COORDINATOR)
    province, other = built.provinces
    PlanRole.objects.create(
        user=users["focal"],
        plan=plan,
        role=Role.FOCAL_POINT,
        organisation=built.ministry,
        area=province,
    )
    PlanRole.objects.create(
        user=users["focal_other_area"],
        plan=plan,
        role=Role.FOCAL_POINT,
        organisation=built.ministry,
        area=other,
    )
    PlanRole.objects.create(
        user=users["police_focal"],
        plan=plan,
        role=Role.FOCAL_POINT,
        organisation=police,
        area=province,
    )
    PlanRole.objects.create(
        user=users["monitor"], plan=plan, role=Role.MONITOR, organisation=built.cso
    )
    # The monitor is also their organisation's administrator: they give its roles.
    PlanRole.objects.create(
        user=users["monitor"], plan=plan, role=Role.ORGANISATION_ADMIN, organisation=built.cso
    )
    PlanRole.objects.create(
        user=users["other_monitor"], plan=plan, role=Role.MONITOR, organisation=other_cso
    )
    PlanRole.objects.create(user=users["viewer"], plan=plan, role=Role.VIEWER)
    coordinator = users["coordinator"]
    action = FrameworkNode.objects.get(plan=plan, code="P1.O1.1.A1")
    for indicator in (grid, yes_no, narrative, built.indicators[1]):
        services.assignment_add(
            by=coordinator,
            plan=plan,
            organisation=built.ministry,
            area=province,
            indicator=indicator,
        )
    services.assignment_add(
        by=coordinator, plan=plan, organisation=built.ministry, area=province, action=action
    )
    services.assignment_add(
        by=coordinator, plan=plan, organisation=built.ministry, area=other, indicator=grid
    )
    round_ = services.round_open(
        by=coordinator,
        plan=plan,
        period_code="2025Q1",
        deadline=timezone.localdate() + timedelta(days=10),
    )
    return Cycle(built, round_, police, other_cso, grid, yes_no, narrative, action, users)


@pytest.fixture
def cycle(db: None) -> Cycle:
    return build_cycle()
