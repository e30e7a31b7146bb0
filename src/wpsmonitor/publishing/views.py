"""The plan's releases page, for those who may prepare releases (no JavaScript needed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseGone
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.core.errors import NotFound
from wpsmonitor.publishing import opendata, selectors, services
from wpsmonitor.publishing.forms import ResolveForm, WithdrawForm
from wpsmonitor.publishing.models import DisclosureAuditEntry, Release, ReleaseStatus
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.public_cache import public_page
from wpsmonitor.shell.requests import SignedInRequest


def _access(request: SignedInRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_prepare_release():
        raise PermissionDenied
    return access


def _release(access: PlanAccess, number: int) -> Release:
    try:
        return selectors.release_by_number(access.plan, number, drafts=True)
    except NotFound:
        raise Http404 from None


def _readable(request: HttpRequest, code: str, number: int) -> tuple[PlanAccess, Release]:
    """A release anyone who may read the plan may read: drafts only to their preparers."""
    access = plan_access(request.user, code)
    try:
        release = selectors.release_by_number(
            access.plan, number, drafts=access.can_prepare_release()
        )
    except NotFound:
        raise Http404 from None
    return access, release


def _withdrawn(release: Release) -> str:
    return _("Release %(number)s was withdrawn: %(reason)s") % {
        "number": release.number,
        "reason": release.withdrawal_reason,
    }


@require_safe
@public_page
def release(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """A release's public page: what it is, its licence and provenance, its downloads
    (none when it was withdrawn: the page says why, with 410)."""
    access, found = _readable(request, code, number)
    withdrawn = found.status == ReleaseStatus.WITHDRAWN
    downloads = (
        []
        if withdrawn
        else [
            (
                fmt,
                label,
                reverse("publishing:release_download", args=[access.plan.code, found.number, fmt]),
                opendata.file_name(found, fmt),
            )
            for fmt, label in (
                ("csv", _("Tidy CSV")),
                ("xlsx", _("XLSX workbook")),
                ("datapackage", _("Frictionless Data Package (zip)")),
                ("sdmx", _("SDMX-CSV (SDG series only)")),
            )
        ]
    )
    context = {
        "plan": access.plan,
        "release": found,
        "about": opendata.provenance(found),
        "downloads": downloads,
        "withdrawn": withdrawn,
        "may_prepare": access.can_prepare_release(),
    }
    return render(request, "publishing/release.html", context, status=410 if withdrawn else 200)


@require_safe
def release_download(request: HttpRequest, code: str, number: int, fmt: str) -> HttpResponseBase:
    """One open-data file of a release (docs/publishing.md, "Open data")."""
    if fmt not in opendata.FORMATS:
        raise Http404("No such format")
    access, found = _readable(request, code, number)
    if found.status == ReleaseStatus.WITHDRAWN:
        return HttpResponseGone(_withdrawn(found), content_type="text/plain; charset=utf-8")
    page = request.build_absolute_uri(
        reverse("publishing:release", args=[access.plan.code, found.number])
    )
    return opendata.response(found, fmt, page_url=page)


def _back(code: str) -> HttpResponse:
    return redirect(reverse("publishing:releases", args=[code]))


@require_safe
@login_required
def releases(request: SignedInRequest, code: str) -> HttpResponse:
    access = _access(request, code)
    rows = list(selectors.releases_of(access.plan, drafts=True))
    draft = next((r for r in rows if r.is_draft), None)
    audit, audit_count = selectors.audit_of(draft) if draft is not None else ([], 0)
    context = {
        "plan": access.plan,
        "releases": rows,
        "draft": draft,
        "audit": audit,
        "audit_count": audit_count,
        "open_problems": selectors.open_problems(draft) if draft is not None else 0,
        "withdraw_form": WithdrawForm(),
        "resolve_form": ResolveForm(),
    }
    return render(request, "publishing/releases.html", context)


@require_POST
@login_required
def prepare(request: SignedInRequest, code: str) -> HttpResponse:
    access = _access(request, code)
    release = services.release_prepare(by=request.user, plan=access.plan)
    messages.success(
        request, _("Release %(number)s prepared as a draft.") % {"number": release.number}
    )
    return _back(code)


@require_POST
@login_required
def publish(request: SignedInRequest, code: str, number: int) -> HttpResponse:
    access = _access(request, code)
    release = _release(access, number)
    if not confirmed(request):
        return confirm_page(
            request,
            Confirmation(
                title=_("Publish release %(number)s?") % {"number": release.number},
                button=_("Publish the release"),
                cancel_url=reverse("publishing:releases", args=[code]),
                public=[
                    _("%(count)s figures, anyone may read and download them.")
                    % {"count": release.figures},
                    _("%(count)s figures suppressed to protect small counts.")
                    % {"count": release.suppressed},
                ],
                notes=[_("A published release is never changed: a correction is a new release.")],
            ),
        )
    try:
        services.release_publish(by=request.user, release=release, confirm=True)
        messages.success(request, _("Release %(number)s published.") % {"number": number})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _back(code)


@require_POST
@login_required
def withdraw(request: SignedInRequest, code: str, number: int) -> HttpResponse:
    access = _access(request, code)
    release = _release(access, number)
    try:
        data = valid_data(WithdrawForm(request.POST))
        services.release_withdraw(by=request.user, release=release, reason=data["reason"])
        messages.success(request, _("Release %(number)s withdrawn.") % {"number": number})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _back(code)


@require_POST
@login_required
def resolve(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _access(request, code)
    entry = DisclosureAuditEntry.objects.filter(pk=pk, release__plan=access.plan).first()
    if entry is None:
        raise Http404
    try:
        data = valid_data(ResolveForm(request.POST))
        services.audit_resolve(by=request.user, entry=entry, note=data["note"])
        messages.success(request, _("Problem resolved."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _back(code)
