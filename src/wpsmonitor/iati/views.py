"""The IATI import pages: a coordinator uploads files for their plan; the import runs off the
request path (django-tasks) and its page shows the progress (refreshing itself, no JavaScript
needed) and then the summary. Rights: the plan's coordinators and the administrator; others
who may read the plan get 403, those who may not 404, anonymous visitors the sign-in page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.iati.forms import ImportForm
from wpsmonitor.iati.importer import (
    fail_abandoned_runs,
    plan_country,
    read_progress,
    skip_reason_label,
)
from wpsmonitor.iati.models import ImportRun, ImportStatus
from wpsmonitor.iati.reader import IatiFileRefused, check_prolog
from wpsmonitor.iati.tasks import import_iati_run, upload_folder
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.uploads import safe_name, write_chunks

REFRESH_SECONDS = 3


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The summary in sentences (the command prints them; the page shows them too)."""
    if "activities_read" not in summary:
        return []
    lines = []
    for f in summary.get("files", []):
        if f.get("kind") == "organisations":
            lines.append(
                _("%(name)s: organisation file (IATI %(version)s), %(n)s organisation(s)")
                % {"name": f["name"], "version": f["version"], "n": f["organisations"]}
            )
        else:
            version = f["version"] if f.get("version_given") else _("1.01 (no version given)")
            lines.append(
                _("%(name)s: activity file (IATI %(version)s), %(n)s activities")
                % {"name": f["name"], "version": version, "n": f"{f['activities']:,}"}
            )
    sectors = summary.get("sector_activities", {})
    lines.append(
        _(
            "Activities read: %(read)s (with a gender marker: %(g)s; with 15170: %(a)s, "
            "15180: %(b)s, 15220: %(c)s)"
        )
        % {
            "read": f"{summary['activities_read']:,}",
            "g": f"{summary.get('gender_marked', 0):,}",
            "a": sectors.get("15170", 0),
            "b": sectors.get("15180", 0),
            "c": sectors.get("15220", 0),
        }
    )
    if summary.get("legacy_15164"):
        lines.append(
            _("Legacy purpose code 15164 read as 15170 in %(n)s activities")
            % {"n": summary["legacy_15164"]}
        )
    lines.append(
        _("Kept: %(kept)s (%(replaced)s replaced an earlier import)")
        % {"kept": f"{summary['kept']:,}", "replaced": f"{summary.get('replaced', 0):,}"}
    )
    skipped = {k: v for k, v in summary.get("skipped", {}).items() if v}
    lines.append(
        _("Skipped: %(n)s") % {"n": f"{sum(skipped.values()):,}"}
        + "".join(
            pgettext("list separator", "; ")
            # Translators: a reason for skipping activities and how many were skipped for it,
            # e.g. "not in the plan's countries: 12".
            + _("%(reason)s: %(n)s") % {"reason": skip_reason_label(reason), "n": f"{count:,}"}
            for reason, count in sorted(skipped.items())
        )
    )
    if summary.get("duplicates"):
        lines.append(
            _("Read twice in this import (the later copy kept): %(n)s")
            % {"n": summary["duplicates"]}
        )
    lines.append(
        _("Transactions stored: %(n)s (read: %(read)s; malformed and skipped: %(bad)s)")
        % {
            "n": f"{summary.get('transactions', 0):,}",
            "read": f"{summary.get('transactions_read', 0):,}",
            "bad": f"{summary.get('transactions_skipped', 0):,}",
        }
    )
    if summary.get("organisations"):
        lines.append(
            _("Organisations of organisation files: %(n)s, with %(b)s budgets")
            % {"n": summary["organisations"], "b": summary.get("budgets", 0)}
        )
    lines.append(
        _("Problems: %(n)s (%(s).1f s)")
        % {"n": f"{summary.get('problems_total', 0):,}", "s": summary.get("seconds", 0)}
    )
    return lines


def _managed(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_manage():
        raise PermissionDenied
    return access


@require_http_methods(["GET", "POST"])
@login_required
def import_page(request: SignedInRequest, code: str) -> HttpResponse:
    """Upload IATI files for the plan, with the relevance filter; list the plan's imports."""
    access = _managed(request, code)
    plan = access.plan
    problems: list[str] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            run = _queue(request, form, plan, problems)
            if run is not None:
                return redirect("iati:import_run", code=code, pk=run.pk)
        else:
            problems = [str(e) for errors in form.errors.values() for e in errors]
    else:
        form = ImportForm(initial={"countries": plan_country(plan)})
    fail_abandoned_runs()
    runs = ImportRun.objects.filter(plan=plan).select_related("user")[:20]
    return render(
        request,
        "iati/import.html",
        {"plan": plan, "access": access, "form": form, "problems": problems, "runs": runs},
        status=400 if problems else 200,
    )


def _queue(
    request: SignedInRequest, form: ImportForm, plan: Any, problems: list[str]
) -> ImportRun | None:
    """Save the uploads, check each before anything is queued (a hostile or non-IATI file is
    refused here, at once), then queue the import."""
    uploads = form.cleaned_data["iati_files"]
    with transaction.atomic():
        run = ImportRun.objects.create(
            user=request.user if request.user.is_authenticated else None,
            plan=plan,
            filter=form.cleaned_data["filter"].as_dict(),
            status=ImportStatus.QUEUED,
        )
        folder = upload_folder(run.pk)
        folder.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        for number, upload in enumerate(uploads, start=1):
            name = safe_name(upload.name or "")
            if name in ("", ".", ".."):
                name = "iati.xml"
            # Numbered folders: two uploads with the same name stay apart.
            path = folder / str(number) / name
            path.parent.mkdir()
            write_chunks(upload, path)
            try:
                check_prolog(path)
            except IatiFileRefused as exc:
                # Translators: a file's name and why it is refused.
                problems.append(_("%(name)s: %(problem)s") % {"name": name, "problem": exc.message})
            paths.append(path)
        if problems:
            shutil.rmtree(folder, ignore_errors=True)
            transaction.set_rollback(True)
            return None
        run.filenames = [str(p) for p in paths]
        run.bytes_total = sum(p.stat().st_size for p in paths)
        run.save(update_fields=["filenames", "bytes_total"])
        run_id = run.pk
        transaction.on_commit(lambda: import_iati_run.enqueue(run_id))
    return run


@require_safe
@login_required
def import_run(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """One import: progress while it runs (the page refreshes itself), then its summary."""
    access = _managed(request, code)
    fail_abandoned_runs()
    run = ImportRun.objects.filter(pk=pk, plan=access.plan).select_related("user").first()
    if run is None:
        raise Http404("No such import")
    progress = read_progress(run.pk) if run.status == ImportStatus.RUNNING else {}
    percent = run.percent
    if progress.get("bytes_total"):
        percent = min(99, int(100 * progress.get("bytes_read", 0) / progress["bytes_total"]))
    return render(
        request,
        "iati/import_run.html",
        {
            "plan": access.plan,
            "run": run,
            "names": [Path(n).name for n in run.filenames],
            "finished": run.status in (ImportStatus.DONE, ImportStatus.FAILED),
            "percent": percent,
            "progress": progress,
            "lines": summary_lines(run.summary),
            "refresh": REFRESH_SECONDS,
        },
    )
