"""Writes of UN missions (docs/missions.md): missions, mandate resolutions and their WPS
provisions, the transition plan, its phases and benchmarks, benchmarks' dated status updates,
and the indicators watched around a handover. Each service is one transaction and checks the
writer's right (accounts/access.py); bad input is refused as a ValidationError naming the
field, before anything is stored.
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.missions import selectors
from wpsmonitor.missions.models import (
    Benchmark,
    BenchmarkStatus,
    BenchmarkUpdate,
    MandateResolution,
    MissionKind,
    MissionStatus,
    ProvisionCategory,
    TransitionPhase,
    TransitionPlan,
    UNMission,
    WatchedIndicator,
    WpsProvision,
)
from wpsmonitor.plans.models import Plan

# A Security Council resolution's symbol: "S/RES/2717 (2023)".
SYMBOL = re.compile(r"^S/RES/\d{1,5} \((19|20)\d{2}\)$")
MAX_TEXT = 20_000


def _manager(by: User, plan: Plan) -> PlanAccess:
    access = PlanAccess.load(by, plan)
    if not access.can_manage_missions():
        raise PermissionDenied(_("Only the plan's coordinator records UN missions."))
    return access


def _choice(value: str, choices: type[models.TextChoices], field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: message})
    return value


def _text(value: str, field: str, message: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("At most %(max)d characters, please.") % {"max": MAX_TEXT}})
    return value


def _within(area: Area | None, plan: Plan, field: str) -> Area:
    if area is None:
        raise ValidationError({field: _("Choose an area.")})
    if not area.path.startswith(plan.area.path):
        raise ValidationError({field: _("Choose an area within the plan's area.")})
    return area


@service
def mission_record(
    *,
    by: User,
    plan: Plan,
    acronym: str,
    name: str,
    kind: str,
    status: str,
    started_on: date,
    ended_on: date | None = None,
    planned_end_on: date | None = None,
    mission: UNMission | None = None,
) -> UNMission:
    """Record a UN mission in the plan's country, or change `mission`."""
    _manager(by, plan)
    acronym = _text(acronym, "acronym", _("Give the mission's acronym, such as MONUSCO."))
    if len(acronym) > 20:
        raise ValidationError({"acronym": _("An acronym is at most 20 characters.")})
    name = _text(name, "name", _("Give the mission's full name."))
    _choice(kind, MissionKind, "kind", _("Choose peacekeeping or special political mission."))
    _choice(status, MissionStatus, "status", _("Choose the mission's status."))
    if started_on is None:
        raise ValidationError({"started_on": _("Give the date the mission started.")})
    if ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": _("A mission cannot end before it started.")})
    if planned_end_on and planned_end_on < started_on:
        raise ValidationError(
            {"planned_end_on": _("A mission cannot be planned to end before it started.")}
        )
    same = UNMission.objects.filter(plan=plan, acronym__iexact=acronym)
    if mission is not None:
        if mission.plan_id != plan.pk:
            raise PermissionDenied
        same = same.exclude(pk=mission.pk)
        adopted = TransitionPlan.objects.filter(mission=mission).values_list(
            "adopted_on", flat=True
        )
        if adopted and started_on > adopted[0]:
            raise ValidationError(
                {
                    "started_on": _(
                        "The mission's transition plan was adopted on %(date)s: the mission "
                        "started before."
                    )
                    % {"date": adopted[0].isoformat()}
                }
            )
    if same.exists():
        raise ValidationError({"acronym": _("The plan already has a mission of that acronym.")})
    found = mission or UNMission(plan=plan)
    found.acronym = acronym
    found.name = name
    found.kind = kind
    found.status = status
    found.started_on = started_on
    found.ended_on = ended_on
    found.planned_end_on = planned_end_on
    found.save()
    return found


def _resolution_checked(
    mission: UNMission,
    symbol: str,
    adopted_on: date,
    mandate_until: date | None,
    resolution: MandateResolution | None = None,
) -> str:
    symbol = " ".join((symbol or "").split())
    if not SYMBOL.match(symbol):
        raise ValidationError(
            {"symbol": _("Write the resolution's symbol as the UN does: S/RES/2717 (2023).")}
        )
    if adopted_on is None:
        raise ValidationError({"adopted_on": _("Give the date the resolution was adopted.")})
    if adopted_on.year != int(symbol[-5:-1]):
        raise ValidationError(
            {"adopted_on": _("The resolution was adopted in the year its symbol gives.")}
        )
    if mandate_until is not None and mandate_until < adopted_on:
        raise ValidationError(
            {"mandate_until": _("A mandate cannot end before its resolution was adopted.")}
        )
    same = mission.mandates.filter(symbol=symbol)
    if resolution is not None:
        same = same.exclude(pk=resolution.pk)
    if same.exists():
        raise ValidationError({"symbol": _("That resolution is already recorded.")})
    return symbol


@service
def resolution_record(
    *,
    by: User,
    mission: UNMission,
    symbol: str,
    adopted_on: date,
    mandate_until: date | None = None,
) -> MandateResolution:
    """Record a Security Council resolution that set or renewed the mission's mandate."""
    _manager(by, mission.plan)
    symbol = _resolution_checked(mission, symbol, adopted_on, mandate_until)
    return MandateResolution.objects.create(
        mission=mission, symbol=symbol, adopted_on=adopted_on, mandate_until=mandate_until
    )


@service
def resolution_update(
    *,
    by: User,
    resolution: MandateResolution,
    symbol: str,
    adopted_on: date,
    mandate_until: date | None = None,
) -> MandateResolution:
    """Change a mandate resolution (a mistyped symbol or date), with the same checks."""
    mission = resolution.mission
    _manager(by, mission.plan)
    resolution.symbol = _resolution_checked(mission, symbol, adopted_on, mandate_until, resolution)
    resolution.adopted_on = adopted_on
    resolution.mandate_until = mandate_until
    resolution.save()
    return resolution


@service
def resolution_remove(*, by: User, resolution: MandateResolution) -> None:
    """Remove a resolution recorded by mistake, with its provisions (its text, nothing more)."""
    _manager(by, resolution.mission.plan)
    resolution.delete()


@service
def mission_remove(*, by: User, mission: UNMission) -> None:
    """Remove a mission recorded by mistake: only while it has no mandate and no transition
    plan (those are removed, or kept, first)."""
    _manager(by, mission.plan)
    refusal = selectors.mission_removal_refused(mission)
    if refusal:
        raise ValidationError(refusal)
    mission.delete()


@service
def provision_record(
    *,
    by: User,
    resolution: MandateResolution,
    category: str,
    text: str,
    paragraph: str = "",
    provision: WpsProvision | None = None,
) -> WpsProvision:
    """Record one gender or WPS provision of a mandate resolution, coded by category; or change
    `provision` (its category, paragraph or text), with the same checks."""
    _manager(by, resolution.mission.plan)
    if provision is not None and provision.resolution_id != resolution.pk:
        raise PermissionDenied
    _choice(category, ProvisionCategory, "category", _("Choose the provision's category."))
    text = _text(text, "text", _("Give the provision's text."))
    paragraph = (paragraph or "").strip()
    if len(paragraph) > 40:
        raise ValidationError({"paragraph": _("A paragraph reference is at most 40 characters.")})
    if provision is None:
        return WpsProvision.objects.create(
            resolution=resolution, category=category, text=text, paragraph=paragraph
        )
    provision.category = category
    provision.text = text
    provision.paragraph = paragraph
    provision.save()
    return provision


@service
def provision_remove(*, by: User, provision: WpsProvision) -> None:
    _manager(by, provision.resolution.mission.plan)
    provision.delete()


@service
def transition_record(
    *,
    by: User,
    mission: UNMission,
    title: str,
    adopted_on: date,
    gender_analysis: str,
    document_url: str = "",
) -> TransitionPlan:
    """Record, or replace the text of, the mission's transition or exit plan."""
    _manager(by, mission.plan)
    title = _text(title, "title", _("Give the transition plan's title."))
    if adopted_on is None:
        raise ValidationError({"adopted_on": _("Give the date the plan was adopted.")})
    if adopted_on < mission.started_on:
        raise ValidationError(
            {"adopted_on": _("A transition plan is adopted after the mission started.")}
        )
    gender_analysis = _text(
        gender_analysis,
        "gender_analysis",
        _("Give the gender analysis behind the plan, or say that there was none."),
    )
    document_url = (document_url or "").strip()
    if document_url:
        try:
            URLValidator(schemes=["http", "https"])(document_url)
        except ValidationError:
            raise ValidationError(
                {"document_url": _("Give the document's web address, starting https://.")}
            ) from None
    found = TransitionPlan.objects.filter(mission=mission).first()
    if found is not None:
        _adoption_fits(found, adopted_on)
    else:
        found = TransitionPlan(mission=mission)
    found.title = title
    found.adopted_on = adopted_on
    found.gender_analysis = gender_analysis
    found.document_url = document_url
    found.save()
    return found


def _adoption_fits(transition: TransitionPlan, adopted_on: date) -> None:
    """A changed adoption date may not come after what is dated from it: a handover, a target
    date, a benchmark's status."""
    found: list[date | None] = [
        *transition.phases.exclude(handover_on=None).values_list("handover_on", flat=True),
        *Benchmark.objects.filter(phase__transition=transition)
        .exclude(target_on=None)
        .values_list("target_on", flat=True),
        *BenchmarkUpdate.objects.filter(benchmark__phase__transition=transition).values_list(
            "on", flat=True
        ),
    ]
    dates = [d for d in found if d is not None]
    if dates and adopted_on > min(dates):
        raise ValidationError(
            {
                "adopted_on": _(
                    "A handover, target date or status is dated %(date)s: the plan was adopted "
                    "on or before it."
                )
                % {"date": min(dates).isoformat()}
            }
        )


def _phase_checked(
    transition: TransitionPlan,
    number: int,
    name: str,
    area: Area | None,
    handover_on: date | None,
    phase: TransitionPhase | None = None,
) -> tuple[str, Area]:
    plan = transition.mission.plan
    if number is None or number < 1:
        raise ValidationError({"number": _("Number the phase 1 or more.")})
    name = _text(name, "name", _("Give the phase a name."))
    area = _within(area, plan, "area")
    if handover_on is not None and handover_on < transition.adopted_on:
        raise ValidationError(
            {"handover_on": _("A handover comes after the transition plan was adopted.")}
        )
    same = transition.phases.filter(number=number)
    if phase is not None:
        same = same.exclude(pk=phase.pk)
    if same.exists():
        raise ValidationError({"number": _("The plan already has a phase of that number.")})
    return name, area


@service
def phase_record(
    *,
    by: User,
    transition: TransitionPlan,
    number: int,
    name: str,
    area: Area | None,
    handover_on: date | None = None,
) -> TransitionPhase:
    """Add a phase to the exit plan: the area handed over and the date of its handover."""
    _manager(by, transition.mission.plan)
    name, area = _phase_checked(transition, number, name, area, handover_on)
    return TransitionPhase.objects.create(
        transition=transition, number=number, name=name, area=area, handover_on=handover_on
    )


@service
def phase_update(
    *,
    by: User,
    phase: TransitionPhase,
    number: int,
    name: str,
    area: Area | None,
    handover_on: date | None = None,
) -> TransitionPhase:
    """Change a phase (its number, name, area handed over, handover date), with the same
    checks; the watched indicators are then read around the new date and in the new area."""
    transition = phase.transition
    _manager(by, transition.mission.plan)
    phase.name, phase.area = _phase_checked(transition, number, name, area, handover_on, phase)
    phase.number = number
    phase.handover_on = handover_on
    phase.save()
    return phase


@service
def phase_remove(*, by: User, phase: TransitionPhase) -> None:
    """Remove a phase without benchmarks; the indicators watched in it go with it."""
    _manager(by, phase.transition.mission.plan)
    refusal = selectors.phase_removal_refused(phase)
    if refusal:
        raise ValidationError(refusal)
    phase.delete()


def _benchmark_checked(
    phase: TransitionPhase, description: str, area: Area | None, target_on: date | None
) -> tuple[str, Area]:
    plan = phase.transition.mission.plan
    description = _text(description, "description", _("Describe the benchmark."))
    area = _within(area or phase.area, plan, "area")
    if target_on is not None and target_on < phase.transition.adopted_on:
        raise ValidationError(
            {"target_on": _("A target date comes after the transition plan was adopted.")}
        )
    return description, area


@service
def benchmark_record(
    *,
    by: User,
    phase: TransitionPhase,
    description: str,
    area: Area | None = None,
    target_on: date | None = None,
) -> Benchmark:
    """Add a benchmark to a phase, in the phase's area or another within the plan's."""
    _manager(by, phase.transition.mission.plan)
    description, area = _benchmark_checked(phase, description, area, target_on)
    return Benchmark.objects.create(
        phase=phase, area=area, description=description, target_on=target_on
    )


@service
def benchmark_update(
    *,
    by: User,
    benchmark: Benchmark,
    description: str,
    area: Area | None = None,
    target_on: date | None = None,
) -> Benchmark:
    """Change a benchmark's description, area or target date; its status history stays."""
    _manager(by, benchmark.phase.transition.mission.plan)
    benchmark.description, benchmark.area = _benchmark_checked(
        benchmark.phase, description, area, target_on
    )
    benchmark.target_on = target_on
    benchmark.save(update_fields=["description", "area", "target_on"])
    return benchmark


@service
def benchmark_remove(*, by: User, benchmark: Benchmark) -> None:
    """Remove a benchmark recorded by mistake, only while it has no status update."""
    _manager(by, benchmark.phase.transition.mission.plan)
    refusal = selectors.benchmark_removal_refused(benchmark)
    if refusal:
        raise ValidationError(refusal)
    benchmark.delete()


@service
def benchmark_status(
    *, by: User, benchmark: Benchmark, status: str, on: date, note: str = ""
) -> BenchmarkUpdate:
    """Record a benchmark's status on a date; its status becomes its latest update's."""
    _manager(by, benchmark.phase.transition.mission.plan)
    _choice(status, BenchmarkStatus, "status", _("Choose the benchmark's status."))
    if on is None:
        raise ValidationError({"on": _("Give the date of the status.")})
    if on < benchmark.phase.transition.adopted_on:
        raise ValidationError({"on": _("A status is dated after the transition plan was adopted.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("A status cannot be dated in the future.")})
    note = _text(note, "note", "", required=False)
    update = BenchmarkUpdate.objects.create(
        benchmark=benchmark,
        on=on,
        status=status,
        note=note,
        recorded_by=by,
        recorded_by_name=by.get_username(),
    )
    latest = benchmark.updates.order_by("-on", "-pk").first()
    assert latest is not None
    benchmark.status = latest.status
    benchmark.save(update_fields=["status"])
    return update


@service
def watch_record(*, by: User, phase: TransitionPhase, indicator: Indicator) -> WatchedIndicator:
    """Watch one of the plan's indicators in the phase's area around its handover."""
    plan = phase.transition.mission.plan
    _manager(by, plan)
    if indicator.plan_id != plan.pk:
        raise ValidationError({"indicator": _("Choose one of the plan's indicators.")})
    if phase.watched.filter(indicator=indicator).exists():
        raise ValidationError({"indicator": _("That indicator is already watched in the phase.")})
    return WatchedIndicator.objects.create(phase=phase, indicator=indicator)


@service
def watch_remove(*, by: User, watched: WatchedIndicator) -> None:
    _manager(by, watched.phase.transition.mission.plan)
    watched.delete()
