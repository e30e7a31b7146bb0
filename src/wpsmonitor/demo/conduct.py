"""The demo's register of allegations of sexual exploitation and abuse and SGBV by security
personnel (docs/conduct.md, docs/demo.md): nine fictitious allegations against the police and
the armed forces of the national plan, at every stage (reported, under investigation,
substantiated with the action taken, unsubstantiated, closed without a finding), reported from
2024 to 2026 so that the time to outcome reads by year; and a conduct reader the coordinator
named. The dates are written as of April 2026 and move back by whole years on an earlier clock
(demo/clock.py): the services refuse a date in the future.

Through the conduct services, as the plan's coordinator in a session verified with a second
factor (the demo's users share an authenticator, demo/signin.py): the administrator does not
read allegations. The register is read only by the coordinator and the named reader; the
public reads the counts after disclosure control, which suppresses every one of these.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wpsmonitor.accounts.models import Role
from wpsmonitor.conduct import services as conduct
from wpsmonitor.conduct.models import Action, AllegationKind, Outcome, PersonnelCategory
from wpsmonitor.demo.clock import dated_or_none
from wpsmonitor.demo.reporting import ADMIN_USERNAME, DEMO_REASON, user_ensure
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting import services as reporting
from wpsmonitor.security.models import SecurityInstitution

COORDINATOR = "coordinator"  # demo/reporting.py
# The conduct reader the coordinator names: the national secretariat's conduct officer, a
# viewer of the plan otherwise.
READER_USERNAME = "conduct-reader"
READER_ORGANISATION = "demo-sn1325"

# (institution: "army" | "police", category, kind, reported on, area code or None,
#  victims (under 18, adult, unknown), perpetrators, investigation opened, closed,
#  outcome, action, action on, description). The descriptions name no one.
ALLEGATIONS: list[tuple[Any, ...]] = [
    (
        "police",
        PersonnelCategory.POLICE,
        AllegationKind.EXPLOITATION,
        date(2024, 2, 12),
        "CD-NK-GOMA",
        (0, 1, 0),
        1,
        date(2024, 2, 20),
        date(2024, 7, 15),
        Outcome.SUBSTANTIATED,
        Action.DISMISSAL,
        date(2024, 8, 1),
        "(fictitious) An officer demanded sex in exchange for releasing a detained relative.",
    ),
    (
        "army",
        PersonnelCategory.MILITARY,
        AllegationKind.ABUSE,
        date(2024, 5, 3),
        "CD-NK-RUTSHURU",
        (1, 0, 0),
        1,
        date(2024, 5, 10),
        date(2024, 11, 28),
        Outcome.SUBSTANTIATED,
        Action.PROSECUTION,
        date(2025, 1, 14),
        "(fictitious) A soldier at a checkpoint abused a girl returning from the market.",
    ),
    (
        "army",
        PersonnelCategory.MILITARY,
        AllegationKind.EXPLOITATION,
        date(2024, 9, 19),
        "CD-SK-UVIRA",
        (0, 2, 0),
        2,
        date(2024, 10, 2),
        date(2025, 3, 10),
        Outcome.UNSUBSTANTIATED,
        Action.NONE,
        date(2025, 3, 24),
        "(fictitious) Two soldiers were said to trade food rations for sex near a camp.",
    ),
    (
        "police",
        PersonnelCategory.POLICE,
        AllegationKind.SGBV,
        date(2024, 11, 7),
        "CD-KN",
        (0, 1, 0),
        1,
        date(2024, 11, 12),
        date(2025, 2, 20),
        Outcome.CLOSED,
        None,
        None,
        "(fictitious) A complaint of assault by an officer off duty; the complainant withdrew.",
    ),
    (
        "army",
        PersonnelCategory.MILITARY,
        AllegationKind.ABUSE,
        date(2025, 3, 22),
        "CD-NK-BENI",
        (1, 0, 1),
        1,
        date(2025, 4, 1),
        date(2025, 10, 9),
        Outcome.SUBSTANTIATED,
        Action.JAIL,
        date(2025, 11, 3),
        "(fictitious) Abuse of two displaced people in a site near a military position.",
    ),
    (
        "police",
        PersonnelCategory.POLICE,
        AllegationKind.EXPLOITATION,
        date(2025, 6, 30),
        "CD-SK-BUKAVU",
        (0, 1, 0),
        1,
        date(2025, 7, 8),
        None,
        None,
        None,
        None,
        "(fictitious) A traffic officer is said to have demanded sex instead of a fine.",
    ),
    (
        "army",
        PersonnelCategory.CIVILIAN,
        AllegationKind.EXPLOITATION,
        date(2025, 10, 14),
        "CD-NK-GOMA",
        (0, 1, 0),
        1,
        None,
        None,
        None,
        None,
        None,
        "(fictitious) A civilian employee of a garrison promised a job in exchange for sex.",
    ),
    (
        "police",
        PersonnelCategory.POLICE,
        AllegationKind.ABUSE,
        date(2026, 2, 5),
        "CD-NK-MASISI",
        (2, 0, 0),
        2,
        date(2026, 2, 16),
        None,
        None,
        None,
        None,
        "(fictitious) Two officers are said to have abused two girls held at a post.",
    ),
    (
        "army",
        PersonnelCategory.MILITARY,
        AllegationKind.SGBV,
        date(2026, 4, 18),
        None,
        (0, 0, 1),
        1,
        None,
        None,
        None,
        None,
        None,
        "(fictitious) Reported by a hotline; the place and the victim's age are not known yet.",
    ),
]


def conduct_load(
    plan: Plan,
    police: SecurityInstitution,
    army: SecurityInstitution,
    *,
    areas: dict[str, Area] | None = None,
    password: str | None = None,
) -> int:
    """The register of allegations and its named reader; returns the allegations recorded."""
    users = get_user_model().objects
    coordinator = users.get(username=COORDINATOR)
    _reader_name(plan, coordinator, password)
    institutions: dict[str, Organisation] = {
        "police": police.organisation,
        "army": army.organisation,
    }
    areas = areas or {a.code: a for a in Area.objects.filter(path__startswith=plan.area.path)}
    today = timezone.localdate()  # the dates as written, moved back on an earlier clock
    for (
        institution,
        category,
        kind,
        reported_on,
        area,
        (child, adult, unknown),
        perpetrators,
        opened_on,
        closed_on,
        outcome,
        action,
        action_on,
        description,
    ) in ALLEGATIONS:
        reported_on, opened_on, closed_on, action_on = (
            dated_or_none(day, today) for day in (reported_on, opened_on, closed_on, action_on)
        )
        allegation = conduct.allegation_record(
            by=coordinator,
            verified=True,
            plan=plan,
            institution=institutions[institution],
            category=category,
            kind=kind,
            reported_on=reported_on,
            area=areas[area] if area else None,
            victims_child=child,
            victims_adult=adult,
            victims_unknown=unknown,
            perpetrators=perpetrators,
            description=description,
        )
        if opened_on:
            conduct.investigation_open(
                by=coordinator, verified=True, allegation=allegation, on=opened_on
            )
        if closed_on:
            conduct.investigation_close(
                by=coordinator, verified=True, allegation=allegation, on=closed_on, outcome=outcome
            )
        if action:
            conduct.action_record(
                by=coordinator, verified=True, allegation=allegation, on=action_on, action=action
            )
    return len(ALLEGATIONS)


def _reader_name(plan: Plan, coordinator: Any, password: str | None) -> None:
    """The conduct reader: given a role on the plan by the administrator (a viewer of the
    national secretariat), then named by the coordinator."""
    admin = get_user_model().objects.get(username=ADMIN_USERNAME)
    reader = user_ensure(READER_USERNAME, password)
    reporting.role_grant(
        by=admin,
        plan=plan,
        user=reader,
        role=Role.VIEWER,
        organisation=Organisation.objects.get(code=READER_ORGANISATION),
        reason=DEMO_REASON + " The national secretariat's conduct officer.",
    )
    conduct.conduct_reader_name(by=coordinator, plan=plan, user=reader)
