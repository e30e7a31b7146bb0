"""Small plans built through the plan services, each with hand-known quality facts.

`build_full` makes a national plan whose every criterion has been worked out by hand (see the
table in test_criteria.py); `build_empty` a draft with nothing in it; users in each role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.finance.models import BudgetLine, FundingKind
from wpsmonitor.indicators.models import (
    GlobalIndicator,
    Indicator,
    IndicatorKind,
    TimeRule,
)
from wpsmonitor.indicators.services import (
    baseline_set,
    indicator_create,
    indicator_references_set,
    period_ensure,
    reference_data_ensure,
    target_set,
)
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanKind, PlanStatus
from wpsmonitor.plans.services import node_create, plan_create
from wpsmonitor.reporting.models import ReportingRound

PASSWORD = "a long test passphrase"


@dataclass
class World:
    country: Area
    province: Area
    ministry: Organisation
    cso: Organisation
    users: dict[str, AbstractBaseUser] = field(default_factory=dict)


def make_world() -> World:
    reference_data_ensure()
    country = area_country_ensure("KEN")
    province = area_subdivision_ensure(parent=country, code="KE-30", name="Nairobi")
    ministry, _ = Organisation.objects.get_or_create(
        code="q-ministry",
        defaults={"name": "Ministry of Gender", "type": OrganisationType.GOVERNMENT},
    )
    cso, _ = Organisation.objects.get_or_create(
        code="q-cso", defaults={"name": "Women's Coalition", "type": OrganisationType.CIVIL_SOCIETY}
    )
    world = World(country, province, ministry, cso)
    for name in ("coordinator", "monitor", "viewer", "outsider"):
        world.users[name] = get_user_model().objects.create_user(
            username=name, email=f"{name}@example.org", password=PASSWORD
        )
    world.users["staff"] = get_user_model().objects.create_user(
        username="staff", email="staff@example.org", password=PASSWORD, is_staff=True
    )
    return world


def branch(plan: Plan, code: str, theme: str) -> FrameworkNode:
    """A pillar of `theme` with one outcome and one output; returns the output."""
    pillar = node_create(plan=plan, code=code, title=f"Pillar {code}", pillar_theme=theme)
    outcome = node_create(plan=plan, code=f"{code}.1", title=f"Outcome {code}", parent=pillar)
    return node_create(plan=plan, code=f"{code}.1.1", title=f"Output {code}", parent=outcome)


def action(
    plan: Plan,
    output: FrameworkNode,
    code: str,
    title: str,
    *,
    responsible: Organisation | None = None,
    end: date | None = None,
    description: str = "",
) -> FrameworkNode:
    return node_create(
        plan=plan,
        code=code,
        title=title,
        parent=output,
        description=description,
        responsible_organisation=responsible,
        planned_end=end,
    )


def budget_line(node: FrameworkNode, allocated: str | None) -> BudgetLine:
    return BudgetLine.objects.create(
        action=node,
        year=2025,
        funding_kind=FundingKind.NATIONAL_BUDGET,
        currency="KES",
        allocated=Decimal(allocated) if allocated is not None else None,
    )


def national(world: World, code: str, **fields: object) -> Plan:
    defaults: dict[str, object] = {
        "title": f"Plan {code}",
        "kind": PlanKind.NATIONAL,
        "area": world.country,
        "start": date(2024, 1, 1),
        "end": date(2027, 12, 31),
        "status": PlanStatus.IMPLEMENTATION,
    }
    defaults.update(fields)
    return plan_create(code=code, **defaults)  # type: ignore[arg-type]


def build_full(world: World, code: str = "q-full") -> Plan:
    """The plan of the hand-computed table in test_criteria.py."""
    plan = national(
        world,
        code,
        document_url="https://example.org/nap.pdf",
        me_description="A steering committee reviews the indicators every quarter.",
        civil_society_roles=["design", "monitoring"],
        alignment_references=["cedaw"],
    )
    par = branch(plan, "PAR", "participation")
    pro = branch(plan, "PRO", "protection")
    pre = branch(plan, "PRE", "prevention")
    rel = branch(plan, "REL", "relief_recovery")
    end = date(2026, 12, 31)
    a1 = action(plan, par, "A1", "Train women candidates", responsible=world.ministry, end=end)
    a2 = action(plan, par, "A2", "Include women in the small arms commission", end=end)
    action(plan, pro, "A3", "Open one-stop centres", responsible=world.ministry)
    a4 = action(
        plan, pre, "A4", "Strengthen community alerts", responsible=world.ministry, end=end,
        description="Community early-warning focal points are trained.",
    )  # fmt: skip
    action(plan, rel, "A5", "Support women's livelihoods", responsible=world.ministry, end=end)
    budget_line(a1, "1000")
    budget_line(a1, "500")  # two lines: still one action with a funding source
    budget_line(a2, None)  # a funding source without money allocated yet
    budget_line(a4, "250")

    pre_outcome = FrameworkNode.objects.get(plan=plan, code="PRE.1")
    par_outcome = FrameworkNode.objects.get(plan=plan, code="PAR.1")
    pro_outcome = FrameworkNode.objects.get(plan=plan, code="PRO.1")
    i1 = indicator_create(
        plan=plan, node=pre_outcome, code="I1", title="Early-warning alerts answered",
        kind=IndicatorKind.NUMBER, time_rule=TimeRule.SUM, scheme=["sex", "age"],
    )  # fmt: skip
    i2 = indicator_create(
        plan=plan, node=par_outcome, code="I2", title="Women in parliament",
        kind=IndicatorKind.PERCENTAGE, time_rule=TimeRule.LAST, scheme=["sex"],
    )  # fmt: skip
    i3 = indicator_create(
        plan=plan, node=a1, code="I3", title="Training held",
        kind=IndicatorKind.YES_NO, time_rule=TimeRule.LAST,
    )  # fmt: skip
    indicator_create(
        plan=plan, node=pro_outcome, code="I4", title="Obstacles met",
        kind=IndicatorKind.NARRATIVE, time_rule=TimeRule.NONE,
    )  # fmt: skip
    # A civil-society organisation's own indicator: never counted in the plan's quality.
    own = indicator_create(
        plan=plan, node=a2, code="CSO-1", title="Early warning seen by women",
        kind=IndicatorKind.NUMBER, time_rule=TimeRule.SUM, scheme=["disability"],
    )  # fmt: skip
    Indicator.objects.filter(pk=own.pk).update(owner_organisation=world.cso)
    baseline_set(indicator=i1, period="2023", value=10)
    target_set(indicator=i1, period="2026", value=40)
    baseline_set(indicator=i2, period="2023", value=12)
    target_set(indicator=i3, period="2025", value=1)
    sdg, _ = GlobalIndicator.objects.get_or_create(
        vocabulary="sdg", code="5.5.1a", defaults={"title": "Seats", "catalogue_version": "t"}
    )
    indicator_references_set(indicator=i2, references=[sdg])
    PlanRole.objects.create(
        user=world.users["monitor"], plan=plan, role=Role.MONITOR, organisation=world.cso
    )
    PlanRole.objects.create(user=world.users["coordinator"], plan=plan, role=Role.COORDINATOR)
    PlanRole.objects.create(user=world.users["viewer"], plan=plan, role=Role.VIEWER)
    # One adopted local plan and one draft: only the adopted one counts.
    for suffix, status in (("nbo", PlanStatus.ADOPTED), ("draft", PlanStatus.DRAFT)):
        plan_create(
            code=f"{code}-{suffix}",
            title=f"Local plan {suffix}",
            kind=PlanKind.LOCAL,
            parent=plan,
            area=world.province,
            start=date(2024, 1, 1),
            end=date(2026, 12, 31),
            status=status,
        )
    return plan


def open_round(plan: Plan) -> ReportingRound:
    return ReportingRound.objects.create(
        plan=plan, period=period_ensure("2025Q1"), deadline=date(2025, 4, 30)
    )


def build_empty(world: World, code: str = "q-empty") -> Plan:
    """A draft national plan with levels and nothing else."""
    return national(world, code, status=PlanStatus.DRAFT)


@pytest.fixture
def world(db: None) -> World:
    return make_world()
