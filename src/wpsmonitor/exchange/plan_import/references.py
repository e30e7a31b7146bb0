"""The Baselines, Targets and ListItems sheets: figures and list entries on the indicators."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.core.periods import PeriodCodeError, parse_period
from wpsmonitor.directory.models import Area
from wpsmonitor.exchange.plan_import.reader import OWN_INDICATOR, PlanReader, text
from wpsmonitor.indicators.cells import canonical_cell_code, cell_code_by_names, scheme_names
from wpsmonitor.indicators.list_items import item_date_parse
from wpsmonitor.indicators.models import (
    TOTAL_CELL,
    Baseline,
    Cell,
    Indicator,
    IndicatorKind,
    SchemeDimension,
    Source,
    Target,
)
from wpsmonitor.indicators.services import (
    NO_DISAGGREGATION,
    list_item_report,
    period_ensure,
    scheme_ensure,
)


def _reference_key(
    reader: PlanReader, sheet: str, row: int, data: dict[str, Any]
) -> tuple[Indicator, Any, Area, Cell] | None:
    assert reader.plan is not None
    if text(data.get("indicator")) in reader.refused_indicators:
        return None  # its own row is refused: that problem is reported once
    if not reader.required(sheet, row, data, "indicator", "period", "area"):
        return None
    indicator = reader.indicators.get(text(data["indicator"]))
    if indicator is None and text(data["indicator"]) in reader.own_codes:
        reader.err(sheet, row, "indicator", str(OWN_INDICATOR) % {"code": text(data["indicator"])})
        return None
    if indicator is None:
        reader.err(
            sheet,
            row,
            "indicator",
            _("unknown indicator %(code)r in plan %(plan)s")
            % {"code": text(data["indicator"]), "plan": reader.plan.code},
        )
        return None
    try:
        parsed = parse_period(text(data["period"]))
    except PeriodCodeError as exc:
        reader.err(sheet, row, "period", str(exc))
        return None
    area = reader.area(sheet, row, "area", data.get("area"))
    dims = list(
        SchemeDimension.objects.filter(scheme_id=indicator.scheme_id)
        .order_by("order")
        .values_list("dimension__code", flat=True)
    )
    cell_text = text(data.get("cell"))
    if cell_text.lower() in ("", TOTAL_CELL):
        # The indicator's total, as baseline_set and target_set store it (and the export writes
        # it): the one total cell, whatever the indicator's disaggregation.
        cell = Cell.objects.filter(scheme__code=NO_DISAGGREGATION, code=TOTAL_CELL).first()
        if cell is None:
            cell = scheme_ensure(dimension_codes=[]).cells.get(code=TOTAL_CELL)
    else:
        try:
            cell_code = canonical_cell_code(dims, cell_text)
        except ValueError:
            cell_code = ""  # perhaps named by names: the message comes from that reading
        cell = Cell.objects.filter(scheme_id=indicator.scheme_id, code=cell_code).first()
        if cell is None:
            # Dimensions and options named by name ("sex=Femme"), in any language.
            try:
                named = cell_code_by_names(scheme_names(indicator.scheme_id), cell_text)
                cell_code = canonical_cell_code(dims, named)
            except ValueError as exc:
                reader.err(sheet, row, "cell", str(exc))
                return None
            cell = Cell.objects.filter(scheme_id=indicator.scheme_id, code=cell_code).first()
    if cell is None:
        reader.err(
            sheet,
            row,
            "cell",
            _("%(cell)r is not a cell of %(ind)s's disaggregation")
            % {"cell": text(data.get("cell")), "ind": indicator.code},
        )
        return None
    if area is None:
        return None
    if not area.path.startswith(reader.plan.area.path):
        reader.err(
            sheet,
            row,
            "area",
            _("area %(code)r is outside the plan's area") % {"code": area.code},
        )
        return None
    return indicator, period_ensure(parsed.code), area, cell


def references_load(reader: PlanReader, sheet: str, model: type[Baseline] | type[Target]) -> None:
    for row, data in reader.rows(sheet):
        key = _reference_key(reader, sheet, row, data)
        value = reader.number(sheet, row, "value", data.get("value"))
        num = reader.number(sheet, row, "numerator", data.get("numerator"))
        den = reader.number(sheet, row, "denominator", data.get("denominator"))
        if key is None:
            continue
        indicator, period, area, cell = key
        if indicator.kind == IndicatorKind.PERCENTAGE and num is None and den is None:
            # A percentage target or baseline may be the percentage alone (as baseline_set
            # and target_set allow, and the export writes it).
            if value is None:
                reader.err(sheet, row, "value", _("a value is required"))
                continue
            if not 0 <= value <= indicator.factor:
                reader.err(
                    sheet,
                    row,
                    "value",
                    _("a percentage lies between 0 and %(max)s") % {"max": text(indicator.factor)},
                )
                continue
        elif indicator.kind == IndicatorKind.PERCENTAGE:
            if num is None or den is None:
                reader.err(
                    sheet,
                    row,
                    "numerator",
                    _("a percentage needs a numerator and a denominator"),
                )
                continue
            if den <= 0:
                reader.err(sheet, row, "denominator", _("the denominator must be greater than 0"))
                continue
            if num > den:
                reader.err(sheet, row, "numerator", _("the numerator is above the denominator"))
                continue
            if value is None:
                value = num / den * indicator.factor
        elif value is None:
            reader.err(sheet, row, "value", _("a value is required"))
            continue
        lookup: dict[str, Any] = {"indicator": indicator, "area": area, "cell": cell}
        if model is Target:
            lookup["period"] = period
        defaults: dict[str, Any] = {
            "value": value,
            "numerator": num,
            "denominator": den,
            "comment": text(data.get("comment")),
        }
        if model is Baseline:
            defaults["period"] = period
        model.objects.update_or_create(**lookup, defaults=defaults)


def list_items_load(reader: PlanReader) -> None:
    sheet = "ListItems"
    assert reader.plan is not None
    for row, data in reader.rows(sheet):
        if text(data.get("indicator")) in reader.refused_indicators:
            continue  # its own row is refused: that problem is reported once
        if not reader.required(sheet, row, data, "indicator", "period", "area", "title"):
            continue
        indicator = reader.indicators.get(text(data["indicator"]))
        if indicator is None or indicator.kind != IndicatorKind.LIST:
            reader.err(
                sheet,
                row,
                "indicator",
                _("%(code)r is not a list indicator of this plan")
                % {"code": text(data["indicator"])},
            )
            continue
        try:
            period = period_ensure(text(data["period"]))
        except PeriodCodeError as exc:
            reader.err(sheet, row, "period", str(exc))
            continue
        area = reader.area(sheet, row, "area", data.get("area"))
        source_code = text(data.get("source")) or "gov"
        source = Source.objects.filter(code=source_code).first()
        if source is None:
            reader.err(sheet, row, "source", _("unknown source %(code)r") % {"code": source_code})
        try:
            day, precision = item_date_parse(data.get("date"))
        except ValueError as exc:
            reader.err(sheet, row, "date", str(exc))
            continue
        if area is None or source is None:
            continue
        list_item_report(
            indicator=indicator,
            period=period,
            area=area,
            source=source,
            title=text(data["title"]),
            item_type=text(data.get("type")),
            description=text(data.get("description")),
            date=day,
            date_precision=precision,
            reference=text(data.get("reference")),
            status=text(data.get("status")),
        )
