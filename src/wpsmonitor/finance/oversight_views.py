"""Pages of civil society on the budget (docs/oversight.md, "Civil society on the budget"): a
budget line's page with the government's figures, civil society's accounts of the money and the
challenges with their exchange (and every form of it), and the budget divergence view.

Plain forms, POST then redirect: everything works without JavaScript. Reading follows the plan;
the services check every write (403 when refused), anonymous writers are sent to sign in.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance import evidence, oversight, services
from wpsmonitor.finance.currency import plan_currency
from wpsmonitor.finance.forms import OversightForm
from wpsmonitor.finance.models import (
    BudgetChallenge,
    BudgetLine,
    ChallengeStatus,
    MoneyAccount,
    MoneyAccountFile,
)
from wpsmonitor.shell.forms import error_text, valid_data


def _line(access: PlanAccess, pk: int) -> BudgetLine:
    line = (
        BudgetLine.objects.filter(pk=pk, action__plan=access.plan)
        .select_related("action__responsible_organisation", "funder")
        .first()
    )
    if line is None:
        raise Http404("No such budget line")
    return line


def _own_organisations(access: PlanAccess) -> list[Organisation]:
    """The civil-society organisations this reader speaks for on the plan."""
    ids = access.monitor_organisations()
    if not ids:
        return []
    return list(Organisation.objects.filter(pk__in=ids, type="civil_society").order_by("name"))


def _organisation(access: PlanAccess, raw: str) -> Organisation:
    own = _own_organisations(access)
    if not own:
        raise PermissionDenied(_("You may not do this."))
    if len(own) == 1 and not raw:
        return own[0]
    chosen = next((o for o in own if str(o.pk) == raw), None)
    if chosen is None:
        raise PermissionDenied(_("You may not do this."))
    return chosen


def _account(access: PlanAccess, raw: str) -> MoneyAccount:
    account = MoneyAccount.objects.filter(plan=access.plan, pk=raw if raw.isdigit() else 0).first()
    if account is None or not access.can_view_money_account(account):
        raise Http404("No such account")
    return account


def _draft_typed(access: PlanAccess, raw: str) -> dict[str, Any]:
    """The draft's fields as the form shows them, to change it (a published account is not
    changed: a correction is a new account)."""
    account = _account(access, raw)
    if not access.can_edit_money_account(account):
        raise PermissionDenied(_("A published account is not changed: give a new one."))
    typed: dict[str, Any] = {
        stage: "" if getattr(account, stage) is None else str(getattr(account, stage))
        for stage in MoneyAccount.STAGES
    }
    typed.update(
        account=str(account.pk),
        evidence=account.evidence,
        link=account.link,
        observed_on=account.observed_on.isoformat(),
    )
    return typed


def _editing(access: PlanAccess, raw: str) -> MoneyAccount | None:
    if not raw:
        return None
    account = _account(access, raw)
    return account if access.can_edit_money_account(account) else None


def _challenge(access: PlanAccess, line: BudgetLine, raw: str) -> BudgetChallenge:
    challenge = BudgetChallenge.objects.filter(line=line, pk=raw if raw.isdigit() else 0).first()
    if challenge is None:
        raise Http404("No such challenge")
    return challenge


def _apply(request: HttpRequest, access: PlanAccess, line: BudgetLine, data: dict[str, Any]) -> str:
    """Run the button pressed; the message to show once done."""
    do = data.get("do", "")
    user = request.user
    assert user.is_authenticated
    if do == "account":
        fields = {k: data.get(k) for k in ("allocated", "released", "reached", "evidence", "link")}
        fields["observed_on"] = data.get("observed_on")
        fields["line"] = line.pk
        files: list[UploadedFile] = data.get("attachments") or []
        files_public = bool(data.get("files_public"))
        if data.get("account"):
            account = _account(access, data["account"])
            # A draft keeps what it is an account of (an action's account is shown, and
            # changed, on each of its lines' pages).
            if account.line_id is None:
                fields["line"] = None
                fields["action"] = account.action.code
            else:
                fields["line"] = account.line_id
            services.money_account_save(
                by=user,
                plan=access.plan,
                organisation=account.organisation,
                data=fields,
                account=account,
                files=files,
                files_public=files_public,
            )
            return _("Your account is changed.")
        services.money_account_save(
            by=user,
            plan=access.plan,
            organisation=_organisation(access, data.get("organisation", "")),
            data=fields,
            files=files,
            files_public=files_public,
        )
        return _("Your account is saved as a draft: only your organisation's monitors read it.")
    if do == "remove_file":
        raw = data.get("file", "")
        item = MoneyAccountFile.objects.filter(
            account__plan=access.plan, pk=raw if raw.isdigit() else 0
        ).first()
        if item is None or not access.can_view_money_account(item.account):
            raise Http404("No such file")
        services.money_account_file_remove(by=user, item=item)
        return _("The file is removed from your draft.")
    if do == "publish":
        services.money_account_publish(by=user, account=_account(access, data.get("account", "")))
        return _("Your account is published.")
    if do == "delete":
        services.money_account_delete(by=user, account=_account(access, data.get("account", "")))
        return _("The draft is deleted.")
    if do == "open":
        services.budget_challenge_open(
            by=user,
            line=line,
            organisation=_organisation(access, data.get("organisation", "")),
            subject=data.get("subject"),
            text=data.get("text"),
        )
        return _("The challenge is open and public; the ministry is asked to answer.")
    steps = {
        "answer": (services.budget_challenge_answer, _("Your answer is recorded.")),
        "dispute": (services.budget_challenge_dispute, _("Your dispute is recorded.")),
        "resolve": (services.budget_challenge_resolve, _("The challenge is resolved.")),
    }
    if do in steps:
        step, done = steps[do]
        step(
            by=user,
            challenge=_challenge(access, line, data.get("challenge", "")),
            text=data.get("text"),
        )
        return done
    raise ValidationError(_("Unknown operation."))


@require_http_methods(["GET", "POST"])
def line_oversight(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A budget line: the government's figures, civil society's accounts, the challenges."""
    access = plan_access(request.user, code)
    line = _line(access, pk)
    status = 200
    typed: dict[str, Any] = {}
    if request.method == "POST":
        if not request.user.is_authenticated:
            login = resolve_url(settings.LOGIN_URL)
            return redirect(f"{login}?next={request.path}")
        form = OversightForm(request.POST, request.FILES)
        try:
            done = _apply(request, access, line, valid_data(form))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            status = 400
            typed = dict(form.data.items())
        else:
            messages.success(request, done)
            return redirect("finance:line_oversight", code=code, pk=pk)
    elif request.GET.get("edit"):
        typed = _draft_typed(access, request.GET["edit"])
    accounts = list(
        oversight.visible_accounts(access).filter(
            Q(line=line) | Q(action=line.action, line__isnull=True)
        )
    )
    line_challenges = list(oversight.challenges(access.plan).filter(line=line))
    own = _own_organisations(access)
    context = {
        "plan": access.plan,
        "access": access,
        "line": line,
        "currency": plan_currency(access.plan),
        "line_accounts": [a for a in accounts if a.line_id == line.pk],
        "action_accounts": [a for a in accounts if a.line_id is None],
        "editable_accounts": {a.pk for a in accounts if access.can_edit_money_account(a)},
        "downloadable": {
            f.pk
            for a in accounts
            for f in a.files.all()
            if access.can_download_money_account_file(f)
        },
        "editing": _editing(access, typed.get("account", "")),
        "challenges": line_challenges,
        "answerable": {c.pk for c in line_challenges if access.can_answer_budget_challenge(c)},
        "challenger": {c.pk for c in line_challenges if access.speaks_for_challenger(c)},
        "own_organisations": own,
        "addressee": oversight.challenge_addressee(line),
        "typed": typed,
        "statuses": ChallengeStatus,
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        "max_files": evidence.FILES_PER_ACCOUNT,
    }
    return render(request, "finance/line_oversight.html", context, status=status)


@require_safe
def budget_divergence(request: HttpRequest, code: str) -> HttpResponse:
    """Where the government's and civil society's accounts of the money differ most."""
    access = plan_access(request.user, code)
    comparison = oversight.budget_divergence(access.plan)
    context = {"plan": access.plan, "access": access, "comparison": comparison}
    return render(request, "finance/budget_divergence.html", context)


@require_safe
@never_cache
def money_file_download(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """A file of an account's evidence, decrypted, to whom may read it
    (`can_download_money_account_file`); 404 to anyone else, as if it did not exist."""
    access = plan_access(request.user, code)
    item = (
        MoneyAccountFile.objects.filter(pk=pk, account__plan=access.plan)
        .select_related("account")
        .first()
    )
    if item is None or not access.can_download_money_account_file(item):
        raise Http404("No such file")
    # The first chunk before the answer starts: a file no key opens is an error page.
    chunks = evidence.chunks_of(item)
    first = next(chunks, b"")
    response = StreamingHttpResponse(
        itertools.chain([first], chunks), content_type=item.content_type
    )
    response["Content-Length"] = str(item.size)
    response["Content-Disposition"] = content_disposition_header(True, item.filename) or (
        "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
