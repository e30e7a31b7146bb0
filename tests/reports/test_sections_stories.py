"""The plan's stories in the standard report (reports/sections/qualitative.py; docs/stories.md,
"In the report and on the portal"): an approved story with a consent for the report in force is
printed coarse, in both versions, in the JSON and the PDF; one without that consent, withdrawn,
restricted, a draft, or dated outside the report's years is not. Each generation records where
the stories went, and a withdrawal tells the coordinators which published reports used them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from tests.reporting.conftest import make_user
from tests.reports.cycle import build_report_cycle, generate
from tests.reports.readback import pdf_text, squeeze
from tests.stories.published import (
    COLLECTOR,
    DISTRICT_MARKER,
    NAME_MARKER,
    marked_district,
    published_story,
)

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import PlanRole, Role, UserLanguage
from wpsmonitor.reports import services
from wpsmonitor.reports.context import report_context
from wpsmonitor.reports.sections import qualitative
from wpsmonitor.stories import services as stories
from wpsmonitor.stories.models import Story, StoryRead, StoryUse

pytestmark = pytest.mark.django_db


class World:
    def __init__(self) -> None:
        self.cycle = build_report_cycle()
        self.plan = self.cycle.plan
        built = self.cycle.built.cycle.built  # the plan's own pieces (tests/portal/conftest.py)
        self.cso = built.cso
        self.province = built.provinces[0]
        self.district = marked_district(self.province)
        self.collector = make_user(COLLECTOR)
        PlanRole.objects.create(
            user=self.collector, plan=self.plan, role=Role.MONITOR, organisation=self.cso
        )
        self.users = self.cycle.users

    def story(self, **kwargs: Any) -> tuple[Story, Any]:
        fields: dict[str, Any] = {
            "plan": self.plan,
            "holder": self.cso,
            "collector": self.collector,
            "approver": self.users["monitor"],
            "area": self.district,
        } | kwargs
        return published_story(**fields)

    def section_text(self, version: str = "internal") -> str:
        user = self.users["coordinator"] if version == "internal" else self.users["outsider"]
        context = report_context(
            PlanAccess.load(user, self.plan),
            scope="year",
            year=self.plan.start.year,
            version=version,  # type: ignore[arg-type]
        )
        section = qualitative.build(context)
        return json.dumps(
            [(s.key, s.title, [vars(b) for b in s.blocks]) for s in section.walk()],
            ensure_ascii=False,
        )


@pytest.fixture
def w(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    return World()


def _never_identifying(text: str) -> None:
    for marker in (NAME_MARKER, DISTRICT_MARKER, COLLECTOR, "2024-03-14", "18-29"):
        assert marker not in text, marker


def test_an_approved_story_with_report_consent_is_printed_coarse_and_its_use_recorded(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    story, _consent = w.story()
    report = generate(w.cycle, django_capture_on_commit_callbacks)
    assert report.status == "ready", report.error
    document = json.dumps(report.document, ensure_ascii=False)
    assert "Back to the market" in document and "The patrols changed" in document
    # Coarse: the province and the month, the holder; no name, district, collector, day.
    assert w.province.name in document and "2024-03" in document and w.cso.name in document
    _never_identifying(document)
    pdf = squeeze(pdf_text(report.pdf.read()))
    assert squeeze("Back to the market") in pdf
    for marker in (NAME_MARKER, DISTRICT_MARKER, COLLECTOR):
        assert squeeze(marker) not in pdf
    # Where it went: recorded at generation, public once the report is published.
    [use] = StoryUse.objects.filter(story=story)
    assert (use.kind, use.reference, use.title) == ("report", str(report.pk), report.title)
    assert use.published_at is None and f"/standard-reports/{report.pk}/" in use.link
    services.report_publish(by=w.users["coordinator"], report=report)
    use.refresh_from_db()
    assert use.published_at is not None
    # The build read it, coarse, and the holder's log says so.
    assert StoryRead.objects.filter(story=story, channel="report", reading="coarse").exists()


def test_the_internal_version_prints_it_coarse_too(w: World) -> None:
    w.story()
    text = w.section_text("internal")
    assert "Back to the market" in text and w.province.name in text
    _never_identifying(text)


@pytest.mark.parametrize(
    "case", ["no report consent", "withdrawn", "restricted", "draft", "shared", "other year"]
)
def test_a_story_the_report_may_not_use_is_left_out(w: World, case: str) -> None:
    kwargs: dict[str, Any] = {}
    if case == "no report consent":
        kwargs["purposes"] = ("monitoring", "public")
    if case in ("draft", "shared"):
        kwargs["status"] = case
    if case == "other year":
        kwargs["happened_on"] = date(w.plan.start.year + 1, 2, 1)
    story, consent = w.story(**kwargs)
    w.story(title="Another story")  # the premise: the section does print stories
    if case == "withdrawn":
        stories.consent_withdraw(by=w.collector, consent=consent)
    if case == "restricted":  # never approved as such; made so behind the services' back
        Story.objects.filter(pk=story.pk).update(sensitivity="restricted")
    text = w.section_text("internal")
    assert "Another story" in text
    assert "Back to the market" not in text and "The patrols changed how we go to back" not in text


def test_withdrawal_tells_the_coordinators_which_published_reports_used_it_and_later_reports_leave_it_out(  # noqa: E501
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    story, consent = w.story()
    report = generate(w.cycle, django_capture_on_commit_callbacks)
    unpublished = generate(w.cycle, django_capture_on_commit_callbacks, version="internal")
    services.report_publish(by=w.users["coordinator"], report=report)
    # A second coordinator reads the platform in French.
    french = make_user("coordinatrice")
    PlanRole.objects.create(user=french, plan=w.plan, role=Role.COORDINATOR)
    UserLanguage.objects.create(user=french, language="fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = stories.consent_withdraw(by=w.collector, consent=consent, note="She asked us.")
    assert [u.reference for u in done.used_in] == [str(report.pk)]  # the published one only
    assert done.consent.withdrawn_on == timezone.localdate()
    by_address = {tuple(m.to): m for m in mail.outbox}
    english = by_address[(w.users["coordinator"].email,)]
    assert report.title in english.body and f"/standard-reports/{report.pk}/" in english.body
    assert f"/standard-reports/{unpublished.pk}/" not in english.body
    assert "Back to the market" in english.body and NAME_MARKER not in english.body
    assert "consentement" in by_address[(french.email,)].body
    assert [w.collector.email] not in [m.to for m in mail.outbox]  # the coordinators only
    # Generated afterwards: without the story.
    again = generate(w.cycle, django_capture_on_commit_callbacks)
    assert "Back to the market" not in json.dumps(again.document, ensure_ascii=False)
    assert not StoryUse.objects.filter(story=story, reference=str(again.pk)).exists()


def test_a_withdrawal_that_ends_no_published_use_mails_no_one(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    _story, consent = w.story()
    generate(w.cycle, django_capture_on_commit_callbacks)  # generated, never published
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = stories.consent_withdraw(by=w.collector, consent=consent)
    assert done.used_in == [] and mail.outbox == []
