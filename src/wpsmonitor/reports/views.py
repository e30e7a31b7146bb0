"""Pages of the standard report in the cycle (docs/reports.md, "In the cycle"): the plan's
generated reports with their progress and downloads, asking for one, publishing it, making it
the board's document, the narratives and the Word template. Views bind a form, call services
and selectors, render; plain forms, POST then redirect, no JavaScript (a report being built
refreshes its page with a <meta http-equiv="refresh">). Hidden reports answer 404, refused
actions 403."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.boards.models import PeriodicReport
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.reports import formats, naming, selectors, services, sharing
from wpsmonitor.reports.forms import LinkForm, NarrativeForm, RequestForm, TemplateForm
from wpsmonitor.reports.models import GeneratedReport, ReportScope, ReportVersion
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import ActionForm, error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest

# Seconds between two refreshes of a page showing a report being built.
REFRESH_SECONDS = 5


def _open_periodic_reports(access: PlanAccess) -> list[PeriodicReport]:
    """The board's reports a generated report may still become the document of."""
    return list(PeriodicReport.objects.filter(plan=access.plan).exclude(status="published"))


def _year_choices(access: PlanAccess) -> list[int]:
    return list(range(access.plan.start.year, access.plan.end.year + 1))


@require_safe
def report_list(request: HttpRequest, code: str) -> HttpResponse:
    """The plan's generated reports: every one for its members, the published ones for
    everyone else; the secretariat's form to ask for one."""
    access = plan_access(request.user, code)
    reports = selectors.generated_reports(access)
    can_generate = access.can_generate_reports()
    context: dict[str, Any] = {
        "plan": access.plan,
        "access": access,
        "reports": reports,
        "can_generate": can_generate,
        "can_write": access.can_write_report_narratives(),
        "can_template": access.can_upload_report_template(),
        "refresh": REFRESH_SECONDS if any(r.is_running for r in reports) else None,
        "formats": formats.FORMATS,
    }
    if can_generate:
        context |= {
            "scopes": ReportScope.choices,
            "versions": ReportVersion.choices,
            "languages": settings.LANGUAGES,
            "years": _year_choices(access),
            # The last year over by default: an annual report is written once its year is.
            "default_year": min(
                max(timezone.localdate().year - 1, access.plan.start.year), access.plan.end.year
            ),
            "language": get_language(),
            "periodic_reports": _open_periodic_reports(access),
        }
    return render(request, "reports/list.html", context)


def _generator(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_generate_reports():
        raise PermissionDenied
    return access


def _periodic(access: PlanAccess, pk: int | None) -> PeriodicReport | None:
    if pk is None:
        return None
    found = PeriodicReport.objects.filter(plan=access.plan, pk=pk).first()
    if found is None:
        raise ValidationError(_("Choose one of the board's reports."))
    return found


@require_POST
@login_required
def report_request(request: SignedInRequest, code: str) -> HttpResponse:
    access = _generator(request, code)
    try:
        data = valid_data(RequestForm(request.POST))
        data["periodic_report"] = _periodic(access, data["periodic_report"])
        report = services.report_request(by=request.user, plan=access.plan, **data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("reports:list", code=code)
    messages.success(request, _("The report is asked for: you will get a mail when it is ready."))
    return redirect("reports:report", code=code, pk=report.pk)


def _report(request: HttpRequest, code: str, pk: int) -> tuple[PlanAccess, GeneratedReport]:
    access = plan_access(request.user, code)
    return access, selectors.generated_report(access, pk)


@require_safe
def report(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access, found = _report(request, code, pk)
    can_generate = access.can_generate_reports()
    context: dict[str, Any] = {
        "plan": access.plan,
        "access": access,
        "report": found,
        "refresh": REFRESH_SECONDS if found.is_running else None,
        "formats": formats.FORMATS,
        "can_generate": can_generate,
        "can_publish": can_generate
        and found.version == ReportVersion.PUBLIC
        and found.status == "ready"
        and not found.published,
        "can_link": can_generate
        and found.version == ReportVersion.PUBLIC
        and found.status == "ready"
        and not found.published,
        "periodic_reports": _open_periodic_reports(access) if can_generate else [],
        # Sharing with parliament (docs/oversight.md): the formats a coordinator may share.
        "share_formats": sharing.share_formats(found)
        if access.can_share_with_parliament() and not sharing.refusal(found)
        else [],
    }
    return render(request, "reports/generated.html", context)


def _confirmation(access: PlanAccess, found: GeneratedReport) -> Confirmation:
    return Confirmation(
        title=_("Publish “%(title)s”?") % {"title": found.title},
        button=_("Publish the report"),
        cancel_url=reverse("reports:report", args=[access.plan.code, found.pk]),
        public=[
            _(
                "The report in every format (PDF, Word, Excel) and its figures, to everyone "
                "who reads the plan, on the plan's public page."
            )
        ],
        blank=[],
        blank_title=_("Before you confirm"),
        notes=[_("A published report is kept as it was generated: it cannot be changed.")],
    )


@require_POST
@login_required
def report_act(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Publish (asks first), regenerate, or make it the board's report's document."""
    access, found = _report(request, code, pk)
    if not access.can_generate_reports():
        raise PermissionDenied
    what = ActionForm(request.POST).action()
    if what == "publish" and not confirmed(request):
        return confirm_page(request, _confirmation(access, found))
    try:
        if what == "publish":
            services.report_publish(by=request.user, report=found)
            messages.success(request, _("The report is published."))
        elif what == "regenerate":
            again = services.report_regenerate(by=request.user, report=found)
            messages.success(
                request, _("The report is being generated again: the one before is kept.")
            )
            return redirect("reports:report", code=code, pk=again.pk)
        elif what == "link":
            periodic = _periodic(access, valid_data(LinkForm(request.POST))["periodic_report"])
            assert periodic is not None
            services.report_link_board(by=request.user, report=found, periodic_report=periodic)
            messages.success(request, _("The report is the board's document: its members sign it."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("reports:report", code=code, pk=pk)


@require_safe
def report_download(request: HttpRequest, code: str, pk: int, fmt: str) -> FileResponse:
    """A file of the report, to whoever may read it (never from the media folder)."""
    _access, found = _report(request, code, pk)
    stored = found.file_of(fmt)
    if stored is None:
        raise Http404("No file")
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=naming.download_name(found, fmt),
        content_type=formats.CONTENT_TYPES[fmt],
    )
    if not found.published:
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _chosen(request: HttpRequest, access: PlanAccess) -> tuple[str, int, str]:
    """The report whose narratives are shown: scope, year, language from the query."""
    scope = request.GET.get("scope", ReportScope.YEAR)
    if scope not in ReportScope.values:
        scope = ReportScope.YEAR
    years = _year_choices(access)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = min(max(years[0], access.plan.end.year), years[-1])
    if year not in years:
        year = years[-1]
    codes = [c for c, _name in settings.LANGUAGES]
    language = request.GET.get("language") or get_language() or "en"
    if language not in codes:
        language = codes[0]
    return scope, year, language


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def narratives(request: SignedInRequest, code: str) -> HttpResponse:
    """The secretariat's words of a report: its summary and one per pillar, each kept as
    versions (the history under each)."""
    access = plan_access(request.user, code)
    if not access.can_write_report_narratives():
        raise PermissionDenied
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        try:
            data = valid_data(form)
            node = None
            if data["node"] is not None:
                node = FrameworkNode.objects.filter(plan=access.plan, pk=data["node"]).first()
                if node is None:
                    raise ValidationError(_("The part belongs to another plan."))
            data["node"] = node
            services.narrative_save(by=request.user, plan=access.plan, **data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The narrative is saved as a new version."))
        query = f"?scope={request.POST.get('scope', '')}&year={request.POST.get('year', '')}"
        query += f"&language={request.POST.get('language', '')}"
        return redirect(reverse("reports:narratives", args=[code]) + query)
    scope, year, language = _chosen(request, access)
    parts: list[dict[str, Any]] = []
    for node in [None, *selectors.pillars(access.plan)]:
        history = selectors.narrative_history(
            access.plan, scope=scope, year=year, node=node, language=language
        )
        parts.append({"node": node, "history": history, "current": history[0] if history else None})
    context = {
        "plan": access.plan,
        "access": access,
        "scope": scope,
        "year": year,
        "language": language,
        "scopes": ReportScope.choices,
        "years": _year_choices(access),
        "languages": settings.LANGUAGES,
        "parts": parts,
    }
    return render(request, "reports/narratives.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def template(request: SignedInRequest, code: str) -> HttpResponse:
    """The plan's Word template: the one in use, and the form to replace it. A refused
    template lists every problem found in it."""
    access = plan_access(request.user, code)
    if not access.can_upload_report_template():
        raise PermissionDenied
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST, request.FILES)
        try:
            data = valid_data(form)
            services.template_upload(by=request.user, plan=access.plan, upload=data["file"])
        except ValidationError as exc:
            problems = [str(m) for m in exc.messages]
            status = 400
        else:
            messages.success(request, _("The template is accepted: the next reports use it."))
            return redirect("reports:template", code=code)
    context = {
        "plan": access.plan,
        "access": access,
        "current": selectors.template_of(access.plan),
        "problems": problems,
    }
    return render(request, "reports/template.html", context, status=status)
