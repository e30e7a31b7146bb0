"""Stories in the JSON API (docs/api.md, "Stories"; docs/stories.md, "API and exports").

Every story goes out through `reading.read_story` (channel "api"), which decides how much of it
the caller reads and logs the read; a story the caller may not read answers 404, exactly like
one that does not exist. Anyone who may read the plan, anonymous readers included, reads the
stories approved for the public portal (coarse unless open). Writes need a bearer token and are
the holder's alone (services.py checks it); the holder also reads the story's read log.

A story is read whole only by a caller who proved a second factor (`auth.api_verified`): a
token that reads sensitive items, or a browser session verified with one. An ordinary token
reads it coarse, and the answer's `hint` says how to read it whole.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accountability.models import Recommendation
from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.accounts.auth import (
    WRITE_AUTH,
    access_for_api,
    api_user,
    api_verified,
    bearer_auth,
    session_auth,
)
from wpsmonitor.core.api import (
    READ_ERRORS,
    ApiError,
    ErrorOut,
    Id,
    Offset,
    bad_parameter,
    not_found,
    page_limit,
    page_url,
)
from wpsmonitor.core.history import kept_name
from wpsmonitor.core.names import localized_name
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.stories import attributes as storyteller_attributes
from wpsmonitor.stories import services
from wpsmonitor.stories.models import Consent, Purpose, Story, StoryKind, StoryStatus
from wpsmonitor.stories.reading import StoryAsRead, read_story
from wpsmonitor.stories.selectors import link_choices, stories_for

PAGE_DEFAULT = 50
PAGE_MAX = 200

K = TypeVar("K")  # a link's key: a code or an id
T = TypeVar("T")


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last of the read doors: a reader without token or session reads as anonymous."""
    return AnonymousUser()


router = Router(tags=["stories"], auth=[bearer_auth, session_auth, anonymous])

WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
HOLDER_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 403: ErrorOut}


class ConsentOut(Schema):
    id: int
    purposes: list[str] = Field(description="monitoring, report and/or public")
    to_be_named: bool
    method: str = Field(description="written, recorded or oral_witnessed")
    given_on: date
    valid_until: date | None
    withdrawn_on: date | None
    withdrawal_note: str
    in_force: bool = Field(description="Whether it is in force today")


class StoryOut(Schema):
    uid: str
    reading: str = Field(
        description="full: as recorded; coarse: without who collected it or the storyteller's "
        "name and attributes, `happened` to the month and `area` to the province. A protected story is read "
        "coarse by everyone outside the organisation that holds it. Unless it is open and "
        "approved for the public, a story is read whole only with a second factor: a token "
        "that reads sensitive items, or a session signed in with one."
    )
    hint: str = Field(
        description="Empty, or, when the story is read coarse only for want of a second factor, "
        "how to read it whole"
    )
    kind: str = Field(description="testimony, case_study, significant_change or observation")
    status: str = Field(description="draft (its holder's only), shared or approved")
    sensitivity: str = Field(description="open, protected or restricted")
    title: str = Field(description="Names no one")
    text: str
    domain: str = Field(description="The domain of change it speaks to; may be empty")
    language: str
    holder: str = Field(description="The organisation that collected it and holds it")
    area: str | None = Field(
        description="Area code: as recorded (full), its province (coarse); null when none"
    )
    area_name: str | None
    happened: str = Field(
        description="YYYY-MM-DD (full), YYYY-MM (coarse); empty when not recorded"
    )
    storyteller: dict[str, str] = Field(
        description="The storyteller's attributes as recorded (codes of "
        "`/plans/{plan}/stories/attributes`, and attributes the plan no longer asks), never a "
        "name; empty when coarse"
    )
    storyteller_name: str = Field(
        description="Empty when coarse, and when no consent in force lets the storyteller be "
        "named (the holder reads the name it recorded)"
    )
    collected_by: str = Field(description="Who collected it; empty when coarse")
    nodes: list[str] = Field(
        description="Codes of the plan's pillars, outcomes and actions it speaks to (also when "
        "coarse: they name no one)"
    )
    indicators: list[str] = Field(
        description="Codes of the plan's indicators it speaks to, those the caller may see"
    )
    recommendations: list[int] = Field(
        description="Ids of the plan's recommendations it speaks to "
        "(`/plans/{plan}/recommendations/{id}`; also when coarse: they name no one)"
    )


class AnswerOut(Schema):
    code: str
    label: str = Field(description="In the caller's language")


class AttributeOut(Schema):
    code: str = Field(description="The key in a story's `storyteller`")
    label: str = Field(description="In the caller's language")
    answers: list[AnswerOut] = Field(description="The only values it takes")


class StoryDetailOut(StoryOut):
    consents: list[ConsentOut] = Field(
        description="Its consent records: to the organisation that holds it only (empty to "
        "every other reader)"
    )


class StoryPage(Schema):
    count: int = Field(description="Stories the caller may read, all pages")
    next: str | None
    items: list[StoryOut] = Field(description="Newest first")


class StoryFilters(Schema):
    status: str = Field("", max_length=20, description="draft, shared or approved")
    kind: str = Field(
        "", max_length=20, description="testimony, case_study, significant_change or observation"
    )
    limit: int = page_limit(PAGE_DEFAULT, PAGE_MAX)
    offset: Offset = 0


class StoryIn(Schema):
    holder: str | None = Field(
        None,
        max_length=64,
        description="Code of the organisation that holds it; default: the caller's, when they "
        "record stories for one organisation only",
    )
    kind: str = Field(description="testimony, case_study, significant_change or observation")
    title: str = Field(max_length=200, description="Must name no one: it is shown in lists")
    text: str
    language: str = Field(max_length=10)
    sensitivity: str = Field("protected", description="open, protected (default) or restricted")
    domain: str = Field("", max_length=200)
    area: str | None = Field(None, max_length=64, description="Code of an area of the plan")
    happened_on: date | None = None
    storyteller: dict[str, str] = Field(
        {},
        description='The storyteller\'s attributes ({"age": "18-29"}), never a name: only those '
        "the plan records, each with one of its answers (`/plans/{plan}/stories/attributes`); "
        "400 naming any other",
    )
    nodes: list[str] = Field(
        [], description="Codes of the plan's pillars, outcomes and actions it speaks to"
    )
    indicators: list[str] = Field(
        [], description="Codes of the plan's indicators it speaks to (ones the caller may see)"
    )
    recommendations: list[Id] = Field(
        [], description="Ids of the plan's recommendations it speaks to"
    )


class ConsentIn(Schema):
    given_by: str = Field(description="The storyteller, or the parent or guardian (encrypted)")
    purposes: list[str] = Field([], description="One or more of monitoring, report, public")
    method: str = Field(description="written, recorded or oral_witnessed")
    given_on: date
    valid_until: date | None = None
    witness: str = Field("", description="Required for an oral consent (encrypted)")
    to_be_named: bool = False


class WithdrawalIn(Schema):
    on: date | None = Field(None, description="From this day (default today; not later)")
    note: str = ""


class StoryReadOut(Schema):
    reader: str = Field(description="Who read it; empty for an anonymous reader")
    channel: str = Field(description="page, api, export or report")
    reading: str = Field(description="full or coarse")
    at: datetime


class StoryReadPage(Schema):
    count: int
    next: str | None
    items: list[StoryReadOut] = Field(description="Latest first")


class StoryReadParams(Schema):
    limit: int = page_limit(PAGE_DEFAULT, PAGE_MAX)
    offset: Offset = 0


def _reader_access(request: HttpRequest, plan: str) -> PlanAccess:
    return plan_access(request.auth, plan)  # type: ignore[attr-defined]


def _hint(read: StoryAsRead) -> str:
    if not read.whole_with_second_factor:
        return ""
    return _(
        "Read coarse: a second factor is needed to read it whole. Use a token that reads "
        "sensitive items, issued on your account's API tokens page from a session signed in "
        "with a second factor."
    )


def _story_out(read: StoryAsRead) -> dict[str, Any]:
    return {
        "uid": read.uid,
        "reading": read.reading,
        "hint": _hint(read),
        "kind": read.kind,
        "status": read.status,
        "sensitivity": read.sensitivity,
        "title": read.title,
        "text": read.text,
        "domain": read.domain,
        "language": read.language,
        "holder": read.holder,
        "area": read.area.code if read.area else None,
        "area_name": localized_name(read.area.name) if read.area else None,
        "happened": read.happened,
        "storyteller": {str(k): str(v) for k, v in read.storyteller.items()},
        "storyteller_name": read.storyteller_name,
        "collected_by": read.collected_by,
        "nodes": list(read.nodes),
        "indicators": list(read.indicators),
        "recommendations": list(read.recommendations),
    }


def _consent_out(consent: Consent) -> dict[str, Any]:
    purposes = [
        p
        for p, on in (
            (Purpose.MONITORING, consent.for_monitoring),
            (Purpose.REPORT, consent.for_report),
            (Purpose.PUBLIC, consent.for_public),
        )
        if on
    ]
    return {
        "id": consent.pk,
        "purposes": [str(p) for p in purposes],
        "to_be_named": consent.to_be_named,
        "method": consent.method,
        "given_on": consent.given_on,
        "valid_until": consent.valid_until,
        "withdrawn_on": consent.withdrawn_on,
        "withdrawal_note": consent.withdrawal_note,
        "in_force": consent.in_force(timezone.localdate()),
    }


def _story(access: PlanAccess, uid: uuid.UUID) -> Story:
    """The story, if this caller may read it at all (nothing logged); else 404, the same answer
    as for a story that does not exist."""
    story = (
        Story.objects.filter(plan_id=access.plan.pk, uid=uid)
        .select_related("holder", "area")
        .prefetch_related("consents", "named_readers", "nodes", "indicators", "recommendations")
        .first()
    )
    if story is None or access.story_reading(story) is None:
        raise not_found(_("No such story."))
    return story


def _detail(request: HttpRequest, access: PlanAccess, story: Story) -> dict[str, Any]:
    read = read_story(access, story, channel="api", verified=api_verified(request))
    if read is None:
        raise not_found(_("No such story."))
    consents = story.consents.all() if access.holds_story(story) else []
    return _story_out(read) | {"consents": [_consent_out(c) for c in consents]}


def _choice_parameter(value: str, choices: Any, field: str) -> str:
    value = value.strip()
    if value and value not in choices.values:
        raise bad_parameter(
            field, _("use one of: %(choices)s") % {"choices": ", ".join(choices.values)}
        )
    return value


@router.get(
    "/plans/{plan}/stories",
    response={200: StoryPage, **READ_ERRORS},
    summary="The stories of a plan the caller may read, as they may read them",
    operation_id="stories_list",
)
def list_stories(request: HttpRequest, plan: str, params: Query[StoryFilters]) -> dict[str, Any]:
    """Each story as the caller reads it (`reading`: full or coarse); each read is logged for
    the organisation that holds the story. Drafts are listed to their holder only."""
    access = _reader_access(request, plan)
    found = stories_for(
        access,
        channel="api",
        status=_choice_parameter(params.status, StoryStatus, "status"),
        kind=_choice_parameter(params.kind, StoryKind, "kind"),
        offset=params.offset,
        limit=params.limit,
        verified=api_verified(request),
    )
    end = params.offset + params.limit
    return {
        "count": found.count,
        "next": page_url(request, offset=end) if end < found.count else None,
        "items": [_story_out(read) for read in found.items],
    }


@router.get(
    "/plans/{plan}/stories/attributes",
    response={200: list[AttributeOut], **READ_ERRORS},
    summary="The storyteller's attributes the plan's stories record, and their answers",
    operation_id="story_attributes",
)
def list_attributes(request: HttpRequest, plan: str) -> list[dict[str, Any]]:
    """What `storyteller` takes when a story is recorded: the attributes the plan's coordinator
    chose, in order. They name no one: whoever reads the plan reads them."""
    access = _reader_access(request, plan)
    return [
        {
            "code": a.code,
            "label": str(a.label),
            "answers": [{"code": v, "label": str(label)} for v, label in a.answers],
        }
        for a in storyteller_attributes.chosen(access.plan)
    ]


@router.get(
    "/plans/{plan}/stories/{uid}",
    response={200: StoryDetailOut, **READ_ERRORS},
    summary="One story, as the caller may read it",
    operation_id="story_get",
)
def get_story(request: HttpRequest, plan: str, uid: uuid.UUID) -> dict[str, Any]:
    """404 for a story the caller may not read, as for one that does not exist. Its consent
    records are listed to its holder only."""
    access = _reader_access(request, plan)
    return _detail(request, access, _story(access, uid))


def _holder(access: PlanAccess, code: str | None) -> Organisation:
    if code:
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise ApiError(
                400,
                _("No organisation with code %(code)s.") % {"code": code},
                [{"row": None, "field": "holder", "message": _("Unknown organisation.")}],
            )
        return organisation
    mine = list(Organisation.objects.filter(pk__in=access.story_organisations()))
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise ApiError(403, _("You may not do this."))
    raise ApiError(
        400,
        _("You record stories for several organisations: say which holds this one."),
        [{"row": None, "field": "holder", "message": _("Required.")}],
    )


def _area(access: PlanAccess, code: str | None) -> Area | None:
    if not code:
        return None
    area = Area.objects.filter(code=code, path__startswith=access.plan.area.path).first()
    if area is None:
        raise ApiError(
            400,
            _("Plan %(plan)s has no area %(code)s.") % {"plan": access.plan.code, "code": code},
            [{"row": None, "field": "area", "message": _("Unknown area.")}],
        )
    return area


def _links(
    access: PlanAccess, body: StoryIn
) -> tuple[list[FrameworkNode], list[Indicator], list[Recommendation]]:
    """The nodes and indicators of these codes and the recommendations of these ids among those
    the caller may link; 400 naming the first unknown one (an indicator the caller may not see
    is unknown to them, a recommendation of another plan too)."""
    nodes, indicators, recommendations = link_choices(access)
    return (
        _chosen(access, "nodes", body.nodes, {n.code: n for n in nodes}),
        _chosen(access, "indicators", body.indicators, {i.code: i for i in indicators}),
        _chosen(
            access, "recommendations", body.recommendations, {r.pk: r for r in recommendations}
        ),
    )


def _chosen(access: PlanAccess, field: str, keys: list[K], offered: dict[K, T]) -> list[T]:
    for key in keys:
        if key not in offered:
            raise _unknown_link(access, field, key)
    return [offered[k] for k in dict.fromkeys(keys)]


def _unknown_link(access: PlanAccess, field: str, key: object) -> ApiError:
    if field == "recommendations":
        message = _("Plan %(plan)s has no recommendation %(id)s.") % {
            "plan": access.plan.code,
            "id": key,
        }
        located = _("Unknown recommendation %(id)s.") % {"id": key}
    else:
        message = _("Plan %(plan)s has no %(what)s %(code)s.") % {
            "plan": access.plan.code,
            "what": _("pillar, outcome or action") if field == "nodes" else _("indicator"),
            "code": key,
        }
        located = _("Unknown code %(code)s.") % {"code": key}
    return ApiError(400, message, [{"row": None, "field": field, "message": located}])


@router.post(
    "/plans/{plan}/stories",
    auth=WRITE_AUTH,
    response={200: StoryDetailOut, **WRITE_ERRORS},
    summary="Record a story, a draft of its holder's (the holder's focal points, monitors and "
    "organisation administrators)",
    operation_id="story_create",
)
def create_story(request: HttpRequest, plan: str, body: StoryIn) -> dict[str, Any]:
    """A draft: no one outside the holder reads it until it is shared with a consent."""
    access = access_for_api(request, plan)
    holder, area = _holder(access, body.holder), _area(access, body.area)
    nodes, indicators, recommendations = _links(access, body)
    with transaction.atomic():  # the story and its links, or neither
        story = services.story_record(
            by=api_user(request),
            plan=access.plan,
            holder=holder,
            kind=body.kind,
            title=body.title,
            text=body.text,
            language=body.language,
            sensitivity=body.sensitivity,
            domain=body.domain,
            area=area,
            happened_on=body.happened_on,
            storyteller=body.storyteller,
        )
        services.story_link(
            by=api_user(request),
            story=story,
            nodes=nodes,
            indicators=indicators,
            recommendations=recommendations,
        )
    return _detail(request, access, _story(access, story.uid))


@router.post(
    "/plans/{plan}/stories/{uid}/consents",
    auth=WRITE_AUTH,
    response={200: ConsentOut, **WRITE_ERRORS},
    summary="Record a consent to use a story (its holder)",
    operation_id="story_consent_create",
)
def create_consent(
    request: HttpRequest, plan: str, uid: uuid.UUID, body: ConsentIn
) -> dict[str, Any]:
    """Who gave it, for which purposes, how, when and until when. An oral consent needs its
    witness."""
    access = access_for_api(request, plan)
    consent = services.consent_record(
        by=api_user(request),
        story=_story(access, uid),
        given_by=body.given_by,
        purposes=set(body.purposes),
        method=body.method,
        given_on=body.given_on,
        valid_until=body.valid_until,
        witness=body.witness,
        to_be_named=body.to_be_named,
    )
    return _consent_out(consent)


@router.post(
    "/plans/{plan}/stories/{uid}/consents/{pk}/withdraw",
    auth=WRITE_AUTH,
    response={200: ConsentOut, **WRITE_ERRORS},
    summary="Withdraw a consent (its holder): every later use of the story it covered ends",
    operation_id="story_consent_withdraw",
)
def withdraw_consent(
    request: HttpRequest, plan: str, uid: uuid.UUID, pk: Id, body: WithdrawalIn
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    story = _story(access, uid)
    consent = Consent.objects.filter(story=story, pk=pk).select_related("story").first()
    if consent is None:
        raise not_found(_("No such consent."))
    withdrawn = services.consent_withdraw(
        by=api_user(request), consent=consent, on=body.on, note=body.note
    )
    return _consent_out(withdrawn.consent)


@router.get(
    "/plans/{plan}/stories/{uid}/reads",
    response={200: StoryReadPage, **HOLDER_ERRORS},
    summary="Who read a story, when, through which channel and how much (its holder only)",
    operation_id="story_reads",
)
def list_reads(
    request: HttpRequest, plan: str, uid: uuid.UUID, params: Query[StoryReadParams]
) -> dict[str, Any]:
    """Every read beyond the holder's own: pages, the API, exports and reports."""
    access = _reader_access(request, plan)
    story = _story(access, uid)
    if not access.holds_story(story):
        raise ApiError(403, _("Only the organisation that holds a story reads its read log."))
    reads = story.reads.select_related("reader").order_by("-at", "-pk")
    count = reads.count()
    end = params.offset + params.limit
    return {
        "count": count,
        "next": page_url(request, offset=end) if end < count else None,
        "items": [
            {
                "reader": kept_name(r, "reader"),
                "channel": r.channel,
                "reading": r.reading,
                "at": r.at,
            }
            for r in reads[params.offset : end]
        ],
    }
