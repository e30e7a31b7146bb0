"""Plan versions in the JSON API (docs/revisions.md), through the same selectors as the pages:
whoever reads the plan reads its versions and the difference each made (the indicators a
reader may not see left out, as on the pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.auth import READ_AUTH, access_for_api
from wpsmonitor.core.api import READ_ERRORS, ErrorOut
from wpsmonitor.revisions import selectors

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
    approved_at: datetime | None


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


def _reader(request: HttpRequest, plan: str) -> PlanAccess:
    access = access_for_api(request, plan)
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
        "versions": [
            {
                "number": v.number,
                "kind": v.kind,
                "status": v.status,
                "reason": v.reason,
                "review": v.review_id,
                "board_cosign_required": v.board_cosign_required,
                "approved_at": v.approved_at,
            }
            for v in selectors.versions_of(access.plan)
        ],
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
