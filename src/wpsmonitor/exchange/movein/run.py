"""A move-in: records keyed by labels, translated into the values import's rows, all or nothing.

    files = read_records(paths)                      # before any transaction
    result = movein_run(plan=..., files=files, mapping_paths=[...], user=..., dry_run=True)

Every label is matched first (matching.py). If any is unmatched, nothing is imported: the
result carries the mapping sheet (sheet.py). Once every label matches, the records become rows
of the values import (indicators.ingest: the same checks, messages, batch and audit as
`wpsmonitor import`) and, for list indicators, rows of its ListItems sheet; one transaction, and
every problem located `file:sheet:row:column` with the user's own column names. A dry run
checks all that and rolls back. A real run keeps the mapping sheet's lines on the plan
(LabelMapping), in the same transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from wpsmonitor.core.names import folded
from wpsmonitor.core.periods import parse_period
from wpsmonitor.exchange.importer import ImportFailed
from wpsmonitor.exchange.models import LabelKind, LabelMapping
from wpsmonitor.exchange.movein.matching import (
    IGNORE,
    Catalogue,
    Mapping,
    Matcher,
    Unmatched,
)
from wpsmonitor.exchange.movein.records import RecordFile, Table, cell_text
from wpsmonitor.exchange.movein.sheet import mapping_sheet, read_mapping_sheet
from wpsmonitor.exchange.plan_import.reader import PlanReader, Sections
from wpsmonitor.exchange.plan_import.references import list_items_load
from wpsmonitor.exchange.readers import FileRefused
from wpsmonitor.indicators.ingest import IngestError, Problem, ValueIngest
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, Indicator, IndicatorKind
from wpsmonitor.plans.models import Plan

_VALUE_ROLES = ("value", "numerator", "denominator", "text", "comment")
_NUMBER_ROLES = ("value", "numerator", "denominator")


class _Dry(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


@dataclass
class MoveInResult:
    records: int = 0
    skipped: int = 0  # records of an indicator mapped to "-"
    values: int = 0
    list_items: int = 0
    repeated_items: int = 0  # list items given again in a later period: kept in the first
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    remembered: int = 0  # mapping lines kept on the plan
    sources: set[str] = field(default_factory=set)  # the source codes given (gov when blank)
    batch_id: int | None = None
    dry_run: bool = False
    seconds: float = 0.0
    unmatched: list[Unmatched] = field(default_factory=list)
    mapping_sheet: bytes | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.unmatched


@dataclass
class _Columns:
    """A table's header understood: role -> position, dimension code -> position."""

    roles: dict[str, int]
    dims: dict[str, int]
    names: dict[str, str]  # role or "cell" -> the user's header, for problem locations
    unmatched: bool = False  # a header the mapping sheet must say


@dataclass
class _TableRows:
    table: Table
    columns: _Columns
    values: list[tuple[int, list[Any]]] = field(default_factory=list)
    items: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def movein_run(
    *,
    plan: Plan,
    files: list[RecordFile],
    mapping_paths: list[Path] | None = None,
    user: User | None = None,
    dry_run: bool = False,
) -> MoveInResult:
    """Match, then import (or check, `dry_run`) the records into the plan; raise ImportFailed
    listing every problem (nothing stored). Unmatched labels are not a failure: the result
    then carries them and the mapping sheet, and nothing is imported."""
    started = time.monotonic()
    result = MoveInResult(dry_run=dry_run)
    catalogue = Catalogue.load(plan)
    mapping = Mapping.kept(plan)
    problems: list[Problem] = []
    for path in mapping_paths or []:
        try:
            read_mapping_sheet(path, catalogue, mapping, problems)
        except FileRefused as exc:
            problems.append(Problem(path.name, "", exc.message))
    matcher = Matcher(catalogue, mapping)
    tables: list[_TableRows] = []
    for file in files:
        if file.refused is not None:
            where = file.name + (f":{file.refused.row}" if file.refused.row else "")
            problems.append(Problem(where, file.refused.column, file.refused.message))
            continue
        if not file.tables:
            problems.append(Problem(file.name, "", _("the file holds no records")))
        for table in file.tables:
            translated = _translate(table, plan, catalogue, matcher, problems, result)
            if translated is not None:
                tables.append(translated)
    if matcher.unmatched:
        result.unmatched = list(matcher.unmatched.values())
        result.mapping_sheet = mapping_sheet(result.unmatched, catalogue, mapping.given)
        if problems:
            raise ImportFailed(problems)
        result.seconds = time.monotonic() - started
        return result
    if problems:
        raise ImportFailed(problems)
    _first_reports(tables, result)
    try:
        with transaction.atomic():
            _store(plan, files, tables, mapping, user, result)
            if dry_run:
                raise _Dry
    except _Dry:
        result.batch_id = None
    result.seconds = time.monotonic() - started
    return result


def _store(
    plan: Plan,
    files: list[RecordFile],
    tables: list[_TableRows],
    mapping: Mapping,
    user: User | None,
    result: MoveInResult,
) -> None:
    session = ValueIngest(
        user=user,
        kind="movein",
        filename=", ".join(f.name for f in files),
        default_plan=plan.code,
    )
    names: dict[int, dict[str, str]] = {}
    indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
    for rows in tables:
        place = session.place(rows.table.place)
        names[place] = rows.columns.names
        if rows.values:
            session.add_rows(iter(rows.values), place=place)
        if rows.items:
            reader = PlanReader(
                session,
                Sections(plan={}, rows={"ListItems": rows.items}, places={"ListItems": place}),
            )
            reader.plan = plan
            reader.indicators = indicators
            list_items_load(reader)
    try:
        done = session.finish()
    except IngestError:
        located = sorted(session.log.problems, key=lambda p: p[:2])
        raise ImportFailed(
            [
                Problem(p.where, names.get(place, {}).get(p.column, p.column), p.message)
                for place, _row, p in located
            ],
            session.truncated,
        ) from None
    result.created, result.updated, result.unchanged = done.created, done.updated, done.unchanged
    result.batch_id = done.batch_id
    result.warnings = done.warnings
    if not result.dry_run:
        for entry in mapping.given:
            LabelMapping.objects.update_or_create(
                plan=plan,
                kind=entry.kind,
                scope=entry.scope,
                folded=folded(entry.label)[:500],
                defaults={"label": entry.label[:500], "code": entry.code, "by": user},
            )
        result.remembered = len(mapping.given)


def _header(table: Table, matcher: Matcher, problems: list[Problem]) -> _Columns:
    columns = _Columns({}, {}, {})
    where = table.place.format(row=1)
    for position, header in enumerate(table.header):
        if not header:
            continue
        found = matcher.match(LabelKind.COLUMN, "", header, where)
        if found is None:
            columns.unmatched = True
            continue
        if found == IGNORE:
            continue
        if found in columns.roles or found in columns.dims:
            problems.append(
                Problem(where, header, _("two columns stand for %(what)s") % {"what": found})
            )
            continue
        if found in _ROLE_NAMES:
            columns.roles[found] = position
            columns.names["title" if found == "item" else found] = header
        else:
            columns.dims[found] = position
    option_headers = [table.header[p] for p in columns.dims.values()]
    if "cell" in columns.roles:
        option_headers.append(table.header[columns.roles["cell"]])
    if option_headers:
        columns.names["cell"] = ";".join(option_headers)
    return columns


_ROLE_NAMES = frozenset(
    (
        "indicator",
        "area",
        "period",
        "value",
        "numerator",
        "denominator",
        "text",
        "comment",
        "source",
        "cell",
        "item",
        "date",
        "reference",
    )
)


def _translate(
    table: Table,
    plan: Plan,
    catalogue: Catalogue,
    matcher: Matcher,
    problems: list[Problem],
    result: MoveInResult,
) -> _TableRows | None:
    columns = _header(table, matcher, problems)
    missing = [r for r in ("indicator", "area", "period") if r not in columns.roles]
    if missing and not columns.unmatched:
        problems.append(
            Problem(
                table.place.format(row=1),
                "",
                _(
                    "no column stands for %(roles)s; name it so (or in French, Spanish, "
                    "Arabic) or say which one in the mapping sheet's Columns"
                )
                % {"roles": ", ".join(missing)},
            )
        )
        return None
    # With a header still to map, the rows are only read for their other labels, so that one
    # mapping sheet holds them all.
    scan_only = bool(missing)
    out = _TableRows(table, columns)
    roles = columns.roles
    at_ind, at_area, at_period = (roles.get(r, -1) for r in ("indicator", "area", "period"))
    decimal_comma = table.decimal_comma
    place = table.place
    match = matcher.match
    is_total = matcher.is_total
    dims = list(columns.dims.items())
    at_cell = roles.get("cell", -1)
    option_positions = [p for _d, p in dims] + ([at_cell] if at_cell >= 0 else [])
    cells_done: dict[tuple[Any, ...], str] = {}
    for rownum, cells in table.rows:
        where = place  # formatted with the row only where a problem or a miss needs it
        result.records += 1

        def get(position: int, cells: list[Any] = cells) -> Any:
            return cells[position] if 0 <= position < len(cells) else None

        ind_label = cell_text(get(at_ind))
        if not ind_label and not scan_only:
            problems.append(
                Problem(place.format(row=rownum), table.header[at_ind], _("the indicator is blank"))
            )
            continue
        ind_code = match(LabelKind.INDICATOR, "", ind_label, where, rownum) if ind_label else None
        if ind_code == IGNORE:
            result.skipped += 1
            continue
        area_label = cell_text(get(at_area))
        area_code = match(LabelKind.AREA, "", area_label, where, rownum) if area_label else ""
        period_label = cell_text(get(at_period))
        period = match(LabelKind.PERIOD, "", period_label, where, rownum) if period_label else ""
        # The cell: exports repeat a few combinations of options, each resolved once.
        option_key = tuple(get(p) for p in option_positions)
        cell = cells_done.get(option_key)
        if cell is None:
            cell = _cell(option_key, dims, at_cell, match, is_total, where, rownum)
            if cell is not None:
                cells_done[option_key] = cell
        complete = cell is not None
        if scan_only or ind_code is None or area_code is None or period is None or not complete:
            continue
        facts = catalogue.facts.get(ind_code)
        source = cell_text(get(roles["source"])) if "source" in roles else ""
        result.sources.add(source or GOVERNMENT_SOURCE)
        if facts is not None and facts.kind == IndicatorKind.LIST:
            item = {
                "indicator": ind_code,
                "period": period,
                "area": area_code,
                "source": source,
                "title": cell_text(get(roles["item"])) if "item" in roles else "",
                "date": get(roles["date"]) if "date" in roles else None,
                "reference": cell_text(get(roles["reference"])) if "reference" in roles else "",
            }
            out.items.append((rownum, item))
            continue
        figures = []
        for role in _VALUE_ROLES:
            raw = get(roles[role]) if role in roles else None
            if decimal_comma and role in _NUMBER_ROLES and isinstance(raw, str):
                raw = _decimal(raw)
            figures.append(raw)
        row = [plan.code, ind_code, period, area_code, cell, source, *figures]
        out.values.append((rownum, row))
        result.values += 1
    return out


def _cell(
    raws: tuple[Any, ...],
    dims: list[tuple[str, int]],
    at_cell: int,
    match: Any,
    is_total: Any,
    where: str,
    rownum: int,
) -> str | None:
    """The cell text (dimension=option codes) of a record's option cells, in the order of
    `raws` (the dimension columns, then the cell column); None when a label is unmatched."""
    pairs: list[str] = []
    complete = True
    for (dim, _position), raw in zip(dims, raws, strict=False):
        label = cell_text(raw)
        if not label or is_total(label):
            continue
        option = match(LabelKind.OPTION, dim, label, where, rownum)
        if option is None:
            complete = False
        else:
            pairs.append(f"{dim}={option}")
    if at_cell >= 0:
        for part in filter(None, (p.strip() for p in cell_text(raws[-1]).split(";"))):
            if "=" not in part:
                pairs.append(part)  # refused by the values import, at this column
                continue
            dim_label, opt_label = (s.strip() for s in part.split("=", 1))
            pair_dim = match(LabelKind.COLUMN, "", dim_label, where, rownum)
            if pair_dim is None:
                complete = False
                continue
            if not opt_label or is_total(opt_label):
                continue
            option = match(LabelKind.OPTION, pair_dim, opt_label, where, rownum)
            if option is None:
                complete = False
            else:
                pairs.append(f"{pair_dim}={option}")
    return ";".join(pairs) if complete else None


def _decimal(raw: str) -> str:
    text = raw.strip()
    if text.count(",") == 1 and text.replace(",", "").lstrip("+-").isdigit():
        return text.replace(",", ".")
    return raw


def _first_reports(tables: list[_TableRows], result: MoveInResult) -> None:
    """Keep each list item once, in the first period that reports it: another system's export
    lists an item (a law, a mechanism) again every year it is in force."""
    first: dict[tuple[str, str, str, str], tuple[Any, int, int]] = {}
    for t_index, rows in enumerate(tables):
        for r_index, (_row, item) in enumerate(rows.items):
            key = (item["indicator"], item["area"], item["source"], folded(item["title"]))
            start = _start(item["period"])
            seen = first.get(key)
            if seen is None or start < seen[0]:
                first[key] = (start, t_index, r_index)
    keep = {(t, r) for _s, t, r in first.values()}
    for t_index, rows in enumerate(tables):
        kept = [it for r, it in enumerate(rows.items) if (t_index, r) in keep]
        result.repeated_items += len(rows.items) - len(kept)
        rows.items = kept
        result.list_items += len(kept)


def _start(period: str) -> Any:
    return parse_period(period).start
