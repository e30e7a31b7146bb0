"""A plan with a police institution, one user in every position."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import World, build_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.directory.models import Organisation
from wpsmonitor.security import services
from wpsmonitor.security.models import SecurityInstitution


@dataclass
class SecurityWorld:
    world: World
    police: Organisation
    army: Organisation
    users: dict[str, User]

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan

    def institution(self, code: str = "PNC", kind: str = "police") -> SecurityInstitution:
        return services.institution_create(
            by=self.users["coordinator"],
            plan=self.plan,
            code=code,
            kind=kind,
            organisation=self.police if kind == "police" else self.army,
        )


def _user(name: str, **kwargs: object) -> User:
    return get_user_model().objects.create_user(username=name, password="x", **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def sw(db: None) -> SecurityWorld:
    world = build_world()
    world.plan.status = PlanStatus.IMPLEMENTATION
    world.plan.save(update_fields=["status"])
    police = Organisation.objects.create(code="pnc", name="National Police", type="government")
    army = Organisation.objects.create(code="fardc", name="Armed Forces", type="government")
    names = ("coordinator", "police_focal", "police_focal_p2", "army_focal", "viewer", "outsider")
    users = {name: _user(name) for name in names}
    users["admin"] = _user("admin", is_superuser=True, is_staff=True)
    grants = [
        ("coordinator", Role.COORDINATOR, None, None),
        ("police_focal", Role.FOCAL_POINT, police, "P1"),
        ("police_focal_p2", Role.FOCAL_POINT, police, "P2"),
        ("army_focal", Role.FOCAL_POINT, army, None),
        ("viewer", Role.VIEWER, None, None),
    ]
    for name, role, organisation, area in grants:
        PlanRole.objects.create(
            user=users[name],
            plan=world.plan,
            role=role,
            organisation=organisation,
            area=world.areas[area] if area else None,
        )
    return SecurityWorld(world=world, police=police, army=army, users=users)
