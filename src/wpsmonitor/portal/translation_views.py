"""The plan's missing-translation report (portal/translations.py): a page for the plan's members,
with a table a language and its CSV and XLSX downloads (no JavaScript needed)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.core.translated import language_name, shown
from wpsmonitor.portal.translations import LanguageReport, translation_report
from wpsmonitor.shell.downloads import Table, TableBuilders, page_url, requested, respond

# Rows a language's table shows on the page; the download holds them all.
PAGE_ROWS = 300


def _access(request: HttpRequest, code: str) -> PlanAccess:
    """404 for a plan the user may not read (drafts), 403 for one they read but are not a
    member of, as the plan's other member pages."""
    access = plan_access(request.user, code)
    if not access.can_read_translation_report():
        raise PermissionDenied
    return access


def _table(report: LanguageReport) -> Table:
    return Table(
        key=report.language,
        title=_("Texts with no %(language)s text") % {"language": language_name(report.language)},
        columns=[_("Kind"), _("Code"), _("Field"), _("Original language"), _("Original text")],
        rows=[
            [text.kind_label, text.code, text.field_label, text.original_language, text.original]
            for text in report.missing
        ],
    )


def _tables(reports: list[LanguageReport]) -> TableBuilders:
    return {report.language: partial(_table, report) for report in reports}


@require_safe
@login_required
def plan_translations(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request, code)
    plan = access.plan
    report = translation_report(access)
    wanted = requested(request)
    if wanted:
        return respond(
            wanted,
            _tables(report.languages),
            name=[plan.code, "translations"],
            about=[
                (_("Plan"), shown(plan, "title").text),
                (_("Original language"), language_name(report.original_language)),
                (_("Page"), page_url(request)),
            ],
        )
    languages = [
        {
            "report": language,
            "name": language_name(language.language),
            "rows": language.missing[:PAGE_ROWS],
            "more": max(0, len(language.missing) - PAGE_ROWS),
        }
        for language in report.languages
    ]
    context = {
        "plan": plan,
        "original_name": language_name(report.original_language),
        "languages": languages,
    }
    return render(request, "portal/translations.html", context)
