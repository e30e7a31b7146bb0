"""`demo_load(reports=False)`: the demo without its standard reports, for the tests that read
none (each load saves the reports' build and three files apiece)."""

from __future__ import annotations

import pytest

from wpsmonitor.demo.builder import demo_load
from wpsmonitor.publishing.models import Release
from wpsmonitor.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db


def test_the_demo_without_its_standard_reports_still_publishes_its_releases() -> None:
    summary = demo_load(reports=False)
    assert summary is not None and summary.reports == 0 and summary.releases == 2
    assert not GeneratedReport.objects.exists()
    assert Release.objects.filter(plan__code="demo-cod-nap3").count() == 2
