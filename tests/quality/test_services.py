"""The plan fields the scorecard reads, through plan_create, plan_update and the rights check."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.plans.models import PlanKind
from wpsmonitor.plans.services import plan_create, plan_quality_fields_set, plan_update

from .conftest import World, build_full, national


def test_fields_are_cleaned(world: World) -> None:
    plan = national(
        world,
        "q-clean",
        me_description="  Reviewed yearly. ",
        civil_society_roles=[" Monitoring", "design", "design", ""],
        alignment_references=["SDG"],
    )
    assert plan.me_description == "Reviewed yearly."
    assert plan.civil_society_roles == ["design", "monitoring"]
    assert plan.alignment_references == ["sdg"]
    plan_update(plan=plan, civil_society_roles=[])
    plan.refresh_from_db()
    assert plan.civil_society_roles == []


def test_unknown_codes_are_named(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        national(world, "q-bad", alignment_references=["cedaw", "au", "upr"])
    assert raised.value.messages == ["Unknown alignment framework au, upr; use cedaw, sdg."]


def test_compare_is_a_reserved_code(world: World) -> None:
    with pytest.raises(ValidationError, match="reserved"):
        plan_create(
            code="compare", title="Compare", kind=PlanKind.NATIONAL, area=world.country,
            start=date(2024, 1, 1), end=date(2025, 1, 1),
        )  # fmt: skip


def test_quality_fields_set_checks_rights_and_fields(world: World) -> None:
    plan = build_full(world)
    viewer = PlanAccess.load(world.users["viewer"], plan)
    with pytest.raises(PermissionDenied):
        plan_quality_fields_set(access=viewer, me_description="x")
    coordinator = PlanAccess.load(world.users["coordinator"], plan)
    with pytest.raises(ValidationError, match="Cannot change title"):
        plan_quality_fields_set(access=coordinator, title="Renamed")
    updated = plan_quality_fields_set(access=coordinator, alignment_references=["sdg"])
    assert updated.alignment_references == ["sdg"]
    assert updated.civil_society_roles == ["design", "monitoring"]  # untouched


def test_the_admin_refuses_unknown_codes(world: World) -> None:
    plan = national(world, "q-admin")
    plan.civil_society_roles = ["lobbying"]
    with pytest.raises(ValidationError) as raised:
        plan.full_clean()
    assert raised.value.message_dict["civil_society_roles"] == [
        "Give a list of codes among: design, implementation, monitoring."
    ]
    plan.civil_society_roles = ["design"]
    plan.alignment_references = "cedaw"  # not a list
    with pytest.raises(ValidationError, match="cedaw, sdg"):
        plan.full_clean()
