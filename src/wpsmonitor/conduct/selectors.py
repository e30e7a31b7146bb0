"""Reads of the register of allegations (docs/conduct.md).

The coordinators and named conduct readers, in a verified session, read the allegations
(`allegations_for`, `allegation_for`): every read is logged (`AllegationRead`), and the area is
read to its province only. Everyone else reads only the counts by category and by kind × year,
after disclosure control (`figures`)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.conduct.models import (
    Allegation,
    AllegationKind,
    AllegationRead,
    ConductReader,
    PersonnelCategory,
)
from wpsmonitor.core.errors import NotFound
from wpsmonitor.directory.areas import province_id_on_path
from wpsmonitor.directory.counts import suppressed_counts
from wpsmonitor.directory.models import Area
from wpsmonitor.plans.models import Plan


def _log(access: PlanAccess, allegations: list[Allegation], channel: str) -> None:
    user = access.user
    assert isinstance(user, User)
    AllegationRead.objects.bulk_create(
        AllegationRead(allegation=a, reader=user, reader_name=user.get_username(), channel=channel)
        for a in allegations
    )


def _read(access: PlanAccess, verified: bool) -> None:
    if not access.can_read_allegations(verified=verified):
        raise PermissionDenied


def allegations_for(access: PlanAccess, *, verified: bool) -> list[Allegation]:
    """The plan's allegations, newest report first, each read logged ("list")."""
    _read(access, verified)
    found = list(
        Allegation.objects.filter(plan=access.plan)
        .select_related("institution", "area")
        .order_by("-reported_on", "-pk")
    )
    _log(access, found, "list")
    return found


def allegation_for(access: PlanAccess, uid: str, *, verified: bool) -> Allegation:
    """One allegation, its read logged ("page"); PermissionDenied for whoever may not read
    allegations, NotFound for one not of the plan."""
    _read(access, verified)
    found = (
        Allegation.objects.filter(plan=access.plan, uid=uid)
        .select_related("institution", "area", "recorded_by")
        .first()
    )
    if found is None:
        raise NotFound(_("No such allegation."))
    _log(access, [found], "page")
    return found


def province_of(allegation: Allegation) -> Area | None:
    """The area as read: its province (None for the whole country or none recorded)."""
    if allegation.area is None:
        return None
    province = province_id_on_path(allegation.area.path)
    return Area.objects.filter(pk=province).first() if province is not None else None


def reads_for(access: PlanAccess) -> QuerySet[AllegationRead]:
    """The log of reads of the plan's allegations, latest first: the coordinators'."""
    if not access.can_name_conduct_readers():
        raise PermissionDenied
    return AllegationRead.objects.filter(allegation__plan=access.plan).select_related(
        "allegation", "reader"
    )


def readers_for(plan: Plan) -> QuerySet[ConductReader]:
    return ConductReader.objects.filter(plan=plan).select_related("user", "named_by")


@dataclass(frozen=True)
class YearTimes:
    year: int
    outcomes: int  # allegations of the year with an outcome
    median_days: float | None  # from the report to the outcome


def times_by_year(plan: Plan) -> list[YearTimes]:
    """Median days from the report to the investigation's outcome, by the year the allegation
    was reported, newest first, over the allegations that have one (for the register's readers:
    the median of a few cases is not published)."""
    days: dict[int, list[int]] = defaultdict(list)
    years: set[int] = set()
    for reported, closed in Allegation.objects.filter(plan=plan).values_list(
        "reported_on", "investigation_closed_on"
    ):
        years.add(reported.year)
        if closed is not None:
            days[reported.year].append((closed - reported).days)
    return [
        YearTimes(
            year=year,
            outcomes=len(days[year]),
            median_days=statistics.median(days[year]) if days[year] else None,
        )
        for year in sorted(years, reverse=True)
    ]


@dataclass(frozen=True)
class YearCounts:
    year: int
    rows: list[tuple[str, str, int | None]]  # code, label, count (None: suppressed)


@dataclass(frozen=True)
class ConductFigures:
    threshold: int
    by_category: list[YearCounts]
    by_kind: list[YearCounts]


def _by_year(plan: Plan, rows: list[tuple[str, str]], field: str) -> list[YearCounts]:
    # suppressed_counts by row × province × year with no province given: every allegation
    # counts in its last column ("province not recorded"), the count by row × year.
    grid = suppressed_counts(
        area=plan.area,
        start=plan.start,
        end=plan.end,
        threshold=plan.disclosure_threshold,
        rows=rows,
        records=(
            (code, None, day)
            for code, day in Allegation.objects.filter(plan=plan).values_list(field, "reported_on")
        ),
    )
    return [
        YearCounts(
            year=table.year,
            rows=[
                (code, label, cells[-1])
                for (code, label), (_same, cells) in zip(grid.rows, table.rows, strict=True)
            ],
        )
        for table in grid.tables
    ]


def figures(plan: Plan) -> ConductFigures:
    """The plan's allegations counted by category of personnel × year and by kind × year (the
    year reported), after primary suppression at the plan's disclosure threshold (a zero
    included), with no totals; never by province (directory/counts.py)."""
    return ConductFigures(
        threshold=plan.disclosure_threshold,
        by_category=_by_year(
            plan, [(c, str(label)) for c, label in PersonnelCategory.choices], "category"
        ),
        by_kind=_by_year(plan, [(c, str(label)) for c, label in AllegationKind.choices], "kind"),
    )
