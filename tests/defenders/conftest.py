"""A plan with two women's organisations keeping registers of incidents, and one user in
every position."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import World, build_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.defenders import services
from wpsmonitor.defenders.models import Incident
from wpsmonitor.directory.models import Organisation

# Planted in every encrypted field: it must never be found in the database's own bytes, nor on
# any page but the holder's.
MARKER = "OKAPI-5519"


@dataclass
class RegisterWorld:
    world: World
    women: Organisation  # the civil-society organisation that holds the incidents
    others: Organisation  # another civil-society organisation on the plan
    ministry: Organisation
    users: dict[str, User]

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan

    def incident(self, by: str = "monitor", **kwargs: object) -> Incident:
        fields: dict[str, object] = {
            "kind": "threat",
            "occurred_on": date(2025, 3, 14),
            "area": self.world.areas["D11"],
            "perpetrator": "armed_group",
            "description": f"Threats by telephone to the director. {MARKER}",
            "follow_up": f"Reported to the police. {MARKER}",
            "protection_measures": f"Relocation for two weeks. {MARKER}",
        }
        fields.update(kwargs)
        holder = fields.pop("holder", self.women)
        return services.incident_record(
            by=self.users[by],
            plan=self.plan,
            holder=holder,  # type: ignore[arg-type]
            **fields,  # type: ignore[arg-type]
        )


def _user(name: str, **kwargs: object) -> User:
    return get_user_model().objects.create_user(username=name, password="x", **kwargs)  # type: ignore[arg-type]


def build_register_world(
    prefix: str = "", code: str = "nap-test", country: str = "SEN"
) -> RegisterWorld:
    """The world; `prefix` names its users apart from another world's in the same database."""
    world = build_world(code=code, country=country)
    world.plan.status = PlanStatus.IMPLEMENTATION
    world.plan.save(update_fields=["status"])
    women = Organisation.objects.create(
        code="women-watch", name="Women's Watch", type="civil_society", women_led=True
    )
    others = Organisation.objects.create(
        code="peace-sisters", name="Peace Sisters", type="civil_society"
    )
    ministry = Organisation.objects.create(code="min-gender", name="Ministry", type="government")
    names = ("monitor", "second", "other", "coordinator", "focal", "viewer", "outsider")
    users = {name: _user(prefix + name) for name in names}
    users["admin"] = _user(prefix + "admin", is_superuser=True, is_staff=True)
    grants = [
        ("monitor", Role.MONITOR, women),
        ("second", Role.ORGANISATION_ADMIN, women),
        ("other", Role.MONITOR, others),
        ("coordinator", Role.COORDINATOR, None),
        ("focal", Role.FOCAL_POINT, ministry),
        ("viewer", Role.VIEWER, None),
    ]
    for name, role, organisation in grants:
        PlanRole.objects.create(
            user=users[name], plan=world.plan, role=role, organisation=organisation
        )
    return RegisterWorld(world=world, women=women, others=others, ministry=ministry, users=users)


@pytest.fixture
def rw(db: None) -> RegisterWorld:
    return build_register_world()
