"""Writes for disaggregation schemes, sources and periods.

A scheme that has data is frozen in every way that would break it: its dimensions cannot be
added or removed and options in use cannot be deleted. Adding an option to a dimension only
adds cells, so it is allowed.
"""

from __future__ import annotations

import itertools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wpsmonitor.core.periods import parse_period
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    TOTAL_CELL,
    Cell,
    DataValue,
    Dimension,
    DimensionOption,
    DisaggregationScheme,
    Period,
    SchemeDimension,
    Source,
    SourceKind,
    Target,
)

NO_DISAGGREGATION = "none"

# The shared dimensions every installation starts with; plans add their own. Names are stored
# in English and shown translated (core/names.py), so they are marked for the catalogue.
DEFAULT_DIMENSIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("sex", gettext_noop("Sex"), [("F", gettext_noop("Female")), ("M", gettext_noop("Male"))]),
    (
        "age",
        gettext_noop("Age group"),
        [("0-17", "0-17"), ("18-29", "18-29"), ("30-59", "30-59"), ("60+", "60+")],
    ),
    (
        "disability",
        gettext_noop("Disability"),
        [("yes", gettext_noop("With disability")), ("no", gettext_noop("Without disability"))],
    ),
    (
        "area_type",
        gettext_noop("Area type"),
        [("urban", gettext_noop("Urban")), ("rural", gettext_noop("Rural"))],
    ),
]


def scheme_code_for(dimension_codes: list[str]) -> str:
    return "-".join(dimension_codes) if dimension_codes else NO_DISAGGREGATION


@transaction.atomic
def reference_data_ensure() -> None:
    """Create what every database needs: default dimensions, the empty scheme, the government source."""
    for code, name, options in DEFAULT_DIMENSIONS:
        dimension_ensure(code=code, name=name, options=options)
    scheme_ensure(dimension_codes=[])
    Source.objects.get_or_create(
        code=GOVERNMENT_SOURCE,
        defaults={"kind": SourceKind.GOVERNMENT, "name": "Government (official)"},
    )


@transaction.atomic
def dimension_ensure(
    *, code: str, name: str, options: list[tuple[str, str]], plan: object = None
) -> Dimension:
    dimension, _created = Dimension.objects.get_or_create(
        code=code, defaults={"name": name, "plan": plan}
    )
    existing = set(dimension.options.values_list("code", flat=True))
    for order, (option_code, option_name) in enumerate(options):
        if option_code not in existing:
            DimensionOption.objects.create(
                dimension=dimension, code=option_code, name=option_name, order=order
            )
            _cells_regenerate_for_dimension(dimension)
    return dimension


def _cell_code(pairs: list[tuple[str, str]]) -> str:
    return ";".join(f"{dim}={opt}" for dim, opt in pairs) if pairs else TOTAL_CELL


def _cells_generate(scheme: DisaggregationScheme) -> None:
    """Create the missing cells of the full cross product of the scheme's dimensions."""
    dimensions = [
        sd.dimension
        for sd in SchemeDimension.objects.filter(scheme=scheme)
        .select_related("dimension")
        .order_by("order")
    ]
    option_lists = [list(d.options.order_by("order", "code")) for d in dimensions]
    existing = set(scheme.cells.values_list("code", flat=True))
    for combo in itertools.product(*option_lists):
        code = _cell_code([(opt.dimension.code, opt.code) for opt in combo])
        if code in existing:
            continue
        cell = Cell.objects.create(scheme=scheme, code=code)
        cell.options.set(combo)


def _cells_regenerate_for_dimension(dimension: Dimension) -> None:
    for scheme in dimension.schemes.all():
        _cells_generate(scheme)


@transaction.atomic
def scheme_ensure(*, dimension_codes: list[str], name: str = "") -> DisaggregationScheme:
    """The scheme combining these dimensions in this order, with all its cells."""
    code = scheme_code_for(dimension_codes)
    scheme = DisaggregationScheme.objects.filter(code=code).first()
    if scheme is not None:
        return scheme
    dimensions = {d.code: d for d in Dimension.objects.filter(code__in=dimension_codes)}
    missing = [c for c in dimension_codes if c not in dimensions]
    if missing:
        raise ValidationError(_("Unknown dimension(s): %(codes)s") % {"codes": ", ".join(missing)})
    label = name or (
        " × ".join(dimensions[c].name for c in dimension_codes) or _("No disaggregation")
    )
    scheme = DisaggregationScheme.objects.create(code=code, name=label)
    for order, dim_code in enumerate(dimension_codes):
        SchemeDimension.objects.create(scheme=scheme, dimension=dimensions[dim_code], order=order)
    _cells_generate(scheme)
    return scheme


def scheme_has_data(scheme: DisaggregationScheme) -> bool:
    return (
        DataValue.objects.filter(cell__scheme=scheme).exists()
        or Target.objects.filter(cell__scheme=scheme).exists()
    )


@transaction.atomic
def scheme_set_dimensions(
    *, scheme: DisaggregationScheme, dimension_codes: list[str]
) -> DisaggregationScheme:
    """Change a scheme's dimensions; refused once values or targets sit on its cells."""
    current = list(
        SchemeDimension.objects.filter(scheme=scheme)
        .order_by("order")
        .values_list("dimension__code", flat=True)
    )
    if current == dimension_codes:
        return scheme
    if scheme_has_data(scheme):
        raise ValidationError(
            _(
                "The disaggregation %(scheme)s already has data; its dimensions cannot change. "
                "Create a new scheme instead."
            )
            % {"scheme": scheme.code}
        )
    scheme.cells.all().delete()
    SchemeDimension.objects.filter(scheme=scheme).delete()
    for order, code in enumerate(dimension_codes):
        SchemeDimension.objects.create(
            scheme=scheme, dimension=Dimension.objects.get(code=code), order=order
        )
    _cells_generate(scheme)
    return scheme


@transaction.atomic
def option_delete(*, option: DimensionOption) -> None:
    """Delete an option; refused when any value or target sits on a cell using it."""
    if (
        DataValue.objects.filter(cell__options=option).exists()
        or Target.objects.filter(cell__options=option).exists()
    ):
        raise ValidationError(
            _("Option %(option)s of %(dimension)s has data and cannot be deleted.")
            % {"option": option.code, "dimension": option.dimension.code}
        )
    Cell.objects.filter(options=option).delete()
    option.delete()


def period_ensure(code: str) -> Period:
    parsed = parse_period(code)
    period, _created = Period.objects.get_or_create(
        code=parsed.code,
        defaults={"type": parsed.type.value, "start": parsed.start, "end": parsed.end},
    )
    return period


def canonical_cell_code(scheme_dimension_codes: list[str], text: str) -> str:
    """Normalise a user's cell text ("age=18-29; sex=F", any order) to the scheme's canonical code.

    Raises ValueError with a readable message when the text does not name exactly one
    option of every dimension of the scheme.
    """
    text = (text or "").strip()
    if not scheme_dimension_codes:
        if text in ("", TOTAL_CELL):
            return TOTAL_CELL
        raise ValueError(_("this indicator is not disaggregated; leave the cell empty"))
    pairs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        if "=" not in part:
            raise ValueError(_("%(part)r is not of the form dimension=option") % {"part": part})
        dim, opt = (s.strip() for s in part.split("=", 1))
        if dim in pairs:
            raise ValueError(_("dimension %(dim)s is given twice") % {"dim": dim})
        pairs[dim] = opt
    unknown = sorted(set(pairs) - set(scheme_dimension_codes))
    missing = [d for d in scheme_dimension_codes if d not in pairs]
    if unknown:
        raise ValueError(
            _("dimension(s) %(dims)s are not in this indicator's disaggregation")
            % {"dims": ", ".join(unknown)}
        )
    if missing:
        raise ValueError(_("missing dimension(s) %(dims)s") % {"dims": ", ".join(missing)})
    return _cell_code([(d, pairs[d]) for d in scheme_dimension_codes])
