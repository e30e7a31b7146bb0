"""Writes on early-warning signals and intake links (docs/stories.md, "Early warning and
response"). Every function checks the caller's rights (PlanAccess) itself; refusals raise
PermissionDenied, bad input ValidationError, and nothing is changed in either case.

The response loop is one way: received → acknowledged → referred → action taken → closed. A
step is refused unless the signal stands at the step before it, on a day before the step's own,
and never in the future.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.earlywarning.models import (
    Category,
    IntakeToken,
    Severity,
    Signal,
    SignalStatus,
    SourceType,
    hash_key,
)
from wpsmonitor.plans.models import Plan
from wpsmonitor.shell.public_cache import bump_public_generation

# The longest description and action accepted, in characters (the intake form says so).
MAX_TEXT = 4000


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _manager(by: User, plan: Plan) -> PlanAccess:
    access = PlanAccess.load(by, plan)
    _require(access.can_manage_early_warning())
    return access


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > MAX_TEXT:
        raise ValidationError(
            {field: _("Write at most %(count)d characters.") % {"count": MAX_TEXT}}
        )
    return value


def _choice(
    value: str, choices: type[Category] | type[Severity] | type[SourceType], field: str
) -> str:
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("%(value)s is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)}
            }
        )
    return value


# Intake links -----------------------------------------------------------------------------------


@service
def intake_token_issue(
    *, by: User, plan: Plan, organisation: Organisation, label: str = ""
) -> tuple[IntakeToken, str]:
    """A new intake link for a trusted organisation, and its secret (shown once, never kept)."""
    _manager(by, plan)
    raw = secrets.token_urlsafe(24)
    token = IntakeToken.objects.create(
        plan=plan,
        organisation=organisation,
        label=(label or "").strip()[:100],
        key_hash=hash_key(raw),
        prefix=raw[:6],
        issued_by=by,
    )
    return token, raw


@service
def intake_token_revoke(*, by: User, token: IntakeToken) -> IntakeToken:
    """The link stops working at once, and answers like a link that never existed."""
    _manager(by, token.plan)
    if token.revoked_at is not None:
        raise ValidationError(_("This link is already revoked."))
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by", "revoked_by_name"])
    return token


# Signals ------------------------------------------------------------------------------------------


def _area_of_plan(plan: Plan, area: Area | None) -> Area:
    if area is None:
        raise ValidationError({"area": _("Say where it was seen.")})
    if plan.area_id is not None and not area.path.startswith(plan.area.path):
        raise ValidationError({"area": _("This place is outside the plan's area.")})
    return area


@service
def signal_receive(
    *,
    token: IntakeToken,
    category: str,
    area: Area | None,
    observed_on: date | None,
    severity: str,
    source_type: str,
    description: str,
) -> Signal:
    """A signal sent through an organisation's intake link, without signing in: it enters the
    moderation queue (received), which only the plan's coordinators read. The link is the
    right; a revoked link may not send."""
    if token.revoked_at is not None:
        raise PermissionDenied(_("This link is revoked."))
    today = timezone.localdate()
    if observed_on is None:
        raise ValidationError({"observed_on": _("Say when it was seen.")})
    if observed_on > today:
        raise ValidationError({"observed_on": _("A signal cannot be seen in the future.")})
    signal = Signal.objects.create(
        plan=token.plan,
        organisation=token.organisation,
        token=token,
        category=_choice(category, Category, "category"),
        area=_area_of_plan(token.plan, area),
        observed_on=observed_on,
        severity=_choice(severity, Severity, "severity"),
        source_type=_choice(source_type, SourceType, "source_type"),
        description=_text(description, "description", _("Describe what was seen.")),
        received_on=today,
    )
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])
    return signal


def _step_day(on: date | None, after: date, too_early: str) -> date:
    """The step's day (today when not given): not in the future, not before the step before
    it (`too_early` says which, with its %(day)s)."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("A step cannot be taken in the future.")})
    if on < after:
        raise ValidationError({"on": too_early % {"day": after.isoformat()}})
    return on


def _at(signal: Signal, status: str) -> None:
    if signal.status != status:
        raise ValidationError(
            _("This step is not the next one: the signal is %(status)s.")
            % {"status": signal.get_status_display().lower()}
        )


@service
def signal_acknowledge(*, by: User, signal: Signal, on: date | None = None) -> Signal:
    """The coordinator has read it: it leaves the moderation queue and the plan's members read
    it (docs/stories.md, "Who reads a signal")."""
    _manager(by, signal.plan)
    _at(signal, SignalStatus.RECEIVED)
    signal.acknowledged_on = _step_day(
        on,
        signal.received_on,
        _("A signal cannot be acknowledged before it was received (%(day)s)."),
    )
    signal.acknowledged_by = by
    signal.status = SignalStatus.ACKNOWLEDGED
    signal.save()
    # It is counted in the plan's public figures from now on (selectors.figures): the later
    # steps change no count, a received signal is counted nowhere.
    bump_public_generation()
    return signal


@service
def signal_refer(
    *, by: User, signal: Signal, to: Organisation | None, on: date | None = None
) -> Signal:
    """Referred to the organisation that is to respond (a ministry, the police, a shelter)."""
    _manager(by, signal.plan)
    _at(signal, SignalStatus.ACKNOWLEDGED)
    if to is None:
        raise ValidationError({"to": _("Say to whom the signal is referred.")})
    assert signal.acknowledged_on is not None
    signal.referred_on = _step_day(
        on,
        signal.acknowledged_on,
        _("A signal cannot be referred before it was acknowledged (%(day)s)."),
    )
    signal.referred_to = to
    signal.referred_by = by
    signal.status = SignalStatus.REFERRED
    signal.save()
    return signal


@service
def signal_record_action(
    *, by: User, signal: Signal, action: str, on: date | None = None
) -> Signal:
    """What was done, in words: the coordinator, or the organisation it was referred to."""
    access = PlanAccess.load(by, signal.plan)
    _require(access.can_manage_early_warning() or access.can_record_action(signal))
    _at(signal, SignalStatus.REFERRED)
    assert signal.referred_on is not None
    text = _text(action, "action", _("Say what action was taken."))
    signal.action_on = _step_day(
        on,
        signal.referred_on,
        _("An action cannot be recorded before the signal was referred (%(day)s)."),
    )
    signal.action = text
    signal.action_by = by
    signal.status = SignalStatus.ACTION_TAKEN
    signal.save()
    return signal


@service
def signal_close(*, by: User, signal: Signal, on: date | None = None) -> Signal:
    _manager(by, signal.plan)
    _at(signal, SignalStatus.ACTION_TAKEN)
    assert signal.action_on is not None
    signal.closed_on = _step_day(
        on, signal.action_on, _("A signal cannot be closed before its action was taken (%(day)s).")
    )
    signal.closed_by = by
    signal.status = SignalStatus.CLOSED
    signal.save()
    return signal
