"""E-mails of the reporting cycle, through Django's e-mail backends (the embedded default
writes them to files in WPSMONITOR_HOME/mail). Each runs after the transaction commits and
never lets a mail failure undo the work it reports. Each is written in its recipients' stored
language (accounts/languages.py): one mail per language."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wpsmonitor.accounts.languages import LANGUAGE_LOOKUP, by_language
from wpsmonitor.accounts.models import PlanRole, Role

log = logging.getLogger(__name__)


Recipients = Iterable[tuple[str | None, str | None]]  # (e-mail, stored language or None)


def _send(compose: Callable[[], tuple[str, str]], recipients: Recipients) -> int:
    """Send the mail `compose` writes (subject, body) once per language of the recipients,
    written in that language."""
    sent = 0
    for language, emails in by_language(recipients).items():
        with translation.override(language):
            subject, body = compose()
        try:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
        except Exception:  # a mail server down must not break the cycle; the event is recorded
            log.exception("could not send %r", subject)
    return sent


def _link(path: str) -> str:
    return settings.WPSMONITOR_BASE_URL.rstrip("/") + path


def _emails(plan_id: int, role: str, organisation_id: int | None = None) -> Recipients:
    roles = PlanRole.objects.filter(plan_id=plan_id, role=role, user__is_active=True)
    if organisation_id is not None:
        roles = roles.filter(organisation_id=organisation_id)
    return list(roles.values_list("user__email", f"user__{LANGUAGE_LOOKUP}"))


def round_opened(round_id: int) -> int:
    from wpsmonitor.reporting.models import ReportingRound

    round_ = ReportingRound.objects.select_related("plan", "period").get(pk=round_id)

    def compose() -> tuple[str, str]:
        subject = _("%(plan)s: reporting for %(period)s is open") % {
            "plan": round_.plan.title,
            "period": round_.period.code,
        }
        body = _("Please enter and submit your figures by %(deadline)s:\n%(link)s") % {
            "deadline": date_format(round_.deadline, "DATE_FORMAT"),
            "link": _link(reverse("reporting:todo")),
        }
        return subject, body

    return _send(compose, _emails(round_.plan_id, Role.FOCAL_POINT))


def submitted(submission_id: int) -> int:
    from wpsmonitor.reporting.models import Submission

    sub = Submission.objects.select_related("round__plan", "round__period", "organisation").get(
        pk=submission_id
    )

    def compose() -> tuple[str, str]:
        subject = _("%(org)s submitted %(period)s for review") % {
            "org": sub.organisation.name,
            "period": sub.round.period.code,
        }
        return subject, _link(reverse("reporting:submission", args=[sub.pk]))

    return _send(compose, _emails(sub.round.plan_id, Role.COORDINATOR))


def decided(submission_id: int) -> int:
    """Tell the authors that their submission was returned, approved or unlocked."""
    from wpsmonitor.reporting.models import Submission

    sub = Submission.objects.select_related(
        "round__plan", "round__period", "area", "created_by"
    ).get(pk=submission_id)
    event = sub.events.order_by("-at", "-pk").first()

    def compose() -> tuple[str, str]:
        subject = _("Your submission for %(period)s: %(status)s") % {
            "period": sub.round.period.code,
            "status": sub.get_status_display(),
        }
        body = "\n\n".join(
            part
            for part in (
                event.note if event else "",
                _link(reverse("reporting:submission", args=[sub.pk])),
            )
            if part
        )
        return subject, body

    # The organisation's focal points for this area (and the author, whatever their role now).
    recipients: list[tuple[str | None, str | None]] = [
        (email, language)
        for email, language, path in PlanRole.objects.filter(
            plan_id=sub.round.plan_id,
            role=Role.FOCAL_POINT,
            organisation_id=sub.organisation_id,
            user__is_active=True,
        ).values_list("user__email", f"user__{LANGUAGE_LOOKUP}", "area__path")
        if path is None or sub.area.path.startswith(path)
    ]
    if sub.created_by is not None:
        recipients += (
            get_user_model()
            .objects.filter(pk=sub.created_by.pk)
            .values_list("email", LANGUAGE_LOOKUP)
        )
    return _send(compose, recipients)


def deadline_reminders(*, days_before: int = 3) -> int:
    """Remind focal points who have not submitted, once per round, `days_before` the deadline.

    Run daily (`wpsmonitor manage send_reminders`, from cron or the task worker).
    """
    from wpsmonitor.reporting.models import ReportingRound, RoundStatus, Submission

    today = timezone.localdate()
    sent = 0
    rounds = ReportingRound.objects.filter(
        status=RoundStatus.OPEN,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=days_before),
        reminded_on__isnull=True,
    ).select_related("plan", "period")
    user_model = get_user_model()
    for round_ in rounds:
        done = set(
            Submission.objects.filter(round=round_)
            .exclude(status__in=["draft", "returned"])
            .values_list("organisation_id", flat=True)
        )
        owing = (
            PlanRole.objects.filter(plan=round_.plan, role=Role.FOCAL_POINT, user__is_active=True)
            .exclude(organisation_id__in=done)
            .values_list("user_id", flat=True)
        )
        emails = list(user_model.objects.filter(pk__in=owing).values_list("email", LANGUAGE_LOOKUP))

        def compose(round_: ReportingRound = round_) -> tuple[str, str]:
            subject = _("Reminder: %(plan)s figures for %(period)s are due on %(deadline)s") % {
                "plan": round_.plan.title,
                "period": round_.period.code,
                "deadline": date_format(round_.deadline, "DATE_FORMAT"),
            }
            return subject, _link(reverse("reporting:todo"))

        sent += _send(compose, emails)
        round_.reminded_on = today
        round_.save(update_fields=["reminded_on"])
    return sent
