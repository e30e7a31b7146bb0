"""Pages of peace processes (docs/peace-processes.md): the plan's processes, a process (its
trend of women's share by round, as a table and a chart, its rounds and delegations, its
consultations), and the forms that record them. Plain forms, POST then redirect: everything
works without JavaScript. Refused actions answer 403."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.core.translated import shown
from wpsmonitor.directory.models import Organisation
from wpsmonitor.peace import agreements as agreements_import
from wpsmonitor.peace import selectors, services
from wpsmonitor.peace.charts import trend_chart
from wpsmonitor.peace.forms import (
    AgreementForm,
    ConsultationForm,
    DelegationForm,
    PaxImportForm,
    ProcessForm,
    ProvisionAssessmentForm,
    ProvisionForm,
    ProvisionStatusForm,
    RoundForm,
    seat_field_name,
)
from wpsmonitor.peace.models import Agreement, Consultation, PeaceProcess, SeatRole, SeatSex
from wpsmonitor.plans.models import Plan
from wpsmonitor.shell.editing import Crumb, edit_page, removal_page
from wpsmonitor.shell.forms import error_text, valid_data
from wpsmonitor.shell.requests import SignedInRequest
from wpsmonitor.shell.uploads import saved_upload


def _reader(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_read_peace():
        raise PermissionDenied
    return access


@require_safe
def processes(request: HttpRequest, code: str) -> HttpResponse:
    access = _reader(request, code)
    context = {
        "plan": access.plan,
        "processes": selectors.processes_of(access.plan),
        "can_manage": access.can_manage_peace(),
    }
    return render(request, "peace/processes.html", context)


@require_safe
def process(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = _reader(request, code)
    found = selectors.process_of(access.plan, pk)
    rows = selectors.trend(found)
    delegations = selectors.delegations_of(found)
    rounds = [
        (
            r.round,
            [(d, selectors.seat_table(d)) for d in delegations.get(r.round.pk, [])],
        )
        for r in rows
    ]
    consultations = [
        (c, access.can_change_consultation(c)) for c in selectors.consultations_of(found)
    ]
    context = {
        "plan": access.plan,
        "process": found,
        "rows": rows,
        "cfr_roles": [(r.value, r.label) for r in selectors.CFR_ROLES],
        "all_roles": SeatRole.choices,
        "sexes": SeatSex.choices,
        "chart": trend_chart(found, rows),
        "rounds": rounds,
        "consultations": consultations,
        "can_manage": access.can_manage_peace(),
        "can_consult": access.is_coordinator or bool(_consultation_organisations(access)),
        "agreements": selectors.agreements_of_process(found),
        "can_manage_agreements": access.can_manage_agreements(),
    }
    return render(request, "peace/process.html", context)


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], refused: bool
) -> HttpResponse:
    return render(request, template, context, status=400 if refused else 200)


def _saved(request: HttpRequest, form: forms.Form, save: Any) -> tuple[Any, bool]:
    """Run `save(data)` on the form's data: (its result, False), or (None, True) when the form
    or the service refused (the message is shown)."""
    try:
        return save(valid_data(form)), False
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return None, True


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def process_new(request: SignedInRequest, code: str) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_peace():
        raise PermissionDenied
    form = ProcessForm(request.POST or None, plan=access.plan)
    refused = False
    if request.method == "POST":
        found, refused = _saved(
            request, form, lambda d: services.process_record(by=request.user, plan=access.plan, **d)
        )
        if found is not None:
            messages.success(request, _("The peace process is recorded."))
            return redirect("peace:process", code=code, pk=found.pk)
    context = {"plan": access.plan, "form": form, "here": _("Record a peace process")}
    return _form_page(request, "peace/form.html", context, refused)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_peace():
        raise PermissionDenied
    found = selectors.process_of(access.plan, pk)
    initial = {"number": found.rounds.count() + 1}
    form = RoundForm(request.POST or None, initial=initial)
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request, form, lambda d: services.round_record(by=request.user, process=found, **d)
        )
        if made is not None:
            messages.success(request, _("The round is recorded."))
            return redirect("peace:process", code=code, pk=found.pk)
    context = {"plan": access.plan, "process": found, "form": form, "here": _("Add a round")}
    return _form_page(request, "peace/form.html", context, refused)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delegation_new(request: SignedInRequest, code: str, pk: int, round_pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    if not access.can_manage_peace():
        raise PermissionDenied
    found = selectors.process_of(access.plan, pk)
    at = selectors.round_of(found, round_pk)
    form = DelegationForm(request.POST or None)
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request,
            form,
            lambda d: services.delegation_record(
                by=request.user,
                round=at,
                party=d["party"],
                organisation=d["organisation"],
                seats=form.seats(),
            ),
        )
        if made is not None:
            messages.success(request, _("The delegation is recorded."))
            return redirect("peace:process", code=code, pk=found.pk)
    context = {
        **_process_edit_context(
            access, found, _("Add a delegation to round %(number)d") % {"number": at.number}
        ),
        "round": at,
        "form": form,
        "sexes": SeatSex.choices,
        "button": _("Record"),
    }
    return _form_page(request, "peace/delegation_form.html", context, refused)


def _consultation_organisations(access: PlanAccess) -> list[Organisation]:
    ids = access.consultation_organisations()
    candidates = Organisation.objects.filter(pk__in=ids).order_by("name")
    return [o for o in candidates if access.can_record_consultation(o)]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def consultation_new(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = plan_access(request.user, code)
    organisations = _consultation_organisations(access)
    if not (access.is_coordinator or organisations):
        raise PermissionDenied
    found = selectors.process_of(access.plan, pk)
    form = ConsultationForm(
        request.POST or None, organisations=organisations, coordinator=access.is_coordinator
    )
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request,
            form,
            lambda d: services.consultation_record(
                by=request.user,
                process=found,
                **{**d, "organisation": d.get("organisation")},
            ),
        )
        if made is not None:
            messages.success(request, _("The consultation is recorded."))
            return redirect("peace:process", code=code, pk=found.pk)
    context = {
        "plan": access.plan,
        "process": found,
        "form": form,
        "here": _("Record a consultation"),
    }
    return _form_page(request, "peace/form.html", context, refused)


# Editing (docs/peace-processes.md, "Editing") --------------------------------------------
#
# Each change is a form filled with what is recorded; a refusal is shown beside its field (the
# form's own, and the service's, keyed by field) and listed at the top, linked to the field.


def _crumbs(plan: Plan, process: PeaceProcess | None = None) -> list[Crumb]:
    """The pages above an edit or removal page: the plan, its peace processes, the process."""
    found = [
        (shown(plan, "title").text, reverse("portal:plan", args=[plan.code])),
        (_("Peace processes"), reverse("peace:processes", args=[plan.code])),
    ]
    if process is not None:
        found.append((process.name, reverse("peace:process", args=[plan.code, process.pk])))
    return found


def _process_edit_context(access: PlanAccess, process: PeaceProcess, here: str) -> dict[str, Any]:
    return {
        "plan": access.plan,
        "process": process,
        "here": here,
        "breadcrumbs": _crumbs(access.plan, process),
        "cancel_url": reverse("peace:process", args=[access.plan.code, process.pk]),
    }


def _around_process(access: PlanAccess, process: PeaceProcess) -> dict[str, Any]:
    """Where a removal of something of a process stands and goes back to: the process."""
    back = reverse("peace:process", args=[access.plan.code, process.pk])
    return {"breadcrumbs": _crumbs(access.plan, process), "done_url": back, "cancel_url": back}


def _manager_access(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_manage_peace():
        raise PermissionDenied
    return access


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def process_edit(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _manager_access(request, code)
    found = selectors.process_of(access.plan, pk)
    initial = {
        "name": found.name,
        "level": found.level,
        "status": found.status,
        "area": found.area_id,
        "started_on": found.started_on,
        "ended_on": found.ended_on,
        "mediators": found.mediators,
    }
    return edit_page(
        request,
        ProcessForm(request.POST or None, plan=access.plan, initial=initial),
        lambda d: services.process_record(by=request.user, plan=access.plan, process=found, **d),
        saved_message=_("The peace process is saved."),
        done_url=reverse("peace:process", args=[code, found.pk]),
        context=_process_edit_context(access, found, _("Change the process")),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def process_delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _manager_access(request, code)
    found = selectors.process_of(access.plan, pk)
    return removal_page(
        request,
        breadcrumbs=_crumbs(access.plan, found),
        what=_("the peace process %(name)s") % {"name": found.name},
        remove=lambda: services.process_remove(by=request.user, process=found),
        refusal=selectors.process_removal_refused(found),
        removed_message=_("The peace process is removed."),
        cancel_url=reverse("peace:process", args=[code, found.pk]),
        done_url=reverse("peace:processes", args=[code]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_edit(request: SignedInRequest, code: str, pk: int, round_pk: int) -> HttpResponse:
    access = _manager_access(request, code)
    found = selectors.process_of(access.plan, pk)
    at = selectors.round_of(found, round_pk)
    initial = {
        "number": at.number,
        "title": at.title,
        "started_on": at.started_on,
        "ended_on": at.ended_on,
        "place": at.place,
    }
    return edit_page(
        request,
        RoundForm(request.POST or None, initial=initial),
        lambda d: services.round_update(by=request.user, round=at, **d),
        saved_message=_("The round is saved."),
        done_url=reverse("peace:process", args=[code, found.pk]),
        context=_process_edit_context(
            access, found, _("Change round %(number)d") % {"number": at.number}
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delegation_edit(
    request: SignedInRequest, code: str, pk: int, round_pk: int, delegation_pk: int
) -> HttpResponse:
    access = _manager_access(request, code)
    found = selectors.process_of(access.plan, pk)
    at = selectors.round_of(found, round_pk)
    delegation = selectors.delegation_of(at, delegation_pk)
    initial: dict[str, Any] = {
        "party": "" if delegation.organisation_id else delegation.party,
        "organisation": delegation.organisation_id,
    }
    for seat in delegation.seats.all():
        initial[seat_field_name(seat.role, seat.sex)] = seat.count
    form = DelegationForm(request.POST or None, initial=initial)
    return edit_page(
        request,
        form,
        lambda d: services.delegation_record(
            by=request.user,
            round=at,
            delegation=delegation,
            party=d["party"],
            organisation=d["organisation"],
            seats=form.seats(),
        ),
        saved_message=_("The delegation is saved."),
        done_url=reverse("peace:process", args=[code, found.pk]),
        context={
            **_process_edit_context(
                access, found, _("Change the delegation %(party)s") % {"party": delegation.party}
            ),
            "round": at,
            "sexes": SeatSex.choices,
        },
        template="peace/delegation_form.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_delete(request: SignedInRequest, code: str, pk: int, round_pk: int) -> HttpResponse:
    access = _manager_access(request, code)
    found = selectors.process_of(access.plan, pk)
    at = selectors.round_of(found, round_pk)
    return removal_page(
        request,
        **_around_process(access, found),
        what=_("round %(number)d of %(process)s") % {"number": at.number, "process": found.name},
        remove=lambda: services.round_remove(by=request.user, round=at),
        removed_message=_("The round is removed."),
        refusal=(
            _("The round has delegations: remove them first, or change the round instead.")
            if at.delegations.exists()
            else ""
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delegation_delete(
    request: SignedInRequest, code: str, pk: int, round_pk: int, delegation_pk: int
) -> HttpResponse:
    access = _manager_access(request, code)
    found = selectors.process_of(access.plan, pk)
    at = selectors.round_of(found, round_pk)
    delegation = selectors.delegation_of(at, delegation_pk)
    return removal_page(
        request,
        **_around_process(access, found),
        what=_("the delegation %(party)s at round %(number)d, with its seats")
        % {"party": delegation.party, "number": at.number},
        remove=lambda: services.delegation_remove(by=request.user, delegation=delegation),
        removed_message=_("The delegation is removed."),
    )


def _consultation_changer(
    request: HttpRequest, code: str, pk: int, consultation_pk: int
) -> tuple[PlanAccess, PeaceProcess, Consultation]:
    access = plan_access(request.user, code)
    found = selectors.process_of(access.plan, pk)
    consultation = selectors.consultation_of(found, consultation_pk)
    if not access.can_change_consultation(consultation):
        raise PermissionDenied
    return access, found, consultation


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def consultation_edit(
    request: SignedInRequest, code: str, pk: int, consultation_pk: int
) -> HttpResponse:
    access, found, consultation = _consultation_changer(request, code, pk, consultation_pk)
    initial = {
        name: getattr(consultation, name)
        for name in (
            "held_on",
            "stage",
            "method",
            "organisations_consulted",
            "womens_organisations",
            "organisation_names",
            "asked",
            "in_outcome",
            "outcome_note",
        )
    }
    # The organisation that recorded it stays: the form does not offer to change it.
    form = ConsultationForm(
        request.POST or None, organisations=[], coordinator=True, initial=initial
    )
    return edit_page(
        request,
        form,
        lambda d: services.consultation_update(by=request.user, consultation=consultation, **d),
        saved_message=_("The consultation is saved."),
        done_url=reverse("peace:process", args=[code, found.pk]),
        context=_process_edit_context(
            access,
            found,
            _("Change the consultation of %(date)s") % {"date": consultation.held_on},
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def consultation_delete(
    request: SignedInRequest, code: str, pk: int, consultation_pk: int
) -> HttpResponse:
    access, found, consultation = _consultation_changer(request, code, pk, consultation_pk)
    return removal_page(
        request,
        **_around_process(access, found),
        what=_("the consultation of %(date)s") % {"date": consultation.held_on},
        remove=lambda: services.consultation_remove(by=request.user, consultation=consultation),
        removed_message=_("The consultation is removed."),
    )


# --- Agreements and gender provisions (docs/peace-processes.md, "Agreements and gender
# provisions", "Importing PA-X") -------------------------------------------------------------


def _agreements_reader(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_read_agreements():
        raise PermissionDenied
    return access


def _agreements_manager(request: HttpRequest, code: str) -> PlanAccess:
    access = plan_access(request.user, code)
    if not access.can_manage_agreements():
        raise PermissionDenied
    return access


def _assessing_organisations(access: PlanAccess) -> list[Organisation]:
    candidates = Organisation.objects.filter(pk__in=access.monitor_organisations()).order_by("name")
    return [o for o in candidates if access.can_assess_provision(o)]


@require_safe
def agreements(request: HttpRequest, code: str) -> HttpResponse:
    access = _agreements_reader(request, code)
    context = {
        "plan": access.plan,
        "agreements": selectors.agreements_of(access.plan),
        "can_manage": access.can_manage_agreements(),
        "here": _("Peace agreements"),
    }
    return render(request, "peace/agreements.html", context)


@require_safe
def agreement(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = _agreements_reader(request, code)
    found = selectors.agreement_of(access.plan, pk)
    views = selectors.provision_views([found], access.can_view_provision_assessment)
    for view in views:
        view.can_edit_assessment = {
            c.assessment.pk: access.can_edit_provision_assessment(c.assessment)
            for c in view.comparisons
        }
    context = {
        "plan": access.plan,
        "agreement": found,
        "provisions": views,
        "can_manage": access.can_manage_agreements(),
        "can_assess": bool(_assessing_organisations(access)),
        "here": found.name,
    }
    return render(request, "peace/agreement.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def agreement_new(request: SignedInRequest, code: str, pk: int | None = None) -> HttpResponse:
    access = _agreements_manager(request, code)
    found = selectors.agreement_of(access.plan, pk) if pk is not None else None
    initial = {}
    if found is not None:
        initial = {
            "name": found.name,
            "stage": found.stage,
            "signed_on": found.signed_on,
            "agreement_type": found.agreement_type,
            "parties": found.parties,
            "process": found.process_id,
            "pax_id": found.pax_id,
            "source_url": found.source_url,
        }
    form = AgreementForm(request.POST or None, plan=access.plan, initial=initial)
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request,
            form,
            lambda d: services.agreement_record(
                by=request.user, plan=access.plan, agreement=found, **d
            ),
        )
        if made is not None:
            messages.success(request, _("The peace agreement is recorded."))
            return redirect("peace:agreement", code=code, pk=made.pk)
    context = {
        "plan": access.plan,
        "agreement": found,
        "form": form,
        "here": _("Change the agreement") if found else _("Record a peace agreement"),
        "back": reverse("peace:agreement", args=[code, found.pk])
        if found
        else reverse("peace:agreements", args=[code]),
    }
    return _form_page(request, "peace/agreement_form.html", context, refused)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def provision_new(
    request: SignedInRequest, code: str, pk: int, provision_pk: int | None = None
) -> HttpResponse:
    access = _agreements_manager(request, code)
    found = selectors.agreement_of(access.plan, pk)
    provision = selectors.provision_of(found, provision_pk) if provision_pk is not None else None
    initial: dict[str, Any] = {}
    if provision is not None:
        initial = {
            "category": provision.category,
            "text": provision.text,
            "reference": provision.reference,
            "actions": list(provision.actions.values_list("pk", flat=True)),
            "budget_lines": list(provision.budget_lines.values_list("pk", flat=True)),
        }
    form = ProvisionForm(request.POST or None, plan=access.plan, initial=initial)
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request,
            form,
            lambda d: services.provision_record(
                by=request.user, agreement=found, provision=provision, **d
            ),
        )
        if made is not None:
            messages.success(request, _("The gender provision is recorded."))
            return redirect("peace:agreement", code=code, pk=found.pk)
    context = {
        "plan": access.plan,
        "agreement": found,
        "form": form,
        "here": _("Change the provision") if provision else _("Add a gender provision"),
        "back": reverse("peace:agreement", args=[code, found.pk]),
    }
    return _form_page(request, "peace/agreement_form.html", context, refused)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def provision_status_new(
    request: SignedInRequest, code: str, pk: int, provision_pk: int
) -> HttpResponse:
    access = _agreements_manager(request, code)
    found = selectors.agreement_of(access.plan, pk)
    provision = selectors.provision_of(found, provision_pk)
    form = ProvisionStatusForm(request.POST or None)
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request,
            form,
            lambda d: services.provision_status_record(by=request.user, provision=provision, **d),
        )
        if made is not None:
            messages.success(request, _("The implementation status is recorded."))
            return redirect("peace:agreement", code=code, pk=found.pk)
    context = {
        "plan": access.plan,
        "agreement": found,
        "form": form,
        "here": _("Record the implementation status: %(category)s")
        % {"category": provision.get_category_display()},
        "back": reverse("peace:agreement", args=[code, found.pk]),
    }
    return _form_page(request, "peace/agreement_form.html", context, refused)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def provision_assessment(
    request: SignedInRequest, code: str, pk: int, provision_pk: int
) -> HttpResponse:
    access = plan_access(request.user, code)
    organisations = _assessing_organisations(access)
    if not organisations:
        raise PermissionDenied
    found = selectors.agreement_of(access.plan, pk)
    provision = selectors.provision_of(found, provision_pk)
    mine = provision.assessments.filter(organisation__in=organisations).first()
    initial: dict[str, Any] = {"organisation": organisations[0].pk}
    if mine is not None:
        initial = {
            "organisation": mine.organisation_id,
            "assessed_on": mine.assessed_on,
            "status": mine.status,
            "comment": mine.comment,
            "publish": mine.published,
        }
    form = ProvisionAssessmentForm(
        request.POST or None, organisations=organisations, initial=initial
    )
    refused = False
    if request.method == "POST":
        made, refused = _saved(
            request,
            form,
            lambda d: services.provision_assessment_save(by=request.user, provision=provision, **d),
        )
        if made is not None:
            messages.success(
                request,
                _("Your organisation's assessment is published.")
                if made.published
                else _("Your organisation's assessment is saved; only its monitors see it."),
            )
            return redirect("peace:agreement", code=code, pk=found.pk)
    context = {
        "plan": access.plan,
        "agreement": found,
        "form": form,
        "here": _("Civil society's assessment: %(category)s")
        % {"category": provision.get_category_display()},
        "back": reverse("peace:agreement", args=[code, found.pk]),
    }
    return _form_page(request, "peace/agreement_form.html", context, refused)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def pax_import(request: SignedInRequest, code: str) -> HttpResponse:
    access = _agreements_manager(request, code)
    form = PaxImportForm(request.POST or None, request.FILES or None)
    result = None
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            upload = form.cleaned_data["file"]
            if (upload.size or 0) > agreements_import.PAX_MAX_BYTES:
                problems = [
                    _("The file is larger than %(mb)s MB: it cannot be PA-X's CSV.")
                    % {"mb": agreements_import.PAX_MAX_BYTES // (1024 * 1024)}
                ]
                status = 400
            else:
                with saved_upload(upload, default_name="pax.csv") as path:
                    try:
                        result = agreements_import.pax_import(
                            by=request.user,
                            plan=access.plan,
                            path=path,
                            name=path.name,
                            check_only=form.cleaned_data["check_only"],
                        )
                    except agreements_import.PaxRefused as exc:
                        problems = [exc.summary(), *exc.lines()]
                        status = 400
    context = {
        "plan": access.plan,
        "form": form,
        "result": result,
        "problems": problems,
        "country": access.plan.area.name,
        "max_mb": agreements_import.PAX_MAX_BYTES // (1024 * 1024),
        "max_rows": agreements_import.PAX_MAX_ROWS,
        "here": _("Import agreements from PA-X"),
    }
    return render(request, "peace/pax_import.html", context, status=status)


# Removing agreements and statuses (docs/peace-processes.md, "Removing agreements and
# statuses"): the coordinator, after a confirmation page that says why when it refuses.


def _around_agreement(access: PlanAccess, agreement: Agreement) -> dict[str, Any]:
    """Where a removal of an agreement or one of its records stands and cancels to."""
    plan = access.plan
    back = reverse("peace:agreement", args=[plan.code, agreement.pk])
    crumbs = [
        *_crumbs(plan),
        (_("Peace agreements"), reverse("peace:agreements", args=[plan.code])),
        (Truncator(agreement.name).chars(60), back),
    ]
    return {"breadcrumbs": crumbs, "cancel_url": back}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def agreement_delete(request: SignedInRequest, code: str, pk: int) -> HttpResponse:
    access = _agreements_manager(request, code)
    found = selectors.agreement_of(access.plan, pk)
    return removal_page(
        request,
        **_around_agreement(access, found),
        what=_("the agreement %(name)s, with its gender provisions") % {"name": found.name},
        remove=lambda: services.agreement_remove(by=request.user, agreement=found),
        removed_message=_("The agreement is removed."),
        done_url=(
            reverse("peace:process", args=[code, found.process_id])
            if found.process_id is not None
            else reverse("peace:agreements", args=[code])
        ),
        refusal=selectors.agreement_removal_refused(found),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def provision_status_delete(
    request: SignedInRequest, code: str, pk: int, provision_pk: int, status_pk: int
) -> HttpResponse:
    access = _agreements_manager(request, code)
    found = selectors.agreement_of(access.plan, pk)
    provision = selectors.provision_of(found, provision_pk)
    status = selectors.status_of(provision, status_pk)
    return removal_page(
        request,
        **_around_agreement(access, found),
        what=_("the status %(status)s of %(on)s (%(category)s)")
        % {
            "status": status.get_status_display(),
            "on": status.on.isoformat(),
            "category": provision.get_category_display(),
        },
        remove=lambda: services.provision_status_remove(by=request.user, status=status),
        removed_message=_("The status is removed."),
        done_url=reverse("peace:agreement", args=[code, found.pk]),
    )
