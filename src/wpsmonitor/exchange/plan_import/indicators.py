"""The Dimensions, Sources and Indicators sheets: what the plan measures and how it is broken down.

Indicators are read in two passes: the first stores each row, the second checks what links
indicators to each other (formulas, shares), so a row may name an indicator defined below it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from wpsmonitor.core.translated import column as language_column
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.exchange import formats as f
from wpsmonitor.exchange.export import indicator_row, source_row
from wpsmonitor.exchange.plan_import.reader import OWN_INDICATOR, PlanReader, text, with_held
from wpsmonitor.indicators import limits
from wpsmonitor.indicators.models import (
    DataValue,
    Dimension,
    DimensionOption,
    Direction,
    DisaggregationScheme,
    GlobalIndicator,
    Indicator,
    IndicatorKind,
    SchemeDimension,
    Source,
    SourceKind,
    TimeRule,
)
from wpsmonitor.indicators.services import (
    INDICATOR_PROPOSED,
    dimension_ensure,
    option_parents_set,
    scheme_ensure,
)
from wpsmonitor.plans.models import (
    FrameworkNode,
    disclosure_threshold_validate,
)
from wpsmonitor.plans.proposals import changes_offer, texts_before

INDICATORS = "Indicators"
FREQUENCIES = ("year", "semester", "quarter", "month")
_FORMULA_REF = re.compile(r"\{([^{}]+)\}")


def dimensions_load(reader: PlanReader) -> None:
    sheet = "Dimensions"
    grouped: dict[str, tuple[int, str, list[tuple[str, str]]]] = {}
    held: dict[str, set[str]] = {}  # the options each dimension has already
    given: dict[str, dict[str, tuple[int, dict[str, Any]]]] = {}  # dimension -> option -> row
    for row, data in reader.rows(sheet):
        if not reader.required(sheet, row, data, "dimension", "option"):
            continue
        code = text(data["dimension"])
        if not re.fullmatch(r"[-a-zA-Z0-9_]+", code):
            reader.err(sheet, row, "dimension", _("a dimension code uses letters, digits, - and _"))
            continue
        option = text(data["option"])
        if any(ch in option for ch in ";="):
            reader.err(sheet, row, "option", _("an option code cannot contain ; or ="))
            continue
        first_row, name, options = grouped.setdefault(
            code, (row, text(data.get("dimension_name")) or code, [])
        )
        if text(data.get("dimension_name")) and name == code:
            grouped[code] = (first_row, text(data["dimension_name"]), options)
        if any(option == known for known, _name in options):
            reader.err(
                sheet,
                row,
                "option",
                _("the option %(option)s of %(dimension)s is given twice")
                % {"option": option, "dimension": code},
            )
            continue
        if code not in held:
            held[code] = set(
                DimensionOption.objects.filter(dimension__code=code).values_list("code", flat=True)
            )
        count = len(held[code] | {known for known, _name in options} | {option})
        refused = limits.dimension_refusal(code, count)
        if refused:  # located at the first option beyond the limit, once
            if code not in reader.refused_dimensions:
                reader.err(sheet, row, "option", refused)
                reader.refused_dimensions.add(code)
            continue
        options.append((option, text(data.get("option_name")) or option))
        given.setdefault(code, {})[option] = (row, data)
    for code, (first_row, name, options) in grouped.items():
        if code in reader.refused_dimensions:
            continue
        existing = Dimension.objects.filter(code=code).first()
        try:
            dimension = dimension_ensure(
                code=code,
                name=name,
                options=options,
                plan=reader.plan if existing is None else existing.plan,
            )
        except ValidationError as error:  # a disaggregation using it would pass the limits
            reader.refused_dimensions.add(code)
            for message in error.messages:
                reader.err(sheet, first_row, "dimension", message)
            continue
        if reader.plan is not None and dimension.plan_id == reader.plan.pk:
            _option_names_write(reader, dimension, given.get(code, {}))
    _option_parents_write(reader, given)


def _option_parents_write(
    reader: PlanReader, given: dict[str, dict[str, tuple[int, dict[str, Any]]]]
) -> None:
    """The `parent` column (hierarchical dimensions), once every dimension of the sheet exists,
    so that a row may name an option of a dimension further down. A column left out keeps the
    options' parents; a blank cell puts the option at the top."""
    sheet = "Dimensions"
    for code, rows in given.items():
        if code in reader.refused_dimensions:
            continue
        parents: dict[str, DimensionOption | None] = {}
        first_row = min(row for row, _data in rows.values())
        for option, (row, data) in rows.items():
            if "parent" not in data:
                continue
            wanted = text(data.get("parent"))
            if not wanted:
                parents[option] = None
                continue
            dim_code, _sep, opt_code = wanted.rpartition("=")
            dim_code = dim_code.strip() or code
            found = (
                DimensionOption.objects.filter(dimension__code=dim_code, code=opt_code.strip())
                .select_related("dimension", "parent")
                .first()
            )
            if found is None:
                reader.err(
                    sheet,
                    row,
                    "parent",
                    _("unknown option %(parent)r (give dimension=option)") % {"parent": wanted},
                )
                continue
            parents[option] = found
        if not parents:
            continue
        dimension = Dimension.objects.get(code=code)
        try:
            option_parents_set(dimension=dimension, parents=parents)
        except ValidationError as error:
            for message in error.messages:
                reader.err(sheet, first_row, "parent", message)


def _option_names_write(
    reader: PlanReader, dimension: Dimension, rows: dict[str, tuple[int, dict[str, Any]]]
) -> None:
    """The option_name_<language> columns of the plan's own dimension's options (the shared
    dimensions' names are msgids of the catalogue, another plan's are that plan's to write).
    The original language is the plan's; `option_name` itself names a new option only, as
    before (dimension_ensure)."""
    assert reader.plan is not None
    language = reader.plan.original_language
    for option in dimension.options.filter(code__in=rows):
        row, data = rows[option.code]
        names = reader.texts("Dimensions", row, data, "option_name", language, attribute="name")
        names.pop(language_column("name", language))  # written on creation only
        changed = [name for name, value in names.items() if getattr(option, name) != value]
        for name in changed:
            setattr(option, name, names[name])
        if changed:
            option.save(update_fields=changed)


def sources_load(reader: PlanReader) -> None:
    sheet = "Sources"
    kinds = [k.value for k in SourceKind]
    for row, given in reader.rows(sheet):
        data = with_held(given, f.SOURCES, _held_source)
        if not reader.required(sheet, row, data, "code", "name", "kind"):
            continue
        kind = reader.choice(sheet, row, "kind", data.get("kind"), kinds)
        org = reader.org(sheet, row, "organisation", data.get("organisation"))
        if kind is None:
            continue
        source, _c = Source.objects.update_or_create(
            code=text(data["code"]),
            defaults={"name": text(data["name"]), "kind": kind, "organisation": org},
        )
        reader.session._sources[source.code] = source.pk


def _held_source(data: dict[str, Any]) -> dict[str, Any] | None:
    found = (
        Source.objects.filter(code=text(data.get("code"))).select_related("organisation").first()
    )
    return None if found is None else source_row(found)


def _held_indicator(reader: PlanReader, data: dict[str, Any]) -> dict[str, Any] | None:
    """The plan's own indicator of the row's code as the export writes it (None if new)."""
    found = reader.indicators.get(text(data.get("code")))
    if found is None:
        return None
    dims = list(
        SchemeDimension.objects.filter(scheme_id=found.scheme_id)
        .order_by("order")
        .values_list("dimension__code", flat=True)
    )
    assert reader.plan is not None
    language = reader.plan.original_language
    # The original language's own columns are not held: `title`, `unit`... say them.
    held = f.original_columns(f.INDICATORS.columns, language)
    row = indicator_row(found, {found.scheme_id: dims}, language)
    return {name: value for name, value in row.items() if name not in held}


@dataclass
class _IndicatorCells:
    """An Indicators row's cells, read and checked, ready to be stored."""

    node: FrameworkNode
    kind: str
    direction: str
    time_rule: str
    frequency: str
    scheme: DisaggregationScheme
    references: list[GlobalIndicator]
    factor: float | None
    scale_labels: list[str]
    expected_min: float | None
    expected_max: float | None
    sensitivity: str
    disclosure_threshold: int | None


def indicators_load(reader: PlanReader) -> None:
    assert reader.plan is not None
    everything = list(reader.plan.indicators.all())
    # Civil society's own indicators are their organisation's, never the workbook's: a row
    # naming one is refused (and it is no target of baselines, targets or list items).
    reader.own_codes = {i.code for i in everything if i.owner_organisation_id is not None}
    reader.indicators = {i.code: i for i in everything if i.owner_organisation_id is None}
    stored: list[tuple[int, dict[str, Any], Indicator]] = []
    required = ("code", "node", "title", "kind", "time_rule", "frequency")
    for row, given in reader.rows(INDICATORS):
        data = with_held(given, f.INDICATORS, functools.partial(_held_indicator, reader))
        complete = reader.required(INDICATORS, row, data, *required)
        cells = _indicator_cells_read(reader, row, data) if complete else None
        indicator = _indicator_store(reader, row, data, cells) if cells is not None else None
        if indicator is None:
            reader.refused_indicators.add(text(data.get("code")))
        else:
            stored.append((row, data, indicator))
    # Second pass: links between indicators, whatever their order in the sheet.
    for row, data, indicator in stored:
        _indicator_links_check(reader, row, data, indicator)


def _indicator_cells_read(
    reader: PlanReader, row: int, data: dict[str, Any]
) -> _IndicatorCells | None:
    """Every cell of the row is read (so each refused one is listed); None if any is refused."""
    sheet = INDICATORS
    node = reader.nodes.get(text(data["node"]))
    if node is None:
        reader.err(
            sheet,
            row,
            "node",
            _("unknown framework node %(code)r") % {"code": text(data["node"])},
        )
    kinds = [k.value for k in IndicatorKind]
    kind = reader.choice(sheet, row, "kind", data.get("kind"), kinds)
    direction = reader.choice(sheet, row, "direction", data.get("direction"), Direction, "increase")
    time_rule = reader.choice(sheet, row, "time_rule", data.get("time_rule"), TimeRule)
    # No default: a frequency guessed for a blank cell made every value of another frequency
    # a problem of its own (issue 12). A blank is refused once, by `required`.
    frequency = reader.choice(sheet, row, "frequency", data.get("frequency"), FREQUENCIES)
    scheme = _scheme_read(reader, row, data)
    references = _global_references_read(reader, row, data)
    factor = reader.number(sheet, row, "factor", data.get("factor"))
    labels = [lbl.strip() for lbl in text(data.get("scale_labels")).split("|") if lbl.strip()]
    if kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE) and len(labels) < 2:
        reader.err(
            sheet,
            row,
            "scale_labels",
            _("a scale or milestone needs at least two steps separated by |"),
        )
    if kind == IndicatorKind.FORMULA and not text(data.get("numerator_formula")):
        reader.err(
            sheet,
            row,
            "numerator_formula",
            _("a formula indicator needs a numerator formula"),
        )
    expected_min = reader.number(sheet, row, "expected_min", data.get("expected_min"))
    expected_max = reader.number(sheet, row, "expected_max", data.get("expected_max"))
    sensitivity = reader.choice(
        sheet, row, "sensitivity", data.get("sensitivity"), Sensitivity, Sensitivity.PUBLIC
    )
    threshold = reader.whole(
        sheet, row, "disclosure_threshold", data.get("disclosure_threshold"), None
    )
    threshold_refused = False
    try:
        disclosure_threshold_validate(threshold)
    except ValidationError as refused:
        threshold_refused = True
        reader.err(sheet, row, "disclosure_threshold", " ".join(refused.messages))
    if (
        node is None
        or kind is None
        or direction is None
        or time_rule is None
        or frequency is None
        or scheme is None
        or sensitivity is None
        or threshold_refused
    ):
        return None
    return _IndicatorCells(
        node=node,
        kind=kind,
        direction=direction,
        time_rule=time_rule,
        frequency=frequency,
        scheme=scheme,
        references=references,
        factor=factor,
        scale_labels=labels,
        expected_min=expected_min,
        expected_max=expected_max,
        sensitivity=sensitivity,
        disclosure_threshold=threshold,
    )


def _scheme_read(reader: PlanReader, row: int, data: dict[str, Any]) -> DisaggregationScheme | None:
    """The scheme of the ;-separated dimensions in the disaggregation column."""
    dims = [d.strip() for d in text(data.get("disaggregation")).split(";") if d.strip()]
    if reader.refused_dimensions.intersection(dims):
        return None  # the dimension's own problem is listed on the Dimensions sheet
    unknown = [d for d in dims if not Dimension.objects.filter(code=d).exists()]
    if unknown:
        reader.err(
            INDICATORS,
            row,
            "disaggregation",
            _("unknown dimension(s) %(codes)s") % {"codes": ", ".join(unknown)},
        )
        return None
    if len(set(dims)) != len(dims):
        reader.err(INDICATORS, row, "disaggregation", _("a dimension is given twice"))
        return None
    counts = dict(
        Dimension.objects.filter(code__in=dims)
        .annotate(options_count=Count("options"))
        .values_list("code", "options_count")
    )
    too_big = limits.scheme_refusal([(d, counts[d]) for d in dims])
    if too_big:
        reader.err(INDICATORS, row, "disaggregation", too_big)
        return None
    try:
        return scheme_ensure(dimension_codes=dims)
    except ValidationError as error:
        for message in error.messages:
            reader.err(INDICATORS, row, "disaggregation", message)
        return None


def _global_references_read(
    reader: PlanReader, row: int, data: dict[str, Any]
) -> list[GlobalIndicator]:
    """The catalogue entries of the references column (vocabulary:code;...), the known ones."""
    found_all = []
    for ref in text(data.get("references")).split(";"):
        if not ref.strip():
            continue
        vocabulary, sep, ref_code = ref.strip().partition(":")
        found = (
            GlobalIndicator.objects.filter(
                vocabulary=vocabulary.strip(), code=ref_code.strip()
            ).first()
            if sep
            else None
        )
        if found is None:
            reader.err(
                INDICATORS,
                row,
                "references",
                _("unknown global indicator %(ref)r (vocabulary:code)") % {"ref": ref.strip()},
            )
        else:
            found_all.append(found)
    return found_all


def _indicator_store(
    reader: PlanReader, row: int, data: dict[str, Any], cells: _IndicatorCells
) -> Indicator | None:
    """Create or update the row's indicator; its share link is set in the second pass."""
    sheet = INDICATORS
    code = text(data["code"])
    if code in reader.own_codes:
        reader.err(sheet, row, "code", str(OWN_INDICATOR) % {"code": code})
        return None
    indicator = reader.indicators.get(code) or Indicator(plan=reader.plan, code=code)
    if (
        indicator.pk
        and indicator.scheme_id != cells.scheme.pk
        and DataValue.objects.filter(indicator=indicator).exists()
    ):
        reader.err(
            sheet,
            row,
            "disaggregation",
            _("%(code)s has values; its disaggregation cannot change") % {"code": code},
        )
        return None
    # A national indicator's wording changed by the re-import is offered to its local copies.
    before = texts_before(indicator, INDICATOR_PROPOSED)
    indicator.node = cells.node
    # Each text in the plan's original language, the others in theirs (not in the language
    # the import runs in).
    assert reader.plan is not None
    for field in ("title", "definition", "unit", "means_of_verification"):
        for name, value in reader.texts(
            sheet, row, data, field, reader.plan.original_language
        ).items():
            setattr(indicator, name, value)
    indicator.kind = cells.kind
    indicator.direction = cells.direction
    indicator.time_rule = cells.time_rule
    indicator.scheme = cells.scheme
    indicator.frequency = cells.frequency
    indicator.responsible_organisation = reader.org(
        sheet, row, "responsible_organisation", data.get("responsible_organisation")
    )
    indicator.factor = 1.0 if cells.factor is None else cells.factor
    indicator.scale_labels = cells.scale_labels
    indicator.numerator_formula = text(data.get("numerator_formula"))
    indicator.denominator_formula = text(data.get("denominator_formula"))
    indicator.expected_min = cells.expected_min
    indicator.expected_max = cells.expected_max
    indicator.order = reader.whole(sheet, row, "order", data.get("order")) or 0
    indicator.sensitivity = cells.sensitivity
    indicator.disclosure_threshold = cells.disclosure_threshold
    indicator.share_of = None
    indicator.share_dimension = None
    indicator.share_option = None
    indicator.save()
    changes_offer(indicator, before)
    indicator.references.set(cells.references)
    reader.indicators[code] = indicator
    return indicator


def _indicator_links_check(
    reader: PlanReader, row: int, data: dict[str, Any], indicator: Indicator
) -> None:
    """Formulas name indicators of the workbook or the plan; a share's source is linked."""
    for column in ("numerator_formula", "denominator_formula"):
        for ref in _FORMULA_REF.findall(text(data.get(column))):
            if ref.strip() not in reader.indicators:
                reader.err(
                    INDICATORS,
                    row,
                    column,
                    _("unknown indicator %(code)r in the formula") % {"code": ref},
                )
    share_code = text(data.get("share_of"))
    if indicator.kind == IndicatorKind.SHARE or share_code:
        _share_link(reader, INDICATORS, row, data, indicator, share_code)


def _share_link(
    reader: PlanReader,
    sheet: str,
    row: int,
    data: dict[str, Any],
    indicator: Indicator,
    share_code: str,
) -> None:
    if share_code in reader.refused_indicators:
        return  # its own row is refused: that problem is reported once
    source = reader.indicators.get(share_code)
    if source is None:
        reader.err(
            sheet,
            row,
            "share_of",
            _("unknown indicator %(code)r") % {"code": share_code}
            if share_code
            else _("a share indicator needs share_of"),
        )
        return
    dim_code, sep, opt_code = text(data.get("share_option")).partition("=")
    dims = list(
        SchemeDimension.objects.filter(scheme_id=source.scheme_id).values_list(
            "dimension__code", flat=True
        )
    )
    if not sep or dim_code.strip() not in dims:
        reader.err(
            sheet,
            row,
            "share_option",
            _("give dimension=option with a dimension of %(code)s (%(dims)s)")
            % {"code": share_code, "dims": ", ".join(dims) or "-"},
        )
        return
    option = (
        DimensionOption.objects.filter(dimension__code=dim_code.strip(), code=opt_code.strip())
        .select_related("dimension")
        .first()
    )
    if option is None:
        reader.err(
            sheet,
            row,
            "share_option",
            _("unknown option %(opt)r") % {"opt": text(data.get("share_option"))},
        )
        return
    Indicator.objects.filter(pk=indicator.pk).update(
        share_of=source, share_dimension=option.dimension, share_option=option
    )
