"""The demo publishes two releases of the national plan, the second correcting the first
(docs/publishing.md, "The demo's releases")."""

from __future__ import annotations

import pytest
from django.test import Client

from wpsmonitor.demo import content
from wpsmonitor.demo.builder import demo_delete, demo_load
from wpsmonitor.demo.releases import CORRECTED
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, DataValue
from wpsmonitor.publishing.models import DisclosureAuditEntry, Release, ReleaseFigure
from wpsmonitor.reporting.models import Submission
from wpsmonitor.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db


def test_the_national_plan_has_two_published_releases_the_second_correcting_the_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", "demo-secret-42")
    summary = demo_load()
    assert summary is not None and summary.releases == 2
    first, second = Release.objects.filter(plan__code=content.NAP_CODE).order_by("number")
    assert (first.number, first.status) == (1, "published")
    assert (second.number, second.status) == (2, "published")
    assert second.previous_id == first.pk
    # The board co-signs: both accompany its published, co-signed report.
    assert first.board_report is not None and first.board_report.status == "published"
    assert second.board_report_id == first.board_report_id
    # The correction went through an approved police submission, into the fact table.
    code, period, area, cell = CORRECTED
    submission = Submission.objects.get(
        round__plan__code=content.NAP_CODE,
        round__period__code=period,
        organisation__code="demo-pnc",
        area__code=area,
    )
    assert submission.status == "approved"
    assert submission.round.status == "closed"  # reopened for the correction, closed again
    value = DataValue.objects.get(
        indicator__plan__code=content.NAP_CODE,
        indicator__code=code,
        period__code=period,
        area__code=area,
        cell__code=cell,
        source__code=GOVERNMENT_SOURCE,
    )
    assert value.batch is not None and value.batch.kind == "submission"
    # The change log shows it: Kinshasa's 2025Q4 total went down by two.
    assert "Compared with release 1" in second.change_log
    assert f"{code} · {area} · {period} · total:" in second.change_log
    assert second.changed > 0 and second.newly_suppressed == 0
    # Suppressed cells are there as such: a flag, no value, in both releases; release 2 keeps
    # release 1's suppressions (the same cells, nothing recoverable by comparing them).
    for release in (first, second):
        hidden = ReleaseFigure.objects.filter(release=release).exclude(flag="")
        assert hidden.filter(flag="primary").exists()
        assert hidden.filter(flag="secondary").exists()
        assert not hidden.filter(value__isnull=False).exists()
        assert not DisclosureAuditEntry.objects.filter(
            release=release, problem=True, resolved=False
        ).exists()
    assert DisclosureAuditEntry.objects.filter(release=second, rule="kept").exists()

    def hidden_keys(release: Release) -> set[tuple[int, int, str, str, int]]:
        return set(
            ReleaseFigure.objects.filter(release=release)
            .exclude(flag="")
            .values_list("indicator_id", "source_id", "period_code", "cell_key", "area_id")
        )

    assert hidden_keys(first) <= hidden_keys(second)
    # Its open data: the SDMX-CSV of release 2 carries the demo's two SDG series (women's
    # seats in parliament and in local government), government and civil society apart.
    response = Client().get(f"/plans/{content.NAP_CODE}/releases/2/download/sdmx/")
    assert response.status_code == 200
    sdmx = b"".join(response.streaming_content).decode()
    assert "SG_GEN_PARL" in sdmx and "SG_GEN_LOCGELS" in sdmx


def test_the_full_demo_is_deleted_with_its_releases_and_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WPSMONITOR_DEMO_PASSWORD", "demo-secret-42")
    demo_load()
    assert Release.objects.exists() and GeneratedReport.objects.exists()
    # `wpsmonitor demo --reset` starts here: releases and reports must not hold the plans.
    assert demo_delete() > 0
    assert not Release.objects.exists() and not ReleaseFigure.objects.exists()
    assert not GeneratedReport.objects.exists()
