"""A plan with a women's organisation that reports signals through its intake link, a ministry
they are referred to, and one user in every position."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import World, build_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.earlywarning import services
from wpsmonitor.earlywarning.models import IntakeToken, Signal

# Planted in every description: it must never be found in the database's own bytes, nor on a
# page of a reader who reads the signal coarsely.
MARKER = "ZEBRA-4410"


@dataclass
class WarningWorld:
    world: World
    women: Organisation  # reports signals through its link
    ministry: Organisation  # signals are referred to it
    users: dict[str, User]
    token: IntakeToken
    key: str  # the link's secret

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan

    def intake_url(self, key: str | None = None) -> str:
        return f"/plans/{self.plan.code}/early-warning/report/{key or self.key}/"

    def receive(self, **kwargs: object) -> Signal:
        fields: dict[str, object] = {
            "category": "movement_restricted",
            "area": self.world.areas["D11"],
            "observed_on": date(2025, 3, 14),
            "severity": "high",
            "source_type": "womens_group",
            "description": f"Checkpoints stopped women going to the market. {MARKER}",
        }
        fields.update(kwargs)
        return services.signal_receive(token=self.token, **fields)  # type: ignore[arg-type]

    def acknowledged(self) -> Signal:
        return services.signal_acknowledge(by=self.users["coordinator"], signal=self.receive())

    def referred(self) -> Signal:
        return services.signal_refer(
            by=self.users["coordinator"], signal=self.acknowledged(), to=self.ministry
        )


def _user(name: str, **kwargs: object) -> User:
    return get_user_model().objects.create_user(username=name, password="x", **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def ww(db: None) -> WarningWorld:
    world = build_world()
    # Adopted: anyone may open the plan, so an outsider meets the signals' own rule (403), not
    # the hidden draft's 404.
    world.plan.status = "adopted"
    world.plan.save(update_fields=["status"])
    women = Organisation.objects.create(
        code="women-watch", name="Women's Watch", type="civil_society", women_led=True
    )
    other = Organisation.objects.create(code="peace-net", name="Peace Net", type="civil_society")
    ministry = Organisation.objects.create(code="min-interior", name="Ministry", type="government")
    users = {
        name: _user(name)
        for name in ("coordinator", "monitor", "other_monitor", "focal", "viewer", "outsider")
    }
    users["admin"] = _user("admin", is_superuser=True, is_staff=True)
    grants = [
        ("coordinator", Role.COORDINATOR, None),
        ("monitor", Role.MONITOR, women),
        ("other_monitor", Role.MONITOR, other),
        ("focal", Role.FOCAL_POINT, ministry),
        ("viewer", Role.VIEWER, None),
    ]
    for name, role, organisation in grants:
        PlanRole.objects.create(
            user=users[name], plan=world.plan, role=role, organisation=organisation
        )
    token, key = services.intake_token_issue(
        by=users["coordinator"], plan=world.plan, organisation=women, label="Field office"
    )
    return WarningWorld(
        world=world, women=women, ministry=ministry, users=users, token=token, key=key
    )
