"""The demo's integration point: an audit with three findings and a hearing with two
commitments, fictitious and labelled, through the services, by an auditor and a parliamentary
user; loaded once."""

from __future__ import annotations

import pytest
from tests.oversight.conftest import OversightWorld

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.models import PlanRole
from wpsmonitor.demo.oversight import oversight_load
from wpsmonitor.oversight.models import Audit, AuditFinding, Commitment, Hearing

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once(ow: OversightWorld) -> None:
    rows = oversight_load(ow.plan)
    assert rows == 1 + 3 * 2 + 1 + 2 * 2
    audit = Audit.objects.get(plan=ow.plan, title__startswith="Demo (fictitious)")
    assert AuditFinding.objects.filter(audit=audit).count() == 3
    assert sorted(AuditFinding.objects.values_list("severity", flat=True)) == [
        "high",
        "low",
        "medium",
    ]
    hearing = Hearing.objects.get(plan=ow.plan)
    assert hearing.title.startswith("Demo (fictitious)")
    assert Commitment.objects.filter(hearing=hearing).count() == 2
    assert Recommendation.objects.filter(plan=ow.plan, source="audit").count() == 3
    assert Recommendation.objects.filter(plan=ow.plan, source="parliament").count() == 2
    roles = set(PlanRole.objects.filter(plan=ow.plan).values_list("user__username", "role"))
    assert {("auditor", "auditor"), ("parliament", "parliament")} <= roles
    assert audit.created_by is not None and audit.created_by.username == "auditor"
    assert oversight_load(ow.plan) == 0
