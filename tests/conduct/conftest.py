"""A plan with a security institution, a coordinator, two named conduct readers (one of them
civil society) and one user in every other position."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import World, build_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.conduct import services
from wpsmonitor.conduct.models import Allegation
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.directory.models import Organisation

# Planted in the encrypted description: never in the database's own bytes.
MARKER = "PANGOLIN-8812"


@dataclass
class ConductWorld:
    world: World
    police: Organisation
    users: dict[str, User]

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan

    def allegation(self, by: str = "coordinator", **kwargs: object) -> Allegation:
        fields: dict[str, object] = {
            "institution": self.police,
            "category": "police",
            "kind": "abuse",
            "reported_on": date(2025, 3, 14),
            "area": self.world.areas["D11"],
            "victims_child": 1,
            "victims_adult": 0,
            "victims_unknown": 0,
            "perpetrators": 1,
            "description": f"Reported by a nurse at the district clinic. {MARKER}",
        }
        fields.update(kwargs)
        return services.allegation_record(
            by=self.users[by],
            verified=True,
            plan=self.plan,
            **fields,  # type: ignore[arg-type]
        )


def _user(name: str, **kwargs: object) -> User:
    return get_user_model().objects.create_user(username=name, password="x", **kwargs)  # type: ignore[arg-type]


def build_conduct_world() -> ConductWorld:
    world = build_world()
    world.plan.status = PlanStatus.IMPLEMENTATION
    world.plan.save(update_fields=["status"])
    police = Organisation.objects.create(code="police", name="National Police", type="government")
    women = Organisation.objects.create(
        code="women-watch", name="Women's Watch", type="civil_society"
    )
    names = (
        "coordinator",
        "reader",
        "cso_reader",
        "focal",
        "viewer",
        "monitor",
        "org_admin",
        "outsider",
    )
    users = {name: _user(name) for name in names}
    users["admin"] = _user("admin", is_superuser=True, is_staff=True)
    grants = [
        ("coordinator", Role.COORDINATOR, None),
        ("reader", Role.FOCAL_POINT, police),
        ("cso_reader", Role.MONITOR, women),
        ("focal", Role.FOCAL_POINT, police),
        ("viewer", Role.VIEWER, None),
        ("monitor", Role.MONITOR, women),
        ("org_admin", Role.ORGANISATION_ADMIN, women),
    ]
    for name, role, organisation in grants:
        PlanRole.objects.create(
            user=users[name], plan=world.plan, role=role, organisation=organisation
        )
    for name in ("reader", "cso_reader"):
        services.conduct_reader_name(by=users["coordinator"], plan=world.plan, user=users[name])
    return ConductWorld(world=world, police=police, users=users)


@pytest.fixture
def cw(db: None) -> ConductWorld:
    return build_conduct_world()
