"""Reads of a plan's donor activities, their flows and their markers.

The plan's activities are those linked to it (the import links activities in the plan's
country; `services` keeps user links) and, for a plan whose area is a country, unlinked
activities whose recipient countries include it: the country link is automatic. Records are
rebuilt from the database in a few queries and handed to the pure functions of `flows` and
`markers`, so the pages, the API and the tests share one arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.core.errors import NotFound
from wpsmonitor.iati import flows, markers, records
from wpsmonitor.iati import models as m
from wpsmonitor.iati.importer import plan_country
from wpsmonitor.plans.models import FrameworkNode, Plan


def country_of(plan: Plan) -> str:
    """The plan's country (ISO alpha-2), "" when its area is not in a country we know."""
    return plan_country(plan)


def plan_activities(plan: Plan) -> QuerySet[m.Activity]:
    """The plan's activities: linked to it, or unlinked in its country (plans of a country)."""
    linked = Q(plan=plan)
    country = country_of(plan)
    if country and plan.area.parent_id is None:
        # JSON list of codes: the quoted code is a whole element ("CD" does not match "CDA").
        linked |= Q(plan__isnull=True, recipient_countries__icontains=f'"{country}"')
    return m.Activity.objects.filter(linked)


def activity_for(access: PlanAccess, pk: int) -> m.Activity:
    """One of the plan's activities, or 404."""
    found = plan_activities(access.plan).select_related("reporting_org").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No donor activity %(id)s in this plan.") % {"id": pk})
    return found


def _ref(org: m.Organisation | None, activity_id: str = "") -> records.OrgRef | None:
    if org is None:
        return None
    return records.OrgRef(ref=org.ref, name=org.name, type=org.type, activity_id=activity_id)


def activity_records(activities: QuerySet[m.Activity]) -> list[records.Activity]:
    """The activities as reader records (four queries whatever their number)."""
    rows = list(activities.select_related("reporting_org").order_by("pk"))
    ids = [a.pk for a in rows]
    orgs: dict[int, m.Organisation] = {}
    by_id: dict[int, records.Activity] = {}
    for a in rows:
        orgs[a.reporting_org_id] = a.reporting_org
        by_id[a.pk] = records.Activity(
            iati_identifier=a.iati_identifier,
            reporting_org=_ref(a.reporting_org) or records.OrgRef(),
            title=a.title,
            default_currency=a.default_currency,
            humanitarian=a.humanitarian,
            recipient_countries=list(a.recipient_countries),
            gender_marker=a.gender_marker,
            has_gender_marker=a.has_gender_marker,
            last_updated=a.last_updated,
        )
    for s in m.ActivitySector.objects.filter(activity_id__in=ids).order_by("pk"):
        by_id[s.activity_id].sectors.append(records.Sector(s.vocabulary, s.code, s.percentage))
    participants = m.ParticipatingOrg.objects.filter(activity_id__in=ids).select_related(
        "organisation"
    )
    for p in participants.order_by("pk"):
        by_id[p.activity_id].participating_orgs.append(
            (p.role, _ref(p.organisation, p.activity_ref) or records.OrgRef())
        )
    transactions = m.Transaction.objects.filter(activity_id__in=ids).select_related(
        "provider", "receiver"
    )
    for t in transactions.order_by("pk"):
        by_id[t.activity_id].transactions.append(
            records.Transaction(
                type=t.type,
                value=t.value,
                currency=t.currency,
                value_date=t.value_date,
                provider=_ref(t.provider, t.provider_activity_id),
                receiver=_ref(t.receiver, t.receiver_activity_id),
                transaction_date=t.transaction_date,
            )
        )
    return [by_id[pk] for pk in ids]


def organisation_flags(keys: set[str] | None = None) -> dict[str, flows.OrgFlags]:
    """What users said of organisations (women-led, grassroots), by flow key."""
    found = m.Organisation.objects.filter(Q(women_led=True) | Q(grassroots=True))
    return {
        flows.org_key(o.ref, o.name): flows.OrgFlags(
            type=o.type, women_led=o.women_led, grassroots=o.grassroots
        )
        for o in found
        if keys is None or flows.org_key(o.ref, o.name) in keys
    }


@dataclass(frozen=True)
class Rates:
    """The plan's currency and its rate table (finance), or none: per-currency totals only."""

    target: str
    table: Mapping[tuple[str, int], Decimal] | None


def plan_rates(plan: Plan) -> Rates:
    from wpsmonitor.finance.models import ExchangeRate, PlanFinance

    table = {
        (r.currency, r.year): r.rate for r in ExchangeRate.objects.filter(plan=plan).order_by()
    }
    currency = PlanFinance.objects.filter(plan=plan).values_list("currency", flat=True).first()
    if not table and currency is None:
        return Rates("", None)  # no currency chosen, no rates: per-currency totals only
    # USD until the coordinator chooses another: finance.services.plan_currency's default.
    return Rates(currency or "USD", table)


@dataclass(kw_only=True)
class NodeFunding(flows.ConvertedTotals):
    node: FrameworkNode


@dataclass
class DonorSummary:
    """Everything the donors page and the flows API show."""

    plan: Plan
    country: str
    activities: int
    report: flows.FlowReport
    profiles: list[markers.DonorProfile]
    flagged: list[markers.Flagged]
    crosstab: dict[str, Any]
    by_node: list[NodeFunding]
    rates: Rates


def _convert(amount: Decimal, currency: str, year: int | None, rates: Rates) -> Decimal | None:
    if rates.table is None:
        return None
    if currency and currency == rates.target:
        return amount
    if currency and year is not None and (currency, year) in rates.table:
        return amount * rates.table[(currency, year)]
    return None


def node_funding(plan: Plan, recs: list[records.Activity], rates: Rates) -> list[NodeFunding]:
    """Money of the activities mapped to each pillar or action: what the activity paid out
    (disbursements and expenditure) times the link's share (the whole when none is given)."""
    by_identifier = {r.iati_identifier: r for r in recs}
    out: dict[int, NodeFunding] = {}
    links = (
        m.ActivityLink.objects.filter(node__plan=plan, activity__in=plan_activities(plan))
        .select_related("node", "activity")
        .order_by("node__path", "activity__iati_identifier")
    )
    for link in links:
        row = out.setdefault(link.node_id, NodeFunding(node=link.node))
        row.activities += 1
        record = by_identifier.get(link.activity.iati_identifier)
        if record is None:
            continue
        share = (link.share / 100) if link.share is not None else Decimal(1)
        for t in record.transactions:
            if t.type not in markers.SPENDING:
                continue
            amount = t.value * share
            row.by_currency[t.currency] = row.by_currency.get(t.currency, Decimal(0)) + amount
            year = t.value_date.year if t.value_date else None
            converted = _convert(amount, t.currency, year, rates)
            if converted is None:
                row.unconverted += 1
                row.missing.add((t.currency, year))
            else:
                row.counted += 1
                row.converted += converted
    return list(out.values())


def donor_summary(plan: Plan) -> DonorSummary:
    activities = plan_activities(plan)
    recs = activity_records(activities)
    country = country_of(plan)
    rates = plan_rates(plan)
    report = flows.trace(
        recs,
        country=country,
        flags=organisation_flags(),
        rates=rates.table,
        target=rates.target,
    )
    table = markers.crosstab(recs)
    return DonorSummary(
        plan=plan,
        country=country,
        activities=len(recs),
        report=report,
        profiles=markers.donor_profiles(recs, rates=rates.table, target=rates.target),
        flagged=markers.flag_sector_rule(recs),
        crosstab={code: dict(counts) for code, counts in table.items()},
        by_node=node_funding(plan, recs, rates),
        rates=rates,
    )


@dataclass(frozen=True)
class ActivityFilters:
    q: str = ""
    state: str = ""  # a marker state, or ""
    mapped: str = ""  # "yes", "no" or ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ActivityFilters:
        state = str(params.get("state", "") or "")
        mapped = str(params.get("mapped", "") or "")
        return cls(
            q=str(params.get("q", "") or "").strip()[:200],
            state=state if state in (*markers.PROFILE_STATES, markers.NO_MARKER) else "",
            mapped=mapped if mapped in ("yes", "no") else "",
        )


def activity_list(plan: Plan, filters: ActivityFilters) -> QuerySet[m.Activity]:
    found = (
        plan_activities(plan)
        .select_related("reporting_org")
        .annotate(link_count=Count("links", filter=Q(links__node__plan=plan)))
    )
    if filters.q:
        found = found.filter(
            Q(iati_identifier__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Q(reporting_org__name__icontains=filters.q)
        )
    if filters.state in ("0", "1", "2"):
        found = found.filter(gender_marker=int(filters.state))
    elif filters.state == markers.NOT_SCREENED:
        found = found.filter(gender_marker__isnull=True, has_gender_marker=True)
    elif filters.state == markers.NO_MARKER:
        found = found.filter(gender_marker__isnull=True, has_gender_marker=False)
    if filters.mapped == "yes":
        found = found.filter(link_count__gt=0)
    elif filters.mapped == "no":
        found = found.filter(link_count=0)
    return found.order_by("reporting_org__name", "iati_identifier")


def activity_state(activity: m.Activity) -> str:
    if activity.gender_marker in (0, 1, 2):
        return str(activity.gender_marker)
    return markers.NOT_SCREENED if activity.has_gender_marker else markers.NO_MARKER


def mappable_nodes(plan: Plan) -> list[FrameworkNode]:
    """Pillars (top-level nodes) and actions: what an activity may be mapped to."""
    return list(
        FrameworkNode.objects.filter(plan=plan)
        .filter(Q(parent__isnull=True) | Q(level__holds_actions=True))
        .select_related("level")
        .order_by("path")
    )


def plan_organisations(plan: Plan) -> QuerySet[m.Organisation]:
    """Organisations named in the plan's activities (reporting, participating, paying or
    receiving)."""
    activities = plan_activities(plan).values("pk")
    return m.Organisation.objects.filter(
        Q(pk__in=plan_activities(plan).values("reporting_org"))
        | Q(
            pk__in=m.ParticipatingOrg.objects.filter(activity__in=activities).values("organisation")
        )
        | Q(pk__in=m.Transaction.objects.filter(activity__in=activities).values("provider"))
        | Q(pk__in=m.Transaction.objects.filter(activity__in=activities).values("receiver"))
    )


def links_by_activity(plan: Plan, ids: list[int]) -> dict[int, list[FrameworkNode]]:
    out: dict[int, list[FrameworkNode]] = defaultdict(list)
    for link in (
        m.ActivityLink.objects.filter(activity_id__in=ids, node__plan=plan)
        .select_related("node")
        .order_by("node__path")
    ):
        out[link.activity_id].append(link.node)
    return out
