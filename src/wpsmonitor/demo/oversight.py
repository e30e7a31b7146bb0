"""Demo data: auditing bodies and parliament (docs/oversight.md, "Auditing bodies and
parliament"). FICTITIOUS, labelled as demonstration data: an audit of the plan's money by a
supreme audit institution with three findings, and a parliamentary hearing with two
commitments, each followed in the recommendation tracker; both published for the portal.

Two demo users are given the oversight roles by the demo administrator (who grants them as a
coordinator would): `auditor`, for the audit institution, records the audit and its findings;
`parliament`, for the gender committee, records the hearing and its commitments. Everything
goes through the services. The integrator calls `oversight_load(plan)` from the demo builder.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from wpsmonitor.accounts.models import Role
from wpsmonitor.demo.clock import dated
from wpsmonitor.demo.reporting import DEMO_REASON, admin_ensure, user_ensure
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.oversight import services
from wpsmonitor.oversight.models import Audit
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.reporting import services as reporting

AUDIT_TITLE = "Demo (fictitious): audit of the plan's 2025 spending"
HEARING_TITLE = "Demo (fictitious): hearing on the plan's second year"
BODIES = [
    # (code, name, type)
    ("demo-cour-comptes", "Demo (fictitious): Court of Audit", "government"),
    (
        "demo-commission-genre",
        "Demo (fictitious): Gender Committee of the National Assembly",
        "parliament",
    ),
]


def _body(code: str, name: str, kind: str, plan: Plan) -> Organisation:
    found, _created = Organisation.objects.get_or_create(
        code=code,
        defaults={"name": name, "type": kind, "country": plan.area, "original_language": "en"},
    )
    return found


def _addressees(plan: Plan) -> list[Organisation]:
    found = list(Organisation.objects.filter(code__in=["demo-mgfe", "demo-pnc"]).order_by("code"))
    if not found and plan.lead_organisation is not None:
        found = [plan.lead_organisation]
    return found or [Organisation.objects.order_by("pk").first()]  # type: ignore[list-item]


def oversight_load(plan: Plan) -> int:
    """Record the demo audit and hearing under `plan`; returns the number of rows recorded
    (0 when the plan already has them)."""
    if Audit.objects.filter(plan=plan, title=AUDIT_TITLE).exists():
        return 0
    today = timezone.localdate()  # the dates as written, moved back on an earlier clock
    admin = admin_ensure()[0]
    court, committee = (_body(code, name, kind, plan) for code, name, kind in BODIES)
    auditor = user_ensure("auditor", None)
    member = user_ensure("parliament", None)
    for user, role, body in ((auditor, Role.AUDITOR, court), (member, Role.PARLIAMENT, committee)):
        reporting.role_grant(
            by=admin, plan=plan, user=user, role=role, organisation=body, reason=DEMO_REASON
        )
    addressees = _addressees(plan)
    line = BudgetLine.objects.filter(action__plan=plan).select_related("action").first()
    action = (
        line.action if line else FrameworkNode.objects.filter(plan=plan).order_by("path").last()
    )
    audit = services.audit_record(
        by=auditor,
        plan=plan,
        body=court,
        title=AUDIT_TITLE,
        held_on=dated(date(2026, 3, 15), today),
        scope="Demo (fictitious): allocations, disbursements and their evidence for 2025.",
    )
    rows = 1
    findings = [
        (
            "high",
            "Demo (fictitious): disbursements for this action lack supporting documents.",
            "File the payment vouchers for every disbursement within 30 days.",
            line,
        ),
        (
            "medium",
            "Demo (fictitious): spending is reported a year late to the secretariat.",
            "Report spending to the plan's secretariat each quarter.",
            None,
        ),
        (
            "low",
            "Demo (fictitious): budget codes differ between ministries.",
            "Use the finance ministry's budget codes for every line of the plan.",
            None,
        ),
    ]
    for severity, text, recommendation, budget_line in findings:
        services.finding_record(
            by=auditor,
            audit=audit,
            text=text,
            severity=severity,
            recommendation=recommendation,
            addressees=addressees,
            action=action if budget_line is not None or severity == "medium" else None,
            budget_line=budget_line,
            due_on=dated(date(2026, 9, 30), today),
        )
        rows += 2
    hearing = services.hearing_record(
        by=member,
        plan=plan,
        committee=committee,
        title=HEARING_TITLE,
        held_on=dated(date(2026, 4, 22), today),
        testified="Demo (fictitious): the minister of gender; the plan's coordinator.",
        questions=(
            "Demo (fictitious): why are the women's protection desks not funded?\n"
            "When will the plan's mid-term review be published?"
        ),
    )
    rows += 1
    for text in (
        "Fund the women's protection desks in the 2027 budget.",
        "Publish the mid-term review before the end of the year.",
    ):
        services.commitment_record(
            by=member,
            hearing=hearing,
            text=text,
            addressees=addressees[:1],
            due_on=dated(date(2026, 12, 31), today),
        )
        rows += 2
    # Both are published for the public portal (`/plans/<code>/public/oversight/`): final
    # from then on; the tracker still follows their recommendations.
    services.audit_publish(by=auditor, audit=audit)
    services.hearing_publish(by=member, hearing=hearing)
    return rows
