"""The plan's missing-translation report in the API (portal/translations.py): the same selector
and the same rights as the plan's translations page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import READ_ERRORS, ErrorOut, Offset, bad_parameter, page_limit
from wpsmonitor.core.translated import language_codes
from wpsmonitor.portal.translations import translation_report

router = Router(tags=["plans"], auth=READ_AUTH)

MISSING_PAGE_DEFAULT = 500
MISSING_PAGE_MAX = 2000


class MissingTextOut(Schema):
    kind: str = Field(
        description="plan, node, indicator, option (of the plan's own dimensions: "
        "dimension.option), organisation or recommendation (its id)"
    )
    code: str
    field: str = Field(description="title, definition, unit, means_of_verification, name or text")
    original_language: str
    original: str = Field(description="The text in its original language")


class LanguageReportOut(Schema):
    language: str
    total: int = Field(description="The plan's texts to translate into this language")
    translated: int
    missing_count: int
    percent: int = Field(description="Share translated, whole percent rounded down")
    missing: list[MissingTextOut] = Field(description="A page of the missing texts (limit, offset)")


class TranslationReportOut(Schema):
    plan: str
    original_language: str
    languages: list[LanguageReportOut]


class TranslationFilters(Schema):
    language: str | None = Field(None, description="Only this language (e.g. es)")
    limit: int = page_limit(MISSING_PAGE_DEFAULT, MISSING_PAGE_MAX)
    offset: Offset = 0


@router.get(
    "/{plan}/translations",
    response={200: TranslationReportOut, 403: ErrorOut, **READ_ERRORS},
    summary="What is left to translate in a plan",
    operation_id="plan_translations",
)
def plan_translations(
    request: HttpRequest, plan: str, filters: Query[TranslationFilters]
) -> dict[str, Any]:
    """For each language other than the plan's original, how many of its texts have a text in
    it, and which have none (docs/languages.md, "What is left to translate"). The plan's
    members and the administrator."""
    access = access_for_api(request, plan)
    if not access.can_read_translation_report():
        raise PermissionDenied(_("Only the plan's members read what is left to translate."))
    if filters.language is not None and filters.language not in language_codes():
        raise bad_parameter("language", _("not one of the platform's languages"))
    report = translation_report(access)
    end = filters.offset + filters.limit
    return {
        "plan": access.plan.code,
        "original_language": report.original_language,
        "languages": [
            {
                "language": language.language,
                "total": language.total,
                "translated": language.translated,
                "missing_count": len(language.missing),
                "percent": language.percent,
                "missing": [
                    {
                        "kind": text.kind,
                        "code": text.code,
                        "field": text.field,
                        "original_language": text.original_language,
                        "original": text.original,
                    }
                    for text in language.missing[filters.offset : end]
                ],
            }
            for language in report.languages
            if filters.language in (None, language.language)
        ],
    }
