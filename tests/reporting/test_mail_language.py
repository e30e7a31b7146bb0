"""The reporting cycle's mail is written in each recipient's stored language, never in the
language of whoever set it off (docs/languages.md)."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone, translation
from tests.reporting.conftest import Cycle
from tests.reporting.helpers import field, save

from wpsmonitor.accounts.services import language_set
from wpsmonitor.reporting import services
from wpsmonitor.reporting.notifications import deadline_reminders


def test_reminders_go_out_once_per_language_each_in_its_readers_language(cycle: Cycle) -> None:
    language_set(user=cycle.users["focal"], language="fr")
    cycle.round.deadline = timezone.localdate() + timedelta(days=2)
    cycle.round.save()
    mail.outbox.clear()
    with translation.override("es"):  # whoever runs the reminders reads Spanish
        assert deadline_reminders(days_before=3) == 2
    by_recipients = {tuple(sorted(message.to)): message for message in mail.outbox}
    french = by_recipients[("focal@example.org",)]
    assert french.subject.startswith("Rappel\u00a0: ")
    english = by_recipients[("focal_other_area@example.org", "police_focal@example.org")]
    assert english.subject.startswith("Reminder: ")


def test_a_returned_submission_is_told_in_the_authors_language_not_the_coordinators(
    cycle: Cycle,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    focal, coordinator = cycle.users["focal"], cycle.users["coordinator"]
    language_set(user=focal, language="ar")
    language_set(user=coordinator, language="es")
    draft = services.submission_start(
        by=focal, round_=cycle.round, organisation=cycle.built.ministry, area=cycle.province
    )
    assert save(focal, draft, {field(cycle.grid, "sex=F;age=18-29"): "12"}).ok
    assert services.submission_submit(by=focal, submission=draft).ok
    mail.outbox.clear()
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        services.submission_return(by=coordinator, submission=draft, note="Revisar")
    (message,) = mail.outbox
    assert message.to == ["focal@example.org"]
    assert message.subject.startswith("تقديمكم عن 2025Q1")
    assert "Su presentación" not in message.subject
