"""Writes on the register of incidents (docs/stories.md, "Threats against defenders"). Every
function checks the caller's rights (PlanAccess) itself: only the holder's people act on an
incident. Refusals raise PermissionDenied, bad input ValidationError (keyed by field), and
nothing is changed in either case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pycountry
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.services import service
from wpsmonitor.defenders.models import Incident, IncidentDeletion, IncidentKind, PerpetratorType
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import Plan

# The largest amount a form accepts (the column holds 12 digits before the point).
MAX_AMOUNT = Decimal("999999999999.99")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _clean(
    plan: Plan,
    *,
    kind: str,
    occurred_on: date | None,
    area: Area | None,
    perpetrator: str,
    description: str,
    follow_up: str,
    protection_measures: str,
    funding_amount: Decimal | None,
    funding_currency: str,
    funder: Organisation | None,
) -> dict[str, Any]:
    """The incident's fields as stored, or one ValidationError naming every field at fault."""
    problems: dict[str, str] = {}
    if kind not in IncidentKind.values:
        problems["kind"] = _("Choose the kind of incident.")
    if perpetrator not in PerpetratorType.values:
        problems["perpetrator"] = _("Choose who did it (or Unknown).")
    if occurred_on is None:
        problems["occurred_on"] = _("Give the date of the incident (YYYY-MM-DD).")
    elif occurred_on > timezone.localdate():
        problems["occurred_on"] = _("An incident cannot have happened in the future.")
    if area is not None and not area.path.startswith(plan.area.path):
        problems["area"] = _("The area is not within the plan's country or area.")
    description = (description or "").strip()
    if not description:
        problems["description"] = _("Describe what happened.")
    currency = (funding_currency or "").strip().upper()
    if funding_amount is None:
        if currency:
            problems["funding_amount"] = _("Give the amount of the funding, or no currency.")
    else:
        if funding_amount < 0 or funding_amount > MAX_AMOUNT:
            problems["funding_amount"] = _("Give an amount of zero or more.")
        if not currency:
            problems["funding_currency"] = _("Give the currency of the funding (such as USD).")
        elif len(currency) != 3 or pycountry.currencies.get(alpha_3=currency) is None:
            problems["funding_currency"] = _(
                "%(code)s is not an ISO 4217 currency code (such as USD, EUR or CDF)."
            ) % {"code": currency[:12]}
    if funder is not None and funding_amount is None:
        problems["funder"] = _("Give the amount the funder gave, or leave the funder out.")
    if problems:
        raise ValidationError(problems)
    return {
        "kind": kind,
        "occurred_on": occurred_on,
        "area": area,
        "perpetrator": perpetrator,
        "description": description,
        "follow_up": (follow_up or "").strip(),
        "protection_measures": (protection_measures or "").strip(),
        "funding_amount": funding_amount,
        "funding_currency": currency if funding_amount is not None else "",
        "funder": funder,
    }


@service
def incident_record(
    *,
    by: User,
    plan: Plan,
    holder: Organisation,
    kind: str,
    occurred_on: date | None,
    perpetrator: str,
    description: str,
    area: Area | None = None,
    follow_up: str = "",
    protection_measures: str = "",
    funding_amount: Decimal | None = None,
    funding_currency: str = "",
    funder: Organisation | None = None,
) -> Incident:
    """A new incident in the register, held by a civil-society organisation of the caller's."""
    _require(PlanAccess.load(by, plan).can_hold_incidents(holder))
    fields = _clean(
        plan,
        kind=kind,
        occurred_on=occurred_on,
        area=area,
        perpetrator=perpetrator,
        description=description,
        follow_up=follow_up,
        protection_measures=protection_measures,
        funding_amount=funding_amount,
        funding_currency=funding_currency,
        funder=funder,
    )
    return Incident.objects.create(plan=plan, holder=holder, recorded_by=by, **fields)


@service
def incident_update(
    *,
    by: User,
    incident: Incident,
    kind: str,
    occurred_on: date | None,
    perpetrator: str,
    description: str,
    area: Area | None = None,
    follow_up: str = "",
    protection_measures: str = "",
    funding_amount: Decimal | None = None,
    funding_currency: str = "",
    funder: Organisation | None = None,
) -> Incident:
    """Change an incident: every field is given again (the form's), by the holder's people."""
    _require(PlanAccess.load(by, incident.plan).holds_incident(incident))
    fields = _clean(
        incident.plan,
        kind=kind,
        occurred_on=occurred_on,
        area=area,
        perpetrator=perpetrator,
        description=description,
        follow_up=follow_up,
        protection_measures=protection_measures,
        funding_amount=funding_amount,
        funding_currency=funding_currency,
        funder=funder,
    )
    for name, value in fields.items():
        setattr(incident, name, value)
    incident.save()
    return incident


@service
def incident_delete_now(*, by: User, incident: Incident) -> IncidentDeletion:
    """Remove the incident at once: the platform keeps only the fact that the holder deleted an
    incident, and when (nothing of the incident itself). On SQLite the freed pages are
    overwritten too (`secure_delete`), so the removed row's bytes do not linger in the file."""
    _require(PlanAccess.load(by, incident.plan).holds_incident(incident))
    deletion = IncidentDeletion.objects.create(
        plan=incident.plan, holder=incident.holder, deleted_by=by
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    incident.delete()
    return deletion
