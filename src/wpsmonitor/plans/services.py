"""Writes for plans, their results frameworks, indicators, baselines and targets.

Every function takes keyword arguments only and validates before it writes, raising
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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from wpsmonitor.core.periods import PeriodCodeError, PeriodType
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.formula import FormulaError, formula_check
from wpsmonitor.indicators.models import (
    TOTAL_CELL,
    Baseline,
    Cell,
    Dimension,
    DimensionOption,
    Direction,
    DisaggregationScheme,
    GlobalIndicator,
    Indicator,
    IndicatorKind,
    Period,
    Target,
    TimeRule,
)
from wpsmonitor.indicators.services import (
    NO_DISAGGREGATION,
    canonical_cell_code,
    period_ensure,
    scheme_ensure,
)
from wpsmonitor.plans.models import (
    DEFAULT_LEVELS,
    ActionStatus,
    AlignmentFramework,
    CivilSocietyStage,
    FrameworkLevel,
    FrameworkNode,
    Plan,
    PlanKind,
    PlanStatus,
)

if TYPE_CHECKING:
    from wpsmonitor.accounts.access import PlanAccess

# Plan codes that would hide a page under /plans/ (plans/urls.py): /plans/compare/.
RESERVED_PLAN_CODES = {"compare"}
# Plans of these kinds sit under a national plan.
CHILD_KINDS = {PlanKind.LOCAL, PlanKind.INSTITUTIONAL}
FORMULA_REFERENCE = re.compile(r"\{([^{}]+)\}")
# Kinds whose values are states or texts: adding them up over time means nothing.
NOT_SUMMABLE = {
    IndicatorKind.YES_NO,
    IndicatorKind.MILESTONE,
    IndicatorKind.SCALE,
    IndicatorKind.NARRATIVE,
    IndicatorKind.SHARE,
}


# ---------------------------------------------------------------------------- resolving codes


def _plan_resolve(plan: Plan | str) -> Plan:
    if isinstance(plan, Plan):
        return plan
    found = Plan.objects.filter(code=plan).first()
    if found is None:
        raise ValidationError(_("Unknown plan %(code)r.") % {"code": plan})
    return found


def area_resolve(area: Area | str) -> Area:
    """An area by code; ISO 3166-1 and 3166-2 codes not yet in the database are created."""
    if isinstance(area, Area):
        return area
    code = (area or "").strip()
    found = Area.objects.filter(code=code).first()
    if found is not None:
        return found
    if len(code) in (2, 3) and code.isalpha():
        try:
            return area_country_ensure(code)
        except ValueError:
            pass
    subdivision = pycountry.subdivisions.get(code=code.upper()) if "-" in code else None
    if subdivision is not None:
        country = area_country_ensure(subdivision.country_code)
        parent = country
        if subdivision.parent_code:
            parent = area_resolve(subdivision.parent_code)
        return area_subdivision_ensure(
            parent=parent, code=subdivision.code, depth=(parent.level.depth + 1)
        )
    raise ValidationError(_("Unknown area %(code)r.") % {"code": area})


def _organisation_resolve(org: Organisation | str | None) -> Organisation | None:
    if org is None or org == "":
        return None
    if isinstance(org, Organisation):
        return org
    found = Organisation.objects.filter(code=org).first()
    if found is None:
        raise ValidationError(_("Unknown organisation %(code)r.") % {"code": org})
    return found


def _node_resolve(plan: Plan, node: FrameworkNode | str) -> FrameworkNode:
    if isinstance(node, FrameworkNode):
        if node.plan_id != plan.pk:
            raise ValidationError(_("Node %(node)s belongs to another plan.") % {"node": node.code})
        return node
    found = FrameworkNode.objects.filter(plan=plan, code=node).select_related("level").first()
    if found is None:
        raise ValidationError(
            _("Unknown framework node %(code)r in plan %(plan)s.")
            % {"code": node, "plan": plan.code}
        )
    return found


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


def _area_within(area: Area, root: Area) -> bool:
    return area.path.startswith(root.path)


def _languages_clean(languages: Iterable[str] | None) -> list[str]:
    cleaned: list[str] = []
    for code in languages or []:
        code = (code or "").strip().lower()
        if pycountry.languages.get(alpha_2=code) is None:
            raise ValidationError(
                _("%(code)r is not an ISO 639-1 language code (e.g. fr, en, sw).") % {"code": code}
            )
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


def _choices_clean(
    values: Iterable[str] | None, choices: type[models.TextChoices], what: str
) -> list[str]:
    """A list of choice codes, stripped, lower-cased, deduplicated, in the choices' order."""
    given = {(v or "").strip().lower() for v in values or []} - {""}
    unknown = sorted(given - set(choices.values))
    if unknown:
        raise ValidationError(
            _("Unknown %(what)s %(codes)s; use %(known)s.")
            % {"what": what, "codes": ", ".join(unknown), "known": ", ".join(choices.values)}
        )
    return [v for v in choices.values if v in given]


def civil_society_roles_clean(values: Iterable[str] | None) -> list[str]:
    return _choices_clean(values, CivilSocietyStage, _("civil-society stage"))


def alignment_references_clean(values: Iterable[str] | None) -> list[str]:
    return _choices_clean(values, AlignmentFramework, _("alignment framework"))


def global_indicator_resolve(reference: GlobalIndicator | str) -> GlobalIndicator:
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


# ---------------------------------------------------------------------------- plans


def _plan_validate(
    *,
    code: str,
    kind: str,
    parent: Plan | None,
    area: Area,
    start: date,
    end: date,
    generation: int | None,
    status: str,
    adopted_on: date | None,
) -> None:
    if not code or not re.fullmatch(r"[-a-zA-Z0-9_]+", code):
        raise ValidationError(
            _("Plan code %(code)r must be letters, digits, - or _.") % {"code": code}
        )
    if kind not in PlanKind.values:
        raise ValidationError(_("Unknown plan kind %(kind)r.") % {"kind": kind})
    if status not in PlanStatus.values:
        raise ValidationError(_("Unknown plan status %(status)r.") % {"status": status})
    if end < start:
        raise ValidationError(
            _("The plan ends (%(end)s) before it starts (%(start)s).")
            % {"end": end, "start": start}
        )
    if generation is not None and generation < 1:
        raise ValidationError(_("The generation is a number from 1 (first plan)."))
    if adopted_on is not None and adopted_on > end:
        raise ValidationError(_("The plan cannot be adopted after its period ends."))
    if kind in CHILD_KINDS:
        if parent is None:
            raise ValidationError(
                _("A local or institutional plan needs its national plan as parent.")
            )
        if parent.kind != PlanKind.NATIONAL:
            raise ValidationError(
                _("The parent of a local or institutional plan is a national plan.")
            )
        if not _area_within(area, parent.area):
            raise ValidationError(
                _("Area %(area)s is not within the parent plan's area %(parent)s.")
                % {"area": area.code, "parent": parent.area.code}
            )
    elif kind == PlanKind.NATIONAL and parent is not None:
        raise ValidationError(_("A national plan has no parent plan."))


@transaction.atomic
def plan_create(
    *,
    code: str,
    title: str,
    kind: str,
    area: Area | str,
    start: date,
    end: date,
    parent: Plan | str | None = None,
    generation: int | None = None,
    adopted_on: date | None = None,
    status: str = PlanStatus.DRAFT,
    lead_organisation: Organisation | str | None = None,
    coordination_mechanism: str = "",
    languages: Sequence[str] | None = None,
    description: str = "",
    document_url: str = "",
    me_description: str = "",
    civil_society_roles: Sequence[str] | None = None,
    alignment_references: Sequence[str] | None = None,
    levels: Sequence[tuple[str, str, bool]] | None = None,
) -> Plan:
    """Create a plan with its framework levels (the default pillar → outcome → output → action)."""
    if Plan.objects.filter(code=code).exists():
        raise ValidationError(_("A plan with code %(code)r already exists.") % {"code": code})
    if code.lower() in RESERVED_PLAN_CODES:
        raise ValidationError(_("%(code)r is reserved; choose another plan code.") % {"code": code})
    parent_plan = _plan_resolve(parent) if parent else None
    area_obj = area_resolve(area)
    _plan_validate(
        code=code,
        kind=kind,
        parent=parent_plan,
        area=area_obj,
        start=start,
        end=end,
        generation=generation,
        status=status,
        adopted_on=adopted_on,
    )
    if not (title or "").strip():
        raise ValidationError(_("A plan needs a title."))
    plan = Plan.objects.create(
        code=code,
        title=title.strip(),
        kind=kind,
        parent=parent_plan,
        area=area_obj,
        generation=generation,
        start=start,
        end=end,
        adopted_on=adopted_on,
        status=status,
        lead_organisation=_organisation_resolve(lead_organisation),
        coordination_mechanism=coordination_mechanism,
        languages=_languages_clean(languages),
        description=description,
        document_url=document_url,
        me_description=(me_description or "").strip(),
        civil_society_roles=civil_society_roles_clean(civil_society_roles),
        alignment_references=alignment_references_clean(alignment_references),
    )
    framework_levels_ensure(plan=plan, levels=levels)
    return plan


PLAN_UPDATABLE = {
    "title",
    "kind",
    "parent",
    "area",
    "generation",
    "start",
    "end",
    "adopted_on",
    "status",
    "lead_organisation",
    "coordination_mechanism",
    "languages",
    "description",
    "document_url",
    "me_description",
    "civil_society_roles",
    "alignment_references",
}


@transaction.atomic
def plan_update(*, plan: Plan | str, **changes: Any) -> Plan:
    """Change a plan's descriptive fields with the same checks as plan_create."""
    plan = _plan_resolve(plan)
    unknown = sorted(set(changes) - PLAN_UPDATABLE)
    if unknown:
        raise ValidationError(_("Cannot change %(fields)s.") % {"fields": ", ".join(unknown)})
    if "parent" in changes:
        changes["parent"] = _plan_resolve(changes["parent"]) if changes["parent"] else None
        if changes["parent"] is not None and changes["parent"].pk == plan.pk:
            raise ValidationError(_("A plan cannot be its own parent."))
    if "area" in changes:
        changes["area"] = area_resolve(changes["area"])
    if "lead_organisation" in changes:
        changes["lead_organisation"] = _organisation_resolve(changes["lead_organisation"])
    if "languages" in changes:
        changes["languages"] = _languages_clean(changes["languages"])
    if "me_description" in changes:
        changes["me_description"] = (changes["me_description"] or "").strip()
    if "civil_society_roles" in changes:
        changes["civil_society_roles"] = civil_society_roles_clean(changes["civil_society_roles"])
    if "alignment_references" in changes:
        changes["alignment_references"] = alignment_references_clean(
            changes["alignment_references"]
        )
    for field, value in changes.items():
        setattr(plan, field, value)
    _plan_validate(
        code=plan.code,
        kind=plan.kind,
        parent=plan.parent,
        area=plan.area,
        start=plan.start,
        end=plan.end,
        generation=plan.generation,
        status=plan.status,
        adopted_on=plan.adopted_on,
    )
    plan.save()
    return plan


QUALITY_FIELDS = ("me_description", "civil_society_roles", "alignment_references")


def plan_quality_fields_set(*, access: PlanAccess, **changes: Any) -> Plan:
    """What the plan says about its M&E, civil society's role and its alignment (the quality
    scorecard reads them); the plan's coordinators only. Unknown fields are refused."""
    if not access.can_manage():
        raise PermissionDenied
    unknown = sorted(set(changes) - set(QUALITY_FIELDS))
    if unknown:
        raise ValidationError(_("Cannot change %(fields)s.") % {"fields": ", ".join(unknown)})
    return plan_update(plan=access.plan, **changes)


# ---------------------------------------------------------------------------- framework


@transaction.atomic
def framework_levels_ensure(
    *, plan: Plan | str, levels: Sequence[tuple[str, str, bool]] | None = None
) -> list[FrameworkLevel]:
    """The plan's framework levels as (code, name, holds_actions), shallowest first.

    Idempotent. Only the deepest level holds actions. Levels can be renamed at any time, but
    their codes and number cannot change once the plan has nodes.
    """
    plan = _plan_resolve(plan)
    with translation.override("en"):  # default names are stored as English msgids
        wanted = [
            (code, str(name), bool(holds)) for code, name, holds in (levels or DEFAULT_LEVELS)
        ]
    if not wanted:
        raise ValidationError(_("A framework needs at least one level."))
    codes = [code for code, _name, _holds in wanted]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Framework level codes must be different."))
    if [holds for _c, _n, holds in wanted] != [False] * (len(wanted) - 1) + [True]:
        raise ValidationError(_("Only the deepest framework level holds actions."))
    existing = list(plan.levels.order_by("depth"))
    if [lvl.code for lvl in existing] == codes:
        for lvl, (_code, name, _holds) in zip(existing, wanted, strict=True):
            if lvl.name != name:
                lvl.name = name
                lvl.save(update_fields=["name"])
        return existing
    if existing and plan.nodes.exists():
        raise ValidationError(
            _("The framework of plan %(plan)s already has nodes; its levels cannot change.")
            % {"plan": plan.code}
        )
    plan.levels.all().delete()
    return [
        FrameworkLevel.objects.create(
            plan=plan, depth=depth, code=code, name=name, holds_actions=holds
        )
        for depth, (code, name, holds) in enumerate(wanted, start=1)
    ]


def _action_fields_validate(
    *,
    status: str,
    planned_start: date | None,
    planned_end: date | None,
    percent_complete: int | None,
) -> None:
    if status not in ActionStatus.values:
        raise ValidationError(_("Unknown action status %(status)r.") % {"status": status})
    if planned_start and planned_end and planned_end < planned_start:
        raise ValidationError(
            _("The action ends (%(end)s) before it starts (%(start)s).")
            % {"end": planned_end, "start": planned_start}
        )
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        raise ValidationError(_("Percent complete is between 0 and 100."))


@transaction.atomic
def node_create(
    *,
    plan: Plan | str,
    code: str,
    title: str,
    parent: FrameworkNode | str | None = None,
    description: str = "",
    order: int | None = None,
    pillar_theme: str = "",
    source_node: FrameworkNode | None = None,
    responsible_organisation: Organisation | str | None = None,
    partner_organisations: Iterable[Organisation | str] = (),
    planned_start: date | None = None,
    planned_end: date | None = None,
    status: str = ActionStatus.NOT_STARTED,
    percent_complete: int | None = None,
) -> FrameworkNode:
    """Add a node under `parent` (or at the top); its level is one below its parent's."""
    plan = _plan_resolve(plan)
    code = (code or "").strip()
    if not code:
        raise ValidationError(_("A framework node needs a code."))
    if not (title or "").strip():
        raise ValidationError(_("Framework node %(code)s needs a title.") % {"code": code})
    if FrameworkNode.objects.filter(plan=plan, code=code).exists():
        raise ValidationError(
            _("Plan %(plan)s already has a node %(code)r.") % {"plan": plan.code, "code": code}
        )
    parent_node = _node_resolve(plan, parent) if parent else None
    depth = parent_node.level.depth + 1 if parent_node else 1
    level = plan.levels.filter(depth=depth).first()
    if level is None:
        raise ValidationError(
            _("Node %(code)s would be at depth %(depth)s; the framework has fewer levels.")
            % {"code": code, "depth": depth}
        )
    action_values = (
        responsible_organisation,
        planned_start,
        planned_end,
        percent_complete,
        list(partner_organisations),
    )
    partners = action_values[-1]
    if not level.holds_actions and (
        any(v for v in action_values) or status != ActionStatus.NOT_STARTED
    ):
        raise ValidationError(
            _(
                "Node %(code)s is a %(level)s; responsible organisations, dates and status "
                "belong to actions."
            )
            % {"code": code, "level": level.name}
        )
    if pillar_theme and depth != 1:
        raise ValidationError(_("Only top-level nodes (pillars) have a pillar theme."))
    if pillar_theme and not re.fullmatch(r"[-a-z0-9_]+", pillar_theme):
        raise ValidationError(
            _("Pillar theme %(theme)r must be a lower-case code.") % {"theme": pillar_theme}
        )
    _action_fields_validate(
        status=status,
        planned_start=planned_start,
        planned_end=planned_end,
        percent_complete=percent_complete,
    )
    if order is None:
        order = FrameworkNode.objects.filter(plan=plan, parent=parent_node).count() + 1
    node = FrameworkNode.objects.create(
        plan=plan,
        parent=parent_node,
        level=level,
        code=code,
        title=title.strip(),
        description=description,
        order=order,
        pillar_theme=pillar_theme,
        source_node=source_node,
        responsible_organisation=_organisation_resolve(responsible_organisation),
        planned_start=planned_start,
        planned_end=planned_end,
        status=status,
        percent_complete=percent_complete,
    )
    if partners:
        node.partner_organisations.set([org for p in partners if (org := _organisation_resolve(p))])
    return node


@transaction.atomic
def action_status_set(
    *, node: FrameworkNode, status: str, percent_complete: int | None = None
) -> FrameworkNode:
    if not node.level.holds_actions:
        raise ValidationError(_("Only actions have a status."))
    _action_fields_validate(
        status=status,
        planned_start=node.planned_start,
        planned_end=node.planned_end,
        percent_complete=percent_complete,
    )
    node.status = status
    node.percent_complete = 100 if status == ActionStatus.COMPLETED else percent_complete
    node.save(update_fields=["status", "percent_complete", "updated_at"])
    return node


# ---------------------------------------------------------------------------- indicators


def formula_references(formula: str) -> list[str]:
    """Indicator codes named in a formula such as "{PROT-3} + {PROT-4}"."""
    return [code.strip() for code in FORMULA_REFERENCE.findall(formula or "")]


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


@transaction.atomic
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
) -> Indicator:
    """Create an indicator on a framework node, validated for its kind.

    Percentages and shares default to factor 100 (values read as percent); a formula's
    factor defaults to 1.
    A formula may only name indicators that already exist in the plan; a share's scheme is
    derived from its source indicator unless given.
    """
    plan = _plan_resolve(plan)
    node_obj = _node_resolve(plan, node)
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
    labels = [str(label).strip() for label in scale_labels]
    if kind in (IndicatorKind.SCALE, IndicatorKind.MILESTONE):
        if len(labels) < 2 or any(not label for label in labels):
            raise ValidationError(
                _("A scale or milestone indicator needs at least two non-empty labels.")
            )
    elif labels:
        raise ValidationError(_("Only scale and milestone indicators have labels."))
    if expected_min is not None and expected_max is not None and expected_min > expected_max:
        raise ValidationError(_("The expected minimum is above the expected maximum."))

    share_source = share_dim = share_opt = None
    if kind == IndicatorKind.FORMULA:
        if not numerator_formula.strip():
            raise ValidationError(_("A formula indicator needs a numerator formula."))
        for text in (numerator_formula, denominator_formula):
            try:
                formula_check(text)
            except FormulaError as exc:
                raise ValidationError(str(exc)) from exc
        named = formula_references(numerator_formula) + formula_references(denominator_formula)
        if not named:
            raise ValidationError(
                _("A formula names other indicators in braces, e.g. {PROT-3} / {PROT-1}.")
            )
        known = set(
            Indicator.objects.filter(
                plan=plan, code__in=named, owner_organisation=None
            ).values_list("code", flat=True)
        )
        missing = sorted(set(named) - known)
        if missing:
            raise ValidationError(
                _("The formula names unknown indicator(s): %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
    elif numerator_formula or denominator_formula:
        raise ValidationError(_("Only formula indicators have formulas."))

    if kind == IndicatorKind.SHARE:
        if share_of in (None, "") or share_dimension in (None, "") or share_option in (None, ""):
            raise ValidationError(
                _("A share indicator names its source indicator, a dimension and an option.")
            )
        share_source = _indicator_resolve(plan, share_of)  # type: ignore[arg-type]
        if share_source.kind != IndicatorKind.NUMBER:
            raise ValidationError(_("A share is computed from a number indicator."))
        share_dim = (
            share_dimension
            if isinstance(share_dimension, Dimension)
            else Dimension.objects.filter(code=share_dimension).first()
        )
        source_dims = _scheme_dimension_codes(share_source.scheme)
        if share_dim is None or share_dim.code not in source_dims:
            raise ValidationError(
                _("Indicator %(code)s is not disaggregated by %(dim)s.")
                % {"code": share_source.code, "dim": share_dimension}
            )
        share_opt = (
            share_option
            if isinstance(share_option, DimensionOption)
            else share_dim.options.filter(code=share_option).first()
        )
        if share_opt is None or share_opt.dimension_id != share_dim.pk:
            raise ValidationError(
                _("%(option)s is not an option of %(dim)s.")
                % {"option": share_option, "dim": share_dim.code}
            )
        remaining = [d for d in source_dims if d != share_dim.code]
        if scheme is None:
            scheme = remaining
        scheme_obj = _scheme_resolve(scheme)
        if not set(_scheme_dimension_codes(scheme_obj)) <= set(remaining):
            raise ValidationError(
                _("A share can only be broken down by its source's other dimensions.")
            )
    else:
        if share_of or share_dimension or share_option:
            raise ValidationError(_("Only share indicators name a source indicator."))
        scheme_obj = _scheme_resolve(scheme)

    if factor is None:
        factor = 100.0 if kind in (IndicatorKind.PERCENTAGE, IndicatorKind.SHARE) else 1.0
    if factor <= 0:
        raise ValidationError(_("The factor must be positive."))
    resolved_refs = [global_indicator_resolve(ref) for ref in references]
    if order is None:
        order = Indicator.objects.filter(plan=plan).count() + 1

    indicator = Indicator.objects.create(
        plan=plan,
        node=node_obj,
        code=code,
        title=title.strip(),
        definition=definition,
        kind=kind,
        unit=unit,
        direction=direction,
        time_rule=time_rule,
        scheme=scheme_obj,
        frequency=frequency,
        means_of_verification=means_of_verification,
        responsible_organisation=_organisation_resolve(responsible_organisation),
        factor=factor,
        scale_labels=labels,
        numerator_formula=numerator_formula.strip(),
        denominator_formula=denominator_formula.strip(),
        share_of=share_source,
        share_dimension=share_dim,
        share_option=share_opt,
        expected_min=expected_min,
        expected_max=expected_max,
        order=order,
    )
    if resolved_refs:
        indicator.references.set(resolved_refs)
    return indicator


@transaction.atomic
def indicator_references_set(
    *, indicator: Indicator, references: Iterable[GlobalIndicator | str]
) -> Indicator:
    indicator.references.set([global_indicator_resolve(ref) for ref in references])
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
    if not _area_within(area_obj, indicator.plan.area):
        raise ValidationError(
            _("Area %(area)s is outside plan %(plan)s.")
            % {"area": area_obj.code, "plan": indicator.plan.code}
        )
    return area_obj, _cell_resolve(indicator, cell)


@transaction.atomic
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


@transaction.atomic
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
    area_obj, cell_obj = _reference_scope(indicator, area, cell)
    period_obj = _period_resolve(period)
    plan = indicator.plan
    if period_obj.end < plan.start or period_obj.start > plan.end:
        raise ValidationError(
            _("Target period %(period)s is outside the plan's period (%(start)s to %(end)s).")
            % {"period": period_obj.code, "start": plan.start, "end": plan.end}
        )
    value, numerator, denominator = _reference_clean(indicator, value, numerator, denominator)
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
    return target
