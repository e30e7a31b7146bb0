"""Sharing a generated report with parliament from its page (docs/oversight.md, "Sharing a
generated report with parliament"): the coordinator picks one of its formats, a confirmation
page says who will read it, and the file is shared through oversight's `document_share`. A
refusal (a report not ready, failed, internal, a format it lacks, the same file already
shared) answers 400 with the reason at the top and a way back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.reports import selectors, services, sharing
from wpsmonitor.reports.forms import ShareForm
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest


@require_POST
@login_required
def report_share(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    found = selectors.generated_report(access, pk)
    if not access.can_share_with_parliament():
        raise PermissionDenied
    back = reverse("reports:report", args=[code, pk])
    form = ShareForm(request.POST)
    try:
        fmt = valid_data(form)["fmt"]
        why = sharing.refusal(found)
        if why:
            raise ValidationError(why)
        if not confirmed(request):
            return confirm_page(
                request,
                Confirmation(
                    title=_("Share “%(title)s” with parliament?")
                    % {"title": sharing.shared_title(found, fmt)},
                    button=_("Share with parliament"),
                    cancel_url=back,
                    public=[
                        _(
                            "The report's %(format)s file, to the plan's parliamentary "
                            "oversight and its coordinators, on the page of documents shared "
                            "with parliament."
                        )
                        % {"format": fmt.upper()}
                    ],
                    notes=[
                        _(
                            "Parliament reads it even if the report is not published. You can "
                            "stop sharing it there; a copy already downloaded stays with its "
                            "reader."
                        )
                    ],
                ),
            )
        document = services.report_share_with_parliament(by=request.user, report=found, fmt=fmt)
    except ValidationError as exc:
        context = {"plan": access.plan, "report": found, "problem": error_text(exc), "back": back}
        return render(request, "reports/share_refused.html", context, status=400)
    messages.success(
        request,
        _("The report is shared with parliamentary oversight as “%(title)s”.")
        % {"title": document.title},
    )
    return redirect(back)
