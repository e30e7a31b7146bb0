"""The move-in page (docs/moving-in.md): a coordinator uploads another system's export, checks
it, downloads the mapping sheet of what it could not match, fills it and imports."""

from __future__ import annotations

import base64
import contextlib
from io import BytesIO
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.exchange import forms
from wpsmonitor.exchange.importer import ImportFailed
from wpsmonitor.exchange.models import LabelMapping
from wpsmonitor.exchange.movein.records import read_records
from wpsmonitor.exchange.movein.run import MoveInResult
from wpsmonitor.exchange.services import plan_move_in
from wpsmonitor.shell.forms import error_text, form_error_text
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.uploads import saved_upload

# The last mapping sheet of a plan, in the user's session (a few kilobytes: one line a label).
_SHEET_KEY = "movein-sheet:{code}"
_SHOWN = 50  # unmatched labels listed on the page; the sheet has them all
# A bigger sheet (tens of thousands of labels: most likely a column taken for another) is not
# kept in the session; the command writes it to a file.
_SHEET_MAX_BYTES = 2 * 1024 * 1024


def _coordinated(request: SignedInRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_manage():
        raise PermissionDenied
    return access


@require_http_methods(["GET", "POST"])
@login_required
def moving_in(request: SignedInRequest, code: str) -> HttpResponse:
    access = _coordinated(request, code)
    plan = access.plan
    problems: list[str] = []
    result: MoveInResult | None = None
    if request.method == "POST":
        form = forms.MoveInForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with contextlib.ExitStack() as stack:
                    path = stack.enter_context(
                        saved_upload(data["file"], default_name="export.csv")
                    )
                    mapping: list[Path] = []
                    if data["mapping"] is not None:
                        mapping.append(
                            stack.enter_context(
                                saved_upload(data["mapping"], default_name="mapping.xlsx")
                            )
                        )
                    # Read before the service's transaction: no write lock while it is parsed.
                    files = read_records([path])
                    result = plan_move_in(
                        by=request.user,
                        plan=plan,
                        files=files,
                        mapping_paths=mapping,
                        dry_run=data["step"] == "check",
                    )
            except ImportFailed as failed:
                problems = [str(problem) for problem in failed.problems]
            except ValidationError as exc:
                problems = [error_text(exc)]
            else:
                key = _SHEET_KEY.format(code=plan.code)
                if result.mapping_sheet is not None:
                    if len(result.mapping_sheet) > _SHEET_MAX_BYTES:
                        request.session.pop(key, None)
                        problems = [
                            _(
                                "%(count)s labels match nothing: too many for a mapping sheet "
                                "here. Check the file's columns, or use the command wpsmonitor "
                                "movein, which writes the sheet to a file."
                            )
                            % {"count": len(result.unmatched)}
                        ]
                    else:
                        request.session[key] = base64.b64encode(result.mapping_sheet).decode(
                            "ascii"
                        )
                elif not result.dry_run:
                    request.session.pop(key, None)
                    messages.success(
                        request,
                        _(
                            "Moved in: %(values)s values (%(created)s created, %(updated)s "
                            "updated, %(unchanged)s unchanged) and %(items)s list items; "
                            "%(kept)s mapped labels kept for the next time."
                        )
                        % {
                            "values": result.values,
                            "created": result.created,
                            "updated": result.updated,
                            "unchanged": result.unchanged,
                            "items": result.list_items,
                            "kept": result.remembered,
                        },
                    )
                    return redirect("exchange:moving_in", code=plan.code)
        else:
            problems = [form_error_text(form)]
    context = {
        "plan": plan,
        "problems": problems,
        "result": None if problems else result,
        "unmatched": result.unmatched[:_SHOWN] if result is not None and not problems else [],
        "kept": LabelMapping.objects.filter(plan=plan).count(),
    }
    return render(request, "exchange/moving_in.html", context, status=400 if problems else 200)


@require_safe
@login_required
def mapping_download(request: SignedInRequest, code: str) -> FileResponse:
    """The mapping sheet of the user's last check of this plan."""
    access = _coordinated(request, code)
    stored = request.session.get(_SHEET_KEY.format(code=access.plan.code))
    if not stored:
        raise Http404("No mapping sheet")
    response = FileResponse(
        BytesIO(base64.b64decode(stored)),
        as_attachment=True,
        filename=f"{access.plan.code}-mapping.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
