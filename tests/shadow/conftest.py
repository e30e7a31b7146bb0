"""A reporting cycle with shadow monitoring on it: the monitor's organisation has a published
indicator of its own (with a published figure) and a draft one, and has scored an action.

Built through the services, as the monitors would: nothing here writes rows they would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tests.reporting.conftest import Cycle, build_cycle
from tests.reporting.helpers import field, save

from wpsmonitor.indicators.models import Indicator, IndicatorKind
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.reporting import services
from wpsmonitor.reporting.models import Submission


@dataclass
class Shadow:
    cycle: Cycle
    published: Indicator  # CSO-PUB, published, with a published figure of 3
    draft: Indicator  # CSO-DRAFT, a draft
    submission: Submission  # the monitor's published submission


def assess(cycle: Cycle, submission: Submission, action: FrameworkNode, value: str, text: str):  # type: ignore[no-untyped-def]
    return save(
        cycle.users["monitor"],
        submission,
        {f"aa-{action.pk}": value, f"an-{action.pk}": text},
    )


def build_shadow() -> Shadow:
    cycle = build_cycle()
    monitor = cycle.users["monitor"]
    node = FrameworkNode.objects.get(plan=cycle.plan, code="P1.O1")
    published = services.own_indicator_create(
        by=monitor,
        plan=cycle.plan,
        organisation=cycle.built.cso,
        node=node,
        code="CSO-PUB",
        title="Women consulted on the plan",
        kind=IndicatorKind.NUMBER,
        unit="women",
        frequency="quarter",
    )
    services.own_indicator_publish(by=monitor, indicator=published)
    draft = services.own_indicator_create(
        by=monitor,
        plan=cycle.plan,
        organisation=cycle.built.cso,
        node=node,
        code="CSO-DRAFT",
        title="Secret draft indicator",
        kind=IndicatorKind.YES_NO,
        frequency="quarter",
    )
    submission = services.submission_start(
        by=monitor,
        round_=cycle.round,
        organisation=cycle.built.cso,
        area=cycle.plan.area,
        civil_society=True,
    )
    assert save(monitor, submission, {field(published, "total"): "3"}).ok
    assert assess(cycle, submission, cycle.action, "not_implemented", "Nothing was done.").ok
    assert services.submission_submit(by=monitor, submission=submission).ok
    return Shadow(cycle, published, draft, submission)


@pytest.fixture
def cycle(db: None) -> Cycle:
    return build_cycle()


@pytest.fixture
def shadow(db: None) -> Shadow:
    return build_shadow()
