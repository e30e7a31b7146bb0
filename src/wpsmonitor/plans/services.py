"""Writes for plans and their results frameworks.

Every function takes keyword arguments only and validates before it writes, raising
django.core.exceptions.ValidationError with a translated message. Related objects can be given
as model instances or by their stable code (plan code, area code, organisation code, node code
within the plan), so importers can pass what they read from a file; the resolvers below are
public because the indicator writes (indicators/services.py, a layer above) resolve the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import pycountry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import can_create_plans
from wpsmonitor.core.services import service
from wpsmonitor.core.translated import (
    column,
    language_codes,
    language_name,
    text_set,
    written_in,
)
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import (
    DEFAULT_LEVELS,
    ActionStatus,
    FrameworkLevel,
    FrameworkNode,
    Plan,
    PlanKind,
    PlanStatus,
)
from wpsmonitor.plans.proposals import changes_offer, texts_before
from wpsmonitor.plans.resolving import (
    alignment_references_clean,
    area_resolve,
    area_within,
    civil_society_roles_clean,
    node_resolve,
    organisation_resolve,
    plan_resolve,
)
from wpsmonitor.shell.public_cache import bump_public_generation

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from wpsmonitor.accounts.access import PlanAccess

# Plan codes that would hide a page under /plans/ (quality/urls.py): /plans/compare/.
# /plans/new/ (portal/urls.py): the form that creates a plan.
RESERVED_PLAN_CODES = {"compare", "new"}
# Plans of these kinds sit under a national plan.
CHILD_KINDS = {PlanKind.LOCAL, PlanKind.INSTITUTIONAL}


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
        if not area_within(area, parent.area):
            raise ValidationError(
                _("Area %(area)s is not within the parent plan's area %(parent)s.")
                % {"area": area.code, "parent": parent.area.code}
            )
    elif kind == PlanKind.NATIONAL and parent is not None:
        raise ValidationError(_("A national plan has no parent plan."))


@service
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
    original_language: str = settings.LANGUAGE_CODE,
    by: User | None = None,
) -> Plan:
    """Create a plan with its framework levels (the default pillar → outcome → output → action).

    `by`: the user creating it from the site, who must be allowed to
    (`accounts.access.can_create_plans`); None for the importer, the demo and the command line,
    which run as the platform itself. `original_language`: the language its texts are written
    in (core/translated.py)."""
    bump_public_generation()
    if by is not None and not can_create_plans(by):
        raise PermissionDenied(_("Only the administrator creates plans."))
    if Plan.objects.filter(code=code).exists():
        raise ValidationError(_("A plan with code %(code)r already exists.") % {"code": code})
    if code.lower() in RESERVED_PLAN_CODES:
        raise ValidationError(_("%(code)r is reserved; choose another plan code.") % {"code": code})
    parent_plan = plan_resolve(parent) if parent else None
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
    if original_language not in language_codes():
        raise ValidationError(
            _("%(code)r is not one of the platform's languages.") % {"code": original_language}
        )
    plan = Plan.objects.create(
        code=code,
        original_language=original_language,
        **written_in(original_language, title=title.strip()),
        kind=kind,
        parent=parent_plan,
        area=area_obj,
        generation=generation,
        start=start,
        end=end,
        adopted_on=adopted_on,
        status=status,
        lead_organisation=organisation_resolve(lead_organisation),
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
    "original_language",
}


def _original_language_change(plan: Plan, language: str) -> None:
    """Change the language a plan's texts are written in: only while the title is its only text.

    The texts are stored as written, a column a language; the original language says which
    column every other language falls back to. Once the plan has a framework, indicators,
    dimension options or recommendations, changing it would present texts typed in one
    language as written in another (and readers of the new one would fall back to columns
    that may be empty): those texts are translated instead (`translations_set`). Before
    that, the change is how a wrong choice at creation is put right: the title moves to the
    new language's column unless that column already holds a translation."""
    if language not in language_codes():
        raise ValidationError(
            _("%(code)r is not one of the platform's languages.") % {"code": language}
        )
    if language == plan.original_language:
        return
    if (
        plan.nodes.exists()
        or plan.indicators.exists()
        or plan.dimensions.exists()
        or plan.recommendations.exists()
    ):
        raise ValidationError(
            _(
                "The language of the plan's texts cannot change: its framework, indicators or "
                "recommendations are already written in %(language)s, and would be shown as if "
                "written in another language. Add their translations instead."
            )
            % {"language": language_name(plan.original_language)}
        )
    old, new = column("title", plan.original_language), column("title", language)
    if not getattr(plan, new):
        setattr(plan, new, getattr(plan, old))
        setattr(plan, old, None)
    plan.original_language = language


@service
def plan_update(*, plan: Plan | str, **changes: Any) -> Plan:
    """Change a plan's descriptive fields with the same checks as plan_create."""
    bump_public_generation()
    plan = plan_resolve(plan)
    unknown = sorted(set(changes) - PLAN_UPDATABLE)
    if unknown:
        raise ValidationError(_("Cannot change %(fields)s.") % {"fields": ", ".join(unknown)})
    if "parent" in changes:
        changes["parent"] = plan_resolve(changes["parent"]) if changes["parent"] else None
        if changes["parent"] is not None and changes["parent"].pk == plan.pk:
            raise ValidationError(_("A plan cannot be its own parent."))
    if "area" in changes:
        changes["area"] = area_resolve(changes["area"])
    if "lead_organisation" in changes:
        changes["lead_organisation"] = organisation_resolve(changes["lead_organisation"])
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
    if "original_language" in changes:
        # First, so that a new title given with it is written in the new language.
        _original_language_change(plan, changes.pop("original_language"))
    for field, value in changes.items():
        if field == "title":
            text_set(plan, field, value)  # the original language's text (core/translated.py)
        else:
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


@service
def translations_set(*, obj: Any, field: str, texts: dict[str, str]) -> None:
    """A text of a plan's content (plan, node, indicator, recommendation...) in other languages:
    `texts` maps a language code to its text ("" removes it; the original stays required)."""
    bump_public_generation()
    for language, text in texts.items():
        if language == obj.original_language and not text.strip():
            raise ValidationError(_("The text in the original language cannot be removed."))
        text_set(obj, field, text.strip() or None, language)
    obj.save()


QUALITY_FIELDS = ("me_description", "civil_society_roles", "alignment_references")


@service
def plan_quality_fields_set(*, access: PlanAccess, **changes: Any) -> Plan:
    """What the plan says about its M&E, civil society's role and its alignment (the quality
    scorecard reads them); the plan's coordinators only. Unknown fields are refused."""
    bump_public_generation()
    if not access.can_manage():
        raise PermissionDenied
    unknown = sorted(set(changes) - set(QUALITY_FIELDS))
    if unknown:
        raise ValidationError(_("Cannot change %(fields)s.") % {"fields": ", ".join(unknown)})
    return plan_update(plan=access.plan, **changes)


# ---------------------------------------------------------------------------- framework


@service
def framework_levels_ensure(
    *, plan: Plan | str, levels: Sequence[tuple[str, str, bool]] | None = None
) -> list[FrameworkLevel]:
    """The plan's framework levels as (code, name, holds_actions), shallowest first.

    Idempotent. Only the deepest level holds actions. Levels can be renamed at any time, but
    their codes and number cannot change once the plan has nodes.
    """
    bump_public_generation()
    plan = plan_resolve(plan)
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


@service
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
    bump_public_generation()
    plan = plan_resolve(plan)
    code = (code or "").strip()
    if not code:
        raise ValidationError(_("A framework node needs a code."))
    if not (title or "").strip():
        raise ValidationError(_("Framework node %(code)s needs a title.") % {"code": code})
    if FrameworkNode.objects.filter(plan=plan, code=code).exists():
        raise ValidationError(
            _("Plan %(plan)s already has a node %(code)r.") % {"plan": plan.code, "code": code}
        )
    parent_node = node_resolve(plan, parent) if parent else None
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
        **written_in(plan.original_language, title=title.strip()),
        description=description,
        order=order,
        pillar_theme=pillar_theme,
        source_node=source_node,
        responsible_organisation=organisation_resolve(responsible_organisation),
        planned_start=planned_start,
        planned_end=planned_end,
        status=status,
        percent_complete=percent_complete,
    )
    if partners:
        node.partner_organisations.set([org for p in partners if (org := organisation_resolve(p))])
    return node


@service
def action_status_set(
    *, node: FrameworkNode, status: str, percent_complete: int | None = None
) -> FrameworkNode:
    bump_public_generation()
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


# Texts of a node a national change offers to its local copies (docs/localisation.md).
NODE_PROPOSED = ("title", "description")
NODE_UPDATABLE = {
    *NODE_PROPOSED,
    "responsible_organisation",
    "partner_organisations",
    "planned_start",
    "planned_end",
}


@service
def node_update(*, node: FrameworkNode, **changes: Any) -> FrameworkNode:
    """Change a node's wording or, on an action, its responsible organisation and dates. A
    national node's new title or description is offered to its local copies as a proposal
    (`plans.proposals`), never applied to them."""
    bump_public_generation()
    unknown = sorted(set(changes) - NODE_UPDATABLE)
    if unknown:
        raise ValidationError(_("Cannot change %(fields)s.") % {"fields": ", ".join(unknown)})
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationError(_("Framework node %(code)s needs a title.") % {"code": node.code})
    action_fields = {
        "responsible_organisation",
        "partner_organisations",
        "planned_start",
        "planned_end",
    } & set(changes)
    if action_fields and not node.level.holds_actions:
        raise ValidationError(
            _(
                "Node %(code)s is a %(level)s; responsible organisations, dates and status "
                "belong to actions."
            )
            % {"code": node.code, "level": node.level.name}
        )
    before = texts_before(node, NODE_PROPOSED)
    partners = changes.pop("partner_organisations", None)
    for name, value in changes.items():
        if name == "title":
            text_set(node, name, value.strip())  # the original language's text
        elif name == "description":
            node.description = (value or "").strip()
        elif name == "responsible_organisation":
            node.responsible_organisation = organisation_resolve(value)
        else:
            setattr(node, name, value)
    _action_fields_validate(
        status=node.status,
        planned_start=node.planned_start,
        planned_end=node.planned_end,
        percent_complete=node.percent_complete,
    )
    node.save()
    if partners is not None:
        node.partner_organisations.set([org for p in partners if (org := organisation_resolve(p))])
    changes_offer(node, before)
    return node
