"""Demo data: the national plan's monitoring board and its co-signed reports.

Three government and three civil-society members (parity), co-signature required; the 2024
annual report co-signed by both sides and published with a civil-society dissenting
statement; the 2025 report signed for government and awaiting the civil-society signature.
Everything goes through the services, as the coordinator and the members would do it.
Board members get accounts of their own, with the demo users' password.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import capfirst

from wpsmonitor.boards import services
from wpsmonitor.boards.models import BoardMember, PeriodicReport, ReportEvent, Side, Signature
from wpsmonitor.directory.models import Organisation
from wpsmonitor.plans.models import Plan

BOARD_NAME = "National 1325 monitoring board (fictitious)"

# (username: an existing demo user's or a new one, name, side, organisation, position)
MEMBERS: list[tuple[str, str, str, str, str]] = [
    ("board-mgfe", "Esther Mbuyi (fictitious)", "government", "demo-mgfe", "Director of gender"),
    (
        "board-minjus",
        "Patrick Ilunga (fictitious)",
        "government",
        "demo-mjustice",
        "Adviser on sexual violence cases",
    ),
    ("focal-police", "Grace Mwamba (fictitious)", "government", "demo-pnc", "Gender focal point"),
    (
        "monitor",
        "Aline Bahati (fictitious)",
        "civil_society",
        "demo-cfpl",
        "Coordinator of shadow monitoring",
    ),
    (
        "board-rfpk",
        "Furaha Kahindo (fictitious)",
        "civil_society",
        "demo-rfpk",
        "President",
    ),
    ("board-sfj", "Nadine Tshala (fictitious)", "civil_society", "demo-sfj", "Legal officer"),
]

REPORT_2024 = (
    "In 2024 the plan's first year, the ministries set up gender focal points in all pillars "
    "and the national police trained its first cohorts on the handling of sexual violence "
    "cases. Funding reached a third of the planned budget. Data from Nord-Kivu and Sud-Kivu "
    "remain incomplete; civil-society monitoring filled part of the gap.\n\n"
    "The board recommends that the 2025 budget law carry a line for the plan, and that "
    "provincial figures be collected every quarter."
)
DISSENT_2024 = (
    "The Réseau des femmes paysannes (fictitious) signs the report's account of the national "
    "measures but dissents on the figures for Nord-Kivu: our community monitors counted far "
    "fewer trained police officers in the territories we cover than the ministry reports, and "
    "no survivor we met had access to the promised legal aid. The report should say so."
)
REPORT_2025 = (
    "In 2025 the plan reached the provinces: local plans were adopted in Nord-Kivu and "
    "Sud-Kivu, and the number of women in local peace committees rose. The budget line "
    "requested by the board was not adopted.\n\n"
    "Draft for the board's signature."
)


def users() -> list[tuple[str, str]]:
    """The members' accounts and what they are on the board, for the sign-in summary."""
    member = capfirst(str(BoardMember._meta.verbose_name))
    return [(username, f"{member} ({Side(side).label})") for username, _n, side, *_r in MEMBERS]


def _people(orgs: dict[str, Organisation]) -> dict[str, Any]:
    """The members' accounts: existing demo users, or new ones sharing their password."""
    user_model = get_user_model()
    template = user_model.objects.filter(username="coordinator").first()
    people = {}
    for username, name, *_rest in MEMBERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            first, _sep, last = name.removesuffix(" (fictitious)").partition(" ")
            user = user_model.objects.create_user(
                username=username,
                email=f"{username}@example.org",
                first_name=first,
                last_name=last,
            )
            # Same password as the other demo users (its hash, so it is never seen here).
            if template is not None:
                user.password = template.password
                user.save(update_fields=["password"])
        people[username] = user
    return people


def _backdate(report: PeriodicReport, start: datetime) -> None:
    """Spread the report's history over the days after `start`, one step a day, as if it had
    happened then; each signature and dissent takes the time of its event."""
    for step, event in enumerate(report.events.order_by("at", "pk")):
        at = start + timedelta(days=step)
        ReportEvent.objects.filter(pk=event.pk).update(at=at)
        if event.kind == "signed":
            Signature.objects.filter(report=report, member=event.member_id).update(at=at)
        elif event.kind == "dissented":
            report.dissents.filter(member=event.member_id).update(at=at)
    last = report.events.order_by("-at").values_list("at", flat=True).first()
    PeriodicReport.objects.filter(pk=report.pk).update(created_at=start)
    PeriodicReport.objects.filter(pk=report.pk, status="published").update(published_at=last)


def load(nap: Plan, orgs: dict[str, Organisation], user: Any) -> None:
    """The board of the national plan, one published and one awaiting report."""
    coordinator = get_user_model().objects.filter(username="coordinator").first() or user
    people = _people(orgs)
    board = services.board_save(
        by=coordinator, plan=nap, name=BOARD_NAME, requires_cosignature=True
    )
    for username, name, side, org_code, position in MEMBERS:
        services.member_add(
            by=coordinator,
            board=board,
            user=people[username],
            name=name,
            side=side,
            organisation=orgs[org_code],
            position=position,
            since=date(2024, 1, 15),
        )

    tz = timezone.get_current_timezone()
    published = services.report_create(
        by=coordinator, plan=nap, title="Annual report 2024", period="2024", summary=REPORT_2024
    )
    services.report_submit(by=coordinator, report=published)
    services.report_dissent(by=people["board-rfpk"], report=published, text=DISSENT_2024)
    services.report_sign(by=people["board-mgfe"], report=published)
    services.report_sign(by=people["monitor"], report=published)  # both sides: published
    _backdate(published, datetime.combine(date(2025, 3, 3), time(10), tz))

    awaiting = services.report_create(
        by=coordinator, plan=nap, title="Annual report 2025", period="2025", summary=REPORT_2025
    )
    services.report_submit(by=coordinator, report=awaiting)
    services.report_sign(by=people["board-minjus"], report=awaiting)
    services.report_sign(by=people["focal-police"], report=awaiting)
    _backdate(awaiting, timezone.now() - timedelta(days=6))
