"""Pages of a plan's finance: the summary with its bars, the costs, budget lines and rates with
their entry forms, the workbook import and downloads.

Plain forms, POST then redirect: everything works without JavaScript. Reading follows the plan
(anyone for a plan that is not a draft: budgets are public accountability data); the services
check every write (coordinators everywhere, focal points on their organisation's actions).
Hidden plans answer 404, refused writes 403, anonymous writers are sent to sign in.
"""

from __future__ import annotations

import io
from typing import IO, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance import services, workbook
from wpsmonitor.finance.charts import pillar_chart
from wpsmonitor.finance.currency import plan_currency
from wpsmonitor.finance.forms import (
    BudgetLineForm,
    CostForm,
    CurrencyForm,
    RateForm,
    WorkbookForm,
)
from wpsmonitor.finance.models import (
    ActionCost,
    BudgetLine,
    ExchangeRate,
    FundingKind,
    GenderMarker,
)
from wpsmonitor.finance.selectors import finance_summary
from wpsmonitor.finance.services import FinanceInputError
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.shell.forms import ActionForm, error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.uploads import saved_upload

PAGE_SIZE = 100


def _editable_actions(access: PlanAccess) -> list[FrameworkNode]:
    actions = FrameworkNode.objects.filter(plan=access.plan, level__holds_actions=True)
    if not access.can_manage():
        actions = actions.filter(responsible_organisation_id__in=access.focal_organisations())
    return list(actions.order_by("code").only("pk", "code", "title"))


def _editable_rows(access: PlanAccess, page: Any) -> set[int]:
    """The rows of the page this user may change (the edit page's own rule): a focal point
    sees "Change" on their organisation's actions only, never a link that answers 403."""
    return {
        row.pk
        for row in page
        if access.can_edit_action_finance(row.action.responsible_organisation_id)
    }


def _form_context(access: PlanAccess) -> dict[str, Any]:
    editable = access.can_edit_some_finance()
    return {
        "plan": access.plan,
        "access": access,
        "can_edit": editable,
        "can_manage": access.can_manage_finance(),
        "currency": plan_currency(access.plan),
        "actions": _editable_actions(access) if editable else [],
        "organisations": list(Organisation.objects.order_by("name").only("code", "name"))
        if editable
        else [],
        "funding_kinds": FundingKind.choices,
        "markers": GenderMarker.choices,
        "years": list(range(access.plan.start.year, access.plan.end.year + 1)),
    }


@require_safe
def summary(request: HttpRequest, code: str) -> HttpResponse:
    """What share of the plan is costed, allocated and spent; by pillar, ministry, year,
    source; earmarked; gender markers; and the amounts that could not be converted."""
    access = plan_access(request.user, code)
    found = finance_summary(access.plan)
    context = {
        "plan": access.plan,
        "access": access,
        "s": found,
        "chart": pillar_chart(found.by_pillar, found.currency),
        "can_edit": access.can_edit_some_finance(),
        "can_manage": access.can_manage_finance(),
    }
    return render(request, "finance/summary.html", context)


# ----------------------------------------------------------------------------- costs


def _cost_values(cost: ActionCost) -> dict[str, Any]:
    return {
        "action": cost.action.code,
        "year": cost.year,
        "item": cost.item,
        "currency": cost.currency,
        "unit_cost": cost.unit_cost,
        "quantity": cost.quantity,
        "lump_sum": cost.lump_sum,
    }


def _line_values(line: BudgetLine) -> dict[str, Any]:
    values = {name: getattr(line, name) for name in services.LINE_FIELDS if name != "id"}
    values["action"] = line.action.code
    values["funder"] = line.funder.code if line.funder else ""
    return values


@require_http_methods(["GET", "POST"])
def costs(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login()}?next={request.path}")
        form = CostForm(request.POST)
        try:
            services.cost_save(by=request.user, plan=access.plan, data=valid_data(form))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return _costs_page(request, access, status=400, data=form.data)
        messages.success(request, _("The cost is recorded."))
        return redirect("finance:costs", code=code)
    return _costs_page(request, access)


def _login() -> str:
    return resolve_url(settings.LOGIN_URL)


def _costs_page(
    request: HttpRequest, access: PlanAccess, status: int = 200, data: Any = None
) -> HttpResponse:
    items = ActionCost.objects.filter(action__plan=access.plan).select_related("action")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_form_context(access),
        "page": page,
        "editable": _editable_rows(access, page),
        "data": data or {},
    }
    return render(request, "finance/costs.html", context, status=status)


def _cost(access: PlanAccess, pk: int) -> ActionCost:
    cost = (
        ActionCost.objects.filter(pk=pk, action__plan=access.plan).select_related("action").first()
    )
    if cost is None:
        raise Http404("No such cost")
    return cost


@require_http_methods(["GET", "POST"])
@login_required
def cost_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    cost = _cost(access, pk)
    if not access.can_edit_action_finance(cost.action.responsible_organisation_id):
        raise PermissionDenied
    if request.method == "POST":
        form = CostForm(request.POST)
        try:
            services.cost_save(by=request.user, plan=access.plan, data=valid_data(form), cost=cost)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The cost is changed."))
            return redirect("finance:costs", code=code)
        cost.refresh_from_db()
        values: Any = form.data  # what was typed, to correct
    else:
        values = _cost_values(cost)
    context = {**_form_context(access), "cost": cost, "values": values}
    return render(request, "finance/cost_edit.html", context)


@require_POST
@login_required
def cost_delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    services.cost_delete(by=request.user, cost=_cost(access, pk))
    messages.success(request, _("The cost is deleted."))
    return redirect("finance:costs", code=code)


# ----------------------------------------------------------------------------- budget lines


@require_http_methods(["GET", "POST"])
def lines(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login()}?next={request.path}")
        form = BudgetLineForm(request.POST)
        try:
            services.budget_line_save(by=request.user, plan=access.plan, data=valid_data(form))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return _lines_page(request, access, status=400, data=form.data)
        messages.success(request, _("The budget line is recorded."))
        return redirect("finance:lines", code=code)
    return _lines_page(request, access)


def _lines_page(
    request: HttpRequest, access: PlanAccess, status: int = 200, data: Any = None
) -> HttpResponse:
    items = BudgetLine.objects.filter(action__plan=access.plan).select_related("action", "funder")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_form_context(access),
        "page": page,
        "editable": _editable_rows(access, page),
        "data": data or {},
    }
    return render(request, "finance/lines.html", context, status=status)


def _line(access: PlanAccess, pk: int) -> BudgetLine:
    line = (
        BudgetLine.objects.filter(pk=pk, action__plan=access.plan)
        .select_related("action", "funder")
        .first()
    )
    if line is None:
        raise Http404("No such budget line")
    return line


@require_http_methods(["GET", "POST"])
@login_required
def line_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    line = _line(access, pk)
    if not access.can_edit_action_finance(line.action.responsible_organisation_id):
        raise PermissionDenied
    if request.method == "POST":
        form = BudgetLineForm(request.POST)
        try:
            services.budget_line_save(
                by=request.user, plan=access.plan, data=valid_data(form), line=line
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The budget line is changed."))
            return redirect("finance:lines", code=code)
        line.refresh_from_db()
        values: Any = form.data  # what was typed, to correct
    else:
        values = _line_values(line)
    context = {**_form_context(access), "line": line, "values": values}
    return render(request, "finance/line_edit.html", context)


@require_POST
@login_required
def line_delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    try:
        services.budget_line_delete(by=request.user, line=_line(access, pk))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("finance:line", code=code, pk=pk)
    messages.success(request, _("The budget line is deleted."))
    return redirect("finance:lines", code=code)


# ----------------------------------------------------------------------------- rates


def _rates_form(request: HttpRequest) -> CurrencyForm | RateForm:
    if ActionForm(request.POST).action() == "currency":
        return CurrencyForm(request.POST)
    return RateForm(request.POST)


def _rates_save(by: User, access: PlanAccess, form: CurrencyForm | RateForm) -> str:
    """Set the plan's currency or a rate; what was done, to say so."""
    data = valid_data(form)
    if isinstance(form, CurrencyForm):
        services.plan_currency_set(by=by, plan=access.plan, **data)
        return _("The plan's currency is set.")
    services.rate_set(by=by, plan=access.plan, **data)
    return _("The rate is recorded.")


@require_http_methods(["GET", "POST"])
def rates(request: HttpRequest, code: str) -> HttpResponse:
    """The plan's currency and its table of exchange rates; coordinators maintain both."""
    access = plan_access(request.user, code)
    status = 200
    typed: Any = {}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login()}?next={request.path}")
        form = _rates_form(request)
        try:
            messages.success(request, _rates_save(request.user, access, form))
            return redirect("finance:rates", code=code)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            status = 400
            typed = form.data
    context = {
        **_form_context(access),
        "rates": list(ExchangeRate.objects.filter(plan=access.plan).order_by("currency", "year")),
        "data": typed,
    }
    return render(request, "finance/rates.html", context, status=status)


@require_POST
@login_required
def rate_delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    rate = ExchangeRate.objects.filter(pk=pk, plan=access.plan).first()
    if rate is None:
        raise Http404("No such rate")
    services.rate_delete(by=request.user, rate=rate)
    messages.success(request, _("The rate is deleted."))
    return redirect("finance:rates", code=code)


# ----------------------------------------------------------------------------- workbook


def _imported(applied: services.ApplyResult) -> str:
    """The import done, in numbers."""
    created, updated = applied.created, applied.updated
    return _(
        "Imported: %(rates)s rates, %(costs)s costs and %(lines)s budget lines added or changed."
    ) % {
        "rates": created["rates"] + updated["rates"],
        "costs": created["costs"] + updated["costs"],
        "lines": created["lines"] + updated["lines"],
    }


@require_http_methods(["GET", "POST"])
@login_required
def import_page(request: SignedInRequest, code: str) -> HttpResponse:
    """Upload a budget workbook (coordinators): all or nothing, problems located."""
    access = plan_access(request.user, code)
    if not access.can_manage_finance():
        raise PermissionDenied
    problems: list[str] = []
    if request.method == "POST":
        form = WorkbookForm(request.POST, request.FILES)
        try:
            upload = valid_data(form)["file"]
            with saved_upload(upload, default_name="budget.xlsx") as path:
                result = workbook.import_workbook(path=path, by=request.user, plan=access.plan)
            messages.success(request, _imported(result.applied))
            return redirect("finance:summary", code=code)
        except services.FinanceForbidden as exc:
            problems = [str(p) for p in exc.problems]
        except FinanceInputError as exc:
            problems = [str(p) for p in exc.problems]
        except ValidationError as exc:
            problems = [error_text(exc)]
    context = {"plan": access.plan, "access": access, "problems": problems}
    return render(request, "finance/import.html", context, status=400 if problems else 200)


def _xlsx(data: IO[bytes], filename: str) -> FileResponse:
    data.seek(0)
    response = FileResponse(
        data,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def template_download(request: HttpRequest, code: str) -> FileResponse:
    """The blank budget workbook for this plan (its code, currency and actions filled in)."""
    access = plan_access(request.user, code)
    data = workbook.write_template(io.BytesIO(), access.plan)
    return _xlsx(data, f"{access.plan.code}-budget-template.xlsx")


@require_safe
def export_download(request: HttpRequest, code: str) -> FileResponse:
    """The plan's rates, costs and budget lines as a re-importable workbook (public like the
    page)."""
    access = plan_access(request.user, code)
    data = workbook.export_workbook(access.plan, io.BytesIO())
    return _xlsx(data, f"{access.plan.code}-budget.xlsx")
