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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.oversight import selectors, services
from wpsmonitor.oversight.forms import (
    AuditForm,
    CommitmentForm,
    FindingForm,
    HearingForm,
    ShareForm,
)
from wpsmonitor.oversight.models import Audit, Hearing
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.editing import form_page, run_form
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
    refusal: str = "",
) -> HttpResponse:
    """Save a posted form through `save` and redirect to `back`; else the form's page, its
    problems listed at the top and linked to their fields (400 when refused): the shell's
    edit flow (shell/editing.py). `refusal`: why the record may no longer change (selectors),
    said instead of the form; a POST then saves nothing."""
    if refusal:
        saved, refused = False, request.method == "POST"
    else:
        saved, refused = run_form(request, form, save)
    if saved:
        messages.success(request, done)
        return redirect(back)
    shown = {**context, "form": form, "back": back, "refusal": refusal}
    return form_page(request, "oversight/form.html", shown, refused=refused)


def _act(
    request: HttpRequest,
    plan: Any,
    act: Callable[[], Any],
    confirmation: Confirmation,
    done: str,
    after: str,
) -> HttpResponse:
    """A removal or a publication: the confirmation page first (the caller checked the
    right), then the service; its refusal is a page saying why (400)."""
    if not confirmed(request):
        return confirm_page(request, confirmation)
    try:
        act()
    except ValidationError as exc:
        context = {
            "plan": plan,
            "here": confirmation.title,
            "errors": {"__all__": error_text(exc)},
            "back": confirmation.cancel_url,
        }
        return render(request, "oversight/refused.html", context, status=400)
    messages.success(request, done)
    return redirect(after)


def _audit_recorder(request: HttpRequest, code: str, pk: int) -> tuple[PlanAccess, Audit]:
    """The audit, for whoever may record (so change, remove, publish) it; 403 otherwise."""
    access = _reader(request, code)
    found = selectors.audit_of(access.plan, pk, published_only=selectors.published_only(access))
    if not access.can_record_audit(found.body_id):
        raise PermissionDenied
    return access, found


def _hearing_recorder(request: HttpRequest, code: str, pk: int) -> tuple[PlanAccess, Hearing]:
    access = _reader(request, code)
    found = selectors.hearing_of(access.plan, pk, published_only=selectors.published_only(access))
    if not access.can_record_hearing(found.committee_id):
        raise PermissionDenied
    return access, found


@require_safe
def index(request: HttpRequest, code: str) -> HttpResponse:
    access = _reader(request, code)
    context = {
        "plan": access.plan,
        "audits": selectors.audits_of(access.plan, published_only=selectors.published_only(access)),
        "hearings": selectors.hearings_of(
            access.plan, published_only=selectors.published_only(access)
        ),
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
    found = selectors.audit_of(access.plan, pk, published_only=selectors.published_only(access))
    may = access.can_record_audit(found.body_id) and not found.published
    findings = list(selectors.findings_of(found))
    frozen = selectors.followed_up(
        Recommendation.objects.filter(pk__in=[f.recommendation_id for f in findings])
    )
    context = {
        "plan": access.plan,
        "audit": found,
        "findings": findings,
        "may": may,
        "frozen": frozen,
        "removable": may and not frozen,
    }
    return render(request, "oversight/audit.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def finding_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access, found = _audit_recorder(request, code, pk)
    return _form_page(
        request,
        FindingForm(request.POST or None, access=access),
        lambda d: services.finding_record(by=request.user, audit=found, **d),
        _("The finding is recorded; its recommendation is followed in the tracker."),
        reverse("oversight:audit", args=[code, found.pk]),
        {"plan": access.plan, "audit": found, "here": _("Record a finding")},
        refusal=selectors.audit_change_refusal(found),
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
    found = selectors.hearing_of(access.plan, pk, published_only=selectors.published_only(access))
    may = access.can_record_hearing(found.committee_id) and not found.published
    commitments = list(selectors.commitments_of(found))
    frozen = selectors.followed_up(
        Recommendation.objects.filter(pk__in=[c.recommendation_id for c in commitments])
    )
    context = {
        "plan": access.plan,
        "hearing": found,
        "commitments": commitments,
        "may": may,
        "frozen": frozen,
        "removable": may and not frozen,
    }
    return render(request, "oversight/hearing.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def commitment_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    _access, found = _hearing_recorder(request, code, pk)
    return _form_page(
        request,
        CommitmentForm(request.POST or None),
        lambda d: services.commitment_record(by=request.user, hearing=found, **d),
        _("The commitment is recorded; it is followed in the tracker."),
        reverse("oversight:hearing", args=[code, found.pk]),
        {"plan": found.plan, "hearing": found, "here": _("Record a commitment")},
        refusal=selectors.hearing_change_refusal(found),
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


# --- changing, removing, publishing (docs/oversight.md, "Changing and removing") -------------

_SAVE = gettext_lazy("Save the changes")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def audit_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access, found = _audit_recorder(request, code, pk)
    initial = {"body": found.body, "title": found.title, "held_on": found.held_on}
    return _form_page(
        request,
        AuditForm(request.POST or None, access=access, initial={**initial, "scope": found.scope}),
        lambda d: services.audit_update(by=request.user, audit=found, **d),
        _("The audit is changed."),
        reverse("oversight:audit", args=[code, found.pk]),
        {"plan": access.plan, "audit": found, "here": _("Change the audit"), "button": _SAVE},
        refusal=selectors.audit_change_refusal(found),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def finding_edit(request: SignedInRequest, code: str, pk: int, finding: int) -> HttpResponse:
    access, found = _audit_recorder(request, code, pk)
    item = selectors.finding_of(found, finding)
    rec = item.recommendation
    initial: dict[str, Any] = {
        "text": item.text,
        "severity": item.severity,
        "action": item.action_id,
        "budget_line": item.budget_line_id,
    }
    if rec is not None:
        initial.update(
            recommendation=rec.text, addressees=list(rec.addressees.all()), due_on=rec.due_on
        )
    return _form_page(
        request,
        FindingForm(request.POST or None, access=access, initial=initial),
        lambda d: services.finding_update(by=request.user, finding=item, **d),
        _("The finding and its recommendation are changed."),
        reverse("oversight:audit", args=[code, found.pk]),
        {"plan": access.plan, "audit": found, "here": _("Change the finding"), "button": _SAVE},
        refusal=selectors.finding_refusal(item),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def hearing_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access, found = _hearing_recorder(request, code, pk)
    initial = {
        "committee": found.committee,
        "title": found.title,
        "held_on": found.held_on,
        "testified": found.testified,
        "questions": found.questions,
    }
    return _form_page(
        request,
        HearingForm(request.POST or None, access=access, initial=initial),
        lambda d: services.hearing_update(by=request.user, hearing=found, **d),
        _("The hearing is changed."),
        reverse("oversight:hearing", args=[code, found.pk]),
        {"plan": access.plan, "hearing": found, "here": _("Change the hearing"), "button": _SAVE},
        refusal=selectors.hearing_change_refusal(found),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def commitment_edit(request: SignedInRequest, code: str, pk: int, commitment: int) -> HttpResponse:
    access, found = _hearing_recorder(request, code, pk)
    item = selectors.commitment_of(found, commitment)
    rec = item.recommendation
    initial = {"text": rec.text, "addressees": list(rec.addressees.all()), "due_on": rec.due_on}
    here = _("Change the commitment")
    return _form_page(
        request,
        CommitmentForm(request.POST or None, initial=initial),
        lambda d: services.commitment_update(by=request.user, commitment=item, **d),
        _("The commitment is changed."),
        reverse("oversight:hearing", args=[code, found.pk]),
        {"plan": access.plan, "hearing": found, "here": here, "button": _SAVE},
        refusal=selectors.commitment_refusal(item),
    )


_GONE = gettext_lazy("Its recommendations leave the tracker with it. This cannot be undone.")


@require_POST
@login_required
def audit_remove(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access, found = _audit_recorder(request, code, pk)
    return _act(
        request,
        access.plan,
        lambda: services.audit_remove(by=request.user, audit=found),
        Confirmation(
            title=_("Remove the audit “%(title)s”?") % {"title": found.title},
            button=_("Remove the audit"),
            cancel_url=reverse("oversight:audit", args=[code, found.pk]),
            notes=[_("The audit and its findings are removed."), _GONE],
        ),
        _("The audit is removed."),
        reverse("oversight:index", args=[code]),
    )


@require_POST
@login_required
def finding_remove(request: SignedInRequest, code: str, pk: int, finding: int) -> HttpResponse:
    access, found = _audit_recorder(request, code, pk)
    item = selectors.finding_of(found, finding)
    back = reverse("oversight:audit", args=[code, found.pk])
    return _act(
        request,
        access.plan,
        lambda: services.finding_remove(by=request.user, finding=item),
        Confirmation(
            title=_("Remove this finding?"),
            button=_("Remove the finding"),
            cancel_url=back,
            notes=[item.text, _GONE],
        ),
        _("The finding is removed."),
        back,
    )


@require_POST
@login_required
def hearing_remove(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access, found = _hearing_recorder(request, code, pk)
    return _act(
        request,
        access.plan,
        lambda: services.hearing_remove(by=request.user, hearing=found),
        Confirmation(
            title=_("Remove the hearing “%(title)s”?") % {"title": found.title},
            button=_("Remove the hearing"),
            cancel_url=reverse("oversight:hearing", args=[code, found.pk]),
            notes=[_("The hearing and its commitments are removed."), _GONE],
        ),
        _("The hearing is removed."),
        reverse("oversight:index", args=[code]),
    )


@require_POST
@login_required
def commitment_remove(
    request: SignedInRequest, code: str, pk: int, commitment: int
) -> HttpResponse:
    access, found = _hearing_recorder(request, code, pk)
    item = selectors.commitment_of(found, commitment)
    back = reverse("oversight:hearing", args=[code, found.pk])
    return _act(
        request,
        access.plan,
        lambda: services.commitment_remove(by=request.user, commitment=item),
        Confirmation(
            title=_("Remove this commitment?"),
            button=_("Remove the commitment"),
            cancel_url=back,
            notes=[item.recommendation.text, _GONE],
        ),
        _("The commitment is removed."),
        back,
    )


_FINAL = gettext_lazy("Once published it is final: it can no longer be changed nor removed.")


@require_POST
@login_required
def audit_publish(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access, found = _audit_recorder(request, code, pk)
    back = reverse("oversight:audit", args=[code, found.pk])
    return _act(
        request,
        access.plan,
        lambda: services.audit_publish(by=request.user, audit=found),
        Confirmation(
            title=_("Publish the audit “%(title)s”?") % {"title": found.title},
            button=_("Publish the audit"),
            cancel_url=back,
            public=[
                _(
                    "On the plan's public pages: the audit's title, date, auditing body and "
                    "scope, and each finding with its severity, action, recommendation and its "
                    "status in the tracker."
                )
            ],
            notes=[_FINAL],
        ),
        _("The audit is published."),
        back,
    )


@require_POST
@login_required
def hearing_publish(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access, found = _hearing_recorder(request, code, pk)
    back = reverse("oversight:hearing", args=[code, found.pk])
    return _act(
        request,
        access.plan,
        lambda: services.hearing_publish(by=request.user, hearing=found),
        Confirmation(
            title=_("Publish the hearing “%(title)s”?") % {"title": found.title},
            button=_("Publish the hearing"),
            cancel_url=back,
            public=[
                _(
                    "On the plan's public pages: the hearing's title, date, committee and "
                    "questions, and each commitment with who committed, its due date and its "
                    "status in the tracker (not who testified)."
                )
            ],
            notes=[_FINAL],
        ),
        _("The hearing is published."),
        back,
    )
