"""Write the blank import workbook, and a plan with its values as XLSX, CSV or JSON.

Exports are re-importable: the XLSX is the import workbook filled in, the JSON holds the same
sections, the CSV is the values-CSV format. Values are streamed from the database, never
held in memory all at once.

Civil society's own indicators (Indicator.owner_organisation) are not the plan's: plan exports
leave them and their values out (a draft one must not leak, and a coordinator's re-import must
not touch a published one); their figures are downloadable from their own indicator page.

`hidden`: a filter on Indicator naming what the reader may not see (`PlanAccess.
hidden_indicators`: restricted indicators, for everyone but the roles that may see them). The
workbook download passes it; those indicators, their references, items and values are left
out. The `export_plan` command (run on the server by its operator) exports everything.

Formula injection: spreadsheets run text starting with = + - @ (and tab, CR). In XLSX, such
text is written as an explicit text cell with Excel's "quote prefix" (shown and edited as text;
the stored text is unchanged). In CSV, free-text columns get a leading apostrophe, which the
importer removes again (formats.neutralise / unneutralise), so a round trip is exact.

A reader who does not see the detail gets the plan workbook of a release instead
(`export_xlsx(published=...)`, filled in by the publishing layer: docs/publishing.md, "The API
and the workbook"): a Release sheet first, saying which release it holds, the plan's structure,
and the release's figures on a Figures sheet (suppressed ones with their flag, never a value)
instead of the stored values, and no list item (a release carries a list's count, not its
items; the stored values' narrative texts are not in it either). It is for reading, not for
import: the importer refuses its Release and Figures sheets.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from wpsmonitor.core.spreadsheets import safe_cell
from wpsmonitor.core.translated import column as language_column
from wpsmonitor.core.translated import language_codes, shown
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.exchange import formats as f
from wpsmonitor.indicators.ingest import VALUE_COLUMNS
from wpsmonitor.indicators.models import (
    TOTAL_CELL,
    Baseline,
    DataValue,
    Dimension,
    DimensionOption,
    Indicator,
    ListItem,
    ListItemReport,
    SchemeDimension,
    Source,
    Target,
)
from wpsmonitor.plans.models import FrameworkLevel, FrameworkNode, Plan

XLSX_MAX_ROWS = 1_048_576
Progress = Callable[[int], None]
RELEASE_SHEET = "Release"
FIGURES_SHEET = "Figures"


@dataclass(frozen=True)
class PublishedFigures:
    """What goes in a release's workbook instead of the stored values: `about`, the Release
    sheet's (field, value) rows; the Figures sheet's `columns` and `rows` (streamed); and the
    indicators whose baselines, targets and list items are withheld (restricted ones)."""

    about: Sequence[tuple[str, Any]]
    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]
    withheld: frozenset[str] = frozenset()


# ----------------------------------------------------------------------------- template


def write_template(path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The blank import workbook: instructions, then one sheet per section with its header.

    The sheets' and columns' names are stable codes (the importer reads them); the instructions
    and the columns' explanations are in the active language (the command line's, or that of
    whoever downloads it)."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = f.INSTRUCTIONS
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    instructions.append([_("WPS Monitor import workbook")])
    instructions["A1"].font = Font(bold=True, size=14)
    for line in (
        _(
            "Fill in the sheets, then run: wpsmonitor import this-file.xlsx. The import is all "
            "or nothing: any problem is listed as file:sheet:row:column and nothing is stored."
        ),
        _(
            "Type values, not formulas. Codes are stable identifiers: keep them when you "
            "re-import. Dates are YYYY-MM-DD. Empty sheets may be left out, except Plan."
        ),
        _(
            "Periods are coded 2025 (year), 2025S1 (semester), 2025Q3 (quarter) or 2025-07 "
            "(month), and must be of the indicator's frequency and within the plan's dates."
        ),
    ):
        instructions.append([line])
    instructions.append([])
    instructions.append([_("Sheet"), _("Column"), _("Required"), _("Meaning")])
    for cell in instructions[instructions.max_row]:
        cell.font = bold
    for sheet in f.PLAN_SHEETS:
        instructions.append([sheet.name, "", "", str(sheet.help)])
        instructions.cell(instructions.max_row, 1).font = bold
        columns = f.PLAN_FIELDS if sheet is f.PLAN else sheet.columns
        for column in columns:
            label = (
                column.name if sheet is not f.PLAN else _("field %(name)s") % {"name": column.name}
            )
            instructions.append(
                [sheet.name, label, _("yes") if column.required else "", str(column.help)]
            )
    instructions.column_dimensions["A"].width = 16
    instructions.column_dimensions["B"].width = 28
    instructions.column_dimensions["C"].width = 10
    instructions.column_dimensions["D"].width = 100
    for row in instructions.iter_rows(min_row=2):
        row[-1].alignment = wrap
    for sheet in f.PLAN_SHEETS:
        ws = workbook.create_sheet(sheet.name)
        ws.append(sheet.column_names)
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        if sheet is f.PLAN:
            for column in f.PLAN_FIELDS:
                ws.append([column.name, None])
            ws.column_dimensions["A"].width = 26
            ws.column_dimensions["B"].width = 60
    workbook.save(path)
    return path


# ----------------------------------------------------------------------------- plan data


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _shown(plan: Plan, hidden: Q | None, prefix: str = "indicator__") -> Q:
    """The plan's own indicators (through `prefix`), less those `hidden` names."""
    q = Q(**{f"{prefix}plan": plan, f"{prefix}owner_organisation__isnull": True})
    if hidden is not None:
        q &= ~Q(**{f"{prefix}pk__in": Indicator.objects.filter(hidden).values("pk")})
    return q


def plan_sections(plan: Plan, hidden: Q | None = None) -> dict[str, Any]:
    """Everything but the values, as the JSON/XLSX sections (lists of dicts keyed by column)."""
    nodes = _framework_nodes(plan)
    indicators = _plan_indicators(plan, hidden)
    scheme_dims = _scheme_dimension_codes()
    sources = _plan_sources(plan, hidden)
    organisations = _plan_organisations(plan, nodes, indicators, sources)
    areas = _plan_areas(plan)
    return {
        "format": f.JSON_FORMAT,
        "version": f.JSON_VERSION,
        "plan": plan_fields(plan),
        "organisations": [organisation_row(o) for o in organisations],
        "areas": [area_row(a) for a in areas],
        "levels": [_level_row(lvl) for lvl in plan.levels.order_by("depth")],
        "framework": [_node_row(n, plan.original_language) for n in nodes],
        "dimensions": _dimension_rows(plan, indicators, scheme_dims),
        "sources": [source_row(s) for s in sources],
        "indicators": [indicator_row(i, scheme_dims, plan.original_language) for i in indicators],
        "baselines": _reference_rows(plan, Baseline, hidden),
        "targets": _reference_rows(plan, Target, hidden),
        "list_items": _list_item_rows(plan, hidden),
    }


# What the sections hold: the plan's own rows, and the organisations, areas, dimensions and
# sources they name, so that the export loads into an empty database.


def _framework_nodes(plan: Plan) -> list[FrameworkNode]:
    nodes = list(
        FrameworkNode.objects.filter(plan=plan)
        .select_related("parent", "level", "responsible_organisation")
        .prefetch_related("partner_organisations")
        .order_by("path")
    )
    # Parents first: order by depth of path, then path (ids grow with creation).
    nodes.sort(key=lambda n: (n.path.count("/"), n.path))
    return nodes


def _plan_indicators(plan: Plan, hidden: Q | None = None) -> list[Indicator]:
    return list(
        Indicator.objects.filter(_shown(plan, hidden, prefix=""))
        .select_related(
            "node", "responsible_organisation", "share_of", "share_dimension", "share_option"
        )
        .prefetch_related("references")
        .order_by("order", "code")
    )


def _scheme_dimension_codes() -> dict[int, list[str]]:
    """Every scheme's dimension codes in order, by scheme id."""
    scheme_dims: dict[int, list[str]] = {}
    for scheme_id, code in SchemeDimension.objects.order_by("scheme", "order").values_list(
        "scheme_id", "dimension__code"
    ):
        scheme_dims.setdefault(scheme_id, []).append(code)
    return scheme_dims


def _plan_sources(plan: Plan, hidden: Q | None = None) -> list[Source]:
    """The sources of the plan's values and list items."""
    source_ids = set(
        DataValue.objects.filter(_shown(plan, hidden))
        .values_list("source_id", flat=True)
        .distinct()
    ) | set(ListItem.objects.filter(_shown(plan, hidden)).values_list("source_id", flat=True))
    return list(
        Source.objects.filter(pk__in=source_ids).select_related("organisation").order_by("code")
    )


def _plan_organisations(
    plan: Plan, nodes: list[FrameworkNode], indicators: list[Indicator], sources: list[Source]
) -> list[Organisation]:
    """The organisations the plan, its nodes, indicators and sources name."""
    org_ids: set[int] = set()
    if plan.lead_organisation_id:
        org_ids.add(plan.lead_organisation_id)
    for node in nodes:
        if node.responsible_organisation_id:
            org_ids.add(node.responsible_organisation_id)
        org_ids.update(p.pk for p in node.partner_organisations.all())
    org_ids.update(
        i.responsible_organisation_id for i in indicators if i.responsible_organisation_id
    )
    org_ids.update(s.organisation_id for s in sources if s.organisation_id)
    return list(
        Organisation.objects.filter(pk__in=org_ids).select_related("country").order_by("code")
    )


def _plan_areas(plan: Plan) -> list[Area]:
    """Areas below the country, down to the plan's area and its whole subtree, parents first."""
    chain = [int(x) for x in plan.area.path.strip("/").split("/") if x]
    areas = list(
        Area.objects.filter(Q(path__startswith=plan.area.path) | Q(pk__in=chain))
        .filter(parent__isnull=False)
        .select_related("parent", "level")
        .order_by("path")
    )
    areas.sort(key=lambda a: (a.path.count("/"), a.path))
    return areas


# One row per object, keyed by the column names of exchange.formats.


def texts_row(obj: Any, language: str, *fields: str, prefix: str = "") -> dict[str, Any]:
    """Each text `field` in the original `language` (the column `title`), and in every other
    language (`title_en`, `title_fr`...: empty when there is none), as the import reads them.
    `prefix`: the columns' names put it before the field's (an option's `name` is the
    Dimensions sheet's `option_name`, `option_name_fr`...)."""
    row: dict[str, Any] = {}
    for field in fields:
        # A title or a name is required: without one in the original language (the original
        # language changed after it was written), another language's stands in. An optional
        # text stays empty, its language columns carrying what there is.
        if field in ("title", "name"):
            row[prefix + field] = shown(obj, field, language, original=language).text
        else:
            row[prefix + field] = getattr(obj, language_column(field, language), None) or ""
        for code in language_codes():
            # The original language's own column stays empty: its text is `field`, and a person
            # who edits `title` in the workbook has no second copy to keep in step.
            name = language_column(field, code)
            row[prefix + name] = "" if code == language else getattr(obj, name, None) or ""
    return row


def plan_fields(plan: Plan) -> dict[str, Any]:
    """The plan's own fields as the Plan sheet writes them (also what a re-import keeps)."""
    return {
        "code": plan.code,
        "title": shown(plan, "title", plan.original_language).text,
        "kind": plan.kind,
        "parent": plan.parent.code if plan.parent else "",
        "area": plan.area.code,
        "generation": plan.generation,
        "start": _date(plan.start),
        "end": _date(plan.end),
        "adopted_on": _date(plan.adopted_on),
        "status": plan.status,
        "lead_organisation": plan.lead_organisation.code if plan.lead_organisation else "",
        "coordination_mechanism": plan.coordination_mechanism,
        "languages": ";".join(plan.languages or []),
        "description": plan.description,
        "document_url": plan.document_url,
        "me_description": plan.me_description,
        "civil_society_roles": ";".join(plan.civil_society_roles or []),
        "alignment_references": ";".join(plan.alignment_references or []),
        "disclosure_threshold": plan.disclosure_threshold,
        "structural_zeros_safe": _yes_no(plan.structural_zeros_safe),
        "original_language": plan.original_language,
        **texts_row(plan, plan.original_language, "title"),
    }


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def organisation_row(o: Organisation) -> dict[str, Any]:
    return {
        "code": o.code,
        "name": shown(o, "name", o.original_language).text,
        "acronym": o.acronym,
        "type": o.type,
        "country": o.country.code if o.country else "",
        "women_led": _yes_no(o.women_led),
        "grassroots": _yes_no(o.grassroots),
        "youth_led": _yes_no(o.youth_led),
        "iati_ref": o.iati_ref,
        "original_language": o.original_language,
        **texts_row(o, o.original_language, "name"),
    }


def area_row(a: Area) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": a.name,
        "parent": a.parent.code if a.parent else "",
        "level": a.level.depth,
        "is_urban": "" if a.is_urban is None else _yes_no(a.is_urban),
    }


def _level_row(lvl: FrameworkLevel) -> dict[str, Any]:
    return {
        "depth": lvl.depth,
        "code": lvl.code,
        "name": lvl.name,
        "holds_actions": _yes_no(lvl.holds_actions),
    }


def _node_row(n: FrameworkNode, language: str) -> dict[str, Any]:
    return {
        "code": n.code,
        "parent": n.parent.code if n.parent else "",
        "level": n.level.code,
        **texts_row(n, language, "title"),
        "description": n.description,
        "order": n.order,
        "pillar_theme": n.pillar_theme,
        "responsible_organisation": (
            n.responsible_organisation.code if n.responsible_organisation else ""
        ),
        "partner_organisations": ";".join(sorted(p.code for p in n.partner_organisations.all())),
        "planned_start": _date(n.planned_start),
        "planned_end": _date(n.planned_end),
        "status": n.status,
        "percent_complete": n.percent_complete,
    }


def _dimension_rows(
    plan: Plan, indicators: list[Indicator], scheme_dims: dict[int, list[str]]
) -> list[dict[str, Any]]:
    """One row per option of the dimensions the indicators use or the plan defines."""
    used_dims = {code for i in indicators for code in scheme_dims.get(i.scheme_id, [])}
    # The dimensions their options sit under (hierarchical dimensions), whose rows the
    # `parent` column names.
    wanted = Q(code__in=used_dims) | Q(plan=plan)
    while True:
        above = set(
            DimensionOption.objects.filter(
                dimension__in=Dimension.objects.filter(wanted), parent__isnull=False
            ).values_list("parent__dimension__code", flat=True)
        )
        if above <= used_dims:
            break
        used_dims |= above
        wanted = Q(code__in=used_dims) | Q(plan=plan)
    dimensions = (
        Dimension.objects.filter(wanted)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "options",
                DimensionOption.objects.select_related("parent__dimension").order_by(
                    "order", "code"
                ),
            )
        )
        .order_by("code")
    )
    return [
        {
            "dimension": d.code,
            "dimension_name": d.name,
            "option": o.code,
            "order": o.order,
            "parent": _option_parent(o),
            # The option's name in its original language (its dimension's plan's; English for
            # the shared dimensions, whose names are msgids: core/names.py), and the others.
            **texts_row(o, _option_language(d), "name", prefix="option_"),
        }
        for d in dimensions
        for o in d.options.all()
    ]


def _option_parent(option: DimensionOption) -> str:
    """The Dimensions sheet's `parent`: dimension=option ("" at the top)."""
    parent = option.parent
    return f"{parent.dimension.code}={parent.code}" if parent is not None else ""


def _option_language(dimension: Dimension) -> str:
    """The original language of a dimension's options' names (DimensionOption's, without a
    query an option)."""
    return dimension.plan.original_language if dimension.plan else settings.LANGUAGE_CODE


def source_row(s: Source) -> dict[str, Any]:
    return {
        "code": s.code,
        "name": s.name,
        "kind": s.kind,
        "organisation": s.organisation.code if s.organisation else "",
    }


def indicator_row(
    i: Indicator, scheme_dims: dict[int, list[str]], language: str | None = None
) -> dict[str, Any]:
    """`language`: the plan's original language when the caller knows it."""
    texts = texts_row(
        i, language or i.original_language, "title", "definition", "unit", "means_of_verification"
    )
    return {
        "code": i.code,
        "node": i.node.code,
        "title": texts.pop("title"),
        "definition": texts.pop("definition"),
        "kind": i.kind,
        "unit": texts.pop("unit"),
        "direction": i.direction,
        "time_rule": i.time_rule,
        "disaggregation": ";".join(scheme_dims.get(i.scheme_id, [])),
        "frequency": i.frequency,
        "means_of_verification": texts.pop("means_of_verification"),
        "responsible_organisation": (
            i.responsible_organisation.code if i.responsible_organisation else ""
        ),
        "references": ";".join(sorted(f"{r.vocabulary}:{r.code}" for r in i.references.all())),
        "factor": _num(i.factor),
        "scale_labels": " | ".join(i.scale_labels or []),
        "numerator_formula": i.numerator_formula,
        "denominator_formula": i.denominator_formula,
        "share_of": i.share_of.code if i.share_of else "",
        "share_option": (
            f"{i.share_dimension.code}={i.share_option.code}"
            if i.share_dimension and i.share_option
            else ""
        ),
        "expected_min": _num(i.expected_min),
        "expected_max": _num(i.expected_max),
        "order": i.order,
        "sensitivity": i.sensitivity,
        "disclosure_threshold": i.disclosure_threshold,
        **texts,
    }


def _reference_rows(
    plan: Plan, model: type[Baseline] | type[Target], hidden: Q | None = None
) -> list[dict[str, Any]]:
    """The plan's baselines or targets."""
    return [
        {
            "indicator": ref.indicator.code,
            "period": ref.period.code,
            "area": ref.area.code,
            "cell": "" if ref.cell.code == TOTAL_CELL else ref.cell.code,
            "value": _num(ref.value),
            "numerator": _num(ref.numerator),
            "denominator": _num(ref.denominator),
            "comment": ref.comment,
        }
        for ref in model.objects.filter(_shown(plan, hidden))
        .select_related("indicator", "period", "area", "cell")
        .order_by("indicator__code", "period__start", "area__code", "cell__code")
    ]


def _list_item_rows(plan: Plan, hidden: Q | None = None) -> list[dict[str, Any]]:
    """One row per report of each item, its first period first (the one it counts in), so
    that re-importing gives the same items, first periods and statuses."""
    rows = []
    for item in (
        ListItem.objects.filter(_shown(plan, hidden))
        .select_related("indicator", "period", "area", "source")
        .prefetch_related(
            Prefetch(
                "reports", ListItemReport.objects.select_related("period").order_by("period__start")
            )
        )
        .order_by("indicator__code", "title", "area__code", "source__code")
    ):
        reports = [r for r in item.reports.all() if r.period_id != item.period_id]
        first = next((r for r in item.reports.all() if r.period_id == item.period_id), None)
        for index, (period, status) in enumerate(
            [(item.period, first.status if first else ""), *((r.period, r.status) for r in reports)]
        ):
            rows.append(
                {
                    "indicator": item.indicator.code,
                    "period": period.code,
                    "area": item.area.code,
                    "source": item.source.code,
                    "title": item.title,
                    "type": item.item_type if index == 0 else "",
                    "description": item.description if index == 0 else "",
                    "date": item.date_shown if index == 0 else "",
                    "status": status,
                    "reference": item.reference if index == 0 else "",
                }
            )
    return rows


# ----------------------------------------------------------------------------- values


def plan_values(
    plan: Plan, progress: Progress | None = None, hidden: Q | None = None
) -> Iterator[list[Any]]:
    """The plan's values as rows in VALUE_COLUMNS order, streamed."""
    query = (
        DataValue.objects.filter(_shown(plan, hidden))
        .order_by(
            "indicator__code",
            "period__start",
            "period__code",
            "area__code",
            "cell__code",
            "source__code",
        )
        .values_list(
            "indicator__code",
            "period__code",
            "area__code",
            "cell__code",
            "source__code",
            "value",
            "numerator",
            "denominator",
            "text_value",
            "comment",
            "indicator__kind",
        )
    )
    count = 0
    for ind, per, area, cell, src, value, num, den, txt, cmt, kind in query.iterator(
        chunk_size=5000
    ):
        count += 1
        if progress is not None and count % 100_000 == 0:
            progress(count)
        if kind == "percentage":
            value = None  # computed from numerator and denominator on import
        yield [
            plan.code,
            ind,
            per,
            area,
            "" if cell == TOTAL_CELL else cell,
            src,
            _num(value),
            _num(num),
            _num(den),
            txt,
            cmt,
        ]
    if progress is not None:
        progress(count)


# ----------------------------------------------------------------------------- writers


def export_json(
    plan: Plan, out: IO[str], progress: Progress | None = None, hidden: Q | None = None
) -> None:
    sections = plan_sections(plan, hidden)
    body = json.dumps(sections, ensure_ascii=False, indent=1)
    out.write(body[: body.rstrip().rfind("}")].rstrip())
    out.write(',\n "values": [')
    first = True
    for row in plan_values(plan, progress, hidden):
        item = {k: v for k, v in zip(VALUE_COLUMNS, row, strict=True) if v not in (None, "")}
        out.write(("\n  " if first else ",\n  ") + json.dumps(item, ensure_ascii=False))
        first = False
    out.write("\n ]\n}\n")


def export_csv(
    plan: Plan, out: IO[str], progress: Progress | None = None, hidden: Q | None = None
) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(VALUE_COLUMNS)
    text_at = [i for i, c in enumerate(f.VALUES.columns) if c.text]
    for row in plan_values(plan, progress, hidden):
        for i in text_at:
            if row[i]:
                row[i] = f.neutralise(row[i])
        writer.writerow(
            ["" if v is None else (repr(v) if isinstance(v, float) else v) for v in row]
        )


def export_xlsx(
    plan: Plan,
    path: Path,
    progress: Progress | None = None,
    hidden: Q | None = None,
    *,
    published: PublishedFigures | None = None,
) -> None:
    """The plan workbook: with its stored values, or (`published`) a release's figures; less
    the indicators matching `hidden` (those the reader may not see: restricted ones)."""
    sections = plan_sections(plan, hidden)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(ws: Any, names: list[str]) -> None:
        cells = []
        for name in names:
            cell = safe_cell(ws, name)
            cell.font = bold
            cells.append(cell)
        ws.append(cells)

    withheld = published.withheld if published is not None else frozenset()
    if published is not None:
        ws = workbook.create_sheet(RELEASE_SHEET)
        header(ws, ["field", "value"])
        for name, value in published.about:
            ws.append([safe_cell(ws, name), safe_cell(ws, value)])
    for sheet in f.PLAN_SHEETS:
        if sheet is f.VALUES:
            continue
        ws = workbook.create_sheet(sheet.name)
        header(ws, sheet.column_names)
        if sheet is f.PLAN:
            for column in f.PLAN_FIELDS:
                value = sections["plan"].get(column.name)
                ws.append([safe_cell(ws, column.name), safe_cell(ws, value)])
            continue
        if published is not None and sheet is f.LIST_ITEMS:
            # A release carries a list's count, not its items: those who read the release
            # read no item either (docs/publishing.md, "Who reads what").
            continue
        for row in sections[sheet.key]:
            if sheet in WITHHELD_SHEETS and row.get("indicator") in withheld:
                continue
            ws.append([safe_cell(ws, row.get(name)) for name in sheet.column_names])
    if published is not None:
        _figures_sheets(workbook, published, header)
        workbook.save(path)
        return
    number = 1
    ws = workbook.create_sheet("Values")
    header(ws, f.VALUES.column_names)
    rows_in_sheet = 1
    for row in plan_values(plan, progress, hidden):
        if rows_in_sheet >= XLSX_MAX_ROWS:
            number += 1
            ws = workbook.create_sheet(f"Values{number}")
            header(ws, f.VALUES.column_names)
            rows_in_sheet = 1
        ws.append([safe_cell(ws, v) for v in row])
        rows_in_sheet += 1
    workbook.save(path)


# What a release's workbook leaves out of a withheld (restricted) indicator besides its figures.
WITHHELD_SHEETS = (f.BASELINES, f.TARGETS, f.LIST_ITEMS)


def _figures_sheets(
    workbook: Any, published: PublishedFigures, header: Callable[[Any, list[str]], None]
) -> None:
    """The release's figures, on as many sheets as they need (Figures, Figures2...)."""
    number = 1
    ws = workbook.create_sheet(FIGURES_SHEET)
    header(ws, list(published.columns))
    rows_in_sheet = 1
    for row in published.rows:
        if rows_in_sheet >= XLSX_MAX_ROWS:
            number += 1
            ws = workbook.create_sheet(f"{FIGURES_SHEET}{number}")
            header(ws, list(published.columns))
            rows_in_sheet = 1
        ws.append([safe_cell(ws, _num(v) if isinstance(v, float) else v) for v in row])
        rows_in_sheet += 1
