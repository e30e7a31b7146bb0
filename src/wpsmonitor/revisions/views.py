"""Pages of a plan's versions (docs/revisions.md): the list of versions with the review that
caused each and a link to its difference, a version's page (what it changed from the version
before, or for a draft what the live framework changes from the current one), the comparison
of any two versions, and the coordinator's forms (prepare, drop an indicator, approve). Plain
forms, POST then redirect: everything works without JavaScript. Refused actions answer 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import VersionStatus
from wpsmonitor.plans.versions import board_cosigned
from wpsmonitor.revisions import selectors, services
from wpsmonitor.revisions.forms import IndicatorForm, PrepareForm
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest


def _reader(request: HttpRequest, code: str) -> PlanAccess:
    # A board member reads the versions they co-sign even on a plan still in draft.
    access = plan_access(request.user, code, may_open=PlanAccess.can_read_versions)
    if not access.can_read_versions():
        raise PermissionDenied
    return access


def _reviser(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_revise_framework():
        raise PermissionDenied
    return access


def _reviews(access: PlanAccess) -> list[tuple[int, str]]:
    return [(r.pk, str(r)) for r in access.plan.reviews.all()]  # type: ignore[attr-defined]


@require_safe
def versions(request: HttpRequest, code: str) -> HttpResponse:
    access = _reader(request, code)
    plan = access.plan
    can_revise = access.can_revise_framework()
    context: dict[str, Any] = {
        "plan": plan,
        "versions": list(selectors.versions_of(plan)),
        "draft": selectors.draft_version(plan),
        "retired": list(
            selectors.retired_indicators(plan).exclude(
                code__in=selectors.hidden_codes(request.user, plan)
            )
        ),
        "can_revise": can_revise,
        "form": PrepareForm(reviews=_reviews(access)) if can_revise else None,
    }
    return render(request, "revisions/versions.html", context)


def _difference_page(
    request: HttpRequest, access: PlanAccess, context: dict[str, Any]
) -> HttpResponse:
    context["plan"] = access.plan
    context["diff"] = selectors.difference_for(
        context["diff"], selectors.hidden_codes(request.user, access.plan)
    )
    return render(request, "revisions/version.html", context)


@require_safe
def version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.version_get(access.plan, number)
    before, diff = selectors.version_difference(found)
    can_revise = access.can_revise_framework() and found.status == VersionStatus.DRAFT
    return _difference_page(
        request,
        access,
        {
            "version": found,
            "before": before,
            "after": found,
            "diff": diff,
            "can_revise": can_revise,
            "drop_form": IndicatorForm() if can_revise else None,
            "dropped": list(found.retired_indicators.order_by("code"))  # type: ignore[attr-defined]
            if can_revise
            else [],
            "cosigned": board_cosigned(found) if found.board_cosign_required else False,
        },
    )


@require_safe
def compare(request: HttpRequest, code: str, a: int, b: int) -> HttpResponse:
    access = _reader(request, code)
    before = selectors.version_get(access.plan, a)
    after = selectors.version_get(access.plan, b)
    diff = selectors.difference(selectors.snapshot_of(before), selectors.snapshot_of(after))
    return _difference_page(
        request, access, {"version": None, "before": before, "after": after, "diff": diff}
    )


def _done(request: HttpRequest, work: Any, done: str) -> bool:
    try:
        work()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, done)
    return True


@require_POST
@login_required
def prepare(request: SignedInRequest, code: str) -> HttpResponse:
    access = _reviser(request, code)
    form = PrepareForm(request.POST, reviews=_reviews(access))

    def work() -> None:
        data = valid_data(form)
        review = access.plan.reviews.filter(pk=data["review"]).first() if data["review"] else None  # type: ignore[attr-defined]
        services.revision_prepare(
            access=access,
            kind=data["kind"],
            reason=data["reason"],
            review=review,
            board_cosign_required=data["board_cosign_required"],
        )

    _done(request, work, _("The revision is being prepared as a draft."))
    return redirect("revisions:versions", code)


def _draft_and_indicator(
    request: HttpRequest, access: PlanAccess, number: int
) -> tuple[Any, Indicator]:
    found = selectors.version_get(access.plan, number)
    data = valid_data(IndicatorForm(request.POST))
    indicator = Indicator.objects.filter(plan=access.plan, code=data["indicator"]).first()
    if indicator is None:
        raise ValidationError(_("The plan has no indicator with this code."))
    return found, indicator


@require_POST
@login_required
def drop(request: SignedInRequest, code: str, number: int) -> HttpResponse:
    access = _reviser(request, code)

    def work() -> None:
        found, indicator = _draft_and_indicator(request, access, number)
        services.indicator_drop(access=access, version=found, indicator=indicator)

    _done(request, work, _("The indicator is dropped in this revision; its figures are kept."))
    return redirect("revisions:version", code, number)


@require_POST
@login_required
def keep(request: SignedInRequest, code: str, number: int) -> HttpResponse:
    access = _reviser(request, code)

    def work() -> None:
        found, indicator = _draft_and_indicator(request, access, number)
        services.indicator_keep(access=access, version=found, indicator=indicator)

    _done(request, work, _("The indicator stays in the framework."))
    return redirect("revisions:version", code, number)


@require_POST
@login_required
def approve(request: SignedInRequest, code: str, number: int) -> HttpResponse:
    access = _reviser(request, code)
    found = selectors.version_get(access.plan, number)
    _done(
        request,
        lambda: services.revision_approve(access=access, version=found),
        _("The revision is approved: it is the plan's current version."),
    )
    return redirect("revisions:version", code, number)


@require_POST
@login_required
def abandon(request: SignedInRequest, code: str, number: int) -> HttpResponse:
    """Abandon the draft, after a confirmation page (it cannot be undone)."""
    access = _reviser(request, code)
    found = selectors.version_get(access.plan, number)
    back = reverse("revisions:version", args=[code, number])
    if not confirmed(request):
        dropped = found.retired_indicators.count()  # type: ignore[attr-defined]
        return confirm_page(
            request,
            Confirmation(
                title=_("Abandon the draft of version %(number)s?") % {"number": found.number},
                button=_("Abandon the draft"),
                cancel_url=back,
                notes=[
                    _(
                        "The draft stays in the list of versions, marked abandoned; it never "
                        "becomes current. This cannot be undone."
                    ),
                    _("Indicators the draft dropped go back into the framework: %(count)s.")
                    % {"count": dropped},
                    _(
                        "Edits made to the framework while the draft was open stay: the draft is "
                        "the live framework. The next revision will show them."
                    ),
                ],
            ),
        )
    _done(
        request,
        lambda: services.revision_abandon(access=access, version=found),
        _("The draft is abandoned."),
    )
    return redirect("revisions:version", code, number)
