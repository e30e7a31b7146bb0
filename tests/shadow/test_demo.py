"""The demo's coalition: striking divergences, published and draft civil-society indicators,
all through the publish path."""

from __future__ import annotations

import pytest
from django.test import Client

from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_load
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.models import Submission, SubmissionStatus
from wpsmonitor.shadow.divergence import plan_divergences
from wpsmonitor.shadow.selectors import action_comparisons

pytestmark = pytest.mark.django_db


def test_the_demo_coalition_shadows_the_national_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", "demo-secret-42")
    assert demo_load(rebuild=False) is not None
    nap = Plan.objects.get(code=content.NAP_CODE)
    rebuild_plan_aggregates(nap)
    shadow = Submission.objects.filter(round__plan=nap, round__period__code="2025Q4")
    assert {s.organisation.code for s in shadow} == {"demo-cfpl", "demo-rfpk"}
    assert {s.status for s in shadow} == {SubmissionStatus.PUBLISHED}
    # The ministry's 34 % against the 12 % CFPL measured, in both provinces: 22 points.
    pro06 = [d for d in plan_divergences(nap, "2025Q4") if d.indicator.code == "PRO-06"]
    assert sorted((d.area.code, d.government, d.civil_society) for d in pro06) == [
        ("CD-NK", 34.0, 12.0),
        ("CD-SK", 34.0, 12.0),
    ]
    # Completed on the plan, not implemented for CFPL: the widest gap comes first.
    first = action_comparisons(nap)[0]
    assert (first.action.code, first.government.status, first.widest) == (
        "PRO.2.1.1",
        "completed",
        2,
    )
    own = {i.code: i for i in Indicator.objects.filter(plan=nap, owner_organisation__isnull=False)}
    assert {c for c, i in own.items() if i.published_at} == {"CSO-CFPL-1", "CSO-RFPK-1"}
    assert own["CSO-CFPL-2"].published_at is None
    assert own["CSO-RFPK-1"].values.count() == 2 and not own["CSO-CFPL-2"].values.exists()
    # The draft stays CFPL's: the public page of it is a 404, the published one's is not.
    assert Client().get(f"/plans/{nap.code}/indicators/CSO-CFPL-2/").status_code == 404
    assert Client().get(f"/plans/{nap.code}/indicators/CSO-RFPK-1/").status_code == 200
