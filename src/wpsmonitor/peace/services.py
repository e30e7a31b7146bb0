"""Writes of peace processes (docs/peace-processes.md): processes, rounds, delegations with
their seats by role and sex, and consultations of civil society. Each service is one
transaction and checks the writer's right (accounts/access.py); bad input is refused as a
ValidationError naming the field, before anything is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.peace import selectors
from wpsmonitor.peace.models import (
    Agreement,
    AgreementStage,
    AgreementType,
    Consultation,
    ConsultationMethod,
    ConsultationStage,
    Delegation,
    GenderProvision,
    ImplementationStatus,
    InOutcome,
    NegotiationRound,
    PeaceProcess,
    ProcessLevel,
    ProcessStatus,
    ProvisionAssessment,
    ProvisionStatus,
    Seat,
    SeatRole,
    SeatSex,
    WggCategory,
    budget_line_model,
)
from wpsmonitor.plans.models import FrameworkNode, Plan

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
def process_remove(*, by: User, process: PeaceProcess) -> None:
    """Remove a process recorded by mistake: only while nothing hangs on it."""
    _manager(by, process.plan)
    refusal = selectors.process_removal_refused(process)
    if refusal:
        raise ValidationError(refusal)
    process.delete()


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


# --- Agreements and gender provisions (docs/peace-processes.md, "Agreements and gender
# provisions"). The PA-X import is peace/agreements.py.


def _agreements_manager(by: User, plan: Plan) -> PlanAccess:
    access = PlanAccess.load(by, plan)
    if not access.can_manage_agreements():
        raise PermissionDenied(_("Only the plan's coordinator records peace agreements."))
    return access


def _url(value: str) -> str:
    value = (value or "").strip()
    if value and not value.lower().startswith(("https://", "http://")):
        raise ValidationError({"source_url": _("Give the source as a web address (https://…).")})
    return value


@service
def agreement_record(
    *,
    by: User,
    plan: Plan,
    name: str,
    stage: str,
    signed_on: date | None = None,
    agreement_type: str = "",
    parties: str = "",
    source_url: str = "",
    process: PeaceProcess | None = None,
    pax_id: int | None = None,
    agreement: Agreement | None = None,
) -> Agreement:
    """Record a peace agreement under the plan, or change `agreement`."""
    _agreements_manager(by, plan)
    name = _text(name, "name", _("Give the agreement's name."))
    if len(name) > 500:
        raise ValidationError({"name": _("An agreement's name is at most 500 characters.")})
    _choice(stage, AgreementStage, "stage", _("Choose the agreement's stage."))
    if agreement_type:
        _choice(agreement_type, AgreementType, "agreement_type", _("Choose the agreement type."))
    if process is not None and process.plan_id != plan.pk:
        raise ValidationError({"process": _("Choose one of the plan's peace processes.")})
    if pax_id is not None and (isinstance(pax_id, bool) or pax_id < 1):
        raise ValidationError({"pax_id": _("A PA-X agreement id is a whole number, 1 or more.")})
    if agreement is not None and agreement.plan_id != plan.pk:
        raise PermissionDenied
    if pax_id is not None:
        same = Agreement.objects.filter(plan=plan, pax_id=pax_id)
        if agreement is not None:
            same = same.exclude(pk=agreement.pk)
        if same.exists():
            raise ValidationError(
                {"pax_id": _("The plan already has an agreement with that PA-X id.")}
            )
    found = agreement or Agreement(plan=plan)
    found.name = name
    found.stage = stage
    found.signed_on = signed_on
    found.agreement_type = agreement_type or ""
    found.parties = (parties or "").strip()
    found.source_url = _url(source_url)
    found.process = process
    found.pax_id = pax_id
    found.save()
    return found


def _provision_links(
    plan: Plan, actions: Iterable[FrameworkNode], budget_lines: Iterable[models.Model]
) -> tuple[list[FrameworkNode], list[models.Model]]:
    """The actions and budget lines, checked to be the plan's (an action a node of a level that
    holds actions; a budget line one of the plan's actions'). The budget line's model is read
    off the link (`finance.BudgetLine`), never imported."""
    actions = list(actions)
    if any(a.plan_id != plan.pk or not a.level.holds_actions for a in actions):
        raise ValidationError({"actions": _("Link the provision to actions of this plan only.")})
    lines = list(budget_lines)
    line_model = budget_line_model()
    ids = {line.pk for line in lines}
    if ids and line_model._default_manager.filter(pk__in=ids, action__plan=plan).count() != len(
        ids
    ):
        raise ValidationError(
            {"budget_lines": _("Link the provision to budget lines of this plan's actions only.")}
        )
    return actions, lines


@service
def provision_record(
    *,
    by: User,
    agreement: Agreement,
    category: str,
    text: str = "",
    reference: str = "",
    actions: Iterable[FrameworkNode] = (),
    budget_lines: Iterable[models.Model] = (),
    provision: GenderProvision | None = None,
) -> GenderProvision:
    """Record a gender provision of an agreement in a PA-X WGG category, with the NAP actions
    and budget lines that carry it out (replaced, when changing `provision`)."""
    _agreements_manager(by, agreement.plan)
    _choice(category, WggCategory, "category", _("Choose the provision's PA-X category."))
    linked_actions, linked_lines = _provision_links(agreement.plan, actions, budget_lines)
    if provision is not None and provision.agreement_id != agreement.pk:
        raise PermissionDenied
    found = provision or GenderProvision(agreement=agreement)
    found.category = category
    found.text = (text or "").strip()
    found.reference = (reference or "").strip()[:200]
    found.save()
    found.actions.set(linked_actions)
    found.budget_lines.set([line.pk for line in linked_lines])
    return found


@service
def provision_remove(*, by: User, provision: GenderProvision) -> None:
    _agreements_manager(by, provision.agreement.plan)
    provision.delete()


@service
def provision_status_record(
    *, by: User, provision: GenderProvision, on: date, status: str, note: str = ""
) -> ProvisionStatus:
    """Record the provision's implementation status on a date (the government's reading, by
    the coordinator); a second reading on the same date replaces the first."""
    _agreements_manager(by, provision.agreement.plan)
    if on is None:
        raise ValidationError({"on": _("Give the date of the status.")})
    _choice(status, ImplementationStatus, "status", _("Choose a status on the scale."))
    signed = provision.agreement.signed_on
    if signed and on < signed:
        raise ValidationError(
            {"on": _("A provision is implemented after its agreement is signed, not before.")}
        )
    found, _created = ProvisionStatus.objects.update_or_create(
        provision=provision,
        on=on,
        defaults={
            "status": status,
            "note": (note or "").strip(),
            "recorded_by": by,
            "recorded_by_name": by.get_username(),
        },
    )
    return found


@service
def provision_status_remove(*, by: User, status: ProvisionStatus) -> None:
    """Remove a government status recorded by mistake (the coordinator). Civil society's
    assessments have no such service for any government role."""
    _agreements_manager(by, status.provision.agreement.plan)
    status.delete()


@service
def agreement_remove(*, by: User, agreement: Agreement) -> None:
    """Remove an agreement recorded by mistake, with its provisions and their links; refused
    when a provision has a status or a civil-society assessment."""
    _agreements_manager(by, agreement.plan)
    refusal = selectors.agreement_removal_refused(agreement)
    if refusal:
        raise ValidationError(refusal)
    agreement.delete()


@service
def provision_assessment_save(
    *,
    by: User,
    provision: GenderProvision,
    organisation: Organisation,
    assessed_on: date,
    status: str,
    comment: str = "",
    publish: bool = False,
) -> ProvisionAssessment:
    """A civil-society organisation's monitor records (or changes) their organisation's
    assessment of the provision; `publish` makes it public (it stays theirs to change)."""
    access = PlanAccess.load(by, provision.agreement.plan)
    if not access.can_assess_provision(organisation):
        raise PermissionDenied(
            _("Only a civil-society organisation's monitors write its assessments.")
        )
    if assessed_on is None:
        raise ValidationError({"assessed_on": _("Give the date of the assessment.")})
    _choice(status, ImplementationStatus, "status", _("Choose a status on the scale."))
    found = (
        ProvisionAssessment.objects.select_for_update()
        .filter(provision=provision, organisation=organisation)
        .first()
    ) or ProvisionAssessment(provision=provision, organisation=organisation)
    found.assessed_on = assessed_on
    found.status = status
    found.comment = (comment or "").strip()
    found.by = by
    found.by_name = by.get_username()
    if publish and found.published_at is None:
        found.published_at = timezone.now()
    found.save()
    return found


@service
def provision_assessment_publish(*, by: User, assessment: ProvisionAssessment) -> None:
    access = PlanAccess.load(by, assessment.provision.agreement.plan)
    if not access.can_edit_provision_assessment(assessment):
        raise PermissionDenied
    if assessment.published_at is None:
        assessment.published_at = timezone.now()
        assessment.save(update_fields=["published_at"])
