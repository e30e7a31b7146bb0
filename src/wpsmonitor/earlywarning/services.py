"""Writes on early-warning signals and intake links (docs/stories.md, "Early warning and
response"). Every function checks the caller's rights (PlanAccess) itself; refusals raise
PermissionDenied, bad input ValidationError, and nothing is changed in either case.

The response loop is one way: received → acknowledged → referred → action taken → closed. A
step is refused unless the signal stands at the step before it, on a day before the step's own,
and never in the future.

The response times may become indicators of the plan (`response_indicators_adopt`); their
figures are then computed again after each acknowledgement and each action recorded
(`response_indicators_refresh`).
"""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.periods import PeriodType
from wpsmonitor.core.services import service
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.earlywarning import selectors
from wpsmonitor.earlywarning.models import (
    MAX_TARGET_DAYS,
    Category,
    IntakeToken,
    ResponseIndicators,
    Severity,
    Signal,
    SignalStatus,
    SourceType,
    hash_key,
)
from wpsmonitor.indicators.ingest import ResolvedFigure, figures_ingest
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    TOTAL_CELL,
    AuditAction,
    Cell,
    DataValue,
    DataValueAudit,
    Indicator,
    IndicatorKind,
    Source,
    TimeRule,
)
from wpsmonitor.indicators.services import indicator_create, period_ensure, scheme_ensure
from wpsmonitor.indicators.tasks import request_refresh
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.resolving import node_resolve
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
    response_indicators_refresh(plan=signal.plan)
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
    response_indicators_refresh(plan=signal.plan)
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


# Response times as indicators of the plan ---------------------------------------------------
#
# Two percentage indicators on a node of the plan's framework, whose figures the platform
# computes from the signals (selectors.response_figures) and writes to the government's official
# stream, as approved figures: the response loop is the coordinators' own record, and the
# coordinator is the authority that approves the plan's official figures (docs/stories.md,
# "Response times", says why no submission reviews them).

ACKNOWLEDGE_CODE = "EW-ACK"
RESPOND_CODE = "EW-ACT"


def _response_texts(step: str, days: int) -> dict[str, str]:
    """An indicator's title, definition and means of verification, in the active language."""
    if step == selectors.ACKNOWLEDGE:
        title = ngettext(
            "Share of early-warning signals acknowledged within %(days)d day",
            "Share of early-warning signals acknowledged within %(days)d days",
            days,
        )
        definition = ngettext(
            "Of the early-warning signals received in the period, counted in the province "
            "where they were seen: those acknowledged within %(days)d day of their receipt, "
            "over those acknowledged and those still waiting for it after %(days)d day (a "
            "signal still waiting within it is left out).",
            "Of the early-warning signals received in the period, counted in the province "
            "where they were seen: those acknowledged within %(days)d days of their receipt, "
            "over those acknowledged and those still waiting for it after %(days)d days (a "
            "signal still waiting within them is left out).",
            days,
        )
    else:
        title = ngettext(
            "Share of early-warning signals acted on within %(days)d day",
            "Share of early-warning signals acted on within %(days)d days",
            days,
        )
        definition = ngettext(
            "Of the early-warning signals received in the period, counted in the province "
            "where they were seen: those whose action was recorded within %(days)d day of "
            "their receipt, over those acted on and those still waiting for it after %(days)d "
            "day (a signal still waiting within it is left out).",
            "Of the early-warning signals received in the period, counted in the province "
            "where they were seen: those whose action was recorded within %(days)d days of "
            "their receipt, over those acted on and those still waiting for it after %(days)d "
            "days (a signal still waiting within them is left out).",
            days,
        )
    return {
        "title": title % {"days": days},
        "definition": definition % {"days": days},
        "means_of_verification": _(
            "Computed by the platform from its early-warning response loop: the days each "
            "signal was received, acknowledged and acted on."
        ),
    }


@service
def response_indicators_adopt(
    *, by: User, plan: Plan, node: FrameworkNode | str | None, target_days: int | None
) -> ResponseIndicators:
    """Adopt the plan's response times as two indicators of the plan on `node` (codes EW-ACK
    and EW-ACT): percentages by quarter, of the government's stream, sensitive (counts of
    signals by province: disclosure control applies before they are published), whose figures
    are computed at once and after every step that changes them."""
    _require(PlanAccess.load(by, plan).can_adopt_response_indicators())
    if ResponseIndicators.objects.filter(plan=plan).exists():
        raise ValidationError(_("The plan's response times are already indicators of the plan."))
    if node is None:
        raise ValidationError({"node": _("Choose the part of the framework they belong to.")})
    if target_days is None or not 1 <= target_days <= MAX_TARGET_DAYS:
        raise ValidationError(
            {
                "target_days": _("The target is a number of days from 1 to %(max)d.")
                % {"max": MAX_TARGET_DAYS}
            }
        )
    node_obj = node_resolve(plan, node)
    scheme = scheme_ensure(dimension_codes=[])
    indicators = {}
    for step, code in (
        (selectors.ACKNOWLEDGE, ACKNOWLEDGE_CODE),
        (selectors.RESPOND, RESPOND_CODE),
    ):
        # Stored in the plan's language, as every text of the plan is (core/translated.py).
        with translation.override(plan.original_language):
            texts = _response_texts(step, target_days)
        indicators[step] = indicator_create(
            plan=plan,
            node=node_obj,
            code=code,
            kind=IndicatorKind.PERCENTAGE,
            time_rule=TimeRule.SUM,
            scheme=scheme,
            unit="%",
            frequency=PeriodType.QUARTER,
            sensitivity=Sensitivity.SENSITIVE,
            title=texts["title"],
            definition=texts["definition"],
            means_of_verification=texts["means_of_verification"],
        )
    adopted = ResponseIndicators.objects.create(
        plan=plan,
        node=node_obj,
        target_days=target_days,
        acknowledge=indicators[selectors.ACKNOWLEDGE],
        respond=indicators[selectors.RESPOND],
        adopted_by=by,
    )
    _figures_store(adopted, timezone.localdate())
    return adopted


def _batch_name(adopted: ResponseIndicators) -> str:
    return f"early-warning response times of plan {adopted.plan.code}"


def _figures_store(adopted: ResponseIndicators, today: date) -> int:
    """Write the indicators' figures as the signals give them today: new and changed figures
    through the ingest service (its checks, batch and audit), figures the signals no longer give
    deleted with their audit rows, unchanged ones left alone (no batch, no audit: running it
    again changes nothing). Then the indicators' aggregates are rebuilt. Returns the number of
    figures written or deleted."""
    plan = adopted.plan
    figures = selectors.response_figures(plan, target=adopted.target_days, today=today)
    indicator_of = {
        selectors.ACKNOWLEDGE: adopted.acknowledge_id,
        selectors.RESPOND: adopted.respond_id,
    }
    source = Source.objects.get(code=GOVERNMENT_SOURCE)
    schemes = dict(
        Indicator.objects.filter(pk__in=indicator_of.values()).values_list("pk", "scheme_id")
    )
    cells = dict(
        Cell.objects.filter(scheme_id__in=schemes.values(), code=TOTAL_CELL).values_list(
            "scheme_id", "pk"
        )
    )
    cell_of = {indicator_id: cells[scheme_id] for indicator_id, scheme_id in schemes.items()}
    periods = {code: period_ensure(code).pk for code in {f.period for f in figures}}
    wanted = {
        (indicator_of[f.step], periods[f.period], f.area_id): (float(f.on_time), float(f.counted))
        for f in figures
    }
    stored = DataValue.objects.filter(indicator_id__in=indicator_of.values(), source=source)
    same: set[tuple[int, int, int]] = set()
    stale = []
    for value in stored:
        key = (value.indicator_id, value.period_id, value.area_id)
        if (
            wanted.get(key) == (value.numerator, value.denominator)
            and value.cell_id == cell_of[value.indicator_id]
        ):
            same.add(key)
        elif key not in wanted or value.cell_id != cell_of[value.indicator_id]:
            stale.append(value)
    now = timezone.now()
    for value in stale:
        DataValueAudit.objects.create(
            indicator_id=value.indicator_id,
            period_id=value.period_id,
            area_id=value.area_id,
            cell_id=value.cell_id,
            source_id=value.source_id,
            action=AuditAction.DELETE,
            old_value=value.value,
            old_numerator=value.numerator,
            old_denominator=value.denominator,
            changed_by=adopted.adopted_by,
            changed_at=now,
            reason=_batch_name(adopted),
        )
        value.delete()
    changed = [
        ResolvedFigure(
            indicator_id=indicator_id,
            period_id=period_id,
            area_id=area_id,
            cell_id=cell_of[indicator_id],
            source_id=source.pk,
            numerator=numerator,
            denominator=denominator,
        )
        for (indicator_id, period_id, area_id), (numerator, denominator) in sorted(wanted.items())
        if (indicator_id, period_id, area_id) not in same
    ]
    if changed:
        figures_ingest(
            figures=changed,
            plan=plan.code,
            user=adopted.adopted_by,
            kind="early-warning",
            filename=_batch_name(adopted),
        )
    if changed or stale:
        request_refresh(plan, list(indicator_of.values()))
    adopted.refreshed_at = now
    adopted.save(update_fields=["refreshed_at", "updated_at"])
    return len(changed) + len(stale)


@service
def response_indicators_refresh(*, plan: Plan, today: date | None = None) -> int:
    """Compute the plan's response-time indicators again from its signals, if it adopted them
    (0 otherwise): after each step that changes them, by the command `response_indicators` and
    by the clock, as a signal still waiting past the target comes to count against with time
    alone. Idempotent: the same signals on the same day write nothing. The platform's own
    computation: no user asks for it, so none is checked (the steps that call it are)."""
    adopted = ResponseIndicators.objects.select_related("plan", "adopted_by").filter(plan=plan)
    found = adopted.first()
    if found is None:
        return 0
    return _figures_store(found, today or timezone.localdate())
