"""A public plan of the DR Congo (provinces the shipped boundaries know) with security
institutions, desks, allegations and a peace process: the public security and peace pages'
world (tests/portal/test_public_security_peace.py, tests/browser/test_public_security_peace.py).

Planted: a desk's 4817 cases received and 4811 referred (never published), 2 allegations
against police personnel (published: "fewer than 5"), 7 against military personnel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.conduct import services as conduct
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.directory.models import Organisation
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.services import reference_data_ensure
from wpsmonitor.peace import services as peace
from wpsmonitor.plans.models import Plan, PlanKind
from wpsmonitor.plans.services import node_create, plan_create
from wpsmonitor.security import services as security

PLAN = "nap-secpeace"
CASES_RECEIVED = 4817
CASES_REFERRED = 4811


@dataclass
class SecurityPeaceWorld:
    plan: Plan
    coordinator: User


def build_security_peace_world(*, with_data: bool = True) -> SecurityPeaceWorld:
    reference_data_ensure()
    country = area_country_ensure("COD")
    areas = {
        code: area_subdivision_ensure(parent=country, code=code)
        for code in ("CD-KN", "CD-NK", "CD-SK")
    }
    plan = plan_create(
        code=PLAN,
        title="Security and peace test plan",
        kind=PlanKind.NATIONAL,
        area=country,
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
    )
    plan.status = PlanStatus.IMPLEMENTATION
    plan.save(update_fields=["status"])
    node = node_create(plan=plan, code="PR", title="Protection")
    coordinator = get_user_model().objects.create_user(
        username="sp-coord", email="sp-coord@example.org", password="a-long-test-password-9"
    )
    PlanRole.objects.create(user=coordinator, plan=plan, role=Role.COORDINATOR)
    built = SecurityPeaceWorld(plan=plan, coordinator=coordinator)
    if not with_data:
        return built
    police = Organisation.objects.create(code="pnc-sp", name="National Police", type="government")
    army = Organisation.objects.create(code="fardc-sp", name="Armed Forces", type="government")
    pnc = security.institution_create(
        by=coordinator, plan=plan, code="PNC", kind="police", organisation=police
    )
    security.institution_create(
        by=coordinator, plan=plan, code="FARDC", kind="army", organisation=army
    )
    security.package_adopt(by=coordinator, institution=pnc, node=node)
    opened = date(2025, 1, 1)
    for name, area, status in (
        ("Goma", "CD-NK", "open"),
        ("Rutshuru", "CD-NK", "open"),
        ("Bukavu", "CD-SK", "planned"),
    ):
        desk = security.desk_record(
            by=coordinator,
            institution=pnc,
            name=name,
            area=areas[area],
            status=status,
            opened_on=opened if status == "open" else None,
        )
        if name == "Goma":
            security.desk_cases_record(
                by=coordinator,
                desk=desk,
                period="2025",
                received=CASES_RECEIVED,
                referred=CASES_REFERRED,
            )
    for category, kind, n in (("military", "exploitation", 7), ("police", "abuse", 2)):
        for _ in range(n):
            conduct.allegation_record(
                by=coordinator,
                verified=True,
                plan=plan,
                institution=police,
                category=category,
                kind=kind,
                reported_on=date(2025, 4, 2),
            )
    process = peace.process_record(
        by=coordinator,
        plan=plan,
        name="Nairobi process",
        level="national",
        status="ongoing",
        started_on=date(2024, 1, 1),
        mediators="East African Community",
    )
    for number, day, women, men in ((1, date(2024, 3, 1), 1, 9), (2, date(2025, 3, 1), 3, 7)):
        round_ = peace.round_record(by=coordinator, process=process, number=number, started_on=day)
        peace.delegation_record(
            by=coordinator,
            round=round_,
            party="Government",
            seats={("negotiator", "women"): women, ("negotiator", "men"): men},
        )
    peace.consultation_record(
        by=coordinator,
        process=process,
        held_on=date(2025, 2, 1),
        stage="before",
        method="meeting",
        organisations_consulted=12,
        womens_organisations=8,
        asked="A private note on what was asked.",
        in_outcome="yes",
    )
    return built
