"""Who does what on a plan: roles given and taken, each step kept in the history.

Separation of duties (docs/reporting.md, "Roles"): the coordinator gives and takes government
roles; a civil-society organisation's roles are given and taken from inside it, by its own
organisation administrators; the platform administrator only names an organisation's first
administrator on a plan, with a reason. No user holds a government and a civil-society role on
the same plan. Every grant and revocation writes a RoleEvent (who, when, why), never deleted.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import (
    CIVIL_SOCIETY_ROLES,
    OVERSIGHT_ROLES,
    PlanRole,
    Role,
    RoleEvent,
)
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.services._rights import caller_access

REASON_MAX = 1000


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(
            _(
                "Not allowed: a civil-society organisation's roles are given and taken only by "
                "its own organisation administrators; government roles by the plan's coordinator."
            )
        )


def _event(
    *, kind: str, by: User, role: PlanRole, reason: str, user: User | None = None
) -> RoleEvent:
    holder = user or role.user
    return RoleEvent.objects.create(
        plan_id=role.plan_id,
        kind=kind,
        role=role.role,
        user=holder,
        user_name=holder.get_username(),
        organisation_id=role.organisation_id,
        area_id=role.area_id,
        by=by,
        by_name=by.get_username(),
        reason=reason,
    )


def _check_separation(*, plan: Plan, user: User, role: str) -> None:
    """A user holds government or civil-society roles on a plan, never both. The user's row is
    locked first, so two grants to one user at once are checked one after the other."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    held = PlanRole.objects.filter(user=user, plan=plan)
    if role in CIVIL_SOCIETY_ROLES:
        if user.is_superuser:
            raise ValidationError(
                _("The platform administrator cannot hold a civil-society organisation's role.")
            )
        if held.exclude(role__in=CIVIL_SOCIETY_ROLES).exists():
            raise ValidationError(
                _(
                    "%(user)s holds a government role on this plan and cannot also hold a "
                    "civil-society role on it."
                )
                % {"user": user.get_username()}
            )
    elif held.filter(role__in=CIVIL_SOCIETY_ROLES).exists():
        raise ValidationError(
            _(
                "%(user)s holds a civil-society role on this plan and cannot also hold a "
                "government role on it."
            )
            % {"user": user.get_username()}
        )


def _first_administrator(plan: Plan, organisation: Organisation | None) -> bool:
    """Whether the organisation has no administrator on the plan yet (its row locked, so two
    first administrators cannot be named at once)."""
    if organisation is None:
        return False
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    return not PlanRole.objects.filter(
        plan=plan, role=Role.ORGANISATION_ADMIN, organisation=organisation
    ).exists()


@service
def role_grant(
    *,
    by: User,
    plan: Plan,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    area: Area | None = None,
    reason: str = "",
    access: PlanAccess | None = None,
) -> PlanRole:
    """Give a user a role on a plan: government roles the coordinator (and the administrator),
    a civil-society organisation's roles its own administrators; the administrator names an
    organisation's first administrator, saying why."""
    rights = caller_access(by, plan, access)
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role})
    first = role == Role.ORGANISATION_ADMIN and _first_administrator(plan, organisation)
    org_id = organisation.pk if organisation is not None else None
    _refuse_unless(rights.can_grant_role(role, org_id, first_administrator=first))
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Keep the reason under %(max)d characters.") % {"max": REASON_MAX})
    if role in (Role.FOCAL_POINT, *CIVIL_SOCIETY_ROLES) and organisation is None:
        raise ValidationError(_("A focal point or monitor acts for an organisation: name it."))
    if role in OVERSIGHT_ROLES and organisation is None:
        raise ValidationError(
            _("An auditor or a parliamentary role acts for its body: name the organisation.")
        )
    if (
        role in CIVIL_SOCIETY_ROLES
        and organisation is not None
        and not organisation.is_civil_society
    ):
        raise ValidationError(_("Civil-society monitors act for a civil-society organisation."))
    if area is not None and not area.path.startswith(plan.area.path):
        raise ValidationError(_("The area is outside the plan's area."))
    if first and not reason:
        raise ValidationError(
            _(
                "Say why you name this organisation's first administrator: it is kept in the history."
            )
        )
    _check_separation(plan=plan, user=user, role=role)
    existing = PlanRole.objects.filter(
        user=user, plan=plan, role=role, organisation=organisation, area=area
    ).first()
    if existing:
        return existing
    granted = PlanRole.objects.create(
        user=user, plan=plan, role=role, organisation=organisation, area=area, granted_by=by
    )
    _event(kind=RoleEvent.Kind.GRANTED, by=by, role=granted, reason=reason, user=user)
    return granted


def _others(role: PlanRole) -> QuerySet[PlanRole]:
    """The plan's other holders of this role."""
    return PlanRole.objects.filter(plan=role.plan_id, role=role.role).exclude(pk=role.pk)


@service
def role_revoke(*, by: User, role: PlanRole, reason: str, access: PlanAccess | None = None) -> None:
    """Take a role away, saying why (kept in the history). A plan keeps at least one
    coordinator, and an organisation at least one administrator on the plan: name another
    one first."""
    _refuse_unless(
        caller_access(by, role.plan, access).can_revoke_role(role.role, role.organisation_id)
    )
    if role.role == Role.COORDINATOR and not _others(role).exists():
        raise ValidationError(_("This is the plan's last coordinator: name another one first."))
    if role.role == Role.ORGANISATION_ADMIN:
        # The organisation's row locked: two administrators cannot remove each other at once.
        Organisation.objects.select_for_update().filter(pk=role.organisation_id or 0).first()
        if not _others(role).filter(organisation=role.organisation_id).exists():
            raise ValidationError(
                _(
                    "This is the organisation's last administrator on this plan: name another "
                    "one first."
                )
            )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the role is taken away: it is kept.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Keep the reason under %(max)d characters.") % {"max": REASON_MAX})
    _event(kind=RoleEvent.Kind.REVOKED, by=by, role=role, reason=reason)
    role.delete()
