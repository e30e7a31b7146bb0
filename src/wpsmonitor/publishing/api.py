"""Releases in the JSON API (docs/api.md, docs/publishing.md "The release").

Anyone who may read the plan, anonymous readers included, reads its published releases; drafts
are listed only to those who may prepare them (and the disclosure audit never leaves the pages).
A suppressed figure has no value, numerator or denominator (null) and its flag and text ("fewer
than 5") instead. A withdrawn release answers 410 with the reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.accounts.auth import bearer_auth, session_auth
from wpsmonitor.core.api import (
    READ_ERRORS,
    ApiError,
    ErrorOut,
    Offset,
    fast_json,
    not_found,
    page_limit,
    page_url,
)
from wpsmonitor.core.errors import NotFound
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.publishing import opendata, selectors
from wpsmonitor.publishing.disclosure import conf_status_of
from wpsmonitor.publishing.flags import figure_text
from wpsmonitor.publishing.models import Release, ReleaseStatus

FIGURE_PAGE_DEFAULT = 1_000
FIGURE_PAGE_MAX = 10_000
MAX_NUMBER = 2**31 - 1
ReleaseNumber = Annotated[
    int, Field(ge=1, le=MAX_NUMBER, description="A release number (1 to 2,147,483,647)")
]


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last of the read doors: a reader without token or session reads as anonymous."""
    return AnonymousUser()


router = Router(tags=["releases"], auth=[bearer_auth, session_auth, anonymous])


class ReleaseOut(Schema):
    number: int
    status: str = Field(description="draft (to its preparers only), published or withdrawn")
    prepared_at: datetime
    published_at: datetime | None
    withdrawn_at: datetime | None
    withdrawal_reason: str = Field(description="Why it was withdrawn (empty otherwise)")
    licence: str = Field(description="SPDX id of the licence of its figures")
    figures: int
    suppressed: int
    added: int
    changed: int
    removed: int
    newly_suppressed: int
    change_log: str = Field(description="Changes since the previous published release")


class ReleaseFigureOut(Schema):
    indicator: str = Field(description="Indicator code")
    period: str
    area: str = Field(description="Area code")
    cell: str = Field(description='"" for the total, "dim=option" for a margin')
    source: str = Field(description="Source code: the government or one civil-society stream")
    source_kind: str = Field(description="government or civil_society (never merged)")
    organisation: str | None = Field(description="The civil-society organisation's code")
    value: float | None = Field(description="null when suppressed (see flag)")
    numerator: float | None
    denominator: float | None
    flag: str | None = Field(description="null (free), primary, secondary or derived")
    conf_status: str = Field(description="SDMX CONF_STATUS: F, A or D")
    text: str = Field(description='The figure as shown: the number, or "fewer than 5"')
    kind: str
    unit: str


class ReleaseFiguresPageOut(Schema):
    release: ReleaseOut
    count: int
    next: str | None
    items: list[ReleaseFigureOut]


class FigureFilters(Schema):
    indicator: str | None = Field(None, max_length=64, description="An indicator code")
    area: str | None = Field(None, max_length=64, description="An area code")
    period: str | None = Field(None, max_length=10, description="A period code (2025, 2025Q1, ALL)")
    limit: int = page_limit(FIGURE_PAGE_DEFAULT, FIGURE_PAGE_MAX)
    offset: Offset = 0


def _access(request: HttpRequest, plan: str) -> PlanAccess:
    return plan_access(request.auth, plan)  # type: ignore[attr-defined]


def _release_out(release: Release) -> dict[str, Any]:
    return {
        "number": release.number,
        "status": release.status,
        "prepared_at": release.prepared_at,
        "published_at": release.published_at,
        "withdrawn_at": release.withdrawn_at,
        "withdrawal_reason": release.withdrawal_reason,
        "licence": release.licence,
        "figures": release.figures,
        "suppressed": release.suppressed,
        "added": release.added,
        "changed": release.changed,
        "removed": release.removed,
        "newly_suppressed": release.newly_suppressed,
        "change_log": release.change_log,
    }


def _readable_release(access: PlanAccess, number: int) -> Release:
    """The release the caller may read: drafts only to who may prepare them (404 to others),
    410 with the reason when it was withdrawn."""
    try:
        release = selectors.release_by_number(
            access.plan, number, drafts=access.can_prepare_release()
        )
    except NotFound:
        raise not_found(
            _("Plan %(plan)s has no release %(number)s.")
            % {"plan": access.plan.code, "number": number}
        ) from None
    if release.status == ReleaseStatus.WITHDRAWN:
        raise ApiError(
            410,
            _("Release %(number)s was withdrawn: %(reason)s")
            % {"number": release.number, "reason": release.withdrawal_reason},
        )
    return release


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


@router.get(
    "/plans/{plan}/releases",
    response={200: list[ReleaseOut], **READ_ERRORS},
    summary="The plan's releases: published and withdrawn ones (drafts to their preparers)",
    operation_id="releases_list",
)
def list_releases(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    access = _access(request, plan)
    drafts = access.can_prepare_release()
    return [_release_out(r) for r in selectors.releases_of(access.plan, drafts=drafts)]


@router.get(
    "/plans/{plan}/releases/{number}",
    response={200: ReleaseFiguresPageOut, 410: ErrorOut, **READ_ERRORS},
    summary="One release's figures, after disclosure control; 410 when withdrawn",
    operation_id="release_get",
)
def get_release(
    request: HttpRequest,
    plan: str,
    number: ReleaseNumber,
    filters: Query[FigureFilters],
) -> HttpResponse:
    access = _access(request, plan)
    release = _readable_release(access, number)
    indicator = area = None
    if filters.indicator:
        indicator = Indicator.objects.filter(plan=access.plan, code=filters.indicator).first()
        if indicator is None:
            raise not_found(_("No indicator %(code)s.") % {"code": filters.indicator})
    if filters.area:
        area = Area.objects.filter(code=filters.area).first()
        if area is None:
            raise not_found(_("No area %(code)s.") % {"code": filters.area})
    rows = selectors.release_figures(release, indicator=indicator, area=area, period=filters.period)
    count = rows.count()
    page = list(
        rows.values(
            "indicator__code",
            "period_code",
            "area__code",
            "cell_key",
            "source__code",
            "source_kind",
            "organisation__code",
            "value",
            "numerator",
            "denominator",
            "flag",
            "threshold",
            "kind",
            "unit",
        )[filters.offset : filters.offset + filters.limit]
    )
    end = filters.offset + len(page)
    items = [
        {
            "indicator": r["indicator__code"],
            "period": r["period_code"],
            "area": r["area__code"],
            "cell": r["cell_key"],
            "source": r["source__code"],
            "source_kind": r["source_kind"],
            "organisation": r["organisation__code"],
            "value": _number(r["value"]),
            "numerator": _number(r["numerator"]),
            "denominator": _number(r["denominator"]),
            "flag": r["flag"] or None,
            "conf_status": conf_status_of(r["flag"]),
            "text": figure_text(r["flag"], r["threshold"], r["value"]),
            "kind": r["kind"],
            "unit": r["unit"],
        }
        for r in page
    ]
    return fast_json(
        {
            "release": _release_out(release),
            "count": count,
            "next": page_url(request, offset=end) if end < count else None,
            "items": items,
        }
    )


# ------------------------------------------------------------------------------- open data

_OPEN_DATA_MEDIA = {
    "csv": ("text/csv", {"type": "string"}),
    "xlsx": (opendata.CONTENT_TYPES["xlsx"], {"type": "string", "format": "binary"}),
    "datapackage": ("application/zip", {"type": "string", "format": "binary"}),
    "sdmx": ("text/csv", {"type": "string"}),
}
_OPEN_DATA_WHAT = {
    "csv": "The release as a tidy CSV: one row per figure, with its flag when withheld",
    "xlsx": "The release as XLSX: the tidy table and a sheet of provenance and licence",
    "datapackage": "The release as a Frictionless Data Package (datapackage.json and the CSV)",
    "sdmx": "The release's figures of SDG series as SDMX-CSV with the SDG codes",
}


def _open_data(request: HttpRequest, plan: str, number: int, fmt: str) -> HttpResponseBase:
    access = _access(request, plan)
    release = _readable_release(access, number)
    page = request.build_absolute_uri(
        reverse("publishing:release", args=[access.plan.code, release.number])
    )
    return opendata.response(release, fmt, page_url=page)


def _open_data_endpoint(fmt: str, path: str) -> None:
    media, schema = _OPEN_DATA_MEDIA[fmt]

    def endpoint(request: HttpRequest, plan: str, number: ReleaseNumber) -> HttpResponseBase:
        return _open_data(request, plan, number, fmt)

    endpoint.__name__ = f"release_{fmt}"
    router.get(
        f"/plans/{{plan}}/releases/{{number}}/{path}",
        response={200: None, 410: ErrorOut, **READ_ERRORS},
        summary=_OPEN_DATA_WHAT[fmt] + "; 410 when withdrawn",
        operation_id=f"release_{fmt}",
        openapi_extra={
            "responses": {
                200: {
                    "description": _OPEN_DATA_WHAT[fmt]
                    + " (licence in the Link header and in the file).",
                    "content": {media: {"schema": schema}},
                }
            }
        },
    )(endpoint)


for _fmt, _path in (
    ("csv", "data.csv"),
    ("xlsx", "data.xlsx"),
    ("datapackage", "datapackage.zip"),
    ("sdmx", "sdmx.csv"),
):
    _open_data_endpoint(_fmt, _path)
