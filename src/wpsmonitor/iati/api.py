"""Donor flows in the JSON API: the flows summary of a plan, its donor activities, the marker
check, and the mapping writes.

The same selectors and services as the donors pages, so the same numbers and the same rules:
a plan the caller may not read is a 404, a write they may not make a 403. Amounts are decimal
strings; every total is given per currency (`by_currency`) and, when the plan has a rate
table, converted to its currency (`converted`, with `unconverted` counting what had no rate).
Writes need a bearer token.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from wpsmonitor.accounts.auth import READ_AUTH, WRITE_AUTH, access_for_api, api_user
from wpsmonitor.core.api import READ_ERRORS, ErrorOut, Id, Offset, not_found, page_limit
from wpsmonitor.iati import flows, markers, selectors, services
from wpsmonitor.iati.models import Activity, Organisation

router = Router(tags=["donor flows"], auth=READ_AUTH)

WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class TotalsOut(Schema):
    by_currency: dict[str, Decimal] = Field(description='Per currency ("" : no currency given)')
    converted: Decimal | None = Field(
        description="In the plan's currency; null: no rate table, or no flow had a rate"
    )
    flows: int
    unconverted: int = Field(description="Flows left out of `converted` (no rate)")
    not_converted: str | None = Field(
        description='Why flows are left out of `converted` ("no rate for GBP 2025"); null: none is'
    )


class ReachOut(Schema):
    group: str = Field(description="local, international, unknown, women_led or grassroots")
    direct: TotalsOut = Field(description="Straight from funders (hop 1)")
    through: TotalsOut = Field(description="From an organisation outside the group")
    total: TotalsOut
    share: float | None = Field(description="total / what the funders paid")


class OrgOut(Schema):
    key: str
    ref: str
    name: str
    type: str = Field(description="IATI OrganisationType code, '' when not known")
    category: str = Field(description="local, international or unknown")
    women_led: bool
    grassroots: bool
    depth: int = Field(description="0: a funder (receives nothing in the data)")


class FlowOut(Schema):
    provider: str = Field(description="Organisation key")
    receiver: str = Field(description="Organisation key; '' when the file names none")
    amount: Decimal
    currency: str
    value_date: date | None
    via: str = Field(description="The activity that reported it")
    to_activity: str
    reported_by: str = Field(description="both, provider or receiver")
    converted: Decimal | None
    hop: int


class NotAddedOut(Schema):
    provider: str
    receiver: str
    amount: Decimal
    currency: str
    value_date: date | None
    activity: str


class FlowUnconvertedOut(Schema):
    currency: str
    year: int | None
    count: int
    amounts: Decimal


class HopOut(Schema):
    hop: int
    totals: TotalsOut


class FlowsOut(Schema):
    plan: str
    country: str
    currency: str = Field(description="The plan's currency for converted amounts; ''")
    activities: int
    matched: int = Field(description="Disbursement / incoming-funds pairs counted once")
    entered: TotalsOut = Field(description="What the funders paid (hop 1)")
    by_hop: list[HopOut]
    reached: list[ReachOut]
    organisations: list[OrgOut]
    flows: list[FlowOut]
    not_added: list[NotAddedOut] = Field(
        description="Incoming funds not added: the funder's own disbursements are counted"
    )
    unconverted: list[FlowUnconvertedOut]


class StateOut(Schema):
    state: str = Field(description="2, 1, 0 or not_screened")
    activities: int
    by_currency: dict[str, Decimal]
    converted: Decimal | None = Field(
        description="In the plan's currency; null: no rate table, or no amount had a rate"
    )
    not_converted: str | None = Field(
        description='Why amounts are left out of `converted` ("no rate for GBP 2025"); null: none is'
    )


class ProfileOut(Schema):
    donor: str = Field(description="Organisation key of the reporting organisation")
    name: str
    activities: int
    states: list[StateOut]


class FlaggedOut(Schema):
    iati_identifier: str
    title: str
    reporting_org: str
    codes: list[str]
    state: str = Field(description="1, 0, not_screened or none (no marker)")


class MarkersOut(Schema):
    plan: str
    flagged: list[FlaggedOut]
    crosstab: dict[str, dict[str, int]] = Field(
        description="Purpose code → marker state → activities"
    )
    profiles: list[ProfileOut]


class LinkOut(Schema):
    node: str
    share: Decimal | None


class ActivityOut(Schema):
    id: int
    iati_identifier: str
    title: str
    reporting_org: str
    reporting_org_ref: str
    recipient_countries: list[str]
    humanitarian: bool
    gender_marker: str = Field(description="2, 1, 0, not_screened or none")
    links: list[LinkOut]


class ActivitiesPage(Schema):
    count: int
    items: list[ActivityOut]


class ActivityFiltersIn(Schema):
    q: str = ""
    state: str = Field("", description="2, 1, 0, not_screened or none")
    mapped: str = Field("", description="yes or no")
    limit: int = page_limit(100, 1000)
    offset: Offset = 0


class LinkIn(Schema):
    node: str = Field(description="Code of a pillar or an action of the plan")
    share: Decimal | None = Field(None, description="Percent of the activity's money")


class LinksIn(Schema):
    links: list[LinkIn] = Field(description="Replaces the activity's links; [] removes them")


class FlagsIn(Schema):
    women_led: bool
    grassroots: bool


class OrganisationOut(Schema):
    id: int
    ref: str
    name: str
    type: str
    women_led: bool
    grassroots: bool


def _totals(t: flows.Totals, target: str) -> dict[str, Any]:
    return {
        "by_currency": t.by_currency,
        "converted": t.converted if target and not t.none_converted else None,
        "flows": t.flows,
        "unconverted": t.unconverted if target else t.flows,
        "not_converted": (t.not_converted or None) if target else None,
    }


def _reach(group: str, reach: flows.Reach, report: flows.FlowReport) -> dict[str, Any]:
    target = report.target
    return {
        "group": group,
        "direct": _totals(reach.direct, target),
        "through": _totals(reach.through, target),
        "total": _totals(reach.total, target),
        "share": report.share(reach),
    }


def _activity(a: Activity, links: list[Any]) -> dict[str, Any]:
    return {
        "id": a.pk,
        "iati_identifier": a.iati_identifier,
        "title": a.title,
        "reporting_org": a.reporting_org.name,
        "reporting_org_ref": a.reporting_org.ref,
        "recipient_countries": list(a.recipient_countries),
        "humanitarian": a.humanitarian,
        "gender_marker": selectors.activity_state(a),
        "links": [{"node": link.node.code, "share": link.share} for link in links],
    }


@router.get(
    "/plans/{plan}/donors/flows",
    response={200: FlowsOut, **READ_ERRORS},
    summary="Donor money traced from funders to implementers, counted once, and who it reached",
    operation_id="donor_flows",
)
def donor_flows(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = access_for_api(request, plan)
    s = selectors.donor_summary(access.plan)
    report = s.report
    target = report.target
    groups = [(c, report.reached[c]) for c in flows.CATEGORIES]
    groups += [("women_led", report.women_led), ("grassroots", report.grassroots)]
    return {
        "plan": access.plan.code,
        "country": s.country,
        "currency": target,
        "activities": s.activities,
        "matched": report.matched,
        "entered": _totals(report.entered, target),
        "by_hop": [{"hop": h, "totals": _totals(t, target)} for h, t in report.by_hop.items()],
        "reached": [_reach(g, r, report) for g, r in groups],
        "organisations": [
            {
                "key": o.key,
                "ref": o.ref,
                "name": o.name,
                "type": o.type,
                "category": o.category,
                "women_led": o.women_led,
                "grassroots": o.grassroots,
                "depth": o.depth,
            }
            for o in sorted(report.orgs.values(), key=lambda o: (o.depth, o.key))
        ],
        "flows": [vars(f) for f in report.flows],
        "not_added": [vars(n) for n in report.not_added],
        "unconverted": [vars(u) for u in report.unconverted],
    }


@router.get(
    "/plans/{plan}/donors/markers",
    response={200: MarkersOut, **READ_ERRORS},
    summary="Activities coded 15170/15180 not marked principal, the sector × marker cross-tab, "
    "and the gender-marker profile of peace-and-security funding per donor",
    operation_id="donor_markers",
)
def donor_markers(request: HttpRequest, plan: str) -> dict[str, Any]:
    access = access_for_api(request, plan)
    s = selectors.donor_summary(access.plan)
    target = s.rates.target if s.rates.table is not None else ""
    return {
        "plan": access.plan.code,
        "flagged": [
            {
                "iati_identifier": f.iati_identifier,
                "title": f.title,
                "reporting_org": f.reporting_org,
                "codes": list(f.codes),
                "state": f.state,
            }
            for f in s.flagged
        ],
        "crosstab": s.crosstab,
        "profiles": [
            {
                "donor": p.key,
                "name": p.name,
                "activities": p.activities,
                "states": [
                    {
                        "state": k,
                        "activities": p.states[k].activities,
                        "by_currency": p.states[k].by_currency,
                        "converted": (
                            p.states[k].converted
                            if target and not p.states[k].none_converted
                            else None
                        ),
                        "not_converted": (p.states[k].not_converted or None) if target else None,
                    }
                    for k in markers.PROFILE_STATES
                ],
            }
            for p in s.profiles
        ],
    }


@router.get(
    "/plans/{plan}/donors/activities",
    response={200: ActivitiesPage, **READ_ERRORS},
    summary="The plan's donor activities (linked to it or in its country), with their mapping",
    operation_id="donor_activities",
)
def donor_activities(
    request: HttpRequest, plan: str, filters: Query[ActivityFiltersIn]
) -> dict[str, Any]:
    access = access_for_api(request, plan)
    found = selectors.ActivityFilters.from_params(filters.dict())
    items = selectors.activity_list(access.plan, found)
    window = list(items[filters.offset : filters.offset + filters.limit])
    links: dict[int, list[Any]] = {}
    for a in window:
        links[a.pk] = []
    for link in selectors.m.ActivityLink.objects.filter(
        activity_id__in=list(links), node__plan=access.plan
    ).select_related("node"):
        links[link.activity_id].append(link)
    return {"count": items.count(), "items": [_activity(a, links[a.pk]) for a in window]}


@router.put(
    "/plans/{plan}/donors/activities/{pk}/links",
    auth=WRITE_AUTH,
    response={200: ActivityOut, **WRITE_ERRORS},
    summary="Map a donor activity to pillars and actions of the plan (coordinators)",
    operation_id="donor_activity_links",
)
def set_links(request: HttpRequest, plan: str, pk: Id, body: LinksIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    activity = selectors.activity_for(access, pk)
    saved = services.activity_links_set(
        by=api_user(request),
        access=access,
        activity=activity,
        links=[services.LinkIn(node=link.node, share=link.share) for link in body.links],
    )
    return _activity(activity, saved)


@router.put(
    "/plans/{plan}/donors/organisations/{pk}/flags",
    auth=WRITE_AUTH,
    response={200: OrganisationOut, **WRITE_ERRORS},
    summary="Say whether an organisation of the plan's donor flows is women-led or grassroots "
    "(coordinators)",
    operation_id="donor_organisation_flags",
)
def set_flags(request: HttpRequest, plan: str, pk: Id, body: FlagsIn) -> dict[str, Any]:
    access = access_for_api(request, plan)
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise not_found(_("No organisation %(id)s.") % {"id": pk})
    saved = services.organisation_flags_set(
        by=api_user(request),
        access=access,
        organisation=organisation,
        women_led=body.women_led,
        grassroots=body.grassroots,
    )
    return {
        "id": saved.pk,
        "ref": saved.ref,
        "name": saved.name,
        "type": saved.type,
        "women_led": saved.women_led,
        "grassroots": saved.grassroots,
    }
