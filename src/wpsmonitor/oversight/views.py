"""Pages of auditing bodies and parliament (docs/oversight.md, "Auditing bodies and
parliament"): the plan's audits and hearings, an audit with its findings, a hearing with its
commitments (each followed in the recommendation tracker), the documents shared with
parliament, and the forms that record them. Plain forms, POST then redirect: everything works
without JavaScript. Rights are checked by the services and PlanAccess: hidden objects answer
404, refused actions 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.oversight import selectors, services
from wpsmonitor.oversight.forms import (
    AuditForm,
    CommitmentForm,
    FindingForm,
    HearingForm,
    ShareForm,
)
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest


def _reader(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_read_oversight():
        raise PermissionDenied
    return access


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    back: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Save a posted form through `save` and redirect to `back`; else the form's page (400
    when refused, with the message)."""
    refused = False
    if request.method == "POST":
        try:
            save(valid_data(form))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            refused = True
        else:
            messages.success(request, done)
            return redirect(back)
    context = {**context, "form": form, "back": back}
    return render(request, "oversight/form.html", context, status=400 if refused else 200)


@require_safe
def index(request: HttpRequest, code: str) -> HttpResponse:
    access = _reader(request, code)
    context = {
        "plan": access.plan,
        "audits": selectors.audits_of(access.plan),
        "hearings": selectors.hearings_of(access.plan),
        "can_record_audit": access.can_record_audit(),
        "can_record_hearing": access.can_record_hearing(),
        "can_read_shares": access.can_read_parliament_shares(),
        "can_read_evidence": access.can_read_audit_evidence(),
    }
    return render(request, "oversight/index.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def audit_new(request: SignedInRequest, code: str) -> HttpResponse:
    access = _reader(request, code)
    if not access.can_record_audit():
        raise PermissionDenied
    return _form_page(
        request,
        AuditForm(request.POST or None, access=access),
        lambda d: services.audit_record(by=request.user, plan=access.plan, **d),
        _("The audit is recorded."),
        reverse("oversight:index", args=[code]),
        {"plan": access.plan, "here": _("Record an audit")},
    )


@require_safe
def audit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.audit_of(access.plan, pk)
    context = {
        "plan": access.plan,
        "audit": found,
        "findings": selectors.findings_of(found),
        "can_record": access.can_record_audit(found.body_id),
    }
    return render(request, "oversight/audit.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def finding_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.audit_of(access.plan, pk)
    if not access.can_record_audit(found.body_id):
        raise PermissionDenied
    return _form_page(
        request,
        FindingForm(request.POST or None, access=access),
        lambda d: services.finding_record(by=request.user, audit=found, **d),
        _("The finding is recorded; its recommendation is followed in the tracker."),
        reverse("oversight:audit", args=[code, found.pk]),
        {"plan": access.plan, "audit": found, "here": _("Record a finding")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def hearing_new(request: SignedInRequest, code: str) -> HttpResponse:
    access = _reader(request, code)
    if not access.can_record_hearing():
        raise PermissionDenied
    return _form_page(
        request,
        HearingForm(request.POST or None, access=access),
        lambda d: services.hearing_record(by=request.user, plan=access.plan, **d),
        _("The hearing is recorded."),
        reverse("oversight:index", args=[code]),
        {"plan": access.plan, "here": _("Record a hearing")},
    )


@require_safe
def hearing(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.hearing_of(access.plan, pk)
    context = {
        "plan": access.plan,
        "hearing": found,
        "commitments": selectors.commitments_of(found),
        "can_record": access.can_record_hearing(found.committee_id),
    }
    return render(request, "oversight/hearing.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def commitment_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.hearing_of(access.plan, pk)
    if not access.can_record_hearing(found.committee_id):
        raise PermissionDenied
    return _form_page(
        request,
        CommitmentForm(request.POST or None),
        lambda d: services.commitment_record(by=request.user, hearing=found, **d),
        _("The commitment is recorded; it is followed in the tracker."),
        reverse("oversight:hearing", args=[code, found.pk]),
        {"plan": access.plan, "hearing": found, "here": _("Record a commitment")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def shared(request: SignedInRequest, code: str) -> HttpResponse:
    """The documents shared with parliament, and (for the coordinator) the form to share one."""
    access = _reader(request, code)
    if not access.can_read_parliament_shares():
        raise PermissionDenied
    can_share = access.can_share_with_parliament()
    form = ShareForm(request.POST or None, request.FILES or None) if can_share else None
    refused = False
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        try:
            services.document_share(by=request.user, plan=access.plan, **valid_data(form))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            refused = True
        else:
            messages.success(request, _("The document is shared with parliamentary oversight."))
            return redirect("oversight:shared", code)
    context = {
        "plan": access.plan,
        "documents": selectors.shared_documents(access.plan),
        "form": form,
        "here": _("Shared with parliament"),
    }
    return render(request, "oversight/shared.html", context, status=400 if refused else 200)


@require_safe
@login_required
def shared_download(request: SignedInRequest, code: str, pk: int) -> FileResponse:
    access = _reader(request, code)
    if not access.can_read_parliament_shares():
        raise PermissionDenied
    document = selectors.shared_document_of(access.plan, pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def shared_remove(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    if not access.can_share_with_parliament():
        raise PermissionDenied
    document = selectors.shared_document_of(access.plan, pk)
    back = reverse("oversight:shared", args=[code])
    if not confirmed(request):
        return confirm_page(
            request,
            Confirmation(
                title=_("Stop sharing “%(title)s”?") % {"title": document.title},
                button=_("Stop sharing"),
                cancel_url=back,
                notes=[_("The file is removed from the platform. This cannot be undone.")],
            ),
        )
    services.document_unshare(by=request.user, document=document)
    messages.success(request, _("The document is no longer shared."))
    return redirect(back)
