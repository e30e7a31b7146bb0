"""The caller's rights, checked by every service itself (a view or an endpoint cannot forget)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.plans.models import Plan


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def caller_access(by: User, plan: Plan, access: PlanAccess | None) -> PlanAccess:
    """The caller's rights on the plan: those the request already loaded (a view or an
    endpoint passes them down, so that one request loads them once), or loaded now."""
    if access is None:
        return PlanAccess.load(by, plan)
    if access.user != by or access.plan.pk != plan.pk:
        # A programming error, not a refusal: these rights answer for someone else.
        raise ValueError("The rights passed down are another user's or another plan's.")
    return access
