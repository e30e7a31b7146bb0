"""Indicators, data values, aggregates and progress of a plan; bulk write of values.

Reads make a fixed number of queries whatever the size of the plan; values are paged by id
(keyset), so the millionth page costs what the first does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess, PlanNotFound, Viewer, is_admin, plan_access
from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, access_for_api, api_user
from wpsmonitor.core.api import (
    READ_ERRORS,
    ApiError,
    Cursor,
    ErrorOut,
    Offset,
    bad_parameter,
    fast_json,
    json_body,
    not_found,
    page_limit,
    page_url,
    period_parameter,
)
from wpsmonitor.core.periods import PeriodType
from wpsmonitor.core.translated import texts_by_language
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.aggregation import ALL_PERIODS
from wpsmonitor.indicators.in_force import Dropped, dropped_of
from wpsmonitor.indicators.ingest import ROW_PLACE, values_ingest
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateValue,
    Baseline,
    Cell,
    DataValue,
    DimensionOption,
    Indicator,
    Period,
    SchemeDimension,
    Source,
    Target,
)
from wpsmonitor.indicators.reading import ReadingFor, figure_flags_out, reading_out
from wpsmonitor.indicators.schemas import (
    AggregatesOut,
    HistoryOut,
    IndicatorDetailOut,
    IndicatorPage,
    ProgressOut,
    ValueIn,
    ValuePage,
    WriteResultOut,
)
from wpsmonitor.indicators.selectors import (
    ActionCounts,
    Figure,
    Figures,
    figure_from_row,
    hidden_indicators_for,
    indicator_by_area,
    indicator_history,
    indicator_series,
    indicator_table,
    indicator_visible,
    plan_progress,
    target_changes,
)
from wpsmonitor.indicators.tasks import request_refresh
from wpsmonitor.indicators.translation import INDICATOR_TEXTS
from wpsmonitor.plans.api import organisation_ref
from wpsmonitor.plans.models import Plan

router = Router(tags=["indicators"], auth=READ_AUTH)

INDICATOR_PAGE_DEFAULT = 100
INDICATOR_PAGE_MAX = 500
VALUE_PAGE_DEFAULT = 1000
VALUE_PAGE_MAX = 10000


# Indicators ---------------------------------------------------------------------------------


def _indicators_queryset(plan: Plan, user: Viewer) -> Any:
    """The plan's indicators the caller may see: civil society's own ones once published (before
    that, their organisation's monitors only)."""
    return (
        Indicator.objects.filter(plan=plan)
        .exclude(hidden_indicators_for(user, plan))
        .select_related(
            "owner_organisation",
            "node",
            "scheme",
            "responsible_organisation",
            "share_of",
            "share_dimension",
            "share_option",
            "retired_in",
        )
        .prefetch_related("references")
        .order_by("order", "code")
    )


def _indicators_out(indicators: list[Indicator], *, detail: bool) -> list[dict[str, Any]]:
    """Serialise a page of indicators with their schemes, baselines and targets in 5 queries.

    A restricted indicator's baselines and targets are figures that never leave the platform
    but to those who see the detail (`PlanAccess.sees_detail`): anyone else gets none, as the
    release holds none of its figures (docs/publishing.md, "Sensitivity")."""
    scheme_ids = {ind.scheme_id for ind in indicators}
    dimensions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for link in (
        SchemeDimension.objects.filter(scheme_id__in=scheme_ids)
        .select_related("dimension")
        .prefetch_related(
            Prefetch(
                "dimension__options", queryset=DimensionOption.objects.order_by("order", "code")
            )
        )
        .order_by("scheme_id", "order")
    ):
        dimensions[link.scheme_id].append(
            {
                "code": link.dimension.code,
                "name": link.dimension.name,
                "options": [
                    {"code": o.code, "name": o.name, "translations": texts_by_language(o, "name")}
                    for o in link.dimension.options.all()
                ],
            }
        )
    cells: dict[int, list[str]] = defaultdict(list)
    for scheme_id, code in (
        Cell.objects.filter(scheme_id__in=scheme_ids)
        .order_by("id")
        .values_list("scheme_id", "code")
    ):
        cells[scheme_id].append(code)

    ids = [ind.pk for ind in indicators if detail or ind.sensitivity != Sensitivity.RESTRICTED]
    references: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for name, model in (("baselines", Baseline), ("targets", Target)):
        rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in (
            model.objects.filter(indicator_id__in=ids)
            .order_by("period__start", "area__path", "cell_id")
            .values(
                "indicator_id",
                "period__code",
                "area__code",
                "cell__code",
                "value",
                "numerator",
                "denominator",
                "comment",
            )
        ):
            rows[row["indicator_id"]].append(
                {
                    "period": row["period__code"],
                    "area": row["area__code"],
                    "cell": row["cell__code"],
                    "value": row["value"],
                    "numerator": row["numerator"],
                    "denominator": row["denominator"],
                    "comment": row["comment"],
                }
            )
        references[name] = rows

    return [
        {
            "code": ind.code,
            "title": ind.title,
            "definition": ind.definition,
            "node": ind.node.code,
            "kind": ind.kind,
            "unit": ind.unit,
            "direction": ind.direction,
            "time_rule": ind.time_rule,
            "frequency": ind.frequency,
            "means_of_verification": ind.means_of_verification,
            "responsible_organisation": organisation_ref(ind.responsible_organisation),
            "references": sorted(f"{r.vocabulary}:{r.code}" for r in ind.references.all()),
            "factor": ind.factor,
            "scale_labels": list(ind.scale_labels or []),
            "numerator_formula": ind.numerator_formula,
            "denominator_formula": ind.denominator_formula,
            "share_of": ind.share_of.code if ind.share_of else None,
            "share_dimension": ind.share_dimension.code if ind.share_dimension else None,
            "share_option": ind.share_option.code if ind.share_option else None,
            "expected_min": ind.expected_min,
            "expected_max": ind.expected_max,
            "order": ind.order,
            "sensitivity": ind.sensitivity,
            "disclosure_threshold": ind.disclosure_threshold,
            "translations": texts_by_language(ind, *INDICATOR_TEXTS),
            "scheme": {
                "code": ind.scheme.code,
                "name": ind.scheme.name,
                "dimensions": dimensions.get(ind.scheme_id, []),
                "cells": cells.get(ind.scheme_id, []),
            },
            "baselines": references["baselines"].get(ind.pk, []),
            "targets": references["targets"].get(ind.pk, []),
            "dropped_in": _dropped_out(dropped_of(ind)),
        }
        for ind in indicators
    ]


def _dropped_out(dropped: Dropped | None) -> dict[str, Any] | None:
    return None if dropped is None else {"version": dropped.number, "on": dropped.on}


def indicator_for_api(plan: Plan, code: str, user: Viewer) -> Indicator:
    """An indicator of this plan by code; another plan's indicator is as unknown as a typo, and
    so is a civil-society organisation's own indicator the caller may not see yet."""
    indicator = Indicator.objects.filter(plan=plan, code=code).select_related("retired_in").first()
    if indicator is not None and not indicator_visible(user, indicator):
        indicator = None
    if indicator is None:
        raise not_found(
            _("Plan %(plan)s has no indicator %(code)s.") % {"plan": plan.code, "code": code}
        )
    return indicator


class PageParams(Schema):
    limit: int = page_limit(INDICATOR_PAGE_DEFAULT, INDICATOR_PAGE_MAX)
    offset: Offset = 0


@router.get(
    "/{plan}/indicators",
    response={200: IndicatorPage, **READ_ERRORS},
    summary="Indicators of a plan",
    operation_id="indicators_list",
)
def list_indicators(request: HttpRequest, plan: str, page: Query[PageParams]) -> HttpResponse:
    """Indicators in plan order, each with its disaggregation (dimensions, options, cells),
    references to global frameworks, baselines and targets."""
    access = access_for_api(request, plan)
    obj = access.plan
    queryset = _indicators_queryset(obj, api_user(request))
    count = queryset.count()
    indicators = list(queryset[page.offset : page.offset + page.limit])
    end = page.offset + len(indicators)
    return fast_json(
        {
            "count": count,
            "next": page_url(request, offset=end) if end < count else None,
            "items": _indicators_out(indicators, detail=access.sees_detail),
        }
    )


@router.get(
    "/{plan}/indicators/{indicator}",
    response={200: IndicatorDetailOut, **READ_ERRORS},
    summary="One indicator",
    operation_id="indicator_get",
)
def get_indicator(request: HttpRequest, plan: str, indicator: str) -> dict[str, Any]:
    """The indicator as in the list, with the targets a revision of the plan changed."""
    access = access_for_api(request, plan)
    obj = access.plan
    user = api_user(request)
    found = _indicators_queryset(obj, user).filter(code=indicator).first()
    if found is None:
        indicator_for_api(obj, indicator, user)  # raises the 404
    out = _indicators_out([found], detail=access.sees_detail)[0]
    # Like its targets, a restricted indicator's changes go to the readers of the detail only.
    shown = access.sees_detail or found.sensitivity != Sensitivity.RESTRICTED
    out["target_changes"] = [
        {
            "period": c.period.code,
            "area": c.area.code,
            "cell": c.cell.code,
            "before": c.old_value,
            "after": c.new_value,
            "version": c.version.number,
            "kind": c.version.kind,
            "changed_on": timezone.localdate(c.changed_at),
        }
        for c in (target_changes(found) if shown else [])
    ]
    return out


# Values -------------------------------------------------------------------------------------


class ValueFilters(Schema):
    indicator: str | None = Field(None, description="Indicator code")
    period: str | None = Field(
        None, description="Period code; values of every period inside it (2025 gives 2025Q3 too)"
    )
    area: str | None = Field(None, description="Area code; values of the area and areas below it")
    source: str | None = Field(None, description="Source code, e.g. gov")
    updated_since: datetime | None = Field(None, description="Only values stored or changed since")
    after: Cursor = 0
    limit: int = page_limit(VALUE_PAGE_DEFAULT, VALUE_PAGE_MAX)


VALUE_FIELDS = {
    "id": "id",
    "indicator": "indicator__code",
    "period": "period__code",
    "area": "area__code",
    "cell": "cell__code",
    "source": "source__code",
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "text": "text_value",
    "comment": "comment",
    "created_at": "created_at",
    "updated_at": "updated_at",
}


VALUES_DOC = """Stored values (never aggregates) in id order. Follow `next` until it is null; the
cursor is stable while values are written, so a sync can resume from its last id.

Stored values are the plan's detail: only its members (and administrators) read them. Anyone
else is answered 403 and reads the published figures instead (the release endpoints, or
`progress` and `aggregates`, which answer them from the latest published release)."""


def list_values(
    request: HttpRequest, plan: str, filters: ValueFilters, reading_for: ReadingFor
) -> HttpResponse:
    access = access_for_api(request, plan)
    obj = access.plan
    reading = reading_for(access)
    if not reading.detail:
        raise ApiError(403, _values_refusal(obj, reading.release_number))
    if filters.indicator:
        # The (indicator, id) index walks one indicator's values in id order.
        values = DataValue.objects.filter(
            indicator=indicator_for_filter(obj, filters.indicator, api_user(request))
        )
    else:
        # "+ 0" hides the indicator index from the planner, which would otherwise read every
        # value of the plan after the cursor and sort them: 2 s a page at 2M values instead of
        # walking the primary key in order and stopping at `limit` (40 ms).
        values = DataValue.objects.alias(indicator_key=F("indicator_id") + 0).filter(
            indicator_key__in=Indicator.objects.filter(plan=obj)
            .exclude(hidden_indicators_for(api_user(request), obj))
            .values("id")
        )
    values = values.filter(id__gt=filters.after)
    # Filters as subqueries over the small tables, so the scan stays on the primary key.
    if filters.period:
        parsed = period_parameter(filters.period)
        values = values.filter(
            period_id__in=Period.objects.filter(
                start__gte=parsed.start, end__lte=parsed.end
            ).values("id")
        )
    if filters.area:
        area = Area.objects.filter(code=filters.area).first()
        if area is None:
            raise bad_parameter("area", _("unknown area code"))
        values = values.filter(
            area_id__in=Area.objects.filter(path__startswith=area.path).values("id")
        )
    if filters.source:
        source = Source.objects.filter(code=filters.source).first()
        if source is None:
            raise bad_parameter("source", _("unknown source code"))
        values = values.filter(source_id=source.pk)
    if filters.updated_since:
        values = values.filter(updated_at__gte=filters.updated_since)
    rows = list(values.order_by("id").values(*VALUE_FIELDS.values())[: filters.limit])
    items = [{key: row[column] for key, column in VALUE_FIELDS.items()} for row in rows]
    has_more = len(items) == filters.limit
    return fast_json(
        {
            "next": page_url(request, after=items[-1]["id"]) if has_more else None,
            "items": items,
        }
    )


def _values_refusal(plan: Plan, release: int | None) -> str:
    if release is None:
        return _(
            "Stored values are the detail of plan %(plan)s, for its members; it has published "
            "no release yet."
        ) % {"plan": plan.code}
    return _(
        "Stored values are the detail of plan %(plan)s, for its members. Its published "
        "figures are in release %(number)s: /api/v1/plans/%(plan)s/releases/%(number)s."
    ) % {"plan": plan.code, "number": release}


def indicator_for_filter(plan: Plan, code: str, user: Viewer) -> Indicator:
    indicator = Indicator.objects.filter(plan=plan, code=code).first()
    if indicator is not None and not indicator_visible(user, indicator):
        indicator = None  # an unpublished civil-society indicator is as unknown as a typo
    if indicator is None:
        raise bad_parameter(
            "indicator", _("plan %(plan)s has no such indicator") % {"plan": plan.code}
        )
    return indicator


# Bulk write ---------------------------------------------------------------------------------

# Defaults; a deployment can set API_BULK_MAX_ROWS / API_BULK_MAX_BYTES in its settings.
BULK_MAX_ROWS = 10_000
BULK_MAX_BYTES = 10 * 1024 * 1024

ROW_FIELDS = {name: info for name, info in ValueIn.model_fields.items()}
REQUIRED_FIELDS = ("indicator", "period", "area")
CODE_FIELDS = ("indicator", "area", "cell", "source")
TEXT_FIELDS = ("text", "comment")
FIGURE_FIELDS = ("value", "numerator", "denominator")


def _bulk_limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "API_BULK_MAX_ROWS", BULK_MAX_ROWS)),
        int(getattr(settings, "API_BULK_MAX_BYTES", BULK_MAX_BYTES)),
    )


def _read_body(request: HttpRequest, max_bytes: int) -> bytes:
    """The raw body, refused before reading when it announces more than max_bytes."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    too_big = ApiError(
        413,
        _("The body is larger than %(max)s bytes; send the values in several requests.")
        % {"max": max_bytes},
    )
    if length > max_bytes:
        raise too_big
    # Read the stream ourselves: Django's request.body has its own, smaller, limit.
    body = request.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise too_big
    return body


def _row_shape_problems(index: int, row: Any) -> list[dict[str, Any]]:
    """JSON-level checks only; every rule about the figures themselves is the ingest service's."""
    if not isinstance(row, dict):
        return [{"row": index, "field": None, "message": _("a row must be a JSON object")}]
    problems = []
    for key in row:
        if key not in ROW_FIELDS:
            problems.append({"row": index, "field": str(key)[:64], "message": _("unknown field")})
    for key in REQUIRED_FIELDS:
        if row.get(key) in (None, ""):
            problems.append({"row": index, "field": key, "message": _("this field is required")})
    for key in CODE_FIELDS + TEXT_FIELDS:
        if key in row and row[key] is not None and not isinstance(row[key], str):
            problems.append({"row": index, "field": key, "message": _("must be a string")})
    period = row.get("period")
    if period is not None and (isinstance(period, bool) or not isinstance(period, str | int)):
        problems.append({"row": index, "field": "period", "message": _("must be a period code")})
    for key in FIGURE_FIELDS:
        if isinstance(row.get(key), list | dict):
            problems.append(
                {"row": index, "field": key, "message": _("must be a number, a string or null")}
            )
    return problems


def _parse_rows(body: bytes, max_rows: int) -> list[dict[str, Any]]:
    rows = json_body(body)
    if not isinstance(rows, list):
        raise ApiError(400, _("The body must be a JSON list of value rows."))
    if len(rows) > max_rows:
        raise ApiError(
            413,
            _("%(count)s rows sent; at most %(max)s per request. Send them in several requests.")
            % {"count": len(rows), "max": max_rows},
        )
    if not rows:
        raise ApiError(400, _("The list of rows is empty."))
    problems: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        problems.extend(_row_shape_problems(index, row))
        if len(problems) >= settings.IMPORT_MAX_ERRORS:
            break
    if problems:
        raise ApiError(400, _("Some rows are malformed; nothing was stored."), problems)
    return rows


def _check_sources(access: PlanAccess, rows: list[dict[str, Any]]) -> None:
    """403 unless the caller may write every row's source stream (government figures are the
    coordinator's, a civil-society stream its own organisation's). Unknown sources are left to
    the ingest service, which reports them as 400."""
    codes = {str(row.get("source") or GOVERNMENT_SOURCE).strip() for row in rows}
    sources = {s.code: s for s in Source.objects.filter(code__in=codes)}
    refused = []
    for index, row in enumerate(rows):
        source = sources.get(str(row.get("source") or GOVERNMENT_SOURCE).strip())
        if source is not None and not access.can_write_source(source):
            refused.append(
                {
                    "row": index,
                    "field": "source",
                    "message": _("you may not write values of source %(code)s")
                    % {"code": source.code},
                }
            )
            if len(refused) >= settings.IMPORT_MAX_ERRORS:
                break
    if refused:
        raise ApiError(403, _("Some rows are in a source stream you may not write."), refused)


class WriteParams(Schema):
    dry_run: bool = Field(False, description="Validate and count, store nothing")


WRITE_DOC = """Store a JSON list of value rows for this plan, all or nothing.

Rows are checked exactly as a values file import checks them. On any problem the answer
is 400 with every problem by row index and field, and nothing is stored. Existing values
(same indicator, period, area, cell and source) are updated and their old figures audited."""


def write_values(request: HttpRequest, plan: str, params: WriteParams) -> dict[str, Any]:
    user = api_user(request)
    try:
        access: PlanAccess | None = plan_access(user, plan)
    except PlanNotFound:
        if is_admin(user):
            raise  # the administrator reads every plan: this one does not exist
        access = None
    if access is None or not access.may_write_values():
        # The same answer whether the plan exists or not: no probing of plan codes.
        raise ApiError(403, _("Your account may not write data values."))
    obj = access.plan
    max_rows, max_bytes = _bulk_limits()
    rows = _parse_rows(_read_body(request, max_bytes), max_rows)
    _check_sources(access, rows)
    token = getattr(request, "api_token", None)
    # Rows are named "row 3" in the service's problems ("duplicate of row 0"), which the answer
    # locates by that index (an IngestError is answered 400 by the API's error mapping).
    with transaction.atomic():
        result = values_ingest(
            rows=rows,
            user=user,
            plan=obj.code,
            kind="api",
            filename=f"api:{token.name}"[:500] if token else "api",
            where=ROW_PLACE,
        )
        if params.dry_run:
            transaction.set_rollback(True)
        else:
            request_refresh(obj, result.indicator_ids)
    return {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "dry_run": params.dry_run,
        "refresh_requested": not params.dry_run,
        "warnings": [asdict(p.located()) for p in result.warnings],
    }


# Computed figures ---------------------------------------------------------------------------


class FigureParams(Schema):
    period: str = Field(
        ALL_PERIODS, description='Period code, or "ALL" for the whole plan period to date'
    )
    area: str | None = Field(None, description="Area code; the plan's area by default")
    source: str = Field(GOVERNMENT_SOURCE, description="Source code; figures never mix sources")


class HistoryParams(Schema):
    area: str | None = Field(None, description="Area code; the plan's area by default")
    source: str = Field(GOVERNMENT_SOURCE, description="Source code; figures never mix sources")


def _figure_scope(plan: Plan, params: FigureParams) -> tuple[str, Area, str]:
    """Validated (period code, area, source code) for the selectors."""
    period = params.period.strip().upper()
    if period != ALL_PERIODS:
        period = period_parameter(period).code
    if params.area:
        area = Area.objects.filter(code=params.area).first()
        if area is None:
            raise bad_parameter("area", _("unknown area code"))
        if not area.path.startswith(plan.area.path):
            raise bad_parameter("area", _("this area is outside the plan's area"))
    else:
        area = plan.area
    if not Source.objects.filter(code=params.source).exists():
        raise bad_parameter("source", _("unknown source code"))
    return period, area, params.source


def _figure_out(figure: Figure) -> dict[str, Any]:
    return {
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "baseline": figure.baseline,
        "target": figure.target,
        "achievement": figure.achievement,
        "count": figure.count,
        **figure_flags_out(figure),
    }


def _counts_out(counts: ActionCounts) -> dict[str, Any]:
    return {
        "total": counts.total,
        "not_started": counts.not_started,
        "ongoing": counts.ongoing,
        "completed": counts.completed,
        "cancelled": counts.cancelled,
        "delayed": counts.delayed,
        "completion": counts.completion,
    }


PROGRESS_DOC = """Achievement and action completion of the plan and of every framework node,
with the figures of each indicator, for one period, area and source.

The plan's members read the aggregate table (`reading` "detail"; `rebuilt_at` says how fresh
it is); everyone else reads the plan's latest published release (`reading` "release",
`release` its number; no figure at all while none is published), where a suppressed figure
has a null value and its `flag`, `flag_text` and `threshold` instead."""


def get_progress(
    request: HttpRequest, plan: str, params: FigureParams, reading_for: ReadingFor
) -> HttpResponse:
    access = access_for_api(request, plan)
    obj = access.plan
    reading = reading_for(access)
    period, area, source = _figure_scope(obj, params)
    progress = plan_progress(
        plan=obj, period_code=period, area=area, source_code=source, figures=reading.figures
    )
    # Restricted indicators (docs/publishing.md) are left out of the lists of those who may
    # not see them; the achievements computed with them stay (a mean hides its parts).
    hidden = set(
        Indicator.objects.filter(plan=obj)
        .filter(hidden_indicators_for(api_user(request), obj))
        .values_list("pk", flat=True)
    )
    items = progress.nodes
    codes = {item.node.pk: item.node.code for item in items}
    nodes = [
        {
            "code": item.node.code,
            "title": item.node.title,
            "level": item.node.level.code,
            "depth": item.depth + 1,
            "parent": codes.get(item.node.parent_id) if item.node.parent_id else None,
            "is_action": item.is_action,
            "delayed": item.is_delayed,
            "indicators_total": item.indicators_total,
            "indicators_measured": item.indicators_measured,
            "achievement": item.achievement,
            "actions": _counts_out(item.actions),
            "indicators": [
                {
                    "code": p.indicator.code,
                    "title": p.indicator.title,
                    "kind": p.indicator.kind,
                    "unit": p.indicator.unit,
                    **_figure_out(p.figure),
                }
                for p in item.indicators
                if p.indicator.pk not in hidden
            ],
        }
        for item in items
    ]
    dropped = [
        {
            "code": d.indicator.code,
            "title": d.indicator.title,
            **(_dropped_out(d.dropped) or {}),
        }
        for d in progress.dropped
        if d.indicator.pk not in hidden
    ]
    return fast_json(
        {
            "plan": obj.code,
            **reading_out(reading),
            "period": period,
            "area": area.code,
            "source": source,
            "rebuilt_at": progress.rebuilt_at,
            "refresh_pending": progress.refresh_pending,
            "indicators_total": progress.indicators_total,
            "indicators_measured": progress.indicators_measured,
            "achievement": progress.achievement,
            "actions": _counts_out(progress.actions),
            "nodes": nodes,
            "dropped": dropped,
        }
    )


class AggregateParams(FigureParams):
    cell: str = Field("", description='Margin for the series, e.g. "sex=F"; the total by default')
    period_type: PeriodType | None = Field(None, description="Keep one granularity in the series")
    cells: bool = Field(
        False,
        description="Add the full cross-tab, computed from the stored values (slower on big "
        "plans); members only: a release holds no full cross-tab, and its readers get null",
    )


FIGURE_COLUMNS = ("value", "numerator", "denominator", "baseline", "target", "achievement")


def _stored_figures(
    indicator: Indicator, period: str, area: Area, source: str, figures: Figures
) -> tuple[Figure, dict[str, Figure]]:
    """Total and one-dimension margins from the aggregate table, or from a release's figures,
    in one query."""
    rows = AggregateValue.objects.all() if figures is None else figures
    flags = () if figures is None else ("flag", "threshold")
    found = {
        row["cell_key"]: figure_from_row(row)
        for row in rows.filter(
            indicator=indicator, period_code=period, area=area, source__code=source
        ).values("cell_key", "value_count", *FIGURE_COLUMNS, *flags)
    }
    total = found.pop("", None) or Figure()
    return total, dict(sorted(found.items()))


AGGREGATES_DOC = """For one period, area and source: the total and the one-dimension margins
(options with data) of the indicator, its full cells on request (`cells=true`), its series
over time, and the figures of the areas just below.

The plan's members read the aggregates (and the full cells, computed from the stored values);
everyone else reads the latest published release (`reading`, `release`): suppressed figures
with a null value and their flag, and no full cells (`cells` is null: a release publishes
totals and one-dimension margins only)."""


def get_aggregates(
    request: HttpRequest,
    plan: str,
    indicator: str,
    params: AggregateParams,
    reading_for: ReadingFor,
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    obj = access.plan
    reading = reading_for(access)
    figures = reading.figures
    found = indicator_for_api(obj, indicator, api_user(request))
    found.plan = obj  # the selectors read the plan's area from it
    period, area, source = _figure_scope(obj, params)
    total, margins = _stored_figures(found, period, area, source, figures)
    cells = None
    if params.cells and reading.detail:
        # The full cross-tab is not stored (it would triple the aggregate table): the
        # selector computes it from the values, so it is opt-in.
        table = indicator_table(indicator=found, period_code=period, area=area, source_code=source)
        cells = {key: _figure_out(f) for key, f in sorted(table.cells.items())}
    series = indicator_series(
        indicator=found,
        area=area,
        source_code=source,
        cell_key=params.cell.strip(),
        period_type=params.period_type.value if params.period_type else None,
        figures=figures,
    )
    areas = indicator_by_area(
        indicator=found, period_code=period, source_code=source, parent=area, figures=figures
    )
    return {
        "plan": obj.code,
        **reading_out(reading),
        "indicator": found.code,
        "period": period,
        "area": area.code,
        "source": source,
        "total": _figure_out(total),
        "margins": {key: _figure_out(f) for key, f in margins.items()},
        "cells": cells,
        "series": [{"period": p.period_code, **_figure_out(p.figure)} for p in series],
        "areas": [
            {"area": a.area.code, "name": a.area.name, **_figure_out(a.figure)} for a in areas
        ],
    }


# The figure endpoints ---------------------------------------------------------------------------


HISTORY_DOC = """The indicator's history: the values stored for periods that end before the plan
starts (earlier plan generations, its baseline series), at one area and source, oldest first.
They never count in the plan's aggregates or achievement (docs/computations.md, "History before
the plan"). Stored values are the plan's detail: only its members (and administrators) read
them; anyone else is answered 403."""


def get_history(
    request: HttpRequest,
    plan: str,
    indicator: str,
    params: HistoryParams,
    reading_for: ReadingFor,
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    obj = access.plan
    reading = reading_for(access)
    found = indicator_for_api(obj, indicator, api_user(request))
    if not reading.detail:
        raise ApiError(403, _values_refusal(obj, reading.release_number))
    _period, area, source = _figure_scope(
        obj, FigureParams(period=ALL_PERIODS, area=params.area, source=params.source)
    )
    points = indicator_history(indicator=found, area=area, source_code=source)
    return {
        "plan": obj.code,
        "indicator": found.code,
        "area": area.code,
        "source": source,
        "plan_start": obj.start,
        "items": [
            {
                "period": p.period_code,
                "cell": p.cell_code,
                "value": p.value,
                "numerator": p.numerator,
                "denominator": p.denominator,
                "text": p.text,
            }
            for p in points
        ],
    }


def figures_router(reading_for: ReadingFor) -> Router:
    """The endpoints that answer a plan's figures, reading what `reading_for` decides for each
    caller (publishing.selectors.reading_for, handed over by wpsmonitor/api.py: this layer may
    not import publishing). The bulk write shares its path with the values list, so it is here
    too (one router per path)."""
    figures = Router(tags=["indicators"], auth=READ_AUTH)

    @figures.get(
        "/{plan}/values",
        response={200: ValuePage, 403: ErrorOut, **READ_ERRORS},
        summary="Data values (the plan's members)",
        operation_id="values_list",
        description=VALUES_DOC,
    )
    def values_list(request: HttpRequest, plan: str, filters: Query[ValueFilters]) -> HttpResponse:
        return list_values(request, plan, filters, reading_for)

    @figures.post(
        "/{plan}/values",
        auth=WRITE_AUTH,
        response={
            200: WriteResultOut,
            400: ErrorOut,
            401: ErrorOut,
            403: ErrorOut,
            404: ErrorOut,
            413: ErrorOut,
        },
        summary="Write values in bulk",
        operation_id="values_write",
        description=WRITE_DOC,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "items": ValueIn.model_json_schema(),
                            "maxItems": BULK_MAX_ROWS,
                        }
                    }
                },
            }
        },
    )
    def values_write(request: HttpRequest, plan: str, params: Query[WriteParams]) -> dict[str, Any]:
        return write_values(request, plan, params)

    @figures.get(
        "/{plan}/progress",
        response={200: ProgressOut, **READ_ERRORS},
        summary="Computed progress of a plan",
        operation_id="progress_get",
        description=PROGRESS_DOC,
    )
    def progress_get(request: HttpRequest, plan: str, params: Query[FigureParams]) -> HttpResponse:
        return get_progress(request, plan, params, reading_for)

    @figures.get(
        "/{plan}/indicators/{indicator}/aggregates",
        response={200: AggregatesOut, **READ_ERRORS},
        summary="Computed figures of an indicator",
        operation_id="aggregates_get",
        description=AGGREGATES_DOC,
    )
    def aggregates_get(
        request: HttpRequest, plan: str, indicator: str, params: Query[AggregateParams]
    ) -> dict[str, Any]:
        return get_aggregates(request, plan, indicator, params, reading_for)

    @figures.get(
        "/{plan}/indicators/{indicator}/history",
        response={200: HistoryOut, 403: ErrorOut, **READ_ERRORS},
        summary="An indicator's values before the plan (its members)",
        operation_id="history_get",
        description=HISTORY_DOC,
    )
    def history_get(
        request: HttpRequest, plan: str, indicator: str, params: Query[HistoryParams]
    ) -> dict[str, Any]:
        return get_history(request, plan, indicator, params, reading_for)

    return figures
