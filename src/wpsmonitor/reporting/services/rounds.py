"""Reporting rounds: a coordinator opens one per period, closes it, and grants late entry."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.periods import parse_period
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Organisation
from wpsmonitor.indicators.services import period_ensure
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting import notifications
from wpsmonitor.reporting.models import LateEntryException, ReportingRound, RoundStatus
from wpsmonitor.reporting.services._rights import caller_access, require


@service
def round_open(
    *,
    by: User,
    plan: Plan,
    period_code: str,
    deadline: date,
    access: PlanAccess | None = None,
) -> ReportingRound:
    """Open a reporting round for a period of the plan (or reopen a closed one)."""
    require(caller_access(by, plan, access).can_manage())
    try:
        parsed = parse_period(period_code)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if parsed.end < plan.start or parsed.start > plan.end:
        raise ValidationError(
            _("%(period)s is outside the plan's period (%(start)s to %(end)s).")
            % {"period": period_code, "start": plan.start, "end": plan.end}
        )
    if deadline < parsed.start:
        raise ValidationError(_("The deadline cannot come before the period starts."))
    period = period_ensure(parsed.code)
    round_, created = ReportingRound.objects.get_or_create(
        plan=plan, period=period, defaults={"deadline": deadline, "opened_by": by}
    )
    if not created:
        if round_.is_open:
            raise ValidationError(
                _("The round %(period)s is already open.") % {"period": period.code}
            )
        round_.status, round_.deadline, round_.closed_at = RoundStatus.OPEN, deadline, None
        round_.save(update_fields=["status", "deadline", "closed_at"])
    transaction.on_commit(lambda: notifications.round_opened(round_.pk))
    return round_


@service
def round_close(
    *, by: User, round_: ReportingRound, access: PlanAccess | None = None
) -> ReportingRound:
    require(caller_access(by, round_.plan, access).can_manage())
    round_.status, round_.closed_at = RoundStatus.CLOSED, timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    return round_


@service
def exception_grant(
    *,
    by: User,
    round_: ReportingRound,
    organisation: Organisation,
    until: date,
    reason: str,
    access: PlanAccess | None = None,
) -> LateEntryException:
    """Let an organisation enter data in a closed round until a date."""
    require(caller_access(by, round_.plan, access).can_manage())
    if not reason.strip():
        raise ValidationError(_("Say why the exception is granted."))
    if until < timezone.localdate():
        raise ValidationError(_("The exception must end today or later."))
    return LateEntryException.objects.create(
        round=round_, organisation=organisation, until=until, reason=reason.strip(), granted_by=by
    )
