"""Build a release: the plan's public figures after disclosure control (docs/publishing.md).

It reads what the public pages read today: the derived aggregates (`AggregateValue`: per
indicator, period, area and stream, the total and each one-dimension margin), which hold only
approved government figures and published civil-society figures (nothing else reaches the fact
table they are computed from). Donor streams are not part of a release. Restricted indicators
and civil society's unpublished own indicators are left out.

Indicators are taken by *family*: an indicator with the shares computed from it (`share_of`).
A family with no sensitive member goes through unchanged; a sensitive family goes through
`disclosure.protect` as one table per stream (government and each civil-society stream are
protected and written apart, never merged), with the relations a reader could difference:

- the margins: the total and the options of each dimension (`"" = sum of "sex=*"`);
- the area tree: an area and the sub-areas of the plan's tree found in the figures;
- the periods: a coarser period (semester, year, the whole plan "ALL") and the periods of the
  indicator's frequency inside it (time rule sum: their sum; last: the last one);
- the siblings: a share's denominator is its base's figure, its numerator the base's margin of
  the share's option.

Every candidate relation is checked against the figures and kept only when it holds exactly
(a province that also reported figures of its own is not the sum of its districts, and no
reader can difference it). Counts are the cells (`number` and `list` indicators: the value;
percentages, shares and formulas: the numerator and the denominator, the figure a `Ratio`);
yes/no, scale, milestone and narrative figures are not counts and go through unchanged.

Memory is bounded by one family and one stream: the rows are read per indicator and stream and
written with `bulk_create` in batches.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, cast

from django.db import connection
from django.db.models import Field

from wpsmonitor.core.periods import PeriodCodeError, parse_period
from wpsmonitor.core.vocabulary import Sensitivity, SourceKind
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import (
    AggregateValue,
    Indicator,
    IndicatorKind,
    Source,
    TimeRule,
)
from wpsmonitor.publishing import disclosure
from wpsmonitor.publishing.disclosure import Cell, Ratio, Relation, Suppression
from wpsmonitor.publishing.flags import audit_text, disclosed_text
from wpsmonitor.publishing.models import (
    DisclosureAuditEntry,
    Release,
    ReleaseFigure,
)

BATCH = 2_000
ALL_PERIODS = "ALL"
RATIO_KINDS = frozenset({IndicatorKind.PERCENTAGE, IndicatorKind.SHARE, IndicatorKind.FORMULA})
COUNT_KINDS = frozenset({IndicatorKind.NUMBER, IndicatorKind.LIST})
_QUANTUM = Decimal("0.000001")
_DECIMAL_LIMIT = 1e23  # max_digits 30, 6 places
LISTED = 50  # changes listed per kind in the change log; the rest are counted

Key = tuple[int, str, str]  # (area id, period code, cell key)


def to_decimal(value: float | None) -> Decimal | None:
    if value is None or not math.isfinite(value) or abs(value) >= _DECIMAL_LIMIT:
        return None
    return Decimal(repr(value)).quantize(_QUANTUM)


@dataclass
class ChangeLog:
    """Figures added, changed, removed and newly suppressed since the previous release."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    newly_suppressed: int = 0
    lines: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def note(self, kind: str, line: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if len(self.lines[kind]) < LISTED:
            self.lines[kind].append(line)

    def text(self, previous: Release | None) -> str:
        if previous is None:
            return "First release."
        out = [
            f"Compared with release {previous.number}: {self.added} added, {self.changed} "
            f"changed, {self.removed} removed, {self.newly_suppressed} newly suppressed."
        ]
        for kind in ("added", "changed", "removed", "newly_suppressed"):
            lines = self.lines.get(kind, [])
            if not lines:
                continue
            out.append("")
            out.append(f"{kind.replace('_', ' ').capitalize()}:")
            out.extend(f"- {line}" for line in lines)
            more = getattr(self, kind) - len(lines)
            if more > 0:
                out.append(f"- … and {more} more")
        return "\n".join(out)


@dataclass
class BuildStats:
    figures: int = 0
    suppressed: int = 0
    problems: int = 0
    rows_read: int = 0


@dataclass(frozen=True)
class _Row:
    indicator: Indicator
    area_id: int
    period_code: str
    cell_key: str
    value: float | None
    numerator: float | None
    denominator: float | None
    baseline: float | None = None
    target: float | None = None
    achievement: float | None = None
    count: int = 0

    @property
    def key(self) -> Key:
        return (self.area_id, self.period_code, self.cell_key)


class _Context:
    """What every family needs: the plan's area tree and the period codes parsed once."""

    def __init__(self, release: Release) -> None:
        self.release = release
        plan = release.plan
        self.threshold = plan.disclosure_threshold
        self.zeros_safe = plan.structural_zeros_safe
        areas = Area.objects.filter(path__startswith=plan.area.path).values_list(
            "pk", "parent_id", "code"
        )
        self.area_code: dict[int, str] = {}
        self.children: dict[int, list[int]] = defaultdict(list)
        for pk, parent, code in areas:
            self.area_code[pk] = code
            if parent is not None:
                self.children[parent].append(pk)
        self._periods: dict[str, Any] = {}

    def period(self, code: str) -> Any:
        if code not in self._periods:
            try:
                self._periods[code] = parse_period(code)
            except PeriodCodeError:
                self._periods[code] = None
        return self._periods[code]


def _families(plan_id: int) -> list[list[Indicator]]:
    """The plan's publishable indicators, each with the shares computed from it."""
    indicators = list(
        Indicator.objects.filter(plan_id=plan_id)
        .exclude(sensitivity=Sensitivity.RESTRICTED)
        .exclude(owner_organisation__isnull=False, published_at__isnull=True)
        .select_related("share_dimension", "share_option", "share_of")
        .order_by("order", "code")
    )
    present = {i.pk for i in indicators}
    families: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        root = indicator.share_of_id or indicator.pk
        if root not in present:
            continue  # a share of a restricted or unpublished indicator: its figures say it
        families.setdefault(root, []).append(indicator)
    return [
        sorted(f, key=lambda i: (i.share_of_id is not None, i.order, i.code))
        for f in families.values()
    ]


def _sources() -> list[Source]:
    return list(
        Source.objects.filter(kind__in=[SourceKind.GOVERNMENT, SourceKind.CIVIL_SOCIETY])
        .select_related("organisation")
        .order_by("kind", "code")
    )


def _rows(indicator: Indicator, source: Source) -> Iterator[_Row]:
    for row in (
        AggregateValue.objects.filter(indicator=indicator, source=source)
        .order_by("area_id", "period_code", "cell_key")
        .values_list(
            "area_id",
            "period_code",
            "cell_key",
            "value",
            "numerator",
            "denominator",
            "baseline",
            "target",
            "achievement",
            "value_count",
        )
        .iterator(chunk_size=BATCH)
    ):
        yield _Row(indicator, *row)


def build(release: Release) -> BuildStats:
    """Write the release's figures and disclosure audit; compute its change log."""
    context = _Context(release)
    stats = BuildStats()
    log = ChangeLog()
    previous = release.previous
    seen: set[tuple[int, int]] = set()
    for family in _families(release.plan_id):
        sensitive = any(i.sensitivity == Sensitivity.SENSITIVE for i in family)
        for source in _sources():
            for indicator in family:
                seen.add((indicator.pk, source.pk))
            if sensitive:
                _protected(context, family, source, stats, log)
            else:
                for indicator in family:
                    _unchanged(context, indicator, source, stats, log)
    if previous is not None:
        _removed_elsewhere(previous, seen, log)
    release.figures = stats.figures
    release.suppressed = stats.suppressed
    release.added, release.changed = log.added, log.changed
    release.removed, release.newly_suppressed = log.removed, log.newly_suppressed
    release.change_log = log.text(previous)
    release.save()
    return stats


# --- writing ------------------------------------------------------------------------------


class _Figure(NamedTuple):
    """A figure to write: ReleaseFigure's columns, in _FIGURE_FIELDS' order (a model instance and
    bulk_create took two thirds of a build: Django prepares every field of every row)."""

    release_id: int
    indicator_id: int
    period_code: str
    area_id: int
    cell_key: str
    source_id: int
    source_kind: str
    organisation_id: int | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    baseline: float | None
    target: float | None
    achievement: float | None
    value_count: int
    flag: str
    threshold: int | None
    kind: str
    unit: str


_FIGURE_FIELDS = _Figure._fields


def _write_figures(figures: list[_Figure]) -> None:
    """Insert the figures with one executemany (the table's own columns, no model)."""
    if not figures:
        return
    meta = ReleaseFigure._meta
    columns = ", ".join(
        connection.ops.quote_name(
            cast("Field[Any, Any]", meta.get_field(name.removesuffix("_id"))).column
        )
        for name in _FIGURE_FIELDS
    )
    marks = ", ".join(["%s"] * len(_FIGURE_FIELDS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})",
            figures,
        )


def _figure(
    context: _Context, row: _Row, source: Source, suppression: Suppression | None
) -> _Figure:
    indicator = row.indicator
    hidden = suppression is not None
    return _Figure(
        release_id=context.release.pk,
        indicator_id=indicator.pk,
        period_code=row.period_code,
        area_id=row.area_id,
        cell_key=row.cell_key,
        source_id=source.pk,
        source_kind=source.kind,
        organisation_id=source.organisation_id if source.kind == SourceKind.CIVIL_SOCIETY else None,
        value=None if hidden else to_decimal(row.value),
        numerator=None if hidden else to_decimal(row.numerator),
        denominator=None if hidden else to_decimal(row.denominator),
        # Baselines and targets are the plan's, public with its framework; the achievement
        # and the count of reports are the figure's, and go with it.
        baseline=row.baseline,
        target=row.target,
        achievement=None if hidden else row.achievement,
        value_count=0 if hidden else row.count,
        flag=suppression.flag.value if suppression is not None else "",
        threshold=suppression.threshold if suppression is not None else None,
        kind=indicator.kind,
        unit=indicator.unit,
    )


class _Previous:
    """The previous release's figures of one indicator and stream, compared as they come."""

    def __init__(
        self,
        context: _Context,
        indicator: Indicator,
        source: Source,
        figures: dict[Key, tuple[Decimal | None, str]] | None = None,
    ) -> None:
        """`figures`: the previous release's, when the caller has read them already."""
        self.context = context
        self.indicator = indicator
        previous = context.release.previous
        self.figures: dict[Key, tuple[Decimal | None, str]] = figures or {}
        if previous is not None and figures is None:
            for area_id, period, cell, value, flag in ReleaseFigure.objects.filter(
                release=previous, indicator=indicator, source=source
            ).values_list("area_id", "period_code", "cell_key", "value", "flag"):
                self.figures[(area_id, period, cell)] = (value, flag)
        self.enabled = previous is not None

    def label(self, key: Key) -> str:
        area, period, cell = key
        return " · ".join(
            (
                self.indicator.code,
                self.context.area_code.get(area, str(area)),
                period,
                cell or "total",
            )
        )

    def compare(self, figure: _Figure, log: ChangeLog) -> None:
        if not self.enabled:
            return
        key = (figure.area_id, figure.period_code, figure.cell_key)
        before = self.figures.pop(key, None)
        if before is None:
            log.note("added", self.label(key))
            return
        value, flag = before
        if figure.flag and not flag:
            log.note("newly_suppressed", self.label(key))
        elif flag != figure.flag or (not flag and value != figure.value):
            shown = "—" if flag else str(value)
            now = "—" if figure.flag else str(figure.value)
            log.note("changed", f"{self.label(key)}: {shown} → {now}")

    def finish(self, log: ChangeLog) -> None:
        for key in sorted(self.figures):
            log.note("removed", self.label(key))
        self.figures = {}


def _unchanged(
    context: _Context, indicator: Indicator, source: Source, stats: BuildStats, log: ChangeLog
) -> None:
    previous = _Previous(context, indicator, source)
    batch: list[_Figure] = []
    for row in _rows(indicator, source):
        stats.rows_read += 1
        figure = _figure(context, row, source, None)
        previous.compare(figure, log)
        batch.append(figure)
        if len(batch) >= BATCH:
            _write_figures(batch)
            stats.figures += len(batch)
            batch = []
    _write_figures(batch)
    stats.figures += len(batch)
    previous.finish(log)


def _removed_elsewhere(previous: Release, seen: set[tuple[int, int]], log: ChangeLog) -> None:
    """Figures of indicators or streams the new release no longer holds at all."""
    pairs = (
        ReleaseFigure.objects.filter(release=previous)
        .values_list("indicator_id", "source_id", "indicator__code")
        .distinct()
    )
    for indicator_id, source_id, code in pairs:
        if (indicator_id, source_id) in seen:
            continue
        count = ReleaseFigure.objects.filter(
            release=previous, indicator_id=indicator_id, source_id=source_id
        ).count()
        log.removed += count
        if len(log.lines["removed"]) < LISTED:
            log.lines["removed"].append(f"{code}: {count} figures")


# --- disclosure control of a sensitive family ---------------------------------------------


def _cell_id(row: _Row, quantity: str, context: _Context) -> str:
    """A readable, unique id: the audit shows it ("PRO-04 numerator · SEN-D11 · 2025Q1 · sex=F")."""
    name = row.indicator.code if quantity == "v" else f"{row.indicator.code} {_QUANTITY[quantity]}"
    return " · ".join(
        (
            name,
            context.area_code.get(row.area_id, str(row.area_id)),
            row.period_code,
            row.cell_key or "total",
        )
    )


_QUANTITY = {"v": "", "n": "numerator", "d": "denominator"}


def _as_count(value: float | None) -> int | None:
    return None if value is None or not math.isfinite(value) else round(value)


def _protected(
    context: _Context,
    family: list[Indicator],
    source: Source,
    stats: BuildStats,
    log: ChangeLog,
) -> None:
    rows: dict[int, dict[Key, _Row]] = {}
    for indicator in family:
        rows[indicator.pk] = {}
        for row in _rows(indicator, source):
            stats.rows_read += 1
            rows[indicator.pk][row.key] = row
    cells: dict[str, Cell] = {}
    ratios: list[Ratio] = []
    figure_cells: dict[tuple[int, Key], str] = {}  # the id whose suppression hides the figure
    quantities: dict[int, tuple[str, ...]] = {}
    for indicator in family:
        threshold = indicator.disclosure_threshold or context.threshold
        if indicator.kind in RATIO_KINDS:
            quantities[indicator.pk] = ("n", "d")
        elif indicator.kind in COUNT_KINDS:
            quantities[indicator.pk] = ("v",)
        else:
            quantities[indicator.pk] = ()
            continue
        for key, row in rows[indicator.pk].items():
            if indicator.kind in RATIO_KINDS:
                n, d = _cell_id(row, "n", context), _cell_id(row, "d", context)
                cells[n] = Cell(n, _as_count(row.numerator), True, threshold)
                cells[d] = Cell(d, _as_count(row.denominator), True, threshold)
                v = _cell_id(row, "v", context)
                ratios.append(Ratio(v, n, d))
                figure_cells[(indicator.pk, key)] = v
            else:
                v = _cell_id(row, "v", context)
                cells[v] = Cell(v, _as_count(row.value), True, threshold)
                figure_cells[(indicator.pk, key)] = v
    relations = list(_relations(context, family, rows, quantities, cells))
    earlier, earlier_figures = _earlier(context, family, source, quantities, cells)
    protection = disclosure.ratios_protect(
        ratios,
        disclosure.protect(
            cells.values(), relations, zeros_safe=context.zeros_safe, previous=earlier
        ),
    )
    previous_number = context.release.previous.number if context.release.previous else None
    # Write the figures, then the audit that points at them.
    by_cell: dict[str, tuple[int, Key]] = {}  # cell id -> (indicator id, key) of its figure
    for indicator in family:
        previous = _Previous(context, indicator, source, earlier_figures.get(indicator.pk))
        batch: list[_Figure] = []
        for key, row in rows[indicator.pk].items():
            cell = figure_cells.get((indicator.pk, key))
            suppression = protection.suppressed.get(cell) if cell is not None else None
            figure = _figure(context, row, source, suppression)
            previous.compare(figure, log)
            batch.append(figure)
            if cell is not None:
                by_cell[cell] = (indicator.pk, key)
                if indicator.kind in RATIO_KINDS:
                    for q in ("n", "d"):
                        by_cell[_cell_id(row, q, context)] = (indicator.pk, key)
            if suppression is not None:
                stats.suppressed += 1
            if len(batch) >= BATCH:
                _write_figures(batch)
                stats.figures += len(batch)
                batch = []
        _write_figures(batch)
        stats.figures += len(batch)
        previous.finish(log)
    figure_ids = _figure_ids(context, family, source) if by_cell else {}

    def figure_of(cell: object) -> int | None:
        where = by_cell.get(str(cell))
        return figure_ids.get(where) if where is not None else None

    entries: list[DisclosureAuditEntry] = []
    for cell_id, suppression in protection.suppressed.items():
        counted = cells.get(str(cell_id))
        entries.append(
            DisclosureAuditEntry(
                release=context.release,
                figure_id=figure_of(cell_id),
                description=_source_label(source, str(cell_id))[:500],
                rule=suppression.rule.value,
                details=audit_text(suppression, protection.relations, previous_number),
                resolved=False,
                cell=str(cell_id)[:255],
                withheld=to_decimal(counted.value) if counted is not None else None,
            )
        )
        if len(entries) >= BATCH:
            DisclosureAuditEntry.objects.bulk_create(entries)
            entries = []
    for problem in protection.problems:
        relation = protection.relations[problem.relation] if problem.relation is not None else None
        stats.problems += 1
        name = str(problem.cell)
        if isinstance(problem.cell, disclosure.Earlier):  # release N's figure, since changed
            name = f"{problem.cell.id} (release {previous_number})"
        entries.append(
            DisclosureAuditEntry(
                release=context.release,
                figure_id=figure_of(problem.cell),
                description=_source_label(source, name)[:500],
                rule="problem",
                details=(
                    "still recoverable from the published figures, with no complement left"
                    + (f": {relation.label}" if relation is not None and relation.label else "")
                ),
                problem=True,
            )
        )
    for cell_id, unchanged in protection.disclosed:
        # Suppressed now, published by the previous release: nothing can take that back.
        stats.problems += 1
        entries.append(
            DisclosureAuditEntry(
                release=context.release,
                figure_id=figure_of(cell_id),
                description=_source_label(source, str(cell_id))[:500],
                rule="disclosed",
                details=disclosed_text(previous_number, unchanged),
                problem=True,
            )
        )
    if entries:
        DisclosureAuditEntry.objects.bulk_create(entries)


def _earlier(
    context: _Context,
    family: list[Indicator],
    source: Source,
    quantities: dict[int, tuple[str, ...]],
    cells: dict[str, Cell],
) -> tuple[disclosure.Previous | None, dict[int, dict[Key, tuple[Decimal | None, str]]]]:
    """The previous published release of this family and stream, as the engine reads it.

    Its published figures from its rows, its withheld ones from its audit (`withheld`), and the
    relations that held in it (the same derivation as this release's). A release prepared
    before the audit kept withheld figures has none: each of its suppressed cells is then taken
    as unchanged (hidden again), and no relation of it is checked.

    Also its figures as the change log compares them (value and flag, by indicator and key), so
    that they are read once.
    """
    previous = context.release.previous
    if previous is None:
        return None, {}
    withheld: dict[str, Decimal | None] = dict(
        DisclosureAuditEntry.objects.filter(
            release=previous,
            problem=False,
            figure__source=source,
            figure__indicator__in=[i.pk for i in family],
        )
        .exclude(cell="")
        .values_list("cell", "withheld")
    )
    rows: dict[int, dict[Key, _Row]] = {}
    shown_before: dict[int, dict[Key, tuple[Decimal | None, str]]] = {}
    old: dict[str, Cell] = {}
    hidden: list[str] = []
    for indicator in family:
        rows[indicator.pk] = {}
        shown_before[indicator.pk] = {}
        names = quantities.get(indicator.pk, ())
        for area_id, period, cell_key, value, numerator, denominator, flag in (
            ReleaseFigure.objects.filter(release=previous, indicator=indicator, source=source)
            .values_list(
                "area_id", "period_code", "cell_key", "value", "numerator", "denominator", "flag"
            )
            .iterator(chunk_size=BATCH)
        ):
            row = _Row(indicator, area_id, period, cell_key, None, None, None)
            rows[indicator.pk][row.key] = row
            shown_before[indicator.pk][row.key] = (value, flag)
            shown = {"v": value, "n": numerator, "d": denominator}
            ids = {q: _cell_id(row, q, context) for q in names}
            legacy = bool(flag) and not any(i in withheld for i in ids.values())
            for q, cid in ids.items():
                if cid in withheld or legacy:
                    hidden.append(cid)
                    figure = withheld.get(cid)
                    if figure is None:  # not kept: taken as unchanged
                        now = cells.get(cid)
                        count = now.value if now is not None else None
                    else:
                        count = _as_count(float(figure))
                else:
                    raw = shown[q]
                    count = _as_count(float(raw)) if raw is not None else None
                old[cid] = Cell(cid, count)
    relations = list(_relations(context, family, rows, quantities, old))
    return disclosure.Previous(list(old.values()), relations, hidden), shown_before


def _figure_ids(
    context: _Context, family: list[Indicator], source: Source
) -> dict[tuple[int, Key], int]:
    """The ids of the family's figures just written for this stream, by (indicator, key)."""
    rows = ReleaseFigure.objects.filter(
        release_id=context.release.pk, source_id=source.pk, indicator_id__in=[i.pk for i in family]
    ).values_list("pk", "indicator_id", "area_id", "period_code", "cell_key")
    return {(ind, (area, period, cell)): pk for pk, ind, area, period, cell in rows.iterator()}


def _source_label(source: Source, cell: str) -> str:
    return f"{cell} ({source.name})"


def _holds(total: int | None, parts: Iterable[int | None]) -> bool:
    present = [p for p in parts if p is not None]
    return total is not None and bool(present) and sum(present) == total


def _relations(
    context: _Context,
    family: list[Indicator],
    rows: dict[int, dict[Key, _Row]],
    quantities: dict[int, tuple[str, ...]],
    cells: dict[str, Cell],
) -> Iterator[Relation]:
    """The candidate relations that hold exactly in the figures (see the module's docstring)."""
    emitted: set[tuple[str, tuple[str, ...]]] = set()

    def relation(total: str, parts: list[str], label: str) -> Iterator[Relation]:
        if total not in cells or not parts or total in parts:
            return
        members = tuple(sorted(set(parts)))
        if (total, members) in emitted:
            return
        if _holds(cells[total].value, (cells[p].value for p in members)):
            emitted.add((total, members))
            yield Relation(total, members, label)

    by_code = {i.pk: i for i in family}
    for indicator in family:
        table = rows[indicator.pk]
        for q in quantities[indicator.pk]:
            ids = {key: _cell_id(row, q, context) for key, row in table.items()}
            what = f"{indicator.code} {_QUANTITY[q]}".strip()
            # Margins: the total and the options of each dimension.
            margins: dict[tuple[int, str], dict[str, list[str]]] = defaultdict(
                lambda: defaultdict(list)
            )
            for (area, period, cell), cid in ids.items():
                if cell:
                    dimension = cell.split("=", 1)[0]
                    margins[(area, period)][dimension].append(cid)
            for (area, period), dimensions in margins.items():
                total = ids.get((area, period, ""))
                if total is None:
                    continue
                for dimension, parts in dimensions.items():
                    yield from relation(
                        total,
                        parts,
                        f"{dimension} margin of {what}, {context.area_code.get(area)}, {period}",
                    )
            # The area tree.
            by_place: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
            for (area, period, cell), cid in ids.items():
                by_place[(period, cell)][area] = cid
            for (period, cell), areas in by_place.items():
                for area, cid in areas.items():
                    parts = [areas[c] for c in context.children.get(area, ()) if c in areas]
                    yield from relation(
                        cid,
                        parts,
                        f"sub-areas of {context.area_code.get(area)}, {what}, {period}, "
                        f"{cell or 'total'}",
                    )
            # The periods of a year (and of a semester, and of the whole plan).
            if indicator.time_rule in (TimeRule.SUM, TimeRule.LAST):
                yield from _period_relations(context, indicator, ids, what, relation)
        # Siblings: a share and its base.
        base = by_code.get(indicator.share_of_id or 0)
        if base is None or base.kind not in COUNT_KINDS:
            continue
        base_rows = rows[base.pk]
        option = (
            f"{indicator.share_dimension.code}={indicator.share_option.code}"
            if indicator.share_dimension is not None and indicator.share_option is not None
            else None
        )
        for key, row in table.items():
            if indicator.kind not in RATIO_KINDS:
                break
            area, period, cell = key
            if key in base_rows:
                yield from relation(
                    _cell_id(row, "d", context),
                    [_cell_id(base_rows[key], "v", context)],
                    f"{indicator.code} denominator is {base.code}",
                )
            if cell == "" and option is not None and (area, period, option) in base_rows:
                yield from relation(
                    _cell_id(row, "n", context),
                    [_cell_id(base_rows[(area, period, option)], "v", context)],
                    f"{indicator.code} numerator is {base.code} {option}",
                )


def _period_relations(
    context: _Context,
    indicator: Indicator,
    ids: dict[Key, str],
    what: str,
    relation: Any,
) -> Iterator[Relation]:
    finest: dict[tuple[int, str], list[tuple[Any, str]]] = defaultdict(list)
    coarse: list[tuple[Key, Any]] = []
    for key in ids:
        area, period, cell = key
        if period == ALL_PERIODS:
            coarse.append((key, None))
            continue
        parsed = context.period(period)
        if parsed is None:
            continue
        if parsed.type == indicator.frequency:
            finest[(area, cell)].append((parsed, ids[key]))
        else:
            coarse.append((key, parsed))
    for (area, period, cell), parsed in coarse:
        inside = sorted(
            (p, cid)
            for p, cid in finest.get((area, cell), ())
            if parsed is None or parsed.contains(p)
        )
        if not inside:
            continue
        if indicator.time_rule == TimeRule.LAST:
            parts = [inside[-1][1]]
        else:
            parts = [cid for _p, cid in inside]
        yield from relation(
            ids[(area, period, cell)],
            parts,
            f"periods of {period}, {what}, {context.area_code.get(area)}, {cell or 'total'}",
        )


__all__ = ["BuildStats", "ChangeLog", "build", "to_decimal"]
