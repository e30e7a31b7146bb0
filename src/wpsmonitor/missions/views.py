"""Pages of UN missions (docs/missions.md): the plan's missions, a mission (its mandates and
their WPS provisions), its transition plan (phases × areas, progress per phase), a benchmark
(its status history), the protection indicators before and after each handover, and the forms
that record them. Plain forms, POST then redirect: everything works without JavaScript.
Refused actions answer 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.core.errors import NotFound
from wpsmonitor.core.translated import shown
from wpsmonitor.indicators.reading import ReadingFor, flag_text, reading_about
from wpsmonitor.indicators.selectors import hidden_indicators_for
from wpsmonitor.missions import selectors, services
from wpsmonitor.missions.forms import (
    BenchmarkForm,
    MissionForm,
    PhaseForm,
    ProvisionForm,
    ResolutionForm,
    StatusForm,
    TransitionForm,
    WatchForm,
)
from wpsmonitor.missions.models import TransitionPlan, UNMission
from wpsmonitor.plans.models import Plan
from wpsmonitor.shell.editing import Crumb, edit_page, removal_page
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.templatetags.shell import figure_value, num, value_as


def _reader(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_read_missions():
        raise PermissionDenied
    return access


def _manager(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_manage_missions():
        raise PermissionDenied
    return access


def _transition(mission: UNMission) -> TransitionPlan:
    found = selectors.transition_of(mission)
    if found is None:
        raise NotFound(_("The mission has no transition plan yet."))
    return found


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    back: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A form that records something new: the edit page's flow, its button "Record"."""
    return _edit_page(request, form, save, done, back, {**context, "button": _("Record")})


@require_safe
def missions(request: HttpRequest, code: str) -> HttpResponse:
    access = _reader(request, code)
    context = {
        "plan": access.plan,
        "missions": selectors.missions_of(access.plan),
        "can_manage": access.can_manage_missions(),
    }
    return render(request, "missions/missions.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def mission_new(request: SignedInRequest, code: str) -> HttpResponse:
    access = _manager(request, code)
    form = MissionForm(request.POST or None)
    back = reverse("missions:missions", args=[code])
    return _form_page(
        request,
        form,
        lambda d: services.mission_record(by=request.user, plan=access.plan, **d),
        _("The mission is recorded."),
        back,
        {"plan": access.plan, "here": _("Record a UN mission")},
    )


@require_safe
def mission(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.mission_of(access.plan, pk)
    context = {
        "plan": access.plan,
        "mission": found,
        "mandates": selectors.mandates_of(found),
        "transition": selectors.transition_of(found),
        "can_manage": access.can_manage_missions(),
    }
    return render(request, "missions/mission.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def resolution_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    return _form_page(
        request,
        ResolutionForm(request.POST or None),
        lambda d: services.resolution_record(by=request.user, mission=found, **d),
        _("The mandate resolution is recorded."),
        reverse("missions:mission", args=[code, found.pk]),
        {"plan": access.plan, "mission": found, "here": _("Add a mandate resolution")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def provision_new(request: SignedInRequest, code: str, pk: int, resolution_pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    resolution = selectors.resolution_of(found, resolution_pk)
    return _form_page(
        request,
        ProvisionForm(request.POST or None),
        lambda d: services.provision_record(by=request.user, resolution=resolution, **d),
        _("The provision is recorded."),
        reverse("missions:mission", args=[code, found.pk]),
        {
            "plan": access.plan,
            "mission": found,
            "here": _("Add a WPS provision of %(symbol)s") % {"symbol": resolution.symbol},
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def transition_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    current = selectors.transition_of(found)
    initial = (
        {
            "title": current.title,
            "adopted_on": current.adopted_on,
            "gender_analysis": current.gender_analysis,
            "document_url": current.document_url,
        }
        if current
        else {}
    )
    page = _edit_page if current else _form_page
    return page(
        request,
        TransitionForm(request.POST or None, initial=initial),
        lambda d: services.transition_record(by=request.user, mission=found, **d),
        _("The transition plan is recorded."),
        reverse("missions:transition", args=[code, found.pk]),
        {"plan": access.plan, "mission": found, "here": _("Record the transition plan")},
    )


@require_safe
def transition(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.mission_of(access.plan, pk)
    plan_found = _transition(found)
    context = {
        "plan": access.plan,
        "mission": found,
        "transition": plan_found,
        "table": selectors.progress(plan_found),
        "watched": selectors.watched_of(plan_found, request.user),
        "can_manage": access.can_manage_missions(),
        "here": _("Transition plan"),
    }
    return render(request, "missions/transition.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def phase_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    plan_found = _transition(found)
    initial = {"number": plan_found.phases.count() + 1}
    return _form_page(
        request,
        PhaseForm(request.POST or None, plan=access.plan, initial=initial),
        lambda d: services.phase_record(by=request.user, transition=plan_found, **d),
        _("The phase is recorded."),
        reverse("missions:transition", args=[code, found.pk]),
        {"plan": access.plan, "mission": found, "here": _("Add a phase")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def benchmark_new(request: SignedInRequest, code: str, pk: int, phase_pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    phase = selectors.phase_of(_transition(found), phase_pk)
    return _form_page(
        request,
        BenchmarkForm(request.POST or None, plan=access.plan),
        lambda d: services.benchmark_record(by=request.user, phase=phase, **d),
        _("The benchmark is recorded."),
        reverse("missions:transition", args=[code, found.pk]),
        {
            "plan": access.plan,
            "mission": found,
            "here": _("Add a benchmark to phase %(number)d") % {"number": phase.number},
        },
    )


@require_safe
def benchmark(request: HttpRequest, code: str, pk: int, benchmark_pk: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.mission_of(access.plan, pk)
    bench = selectors.benchmark_of(found, benchmark_pk)
    context = {
        "plan": access.plan,
        "mission": found,
        "benchmark": bench,
        "history": selectors.history_of(bench),
        "form": StatusForm() if access.can_manage_missions() else None,
        "here": _("Benchmark"),
    }
    return render(request, "missions/benchmark.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def benchmark_status(
    request: SignedInRequest, code: str, pk: int, benchmark_pk: int
) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    bench = selectors.benchmark_of(found, benchmark_pk)
    return _form_page(
        request,
        StatusForm(request.POST or None),
        lambda d: services.benchmark_status(by=request.user, benchmark=bench, **d),
        _("The benchmark's status is recorded."),
        reverse("missions:benchmark", args=[code, found.pk, bench.pk]),
        {"plan": access.plan, "mission": found, "here": _("Record the benchmark's status")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def watch_new(request: SignedInRequest, code: str, pk: int, phase_pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    phase = selectors.phase_of(_transition(found), phase_pk)
    indicators = access.plan.indicators.exclude(
        hidden_indicators_for(request.user, access.plan)
    ).order_by("code")
    return _form_page(
        request,
        WatchForm(request.POST or None, indicators=indicators),
        lambda d: services.watch_record(by=request.user, phase=phase, **d),
        _("The indicator is watched."),
        reverse("missions:protection", args=[code, found.pk]),
        {
            "plan": access.plan,
            "mission": found,
            "here": _("Watch an indicator in phase %(number)d") % {"number": phase.number},
        },
    )


def _cells(row: selectors.Watched) -> dict[str, Any]:
    """A watched indicator's periods before and after as (period, shown text), and each side's
    mean, as the indicator's kind reads them; a hidden figure says why it is hidden."""
    if row.comparison is None:
        return {}
    indicator = row.watched.indicator

    def side(found: selectors.Side) -> dict[str, Any]:
        return {
            "cells": [
                (
                    p.period_code,
                    flag_text(p.figure.flag, p.figure.threshold)
                    if p.figure.flag
                    else figure_value(p.figure, indicator),
                )
                for p in found.points
            ],
            "mean": value_as(indicator, found.mean) if found.mean is not None else "",
            "hidden": found.hidden,
        }

    change = row.comparison.change
    return {
        "before": side(row.comparison.before),
        "after": side(row.comparison.after),
        "change": "" if change is None else num(change),
    }


@require_safe
def protection(request: HttpRequest, code: str, pk: int, reading_for: ReadingFor) -> HttpResponse:
    """The watched indicators' figures in each phase's area before and after its handover,
    read from the reader's figures: the detail for members, the published release for others."""
    access = _reader(request, code)
    found = selectors.mission_of(access.plan, pk)
    plan_found = _transition(found)
    reading = reading_for(access)
    rows = selectors.compare(selectors.watched_of(plan_found, request.user), reading.figures)
    shown = [(w, _cells(w)) for w in rows]
    context = {
        "plan": access.plan,
        "mission": found,
        "transition": plan_found,
        "rows": shown,
        "reading": reading,
        "about": reading_about(reading)[1],
        "window": selectors.WINDOW,
        "can_manage": access.can_manage_missions(),
        "here": _("Protection indicators before and after the handover"),
    }
    return render(request, "missions/protection.html", context)


# Editing (docs/missions.md, "Editing") ----------------------------------------------------
#
# Each change is a form filled with what is recorded; a refusal is shown beside its field (the
# form's own, and the service's, keyed by field) and listed at the top, linked to the field.
# A removal asks first, on a page that says why when it is refused.


def _crumbs(plan: Plan, mission: UNMission | None = None) -> list[Crumb]:
    """The pages above an edit or removal page: the plan, its missions, the mission."""
    found = [
        (shown(plan, "title").text, reverse("portal:plan", args=[plan.code])),
        (_("UN missions"), reverse("missions:missions", args=[plan.code])),
    ]
    if mission is not None:
        found.append((mission.acronym, reverse("missions:mission", args=[plan.code, mission.pk])))
    return found


def _edit_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    back: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The shell's edit page (shell/editing.py) with the missions' breadcrumbs."""
    return edit_page(
        request,
        form,
        save,
        saved_message=done,
        done_url=back,
        context={
            **context,
            "cancel_url": back,
            "breadcrumbs": _crumbs(context["plan"], context.get("mission")),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def mission_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    initial = {
        "acronym": found.acronym,
        "name": found.name,
        "kind": found.kind,
        "status": found.status,
        "started_on": found.started_on,
        "ended_on": found.ended_on,
        "planned_end_on": found.planned_end_on,
    }
    return _edit_page(
        request,
        MissionForm(request.POST or None, initial=initial),
        lambda d: services.mission_record(by=request.user, plan=access.plan, mission=found, **d),
        _("The mission is saved."),
        reverse("missions:mission", args=[code, found.pk]),
        {"plan": access.plan, "mission": found, "here": _("Change the mission")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def mission_delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    return removal_page(
        request,
        breadcrumbs=_crumbs(access.plan, found),
        what=_("the mission %(acronym)s") % {"acronym": found.acronym},
        remove=lambda: services.mission_remove(by=request.user, mission=found),
        refusal=selectors.mission_removal_refused(found),
        removed_message=_("The mission is removed."),
        cancel_url=reverse("missions:mission", args=[code, found.pk]),
        done_url=reverse("missions:missions", args=[code]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def resolution_edit(
    request: SignedInRequest, code: str, pk: int, resolution_pk: int
) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    resolution = selectors.resolution_of(found, resolution_pk)
    initial = {
        "symbol": resolution.symbol,
        "adopted_on": resolution.adopted_on,
        "mandate_until": resolution.mandate_until,
    }
    return _edit_page(
        request,
        ResolutionForm(request.POST or None, initial=initial),
        lambda d: services.resolution_update(by=request.user, resolution=resolution, **d),
        _("The mandate resolution is saved."),
        reverse("missions:mission", args=[code, found.pk]),
        {
            "plan": access.plan,
            "mission": found,
            "here": _("Change %(symbol)s") % {"symbol": resolution.symbol},
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def resolution_delete(
    request: SignedInRequest, code: str, pk: int, resolution_pk: int
) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    resolution = selectors.resolution_of(found, resolution_pk)
    back = reverse("missions:mission", args=[code, found.pk])
    return removal_page(
        request,
        breadcrumbs=_crumbs(access.plan, found),
        what=_("%(symbol)s and its WPS provisions (%(count)d)")
        % {"symbol": resolution.symbol, "count": resolution.provisions.count()},
        remove=lambda: services.resolution_remove(by=request.user, resolution=resolution),
        removed_message=_("The mandate resolution is removed."),
        cancel_url=back,
        done_url=back,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def phase_edit(request: SignedInRequest, code: str, pk: int, phase_pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    phase = selectors.phase_of(_transition(found), phase_pk)
    initial = {
        "number": phase.number,
        "name": phase.name,
        "area": phase.area_id,
        "handover_on": phase.handover_on,
    }
    return _edit_page(
        request,
        PhaseForm(request.POST or None, plan=access.plan, initial=initial),
        lambda d: services.phase_update(by=request.user, phase=phase, **d),
        _("The phase is saved."),
        reverse("missions:transition", args=[code, found.pk]),
        {
            "plan": access.plan,
            "mission": found,
            "here": _("Change phase %(number)d") % {"number": phase.number},
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def phase_delete(request: SignedInRequest, code: str, pk: int, phase_pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    phase = selectors.phase_of(_transition(found), phase_pk)
    back = reverse("missions:transition", args=[code, found.pk])
    return removal_page(
        request,
        breadcrumbs=_crumbs(access.plan, found),
        what=_("phase %(number)d, %(name)s, and the indicators watched in it")
        % {"number": phase.number, "name": phase.name},
        remove=lambda: services.phase_remove(by=request.user, phase=phase),
        refusal=selectors.phase_removal_refused(phase),
        removed_message=_("The phase is removed."),
        cancel_url=back,
        done_url=back,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def benchmark_edit(request: SignedInRequest, code: str, pk: int, benchmark_pk: int) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    bench = selectors.benchmark_of(found, benchmark_pk)
    initial = {
        "description": bench.description,
        "area": bench.area_id,
        "target_on": bench.target_on,
    }
    return _edit_page(
        request,
        BenchmarkForm(request.POST or None, plan=access.plan, initial=initial),
        lambda d: services.benchmark_update(by=request.user, benchmark=bench, **d),
        _("The benchmark is saved."),
        reverse("missions:benchmark", args=[code, found.pk, bench.pk]),
        {"plan": access.plan, "mission": found, "here": _("Change the benchmark")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def benchmark_delete(
    request: SignedInRequest, code: str, pk: int, benchmark_pk: int
) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    bench = selectors.benchmark_of(found, benchmark_pk)
    return removal_page(
        request,
        breadcrumbs=_crumbs(access.plan, found),
        what=_("the benchmark “%(description)s”") % {"description": bench.description[:80]},
        remove=lambda: services.benchmark_remove(by=request.user, benchmark=bench),
        refusal=selectors.benchmark_removal_refused(bench),
        removed_message=_("The benchmark is removed."),
        cancel_url=reverse("missions:benchmark", args=[code, found.pk, bench.pk]),
        done_url=reverse("missions:transition", args=[code, found.pk]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def provision_edit(
    request: SignedInRequest, code: str, pk: int, resolution_pk: int, provision_pk: int
) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    resolution = selectors.resolution_of(found, resolution_pk)
    provision = selectors.provision_of(resolution, provision_pk)
    initial = {
        "category": provision.category,
        "paragraph": provision.paragraph,
        "text": provision.text,
    }
    return _edit_page(
        request,
        ProvisionForm(request.POST or None, initial=initial),
        lambda d: services.provision_record(
            by=request.user, resolution=resolution, provision=provision, **d
        ),
        _("The provision is saved."),
        reverse("missions:mission", args=[code, found.pk]),
        {
            "plan": access.plan,
            "mission": found,
            "here": _("Change a WPS provision of %(symbol)s") % {"symbol": resolution.symbol},
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def provision_delete(
    request: SignedInRequest, code: str, pk: int, resolution_pk: int, provision_pk: int
) -> HttpResponse:
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    resolution = selectors.resolution_of(found, resolution_pk)
    provision = selectors.provision_of(resolution, provision_pk)
    back = reverse("missions:mission", args=[code, found.pk])
    return removal_page(
        request,
        breadcrumbs=_crumbs(access.plan, found),
        what=_("the provision “%(text)s” of %(symbol)s")
        % {"text": Truncator(provision.text).chars(80), "symbol": resolution.symbol},
        remove=lambda: services.provision_remove(by=request.user, provision=provision),
        removed_message=_("The provision is removed."),
        cancel_url=back,
        done_url=back,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def watch_delete(request: SignedInRequest, code: str, pk: int, watch_pk: int) -> HttpResponse:
    """Stop watching an indicator in a phase (the figures stay: they are the indicator's)."""
    access = _manager(request, code)
    found = selectors.mission_of(access.plan, pk)
    watched = selectors.watch_of(_transition(found), watch_pk)
    back = reverse("missions:transition", args=[code, found.pk])
    return removal_page(
        request,
        breadcrumbs=_crumbs(access.plan, found),
        title=_("Stop watching %(code)s in phase %(number)d?")
        % {"code": watched.indicator.code, "number": watched.phase.number},
        question=_(
            "The indicator's figures stay; only its comparison around this phase's handover "
            "is no longer shown. It can be watched again."
        ),
        here=_("Stop watching"),
        remove=lambda: services.watch_remove(by=request.user, watched=watched),
        removed_message=_("The indicator is no longer watched in the phase."),
        cancel_url=back,
        done_url=back,
    )
