"""The pages of selection rounds (docs/stories.md, "Selection rounds (Most Significant
Change)"): the plan's rounds, opening one (the coordinator), a round's page with its candidates
and the panel's choice form, and deciding it (a confirmation page first).

Readers: the plan's members and the administrator (`PlanAccess.can_read_selection_rounds`);
everyone else signed in gets 403. Every story on a round's page is read through
`reading.read_stories` (selection.round_reading): coarse outside its holder, logged. Pages are
never cached (the reads are logged, and a withdrawn consent ends a read at once).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.accounts.models import PlanRole
from wpsmonitor.accounts.two_factor import is_verified
from wpsmonitor.core.history import display_name, kept_name
from wpsmonitor.directory.areas import PROVINCE_DEPTH
from wpsmonitor.directory.models import Area
from wpsmonitor.shell.confirm import Confirmation, confirm_page, confirmed
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.stories import selection, services
from wpsmonitor.stories.forms import SelectionChoiceForm, SelectionRoundForm
from wpsmonitor.stories.models import RoundStatus, SelectionLevel, SelectionRound


def _readers(request: SignedInRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_read_selection_rounds():
        raise PermissionDenied
    return access


def _round(access: PlanAccess, pk: int) -> SelectionRound:
    found = (
        SelectionRound.objects.select_related("plan", "area")
        .prefetch_related("panel")
        .filter(plan=access.plan, pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such round")
    return found


def _round_url(selection_round: SelectionRound) -> str:
    return reverse("stories:round", args=[selection_round.plan.code, selection_round.pk])


@require_safe
@login_required
@never_cache
def round_list(request: SignedInRequest, code: str) -> HttpResponse:
    """The plan's selection rounds, newest period first."""
    access = _readers(request, code)
    rounds = SelectionRound.objects.filter(plan=access.plan).select_related("plan", "area")
    return render(
        request,
        "stories/rounds.html",
        {
            "plan": access.plan,
            "rows": [
                {
                    "title": selection.round_title(r),
                    "domain": selection.round_domain_words(r.domain),
                    "status": RoundStatus(r.status).label,
                    "url": _round_url(r),
                }
                for r in rounds
            ],
            "can_create": access.can_manage_selection_rounds(),
        },
    )


def _members(access: PlanAccess) -> list[tuple[int, str]]:
    """The plan's members with an account, who may sit on a panel."""
    ids = PlanRole.objects.filter(plan=access.plan, user__is_active=True).values("user_id")
    users = get_user_model()._default_manager.filter(pk__in=ids).order_by("username")
    return [(u.pk, display_name(u)) for u in users]


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def round_new(request: SignedInRequest, code: str) -> HttpResponse:
    """Open a selection round: the coordinator."""
    access = plan_access(request.user, code)
    if not access.can_manage_selection_rounds():
        raise PermissionDenied
    plan = access.plan
    members = _members(access)
    provinces = [
        a
        for a in Area.objects.filter(path__startswith=plan.area.path).order_by("name")
        if len(a.ancestor_ids) == PROVINCE_DEPTH
    ]
    context: dict[str, Any] = {
        "plan": plan,
        "levels": SelectionLevel.choices,
        "provinces": provinces,
        "members": members,
    }
    if request.method == "POST":
        form = SelectionRoundForm(request.POST, plan=plan, members=members)
        try:
            given = valid_data(form)
            created = services.selection_round_create(
                by=request.user,
                plan=plan,
                level=given["level"],
                period=given["period"],
                domain=given["domain"],
                area=given["area"],
                panel=list(get_user_model()._default_manager.filter(pk__in=given["panel"])),
                panel_others=given["panel_others"],
            )
        except ValidationError as exc:
            context.update(
                {
                    "error": error_text(exc),
                    "posted": form.data,
                    "posted_panel": request.POST.getlist("panel"),
                }
            )
            return render(request, "stories/round_form.html", context, status=400)
        messages.success(request, _("The round is open: its panel may now choose."))
        return redirect(_round_url(created))
    return render(request, "stories/round_form.html", context)


def _choose(request: SignedInRequest, access: PlanAccess, selection_round: SelectionRound) -> None:
    """The choice form's POST; its outcome is a message on the round's page."""
    if not access.can_choose_in(selection_round):
        raise PermissionDenied
    pool = {str(s.uid): s for s in selection.candidates(selection_round)}
    form = SelectionChoiceForm(request.POST, uids=list(pool))
    try:
        given = valid_data(form)
        story = pool.get(str(given["story"]))
        if story is None:
            raise ValidationError(_("This story is not a candidate of this round."))
        services.selection_choose(
            by=request.user,
            selection_round=selection_round,
            story=story,
            reason=given["reason"],
            ranking=[pool[uid] for uid in form.ranking()],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return
    messages.success(request, _("The choice and its reason are recorded."))


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def round_detail(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """A round: what it is, its panel; open, its candidates by domain and, for those who
    choose, the choice forms; decided, its choices, reasons and rankings."""
    access = _readers(request, code)
    selection_round = _round(access, pk)
    if request.method == "POST":
        _choose(request, access, selection_round)
        return redirect(_round_url(selection_round))
    reading = selection.round_reading(access, selection_round, verified=is_verified(request))
    can_choose = selection_round.is_open and access.can_choose_in(selection_round)
    return render(
        request,
        "stories/round.html",
        {
            "plan": access.plan,
            "round": selection_round,
            "title": selection.round_title(selection_round),
            "level": SelectionLevel(selection_round.level).label,
            "domain": selection.round_domain_words(selection_round.domain),
            "status": RoundStatus(selection_round.status).label,
            "panel": [display_name(u) for u in selection_round.panel.all()],
            "others": selection_round.others(),
            "decided_by": kept_name(selection_round, "decided_by"),
            "domains": [
                {
                    "name": selection.choice_domain_words(d.domain),
                    "key": number,
                    "candidates": d.candidates,
                    "choice": d.choice,
                }
                for number, d in enumerate(reading.domains, start=1)
            ],
            "unreadable": reading.unreadable,
            "waiting_for_below": reading.waiting_for_below,
            "can_choose": can_choose,
            "can_decide": can_choose and any(d.choice for d in reading.domains),
            "decide_url": reverse("stories:round_decide", args=[code, selection_round.pk]),
        },
    )


@require_POST
@login_required
def round_decide(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    """Decide the round (a confirmation page first): its choices are frozen and fed back."""
    access = _readers(request, code)
    selection_round = _round(access, pk)
    if not access.can_choose_in(selection_round):
        raise PermissionDenied
    if not confirmed(request):
        chosen = set(selection_round.choices.values_list("domain", flat=True))
        without = sorted(
            {selection.domain_of(selection_round, s) for s in selection.candidates(selection_round)}
            - chosen,
            key=str.casefold,
        )
        return confirm_page(
            request,
            Confirmation(
                title=_("Decide this round: %(round)s?")
                % {"round": selection.round_title(selection_round)},
                button=_("Decide the round"),
                cancel_url=_round_url(selection_round),
                blank=[selection.choice_domain_words(d) for d in without],
                blank_title=_("Domains of change without a choice"),
                notes=[
                    _(
                        "Every member of the plan reads the choices and their reasons, the "
                        "holders of the candidate stories among them; the people of the "
                        "organisations that hold the chosen stories are told by mail, each in "
                        "their language."
                    ),
                    _("The choices cannot be changed once the round is decided."),
                ],
            ),
        )
    try:
        services.selection_decide(by=request.user, selection_round=selection_round)
        messages.success(
            request,
            _("The round is decided: the holders of the chosen stories are told."),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(_round_url(selection_round))
