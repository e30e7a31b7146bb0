"""Reads on early-warning signals: a signal as one reader may read it, the lists, the response
times and the public counts (docs/stories.md, "Early warning and response"). Pages and the API
share them."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import SIGNAL_COARSE, SIGNAL_FULL, PlanAccess
from wpsmonitor.core.history import display_name, kept_name
from wpsmonitor.core.periods import parse_period
from wpsmonitor.directory.areas import PROVINCE_DEPTH, province_id_on_path, provinces_of
from wpsmonitor.directory.counts import Figures, suppressed_counts
from wpsmonitor.directory.models import Area
from wpsmonitor.earlywarning.models import (
    Category,
    IntakeToken,
    ResponseIndicators,
    Signal,
    SignalRead,
    SignalStatus,
    hash_key,
)
from wpsmonitor.plans.models import Plan

# The response times' default target, in days (the page and the API take another).
TARGET_DAYS = 3
YEAR = "year"
QUARTER = "quarter"


@dataclass(frozen=True)
class Step:
    label: str
    on: date
    by: str  # "" in a coarse reading
    detail: str = ""


@dataclass(frozen=True)
class SignalAsRead:
    """A signal holding only what the reading allows: a coarse one is built without the
    description, the reporter, the people who acted and the action's words."""

    pk: int
    reading: str
    category: str
    category_label: str
    severity: str
    severity_label: str
    source_type: str
    source_label: str
    status: str
    status_label: str
    # As reported (full) or its province (coarse).
    area: Area
    # "2026-03-14" (full) or "2026-03" (coarse).
    observed: str
    received_on: date
    description: str = ""
    organisation: str = ""
    referred_to: str = ""
    action: str = ""
    steps: list[Step] = field(default_factory=list)

    @property
    def coarse(self) -> bool:
        return self.reading == SIGNAL_COARSE


def _read(signal: Signal, reading: str, province: Area) -> SignalAsRead:
    full = reading == SIGNAL_FULL

    def who(user_field: str) -> str:
        return kept_name(signal, user_field) if full else ""

    steps = [Step(_("Received"), signal.received_on, who("recorded_by"))]
    if signal.acknowledged_on:
        steps.append(Step(_("Acknowledged"), signal.acknowledged_on, who("acknowledged_by")))
    if signal.referred_on:
        referred = str(signal.referred_to) if signal.referred_to else ""
        steps.append(Step(_("Referred"), signal.referred_on, who("referred_by"), referred))
    if signal.action_on:
        steps.append(
            Step(
                _("Action taken"), signal.action_on, who("action_by"), signal.action if full else ""
            )
        )
    if signal.closed_on:
        steps.append(Step(_("Closed"), signal.closed_on, who("closed_by")))
    return SignalAsRead(
        pk=signal.pk,
        reading=reading,
        category=signal.category,
        category_label=signal.get_category_display(),
        severity=signal.severity,
        severity_label=signal.get_severity_display(),
        source_type=signal.source_type,
        source_label=signal.get_source_type_display(),
        status=signal.status,
        status_label=signal.get_status_display(),
        area=signal.area if full else province,
        observed=signal.observed_on.isoformat() if full else signal.observed_on.strftime("%Y-%m"),
        received_on=signal.received_on,
        description=signal.description if full else "",
        organisation=str(signal.organisation) if full else "",
        referred_to=str(signal.referred_to) if signal.referred_to else "",
        action=signal.action if full else "",
        steps=steps,
    )


def _signals(plan: Plan):  # type: ignore[no-untyped-def]
    return Signal.objects.filter(plan=plan).select_related(
        "area",
        "organisation",
        "referred_to",
        "recorded_by",
        "acknowledged_by",
        "referred_by",
        "action_by",
        "closed_by",
    )


def _log(access: PlanAccess, signal: Signal, reading: str, channel: str) -> SignalRead | None:
    """The record of a read by anyone who is not one of the plan's coordinators (whole or
    coarse); the coordinators' own reads are not logged."""
    if access.is_coordinator:
        return None
    user = access.user if access.user.is_authenticated else None
    name = display_name(user) if user is not None else ""
    return SignalRead(
        signal=signal, reader=user, reader_name=name, channel=channel, reading=reading
    )


def read_signal(
    access: PlanAccess, signal: Signal, *, channel: str = "page", verified: bool = False
) -> SignalAsRead | None:
    """The signal as this reader may read it, or None when they may not read it at all. A
    read by anyone but the plan's coordinators is logged (who, when, how, how much).
    `verified`: whether the reader proved a second factor (a page passes
    `two_factor.is_verified`); unproven, a signal is read coarse at most."""
    reading = access.signal_reading(signal, verified=verified)
    if reading is None:
        return None
    province = (
        signal.area if reading == SIGNAL_FULL else provinces_of([signal.area])[signal.area_id]
    )
    read = _read(signal, reading, province)
    log = _log(access, signal, reading, channel)
    if log is not None:
        log.save()
    return read


def signal_for(access: PlanAccess, pk: int, *, verified: bool = False) -> SignalAsRead | None:
    signal = _signals(access.plan).filter(pk=pk).first()
    return read_signal(access, signal, verified=verified) if signal is not None else None


def signals_for(
    access: PlanAccess, *, channel: str = "list", verified: bool = False
) -> list[SignalAsRead]:
    """Every signal of the plan this reader may read, newest first (a fixed number of queries:
    one for the signals, one for their provinces, one to log the reads); `verified` as for
    `read_signal`."""
    if not access.can_read_signals():
        return []
    found = list(_signals(access.plan))
    readings = [(s, access.signal_reading(s, verified=verified)) for s in found]
    readable = [(s, r) for s, r in readings if r is not None]
    provinces = provinces_of([s.area for s, r in readable if r == SIGNAL_COARSE])
    logs = [log for s, r in readable if (log := _log(access, s, r, channel))]
    if logs:
        SignalRead.objects.bulk_create(logs)
    return [_read(s, r, provinces.get(s.area_id, s.area)) for s, r in readable]


def signal_reads(signal_pk: int) -> list[dict[str, object]]:
    """A signal's read log for its plan's coordinators, newest first (the latest 200)."""
    found = SignalRead.objects.filter(signal_id=signal_pk).select_related("reader")[:200]
    return [{"read": r, "reader": kept_name(r, "reader") or _("Not signed in")} for r in found]


def queue(access: PlanAccess) -> list[SignalAsRead]:
    """The moderation queue: received signals no one but the coordinators has read."""
    if not access.can_manage_early_warning():
        return []
    found = _signals(access.plan).filter(status=SignalStatus.RECEIVED)
    return [_read(s, SIGNAL_FULL, s.area) for s in found]


def tokens(plan: Plan) -> list[IntakeToken]:
    return list(
        IntakeToken.objects.filter(plan=plan).select_related(
            "organisation", "issued_by", "revoked_by"
        )
    )


def token_by_key(code: str, raw: str) -> IntakeToken | None:
    """The live intake link with this secret for the plan with this code; None for an unknown,
    revoked or other plan's link (all answer alike)."""
    if not raw or len(raw) > 100:
        return None
    token = (
        IntakeToken.objects.select_related("plan__area", "organisation")
        .filter(key_hash=hash_key(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.plan.code != code:
        return None
    return token


# Response times -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Times:
    """One figure: days from receipt to a step, over the signals received in a period."""

    done: int  # signals that reached the step
    median: float | None  # median days, over those that reached it
    # Of the signals whose target has passed or that reached the step: the share that reached
    # it within the target. A signal still waiting within its target is left out.
    within: float | None
    counted: int  # the share's denominator
    on_time: int = 0  # the share's numerator: reached the step within the target


@dataclass(frozen=True)
class TimesRow:
    period: str
    province: Area | None  # None: every province together
    received: int
    acknowledge: Times
    respond: Times


def period_of(day: date, by: str) -> str:
    return str(day.year) if by == YEAR else f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _times(pairs: list[tuple[date, date | None]], target: int, today: date) -> Times:
    days = [(step - received).days for received, step in pairs if step is not None]
    overdue = sum(
        1 for received, step in pairs if step is None and (today - received).days > target
    )
    counted = len(days) + overdue
    within = sum(1 for d in days if d <= target)
    return Times(
        done=len(days),
        median=float(statistics.median(days)) if days else None,
        within=within / counted if counted else None,
        counted=counted,
        on_time=within,
    )


def response_times(
    plan: Plan, *, by: str = QUARTER, target: int = TARGET_DAYS, today: date | None = None
) -> list[TimesRow]:
    """Time to acknowledge (receipt to acknowledgement) and time to respond (receipt to the
    action taken), in days, by the period a signal was received in and by province, each
    period also for every province together (first). Two queries."""
    today = today or timezone.localdate()
    rows = Signal.objects.filter(plan=plan).values_list(
        "area__path", "received_on", "acknowledged_on", "action_on"
    )
    groups: dict[tuple[str, int | None], list[tuple[date, date | None, date | None]]] = defaultdict(
        list
    )
    for path, received, acknowledged, action in rows:
        # A signal of the whole country counts under the country.
        province = province_id_on_path(path) or int(path.strip("/").split("/")[0])
        period = period_of(received, by)
        groups[(period, province)].append((received, acknowledged, action))
        groups[(period, None)].append((received, acknowledged, action))
    names = {
        a.pk: a
        for a in Area.objects.filter(pk__in={key[1] for key in groups if key[1] is not None})
    }

    def order(key: tuple[str, int | None]) -> tuple[str, int, str]:
        period, province = key
        return (period, 0 if province is None else 1, names[province].name if province else "")

    return [
        TimesRow(
            period=period,
            province=names[province] if province is not None else None,
            received=len(items),
            acknowledge=_times([(r, a) for r, a, _x in items], target, today),
            respond=_times([(r, x) for r, _a, x in items], target, today),
        )
        for (period, province), items in sorted(groups.items(), key=lambda kv: order(kv[0]))
    ]


# The public counts ------------------------------------------------------------------------------


def figures(plan: Plan) -> Figures:
    """The plan's signals acknowledged or later, counted by category × province × the year they
    were seen, after disclosure control (directory/counts.py: a count below the plan's
    disclosure threshold, a zero included, reads "fewer than" it; no total; every category,
    province and year shown). A received signal, in the moderation queue, is counted nowhere.
    Two queries."""
    return suppressed_counts(
        area=plan.area,
        start=plan.start,
        end=plan.end,
        threshold=plan.disclosure_threshold,
        rows=Category.choices,
        records=Signal.objects.filter(plan=plan)
        .exclude(status=SignalStatus.RECEIVED)
        .values_list("category", "area__path", "observed_on"),
    )


# The response times as indicators of the plan ------------------------------------------------

ACKNOWLEDGE = "acknowledge"
RESPOND = "respond"


@dataclass(frozen=True)
class ResponseFigure:
    """One figure of a response-time indicator: of the signals received in a quarter in an
    area, those that reached the step within the target (numerator) over those that reached it
    or are still waiting past the target (denominator)."""

    step: str  # ACKNOWLEDGE or RESPOND
    period: str  # 2025Q3
    area_id: int
    on_time: int
    counted: int


def _figure_area(path: str, level: int, root_id: int) -> int:
    """The area a signal is counted in: its province (the area at `level` on its path), or the
    plan's own area for a signal given for the plan's whole area."""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    return ids[level - 1] if len(ids) >= level else root_id


def response_figures(plan: Plan, *, target: int, today: date | None = None) -> list[ResponseFigure]:
    """The figures of the plan's response-time indicators (docs/stories.md, "Response times"):
    per step, quarter a signal was received in and province, with the rule of the response
    times' page (`_times`: a signal still waiting within the target is left out). Signals
    received in a quarter outside the plan's dates are left out (the plan holds no figure
    there). A quarter with a signal given for the plan's whole area has one figure, the plan's
    area's, holding every province's signals: an area's figure and its sub-areas' never sit
    side by side (docs/computations.md, "Areas"). Two queries."""
    today = today or timezone.localdate()
    root = Area.objects.get(pk=plan.area_id)
    level = max(PROVINCE_DEPTH, len([p for p in root.path.strip("/").split("/") if p]))
    rows = Signal.objects.filter(plan=plan).values_list(
        "area__path", "received_on", "acknowledged_on", "action_on"
    )
    groups: dict[tuple[str, str, int], list[tuple[date, date | None]]] = defaultdict(list)
    for path, received, acknowledged, action in rows:
        quarter = parse_period(period_of(received, QUARTER))
        if quarter.end < plan.start or quarter.start > plan.end:
            continue
        area_id = _figure_area(path, level, root.pk)
        groups[(ACKNOWLEDGE, quarter.code, area_id)].append((received, acknowledged))
        groups[(RESPOND, quarter.code, area_id)].append((received, action))
    counted = {key: _times(pairs, target, today) for key, pairs in groups.items()}
    counted = {key: times for key, times in counted.items() if times.counted}
    merged: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0])
    whole = {(step, period) for step, period, area_id in counted if area_id == root.pk}
    for (step, period, area_id), times in counted.items():
        key = (step, period, root.pk if (step, period) in whole else area_id)
        merged[key][0] += times.on_time
        merged[key][1] += times.counted
    return [
        ResponseFigure(step, period, area_id, on_time, total)
        for (step, period, area_id), (on_time, total) in sorted(merged.items())
    ]


def response_indicators(plan: Plan) -> ResponseIndicators | None:
    """The plan's response-time indicators, if its coordinators adopted them."""
    return (
        ResponseIndicators.objects.select_related("node", "acknowledge", "respond", "adopted_by")
        .filter(plan=plan)
        .first()
    )
