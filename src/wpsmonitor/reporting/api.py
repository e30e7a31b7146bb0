"""The reporting cycle in the JSON API: rounds, submissions, their figures and decisions.

The same services as the pages, so the same rules: a submission the caller may not see is a
404, an action they may not take a 403. Writes need a bearer token. Saving figures through the
API is all or nothing (unlike the form, which keeps the valid cells of a draft).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, access_for_api, api_user
from wpsmonitor.core.api import READ_ERRORS, ApiError, ErrorOut, Id, not_found
from wpsmonitor.core.translated import texts_by_language
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.cells import canonical_cell_code
from wpsmonitor.indicators.translation import INDICATOR_TEXTS
from wpsmonitor.plans.schemas import TRANSLATIONS_DESCRIPTION
from wpsmonitor.reporting import selectors
from wpsmonitor.reporting.entry import Sheet, build_sheet, sheet_actions_typed, sheet_fields
from wpsmonitor.reporting.models import ReportingRound, Submission
from wpsmonitor.reporting.services.own_indicators import (
    own_indicator_create,
    own_indicator_delete,
    own_indicator_publish,
    own_indicator_update,
)
from wpsmonitor.reporting.services.review import (
    submission_approve,
    submission_return,
    submission_unlock,
)
from wpsmonitor.reporting.services.submissions import (
    submission_save,
    submission_start,
    submission_submit,
)

router = Router(tags=["reporting"], auth=READ_AUTH)

WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
}


class RoundOut(Schema):
    period: str
    deadline: str
    status: str


class FigureIn(Schema):
    indicator: str = Field(description="Indicator code")
    cell: str = Field("", description='Cell code, e.g. "sex=F;age=18-29"; empty for the total')
    value: str | float | None = None
    numerator: str | float | None = None
    denominator: str | float | None = None
    text: str = ""
    comment: str = ""


class ActionIn(Schema):
    action: str = Field(description="Action code")
    status: str = Field("", description="Government submissions: the action's status")
    percent_complete: int | None = Field(
        None, ge=0, le=100, description="Government submissions: 0 to 100"
    )
    assessment: str = Field(
        "",
        description="Civil-society submissions: implemented, partly, not_implemented or unknown",
    )
    narrative: str = ""


class SubmissionActionOut(Schema):
    action: str
    status: str
    percent_complete: str
    assessment: str
    narrative: str


class FiguresIn(Schema):
    figures: list[FigureIn] = []
    actions: list[ActionIn] = []


class SubmissionFigureOut(Schema):
    indicator: str
    period: str
    cell: str
    value: str
    numerator: str
    denominator: str
    text: str
    comment: str


class SubmissionEventOut(Schema):
    kind: str
    actor: str | None
    at: datetime
    note: str
    changes: list[dict[str, str]]


class SubmissionOut(Schema):
    id: int
    plan: str
    period: str
    organisation: str
    area: str
    source: str
    status: str
    submitted_at: datetime | None
    decided_at: datetime | None
    figures: list[SubmissionFigureOut]
    actions: list[SubmissionActionOut]
    events: list[SubmissionEventOut]


class SubmissionRef(Schema):
    id: int
    plan: str
    period: str
    organisation: str
    area: str
    source: str
    status: str


class StartIn(Schema):
    organisation: str
    area: str
    civil_society: bool = False


class NoteIn(Schema):
    note: str = ""


def _submission(request: HttpRequest, pk: int) -> tuple[Submission, PlanAccess]:
    return selectors.submission_for(api_user(request), pk)


def _ref(s: Submission) -> dict[str, Any]:
    return {
        "id": s.pk,
        "plan": s.round.plan.code,
        "period": s.round.period.code,
        "organisation": s.organisation.code,
        "area": s.area.code,
        "source": s.source.code,
        "status": s.status,
    }


def _out(s: Submission, sheet: Sheet | None = None) -> dict[str, Any]:
    sheet = sheet or build_sheet(s)
    figures = [
        {
            "indicator": block.indicator.code,
            "period": block.period_code,
            "cell": c.cell.code,
            "value": c.row.value,
            "numerator": c.row.numerator,
            "denominator": c.row.denominator,
            "text": c.row.text,
            "comment": c.row.comment,
        }
        for block in sheet.indicators
        for c in block.cells
        if not c.row.is_blank
    ]
    events = [
        {
            "kind": e.kind,
            # A deleted account's name is kept on the event (core/history.py).
            "actor": e.actor.get_username() if e.actor else (e.actor_name or None),
            "at": e.at,
            "note": e.note,
            "changes": e.changes,
        }
        for e in s.events.select_related("actor")
    ]
    actions = [
        {
            "action": a.action.code,
            "status": a.status,
            "percent_complete": a.percent_complete,
            "assessment": a.assessment,
            "narrative": a.narrative,
        }
        for a in sheet.actions
        if a.status or a.percent_complete or a.assessment or a.narrative
    ]
    return _ref(s) | {
        "submitted_at": s.submitted_at,
        "decided_at": s.decided_at,
        "figures": figures,
        "actions": actions,
        "events": events,
    }


@router.get(
    "/plans/{plan}/rounds",
    response={200: list[RoundOut], **READ_ERRORS},
    summary="Reporting rounds of a plan",
    operation_id="rounds_list",
)
def list_rounds(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    obj = access_for_api(request, plan).plan
    return [
        {"period": r.period.code, "deadline": r.deadline.isoformat(), "status": r.status}
        for r in ReportingRound.objects.filter(plan=obj).select_related("period")
    ]


@router.get(
    "/plans/{plan}/submissions",
    response={200: list[SubmissionRef], **READ_ERRORS},
    summary="Submissions of a plan the caller may see",
    operation_id="submissions_list",
)
def list_submissions(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    access = access_for_api(request, plan)
    return [_ref(s) for s in selectors.plan_submissions(access).select_related("round__plan")]


@router.post(
    "/plans/{plan}/rounds/{period}/submissions",
    auth=WRITE_AUTH,
    response={200: SubmissionOut, **WRITE_ERRORS},
    summary="Start (or find) a submission",
    operation_id="submission_start",
)
def start_submission(request: HttpRequest, plan: str, period: str, body: StartIn) -> dict[str, Any]:
    obj = access_for_api(request, plan).plan
    round_ = ReportingRound.objects.filter(plan=obj, period__code=period).first()
    organisation = Organisation.objects.filter(code=body.organisation).first()
    area = Area.objects.filter(code=body.area).first()
    if round_ is None or organisation is None or area is None:
        raise not_found(_("No such round, organisation or area."))
    submission = submission_start(
        by=api_user(request),
        round_=round_,
        organisation=organisation,
        area=area,
        civil_society=body.civil_society,
    )
    return _out(submission)


@router.get(
    "/submissions/{pk}",
    response={200: SubmissionOut, **READ_ERRORS},
    summary="One submission, with its figures and history",
    operation_id="submission_get",
)
def get_submission(request: HttpRequest, pk: Id) -> dict[str, Any]:
    submission, _access = _submission(request, pk)
    return _out(submission)


def _typed(sheet: Sheet, body: FiguresIn) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The sheet's fields with the body's figures on top; problems by row for unknown keys."""
    typed = sheet_fields(sheet)
    cells = {(b.indicator.code, c.cell.code): c for b in sheet.indicators for c in b.cells}
    dims = {
        b.indicator.code: [] if b.cells[0].cell.code == "total" else _dims(b.cells[0].cell.code)
        for b in sheet.indicators
        if b.cells
    }
    problems: list[dict[str, Any]] = []
    for index, figure in enumerate(body.figures):
        if figure.indicator not in dims:
            problems.append(
                {
                    "row": index,
                    "field": "indicator",
                    "message": _("%(code)s is not due in this submission")
                    % {"code": figure.indicator},
                }
            )
            continue
        try:
            code = canonical_cell_code(dims[figure.indicator], figure.cell)
        except ValueError as exc:
            problems.append({"row": index, "field": "cell", "message": str(exc)})
            continue
        cell = cells.get((figure.indicator, code))
        if cell is None:
            problems.append({"row": index, "field": "cell", "message": _("unknown cell")})
            continue
        for part, raw in (
            ("v", figure.value),
            ("n", figure.numerator),
            ("d", figure.denominator),
            ("t", figure.text),
            ("c", figure.comment),
        ):
            typed[f"{part}-{cell.field_id}"] = "" if raw is None else str(raw)
    actions = {a.action.code: a.action.pk for a in sheet.actions}
    for index, report in enumerate(body.actions):
        pk = actions.get(report.action)
        if pk is None:
            problems.append(
                {
                    "row": index,
                    "field": "action",
                    "message": _("%(code)s is not due in this submission")
                    % {"code": report.action},
                }
            )
            continue
        # Each side's sheet has its own fields: a status given to civil society's sheet (or an
        # assessment to the government's) is refused, not silently dropped.
        if sheet.civil_society:
            if report.status or report.percent_complete is not None:
                problems.append(
                    {
                        "row": index,
                        "field": "status",
                        "message": _(
                            "Civil society scores an action with an assessment, "
                            "not a status or percentage."
                        ),
                    }
                )
                continue
            typed[f"aa-{pk}"] = report.assessment
        else:
            if report.assessment:
                problems.append(
                    {
                        "row": index,
                        "field": "assessment",
                        "message": _(
                            "Government reports give a status, not a civil-society assessment."
                        ),
                    }
                )
                continue
            typed[f"as-{pk}"] = report.status
            typed[f"ap-{pk}"] = (
                "" if report.percent_complete is None else str(report.percent_complete)
            )
        typed[f"an-{pk}"] = report.narrative
    return typed, problems


def _dims(code: str) -> list[str]:
    return [pair.split("=", 1)[0] for pair in code.split(";")]


@router.put(
    "/submissions/{pk}/figures",
    auth=WRITE_AUTH,
    response={200: SubmissionOut, **WRITE_ERRORS},
    summary="Save figures into a draft, all or nothing",
    operation_id="submission_figures_save",
)
def save_figures(request: HttpRequest, pk: Id, body: FiguresIn) -> dict[str, Any]:
    """Figures not named keep their stored value; an empty value removes a figure."""
    submission, access = _submission(request, pk)
    if not access.can_edit_submission(submission):
        raise ApiError(403, _("You may not do this."))
    typed, problems = _typed(build_sheet(submission), body)
    if problems:
        raise ApiError(400, _("Some figures were refused; nothing was saved."), problems)
    sheet = build_sheet(submission, typed=typed)
    with transaction.atomic():
        result = submission_save(
            by=api_user(request),
            submission=submission,
            rows=sheet.rows(),
            actions=sheet_actions_typed(sheet),
            access=access,
        )
        if not result.ok:
            transaction.set_rollback(True)
    if not result.ok:
        labels = {c.row.key: c.row.label for b in sheet.indicators for c in b.cells}
        errors: list[dict[str, Any]] = [
            {"row": None, "field": f"{labels.get(key, '')}:{p.column}", "message": p.message}
            for key, found in result.problems.items()
            for p in found
        ]
        codes = {a.action.pk: a.action.code for a in sheet.actions}
        rows = {a.action: index for index, a in enumerate(body.actions)}
        errors += [
            {
                "row": rows.get(codes.get(action_id, "")),
                "field": "assessment" if sheet.civil_society else "status",
                "message": f"{codes.get(action_id, action_id)}: {message}",
            }
            for action_id, found in result.action_problems.items()
            for message in found
        ]
        raise ApiError(400, _("Some figures were refused; nothing was saved."), errors)
    submission.refresh_from_db()
    return _out(submission)


class Transition(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    UNLOCK = "unlock"


@router.post(
    "/submissions/{pk}/{transition}",
    auth=WRITE_AUTH,
    response={200: SubmissionOut, **WRITE_ERRORS},
    summary="Submit (civil society: publish), return with a note, approve, or unlock with a reason",
    operation_id="submission_transition",
)
def transition(
    request: HttpRequest, pk: Id, transition: Transition, body: NoteIn
) -> dict[str, Any]:
    """The transitions of a submission; each checks the caller's rights and the status."""
    submission, access = _submission(request, pk)
    user = api_user(request)
    note = body.note
    if transition is Transition.SUBMIT:
        check = submission_submit(by=user, submission=submission, note=note, access=access)
        if not check.ok:
            raise ApiError(
                400,
                _("The submission has problems: fix them, then submit."),
                [
                    {"row": None, "field": p.column, "message": f"{p.where}: {p.message}"}
                    for found in check.problems.values()
                    for p in found
                ],
            )
    elif transition is Transition.RETURN:
        submission_return(by=user, submission=submission, note=note, access=access)
    elif transition is Transition.APPROVE:
        submission_approve(by=user, submission=submission, note=note, access=access)
    else:
        submission_unlock(by=user, submission=submission, reason=note, access=access)
    submission.refresh_from_db()
    return _out(submission)


# Civil society's own indicators ------------------------------------------------------------------


class OwnIndicatorOut(Schema):
    code: str
    title: str
    definition: str
    organisation: str = Field(description="Code of the civil-society organisation that owns it")
    node: str
    kind: str
    unit: str
    direction: str
    frequency: str
    dimensions: list[str]
    scale_labels: list[str]
    means_of_verification: str
    published_at: datetime | None = Field(
        description="Null: a draft, seen by its organisation's monitors only"
    )
    sensitivity: str = Field(
        "public", description="public, sensitive or restricted (docs/publishing.md)"
    )
    disclosure_threshold: int | None = Field(
        None,
        ge=3,
        le=1000,
        description="Smallest count published when sensitive (3 to 1,000); null: the plan's",
    )
    translations: dict[str, dict[str, str | None]] = Field(description=TRANSLATIONS_DESCRIPTION)


TRANSLATIONS_IN = (
    "Texts in languages other than the plan's original: {field: {language: text}} for title, "
    "definition, unit, means_of_verification; an empty text removes one"
)


class OwnIndicatorIn(Schema):
    organisation: str = Field(description="Your civil-society organisation's code")
    node: str = Field(description="Code of the framework node it measures")
    code: str
    title: str
    kind: str = Field(description="number, percentage, yes_no, milestone, scale or narrative")
    dimensions: list[str] = Field([], description="Dimension codes, e.g. ['sex', 'area_type']")
    unit: str = ""
    definition: str = ""
    frequency: str = "year"
    direction: str = "increase"
    scale_labels: list[str] = []
    means_of_verification: str = ""
    sensitivity: str = Field(
        "public",
        description="public; sensitive (counts of people who could be identified: small "
        "counts are suppressed when published); restricted (never published)",
    )
    disclosure_threshold: int | None = Field(
        None,
        ge=3,
        le=1000,
        description="Smallest count published when sensitive (3 to 1,000); null: the plan's",
    )
    translations: dict[str, dict[str, str]] = Field({}, description=TRANSLATIONS_IN)


class OwnIndicatorPatch(Schema):
    title: str | None = None
    definition: str | None = None
    unit: str | None = None
    means_of_verification: str | None = None
    node: str | None = None
    direction: str | None = None
    expected_min: float | None = None
    expected_max: float | None = None
    sensitivity: str | None = None
    disclosure_threshold: int | None = Field(None, ge=3, le=1000)
    translations: dict[str, dict[str, str]] | None = Field(None, description=TRANSLATIONS_IN)


def _own_out(indicator: Any) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "title": indicator.title,
        "definition": indicator.definition,
        "organisation": indicator.owner_organisation.code,
        "node": indicator.node.code,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "frequency": indicator.frequency,
        "dimensions": list(
            indicator.scheme.schemedimension_set.order_by("order").values_list(
                "dimension__code", flat=True
            )
        ),
        "scale_labels": list(indicator.scale_labels or []),
        "means_of_verification": indicator.means_of_verification,
        "published_at": indicator.published_at,
        "sensitivity": indicator.sensitivity,
        "disclosure_threshold": indicator.disclosure_threshold,
        "translations": texts_by_language(indicator, *INDICATOR_TEXTS),
    }


def _own_indicator(request: HttpRequest, plan: str, code: str) -> tuple[Any, PlanAccess]:
    """One's own organisation's indicator; 404 if the caller may not see it, 403 if they may
    see it (published) but it is not theirs."""

    access = access_for_api(request, plan)
    obj = access.plan
    found = selectors.own_indicator_for_editor(access, code)
    if found is None:
        visible = (
            obj.indicators.filter(code=code, owner_organisation__isnull=False)
            .exclude(access.hidden_indicators())
            .exists()
        )
        if visible:
            raise ApiError(403, _("Only its organisation's monitors may change this indicator."))
        raise not_found(_("Plan %(plan)s has no such indicator of yours.") % {"plan": obj.code})
    return found, access


def _node_for(plan: Any, code: str) -> Any:
    from wpsmonitor.plans.models import FrameworkNode

    node = FrameworkNode.objects.filter(plan=plan, code=code).first()
    if node is None:
        raise ApiError(
            400,
            _("Choose a part of this plan's framework."),
            [{"row": None, "field": "node", "message": _("unknown framework node")}],
        )
    return node


@router.get(
    "/plans/{plan}/civil-society-indicators",
    response={200: list[OwnIndicatorOut], **READ_ERRORS},
    summary="Civil society's own indicators of a plan (drafts for their organisation only)",
    operation_id="own_indicators_list",
)
def list_own_indicators(request: HttpRequest, plan: str) -> list[dict[str, Any]]:

    access = access_for_api(request, plan)
    return [_own_out(i) for i in selectors.own_indicators(access)]


@router.post(
    "/plans/{plan}/civil-society-indicators",
    auth=WRITE_AUTH,
    response={200: OwnIndicatorOut, **WRITE_ERRORS},
    summary="Define an indicator of your organisation's own (a draft until published)",
    operation_id="own_indicator_create",
)
def create_own_indicator(request: HttpRequest, plan: str, body: OwnIndicatorIn) -> dict[str, Any]:
    obj = access_for_api(request, plan).plan
    organisation = Organisation.objects.filter(code=body.organisation).first()
    if organisation is None:
        raise ApiError(
            400,
            _("Choose your organisation."),
            [{"row": None, "field": "organisation", "message": _("unknown organisation")}],
        )
    indicator = own_indicator_create(
        by=api_user(request),
        plan=obj,
        organisation=organisation,
        node=_node_for(obj, body.node),
        code=body.code,
        title=body.title,
        kind=body.kind,
        scheme=body.dimensions,
        unit=body.unit,
        definition=body.definition,
        frequency=body.frequency,
        direction=body.direction,
        scale_labels=body.scale_labels,
        means_of_verification=body.means_of_verification,
        sensitivity=body.sensitivity,
        disclosure_threshold=body.disclosure_threshold,
    )
    if body.translations:
        indicator = own_indicator_update(
            by=api_user(request), indicator=indicator, translations=body.translations
        )
    return _own_out(indicator)


@router.patch(
    "/plans/{plan}/civil-society-indicators/{indicator}",
    auth=WRITE_AUTH,
    response={200: OwnIndicatorOut, **WRITE_ERRORS},
    summary="Change your organisation's indicator (wording, node, direction, expected range)",
    operation_id="own_indicator_update",
)
def update_own_indicator(
    request: HttpRequest, plan: str, indicator: str, body: OwnIndicatorPatch
) -> dict[str, Any]:
    found, access = _own_indicator(request, plan, indicator)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if changes.get("translations") is None:
        changes.pop("translations", None)
    if "node" in changes:
        changes["node"] = _node_for(access.plan, changes["node"] or "")
    updated = own_indicator_update(
        by=api_user(request),
        indicator=found,
        **changes,
    )
    return _own_out(updated)


@router.post(
    "/plans/{plan}/civil-society-indicators/{indicator}/publish",
    auth=WRITE_AUTH,
    response={200: OwnIndicatorOut, **WRITE_ERRORS},
    summary="Publish your organisation's indicator: everyone who reads the plan then sees it",
    operation_id="own_indicator_publish",
)
def publish_own_indicator(request: HttpRequest, plan: str, indicator: str) -> dict[str, Any]:
    found, _access = _own_indicator(request, plan, indicator)
    published = own_indicator_publish(by=api_user(request), indicator=found)
    return _own_out(published)


@router.delete(
    "/plans/{plan}/civil-society-indicators/{indicator}",
    auth=WRITE_AUTH,
    response={204: None, **WRITE_ERRORS},
    summary="Delete your organisation's draft indicator",
    operation_id="own_indicator_delete",
)
def delete_own_indicator(request: HttpRequest, plan: str, indicator: str) -> tuple[int, None]:
    found, _access = _own_indicator(request, plan, indicator)
    own_indicator_delete(by=api_user(request), indicator=found)
    return 204, None
