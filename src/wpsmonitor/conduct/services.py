"""Writes on the register of allegations (docs/conduct.md). Every function checks the caller's
rights itself (`PlanAccess.can_read_allegations`, with `verified`: whether the caller's session
proved a second factor). Refusals raise PermissionDenied, bad input ValidationError (keyed by
field), and nothing is changed in either case.

The steps come in order, each dated no earlier than the one before: reported, investigation
opened, investigation closed with its outcome, action taken. A step out of order is refused."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.conduct.models import (
    Action,
    Allegation,
    AllegationKind,
    ConductReader,
    Outcome,
    PersonnelCategory,
)
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import Plan

# The most victims or alleged perpetrators one allegation records.
MAX_PEOPLE = 10_000


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _not_future(day: date | None, field: str, problems: dict[str, str]) -> None:
    if day is not None and day > timezone.localdate():
        problems[field] = _("This date is in the future.")


@service
def allegation_record(
    *,
    by: User,
    verified: bool,
    plan: Plan,
    institution: Organisation | None,
    category: str,
    kind: str,
    reported_on: date | None,
    area: Area | None = None,
    victims_child: int | None = 0,
    victims_adult: int | None = 0,
    victims_unknown: int | None = 0,
    perpetrators: int | None = 1,
    description: str = "",
) -> Allegation:
    """Record an allegation as reported: by the plan's coordinators and conduct readers."""
    _require(PlanAccess.load(by, plan).can_read_allegations(verified=verified))
    problems: dict[str, str] = {}
    if institution is None:
        problems["institution"] = _("Choose the institution of the personnel concerned.")
    if category not in PersonnelCategory.values:
        problems["category"] = _("Choose the category of personnel.")
    if kind not in AllegationKind.values:
        problems["kind"] = _("Choose the kind of allegation.")
    if reported_on is None:
        problems["reported_on"] = _("Give the date the allegation was reported (YYYY-MM-DD).")
    _not_future(reported_on, "reported_on", problems)
    if area is not None and not area.path.startswith(plan.area.path):
        problems["area"] = _("The area is not within the plan's country or area.")
    counts = {
        "victims_child": victims_child,
        "victims_adult": victims_adult,
        "victims_unknown": victims_unknown,
        "perpetrators": perpetrators,
    }
    for name, value in counts.items():
        if value is None or value < 0 or value > MAX_PEOPLE:
            problems[name] = _("Give a whole number from 0 to %(max)s.") % {"max": MAX_PEOPLE}
    if problems:
        raise ValidationError(problems)
    assert institution is not None and reported_on is not None
    return Allegation.objects.create(
        plan=plan,
        institution=institution,
        category=category,
        kind=kind,
        reported_on=reported_on,
        area=area,
        description=(description or "").strip(),
        recorded_by=by,
        **{name: int(value or 0) for name, value in counts.items()},
    )


@service
def investigation_open(
    *, by: User, verified: bool, allegation: Allegation, on: date | None
) -> None:
    """The investigation opened, on or after the report, once."""
    _require(PlanAccess.load(by, allegation.plan).holds_allegation(allegation, verified=verified))
    problems: dict[str, str] = {}
    if allegation.investigation_opened_on is not None:
        problems["on"] = _("The investigation is already opened.")
    elif on is None:
        problems["on"] = _("Give the date (YYYY-MM-DD).")
    elif on < allegation.reported_on:
        problems["on"] = _("An investigation cannot open before the allegation was reported.")
    else:
        _not_future(on, "on", problems)
    if problems:
        raise ValidationError(problems)
    allegation.investigation_opened_on = on
    allegation.save(update_fields=["investigation_opened_on", "updated_at"])


@service
def investigation_close(
    *, by: User, verified: bool, allegation: Allegation, on: date | None, outcome: str
) -> None:
    """The investigation closed with its outcome: after it opened, once."""
    _require(PlanAccess.load(by, allegation.plan).holds_allegation(allegation, verified=verified))
    problems: dict[str, str] = {}
    opened = allegation.investigation_opened_on
    if opened is None:
        problems["on"] = _("Record the opening of the investigation first.")
    elif allegation.investigation_closed_on is not None:
        problems["on"] = _("The investigation is already closed.")
    elif on is None:
        problems["on"] = _("Give the date (YYYY-MM-DD).")
    elif on < opened:
        problems["on"] = _("An investigation cannot close before it opened.")
    else:
        _not_future(on, "on", problems)
    if outcome not in Outcome.values:
        problems["outcome"] = _("Choose the outcome.")
    if problems:
        raise ValidationError(problems)
    allegation.investigation_closed_on = on
    allegation.outcome = outcome
    allegation.save(update_fields=["investigation_closed_on", "outcome", "updated_at"])


@service
def action_record(
    *, by: User, verified: bool, allegation: Allegation, on: date | None, action: str
) -> None:
    """The action taken, after the outcome, once."""
    _require(PlanAccess.load(by, allegation.plan).holds_allegation(allegation, verified=verified))
    problems: dict[str, str] = {}
    closed = allegation.investigation_closed_on
    if closed is None:
        problems["on"] = _("Record the outcome of the investigation first.")
    elif allegation.action:
        problems["on"] = _("The action taken is already recorded.")
    elif on is None:
        problems["on"] = _("Give the date (YYYY-MM-DD).")
    elif on < closed:
        problems["on"] = _("An action cannot be taken before the outcome.")
    else:
        _not_future(on, "on", problems)
    if action not in Action.values:
        problems["action"] = _("Choose the action taken.")
    if problems:
        raise ValidationError(problems)
    allegation.action = action
    allegation.action_on = on
    allegation.save(update_fields=["action", "action_on", "updated_at"])


@service
def conduct_reader_name(*, by: User, plan: Plan, user: User | None) -> ConductReader:
    """Name a conduct reader: a member of the plan, by its coordinator."""
    _require(PlanAccess.load(by, plan).can_name_conduct_readers())
    if user is None or not PlanAccess.load(user, plan).is_member:
        raise ValidationError({"user": _("Choose someone with a role on the plan.")})
    if ConductReader.objects.filter(plan=plan, user=user).exists():
        raise ValidationError({"user": _("This person is already a conduct reader.")})
    return ConductReader.objects.create(plan=plan, user=user, named_by=by)


@service
def conduct_reader_remove(*, by: User, reader: ConductReader) -> None:
    _require(PlanAccess.load(by, reader.plan).can_name_conduct_readers())
    reader.delete()
