"""Mail to whoever asked for a report when it is ready (or could not be built), through
Django's e-mail backends like the rest of the platform's mail. In the language the report was
asked in (the requester chose it on the form). Sent after the work is stored; a mail failure
never undoes it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def report_finished(report_id: int) -> int:
    from wpsmonitor.reports.models import GeneratedReport, GenerationStatus

    report = (
        GeneratedReport.objects.select_related("plan", "requested_by").filter(pk=report_id).first()
    )
    if report is None or report.requested_by is None or not report.requested_by.email:
        return 0
    link = settings.WPSMONITOR_BASE_URL.rstrip("/") + reverse(
        "reports:report", args=[report.plan.code, report.pk]
    )
    with translation.override(report.language):
        if report.status == GenerationStatus.READY:
            subject = _("%(plan)s: your report “%(title)s” is ready") % {
                "plan": report.plan.title,
                "title": report.title,
            }
            body = _("Download it as PDF, Word or Excel, and publish it from its page:")
        else:
            subject = _("%(plan)s: your report could not be generated") % {
                "plan": report.plan.title
            }
            body = report.error
        body = f"{body}\n\n{link}"
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [report.requested_by.email])
    except Exception:  # a mail server down must not undo the report
        log.exception("could not send %r", subject)
        return 0
