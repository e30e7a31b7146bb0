"""Writes on costs, budget lines, exchange rates and the plan's currency.

Every write checks the caller's rights (`PlanAccess.can_manage_finance`, `can_edit_action_finance`);
refusals raise PermissionDenied, bad input ValidationError or FinanceInputError, and nothing is
changed in either case: rows are all checked before anything is saved, inside one transaction.

The pages' forms, the API's bulk writes and the workbook import all go through the same row
checks (`RowChecker`), so a value refused in one is refused in all, with the same message.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import InputProblems, LocatedProblem
from wpsmonitor.core.services import service
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance import evidence as evidence_files
from wpsmonitor.finance import oversight
from wpsmonitor.finance.currency import plan_currency
from wpsmonitor.finance.models import (
    ActionCost,
    BudgetChallenge,
    BudgetLine,
    ChallengeMessage,
    ChallengeStatus,
    ExchangeRate,
    FundingKind,
    GenderMarker,
    MessageKind,
    MoneyAccount,
    MoneyAccountFile,
    PlanFinance,
)
from wpsmonitor.finance.parsing import (
    cell_text,
    currency_code,
    parse_bool,
    parse_choice,
    parse_decimal,
    parse_year,
)
from wpsmonitor.plans.models import FrameworkNode, Plan

# Money fields hold 18 digits with 2 decimals; rates 20 with 8.
MONEY_PLACES = 2
MONEY_MAX = Decimal(10) ** 16
RATE_PLACES = 8
RATE_MAX = Decimal(10) ** 12
QUANTITY_MAX = Decimal(10) ** 12
RATE_YEARS = (1900, 2100)

COST_FIELDS = ("id", "action", "year", "item", "currency", "unit_cost", "quantity", "lump_sum")
LINE_FIELDS = (
    "id",
    "action",
    "year",
    "funding_kind",
    "funder",
    "budget_code",
    "currency",
    "allocated",
    "committed",
    "disbursed",
    "spent",
    "earmarked",
    "gender_marker",
    "note",
)
RATE_FIELDS = ("currency", "year", "rate", "source")


# ----------------------------------------------------------------------------- rights


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


# ----------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (section, row, column) and what."""

    section: str  # Costs, BudgetLines, Rates (the workbook's sheet names)
    row: int | None  # the sheet's row number, or the index in an API body; None for a form
    column: str
    message: str

    def __str__(self) -> str:
        where = ":".join(
            str(p) for p in (self.section, self.row, self.column) if p not in (None, "")
        )
        return f"{where}: {self.message}" if where else self.message

    def located(self) -> LocatedProblem:
        """As the API shows it: the row (the index in its body) and the column."""
        return LocatedProblem(self.row, self.column or None, self.message)


class FinanceInputError(InputProblems):
    """The input is refused; `problems` lists every reason, located. The API answers 400 with
    the count and the first IMPORT_MAX_ERRORS of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems[:20]))
        self.problems = problems

    def summary(self) -> str:
        return _("Nothing was stored: %(n)s problem(s).") % {"n": len(self.problems)}

    def located(self) -> list[LocatedProblem]:
        return [p.located() for p in self.problems[: settings.IMPORT_MAX_ERRORS]]


# InputProblems first: the API answers with the rows at fault, not a bare PermissionDenied's 403.
class FinanceForbidden(InputProblems, PermissionDenied):
    """Some rows touch actions the caller may not edit; `problems` locates them. The API
    answers 403 listing them all."""

    status = 403

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("You may not do this."))
        self.problems = problems

    def located(self) -> list[LocatedProblem]:
        return [p.located() for p in self.problems]


# ----------------------------------------------------------------------------- currency


@service
def plan_currency_set(*, by: User, plan: Plan, currency: str) -> PlanFinance:
    """Choose the plan's currency. Rates are in units of it, so it changes only while the plan
    has no rates (delete them first): otherwise every conversion would silently be wrong."""
    _require(PlanAccess.load(by, plan).can_manage_finance())
    code = currency_code(currency)
    finance, _created = PlanFinance.objects.select_for_update().get_or_create(
        plan=plan, defaults={"currency": code}
    )
    if finance.currency != code:
        if ExchangeRate.objects.filter(plan=plan).exists():
            raise ValidationError(
                _(
                    "The exchange rates are in %(old)s: delete them before changing the plan's "
                    "currency to %(new)s."
                )
                % {"old": finance.currency, "new": code}
            )
        finance.currency = code
        finance.save(update_fields=["currency"])
    return finance


# ----------------------------------------------------------------------------- row checks


def _marker(raw: Any) -> str:
    # Spreadsheets give 0, 1, 2 as numbers; an empty cell is "not screened", never 0.
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = cell_text(raw)
    return parse_choice(raw, GenderMarker.values, empty=GenderMarker.NOT_SCREENED)


class RowChecker:
    """Checks rows of costs, budget lines and rates for one plan and turns them into unsaved
    objects, collecting every problem. Reference data (actions, organisations, existing rows)
    is read once per checker, so a workbook of thousands of rows costs a handful of queries."""

    def __init__(self, plan: Plan, access: PlanAccess) -> None:
        self.plan = plan
        self.access = access
        self.currency = plan_currency(plan)
        self.years = (plan.start.year, plan.end.year)
        self.problems: list[Problem] = []
        self.forbidden: list[Problem] = []
        self._actions: dict[str, FrameworkNode] | None = None
        self._orgs: dict[str, Organisation] | None = None

    # reference data, loaded on first use

    @property
    def actions(self) -> dict[str, FrameworkNode]:
        if self._actions is None:
            self._actions = {
                n.code: n
                for n in FrameworkNode.objects.filter(
                    plan=self.plan, level__holds_actions=True
                ).only("pk", "code", "title", "responsible_organisation_id", "plan_id")
            }
        return self._actions

    @property
    def organisations(self) -> dict[str, Organisation]:
        if self._orgs is None:
            self._orgs = {
                o.code.lower(): o for o in Organisation.objects.only("pk", "code", "name")
            }
        return self._orgs

    # helpers

    def _field(self, section: str, row: int | None, column: str, call: Any) -> Any:
        try:
            return call()
        except ValidationError as exc:
            for message in exc.messages:
                self.problems.append(Problem(section, row, column, str(message)))
            return None

    def _action(self, section: str, row: int | None, raw: Any) -> FrameworkNode | None:
        code = cell_text(raw)
        if not code:
            self.problems.append(Problem(section, row, "action", _("Give the action's code.")))
            return None
        action = self.actions.get(code)
        if action is None:
            self.problems.append(
                Problem(
                    section,
                    row,
                    "action",
                    _("%(code)s is not an action of this plan.") % {"code": code[:64]},
                )
            )
            return None
        if not self.access.can_edit_action_finance(action.responsible_organisation_id):
            self.forbidden.append(
                Problem(
                    section,
                    row,
                    "action",
                    _("You may not edit the finance of action %(code)s.") % {"code": code},
                )
            )
            return None
        return action

    def _year(self, section: str, row: int | None, raw: Any) -> int | None:
        year: int | None = self._field(section, row, "year", lambda: parse_year(raw, *self.years))
        return year

    def _money(self, section: str, row: int | None, column: str, raw: Any) -> Decimal | None:
        amount: Decimal | None = self._field(
            section,
            row,
            column,
            lambda: parse_decimal(raw, places=MONEY_PLACES, maximum=MONEY_MAX),
        )
        return amount

    def _currency(self, section: str, row: int | None, raw: Any) -> str | None:
        if cell_text(raw) == "":
            return self.currency  # empty: the plan's own currency, which needs no rate
        code: str | None = self._field(section, row, "currency", lambda: currency_code(raw))
        return code

    def _existing(self, section: str, row: int | None, raw: Any, found: dict[int, Any]) -> Any:
        text = cell_text(raw)
        if not text:
            return None
        try:
            pk = int(text)
        except ValueError:
            pk = -1
        obj = found.get(pk)
        if obj is None:
            self.problems.append(
                Problem(
                    section,
                    row,
                    "id",
                    _("No row with id %(id)s in this plan; leave id empty to add a row.")
                    % {"id": text[:20]},
                )
            )
        return obj

    # costs

    def costs(self, rows: Iterable[tuple[int | None, Mapping[str, Any]]]) -> list[ActionCost]:
        rows = list(rows)
        ids = {cell_text(r.get("id")) for _n, r in rows} - {""}
        existing = self._existing_rows(ActionCost, ids)
        seen: set[int] = set()
        out: list[ActionCost] = []
        section = "Costs"
        for rownum, row in rows:
            before = len(self.problems) + len(self.forbidden)
            cost = self._existing(section, rownum, row.get("id"), existing)
            if cost is not None:
                if cost.pk in seen:
                    self.problems.append(
                        Problem(section, rownum, "id", _("This id is given twice."))
                    )
                seen.add(cost.pk)
                if not self.access.can_edit_action_finance(cost.action.responsible_organisation_id):
                    self.forbidden.append(
                        Problem(section, rownum, "id", _("You may not edit this cost."))
                    )
            action = self._action(section, rownum, row.get("action"))
            year = self._year(section, rownum, row.get("year"))
            item = cell_text(row.get("item"))
            if not item:
                self.problems.append(
                    Problem(section, rownum, "item", _("Say what is costed (the item)."))
                )
            elif len(item) > 300:
                self.problems.append(Problem(section, rownum, "item", _("At most 300 characters.")))
            currency = self._currency(section, rownum, row.get("currency"))
            unit_cost = self._money(section, rownum, "unit_cost", row.get("unit_cost"))
            quantity = self._field(
                section,
                rownum,
                "quantity",
                lambda r=row: parse_decimal(r.get("quantity"), places=2, maximum=QUANTITY_MAX),
            )
            lump_sum = self._money(section, rownum, "lump_sum", row.get("lump_sum"))
            if len(self.problems) + len(self.forbidden) > before:
                continue
            if lump_sum is not None and (unit_cost is not None or quantity is not None):
                self.problems.append(
                    Problem(
                        section,
                        rownum,
                        "lump_sum",
                        _("Give either a lump sum or a unit cost and a quantity, not both."),
                    )
                )
                continue
            if lump_sum is None and (unit_cost is None or quantity is None):
                column = "unit_cost" if unit_cost is None else "quantity"
                self.problems.append(
                    Problem(
                        section,
                        rownum,
                        column,
                        _("Give a unit cost and a quantity, or a lump sum."),
                    )
                )
                continue
            if unit_cost is not None and quantity is not None and unit_cost * quantity >= MONEY_MAX:
                self.problems.append(
                    Problem(section, rownum, "quantity", _("The amount is too large."))
                )
                continue
            target = cost or ActionCost()
            target.action = action  # type: ignore[assignment]
            target.year = year  # type: ignore[assignment]
            target.item = item
            target.currency = currency  # type: ignore[assignment]
            target.unit_cost = unit_cost
            target.quantity = quantity
            target.lump_sum = lump_sum
            out.append(target)
        return out

    # budget lines

    def lines(self, rows: Iterable[tuple[int | None, Mapping[str, Any]]]) -> list[BudgetLine]:
        rows = list(rows)
        ids = {cell_text(r.get("id")) for _n, r in rows} - {""}
        existing = self._existing_rows(BudgetLine, ids)
        seen: set[int] = set()
        out: list[BudgetLine] = []
        section = "BudgetLines"
        for rownum, row in rows:
            before = len(self.problems) + len(self.forbidden)
            line = self._existing(section, rownum, row.get("id"), existing)
            if line is not None:
                if line.pk in seen:
                    self.problems.append(
                        Problem(section, rownum, "id", _("This id is given twice."))
                    )
                seen.add(line.pk)
                if not self.access.can_edit_action_finance(line.action.responsible_organisation_id):
                    self.forbidden.append(
                        Problem(section, rownum, "id", _("You may not edit this budget line."))
                    )
            action = self._action(section, rownum, row.get("action"))
            year = self._year(section, rownum, row.get("year"))
            kind = self._field(
                section,
                rownum,
                "funding_kind",
                lambda r=row: parse_choice(r.get("funding_kind"), FundingKind.values),
            )
            funder: Organisation | None = None
            funder_code = cell_text(row.get("funder"))
            if funder_code:
                funder = self.organisations.get(funder_code.lower())
                if funder is None:
                    self.problems.append(
                        Problem(
                            section,
                            rownum,
                            "funder",
                            _("%(code)s is not an organisation of the directory.")
                            % {"code": funder_code[:64]},
                        )
                    )
            budget_code = cell_text(row.get("budget_code"))
            if len(budget_code) > 100:
                self.problems.append(
                    Problem(section, rownum, "budget_code", _("At most 100 characters."))
                )
            currency = self._currency(section, rownum, row.get("currency"))
            stages = {
                stage: self._money(section, rownum, stage, row.get(stage))
                for stage in BudgetLine.STAGES
            }
            earmarked = self._field(
                section, rownum, "earmarked", lambda r=row: parse_bool(r.get("earmarked"))
            )
            marker = self._field(
                section, rownum, "gender_marker", lambda r=row: _marker(r.get("gender_marker"))
            )
            if len(self.problems) + len(self.forbidden) > before:
                continue
            if all(v is None for v in stages.values()):
                self.problems.append(
                    Problem(
                        section,
                        rownum,
                        "allocated",
                        _("Give at least one amount: allocated, committed, disbursed or spent."),
                    )
                )
                continue
            target = line or BudgetLine()
            target.action = action  # type: ignore[assignment]
            target.year = year  # type: ignore[assignment]
            target.funding_kind = kind
            target.funder = funder
            target.budget_code = budget_code
            target.currency = currency  # type: ignore[assignment]
            for stage, value in stages.items():
                setattr(target, stage, value)
            target.earmarked = bool(earmarked)
            target.gender_marker = marker
            target.note = cell_text(row.get("note"))
            out.append(target)
        return out

    # exchange rates

    def rates(self, rows: Iterable[tuple[int | None, Mapping[str, Any]]]) -> list[ExchangeRate]:
        existing = {(r.currency, r.year): r for r in ExchangeRate.objects.filter(plan=self.plan)}
        seen: set[tuple[str, int]] = set()
        out: list[ExchangeRate] = []
        section = "Rates"
        if not self.access.can_manage_finance():
            self.forbidden.append(
                Problem(section, None, "", _("Only the plan's coordinators maintain the rates."))
            )
            return out
        for rownum, row in rows:
            before = len(self.problems)
            currency = self._field(
                section, rownum, "currency", lambda r=row: currency_code(r.get("currency"))
            )
            year = self._field(
                section, rownum, "year", lambda r=row: parse_year(r.get("year"), *RATE_YEARS)
            )
            rate = self._field(
                section,
                rownum,
                "rate",
                lambda r=row: parse_decimal(r.get("rate"), places=RATE_PLACES, maximum=RATE_MAX),
            )
            source = cell_text(row.get("source"))
            if len(self.problems) > before:
                continue
            if rate is None or rate == 0:
                self.problems.append(Problem(section, rownum, "rate", _("Give a rate above zero.")))
                continue
            if currency == self.currency:
                self.problems.append(
                    Problem(
                        section,
                        rownum,
                        "currency",
                        _("%(code)s is the plan's currency: it needs no rate.")
                        % {"code": currency},
                    )
                )
                continue
            if len(source) > 300:
                self.problems.append(
                    Problem(section, rownum, "source", _("At most 300 characters."))
                )
                continue
            key = (currency, year)
            if key in seen:
                self.problems.append(
                    Problem(
                        section,
                        rownum,
                        "year",
                        _("A second rate for %(code)s in %(year)s.")
                        % {"code": currency, "year": year},
                    )
                )
                continue
            seen.add(key)
            target = existing.get(key) or ExchangeRate(plan=self.plan, currency=currency, year=year)
            target.rate = rate
            target.source = source
            out.append(target)
        return out

    def _existing_rows(self, model: Any, ids: set[str]) -> dict[int, Any]:
        numbers = [int(i) for i in ids if i.isdigit()]
        if not numbers:
            return {}
        return {
            obj.pk: obj
            for obj in model.objects.filter(pk__in=numbers, action__plan=self.plan).select_related(
                "action"
            )
        }

    def raise_problems(self) -> None:
        if self.forbidden:
            raise FinanceForbidden(self.forbidden + self.problems)
        if self.problems:
            raise FinanceInputError(self.problems)


# ----------------------------------------------------------------------------- bulk writes


@dataclass
class ApplyResult:
    created: dict[str, int] = field(default_factory=lambda: {"rates": 0, "costs": 0, "lines": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"rates": 0, "costs": 0, "lines": 0})


Rows = Iterable[tuple[int | None, Mapping[str, Any]]]

_COST_UPDATE = ["action", "year", "item", "currency", "unit_cost", "quantity", "lump_sum"]
_LINE_UPDATE = [f for f in LINE_FIELDS if f not in ("id", "action", "funder")] + [
    "action",
    "funder",
]


def _save_all(
    model: Any, objects: list[Any], fields: list[str], key: str, result: ApplyResult
) -> None:
    new = [o for o in objects if o.pk is None]
    old = [o for o in objects if o.pk is not None]
    model.objects.bulk_create(new, batch_size=500)
    if old:
        model.objects.bulk_update(old, fields, batch_size=500)
    result.created[key] += len(new)
    result.updated[key] += len(old)


@service
def finance_rows_apply(
    *,
    by: User,
    plan: Plan,
    rates: Rows = (),
    costs: Rows = (),
    lines: Rows = (),
    dry_run: bool = False,
) -> ApplyResult:
    """Check every row, then store them all or none. Rows are (row number, {column: value});
    a row with an `id` updates that cost or budget line of the plan, one without adds one;
    a rate replaces the plan's rate for the same currency and year.

    Rates are checked first, so rows of the same call may use the plan's currency as it is."""
    access = PlanAccess.load(by, plan)
    _require(access.can_edit_some_finance())
    checker = RowChecker(plan, access)
    rate_rows = list(rates)
    new_rates = checker.rates(rate_rows) if rate_rows else []
    new_costs = checker.costs(costs)
    new_lines = checker.lines(lines)
    checker.raise_problems()
    result = ApplyResult()
    if dry_run:
        for key, objects in (("rates", new_rates), ("costs", new_costs), ("lines", new_lines)):
            result.created[key] = sum(1 for o in objects if o.pk is None)
            result.updated[key] = sum(1 for o in objects if o.pk is not None)
        return result
    with transaction.atomic():
        _save_all(ExchangeRate, new_rates, ["rate", "source"], "rates", result)
        _save_all(ActionCost, new_costs, _COST_UPDATE, "costs", result)
        _save_all(BudgetLine, new_lines, _LINE_UPDATE, "lines", result)
    return result


# ----------------------------------------------------------------------------- one at a time


def _one(problems: list[Problem]) -> ValidationError:
    return ValidationError(
        [
            # Translators: a column of the form and what is wrong with it, e.g. "amount: not a
            # number".
            _("%(column)s: %(message)s") % {"column": p.column, "message": p.message}
            if p.column
            else p.message
            for p in problems
        ]
    )


def _single(checker: RowChecker, objects: list[Any]) -> Any:
    if checker.forbidden:
        raise PermissionDenied(_("You may not do this."))
    if checker.problems:
        raise _one(checker.problems)
    return objects[0]


def _row_save(
    by: User,
    plan: Plan,
    data: Mapping[str, Any],
    existing: ActionCost | BudgetLine | None,
    check: Callable[[RowChecker], Callable[[list[Any]], list[Any]]],
) -> Any:
    """Add (existing=None) or change one cost or budget line through the rows' own checks."""
    access = PlanAccess.load(by, plan)
    if existing is not None:
        _require(
            existing.action.plan_id == plan.pk
            and access.can_edit_action_finance(existing.action.responsible_organisation_id)
        )
    checker = RowChecker(plan, access)
    row = {k: v for k, v in data.items() if k != "id"}
    if existing is not None:
        row["id"] = existing.pk
    saved = _single(checker, check(checker)([(None, row)]))
    saved.save()
    return saved


def _row_delete(by: User, row: ActionCost | BudgetLine) -> None:
    access = PlanAccess.load(by, row.action.plan)
    _require(access.can_edit_action_finance(row.action.responsible_organisation_id))
    row.delete()


@service
def cost_save(
    *, by: User, plan: Plan, data: Mapping[str, Any], cost: ActionCost | None = None
) -> ActionCost:
    """Add a cost (cost=None) or change one; `data` holds the Costs columns."""
    saved: ActionCost = _row_save(by, plan, data, cost, lambda checker: checker.costs)
    return saved


@service
def cost_delete(*, by: User, cost: ActionCost) -> None:
    _row_delete(by, cost)


@service
def budget_line_save(
    *, by: User, plan: Plan, data: Mapping[str, Any], line: BudgetLine | None = None
) -> BudgetLine:
    """Add a budget line (line=None) or change one; `data` holds the BudgetLines columns."""
    saved: BudgetLine = _row_save(by, plan, data, line, lambda checker: checker.lines)
    return saved


@service
def budget_line_delete(*, by: User, line: BudgetLine) -> None:
    """Delete a budget line; one that civil society challenged or gave an account of stays
    (its exchange is never rewritten: docs/oversight.md)."""
    if line.challenges.exists() or line.money_accounts.exists():
        _require(
            PlanAccess.load(by, line.action.plan).can_edit_action_finance(
                line.action.responsible_organisation_id
            )
        )
        raise ValidationError(
            _(
                "Civil society has challenged this budget line or given its account of it: "
                "it cannot be deleted. Change its figures instead."
            )
        )
    _row_delete(by, line)


@service
def rate_set(
    *, by: User, plan: Plan, currency: Any, year: Any, rate: Any, source: str = ""
) -> ExchangeRate:
    """Set the rate of a currency for a year (plan-currency units per unit), replacing any."""
    access = PlanAccess.load(by, plan)
    _require(access.can_manage_finance())
    checker = RowChecker(plan, access)
    row = {"currency": currency, "year": year, "rate": rate, "source": source}
    saved: ExchangeRate = _single(checker, checker.rates([(None, row)]))
    saved.save()
    return saved


@service
def rate_delete(*, by: User, rate: ExchangeRate) -> None:
    _require(PlanAccess.load(by, rate.plan).can_manage_finance())
    rate.delete()


# ----------------------------------------------------------------------------- civil society
# Civil society's account of the money and its challenges on budget lines (docs/oversight.md).

TEXT_MAX = 10_000
SUBJECT_MAX = 300
LINK_MAX = 500


def _text(raw: Any, field_name: str, problems: dict[str, str], limit: int = TEXT_MAX) -> str:
    text = str(raw or "").strip()
    if not text:
        problems[field_name] = _("This field is required.")
    elif len(text) > limit:
        problems[field_name] = _("At most %(n)s characters.") % {"n": limit}
    return text


def _observed_on(raw: Any, problems: dict[str, str]) -> datetime.date | None:
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        day = raw
    else:
        text = str(raw or "").strip()
        if not text:
            problems["observed_on"] = _("Give the date of the observation.")
            return None
        try:
            day = datetime.date.fromisoformat(text[:10])
        except ValueError:
            problems["observed_on"] = _("Write the date as YYYY-MM-DD.")
            return None
    if day > timezone.localdate():
        problems["observed_on"] = _("The date of an observation cannot be in the future.")
        return None
    if day.year < RATE_YEARS[0]:
        problems["observed_on"] = _("Write the date as YYYY-MM-DD.")
        return None
    return day


def _link(raw: Any, problems: dict[str, str]) -> str:
    text = str(raw or "").strip()
    if not text:
        return ""
    if len(text) > LINK_MAX or not text.lower().startswith(("https://", "http://")):
        problems["link"] = _("Give a web address starting with https:// (at most 500 characters).")
        return ""
    return text


@service
def money_account_save(
    *,
    by: User,
    plan: Plan,
    organisation: Organisation,
    data: Mapping[str, Any],
    account: MoneyAccount | None = None,
    files: Sequence[UploadedFile] = (),
    files_public: bool = False,
) -> MoneyAccount:
    """Record (account=None) or change a draft of civil society's account of the money: on a
    budget line (`data["line"]`: its id) or on an action as a whole (`data["action"]`: its
    code), with `allocated`, `released`, `reached` (in the plan's currency, at least one, not
    negative), `evidence`, an optional `link` and `observed_on`, and `files` of evidence to
    attach (`files_public`: shown with the account once published). Every field and every
    file is checked before anything is stored."""
    access = PlanAccess.load(by, plan)
    if account is None:
        _require(access.can_keep_money_accounts(organisation))
    else:
        _require(access.can_edit_money_account(account))
        organisation = account.organisation
    problems: dict[str, str] = {}
    line: BudgetLine | None = None
    action: FrameworkNode | None = None
    raw_line = data.get("line")
    if raw_line not in (None, ""):
        try:
            line = (
                BudgetLine.objects.select_related("action")
                .filter(action__plan=plan, pk=int(str(raw_line)))
                .first()
            )
        except ValueError:
            line = None
        if line is None:
            problems["line"] = _("No such budget line in this plan.")
        else:
            action = line.action
    else:
        code = str(data.get("action") or "").strip()
        action = FrameworkNode.objects.filter(
            plan=plan, code=code, level__holds_actions=True
        ).first()
        if action is None:
            problems["action"] = _("Choose a budget line or an action of the plan.")
    amounts: dict[str, Decimal | None] = {}
    for stage in MoneyAccount.STAGES:
        try:
            amounts[stage] = parse_decimal(data.get(stage), places=MONEY_PLACES, maximum=MONEY_MAX)
        except ValidationError as exc:
            problems[stage] = " ".join(exc.messages)
    if not problems and all(v is None for v in amounts.values()):
        problems["allocated"] = _("Give at least one amount: allocated, released or reached.")
    evidence = _text(data.get("evidence"), "evidence", problems)
    link = _link(data.get("link"), problems)
    observed_on = _observed_on(data.get("observed_on"), problems)
    checked = _checked_files(files, account, problems)
    if problems:
        raise ValidationError(problems)
    saved = account or MoneyAccount(plan=plan, organisation=organisation, created_by=by)
    saved.line = line
    assert action is not None and observed_on is not None
    saved.action = action
    saved.allocated = amounts["allocated"]
    saved.released = amounts["released"]
    saved.reached = amounts["reached"]
    saved.evidence = evidence
    saved.link = link
    saved.observed_on = observed_on
    saved.save()
    for upload, content_type in checked:
        _store_file(saved, upload, content_type, files_public, by)
    return saved


def _checked_files(
    files: Sequence[UploadedFile], account: MoneyAccount | None, problems: dict[str, str]
) -> list[tuple[UploadedFile, str]]:
    """Each upload with its content type; the first refusal in `problems["files"]`, named."""
    present = [f for f in files if f is not None]
    kept = account.files.count() if account is not None and account.pk else 0
    if kept + len(present) > evidence_files.FILES_PER_ACCOUNT:
        problems["files"] = _("At most %(n)s files per account.") % {
            "n": evidence_files.FILES_PER_ACCOUNT
        }
        return []
    checked = []
    for upload in present:
        try:
            checked.append((upload, evidence_files.check(upload)))
        except ValidationError as exc:
            # Translators: a file's name and why it is refused.
            problems["files"] = _("%(name)s: %(message)s") % {
                "name": evidence_files.house.safe_name(upload.name or "file"),
                "message": " ".join(exc.messages),
            }
            return []
    return checked


def _store_file(
    account: MoneyAccount, upload: UploadedFile, content_type: str, public: bool, by: User
) -> MoneyAccountFile:
    stored = evidence_files.prepared(upload, content_type)
    item = MoneyAccountFile(
        account=account,
        filename=evidence_files.house.safe_name(upload.name or "file"),
        content_type=content_type,
        size=stored.size or 0,
        public=public,
        uploaded_by=by,
    )
    stored.seek(0)
    with evidence_files.encrypted(stored) as sealed:
        item.file.save("evidence", sealed, save=False)
    item.save()
    return item


@service
def money_account_file_attach(
    *, by: User, account: MoneyAccount, upload: UploadedFile, public: bool = False
) -> MoneyAccountFile:
    """Attach one file of evidence to a draft account (its organisation's monitors): checked
    as every evidence file is, a photo without its metadata, encrypted at rest. `public`: shown
    with the account once it is published (off by default)."""
    _require(PlanAccess.load(by, account.plan).can_attach_money_account_file(account))
    problems: dict[str, str] = {}
    checked = _checked_files([upload], account, problems)
    if problems or not checked:
        raise ValidationError(problems or {"files": _("Choose a file.")})
    return _store_file(account, upload, checked[0][1], public, by)


@service
def money_account_file_remove(*, by: User, item: MoneyAccountFile) -> None:
    """Remove a file from a draft account; the stored file goes once the removal is kept."""
    _require(PlanAccess.load(by, item.account.plan).can_attach_money_account_file(item.account))
    _forget_files([item])
    item.delete()


def _forget_files(items: Iterable[MoneyAccountFile]) -> None:
    for item in items:
        name, storage = item.file.name, item.file.storage
        if name:
            transaction.on_commit(partial(storage.delete, name))


@service
def money_account_publish(*, by: User, account: MoneyAccount) -> MoneyAccount:
    """Publish a draft account: from now on everyone who reads the plan reads it, and nobody
    changes it."""
    _require(PlanAccess.load(by, account.plan).can_edit_money_account(account))
    account.published_at = timezone.now()
    account.save(update_fields=["published_at"])
    return account


@service
def money_account_delete(*, by: User, account: MoneyAccount) -> None:
    """Delete a draft account (a published one stays), its files with it."""
    _require(PlanAccess.load(by, account.plan).can_edit_money_account(account))
    _forget_files(account.files.all())
    account.delete()


def _message(
    challenge: BudgetChallenge, kind: str, text: str, by: User, organisation: Organisation | None
) -> ChallengeMessage:
    message = ChallengeMessage(
        challenge=challenge, kind=kind, text=text, author=by, organisation=organisation
    )
    message.save()
    return message


@service
def budget_challenge_open(
    *,
    by: User,
    line: BudgetLine,
    organisation: Organisation,
    subject: Any,
    text: Any,
) -> BudgetChallenge:
    """Open a challenge on a budget line in a civil-society organisation's name: public at
    once, addressed to the line's ministry (`challenge_addressee`), status open."""
    plan = line.action.plan
    _require(PlanAccess.load(by, plan).can_open_budget_challenge(organisation))
    problems: dict[str, str] = {}
    subject_text = _text(subject, "subject", problems, SUBJECT_MAX)
    body = _text(text, "text", problems)
    if problems:
        raise ValidationError(problems)
    challenge = BudgetChallenge.objects.create(
        plan=plan,
        line=line,
        organisation=organisation,
        addressee=oversight.challenge_addressee(line),
        subject=subject_text,
    )
    _message(challenge, MessageKind.QUESTION, body, by, organisation)
    return challenge


def _locked(challenge: BudgetChallenge) -> BudgetChallenge:
    return BudgetChallenge.objects.select_for_update().get(pk=challenge.pk)


def _step(
    challenge: BudgetChallenge,
    *,
    allowed: bool,
    from_statuses: tuple[str, ...],
    to_status: str,
    refusal: str,
) -> BudgetChallenge:
    _require(allowed)
    current = _locked(challenge)
    if current.status not in from_statuses:
        raise ValidationError(refusal)
    current.status = to_status
    current.save(update_fields=["status"])
    challenge.status = to_status
    return current


@service
def budget_challenge_answer(*, by: User, challenge: BudgetChallenge, text: Any) -> ChallengeMessage:
    """Answer an open or disputed challenge for the government: a focal point of the ministry it
    is addressed to, or the coordinator. The challenge is then answered."""
    access = PlanAccess.load(by, challenge.plan)
    problems: dict[str, str] = {}
    body = _text(text, "text", problems)
    allowed = access.can_answer_budget_challenge(challenge)
    if allowed and problems:
        raise ValidationError(problems)
    current = _step(
        challenge,
        allowed=allowed,
        from_statuses=(ChallengeStatus.OPEN, ChallengeStatus.DISPUTED),
        to_status=ChallengeStatus.ANSWERED,
        refusal=_("Only an open or disputed challenge can be answered."),
    )
    addressee = challenge.addressee_id
    speaks_for = (
        current.addressee
        if addressee is not None and addressee in access.focal_organisations()
        else None
    )
    return _message(current, MessageKind.ANSWER, body, by, speaks_for)


@service
def budget_challenge_dispute(
    *, by: User, challenge: BudgetChallenge, text: Any
) -> ChallengeMessage:
    """Dispute the answer, saying why: the monitors of the organisation that opened it."""
    access = PlanAccess.load(by, challenge.plan)
    problems: dict[str, str] = {}
    body = _text(text, "text", problems)
    allowed = access.speaks_for_challenger(challenge)
    if allowed and problems:
        raise ValidationError(problems)
    current = _step(
        challenge,
        allowed=allowed,
        from_statuses=(ChallengeStatus.ANSWERED,),
        to_status=ChallengeStatus.DISPUTED,
        refusal=_("Only an answered challenge can be disputed."),
    )
    return _message(current, MessageKind.DISPUTE, body, by, current.organisation)


@service
def budget_challenge_resolve(
    *, by: User, challenge: BudgetChallenge, text: Any
) -> ChallengeMessage:
    """Close the challenge as resolved, saying why: the monitors of the organisation that opened
    it (the question is theirs; nobody closes it in their name). Resolved is final."""
    access = PlanAccess.load(by, challenge.plan)
    problems: dict[str, str] = {}
    body = _text(text, "text", problems)
    allowed = access.speaks_for_challenger(challenge)
    if allowed and problems:
        raise ValidationError(problems)
    current = _step(
        challenge,
        allowed=allowed,
        from_statuses=(ChallengeStatus.OPEN, ChallengeStatus.ANSWERED, ChallengeStatus.DISPUTED),
        to_status=ChallengeStatus.RESOLVED,
        refusal=_("This challenge is already resolved."),
    )
    return _message(current, MessageKind.RESOLUTION, body, by, current.organisation)
