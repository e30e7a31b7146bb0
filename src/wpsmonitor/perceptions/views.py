"""Pages of the perception surveys: the plan's surveys, a survey (its questions, the indicators
they feed, its rounds), the set-up, the answers of a round in an area and their upload. Plain
forms, POST then redirect: everything works without JavaScript. Refused actions answer 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.errors import InputProblems, NotFound
from wpsmonitor.core.names import localized_name
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import Dimension
from wpsmonitor.perceptions import selectors, services
from wpsmonitor.perceptions.forms import (
    QUESTION_SLOTS,
    AnswersForm,
    RoundForm,
    SurveyForm,
    UploadForm,
    count_name,
    options_text,
)
from wpsmonitor.perceptions.models import Survey
from wpsmonitor.perceptions.reading import COLUMNS
from wpsmonitor.perceptions.template import template_note, template_questions
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.uploads import check_upload, saved_upload

# An answers file typed by hand is small; the shell's refusal names this bound.
MAX_UPLOAD_BYTES = 50 * 1024**2


@require_safe
def surveys(request: HttpRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    context = {
        "plan": access.plan,
        "surveys": selectors.surveys_of(access.plan),
        "can_set_up": access.can_set_up_surveys(),
    }
    return render(request, "perceptions/surveys.html", context)


def _survey_form_choices(plan: Plan) -> dict[str, list[tuple[str, str]]]:
    nodes = FrameworkNode.objects.filter(plan=plan).order_by("path")
    areas = Area.objects.filter(path__startswith=plan.area.path).order_by("path")
    dimensions = Dimension.objects.filter(Q(plan__isnull=True) | Q(plan=plan)).order_by("code")
    return {
        "nodes": [(n.code, f"{n.code} {n.title}") for n in nodes],
        "areas": [(a.code, f"{a.code} {localized_name(a.name)}") for a in areas],
        "dimensions": [(d.code, localized_name(d.name)) for d in dimensions],
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def survey_new(request: SignedInRequest, code: str) -> HttpResponse:
    """The coordinator sets a survey up, starting from the template's questions."""
    access = plan_access(request.user, code)
    if not access.can_set_up_surveys():
        raise PermissionDenied
    plan = access.plan
    choices = _survey_form_choices(plan)
    language = plan.original_language
    initial: dict[str, Any] = {"note": template_note(language), "frequency": "year"}
    for slot, spec in enumerate(template_questions(language), start=1):
        initial[f"question_{slot}"] = spec.text
        initial[f"options_{slot}"] = options_text(spec)
    form = SurveyForm(request.POST or None, initial=initial, **choices)
    refused = False
    if request.method == "POST":
        try:
            data = valid_data(form)
            survey = services.survey_set_up(
                by=request.user,
                plan=plan,
                code=data["code"],
                title=data["title"],
                note=data["note"],
                node=data["node"],
                frequency=data["frequency"],
                areas=list(Area.objects.filter(code__in=data["areas"])),
                dimensions=data["dimensions"],
                sensitivity=data["sensitivity"],
                questions=form.questions(),
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            refused = True
        else:
            messages.success(
                request,
                _("The survey is set up: each question feeds an indicator of the plan."),
            )
            return redirect("perceptions:survey", code=code, pk=survey.pk)
    context = {
        "plan": plan,
        "form": form,
        "slots": [
            (slot, form[f"question_{slot}"], form[f"options_{slot}"])
            for slot in range(1, QUESTION_SLOTS + 1)
        ],
    }
    return render(request, "perceptions/survey_new.html", context, status=400 if refused else 200)


def _organisations(plan: Plan) -> list[tuple[str, str]]:
    """The organisations that can run a round: those with focal points or monitors on the plan."""
    ids = PlanRole.objects.filter(
        plan=plan, role__in=[Role.FOCAL_POINT, Role.MONITOR], organisation__isnull=False
    ).values_list("organisation_id", flat=True)
    return [(str(o.pk), o.name) for o in Organisation.objects.filter(pk__in=ids).order_by("name")]


def _survey(access: PlanAccess, pk: int) -> Survey:
    return selectors.survey_of(access.plan, pk)


@require_safe
def survey(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    found = _survey(access, pk)
    rounds = selectors.rounds_of(found, access)
    latest = rounds[-1].round if rounds else None
    questions = [(q, access.can_view_indicator(q.indicator)) for q in found.questions.all()]
    context = {
        "plan": access.plan,
        "survey": found,
        "questions": questions,
        "rounds": rounds,
        "latest": latest,
        "can_set_up": access.can_set_up_surveys(),
        "organisations": _organisations(access.plan) if access.can_set_up_surveys() else [],
    }
    return render(request, "perceptions/survey.html", context)


@require_POST
@login_required
def round_open(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_set_up_surveys():
        raise PermissionDenied
    found = _survey(access, pk)
    form = RoundForm(request.POST, organisations=_organisations(access.plan))
    try:
        data = valid_data(form)
        services.round_open(
            by=request.user,
            survey=found,
            period=data["period"],
            organisation=Organisation.objects.get(pk=int(data["organisation"])),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The round is open."))
    return redirect("perceptions:survey", code=code, pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def answers(request: SignedInRequest, code: str, pk: int, round_pk: int, area: str) -> HttpResponse:
    """The answers of a round in an area: respondents per question, cell and option."""
    access = plan_access(request.user, code)
    found = _survey(access, pk)
    round_ = selectors.round_of(found, round_pk)
    area_obj = found.areas.filter(code=area).first()
    if area_obj is None:
        raise NotFound(_("No area %(code)s in this survey.") % {"code": area})
    if not access.can_enter_survey_answers(round_.organisation_id, area_obj):
        raise PermissionDenied
    grids = selectors.answer_grid(round_, area_obj)
    form = AnswersForm(request.POST or None, grids=grids)
    refused = False
    if request.method == "POST":
        try:
            counted = services.answers_save(
                by=request.user, round_=round_, area=area_obj, counts=_counts(form)
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            refused = True
        except InputProblems as exc:  # the ingest's own checks, as for every import
            messages.error(request, " ".join([exc.summary(), *(p.message for p in exc.located())]))
            refused = True
        else:
            messages.success(
                request,
                _(
                    "The answers are saved and the figures are being rebuilt. Answers counted: %(count)d."
                )
                % {"count": counted},
            )
            return redirect("perceptions:survey", code=code, pk=pk)
    context = {
        "plan": access.plan,
        "survey": found,
        "round": round_,
        "area": area_obj,
        "grids": [
            (
                grid,
                [
                    (
                        row,
                        [
                            (option, form[count_name(grid.question.pk, row.cell.pk, option)])
                            for option, _c in row.counts
                        ],
                    )
                    for row in grid.rows
                ],
            )
            for grid in grids
        ],
        "bound": request.method == "POST",
    }
    return render(request, "perceptions/answers.html", context, status=400 if refused else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def upload(request: SignedInRequest, code: str, pk: int, round_pk: int) -> HttpResponse:
    """A round's answers from a CSV or XLSX file: all or nothing, every problem located."""
    access = plan_access(request.user, code)
    found = _survey(access, pk)
    round_ = selectors.round_of(found, round_pk)
    if not access.can_enter_survey_answers(round_.organisation_id):
        raise PermissionDenied
    problems: list[str] = []
    if request.method == "POST":
        try:
            file = check_upload(
                valid_data(UploadForm(request.POST, request.FILES))["file"],
                missing=_("Choose a CSV or XLSX file."),
                max_bytes=MAX_UPLOAD_BYTES,
            )
            with saved_upload(file, default_name="answers.csv") as path:
                stored = services.answers_upload(
                    by=request.user, round_=round_, path=path, filename=path.name
                )
        except services.AnswersRefused as exc:
            problems = [p.message for p in exc.located()]
        except ValidationError as exc:
            problems = [error_text(exc)]
        else:
            messages.success(
                request,
                _("The file is stored and the figures are being rebuilt. Rows stored: %(count)d.")
                % {"count": stored},
            )
            return redirect("perceptions:survey", code=code, pk=pk)
    context = {
        "plan": access.plan,
        "survey": found,
        "round": round_,
        "problems": problems,
        "columns": COLUMNS,
        "cells": list(found.scheme.cells.order_by("id").values_list("code", flat=True)[:6]),
    }
    return render(request, "perceptions/upload.html", context, status=400 if problems else 200)


def _counts(form: AnswersForm) -> dict[tuple[int, int, str], int | None]:
    valid_data(form)
    return form.counts()
