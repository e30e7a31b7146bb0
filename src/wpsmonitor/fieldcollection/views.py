"""Pages of field collection: the assignments of the open rounds with their XLSForm, the
upload of exported submissions, and, for the coordinator, the collection server."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.core.spreadsheets import FileRefused
from wpsmonitor.core.translated import reader_language
from wpsmonitor.fieldcollection import forms, remote, selectors, services
from wpsmonitor.fieldcollection.clients import configured_server
from wpsmonitor.fieldcollection.models import BatchOrigin, FieldBatch
from wpsmonitor.fieldcollection.records import read_file
from wpsmonitor.fieldcollection.xlsform import form_spec, write_xlsx
from wpsmonitor.shell.forms import error_text, form_error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.uploads import saved_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _collector(request: SignedInRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_collect_in_field():
        raise PermissionDenied
    return access


def _page(
    request: SignedInRequest, access: PlanAccess, problems: list[str] | None = None
) -> HttpResponse:
    server = configured_server()
    context = {
        "plan": access.plan,
        "access": access,
        "assignments": selectors.collected(access),
        "server": server.kind if server and access.can_use_field_server() else "",
        "problems": problems or [],
        "language": reader_language(),
    }
    return render(request, "fieldcollection/page.html", context, status=400 if problems else 200)


@require_safe
@login_required
def collection(request: SignedInRequest, code: str) -> HttpResponse:
    return _page(request, _collector(request, code))


@require_safe
@login_required
def form_download(
    request: SignedInRequest, code: str, period: str, organisation: str, area: str
) -> HttpResponse:
    """The assignment's XLSForm, in the chosen language (the reader's by default)."""
    access = _collector(request, code)
    round_, org, place = selectors.assignment_for(access, period, organisation, area)
    chosen = forms.FormLanguageForm(request.GET)
    language = (chosen.cleaned_data["language"] if chosen.is_valid() else "") or reader_language()
    try:
        spec = form_spec(round_, org, place, language)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("fieldcollection:page", code=code)
    response = HttpResponse(write_xlsx(spec), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{spec.filename()}"'
    return response


@require_POST
@login_required
def upload(
    request: SignedInRequest, code: str, period: str, organisation: str, area: str
) -> HttpResponse:
    """Exported submissions (CSV, XLSX, JSON) imported into the assignment's draft."""
    access = _collector(request, code)
    round_, org, place = selectors.assignment_for(access, period, organisation, area)
    if not access.can_enter_for(org.pk, place, civil_society=False):
        raise PermissionDenied
    form = forms.SubmissionsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, access, [form_error_text(form)])
    upload_file = form.cleaned_data["file"]
    try:
        with saved_upload(upload_file, default_name="submissions") as path:
            records = read_file(path)  # parsed before the import's transaction
        batch = services.records_import(
            by=request.user,
            round_=round_,
            organisation=org,
            area=place,
            records=records,
            origin=BatchOrigin.UPLOAD,
            filename=path.name,
            access=access,
        )
    except FileRefused as exc:
        return _page(request, access, [f"{upload_file.name}: {exc}"])
    except services.FieldImportRefused as refused:
        return _page(request, access, [refused.summary(), *refused.lines()])
    except ValidationError as exc:
        return _page(request, access, [error_text(exc)])
    return _imported(request, batch, code)


def _imported(request: SignedInRequest, batch: FieldBatch, code: str) -> HttpResponse:
    messages.success(
        request,
        _(
            "Imported into the draft: %(imported)s submissions, %(skipped)s skipped as already "
            "imported. Review the draft, then submit it."
        )
        % {"imported": batch.imported, "skipped": batch.skipped},
    )
    if batch.submission_id:
        return redirect("reporting:submission", pk=batch.submission_id)
    return redirect("fieldcollection:page", code=code)


@require_POST
@login_required
def server_action(
    request: SignedInRequest, code: str, period: str, organisation: str, area: str
) -> HttpResponse:
    """Send the form to the server, or pull its submissions (the coordinator)."""
    access = _collector(request, code)
    if not access.can_use_field_server():
        raise PermissionDenied
    round_, org, place = selectors.assignment_for(access, period, organisation, area)
    try:
        action = valid_data(forms.ServerActionForm(request.POST))
        if action["do"] == "send":
            remote.form_send(
                by=request.user,
                access=access,
                round_=round_,
                organisation=org,
                area=place,
                language=action["language"] or reader_language(),
            )
            messages.success(request, _("The form is on the server."))
        else:
            batch = remote.submissions_pull(
                by=request.user, access=access, round_=round_, organisation=org, area=place
            )
            messages.success(
                request,
                _(
                    "%(count)s submissions pulled: the organisation's focal points import them "
                    "into their draft."
                )
                % {"count": len(batch.records)},
            )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("fieldcollection:page", code=code)


@require_POST
@login_required
def batch_import(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """A pulled batch imported into the draft by a focal point of the organisation."""
    access = _collector(request, code)
    batch = selectors.batch_for(access, pk)
    if not access.can_enter_for(batch.organisation_id, batch.area, civil_society=False):
        raise PermissionDenied
    if not batch.is_pending:
        raise Http404("No such batch")
    try:
        batch = services.batch_import(by=request.user, batch=batch, access=access)
    except services.FieldImportRefused as refused:
        return _page(request, access, [refused.summary(), *refused.lines()])
    except ValidationError as exc:
        return _page(request, access, [error_text(exc)])
    return _imported(request, batch, code)
