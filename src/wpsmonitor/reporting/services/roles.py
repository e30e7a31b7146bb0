"""Who does what on a plan: coordinators give and take roles."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.services._rights import caller_access, require


@service
def role_grant(
    *,
    by: User,
    plan: Plan,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    area: Area | None = None,
    access: PlanAccess | None = None,
) -> PlanRole:
    """Give a user a role on a plan (coordinators and the administrator)."""
    require(caller_access(by, plan, access).can_manage())
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role})
    if role in (Role.FOCAL_POINT, Role.MONITOR) and organisation is None:
        raise ValidationError(_("A focal point or monitor acts for an organisation: name it."))
    if role == Role.MONITOR and organisation is not None and not organisation.is_civil_society:
        raise ValidationError(_("Civil-society monitors act for a civil-society organisation."))
    if area is not None and not area.path.startswith(plan.area.path):
        raise ValidationError(_("The area is outside the plan's area."))
    existing = PlanRole.objects.filter(
        user=user, plan=plan, role=role, organisation=organisation, area=area
    ).first()
    if existing:
        return existing
    return PlanRole.objects.create(
        user=user, plan=plan, role=role, organisation=organisation, area=area, granted_by=by
    )


@service
def role_revoke(*, by: User, role: PlanRole, access: PlanAccess | None = None) -> None:
    """Take a role away. A coordinator cannot remove the plan's last coordinator (themselves
    included), so a plan is never left without anyone to manage it."""
    require(caller_access(by, role.plan, access).can_manage())
    if (
        role.role == Role.COORDINATOR
        and not PlanRole.objects.filter(plan=role.plan, role=Role.COORDINATOR)
        .exclude(pk=role.pk)
        .exists()
    ):
        raise ValidationError(_("This is the plan's last coordinator: name another one first."))
    role.delete()
