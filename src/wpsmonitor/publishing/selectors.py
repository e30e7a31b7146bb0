"""Reads of releases (docs/publishing.md, "The release"): the public reads published releases
only; withdrawn releases' figures are read by no one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import NotFound
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import Plan
from wpsmonitor.publishing.models import (
    DisclosureAuditEntry,
    Release,
    ReleaseFigure,
    ReleaseStatus,
)


def published_release(plan: Plan) -> Release | None:
    """The latest published release of the plan (withdrawn ones are not), or None. One query."""
    release = (
        Release.objects.filter(plan=plan, status=ReleaseStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if release is not None:
        release.plan = plan  # its link (Reading.release_url) then costs no query
    return release


def published_releases(plans: Iterable[Plan]) -> dict[int, Release]:
    """The latest published release of each plan that has one, by plan id. One query, for the
    pages that set several plans side by side (the cross-plan page of a global indicator)."""
    by_id = {plan.pk: plan for plan in plans}
    latest: dict[int, Release] = {}
    # A plan keeps tens of releases at most: reading them all is cheaper than a subquery a plan.
    for release in Release.objects.filter(
        plan_id__in=by_id, status=ReleaseStatus.PUBLISHED
    ).order_by("plan_id", "-number"):
        if release.plan_id not in latest:
            release.plan = by_id[release.plan_id]
            latest[release.plan_id] = release
    return latest


def releases_of(plan: Plan, *, drafts: bool) -> QuerySet[Release]:
    """The plan's releases, newest first; drafts only for those who may prepare them."""
    rows = Release.objects.filter(plan=plan).order_by("-number")
    return rows if drafts else rows.exclude(status=ReleaseStatus.DRAFT)


def release_by_number(plan: Plan, number: int, *, drafts: bool) -> Release:
    release = releases_of(plan, drafts=drafts).filter(number=number).first()
    if release is None:
        raise NotFound(f"No release {number}.")
    return release


def release_figures(
    release: Release,
    *,
    indicator: Indicator | None = None,
    area: Area | None = None,
    period: str | None = None,
) -> QuerySet[ReleaseFigure]:
    """The figures of a release in a stable order; none for a withdrawn release."""
    # The status is read from the database, not from the object: a release withdrawn since
    # it was loaded is read by no one.
    rows = ReleaseFigure.objects.filter(release=release).exclude(
        release__status=ReleaseStatus.WITHDRAWN
    )
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    if area is not None:
        rows = rows.filter(area=area)
    if period is not None:
        rows = rows.filter(period_code=period)
    return rows.order_by("indicator_id", "source_id", "area_id", "cell_key", "period_code", "pk")


def audit_of(release: Release, *, limit: int = 500) -> tuple[list[DisclosureAuditEntry], int]:
    """The release's audit, problems first, at most `limit` entries, and how many there are."""
    rows = DisclosureAuditEntry.objects.filter(release=release).order_by(
        "-problem", "resolved", "pk"
    )
    return list(rows[:limit]), rows.count()


def open_problems(release: Release) -> int:
    return DisclosureAuditEntry.objects.filter(
        release=release, problem=True, resolved=False
    ).count()


# --- who reads what (docs/publishing.md, "Who reads what") ----------------------------------


@dataclass(frozen=True)
class Reading:
    """What one reader of a plan reads: the detail the platform holds, or a release.

    `figures` goes to the indicator selectors (`indicators.selectors.Figures`): None reads the
    aggregates; otherwise the published release's figures, or none at all when nothing is
    published yet. `release` is the release read (None for the detail, or when none is published).
    """

    detail: bool
    release: Release | None
    figures: QuerySet[ReleaseFigure] | None

    @property
    def release_number(self) -> int | None:
        """The number of the release read (`indicators.reading.FigureReading`)."""
        return self.release.number if self.release is not None else None

    @property
    def release_published_at(self) -> datetime | None:
        return self.release.published_at if self.release is not None else None

    @property
    def release_url(self) -> str:
        if self.release is None:
            return ""
        return reverse(
            "publishing:release",
            kwargs={"code": self.release.plan.code, "number": self.release.number},
        )


def reading_for(access: PlanAccess) -> Reading:
    """The one decision of which figures a reader gets: `PlanAccess.sees_detail` says whether
    they see the detail; everyone else reads the plan's latest published release."""
    if access.sees_detail:
        return Reading(detail=True, release=None, figures=None)
    release = published_release(access.plan)
    if release is None:
        return Reading(detail=False, release=None, figures=ReleaseFigure.objects.none())
    return Reading(detail=False, release=release, figures=release_figures(release).order_by())
