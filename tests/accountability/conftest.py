"""A reporting-cycle plan (users in every role) with recommendations in known states, built
through the services, so the summary can be checked by hand:

| rec | source  | addressees       | nodes              | due    | status      |
|-----|---------|------------------|--------------------|--------|-------------|
| r1  | cedaw   | ministry, police | P1, P2             | past   | fully       |
| r2  | upr     | ministry         | P1.O1              | past   | in_progress |
| r3  | shadow  | police           | P2                 | future | not_started |
| r4  | midterm | ministry         | P1, P1.O1.1.A1     | past   | rejected    |

Women's Network (the monitor's) published "partly" on r1 (disagrees) and keeps a draft on r2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone
from tests.reporting.conftest import Cycle, build_cycle

from wpsmonitor.accountability import services
from wpsmonitor.accountability.models import Assessment, Recommendation, Review
from wpsmonitor.plans.models import FrameworkNode


@dataclass
class Tracker:
    cycle: Cycle
    recs: dict[str, Recommendation]
    draft: Assessment
    published: Assessment
    review: Review

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.cycle.plan

    @property
    def users(self):  # type: ignore[no-untyped-def]
        return self.cycle.users


def build_tracker() -> Tracker:
    cycle = build_cycle()
    plan = cycle.plan
    u = cycle.users
    coordinator = u["coordinator"]
    ministry, police = cycle.built.ministry, cycle.police
    node = {n.code: n for n in FrameworkNode.objects.filter(plan=plan)}
    past = timezone.localdate() - timedelta(days=30)
    future = timezone.localdate() + timedelta(days=300)
    issued = date(2024, 1, 15)

    def rec(source: str, orgs: list, nodes: list[str], due: date) -> Recommendation:  # type: ignore[type-arg]
        return services.recommendation_create(
            by=coordinator,
            plan=plan,
            source=source,
            issued_on=issued,
            text=f"Recommendation from {source}",
            addressees=orgs,
            nodes=[node[c] for c in nodes],
            due_on=due,
        )

    r1 = rec("cedaw", [ministry, police], ["P1", "P2"], past)
    r2 = rec("upr", [ministry], ["P1.O1"], past)
    r3 = rec("cso_shadow_report", [police], ["P2"], future)
    review = services.review_create(
        by=coordinator, plan=plan, kind="midterm", title="Mid-term review", held_on=issued
    )
    finding = services.finding_add(by=coordinator, review=review, text="Shelters are too few.")
    r4 = services.recommendation_from_finding(
        by=coordinator,
        finding=finding,
        text="Open shelters in every province.",
        addressees=[ministry],
        nodes=[node["P1"], node["P1.O1.1.A1"]],
        due_on=past,
    )
    services.response_add(
        by=u["focal"], recommendation=r1, organisation=ministry, text="Law passed.", status="fully"
    )
    services.response_add(
        by=u["focal"], recommendation=r2, organisation=ministry, text="Begun.", status="in_progress"
    )
    services.recommendation_status_set(
        by=coordinator, recommendation=r4, status="rejected", note="No budget."
    )
    services.decision_record(
        by=coordinator,
        recommendation=r4,
        organisation=ministry,
        text="Shelters postponed to the next plan.",
        decided_on=issued,
    )
    cso = cycle.built.cso
    published = services.assessment_save(
        by=u["monitor"],
        recommendation=r1,
        organisation=cso,
        status="partly",
        comment="The law is not applied.",
        publish=True,
    )
    draft = services.assessment_save(
        by=u["monitor"],
        recommendation=r2,
        organisation=cso,
        status="not_started",
        comment="SECRET DRAFT nothing seen on the ground",
    )
    for r in (r1, r2, r3, r4):
        r.refresh_from_db()
    return Tracker(cycle, {"r1": r1, "r2": r2, "r3": r3, "r4": r4}, draft, published, review)


@pytest.fixture
def tracker(db: None) -> Tracker:
    return build_tracker()
