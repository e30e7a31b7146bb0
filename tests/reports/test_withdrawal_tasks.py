"""A consent withdrawn after a published report used the story leaves a task on the plan's
coordinators' "What to do now" (stories.models.WithdrawalNotice; docs/stories.md, "In the
report and on the portal"): it names the report and the story, links to the report, and is
done once the report is generated again or kept as published (who and when recorded); only
the coordinators see it or mark it done."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.reports.cycle import generate
from tests.reports.test_sections_stories import World

from wpsmonitor.reports import services as reports
from wpsmonitor.reports.models import GeneratedReport
from wpsmonitor.stories import services as stories
from wpsmonitor.stories.models import WithdrawalNotice

pytestmark = pytest.mark.django_db

HOME = reverse("portal:tasks")
HEADING = "Published reports that print a story whose consent was withdrawn"


@pytest.fixture
def w(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    return World()


def _home(client: Client, user: Any) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def _withdrawn_after_publication(w: World, capture: Any) -> tuple[GeneratedReport, Any]:
    story, consent = w.story()
    report = generate(w.cycle, capture)
    reports.report_publish(by=w.users["coordinator"], report=report)
    generate(w.cycle, capture, version="internal")  # never published: no task
    with capture(execute=True):
        stories.consent_withdraw(by=w.collector, consent=consent)
    return report, story


def test_the_coordinators_see_the_report_and_the_story_until_it_is_generated_again(
    w: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    report, story = _withdrawn_after_publication(w, django_capture_on_commit_callbacks)
    [notice] = WithdrawalNotice.objects.all()  # the published report only
    assert (notice.reference, notice.story, notice.is_open) == (str(report.pk), story, True)
    page = _home(client, w.users["coordinator"])
    assert HEADING in page and report.title in page and "Back to the market" in page
    assert reverse("reports:report", args=[w.plan.code, report.pk]) in page
    assert reverse("stories:notice_keep", args=[w.plan.code, notice.pk]) in page
    for who in ("viewer", "focal", "monitor"):
        assert HEADING not in _home(client, w.users[who]), who
    assert HEADING not in _home(client, w.collector)
    # Another language is another report: it settles nothing.
    generate(w.cycle, django_capture_on_commit_callbacks, language="fr")
    assert HEADING in _home(client, w.users["coordinator"])
    # The same report generated again: it leaves the story out, and the task is done.
    generate(w.cycle, django_capture_on_commit_callbacks)
    notice.refresh_from_db()
    assert notice.outcome == "regenerated" and notice.settled_by == w.users["coordinator"]
    assert notice.settled_at is not None
    assert HEADING not in _home(client, w.users["coordinator"])


def test_keep_as_published_asks_first_records_who_and_when_and_ends_the_task(
    w: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    report, _story = _withdrawn_after_publication(w, django_capture_on_commit_callbacks)
    notice = WithdrawalNotice.objects.get()
    url = reverse("stories:notice_keep", args=[w.plan.code, notice.pk])
    client.force_login(w.users["coordinator"])
    asked = client.post(url)
    assert asked.status_code == 200 and "Keep it as published" in asked.content.decode()
    notice.refresh_from_db()
    assert notice.is_open  # asking changed nothing
    done = client.post(url, {"confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == HOME
    notice.refresh_from_db()
    assert notice.outcome == "kept" and notice.settled_by == w.users["coordinator"]
    assert notice.settled_by_name == "coordinator" and notice.settled_at is not None
    assert HEADING not in _home(client, w.users["coordinator"])
    with pytest.raises(ValidationError, match="already done"):
        stories.withdrawal_notice_keep(by=w.users["coordinator"], notice=notice)
    # Kept: a later generation does not rewrite how it was settled.
    generate(w.cycle, django_capture_on_commit_callbacks)
    notice.refresh_from_db()
    assert notice.outcome == "kept"


@pytest.mark.parametrize("who", ["viewer", "focal", "monitor", "outsider", "collector"])
def test_no_one_but_a_coordinator_marks_it_done(
    w: World, client: Client, django_capture_on_commit_callbacks: Any, who: str
) -> None:
    _withdrawn_after_publication(w, django_capture_on_commit_callbacks)
    notice = WithdrawalNotice.objects.get()
    user = w.collector if who == "collector" else w.users[who]
    with pytest.raises(PermissionDenied):
        stories.withdrawal_notice_keep(by=user, notice=notice)
    client.force_login(user)
    url = reverse("stories:notice_keep", args=[w.plan.code, notice.pk])
    assert client.post(url, {"confirm": "yes"}).status_code in (403, 404)
    notice.refresh_from_db()
    assert notice.is_open


def test_a_story_removed_since_leaves_the_task_without_its_title(
    w: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    report, story = _withdrawn_after_publication(w, django_capture_on_commit_callbacks)
    stories.story_delete_now(by=w.collector, story=story)
    notice = WithdrawalNotice.objects.get()
    assert notice.story is None and notice.is_open
    page = _home(client, w.users["coordinator"])
    assert report.title in page and "its holder has since removed it" in page
    assert "Back to the market" not in page


def test_a_report_no_longer_published_waits_for_no_one(
    w: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    report, _story = _withdrawn_after_publication(w, django_capture_on_commit_callbacks)
    assert HEADING in _home(client, w.users["coordinator"])
    GeneratedReport.objects.filter(pk=report.pk).update(published=False, published_at=None)
    assert HEADING not in _home(client, w.users["coordinator"])


def test_a_withdrawal_that_ends_no_published_report_leaves_no_task(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    _story, consent = w.story()
    generate(w.cycle, django_capture_on_commit_callbacks)  # generated, never published
    with django_capture_on_commit_callbacks(execute=True):
        stories.consent_withdraw(by=w.collector, consent=consent)
    assert not WithdrawalNotice.objects.exists()
