from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from tests.accountability.conftest import Tracker, build_tracker

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.models import BudgetLine


@dataclass
class OversightWorld:
    tracker: Tracker
    court: Organisation
    committee: Organisation
    line: BudgetLine
    users: dict[str, Any]

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.tracker.plan

    @property
    def ministry(self) -> Organisation:
        return self.tracker.cycle.built.ministry

    @property
    def action(self):  # type: ignore[no-untyped-def]
        return self.tracker.cycle.action


@pytest.fixture
def ow(db: None) -> OversightWorld:
    tracker = build_tracker()
    court = Organisation.objects.create(code="court", name="Court of Audit", type="government")
    committee = Organisation.objects.create(
        code="committee", name="Gender committee", type="parliament"
    )
    users = dict(tracker.users)
    for name, role, body in (
        ("auditor", Role.AUDITOR, court),
        ("parliament", Role.PARLIAMENT, committee),
    ):
        users[name] = get_user_model().objects.create_user(username=name, password="x")
        PlanRole.objects.create(user=users[name], plan=tracker.plan, role=role, organisation=body)
    line = BudgetLine.objects.create(
        action=tracker.cycle.action,
        year=2025,
        funding_kind="national_budget",
        currency="USD",
        allocated=Decimal("1000"),
        budget_code="BL-42",
    )
    return OversightWorld(tracker=tracker, court=court, committee=committee, line=line, users=users)


HELD = date(2025, 6, 30)
