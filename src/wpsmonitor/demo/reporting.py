"""Demo data: the administrator, users in every role of the reporting cycle, their assignments
and an open reporting round.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.plans.models import Plan
from wpsmonitor.reporting.models import ReportingRound

if TYPE_CHECKING:
    from wpsmonitor.demo.builder import DemoSummary

ADMIN_USERNAME = "admin"
PASSWORD_ENV = "WPSMONITOR_DEMO_PASSWORD"


def admin_ensure() -> tuple[Any, str | None, bool]:
    """The demo superuser: the password comes from the environment or is generated once."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=ADMIN_USERNAME).first()
    if user is not None:
        return user, None, False
    password = os.environ.get(PASSWORD_ENV) or None
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(12)
    user = user_model.objects.create_superuser(
        username=ADMIN_USERNAME, email="admin@example.org", password=password
    )
    return user, generated, True


# Who plays which role in the demo's reporting cycle: (username, role, organisation, area).
DEMO_USERS = [
    ("coordinator", "coordinator", "demo-sn1325", None),
    ("focal-nk", "focal_point", "demo-mgfe", "CD-NK"),
    ("focal-police", "focal_point", "demo-pnc", None),
    ("monitor", "monitor", "demo-cfpl", None),
    ("viewer", "viewer", "demo-assemblee", None),
]
DEMO_ROUND = "2026Q1"
DEMO_REASON = "Demonstration data."


def user_ensure(username: str, password: str | None) -> Any:
    """A demo user (made once), with the demo's password (the generated one, else the
    environment's; none usable when there is neither)."""
    password = password or os.environ.get(PASSWORD_ENV) or None
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(
            username=username, email=f"{username}@example.org", password=password
        )
    return user


def figures_submit(
    *,
    focal: Any,
    coordinator: Any,
    round_: ReportingRound,
    organisation: Organisation,
    area: Area,
    figures: Mapping[tuple[str, str], float],
    note: str = "",
) -> None:
    """Enter figures through the reporting sheet as a focal point would, submit them and have
    the coordinator approve them (into the fact table). `figures`: (indicator code, cell code)
    -> figure; the sheet's other figures stay as they are."""
    from wpsmonitor.indicators.models import Indicator
    from wpsmonitor.reporting import services as reporting
    from wpsmonitor.reporting.entry import build_sheet, sheet_actions_typed, sheet_fields

    ids = dict(Indicator.objects.filter(plan=round_.plan).values_list("code", "pk"))
    submission = reporting.submission_start(
        by=focal, round_=round_, organisation=organisation, area=area
    )
    sheet = build_sheet(submission)
    typed = sheet_fields(sheet)
    cells = {(c.row.indicator_id, c.cell.code): c for b in sheet.indicators for c in b.cells}
    for (code, cell_code), figure in figures.items():
        text = str(int(figure)) if float(figure).is_integer() else str(figure)
        typed[f"v-{cells[(ids[code], cell_code)].field_id}"] = text
    sheet = build_sheet(submission, typed=typed, references=False)
    saved = reporting.submission_save(
        by=focal, submission=submission, rows=sheet.rows(), actions=sheet_actions_typed(sheet)
    )
    if not saved.ok:
        raise RuntimeError(f"demo figures refused: {saved.problems} {saved.action_problems}")
    submitted = reporting.submission_submit(by=focal, submission=submission)
    if not submitted.ok:
        raise RuntimeError(f"demo figures not submitted: {submitted}")
    reporting.submission_approve(by=coordinator, submission=submission, note=note)


def civil_society_member(nap: Plan, organisation: Organisation, user: Any, admin: Any) -> None:
    """Make `user` a monitor of the civil-society organisation on the plan as the platform
    allows it: the administrator names them the organisation's first administrator (with a
    reason, kept in the history), then they give themselves the monitor role."""
    from wpsmonitor.accounts.models import Role
    from wpsmonitor.reporting import services as reporting

    reporting.role_grant(
        by=admin,
        plan=nap,
        user=user,
        role=Role.ORGANISATION_ADMIN,
        organisation=organisation,
        reason=DEMO_REASON + " The organisation's first administrator on the plan.",
    )
    reporting.role_grant(by=user, plan=nap, user=user, role=Role.MONITOR, organisation=organisation)


def reporting_load(
    nap: Plan,
    orgs: dict[str, Organisation],
    areas: dict[str, Area],
    admin: Any,
    password: str | None,
    summary: DemoSummary,
) -> None:
    """Users in every role, assignments from the plan's responsibilities (and the Ministry of
    Gender's indicators for Nord-Kivu too), and an open round for the quarter after the data
    (its previous period, 2025Q4, has figures to show beside each cell)."""
    from wpsmonitor.accounts.models import CIVIL_SOCIETY_ROLES, PlanRole
    from wpsmonitor.reporting import services as reporting

    password = password or os.environ.get(PASSWORD_ENV) or None
    for username, role, org_code, area_code in DEMO_USERS:
        user = user_ensure(username, password)
        organisation = orgs[org_code]
        if role in CIVIL_SOCIETY_ROLES:
            # From inside the organisation (docs/reporting.md, "Roles"): the administrator
            # names its first administrator, who then gives the roles.
            civil_society_member(nap, organisation, user, admin)
        else:
            reporting.role_grant(
                by=admin,
                plan=nap,
                user=user,
                role=role,
                organisation=organisation,
                area=areas[area_code] if area_code else None,
                reason=DEMO_REASON,
            )
        summary.users.append((username, str(PlanRole(role=role).get_role_display())))
    if password is None and summary.users:
        summary.notes.append(
            f"demo users have no usable password: set {PASSWORD_ENV} and run `wpsmonitor demo --reset`"
        )
    reporting.assignments_from_responsibilities(by=admin, plan=nap)
    for indicator in nap.indicators.filter(responsible_organisation=orgs["demo-mgfe"]):
        if indicator.kind in reporting.DUE_KINDS:
            reporting.assignment_add(
                by=admin,
                plan=nap,
                organisation=orgs["demo-mgfe"],
                area=areas["CD-NK"],
                indicator=indicator,
            )
    reporting.round_open(
        by=admin,
        plan=nap,
        period_code=DEMO_ROUND,
        deadline=timezone.localdate() + timedelta(days=30),
    )
