"""The standard report in the cycle (docs/reports.md, "In the cycle"): asked for, built by its
task with progress, stored in every format, the requester mailed; a failure stored in words with
nothing half-done; a published report kept as generated; the board's signatures bound to the
document's hash and voided, with the reason, when a regeneration changes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from tests.reports.cycle import build_report_cycle, generate

from wpsmonitor.accounts.models import PlanRole
from wpsmonitor.boards import services as boards
from wpsmonitor.boards.models import EventKind
from wpsmonitor.plans.services import plan_update
from wpsmonitor.reports import generation, services
from wpsmonitor.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path)
    return build_report_cycle()


def test_a_report_asked_for_is_generated_in_every_format_and_the_requester_mailed(
    cycle: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    report = generate(cycle, django_capture_on_commit_callbacks)
    assert report.status == "ready", report.error
    assert report.progress == 100 and report.finished_at is not None
    assert report.release is not None and report.content_hash
    assert report.pdf.read(5) == b"%PDF-"
    assert report.docx.read(2) == b"PK" and report.xlsx.read(2) == b"PK"
    assert report.document["plan"] == cycle.plan.code
    [sent] = mail.outbox
    assert sent.to == [cycle.users["coordinator"].email]
    assert "is ready" in sent.subject and f"/standard-reports/{report.pk}/" in sent.body


def test_the_mail_is_in_the_language_the_report_was_asked_in(
    cycle: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    report = generate(cycle, django_capture_on_commit_callbacks, language="fr")
    assert report.status == "ready", report.error
    [sent] = mail.outbox
    assert "est prêt" in sent.subject


def test_a_failure_is_stored_in_words_and_leaves_no_file(
    cycle: Any, django_capture_on_commit_callbacks: Any, tmp_path: Any
) -> None:
    # The requester loses the coordinator's role before the worker runs the task.
    coordinator = cycle.users["coordinator"]
    report = services.report_request(
        by=coordinator,
        plan=cycle.plan,
        scope="year",
        year=cycle.plan.start.year,
        version="public",
        language="en",
    )
    PlanRole.objects.filter(user=coordinator, plan=cycle.plan).delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert generation.generate(report.pk) == "failed"
    report.refresh_from_db()
    assert report.status == "failed" and "may no longer build this report" in report.error
    assert not report.pdf and not report.docx and not report.xlsx and report.document is None
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    assert "could not be generated" in mail.outbox[0].subject
    # Run twice (a second worker): nothing more happens.
    assert generation.generate(report.pk) == "not queued"


def test_a_published_report_is_kept_as_generated(
    cycle: Any, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = cycle.users["coordinator"]
    report = generate(cycle, django_capture_on_commit_callbacks)
    services.report_publish(by=coordinator, report=report)
    report.refresh_from_db()
    assert report.published and report.published_at is not None
    with pytest.raises(ValidationError, match="kept as it was generated"):
        services.report_publish(by=coordinator, report=report)
    with pytest.raises(ValidationError, match="kept as it was generated"):
        services.report_link_board(by=coordinator, report=report, periodic_report=cycle.built.draft)
    # Asking again makes a new report; the published one is untouched.
    before = (report.content_hash, report.pdf.name, report.published_at)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_regenerate(by=coordinator, report=report)
    assert again.pk != report.pk
    report.refresh_from_db()
    assert (report.content_hash, report.pdf.name, report.published_at) == before
    assert GeneratedReport.objects.get(pk=again.pk).published is False


def test_the_database_refuses_a_published_internal_or_unready_report(
    cycle: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    report = generate(cycle, django_capture_on_commit_callbacks, version="internal")
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedReport.objects.filter(pk=report.pk).update(
            published=True, published_at=timezone.now()
        )
    with pytest.raises(ValidationError, match="never published"):
        services.report_publish(by=cycle.users["coordinator"], report=report)


def test_only_the_secretariat_asks_for_a_report(cycle: Any) -> None:
    for role in ("focal", "monitor", "viewer", "gov_member", "outsider"):
        with pytest.raises(PermissionDenied):
            services.report_request(
                by=cycle.users[role],
                plan=cycle.plan,
                scope="year",
                year=cycle.plan.start.year,
                version="public",
                language="en",
            )
    assert not GeneratedReport.objects.exists()


def test_bad_requests_are_refused_in_words(cycle: Any) -> None:
    coordinator = cycle.users["coordinator"]
    ask = {"by": coordinator, "plan": cycle.plan, "scope": "year", "version": "public"}
    with pytest.raises(ValidationError, match="choose a year"):
        services.report_request(**ask, year=1990, language="en")
    with pytest.raises(ValidationError, match="not a language"):
        services.report_request(**ask, year=cycle.plan.start.year, language="xx")
    with pytest.raises(ValidationError, match="Only a public version"):
        services.report_request(
            **(ask | {"version": "internal"}),
            year=cycle.plan.start.year,
            language="en",
            periodic_report=cycle.built.draft,
        )
    assert not GeneratedReport.objects.exists()


def test_the_board_signs_the_document_and_a_regeneration_voids_the_signatures_with_the_reason(
    cycle: Any, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = cycle.users["coordinator"]
    periodic = cycle.built.awaiting  # with the board, no signature yet
    first = generate(cycle, django_capture_on_commit_callbacks, periodic_report=periodic)
    assert first.status == "ready", first.error
    periodic.refresh_from_db()
    assert periodic.document_hash == first.content_hash
    assert periodic.file.read(5) == b"%PDF-"
    signature = boards.report_sign(by=cycle.users["gov_member"], report=periodic)
    assert signature.signatures.get().document_hash == first.content_hash

    # The plan is renamed, the report generated again: it says something else.
    plan_update(plan=cycle.plan, title="National Action Plan, second edition")
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_regenerate(by=coordinator, report=first)
    again.refresh_from_db()
    assert again.status == "ready", again.error
    assert GeneratedReport.objects.count() == 2
    periodic.refresh_from_db()
    if again.content_hash == first.content_hash:
        pytest.fail("the narrative should change what the report says")
    assert periodic.document_hash == again.content_hash
    assert not periodic.signatures.filter(invalidated_at__isnull=True).exists()
    event = periodic.events.get(kind=EventKind.INVALIDATED)
    assert again.content_hash[:12] in event.note and "no longer count" in event.note
    assert periodic.events.filter(kind=EventKind.DOCUMENT).count() == 2


def test_the_same_content_generated_again_keeps_the_signatures(
    cycle: Any, django_capture_on_commit_callbacks: Any
) -> None:
    periodic = cycle.built.awaiting
    first = generate(cycle, django_capture_on_commit_callbacks, periodic_report=periodic)
    boards.report_sign(by=cycle.users["gov_member"], report=periodic)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_regenerate(by=cycle.users["coordinator"], report=first)
    again.refresh_from_db()
    assert again.content_hash == first.content_hash
    assert periodic.signatures.filter(invalidated_at__isnull=True).count() == 1


def test_the_board_document_is_published_once_the_board_has_published_it(
    cycle: Any, django_capture_on_commit_callbacks: Any
) -> None:
    periodic = cycle.built.awaiting
    report = generate(cycle, django_capture_on_commit_callbacks, periodic_report=periodic)
    coordinator = cycle.users["coordinator"]
    with pytest.raises(ValidationError, match="once the board has"):
        services.report_publish(by=coordinator, report=report)
    boards.report_sign(by=cycle.users["gov_member"], report=periodic)
    boards.report_sign(by=cycle.users["cs_member"], report=periodic)
    periodic.refresh_from_db()
    assert periodic.is_published
    services.report_publish(by=coordinator, report=report)
    # The board's published report keeps the document it signed: asking again leaves it.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_regenerate(by=coordinator, report=report)
    again.refresh_from_db()
    assert again.periodic_report is None
    periodic.refresh_from_db()
    assert periodic.document_hash == report.content_hash
