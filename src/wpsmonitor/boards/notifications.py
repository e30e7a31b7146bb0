"""Mail to the board when a report awaits its signatures, through Django's e-mail backends
(the embedded default writes files to WPSMONITOR_HOME/mail), like the reporting cycle's mail.
Sent after the transaction commits; a mail failure never undoes the work it reports. Written
in each member's stored language (accounts/languages.py): one mail per language."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wpsmonitor.accounts.languages import by_language, stored_language

if TYPE_CHECKING:
    from wpsmonitor.boards.models import PeriodicReport

log = logging.getLogger(__name__)


def awaiting_signature(report_id: int, *, edited: bool = False) -> int:
    """Tell the board's current members with an account that the report awaits them."""
    from wpsmonitor.boards.models import BoardMember, PeriodicReport

    report = PeriodicReport.objects.select_related("plan").get(pk=report_id)
    today = timezone.localdate()
    recipients = by_language(
        (m.user.email, stored_language(m.user))
        for m in BoardMember.objects.filter(
            board__plan=report.plan, user__is_active=True
        ).select_related("user__language_setting")
        if m.user is not None and m.user.email and m.is_current(today)
    )
    link = settings.WPSMONITOR_BASE_URL.rstrip("/") + reverse(
        "boards:report", args=[report.plan.code, report.pk]
    )
    sent = 0
    for language, emails in recipients.items():
        sent += _send(report, link, edited, language, emails)
    return sent


def _send(report: PeriodicReport, link: str, edited: bool, language: str, emails: list[str]) -> int:
    with translation.override(language):
        subject = _("%(plan)s: the report “%(title)s” awaits the board's signature") % {
            "plan": report.plan.title,
            "title": report.title,
        }
        lines = [
            _("The report was changed: the signatures given before no longer count.")
            if edited
            else "",
            _("Read it, then sign it or attach a dissenting statement:"),
            link,
        ]
        body = "\n\n".join(line for line in lines if line)
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
    except Exception:  # a mail server down must not undo the work; the event is recorded
        log.exception("could not send %r", subject)
        return 0
