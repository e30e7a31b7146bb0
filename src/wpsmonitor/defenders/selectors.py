"""Reads of the register (docs/stories.md, "Threats against defenders").

The holder's people read their incidents (`incidents_for`, `incident_for`); everyone else reads
only the plan's counts by kind, province and year, after disclosure control (`figures`): a
count below the plan's disclosure threshold, a zero included, is shown as "fewer than" it, and
no total is shown (see `figures`).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import NotFound
from wpsmonitor.defenders.models import Incident, IncidentKind
from wpsmonitor.directory.counts import Figures, suppressed_counts
from wpsmonitor.directory.models import Area, Organisation, OrganisationType
from wpsmonitor.plans.models import Plan


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


def figures(plan: Plan) -> Figures:
    """The plan's incidents counted by kind × province × year across all holders, after
    disclosure control (directory/counts.py: primary suppression below the plan's threshold, a
    zero included; no total; every kind, province and year shown), in two queries."""
    return suppressed_counts(
        area=plan.area,
        start=plan.start,
        end=plan.end,
        threshold=plan.disclosure_threshold,
        rows=IncidentKind.choices,
        records=Incident.objects.filter(plan=plan).values_list("kind", "area__path", "occurred_on"),
    )
