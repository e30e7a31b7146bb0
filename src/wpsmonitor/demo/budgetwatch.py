"""Demo data: civil society on the budget (docs/oversight.md), fictitious and labelled so.

The demo's `monitor` (CFPL's monitor in the demo) gives CFPL's account of the money of two
national budget lines (less released and less reaching the field than the ministry says), and
opens a challenge on each, addressed to the line's ministry. A focal point of that ministry
answers both; the first stays answered, and CFPL disputes the answer to the second. The first account
carries one small generated PDF, marked public (a fictitious treasury statement: nobody in it).
Everything goes through finance.services, as the people would on the line's page.

Integration point: `budgetwatch_load(plan)`, called by the demo builder after the finance part.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance import services
from wpsmonitor.finance.currency import plan_currency
from wpsmonitor.finance.models import BudgetLine, FundingKind, MoneyAccount
from wpsmonitor.plans.models import Plan

LABEL = "(Fictitious demonstration data.)"
MONITOR = "monitor"
CENT = Decimal("0.01")


def _focal_points(plan: Plan) -> dict[int, Any]:
    """The first focal point (by username) of each organisation on the plan."""
    found: dict[int, Any] = {}
    for role in (
        PlanRole.objects.filter(plan=plan, role=Role.FOCAL_POINT, organisation__isnull=False)
        .select_related("user")
        .order_by("user__username")
    ):
        assert role.organisation_id is not None
        found.setdefault(role.organisation_id, role.user)
    return found


def statement_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` (ASCII) in Helvetica, written by hand: no PDF library."""
    text = "".join(
        "({}) Tj T* ".format(line.replace("\\", "").replace("(", "\\(").replace(")", "\\)"))
        for line in lines
    )
    stream = f"BT /F1 11 Tf 14 TL 56 780 Td {text}ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _statement(line: BudgetLine, released: Decimal, reached: Decimal) -> SimpleUploadedFile:
    content = statement_pdf(
        [
            LABEL,
            "Provincial treasury statement, as copied by the monitors",
            f"Action {line.action.code}, year {line.year}, line {line.budget_code or line.pk}",
            f"Released to the province: {released.quantize(CENT)} {line.currency}",
            f"Traced to the beneficiary centres: {reached.quantize(CENT)} {line.currency}",
        ]
    )
    return SimpleUploadedFile("treasury-statement.pdf", content, content_type="application/pdf")


def budgetwatch_load(plan: Plan) -> int:
    """Load the demo's civil-society account and challenges on two budget lines of `plan`;
    the number of accounts and challenges made (0 when there is nobody to play them, or when
    they are already there)."""
    monitor = get_user_model()._default_manager.filter(username=MONITOR).first()
    role = (
        PlanRole.objects.filter(plan=plan, user=monitor, role=Role.MONITOR)
        .select_related("organisation")
        .first()
        if monitor is not None
        else None
    )
    if monitor is None or role is None or role.organisation is None:
        return 0
    organisation: Organisation = role.organisation
    if MoneyAccount.objects.filter(plan=plan, organisation=organisation).exists():
        return 0
    focal = _focal_points(plan)
    lines = list(
        BudgetLine.objects.filter(
            action__plan=plan,
            funding_kind=FundingKind.NATIONAL_BUDGET,
            funder_id__in=list(focal),
            year__lte=timezone.localdate().year,
            spent__isnull=False,
            currency=plan_currency(plan),
        )
        .select_related("action", "funder")
        .order_by("year", "action__code", "pk")[:2]
    )
    made = 0
    today = timezone.localdate()
    for index, line in enumerate(lines):
        assert line.spent is not None and line.funder_id is not None
        released = (line.disbursed or line.spent) * Decimal("0.6")
        reached = line.spent * Decimal("0.4")
        account = services.money_account_save(
            by=monitor,
            plan=plan,
            organisation=organisation,
            data={
                "line": line.pk,
                "allocated": line.allocated,
                "released": released.quantize(CENT),
                "reached": reached.quantize(CENT),
                "evidence": f"{LABEL} Provincial treasury statements and visits to three "
                "beneficiary centres: less money arrived than the ministry reports.",
                "observed_on": today,
            },
            files=[_statement(line, released, reached)] if index == 0 else [],
            files_public=True,
        )
        services.money_account_publish(by=monitor, account=account)
        challenge = services.budget_challenge_open(
            by=monitor,
            line=line,
            organisation=organisation,
            subject=f"{LABEL} Where did the rest of line {line.budget_code or line.pk} go?",
            text=f"{LABEL} We traced {reached.quantize(CENT)} reaching the field, against "
            f"{line.spent} reported as spent. Please publish the payment orders.",
        )
        answerer = focal[line.funder_id]
        services.budget_challenge_answer(
            by=answerer,
            challenge=challenge,
            text=f"{LABEL} Part of the money paid the salaries of shelter staff, which centres "
            "do not see. The payment orders are attached to the ministry's annual report.",
        )
        if index == 1:
            # The first stays answered, awaiting CFPL's reading (issue 19's demo: one answered,
            # one disputed).
            services.budget_challenge_dispute(
                by=monitor,
                challenge=challenge,
                text=f"{LABEL} The annual report lists no payment order for this line.",
            )
        made += 2
    return made
