"""Plan versions in the JSON API (docs/revisions.md), through the same selectors as the pages:
whoever reads the plan reads its versions and the difference each made (the indicators a
reader may not see left out, as on the pages)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess, plan_access
from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, access_for_api, api_user
from wpsmonitor.core.api import READ_ERRORS, ErrorOut
from wpsmonitor.plans.models import PlanVersion
from wpsmonitor.plans.versions import board_cosigned
from wpsmonitor.revisions import selectors, services

router = Router(tags=["plan revisions"], auth=READ_AUTH)

ANSWERS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut}
# The PositiveSmallIntegerField of PlanVersion.number.
VersionNumber = Annotated[int, Field(ge=1, le=32767, description="A version number (1 to 32,767)")]


class VersionOut(Schema):
    number: int
    kind: str = Field(description="adopted, midterm, generation or correction")
    status: str = Field(description="draft, current or superseded")
    reason: str
    review: int | None = Field(description="The review whose findings caused it (its id)")
    board_cosign_required: bool
    board_cosigned_at: datetime | None = Field(
        description="When the board's co-signature was given (a government and a "
        "civil-society member); null when not given or withdrawn"
    )
    board_cosigned: bool = Field(
        description="The board's co-signature stands on the version's content as it is now"
    )
    approved_at: datetime | None
    abandoned_at: datetime | None


class VersionsOut(Schema):
    plan: str
    versions: list[VersionOut]


class VersionNodeOut(Schema):
    code: str
    title: str
    parent: str = Field(description="The parent node's code; empty for a top node")


class VersionIndicatorOut(Schema):
    code: str
    title: str
    node: str


class VersionChangeOut(Schema):
    code: str
    field: str = Field(description="title, definition, parent (a node moved) or node")
    before: str
    after: str


class VersionTargetOut(Schema):
    indicator: str
    period: str
    area: str
    cell: str
    before: float | None
    after: float | None


class VersionDifferenceOut(Schema):
    plan: str
    before: int | None = Field(description="The version compared from; null for version 1")
    after: int
    nodes_added: list[VersionNodeOut]
    nodes_removed: list[VersionNodeOut]
    nodes_changed: list[VersionChangeOut]
    indicators_added: list[VersionIndicatorOut]
    indicators_removed: list[VersionIndicatorOut]
    indicators_changed: list[VersionChangeOut]
    targets_changed: list[VersionTargetOut]


def _version_out(v: PlanVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "kind": v.kind,
        "status": v.status,
        "reason": v.reason,
        "review": v.review_id,
        "board_cosign_required": v.board_cosign_required,
        "board_cosigned_at": v.board_cosigned_at,
        "board_cosigned": board_cosigned(v) if v.board_cosigned_at else False,
        "approved_at": v.approved_at,
        "abandoned_at": v.abandoned_at,
    }


def _reader(request: HttpRequest, plan: str) -> PlanAccess:
    access = plan_access(api_user(request), plan, may_open=PlanAccess.can_read_versions)
    if not access.can_read_versions():
        raise PermissionDenied
    return access


@router.get(
    "/plans/{plan}/versions",
    response={200: VersionsOut, **ANSWERS},
    summary="Versions of the plan's results framework",
)
def versions(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = _reader(request, plan)
    return {
        "plan": access.plan.code,
        "versions": [_version_out(v) for v in selectors.versions_of(access.plan)],
    }


@router.get(
    "/plans/{plan}/versions/{number}/difference",
    response={200: VersionDifferenceOut, **ANSWERS},
    summary="What a version changed from the version before it",
)
def difference(request: HttpRequest, plan: str, number: VersionNumber) -> dict[str, Any]:
    """For a draft: what the live framework changes from the current version."""
    access = _reader(request, plan)
    version = selectors.version_get(access.plan, number)
    before, diff = selectors.version_difference(version)
    diff = selectors.difference_for(diff, selectors.hidden_codes(access.user, access.plan))
    return {
        "plan": access.plan.code,
        "before": before.number if before else None,
        "after": version.number,
        "nodes_added": diff.nodes_added,
        "nodes_removed": diff.nodes_removed,
        "nodes_changed": [vars(r) for r in diff.nodes_changed],
        "indicators_added": diff.indicators_added,
        "indicators_removed": diff.indicators_removed,
        "indicators_changed": [vars(r) for r in diff.indicators_changed],
        "targets_changed": [vars(t) for t in diff.targets_changed],
    }


class VersionAction(StrEnum):
    APPROVE = "approve"
    ABANDON = "abandon"


WRITE_ANSWERS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.post(
    "/plans/{plan}/versions/{number}/{action}",
    auth=WRITE_AUTH,
    response={200: VersionOut, **WRITE_ANSWERS},
    summary="Approve a draft version (it becomes current) or abandon it: the coordinator",
    operation_id="version_decide",
)
def decide(
    request: HttpRequest, plan: str, number: VersionNumber, action: VersionAction
) -> dict[str, Any]:
    """Approving a version whose plan requires the board's co-signature is refused (400) until
    a government and a civil-society member have signed its content as it stands."""
    access = access_for_api(request, plan)
    version = selectors.version_get(access.plan, number)
    if action == VersionAction.APPROVE:
        done = services.revision_approve(access=access, version=version)
    else:
        done = services.revision_abandon(access=access, version=version)
    return _version_out(done)
