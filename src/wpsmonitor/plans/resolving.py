"""Finding what a write names (a plan, an area, an organisation, a framework node) and checking
the list fields of a plan. Reads, except that an ISO country or subdivision code not yet in the
directory is added to it (directory.services)."""

from __future__ import annotations

from collections.abc import Iterable

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.plans.models import (
    AlignmentFramework,
    CivilSocietyStage,
    FrameworkNode,
    Plan,
    disclosure_threshold_validate,
)


def plan_resolve(plan: Plan | str) -> Plan:
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


def organisation_resolve(org: Organisation | str | None) -> Organisation | None:
    if org is None or org == "":
        return None
    if isinstance(org, Organisation):
        return org
    found = Organisation.objects.filter(code=org).first()
    if found is None:
        raise ValidationError(_("Unknown organisation %(code)r.") % {"code": org})
    return found


def node_resolve(plan: Plan, node: FrameworkNode | str) -> FrameworkNode:
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


def area_within(area: Area, root: Area) -> bool:
    return area.path.startswith(root.path)


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


def disclosure_clean(sensitivity: str, disclosure_threshold: int | None) -> None:
    """Refuse an unknown sensitivity or a threshold below the floor (docs/publishing.md)."""
    if sensitivity not in Sensitivity.values:
        raise ValidationError(
            {
                "sensitivity": _("Choose a sensitivity among: %(codes)s.")
                % {"codes": ", ".join(Sensitivity.values)}
            }
        )
    try:
        disclosure_threshold_validate(disclosure_threshold)
    except ValidationError as error:
        raise ValidationError({"disclosure_threshold": error.messages}) from error
