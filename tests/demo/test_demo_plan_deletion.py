"""Every demo plan can be deleted on its own, with everything under it, in one delete: no
PROTECT link under a plan stands in the way (tests/test_plan_deletion_rule.py states the rule;
this test loads what the full demo makes and deletes it plan by plan: each plan in one
operation, with the disaggregation schemes made of its own dimensions, plan_delete_whole)."""

from __future__ import annotations

import pytest

from wpsmonitor.demo.builder import DEMO_PLAN_CODES, demo_exists, demo_load, plan_delete_whole
from wpsmonitor.indicators.models import (
    DataValue,
    Dimension,
    DimensionOption,
    DisaggregationScheme,
    Indicator,
)
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.publishing.models import Release
from wpsmonitor.reports.models import GeneratedReport
from wpsmonitor.security.models import SecurityInstitution

PASSWORD = "demo-secret-42"


@pytest.mark.django_db
def test_every_demo_plan_is_deleted_in_one_delete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", PASSWORD)
    assert demo_load(spanish=True, stories=True, moving_in=True) is not None
    plans = list(Plan.objects.filter(code__in=DEMO_PLAN_CODES))
    # What made the PROTECT links bite is there: releases and the reports that read them, a
    # package adopted on a node, options under a parent option, share indicators.
    assert Release.objects.exists() and GeneratedReport.objects.exists()
    assert SecurityInstitution.objects.exists()
    assert DimensionOption.objects.filter(dimension__plan__in=plans).exclude(parent=None)
    assert Indicator.objects.filter(plan__in=plans).exclude(share_of=None).exists()

    schemes = DisaggregationScheme.objects.filter(schemedimension__dimension__plan__in=plans)
    assert schemes.exists()
    # Local plans first: a national plan is not deleted while local plans derive from it.
    for plan in sorted(plans, key=lambda p: p.parent_id is None):
        plan_delete_whole(plan)

    assert not demo_exists()
    assert not FrameworkNode.objects.exists() and not Indicator.objects.exists()
    assert not DataValue.objects.exists() and not Release.objects.exists()
    assert not Dimension.objects.exclude(plan=None).exists() and not schemes.exists()


@pytest.mark.django_db
def test_a_national_plan_is_not_deleted_while_a_local_plan_derives_from_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db.models import ProtectedError

    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", PASSWORD)
    demo_load(rebuild=False, reports=False)
    local = Plan.objects.filter(code__in=DEMO_PLAN_CODES).exclude(parent=None).first()
    assert local is not None
    with pytest.raises(ProtectedError):
        local.parent.delete()
    assert Plan.objects.filter(pk=local.parent_id).exists()
