"""A public plan (tests/aggregation's world: pillars PA, PR; outcomes O1, O2 under PA, O3 under
PR) with a coordinator, a viewer and an outsider, a mid-term review, and two indicators:
IND-A (a yearly count with targets 2024: 100, 2025: 200) and IND-B (a count with a figure in
2024, the one a revision drops)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import World, build_world

from wpsmonitor.accountability.models import Review
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.vocabulary import PlanStatus
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.indicators.services import target_set


@dataclass
class RevisionWorld:
    world: World
    users: dict[str, User]
    review: Review
    a: Indicator
    b: Indicator

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan

    def access(self, name: str = "coordinator") -> PlanAccess:
        return PlanAccess.load(self.users[name], self.plan)


def build_revision_world() -> RevisionWorld:
    world = build_world()
    world.plan.status = PlanStatus.IMPLEMENTATION
    world.plan.save(update_fields=["status"])
    users = {
        n: get_user_model().objects.create_user(username=n, password="x")
        for n in ("coordinator", "viewer", "outsider")
    }
    PlanRole.objects.create(user=users["coordinator"], plan=world.plan, role=Role.COORDINATOR)
    PlanRole.objects.create(user=users["viewer"], plan=world.plan, role=Role.VIEWER)
    review = Review.objects.create(
        plan=world.plan, kind="midterm", title="Mid-term review", held_on=date(2025, 6, 30)
    )
    a = world.indicator("IND-A", time_rule="sum", frequency="year")
    b = world.indicator("IND-B", time_rule="sum", frequency="year", node="O2")
    target_set(indicator=a, period="2024", value=100)
    target_set(indicator=a, period="2025", value=200)
    return RevisionWorld(world=world, users=users, review=review, a=a, b=b)


@pytest.fixture
def rw(db: None) -> RevisionWorld:
    return build_revision_world()
