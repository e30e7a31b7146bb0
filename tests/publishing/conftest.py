"""A small plan for the release tests: the computation tests' world (N > P1 > D11, D12;
N > P2 > D21), an adopted plan, a sensitive count of survivors by sex per district and quarter,
a public count, a restricted one, and civil society's account of the sensitive count."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from tests.aggregation.conftest import CSO, World, build_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.vocabulary import PlanStatus, Sensitivity
from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.indicators.models import Indicator

PASSWORD = "a-long-test-password-9"

# Survivors by sex, 2025Q1 and 2025Q2, per district: small counts in D11 and D21 (F).
SURVIVORS = {
    ("2025Q1", "D11"): {"F": 2, "M": 7},
    ("2025Q1", "D12"): {"F": 8, "M": 9},
    ("2025Q1", "D21"): {"F": 6, "M": 12},
    ("2025Q2", "D11"): {"F": 11, "M": 6},
    ("2025Q2", "D12"): {"F": 9, "M": 10},
    ("2025Q2", "D21"): {"F": 3, "M": 15},
}


@dataclass
class ReleaseWorld:
    world: World
    survivors: Indicator
    meetings: Indicator
    restricted: Indicator
    coordinator: User
    focal_point: User
    monitor: User

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.world.plan


def _user(name: str) -> User:
    return get_user_model().objects.create_user(
        username=name, email=f"{name}@example.org", password=PASSWORD
    )


@pytest.fixture
def rw(db: None) -> ReleaseWorld:
    world = build_world()
    plan = world.plan
    plan.status = PlanStatus.IMPLEMENTATION
    plan.save(update_fields=["status"])
    survivors = world.indicator(
        "PRO-01", scheme=["sex"], unit="survivors", sensitivity=Sensitivity.SENSITIVE
    )
    meetings = world.indicator("PA-01", unit="meetings")
    restricted = world.indicator("PRO-09", unit="defenders", sensitivity=Sensitivity.RESTRICTED)
    for (period, area), by_sex in SURVIVORS.items():
        for sex, value in by_sex.items():
            world.value(survivors, period, area, value, cell=f"sex={sex}")
            # Civil society counted one more survivor of each sex everywhere.
            world.value(survivors, period, area, value + 1, cell=f"sex={sex}", source=CSO)
        world.value(meetings, period, area, 2)
        world.value(restricted, period, area, 4)
    world.rebuild()
    police = Organisation.objects.create(
        code="police", name="Police", type=OrganisationType.SECURITY
    )
    watch = Organisation.objects.create(
        code="watch", name="Women's watch", type=OrganisationType.CIVIL_SOCIETY
    )
    coordinator, focal, monitor = _user("coord"), _user("focal"), _user("monitor")
    PlanRole.objects.create(user=coordinator, plan=plan, role=Role.COORDINATOR)
    PlanRole.objects.create(user=focal, plan=plan, role=Role.FOCAL_POINT, organisation=police)
    PlanRole.objects.create(user=monitor, plan=plan, role=Role.MONITOR, organisation=watch)
    return ReleaseWorld(world, survivors, meetings, restricted, coordinator, focal, monitor)
