"""A plan's finance in the JSON API: the summary with its breakdowns, the costs, budget lines
and rates, and the writes.

The same selectors and services as the pages, so the same numbers and the same rules: a plan
the caller may not read is a 404, a write they may not make a 403. Bulk writes are all or
nothing: a refused body stores nothing and lists every problem with its row (0-based index
in the body) and field. Writes need a bearer token.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, access_for_api, api_user
from wpsmonitor.core.api import (
    READ_ERRORS,
    ApiError,
    ErrorOut,
    Id,
    Offset,
    Year,
    not_found,
    page_limit,
)
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance import oversight, selectors, services
from wpsmonitor.finance.models import (
    ActionCost,
    BudgetChallenge,
    BudgetLine,
    ChallengeStatus,
    ExchangeRate,
    MoneyAccount,
)

router = Router(tags=["finance"], auth=READ_AUTH)

WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    413: ErrorOut,
}
BULK_MAX_ROWS = 10_000


class StagesOut(Schema):
    costed: Decimal
    allocated: Decimal
    committed: Decimal
    disbursed: Decimal
    spent: Decimal
    allocated_of_costed: float | None = Field(description="allocated / costed")
    execution_rate: float | None = Field(description="spent / allocated")
    costs: int = Field(description="Cost items counted (converted)")
    budget_lines: int = Field(description="Budget lines counted (converted)")


class FinanceRowOut(StagesOut):
    key: str
    label: str


class MarkerOut(Schema):
    marker: str = Field(description="not_screened, 0, 1 or 2")
    label: str
    budget_lines: int
    allocated: Decimal
    share_of_allocated: float | None


class FinanceUnconvertedOut(Schema):
    currency: str
    year: int
    costs: int
    budget_lines: int
    message: str


class FinanceSummaryOut(Schema):
    plan: str
    currency: str = Field(description="The plan's currency: every amount is in it")
    actions: int
    actions_costed: int
    actions_funded: int = Field(description="Actions with at least one budget line")
    costed_share: float | None = Field(description="actions costed / actions")
    total: StagesOut
    national_budget: StagesOut
    external: StagesOut = Field(description="Every funding kind but the national budget")
    national_share_of_allocated: float | None
    earmarked: StagesOut
    earmarked_share_of_allocated: float | None
    by_pillar: list[FinanceRowOut]
    by_year: list[FinanceRowOut]
    by_funder: list[FinanceRowOut] = Field(description="By the budget line's ministry or funder")
    by_responsible_organisation: list[FinanceRowOut]
    by_funding_kind: list[FinanceRowOut]
    gender_marker: list[MarkerOut]
    not_converted: list[FinanceUnconvertedOut] = Field(
        description="Amounts left out of every figure: no rate for their currency and year"
    )


class CostOut(Schema):
    id: int
    action: str
    year: Year
    item: str
    currency: str
    unit_cost: Decimal | None
    quantity: Decimal | None
    lump_sum: Decimal | None
    amount: Decimal = Field(description="In the cost's own currency")


class LineOut(Schema):
    id: int
    action: str
    year: Year
    funding_kind: str
    funder: str | None
    budget_code: str
    currency: str
    allocated: Decimal | None
    committed: Decimal | None
    disbursed: Decimal | None
    spent: Decimal | None
    earmarked: bool
    gender_marker: str
    note: str


class RateOut(Schema):
    currency: str
    year: int
    rate: Decimal = Field(description="Units of the plan's currency per unit")
    source: str


class Paging(Schema):
    limit: int = page_limit(1000, 10_000)
    offset: Offset = 0


class CostsPage(Schema):
    count: int
    items: list[CostOut]


class LinesPage(Schema):
    count: int
    items: list[LineOut]


class CostIn(Schema):
    id: Id | None = Field(None, description="Give it to change that cost; omit to add one")
    action: str
    year: Year
    item: str
    currency: str = Field("", description="ISO 4217; empty: the plan's currency")
    unit_cost: Decimal | None = None
    quantity: Decimal | None = None
    lump_sum: Decimal | None = None


class LineIn(Schema):
    id: Id | None = Field(None, description="Give it to change that line; omit to add one")
    action: str
    year: Year
    funding_kind: str = Field(description="national_budget, donor, un, private or other")
    funder: str = Field("", description="Organisation code")
    budget_code: str = ""
    currency: str = Field("", description="ISO 4217; empty: the plan's currency")
    allocated: Decimal | None = None
    committed: Decimal | None = None
    disbursed: Decimal | None = None
    spent: Decimal | None = None
    earmarked: bool = False
    gender_marker: str = Field("not_screened", description="not_screened, 0, 1 or 2")
    note: str = ""


class RateIn(Schema):
    currency: str
    year: Year
    rate: Decimal
    source: str = ""


class WriteOut(Schema):
    created: int
    updated: int
    dry_run: bool


class DeletedOut(Schema):
    deleted: bool


class CurrencyIn(Schema):
    currency: str


class CurrencyOut(Schema):
    currency: str


class DryRun(Schema):
    dry_run: bool = False


def _bulk(rows: list[Any]) -> list[tuple[int | None, dict[str, Any]]]:
    if len(rows) > BULK_MAX_ROWS:
        raise ApiError(413, _("At most %(n)s rows per request.") % {"n": f"{BULK_MAX_ROWS:,}"})
    return [(index, row.dict()) for index, row in enumerate(rows)]


def _cost(c: ActionCost) -> dict[str, Any]:
    return {
        "id": c.pk,
        "action": c.action.code,
        "year": c.year,
        "item": c.item,
        "currency": c.currency,
        "unit_cost": c.unit_cost,
        "quantity": c.quantity,
        "lump_sum": c.lump_sum,
        "amount": c.amount,
    }


def _line(ln: BudgetLine) -> dict[str, Any]:
    return {
        "id": ln.pk,
        "action": ln.action.code,
        "year": ln.year,
        "funding_kind": ln.funding_kind,
        "funder": ln.funder.code if ln.funder else None,
        "budget_code": ln.budget_code,
        "currency": ln.currency,
        "allocated": ln.allocated,
        "committed": ln.committed,
        "disbursed": ln.disbursed,
        "spent": ln.spent,
        "earmarked": ln.earmarked,
        "gender_marker": ln.gender_marker,
        "note": ln.note,
    }


@router.get(
    "/plans/{plan}/finance",
    response={200: FinanceSummaryOut, **READ_ERRORS},
    summary="Share of the plan costed, allocated vs costed, execution rate; by pillar, year, "
    "funder, responsible organisation and funding source; earmarked; gender markers",
    operation_id="finance_summary",
)
def summary(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = access_for_api(request, plan)
    return selectors.summary_data(selectors.finance_summary(access.plan))


@router.get(
    "/plans/{plan}/finance/costs",
    response={200: CostsPage, **READ_ERRORS},
    summary="The plan's costed items, in action and year order",
    operation_id="finance_costs",
)
def list_costs(request: HttpRequest, plan: str, paging: Query[Paging]) -> dict[str, Any]:
    access = access_for_api(request, plan)
    items = ActionCost.objects.filter(action__plan=access.plan).select_related("action")
    window = items[paging.offset : paging.offset + paging.limit]
    return {"count": items.count(), "items": [_cost(c) for c in window]}


@router.get(
    "/plans/{plan}/finance/budget-lines",
    response={200: LinesPage, **READ_ERRORS},
    summary="The plan's budget lines, in action and year order",
    operation_id="finance_budget_lines",
)
def list_lines(request: HttpRequest, plan: str, paging: Query[Paging]) -> dict[str, Any]:
    access = access_for_api(request, plan)
    items = BudgetLine.objects.filter(action__plan=access.plan).select_related("action", "funder")
    window = items[paging.offset : paging.offset + paging.limit]
    return {"count": items.count(), "items": [_line(ln) for ln in window]}


@router.get(
    "/plans/{plan}/finance/rates",
    response={200: list[RateOut], **READ_ERRORS},
    summary="The plan's exchange rates (units of the plan's currency per unit)",
    operation_id="finance_rates",
)
def list_rates(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    access = access_for_api(request, plan)
    return [
        {"currency": r.currency, "year": r.year, "rate": r.rate, "source": r.source}
        for r in ExchangeRate.objects.filter(plan=access.plan).order_by("currency", "year")
    ]


def _write_rows(
    request: HttpRequest, plan: str, kind: str, rows: list[Any], dry_run: bool
) -> dict[str, Any]:
    """Costs or budget lines (`kind`), through the same all-or-nothing service as the workbook."""
    access = access_for_api(request, plan)
    result = services.finance_rows_apply(
        by=api_user(request),
        plan=access.plan,
        dry_run=dry_run,
        **{kind: rows},
    )
    return {"created": result.created[kind], "updated": result.updated[kind], "dry_run": dry_run}


@router.post(
    "/plans/{plan}/finance/costs",
    auth=WRITE_AUTH,
    response={200: WriteOut, **WRITE_ERRORS},
    summary="Add or change costs, all or nothing (coordinators; focal points for their "
    "organisation's actions)",
    operation_id="finance_costs_write",
)
def write_costs(
    request: HttpRequest, plan: str, body: list[CostIn], options: Query[DryRun]
) -> dict[str, Any]:
    return _write_rows(request, plan, "costs", _bulk(body), options.dry_run)


@router.post(
    "/plans/{plan}/finance/budget-lines",
    auth=WRITE_AUTH,
    response={200: WriteOut, **WRITE_ERRORS},
    summary="Add or change budget lines, all or nothing (coordinators; focal points for "
    "their organisation's actions)",
    operation_id="finance_budget_lines_write",
)
def write_lines(
    request: HttpRequest, plan: str, body: list[LineIn], options: Query[DryRun]
) -> dict[str, Any]:
    return _write_rows(request, plan, "lines", _bulk(body), options.dry_run)


@router.put(
    "/plans/{plan}/finance/rates",
    auth=WRITE_AUTH,
    response={200: WriteOut, **WRITE_ERRORS},
    summary="Enter or replace exchange rates, all or nothing (coordinators)",
    operation_id="finance_rates_write",
)
def write_rates(
    request: HttpRequest, plan: str, body: list[RateIn], options: Query[DryRun]
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    rows = _bulk(body)
    result = services.finance_rows_apply(
        by=api_user(request),
        plan=access.plan,
        rates=rows,
        dry_run=options.dry_run,
    )
    return {
        "created": result.created["rates"],
        "updated": result.updated["rates"],
        "dry_run": options.dry_run,
    }


@router.put(
    "/plans/{plan}/finance/currency",
    auth=WRITE_AUTH,
    response={200: CurrencyOut, **WRITE_ERRORS},
    summary="Set the plan's currency, while it has no exchange rates (coordinators)",
    operation_id="finance_currency_set",
)
def set_currency(request: HttpRequest, plan: str, body: CurrencyIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    finance = services.plan_currency_set(
        by=api_user(request),
        plan=access.plan,
        currency=body.currency,
    )
    return {"currency": finance.currency}


@router.delete(
    "/plans/{plan}/finance/costs/{pk}",
    auth=WRITE_AUTH,
    response={200: DeletedOut, **WRITE_ERRORS},
    summary="Delete a cost",
    operation_id="finance_cost_delete",
)
def delete_cost(request: HttpRequest, plan: str, pk: Id) -> dict[str, bool]:
    access = access_for_api(request, plan)
    cost = (
        ActionCost.objects.filter(pk=pk, action__plan=access.plan).select_related("action").first()
    )
    if cost is None:
        raise not_found(_("No cost %(id)s in this plan.") % {"id": pk})
    services.cost_delete(by=api_user(request), cost=cost)
    return {"deleted": True}


@router.delete(
    "/plans/{plan}/finance/budget-lines/{pk}",
    auth=WRITE_AUTH,
    response={200: DeletedOut, **WRITE_ERRORS},
    summary="Delete a budget line",
    operation_id="finance_budget_line_delete",
)
def delete_line(request: HttpRequest, plan: str, pk: Id) -> dict[str, bool]:
    access = access_for_api(request, plan)
    line = (
        BudgetLine.objects.filter(pk=pk, action__plan=access.plan).select_related("action").first()
    )
    if line is None:
        raise not_found(_("No budget line %(id)s in this plan.") % {"id": pk})
    services.budget_line_delete(by=api_user(request), line=line)
    return {"deleted": True}


@router.delete(
    "/plans/{plan}/finance/rates/{currency}/{year}",
    auth=WRITE_AUTH,
    response={200: DeletedOut, **WRITE_ERRORS},
    summary="Delete an exchange rate (coordinators)",
    operation_id="finance_rate_delete",
)
def delete_rate(request: HttpRequest, plan: str, currency: str, year: Year) -> dict[str, bool]:
    access = access_for_api(request, plan)
    rate = ExchangeRate.objects.filter(
        plan=access.plan, currency=currency.upper(), year=year
    ).first()
    if rate is None:
        raise not_found(
            _("No %(currency)s rate for %(year)s.") % {"currency": currency, "year": year}
        )
    services.rate_delete(by=api_user(request), rate=rate)
    return {"deleted": True}


# ----------------------------------------------------------------------------- civil society
# Civil society on the budget (docs/oversight.md): its accounts of the money, its challenges on
# budget lines with their exchange, and the budget divergence view; the writes through the same
# services as the pages (rights checked there: a 403 for a wrong role). A draft the caller may
# not read answers 404, as if it did not exist.


class MoneyFileOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    public: bool = Field(description="Shown with the account once it is published")
    download: str = Field(description="The address that serves it (the same rights)")


class MoneyAccountOut(Schema):
    id: int
    organisation: str = Field(description="The civil-society organisation's code")
    action: str
    line: int | None = Field(description="The budget line's id; null: the action as a whole")
    allocated: Decimal | None = Field(description="In the plan's currency")
    released: Decimal | None = Field(description="In the plan's currency")
    reached: Decimal | None = Field(description="Reached the field, in the plan's currency")
    evidence: str
    link: str
    observed_on: str
    published: bool
    files: list[MoneyFileOut] = Field(description="The files of evidence the caller may download")


class MoneyAccountIn(Schema):
    organisation: str = Field(
        "", description="Your civil-society organisation's code (ignored when changing a draft)"
    )
    line: Id | None = Field(None, description="The budget line's id; omit for an action")
    action: str = Field("", description="The action's code, for an account of the action")
    allocated: Decimal | None = Field(None, description="In the plan's currency")
    released: Decimal | None = Field(None, description="In the plan's currency")
    reached: Decimal | None = Field(None, description="Reached the field, in the plan's currency")
    evidence: str = Field(
        description="What was seen, where, from whom (no names of people at risk)"
    )
    link: str = ""
    observed_on: str = Field(description="YYYY-MM-DD, not in the future")


class ChallengeIn(Schema):
    organisation: str = Field(description="Your civil-society organisation's code")
    line: Id = Field(description="The budget line's id")
    subject: str
    text: str = Field(description="Your question or objection")


class ChallengeStepIn(Schema):
    text: str


class ChallengeMessageOut(Schema):
    kind: str = Field(description="question, answer, dispute or resolution")
    text: str
    organisation: str | None = Field(description="Who spoke; null: the plan's coordinator")
    at: str


class ChallengeOut(Schema):
    id: int
    line: int
    action: str
    organisation: str
    addressee: str | None
    subject: str
    status: str = Field(description="open, answered, disputed or resolved")
    opened_at: str
    messages: list[ChallengeMessageOut]


class LineOversightOut(Schema):
    line: LineOut
    accounts: list[MoneyAccountOut]
    challenges: list[ChallengeOut]


class StageGapOut(Schema):
    stage: str = Field(description="Civil society's stage: allocated, released or reached")
    government: Decimal | None
    civil_society: Decimal | None
    absolute: Decimal | None
    relative: float | None = Field(description="|g - c| / max(g, c); 0 the same")


class BudgetDivergenceOut(Schema):
    line: int
    action: str
    year: int
    organisation: str
    observed_on: str
    stages: list[StageGapOut]


class BudgetDivergencePage(Schema):
    currency: str
    items: list[BudgetDivergenceOut]
    not_converted: list[int] = Field(description="Lines not compared: no rate for their year")


class ChallengeParams(Schema):
    status: str | None = Field(None, max_length=10)


def _account_out(a: MoneyAccount, access: PlanAccess) -> dict[str, Any]:
    return {
        "id": a.pk,
        "organisation": a.organisation.code,
        "action": a.action.code,
        "line": a.line_id,
        "allocated": a.allocated,
        "released": a.released,
        "reached": a.reached,
        "evidence": a.evidence,
        "link": a.link,
        "observed_on": a.observed_on.isoformat(),
        "published": a.published_at is not None,
        "files": [
            {
                "id": f.pk,
                "filename": f.filename,
                "content_type": f.content_type,
                "size": f.size,
                "public": f.public,
                "download": reverse("finance:money_file", args=[access.plan.code, f.pk]),
            }
            for f in a.files.all()
            if access.can_download_money_account_file(f)
        ],
    }


def _challenge_out(c: BudgetChallenge) -> dict[str, Any]:
    return {
        "id": c.pk,
        "line": c.line_id,
        "action": c.line.action.code,
        "organisation": c.organisation.code,
        "addressee": c.addressee.code if c.addressee else None,
        "subject": c.subject,
        "status": c.status,
        "opened_at": c.opened_at.isoformat(),
        "messages": [
            {
                "kind": m.kind,
                "text": m.text,
                "organisation": m.organisation.code if m.organisation else None,
                "at": m.created_at.isoformat(),
            }
            for m in c.messages.all()
        ],
    }


@router.get(
    "/plans/{plan}/finance/budget-lines/{pk}/civil-society",
    response={200: LineOversightOut, **READ_ERRORS},
    summary="A budget line with civil society's accounts of it (and of its action) and the "
    "challenges on it",
    operation_id="finance_line_civil_society",
)
def line_oversight(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    access = access_for_api(request, plan)
    line = (
        BudgetLine.objects.filter(pk=pk, action__plan=access.plan)
        .select_related("action", "funder")
        .first()
    )
    if line is None:
        raise not_found(_("No budget line %(id)s in this plan.") % {"id": pk})
    accounts = oversight.visible_accounts(access).filter(
        Q(line=line) | Q(action=line.action, line__isnull=True)
    )
    return {
        "line": _line(line),
        "accounts": [_account_out(a, access) for a in accounts],
        "challenges": [
            _challenge_out(c) for c in oversight.challenges(access.plan).filter(line=line)
        ],
    }


@router.get(
    "/plans/{plan}/finance/money-accounts",
    response={200: list[MoneyAccountOut], **READ_ERRORS},
    summary="Civil society's accounts of the money the caller may read (published ones, and "
    "their own organisation's drafts)",
    operation_id="finance_money_accounts",
)
def list_money_accounts(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    access = access_for_api(request, plan)
    return [_account_out(a, access) for a in oversight.visible_accounts(access)]


@router.get(
    "/plans/{plan}/finance/challenges",
    response={200: list[ChallengeOut], **READ_ERRORS},
    summary="Civil society's challenges on the plan's budget lines, with their exchange",
    operation_id="finance_challenges",
)
def list_challenges(
    request: HttpRequest, plan: str, params: Query[ChallengeParams]
) -> list[dict[str, Any]]:
    access = access_for_api(request, plan)
    items = oversight.challenges(access.plan)
    if params.status:
        if params.status not in ChallengeStatus.values:
            raise ApiError(
                400,
                _("Unknown status: choose one of %(values)s.")
                % {"values": ", ".join(ChallengeStatus.values)},
            )
        items = items.filter(status=params.status)
    return [_challenge_out(c) for c in items]


@router.get(
    "/plans/{plan}/finance/divergence",
    response={200: BudgetDivergencePage, **READ_ERRORS},
    summary="Where the government's and civil society's accounts of the money differ most",
    operation_id="finance_budget_divergence",
)
def budget_divergence(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = access_for_api(request, plan)
    found = oversight.budget_divergence(access.plan)
    return {
        "currency": found.currency,
        "items": [
            {
                "line": d.line.pk,
                "action": d.line.action.code,
                "year": d.line.year,
                "organisation": d.account.organisation.code,
                "observed_on": d.account.observed_on.isoformat(),
                "stages": [
                    {
                        "stage": s.stage,
                        "government": s.government,
                        "civil_society": s.civil_society,
                        "absolute": s.absolute,
                        "relative": s.relative,
                    }
                    for s in d.stages
                ],
            }
            for d in found.divergences
        ],
        "not_converted": [ln.pk for ln in found.not_converted],
    }


def _organisation(code: str) -> Organisation:
    found = Organisation.objects.filter(code=code.strip()).first() if code.strip() else None
    if found is None:
        raise ValidationError({"organisation": _("No organisation with this code.")})
    return found


def _visible_account(access: PlanAccess, pk: int) -> MoneyAccount:
    account = oversight.visible_accounts(access).filter(pk=pk).first()
    if account is None:
        raise not_found(_("No account %(id)s in this plan.") % {"id": pk})
    return account


def _account_data(body: MoneyAccountIn) -> dict[str, Any]:
    return body.dict(exclude={"organisation"})


def _reread(access: PlanAccess, pk: int) -> dict[str, Any]:
    return _account_out(_visible_account(access, pk), access)


@router.post(
    "/plans/{plan}/finance/money-accounts",
    auth=WRITE_AUTH,
    response={200: MoneyAccountOut, **WRITE_ERRORS},
    summary="Give your organisation's account of the money, as a draft (its civil-society "
    "monitors)",
    operation_id="finance_money_account_create",
)
def create_money_account(request: HttpRequest, plan: str, body: MoneyAccountIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    saved = services.money_account_save(
        by=api_user(request),
        plan=access.plan,
        organisation=_organisation(body.organisation),
        data=_account_data(body),
    )
    return _reread(access, saved.pk)


@router.put(
    "/plans/{plan}/finance/money-accounts/{pk}",
    auth=WRITE_AUTH,
    response={200: MoneyAccountOut, **WRITE_ERRORS},
    summary="Change a draft account (its organisation's monitors; a published account is "
    "never changed: give a new one)",
    operation_id="finance_money_account_change",
)
def change_money_account(
    request: HttpRequest, plan: str, pk: Id, body: MoneyAccountIn
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    account = _visible_account(access, pk)
    services.money_account_save(
        by=api_user(request),
        plan=access.plan,
        organisation=account.organisation,
        data=_account_data(body),
        account=account,
    )
    return _reread(access, pk)


@router.post(
    "/plans/{plan}/finance/money-accounts/{pk}/publish",
    auth=WRITE_AUTH,
    response={200: MoneyAccountOut, **WRITE_ERRORS},
    summary="Publish a draft account: public from now on, and never changed",
    operation_id="finance_money_account_publish",
)
def publish_money_account(request: HttpRequest, plan: str, pk: Id) -> dict[str, Any]:
    access = access_for_api(request, plan)
    services.money_account_publish(by=api_user(request), account=_visible_account(access, pk))
    return _reread(access, pk)


@router.post(
    "/plans/{plan}/finance/money-accounts/{pk}/files",
    auth=WRITE_AUTH,
    response={200: MoneyAccountOut, **WRITE_ERRORS},
    summary="Attach a file of evidence to a draft account (multipart form: file, public); "
    "PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS or CSV",
    operation_id="finance_money_account_file_attach",
)
def attach_money_account_file(
    request: HttpRequest,
    plan: str,
    pk: Id,
    file: File[UploadedFile],
    public: Form[bool] = False,
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    services.money_account_file_attach(
        by=api_user(request), account=_visible_account(access, pk), upload=file, public=public
    )
    return _reread(access, pk)


def _challenge_of(access: PlanAccess, pk: int) -> BudgetChallenge:
    challenge = oversight.challenges(access.plan).filter(pk=pk).first()
    if challenge is None:
        raise not_found(_("No challenge %(id)s in this plan.") % {"id": pk})
    return challenge


@router.post(
    "/plans/{plan}/finance/challenges",
    auth=WRITE_AUTH,
    response={200: ChallengeOut, **WRITE_ERRORS},
    summary="Open a challenge on a budget line in your organisation's name (its civil-society "
    "monitors); public at once",
    operation_id="finance_challenge_open",
)
def open_challenge(request: HttpRequest, plan: str, body: ChallengeIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    line = (
        BudgetLine.objects.filter(pk=body.line, action__plan=access.plan)
        .select_related("action__plan", "action__responsible_organisation", "funder")
        .first()
    )
    if line is None:
        raise ValidationError({"line": _("No such budget line in this plan.")})
    challenge = services.budget_challenge_open(
        by=api_user(request),
        line=line,
        organisation=_organisation(body.organisation),
        subject=body.subject,
        text=body.text,
    )
    return _challenge_out(_challenge_of(access, challenge.pk))


def _challenge_step(
    request: HttpRequest, plan: str, pk: int, body: ChallengeStepIn, step: Any
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    step(by=api_user(request), challenge=_challenge_of(access, pk), text=body.text)
    return _challenge_out(_challenge_of(access, pk))


@router.post(
    "/plans/{plan}/finance/challenges/{pk}/answer",
    auth=WRITE_AUTH,
    response={200: ChallengeOut, **WRITE_ERRORS},
    summary="Answer an open or disputed challenge (the addressed ministry's focal points, or "
    "the coordinator)",
    operation_id="finance_challenge_answer",
)
def answer_challenge(
    request: HttpRequest, plan: str, pk: Id, body: ChallengeStepIn
) -> dict[str, Any]:
    return _challenge_step(request, plan, pk, body, services.budget_challenge_answer)


@router.post(
    "/plans/{plan}/finance/challenges/{pk}/dispute",
    auth=WRITE_AUTH,
    response={200: ChallengeOut, **WRITE_ERRORS},
    summary="Dispute the answer, saying why (the monitors of the organisation that opened it)",
    operation_id="finance_challenge_dispute",
)
def dispute_challenge(
    request: HttpRequest, plan: str, pk: Id, body: ChallengeStepIn
) -> dict[str, Any]:
    return _challenge_step(request, plan, pk, body, services.budget_challenge_dispute)


@router.post(
    "/plans/{plan}/finance/challenges/{pk}/resolve",
    auth=WRITE_AUTH,
    response={200: ChallengeOut, **WRITE_ERRORS},
    summary="Close the challenge as resolved, saying why (the monitors of the organisation "
    "that opened it); final",
    operation_id="finance_challenge_resolve",
)
def resolve_challenge(
    request: HttpRequest, plan: str, pk: Id, body: ChallengeStepIn
) -> dict[str, Any]:
    return _challenge_step(request, plan, pk, body, services.budget_challenge_resolve)
