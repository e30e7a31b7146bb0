"""Reads of the register (docs/stories.md, "Threats against defenders").

The holder's people read their incidents (`incidents_for`, `incident_for`); everyone else reads
only the plan's counts by kind, province and year, after disclosure control (`figures`): a
count below the plan's disclosure threshold, a zero included, is shown as "fewer than" it, and
no total is shown (see `figures`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import NotFound
from wpsmonitor.defenders.models import Incident, IncidentKind
from wpsmonitor.directory.areas import PROVINCE_DEPTH, province_id_on_path
from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.plans.models import Plan

# The depth of a province in the area tree (1 the country, 2 the province...), as in
# stories/reading.py.


def holders_for(access: PlanAccess) -> list[Organisation]:
    """The civil-society organisations whose register this user keeps on the plan."""
    candidates = Organisation.objects.filter(
        pk__in=access.story_organisations(), type=OrganisationType.CIVIL_SOCIETY
    ).order_by("name")
    return [o for o in candidates if access.can_hold_incidents(o)]


def incidents_for(access: PlanAccess) -> QuerySet[Incident]:
    """The incidents this user's organisations hold on the plan (none for anyone else)."""
    holders = [o.pk for o in holders_for(access)]
    return (
        Incident.objects.filter(plan=access.plan, holder_id__in=holders)
        .select_related("holder", "area", "funder", "recorded_by")
        .order_by("-occurred_on", "-pk")
    )


def incident_for(access: PlanAccess, uid: str) -> Incident:
    """One incident for its holder's people; NotFound for anyone else, as for one that does
    not exist (its existence is not told)."""
    incident = (
        Incident.objects.filter(plan=access.plan, uid=uid)
        .select_related("plan__area", "holder", "area", "funder", "recorded_by")
        .first()
    )
    if incident is None or not access.holds_incident(incident):
        raise NotFound(_("No such incident."))
    return incident


def areas_for(plan: Plan) -> list[Area]:
    """The areas an incident of the plan may be recorded in: the plan's area and below."""
    return list(
        Area.objects.filter(path__startswith=plan.area.path)
        .select_related("level")
        .order_by("path")
    )


@dataclass(frozen=True)
class YearTable:
    year: int
    # One row per kind of incident: its label and one count per column (None: suppressed).
    rows: list[tuple[str, list[int | None]]]


@dataclass(frozen=True)
class Figures:
    threshold: int
    # The columns: the plan's provinces, then "province not recorded" (None).
    provinces: list[Area]
    tables: list[YearTable]


def figures(plan: Plan) -> Figures:
    """The plan's incidents counted by kind × province × year across all holders, after
    disclosure control, in two queries.

    - Primary suppression: a count below the plan's disclosure threshold is not shown ("fewer
      than" it), and neither is a zero (a flag that told a zero from a small count would
      publish the zero).
    - No total is shown (by row, column, year or plan): with no sum published, no suppressed
      count can be recovered by differencing, so no complementary suppression is needed.
    - Every kind and every province of the plan is shown every year, from the plan's start (or
      the first incident, if earlier) to this year or the end of the plan: the table's shape
      says nothing of where incidents happened.
    """
    threshold = plan.disclosure_threshold
    top = plan.area
    top_ids = top.ancestor_ids
    if len(top_ids) > PROVINCE_DEPTH:  # a plan of a district: its province
        provinces = list(Area.objects.filter(pk=top_ids[PROVINCE_DEPTH - 1]))
    else:
        provinces = list(
            Area.objects.filter(
                path__startswith=top.path, path__regex=r"^/[0-9]+/[0-9]+/$"
            ).order_by("name")
        )
    columns: list[int | None] = [p.pk for p in provinces] + [None]
    known = set(columns)
    counts: Counter[tuple[str, int | None, int]] = Counter()
    for kind, day, path in Incident.objects.filter(plan=plan).values_list(
        "kind", "occurred_on", "area__path"
    ):
        province = province_id_on_path(path)
        counts[(kind, province if province in known else None, day.year)] += 1
    years = {year for _kind, _province, year in counts}
    today = timezone.localdate()
    first = min([plan.start.year, *years])
    last = max([min(plan.end.year, today.year), *years])

    def shown(kind: str, province: int | None, year: int) -> int | None:
        value = counts.get((kind, province, year), 0)
        return value if value >= threshold else None

    tables = [
        YearTable(
            year=year,
            rows=[
                (str(label), [shown(kind, column, year) for column in columns])
                for kind, label in IncidentKind.choices
            ],
        )
        for year in range(last, first - 1, -1)
    ]
    return Figures(threshold=threshold, provinces=provinces, tables=tables)
