"""Who reports what, where: a coordinator assigns indicators and actions to organisations."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.in_force import dropped_of, in_force_filter
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reporting.entry import DUE_KINDS
from wpsmonitor.reporting.models import Assignment
from wpsmonitor.reporting.services._rights import caller_access, require


@service
def assignment_add(
    *,
    by: User,
    plan: Plan,
    organisation: Organisation,
    area: Area,
    indicator: Indicator | None = None,
    action: FrameworkNode | None = None,
    access: PlanAccess | None = None,
) -> Assignment:
    require(caller_access(by, plan, access).can_manage())
    if (indicator is None) == (action is None):
        raise ValidationError(_("Assign either an indicator or an action."))
    if not area.path.startswith(plan.area.path):
        raise ValidationError(_("The area is outside the plan's area."))
    if indicator is not None:
        if indicator.plan_id != plan.pk:
            raise ValidationError(_("The indicator belongs to another plan."))
        if indicator.owner_organisation_id is not None:
            raise ValidationError(
                _(
                    "%(code)s is a civil-society organisation's own indicator: only it reports on it."
                )
                % {"code": indicator.code}
            )
        # Read fresh: the caller's indicator may hold its version as it stood before approval.
        dropped = dropped_of(Indicator.objects.select_related("retired_in").get(pk=indicator.pk))
        if dropped is not None:
            raise ValidationError(
                _(
                    "%(code)s was dropped in version %(number)s of the plan on %(date)s: "
                    "nobody is asked for it any more."
                )
                % {"code": indicator.code, "number": dropped.number, "date": dropped.on}
            )
        if indicator.kind not in DUE_KINDS:
            raise ValidationError(
                _("%(code)s is computed or counted from items: nobody enters it.")
                % {"code": indicator.code}
            )
    if action is not None and (action.plan_id != plan.pk or not action.level.holds_actions):
        raise ValidationError(_("Only actions of this plan can be assigned."))
    assignment, _created = Assignment.objects.get_or_create(
        plan=plan, organisation=organisation, area=area, indicator=indicator, action=action
    )
    return assignment


@service
def assignment_remove(
    *, by: User, assignment: Assignment, access: PlanAccess | None = None
) -> None:
    require(caller_access(by, assignment.plan, access).can_manage())
    assignment.delete()


@service
def assignments_from_responsibilities(
    *, by: User, plan: Plan, access: PlanAccess | None = None
) -> int:
    """Assign each indicator and action to its responsible organisation, at the plan's area."""
    require(caller_access(by, plan, access).can_manage())
    created = 0
    # Not an indicator a revision dropped (indicators/in_force.py): it is asked for no more.
    for indicator in plan.indicators.filter(
        in_force_filter(),
        responsible_organisation__isnull=False,
        kind__in=DUE_KINDS,
        owner_organisation__isnull=True,
    ):
        _obj, made = Assignment.objects.get_or_create(
            plan=plan,
            organisation_id=indicator.responsible_organisation_id,
            area=plan.area,
            indicator=indicator,
        )
        created += made
    for action in plan.nodes.filter(
        level__holds_actions=True, responsible_organisation__isnull=False
    ):
        _obj, made = Assignment.objects.get_or_create(
            plan=plan,
            organisation_id=action.responsible_organisation_id,
            area=plan.area,
            action=action,
        )
        created += made
    return created
