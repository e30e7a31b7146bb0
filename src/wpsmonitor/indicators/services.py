"""Writes for indicators, their baselines and targets, disaggregation schemes, sources and periods.

Every indicator write takes keyword arguments only and validates before it writes, raising
django.core.exceptions.ValidationError with a translated message. Related objects can be given
as model instances or by their stable code (plan code, area code, organisation code, node code
within the plan), so importers can pass what they read from a file.

Conventions the rest of the code relies on:
- A baseline or target with no cell is on the indicator's total: it is stored on the single
  cell of the empty ("none") scheme, whatever the indicator's own scheme. A cell given as a
  code ("sex=F;age=18-29", any order) is one cell of the indicator's own scheme.
- Targets and baselines are expressed in the indicator's reported unit: for a percentage or a
  share that is the percentage itself (value=30 for 30 %), numerator and denominator optional.
- A share indicator's scheme is its source indicator's scheme without the share dimension
  (women's share of police officers by rank: source sex × rank, share by rank).

A scheme that has data is frozen in every way that would break it: its dimensions cannot be
added or removed and options in use cannot be deleted. Adding an option to a dimension only
adds cells, so it is allowed.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wpsmonitor.core.periods import PeriodCodeError, PeriodType, parse_period
from wpsmonitor.core.services import service
from wpsmonitor.core.translated import text_set, written_in
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators import limits
from wpsmonitor.indicators.cells import canonical_cell_code, cell_code
from wpsmonitor.indicators.formula import FormulaError, formula_check, formula_references
from wpsmonitor.indicators.hierarchy import code_pairs, combination_refusal, option_tree
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    TOTAL_CELL,
    Baseline,
    Cell,
    DataValue,
    DatePrecision,
    Dimension,
    DimensionOption,
    Direction,
    DisaggregationScheme,
    GlobalIndicator,
    Indicator,
    IndicatorKind,
    ListItem,
    ListItemReport,
    Period,
    SchemeDimension,
    Source,
    SourceKind,
    Target,
    TimeRule,
)
from wpsmonitor.indicators.translation import INDICATOR_TEXTS
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanKind
from wpsmonitor.plans.proposals import changes_offer, proposals_offer, texts_before
from wpsmonitor.plans.resolving import (
    area_resolve,
    area_within,
    disclosure_clean,
    node_resolve,
    organisation_resolve,
    plan_resolve,
)
from wpsmonitor.shell.public_cache import bump_public_generation

# ---------------------------------------------------------------------------- schemes, periods

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


def _scheme_code_for(dimension_codes: list[str]) -> str:
    return "-".join(dimension_codes) if dimension_codes else NO_DISAGGREGATION


@service
def reference_data_ensure() -> None:
    """Create what every database needs: default dimensions, the empty scheme, the government source."""
    for code, name, options in DEFAULT_DIMENSIONS:
        dimension_ensure(code=code, name=name, options=options)
    scheme_ensure(dimension_codes=[])
    Source.objects.get_or_create(
        code=GOVERNMENT_SOURCE,
        defaults={"kind": SourceKind.GOVERNMENT, "name": "Government (official)"},
    )


@service
def dimension_ensure(
    *, code: str, name: str, options: list[tuple[str, str]], plan: Plan | None = None
) -> Dimension:
    """The dimension with at least these options (added in this order; existing ones kept).

    Refused (ValidationError) when the dimension, or a disaggregation using it, would pass the
    limits of indicators/limits.py: nothing is written then.
    """
    bump_public_generation()
    dimension = Dimension.objects.filter(code=code).first()
    existing = (
        set(dimension.options.values_list("code", flat=True)) if dimension is not None else set()
    )
    new = [(c, n) for c, n in dict(options).items() if c not in existing]
    _dimension_limits_check(dimension, code, len(existing) + len(new))
    if dimension is None:
        dimension = Dimension.objects.create(code=code, name=name, plan=plan)
    order_of = {c: order for order, (c, _n) in enumerate(options)}
    # The names in their original language's column (the dimension's plan's; English for the
    # shared dimensions), not in the language of whoever runs this (docs/languages.md).
    language = DimensionOption(dimension=dimension).original_language
    for option_code, option_name in new:
        DimensionOption.objects.create(
            dimension=dimension,
            code=option_code,
            order=order_of[option_code],
            **written_in(language, name=option_name),
        )
    if new:
        _cells_regenerate_for_dimension(dimension)
    return dimension


def _dimension_limits_check(dimension: Dimension | None, code: str, options: int) -> None:
    """Refuse a dimension of `options` options when it, or a scheme using it, would be too big."""
    refused = limits.dimension_refusal(code, options)
    if refused is None and dimension is not None:
        for scheme in dimension.schemes.all():
            counts = [
                (dim.code, options if dim.pk == dimension.pk else dim.options.count())
                for dim in _scheme_dimensions(scheme)
            ]
            refused = limits.scheme_refusal(counts)
            if refused:
                break
    if refused:
        raise ValidationError(_capitalised(refused))


def _scheme_dimensions(scheme: DisaggregationScheme) -> list[Dimension]:
    return [
        sd.dimension
        for sd in SchemeDimension.objects.filter(scheme=scheme)
        .select_related("dimension")
        .order_by("order")
    ]


def _scheme_limits_check(dimensions: list[Dimension]) -> None:
    refused = limits.scheme_refusal([(d.code, d.options.count()) for d in dimensions])
    if refused:
        raise ValidationError(_capitalised(refused))


def _capitalised(message: str) -> str:
    """A refusal as a sentence (services' messages are; the importer's are lower case)."""
    return message[:1].upper() + message[1:] + "."


def _cells_generate(scheme: DisaggregationScheme) -> None:
    """Create the missing cells of the cross product of the scheme's dimensions, the
    combinations the options' hierarchy allows (indicators/hierarchy.py), and delete the cells
    it no longer allows (refused when a figure sits on one)."""
    dimensions = _scheme_dimensions(scheme)
    option_lists = [
        list(d.options.order_by("order", "code").select_related("dimension")) for d in dimensions
    ]
    tree = option_tree([d.code for d in dimensions])
    existing = dict(scheme.cells.values_list("code", "pk"))
    allowed: set[str] = set()
    for combo in itertools.product(*option_lists):
        pairs = [(opt.dimension.code, opt.code) for opt in combo]
        if combination_refusal(tree, pairs) is not None:
            continue
        code = cell_code(pairs)
        allowed.add(code)
        if code in existing:
            continue
        cell = Cell.objects.create(scheme=scheme, code=code)
        cell.options.set(combo)
    if not dimensions:
        return
    impossible = {pk: code for code, pk in existing.items() if code not in allowed}
    if not impossible:
        return
    held = (
        list(DataValue.objects.filter(cell_id__in=impossible).values_list("cell_id", flat=True)[:1])
        or list(Target.objects.filter(cell_id__in=impossible).values_list("cell_id", flat=True)[:1])
        or list(
            Baseline.objects.filter(cell_id__in=impossible).values_list("cell_id", flat=True)[:1]
        )
    )
    if held:
        code = impossible[held[0]]
        raise ValidationError(
            _(
                "The cell %(cell)s holds figures, and the options' hierarchy would make it "
                "impossible: %(why)s."
            )
            % {"cell": code, "why": combination_refusal(tree, code_pairs(code))}
        )
    Cell.objects.filter(pk__in=impossible).delete()


def _cells_regenerate_for_dimension(dimension: Dimension) -> None:
    for scheme in dimension.schemes.all():
        _cells_generate(scheme)


@service
def option_parents_set(*, dimension: Dimension, parents: dict[str, DimensionOption | None]) -> None:
    """Place options of `dimension` (by code) under a parent option of another dimension or
    of its own (None: at the top), then keep the cells of every scheme that the change
    touches to the combinations the hierarchy allows (indicators/hierarchy.py).

    Refused (ValidationError) for an unknown option, a parent that is the option itself or
    below it, or a change that would make impossible a cell holding figures.
    """
    bump_public_generation()
    options = {o.code: o for o in dimension.options.filter(code__in=parents)}
    unknown = sorted(set(parents) - set(options))
    if unknown:
        raise ValidationError(
            _("Unknown option(s) of %(dimension)s: %(codes)s")
            % {"dimension": dimension.code, "codes": ", ".join(unknown)}
        )
    touched: set[int] = {dimension.pk}
    for code, parent in parents.items():
        option = options[code]
        if option.parent_id == (parent.pk if parent is not None else None):
            continue
        if parent is not None:
            step: DimensionOption | None = parent
            while step is not None:
                if step.pk == option.pk:
                    raise ValidationError(
                        _("%(dim)s %(opt)s cannot sit under %(parent)s, which is under it.")
                        % {
                            "dim": dimension.code,
                            "opt": code,
                            "parent": f"{parent.dimension.code}={parent.code}",
                        }
                    )
                step = step.parent
            touched.add(parent.dimension_id)
        if option.parent is not None:
            touched.add(option.parent.dimension_id)
        option.parent = parent
        option.save(update_fields=["parent"])
    schemes = DisaggregationScheme.objects.filter(
        pk__in=SchemeDimension.objects.filter(dimension_id__in=touched).values("scheme_id")
    )
    for scheme in schemes:
        _cells_generate(scheme)


@service
def scheme_ensure(*, dimension_codes: list[str], name: str = "") -> DisaggregationScheme:
    """The scheme combining these dimensions in this order, with all its cells."""
    code = _scheme_code_for(dimension_codes)
    scheme = DisaggregationScheme.objects.filter(code=code).first()
    if scheme is not None:
        return scheme
    dimensions = {d.code: d for d in Dimension.objects.filter(code__in=dimension_codes)}
    missing = [c for c in dimension_codes if c not in dimensions]
    if missing:
        raise ValidationError(_("Unknown dimension(s): %(codes)s") % {"codes": ", ".join(missing)})
    _scheme_limits_check([dimensions[c] for c in dimension_codes])
    label = name or (
        " × ".join(dimensions[c].name for c in dimension_codes) or _("No disaggregation")
    )
    scheme = DisaggregationScheme.objects.create(code=code, name=label)
    for order, dim_code in enumerate(dimension_codes):
        SchemeDimension.objects.create(scheme=scheme, dimension=dimensions[dim_code], order=order)
    _cells_generate(scheme)
    return scheme


def _scheme_has_data(scheme: DisaggregationScheme) -> bool:
    return (
        DataValue.objects.filter(cell__scheme=scheme).exists()
        or Target.objects.filter(cell__scheme=scheme).exists()
    )


@service
def scheme_set_dimensions(
    *, scheme: DisaggregationScheme, dimension_codes: list[str]
) -> DisaggregationScheme:
    """Change a scheme's dimensions; refused once values or targets sit on its cells."""
    bump_public_generation()
    current = list(
        SchemeDimension.objects.filter(scheme=scheme)
        .order_by("order")
        .values_list("dimension__code", flat=True)
    )
    if current == dimension_codes:
        return scheme
    if _scheme_has_data(scheme):
        raise ValidationError(
            _(
                "The disaggregation %(scheme)s already has data; its dimensions cannot change. "
                "Create a new scheme instead."
            )
            % {"scheme": scheme.code}
        )
    dimensions = {d.code: d for d in Dimension.objects.filter(code__in=dimension_codes)}
    missing = [c for c in dimension_codes if c not in dimensions]
    if missing:
        raise ValidationError(_("Unknown dimension(s): %(codes)s") % {"codes": ", ".join(missing)})
    _scheme_limits_check([dimensions[c] for c in dimension_codes])
    scheme.cells.all().delete()
    SchemeDimension.objects.filter(scheme=scheme).delete()
    for order, code in enumerate(dimension_codes):
        SchemeDimension.objects.create(scheme=scheme, dimension=dimensions[code], order=order)
    _cells_generate(scheme)
    return scheme


@service
def option_delete(*, option: DimensionOption) -> None:
    """Delete an option; refused when any value or target sits on a cell using it."""
    bump_public_generation()
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


@service
def period_ensure(code: str) -> Period:
    parsed = parse_period(code)
    period, _created = Period.objects.get_or_create(
        code=parsed.code,
        defaults={"type": parsed.type.value, "start": parsed.start, "end": parsed.end},
    )
    return period


def _indicator_resolve(plan: Plan, indicator: Indicator | str) -> Indicator:
    if isinstance(indicator, Indicator):
        if indicator.plan_id != plan.pk:
            raise ValidationError(
                _("Indicator %(code)s belongs to another plan.") % {"code": indicator.code}
            )
        return indicator
    # Only the plan's own indicators: a civil-society organisation's are never built upon (and
    # naming one must not reveal that a draft exists).
    found = Indicator.objects.filter(plan=plan, code=indicator, owner_organisation=None).first()
    if found is None:
        raise ValidationError(
            _("Unknown indicator %(code)r in plan %(plan)s.")
            % {"code": indicator, "plan": plan.code}
        )
    return found


def _period_resolve(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return period_ensure(period)
    except PeriodCodeError as exc:
        raise ValidationError(str(exc)) from exc


def _global_indicator_resolve(reference: GlobalIndicator | str) -> GlobalIndicator:
    """A catalogue entry from "vocabulary:code" (e.g. "sdg:5.5.1a")."""
    if isinstance(reference, GlobalIndicator):
        return reference
    vocabulary, sep, code = (reference or "").partition(":")
    found = (
        GlobalIndicator.objects.filter(vocabulary=vocabulary.strip(), code=code.strip()).first()
        if sep
        else None
    )
    if found is None:
        raise ValidationError(
            _("Unknown global indicator %(ref)r (write vocabulary:code, e.g. sdg:5.5.1a).")
            % {"ref": reference}
        )
    return found


def _scheme_resolve(
    scheme: DisaggregationScheme | str | Sequence[str] | None,
) -> DisaggregationScheme:
    """A scheme instance, a scheme code ("sex-age"), or a list of dimension codes."""
    if scheme is None:
        return scheme_ensure(dimension_codes=[])
    if isinstance(scheme, DisaggregationScheme):
        return scheme
    if isinstance(scheme, str):
        found = DisaggregationScheme.objects.filter(code=scheme).first()
        if found is None:
            if scheme == NO_DISAGGREGATION:
                return scheme_ensure(dimension_codes=[])
            raise ValidationError(_("Unknown disaggregation %(code)r.") % {"code": scheme})
        return found
    return scheme_ensure(dimension_codes=list(scheme))


def _scheme_dimension_codes(scheme: DisaggregationScheme) -> list[str]:
    return list(
        scheme.schemedimension_set.order_by("order").values_list("dimension__code", flat=True)
    )


# ---------------------------------------------------------------------------- indicators

# Kinds whose values are states or texts: adding them up over time means nothing.
NOT_SUMMABLE = {
    IndicatorKind.YES_NO,
    IndicatorKind.MILESTONE,
    IndicatorKind.SCALE,
    IndicatorKind.NARRATIVE,
    IndicatorKind.SHARE,
}


@dataclass(frozen=True)
class _Breakdown:
    """The scheme an indicator is broken down by and, for a share, what it is a share of."""

    scheme: DisaggregationScheme
    share_of: Indicator | None = None
    share_dimension: Dimension | None = None
    share_option: DimensionOption | None = None


def _indicator_code_clean(plan: Plan, code: str, title: str) -> str:
    """The stripped code, refused when empty or already used in the plan (title required too)."""
    code = (code or "").strip()
    if not code:
        raise ValidationError(_("An indicator needs a code."))
    if not (title or "").strip():
        raise ValidationError(_("Indicator %(code)s needs a title.") % {"code": code})
    if Indicator.objects.filter(plan=plan, code=code).exists():
        raise ValidationError(
            _("Plan %(plan)s already has an indicator %(code)r.")
            % {"plan": plan.code, "code": code}
        )
    return code


def _indicator_rules_check(*, kind: str, time_rule: str, direction: str, frequency: str) -> None:
    """The kind, rule over time, direction and frequency are known and fit together."""
    if kind not in IndicatorKind.values:
        raise ValidationError(_("Unknown indicator kind %(kind)r.") % {"kind": kind})
    if time_rule not in TimeRule.values:
        raise ValidationError(_("Unknown rule over time %(rule)r.") % {"rule": time_rule})
    if direction not in Direction.values:
        raise ValidationError(_("Unknown direction %(direction)r.") % {"direction": direction})
    if frequency not in [t.value for t in PeriodType]:
        raise ValidationError(_("Unknown frequency %(frequency)r.") % {"frequency": frequency})
    if kind in NOT_SUMMABLE and time_rule == TimeRule.SUM:
        raise ValidationError(
            _("A %(kind)s indicator cannot be summed over time; use last value or none.")
            % {"kind": IndicatorKind(kind).label}
        )
    if kind == IndicatorKind.NARRATIVE and time_rule != TimeRule.NONE:
        raise ValidationError(_("A narrative indicator is not added up over time (rule: none)."))


def _scale_labels_clean(kind: str, scale_labels: Sequence[str]) -> list[str]:
    """Scales and milestones name at least two positions; other kinds name none."""
    labels = [str(label).strip() for label in scale_labels]
    if kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE):
        if len(labels) < 2 or any(not label for label in labels):
            raise ValidationError(
                _("A scale or milestone indicator needs at least two non-empty labels.")
            )
    elif labels:
        raise ValidationError(_("Only scale and milestone indicators have labels."))
    return labels


def _formulas_check(plan: Plan, kind: str, numerator: str, denominator: str) -> None:
    """A formula indicator's formulas parse and name only indicators already in the plan."""
    if kind != IndicatorKind.FORMULA:
        if numerator or denominator:
            raise ValidationError(_("Only formula indicators have formulas."))
        return
    if not numerator.strip():
        raise ValidationError(_("A formula indicator needs a numerator formula."))
    for text in (numerator, denominator):
        try:
            formula_check(text)
        except FormulaError as exc:
            raise ValidationError(str(exc)) from exc
    named = formula_references(numerator) | formula_references(denominator)
    if not named:
        raise ValidationError(
            _("A formula names other indicators in braces, e.g. {PROT-3} / {PROT-1}.")
        )
    known = set(
        Indicator.objects.filter(plan=plan, code__in=named, owner_organisation=None).values_list(
            "code", flat=True
        )
    )
    missing = sorted(named - known)
    if missing:
        raise ValidationError(
            _("The formula names unknown indicator(s): %(codes)s.") % {"codes": ", ".join(missing)}
        )


def _share_breakdown(
    plan: Plan,
    scheme: DisaggregationScheme | str | Sequence[str] | None,
    share_of: Indicator | str | None,
    share_dimension: Dimension | str | None,
    share_option: DimensionOption | str | None,
) -> _Breakdown:
    """A share's source (a number indicator of the plan), the source dimension it is a share
    over and the option counted; its scheme defaults to the source's other dimensions."""
    if share_of in (None, "") or share_dimension in (None, "") or share_option in (None, ""):
        raise ValidationError(
            _("A share indicator names its source indicator, a dimension and an option.")
        )
    source = _indicator_resolve(plan, share_of)  # type: ignore[arg-type]
    if source.kind != IndicatorKind.NUMBER:
        raise ValidationError(_("A share is computed from a number indicator."))
    dimension = (
        share_dimension
        if isinstance(share_dimension, Dimension)
        else Dimension.objects.filter(code=share_dimension).first()
    )
    source_dims = _scheme_dimension_codes(source.scheme)
    if dimension is None or dimension.code not in source_dims:
        raise ValidationError(
            _("Indicator %(code)s is not disaggregated by %(dim)s.")
            % {"code": source.code, "dim": share_dimension}
        )
    option = (
        share_option
        if isinstance(share_option, DimensionOption)
        else dimension.options.filter(code=share_option).first()
    )
    if option is None or option.dimension_id != dimension.pk:
        raise ValidationError(
            _("%(option)s is not an option of %(dim)s.")
            % {"option": share_option, "dim": dimension.code}
        )
    remaining = [d for d in source_dims if d != dimension.code]
    scheme_obj = _scheme_resolve(remaining if scheme is None else scheme)
    if not set(_scheme_dimension_codes(scheme_obj)) <= set(remaining):
        raise ValidationError(
            _("A share can only be broken down by its source's other dimensions.")
        )
    return _Breakdown(scheme_obj, source, dimension, option)


def _breakdown_resolve(
    plan: Plan,
    kind: str,
    scheme: DisaggregationScheme | str | Sequence[str] | None,
    share_of: Indicator | str | None,
    share_dimension: Dimension | str | None,
    share_option: DimensionOption | str | None,
) -> _Breakdown:
    if kind == IndicatorKind.SHARE:
        return _share_breakdown(plan, scheme, share_of, share_dimension, share_option)
    if share_of or share_dimension or share_option:
        raise ValidationError(_("Only share indicators name a source indicator."))
    return _Breakdown(_scheme_resolve(scheme))


def _factor_clean(kind: str, factor: float | None) -> float:
    """Percentages and shares default to 100 (values read as percent), other kinds to 1."""
    if factor is None:
        factor = 100.0 if kind in (IndicatorKind.PERCENTAGE, IndicatorKind.SHARE) else 1.0
    if factor <= 0:
        raise ValidationError(_("The factor must be positive."))
    return factor


# The kinds whose local figures add up into a national one: counts (numbers, counted lists)
# are summed; a percentage is the sum of the numerators over the sum of the denominators. Never
# the others: an average of percentages, scales or milestones says nothing of the country.
ROLL_UP_KINDS = (IndicatorKind.NUMBER, IndicatorKind.LIST, IndicatorKind.PERCENTAGE)


def _roll_up_check(kind: str, roll_up: bool) -> None:
    if roll_up and kind not in ROLL_UP_KINDS:
        raise ValidationError(
            {
                "roll_up": _(
                    "Only counts and percentages add up from local plans: a percentage from "
                    "the sums of its numerators and denominators."
                )
            }
        )


def _source_indicator_check(plan: Plan, source: Indicator | None) -> None:
    if source is None:
        return
    if plan.parent_id is None or source.plan_id != plan.parent_id:
        raise ValidationError(
            _("A local indicator localises an indicator of its own national plan.")
        )


@service
def indicator_create(
    *,
    plan: Plan | str,
    node: FrameworkNode | str,
    code: str,
    title: str,
    kind: str,
    time_rule: str,
    scheme: DisaggregationScheme | str | Sequence[str] | None = None,
    definition: str = "",
    unit: str = "",
    direction: str = Direction.INCREASE,
    frequency: str = PeriodType.QUARTER,
    means_of_verification: str = "",
    responsible_organisation: Organisation | str | None = None,
    references: Iterable[GlobalIndicator | str] = (),
    factor: float | None = None,
    scale_labels: Sequence[str] = (),
    numerator_formula: str = "",
    denominator_formula: str = "",
    share_of: Indicator | str | None = None,
    share_dimension: Dimension | str | None = None,
    share_option: DimensionOption | str | None = None,
    expected_min: float | None = None,
    expected_max: float | None = None,
    order: int | None = None,
    sensitivity: str = Sensitivity.PUBLIC,
    disclosure_threshold: int | None = None,
    roll_up: bool = False,
    source_indicator: Indicator | None = None,
) -> Indicator:
    """Create an indicator on a framework node, validated for its kind.

    `roll_up`: a national indicator whose local plans' figures add up into a national figure
    (`_roll_up_check`); `source_indicator`: the national indicator a local one localises
    (docs/localisation.md).

    Percentages and shares default to factor 100 (values read as percent); a formula's
    factor defaults to 1.
    A formula may only name indicators that already exist in the plan; a share's scheme is
    derived from its source indicator unless given.
    """
    bump_public_generation()
    plan = plan_resolve(plan)
    node_obj = node_resolve(plan, node)
    code = _indicator_code_clean(plan, code, title)
    _indicator_rules_check(kind=kind, time_rule=time_rule, direction=direction, frequency=frequency)
    labels = _scale_labels_clean(kind, scale_labels)
    if expected_min is not None and expected_max is not None and expected_min > expected_max:
        raise ValidationError(_("The expected minimum is above the expected maximum."))
    _formulas_check(plan, kind, numerator_formula, denominator_formula)
    disclosure_clean(sensitivity, disclosure_threshold)
    breakdown = _breakdown_resolve(plan, kind, scheme, share_of, share_dimension, share_option)
    factor = _factor_clean(kind, factor)
    _roll_up_check(kind, roll_up)
    _source_indicator_check(plan, source_indicator)
    resolved_refs = [_global_indicator_resolve(ref) for ref in references]
    if order is None:
        order = Indicator.objects.filter(plan=plan).count() + 1

    indicator = Indicator.objects.create(
        plan=plan,
        node=node_obj,
        code=code,
        # The plan's original language (core/translated.py).
        **written_in(
            plan.original_language,
            title=title.strip(),
            definition=definition,
            unit=unit,
            means_of_verification=means_of_verification,
        ),
        kind=kind,
        direction=direction,
        time_rule=time_rule,
        scheme=breakdown.scheme,
        frequency=frequency,
        responsible_organisation=organisation_resolve(responsible_organisation),
        factor=factor,
        scale_labels=labels,
        numerator_formula=numerator_formula.strip(),
        denominator_formula=denominator_formula.strip(),
        share_of=breakdown.share_of,
        share_dimension=breakdown.share_dimension,
        share_option=breakdown.share_option,
        expected_min=expected_min,
        expected_max=expected_max,
        order=order,
        sensitivity=sensitivity,
        disclosure_threshold=disclosure_threshold,
        roll_up=roll_up,
        source_indicator=source_indicator,
    )
    if resolved_refs:
        indicator.references.set(resolved_refs)
    return indicator


@service
def indicator_references_set(
    *, indicator: Indicator, references: Iterable[GlobalIndicator | str]
) -> Indicator:
    bump_public_generation()
    indicator.references.set([_global_indicator_resolve(ref) for ref in references])
    return indicator


# ---------------------------------------------------------------------------- baselines, targets


def _cell_resolve(indicator: Indicator, cell: Cell | str | None) -> Cell:
    if cell is None or cell == "" or cell == TOTAL_CELL:
        total = Cell.objects.filter(scheme__code=NO_DISAGGREGATION, code=TOTAL_CELL).first()
        return total or scheme_ensure(dimension_codes=[]).cells.get(code=TOTAL_CELL)
    if isinstance(cell, Cell):
        if cell.scheme_id != indicator.scheme_id and cell.code != TOTAL_CELL:
            raise ValidationError(
                _("Cell %(cell)s is not in the disaggregation of %(code)s.")
                % {"cell": cell.code, "code": indicator.code}
            )
        return cell
    try:
        code = canonical_cell_code(_scheme_dimension_codes(indicator.scheme), cell)
    except ValueError as exc:
        raise ValidationError(
            # Translators: an indicator's code and why the cell given for it is refused.
            _("%(code)s: %(problem)s") % {"code": indicator.code, "problem": exc}
        ) from exc
    found = indicator.scheme.cells.filter(code=code).first()
    if found is None:
        pairs = code_pairs(code)
        why = combination_refusal(option_tree(d for d, _o in pairs), pairs)
        if why is not None:
            # Translators: an indicator's code and why the cell given for it is refused.
            raise ValidationError(
                _("%(code)s: %(problem)s") % {"code": indicator.code, "problem": why}
            )
        raise ValidationError(
            _("Cell %(cell)s is not in the disaggregation of %(code)s.")
            % {"cell": cell, "code": indicator.code}
        )
    return found


def _reference_clean(
    indicator: Indicator,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
) -> tuple[float | None, float | None, float | None]:
    """Check a baseline or target figure against the indicator's kind; return what to store."""
    if indicator.kind == IndicatorKind.NARRATIVE:
        raise ValidationError(_("A narrative indicator has no numeric baseline or target."))
    if numerator is not None or denominator is not None:
        if indicator.kind != IndicatorKind.PERCENTAGE:
            raise ValidationError(_("Only percentage indicators take a numerator and denominator."))
        if numerator is None or denominator is None:
            raise ValidationError(_("Give both the numerator and the denominator."))
        if denominator <= 0 or numerator < 0:
            raise ValidationError(
                _("The denominator must be positive and the numerator not negative.")
            )
        if numerator > denominator:
            raise ValidationError(_("The numerator is above the denominator."))
        computed = numerator / denominator * indicator.factor
        if value is not None and abs(value - computed) > 1e-6 * max(1.0, abs(computed)):
            raise ValidationError(_("The value does not match numerator / denominator."))
        return computed, numerator, denominator
    if value is None:
        raise ValidationError(_("Give a value."))
    if indicator.kind == IndicatorKind.YES_NO and value not in (0, 1):
        raise ValidationError(_("A yes/no indicator takes 1 (yes) or 0 (no)."))
    if indicator.kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE) and (
        value != int(value) or not 0 <= value < len(indicator.scale_labels)
    ):
        raise ValidationError(
            _("The value is the position on the scale, from 0 to %(max)s.")
            % {"max": len(indicator.scale_labels) - 1}
        )
    if indicator.kind in (IndicatorKind.PERCENTAGE, IndicatorKind.SHARE) and not (
        0 <= value <= indicator.factor
    ):
        raise ValidationError(
            _("A percentage lies between 0 and %(max)s.") % {"max": indicator.factor}
        )
    return value, None, None


def _reference_scope(
    indicator: Indicator, area: Area | str | None, cell: Cell | str | None
) -> tuple[Area, Cell]:
    area_obj = indicator.plan.area if area in (None, "") else area_resolve(area)  # type: ignore[arg-type]
    if not area_within(area_obj, indicator.plan.area):
        raise ValidationError(
            _("Area %(area)s is outside plan %(plan)s.")
            % {"area": area_obj.code, "plan": indicator.plan.code}
        )
    return area_obj, _cell_resolve(indicator, cell)


@service
def baseline_set(
    *,
    indicator: Indicator,
    period: Period | str,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    area: Area | str | None = None,
    cell: Cell | str | None = None,
    comment: str = "",
) -> Baseline:
    """Set (create or replace) the baseline of an indicator for an area and cell.

    The area defaults to the plan's area, the cell to the indicator's total. The baseline
    period usually precedes the plan, so it is not checked against the plan's period.
    """
    bump_public_generation()
    area_obj, cell_obj = _reference_scope(indicator, area, cell)
    period_obj = _period_resolve(period)
    value, numerator, denominator = _reference_clean(indicator, value, numerator, denominator)
    baseline, _created = Baseline.objects.update_or_create(
        indicator=indicator,
        area=area_obj,
        cell=cell_obj,
        defaults={
            "period": period_obj,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "comment": comment,
        },
    )
    return baseline


# The kinds whose national target is offered to the local plans as theirs.
PROPOSED_TARGET_KINDS = (
    IndicatorKind.PERCENTAGE,
    IndicatorKind.YES_NO,
    IndicatorKind.MILESTONE,
    IndicatorKind.SCALE,
)


@service
def target_set(
    *,
    indicator: Indicator,
    period: Period | str,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    area: Area | str | None = None,
    cell: Cell | str | None = None,
    comment: str = "",
) -> Target:
    """Set (create or replace) a target for a period, area and cell; the period must fall in the plan."""
    bump_public_generation()
    area_obj, cell_obj = _reference_scope(indicator, area, cell)
    period_obj = _period_resolve(period)
    plan = indicator.plan
    if period_obj.end < plan.start or period_obj.start > plan.end:
        raise ValidationError(
            _("Target period %(period)s is outside the plan's period (%(start)s to %(end)s).")
            % {"period": period_obj.code, "start": plan.start, "end": plan.end}
        )
    value, numerator, denominator = _reference_clean(indicator, value, numerator, denominator)
    before = Target.objects.filter(
        indicator=indicator, period=period_obj, area=area_obj, cell=cell_obj
    ).first()
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        period=period_obj,
        area=area_obj,
        cell=cell_obj,
        defaults={
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "comment": comment,
        },
    )
    if (
        plan.kind == PlanKind.NATIONAL
        and indicator.kind in PROPOSED_TARGET_KINDS
        and area_obj.pk == plan.area_id
        and cell_obj.code == TOTAL_CELL
    ):
        # A national rate, share or stage is offered to the local plans as their target; a
        # national count is the country's and never theirs (docs/localisation.md).
        proposals_offer(
            copies=list(indicator.localisations.select_related("plan")),
            field="target",
            period_code=period_obj.code,
            old=None if before is None else before.value,
            new=value,
        )
    return target


# ---------------------------------------------------------------------------- list items


@service
def list_item_report(
    *,
    indicator: Indicator,
    period: Period,
    area: Area,
    source: Source,
    title: str,
    item_type: str = "",
    description: str = "",
    date: datetime.date | None = None,
    date_precision: str = DatePrecision.DAY,
    reference: str = "",
    status: str = "",
) -> ListItem:
    """Record that a list item (a law, a mechanism) is reported in a period.

    The item is one per indicator, area, source and title. It counts in the period it was
    first reported in: a later report never moves it (it adds a ListItemReport, with the
    item's status that period); an earlier one makes that period its first. A text given
    (type, description, date, reference) updates the item; one left blank keeps it, since the
    reports of several years each say part of it.
    """
    if indicator.kind != IndicatorKind.LIST:
        raise ValidationError(_("%(code)s is not a list indicator.") % {"code": indicator.code})
    item = ListItem.objects.filter(
        indicator=indicator, area=area, source=source, title=title
    ).first()
    given = {
        "item_type": item_type,
        "description": description,
        "reference": reference,
    }
    if item is None:
        item = ListItem.objects.create(
            indicator=indicator,
            area=area,
            source=source,
            title=title,
            period=period,
            date=date,
            date_precision=date_precision,
            **given,
        )
    else:
        changed = [name for name, value in given.items() if value and getattr(item, name) != value]
        for name in changed:
            setattr(item, name, given[name])
        if date is not None and (item.date, item.date_precision) != (date, date_precision):
            item.date, item.date_precision = date, date_precision
            changed += ["date", "date_precision"]
        if (period.start, period.end) < (item.period.start, item.period.end):
            item.period = period  # reported earlier than known: that is its first period
            changed.append("period")
        if changed:
            item.save(update_fields=[*changed, "updated_at"])
    report, created = ListItemReport.objects.get_or_create(
        item=item, period=period, defaults={"status": status}
    )
    if not created and status and report.status != status:
        report.status = status
        report.save(update_fields=["status"])
    return item


# Texts of a national indicator offered to its local copies (docs/localisation.md).
INDICATOR_PROPOSED = ("title", "definition", "means_of_verification")
INDICATOR_UPDATABLE = {
    *INDICATOR_PROPOSED,
    "unit",
    "responsible_organisation",
    "expected_min",
    "expected_max",
    "roll_up",
}


@service
def indicator_update(*, indicator: Indicator, **changes: Any) -> Indicator:
    """Change an indicator's wording, its responsible organisation, expected range or whether
    its local figures add up. A national indicator's new wording is offered to the local
    indicators that localise it as proposals (`plans.proposals`), never applied to them."""
    bump_public_generation()
    unknown = sorted(set(changes) - INDICATOR_UPDATABLE)
    if unknown:
        raise ValidationError(_("Cannot change %(fields)s.") % {"fields": ", ".join(unknown)})
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationError({"title": _("An indicator needs a title.")})
    before = texts_before(indicator, INDICATOR_PROPOSED)
    for name, value in changes.items():
        if name in INDICATOR_TEXTS:
            text_set(indicator, name, (value or "").strip())
        elif name == "responsible_organisation":
            indicator.responsible_organisation = organisation_resolve(value)
        else:
            setattr(indicator, name, value)
    _roll_up_check(indicator.kind, indicator.roll_up)
    if (
        indicator.expected_min is not None
        and indicator.expected_max is not None
        and indicator.expected_min > indicator.expected_max
    ):
        raise ValidationError(_("The expected minimum is above the expected maximum."))
    indicator.save()
    changes_offer(indicator, before)
    return indicator
