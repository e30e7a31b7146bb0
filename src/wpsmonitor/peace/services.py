"""Writes of peace processes (docs/peace-processes.md): processes, rounds, delegations with
their seats by role and sex, and consultations of civil society. Each service is one
transaction and checks the writer's right (accounts/access.py); bad input is refused as a
ValidationError naming the field, before anything is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.peace.models import (
    Consultation,
    ConsultationMethod,
    ConsultationStage,
    Delegation,
    InOutcome,
    NegotiationRound,
    PeaceProcess,
    ProcessLevel,
    ProcessStatus,
    Seat,
    SeatRole,
    SeatSex,
)
from wpsmonitor.plans.models import Plan

# The most seats of one role and sex a delegation can hold: a typing error beyond it.
MAX_SEATS = 1000


def _manager(by: User, plan: Plan) -> PlanAccess:
    access = PlanAccess.load(by, plan)
    if not access.can_manage_peace():
        raise PermissionDenied(_("Only the plan's coordinator records peace processes."))
    return access


def _choice(value: str, choices: type[models.TextChoices], field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: message})
    return value


def _text(value: str, field: str, message: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message})
    return value


@service
def process_record(
    *,
    by: User,
    plan: Plan,
    name: str,
    level: str,
    status: str,
    area: Area | None = None,
    started_on: date | None = None,
    ended_on: date | None = None,
    mediators: str = "",
    process: PeaceProcess | None = None,
) -> PeaceProcess:
    """Record a peace process under the plan, or change `process`."""
    _manager(by, plan)
    name = _text(name, "name", _("Give the process a name."))
    _choice(level, ProcessLevel, "level", _("Choose the level: national, regional or local."))
    _choice(status, ProcessStatus, "status", _("Choose the process's status."))
    if area is not None and not area.path.startswith(plan.area.path):
        raise ValidationError({"area": _("Choose an area within the plan's area.")})
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": _("A process cannot end before it started.")})
    same = PeaceProcess.objects.filter(plan=plan, name=name)
    if process is not None:
        same = same.exclude(pk=process.pk)
    if same.exists():
        raise ValidationError({"name": _("The plan already has a process of that name.")})
    if process is not None:
        if process.plan_id != plan.pk:
            raise PermissionDenied
        outside = process.rounds.all()
        before = bool(started_on) and outside.filter(started_on__lt=started_on).exists()
        after = bool(ended_on) and outside.filter(started_on__gt=ended_on).exists()
        if before or after:
            raise ValidationError(
                {"started_on": _("The process's dates must include the dates of its rounds.")}
            )
    found = process or PeaceProcess(plan=plan)
    found.name = name
    found.level = level
    found.status = status
    found.area = area
    found.started_on = started_on
    found.ended_on = ended_on
    found.mediators = (mediators or "").strip()
    found.save()
    return found


@service
def round_record(
    *,
    by: User,
    process: PeaceProcess,
    number: int,
    started_on: date,
    ended_on: date | None = None,
    title: str = "",
    place: str = "",
) -> NegotiationRound:
    """Add a negotiation round to a process: its dates fall within the process's."""
    _manager(by, process.plan)
    if number is None or number < 1:
        raise ValidationError({"number": _("Number the round 1 or more.")})
    if started_on is None:
        raise ValidationError({"started_on": _("Give the round's first day.")})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("A round cannot end before it starts.")})
    last = ended_on or started_on
    if (process.started_on and started_on < process.started_on) or (
        process.ended_on and last > process.ended_on
    ):
        raise ValidationError(
            {"started_on": _("The round's dates must fall within the process's dates.")}
        )
    if process.rounds.filter(number=number).exists():
        raise ValidationError({"number": _("The process already has a round of that number.")})
    return NegotiationRound.objects.create(
        process=process,
        number=number,
        title=(title or "").strip(),
        started_on=started_on,
        ended_on=ended_on,
        place=(place or "").strip(),
    )


def _seats_clean(seats: Mapping[tuple[str, str], int | None]) -> dict[tuple[str, str], int]:
    roles = {r.value for r in SeatRole}
    sexes = {s.value for s in SeatSex}
    cleaned: dict[tuple[str, str], int] = {}
    for (role, sex), count in seats.items():
        if role not in roles:
            raise ValidationError(
                {
                    "seats": _(
                        "Unknown role %(role)s: a seat is held as negotiator, mediator, "
                        "signatory, observer or technical adviser."
                    )
                    % {"role": role}
                }
            )
        if sex not in sexes:
            raise ValidationError(
                {
                    "seats": _("Unknown sex %(sex)s: count women, men or sex not recorded.")
                    % {"sex": sex}
                }
            )
        if count is None:
            continue
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValidationError({"seats": _("A count of seats is a whole number, 0 or more.")})
        if count > MAX_SEATS:
            raise ValidationError(
                {"seats": _("A count of seats is at most %(max)d.") % {"max": MAX_SEATS}}
            )
        if count:
            cleaned[(role, sex)] = count
    return cleaned


@service
def delegation_record(
    *,
    by: User,
    round: NegotiationRound,
    seats: Mapping[tuple[str, str], int | None],
    party: str = "",
    organisation: Organisation | None = None,
    delegation: Delegation | None = None,
) -> Delegation:
    """Record a party's delegation at a round, with its seats by (role, sex) → count; a role
    and sex not given count 0. With `delegation`, its party and seats are replaced."""
    _manager(by, round.process.plan)
    party = (party or "").strip()
    if not party and organisation is None:
        raise ValidationError({"party": _("Name the party, or choose its organisation.")})
    cleaned = _seats_clean(seats)
    if delegation is not None:
        if delegation.round_id != round.pk:
            raise PermissionDenied
        found = delegation
    else:
        found = Delegation(round=round)
    found.party = party or (organisation.name if organisation else "")
    found.organisation = organisation
    found.save()
    Seat.objects.filter(delegation=found).delete()
    Seat.objects.bulk_create(
        Seat(delegation=found, role=role, sex=sex, count=count)
        for (role, sex), count in cleaned.items()
    )
    return found


@service
def delegation_remove(*, by: User, delegation: Delegation) -> None:
    _manager(by, delegation.round.process.plan)
    delegation.delete()


@service
def consultation_record(
    *,
    by: User,
    process: PeaceProcess,
    held_on: date,
    stage: str,
    method: str,
    organisations_consulted: int,
    womens_organisations: int,
    asked: str,
    in_outcome: str = InOutcome.NOT_YET,
    outcome_note: str = "",
    organisation_names: str = "",
    organisation: Organisation | None = None,
) -> Consultation:
    """Record a consultation of civil society on a process: the coordinator, or a
    civil-society organisation's monitors for their own organisation."""
    access = PlanAccess.load(by, process.plan)
    if not access.can_record_consultation(organisation):
        raise PermissionDenied(
            _(
                "Only the plan's coordinator, or a civil-society organisation's monitors for "
                "their organisation, record consultations."
            )
        )
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date of the consultation.")})
    if process.ended_on and held_on > process.ended_on:
        raise ValidationError(
            {"held_on": _("A consultation is held before or during the process, not after it.")}
        )
    _choice(stage, ConsultationStage, "stage", _("Say whether it was before or during the talks."))
    _choice(method, ConsultationMethod, "method", _("Choose how they were consulted."))
    _choice(in_outcome, InOutcome, "in_outcome", _("Say whether it appears in the outcome."))
    for field, value in (
        ("organisations_consulted", organisations_consulted),
        ("womens_organisations", womens_organisations),
    ):
        if value is None or value < 0:
            raise ValidationError({field: _("A number of organisations is 0 or more.")})
    if organisations_consulted < 1:
        raise ValidationError(
            {"organisations_consulted": _("A consultation consulted at least one organisation.")}
        )
    if womens_organisations > organisations_consulted:
        raise ValidationError(
            {
                "womens_organisations": _(
                    "The women's organisations are among those consulted: no more than they."
                )
            }
        )
    asked = _text(asked, "asked", _("Say what they asked."))
    return Consultation.objects.create(
        process=process,
        held_on=held_on,
        stage=stage,
        method=method,
        organisations_consulted=organisations_consulted,
        womens_organisations=womens_organisations,
        organisation_names=(organisation_names or "").strip(),
        asked=asked,
        in_outcome=in_outcome,
        outcome_note=(outcome_note or "").strip(),
        organisation=organisation,
        recorded_by=by,
        recorded_by_name=by.get_username(),
    )


@service
def consultation_remove(*, by: User, consultation: Consultation) -> None:
    access = PlanAccess.load(by, consultation.process.plan)
    if not access.can_change_consultation(consultation):
        raise PermissionDenied
    consultation.delete()


# Editing (docs/peace-processes.md, "Editing") --------------------------------------------


@service
def round_update(
    *,
    by: User,
    round: NegotiationRound,
    number: int | None,
    started_on: date | None,
    ended_on: date | None = None,
    title: str = "",
    place: str = "",
) -> NegotiationRound:
    """Change a round (every field given again): its dates stay within the process's."""
    process = round.process
    _manager(by, process.plan)
    if number is None or number < 1:
        raise ValidationError({"number": _("Number the round 1 or more.")})
    if started_on is None:
        raise ValidationError({"started_on": _("Give the round's first day.")})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("A round cannot end before it starts.")})
    last = ended_on or started_on
    if (process.started_on and started_on < process.started_on) or (
        process.ended_on and last > process.ended_on
    ):
        raise ValidationError(
            {"started_on": _("The round's dates must fall within the process's dates.")}
        )
    if process.rounds.filter(number=number).exclude(pk=round.pk).exists():
        raise ValidationError({"number": _("The process already has a round of that number.")})
    round.number = number
    round.title = (title or "").strip()
    round.started_on = started_on
    round.ended_on = ended_on
    round.place = (place or "").strip()
    round.save()
    return round


@service
def round_remove(*, by: User, round: NegotiationRound) -> None:
    """Remove a round recorded by mistake: only one without delegations (its seats are the
    trend of women's participation; remove the delegations first, one by one)."""
    _manager(by, round.process.plan)
    if round.delegations.exists():
        raise ValidationError(
            _("The round has delegations: remove them first, or change the round instead.")
        )
    round.delete()


@service
def consultation_update(
    *,
    by: User,
    consultation: Consultation,
    held_on: date | None,
    stage: str,
    method: str,
    organisations_consulted: int | None,
    womens_organisations: int | None,
    asked: str,
    in_outcome: str = InOutcome.NOT_YET,
    outcome_note: str = "",
    organisation_names: str = "",
) -> Consultation:
    """Change a consultation (every field given again; the organisation that recorded it stays):
    the coordinator, or the monitors of that organisation."""
    process = consultation.process
    access = PlanAccess.load(by, process.plan)
    if not access.can_change_consultation(consultation):
        raise PermissionDenied(
            _(
                "Only the plan's coordinator, or the monitors of the organisation that recorded "
                "it, change a consultation."
            )
        )
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date of the consultation.")})
    if process.ended_on and held_on > process.ended_on:
        raise ValidationError(
            {"held_on": _("A consultation is held before or during the process, not after it.")}
        )
    _choice(stage, ConsultationStage, "stage", _("Say whether it was before or during the talks."))
    _choice(method, ConsultationMethod, "method", _("Choose how they were consulted."))
    _choice(in_outcome, InOutcome, "in_outcome", _("Say whether it appears in the outcome."))
    for field, value in (
        ("organisations_consulted", organisations_consulted),
        ("womens_organisations", womens_organisations),
    ):
        if value is None or value < 0:
            raise ValidationError({field: _("A number of organisations is 0 or more.")})
    assert organisations_consulted is not None and womens_organisations is not None
    if organisations_consulted < 1:
        raise ValidationError(
            {"organisations_consulted": _("A consultation consulted at least one organisation.")}
        )
    if womens_organisations > organisations_consulted:
        raise ValidationError(
            {
                "womens_organisations": _(
                    "The women's organisations are among those consulted: no more than they."
                )
            }
        )
    consultation.asked = _text(asked, "asked", _("Say what they asked."))
    consultation.held_on = held_on
    consultation.stage = stage
    consultation.method = method
    consultation.organisations_consulted = organisations_consulted
    consultation.womens_organisations = womens_organisations
    consultation.organisation_names = (organisation_names or "").strip()
    consultation.in_outcome = in_outcome
    consultation.outcome_note = (outcome_note or "").strip()
    consultation.save()
    return consultation
