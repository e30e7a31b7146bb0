"""Tracing donor money along the chain, without counting the same money twice.

Pure functions on the reader's records (`iati.records`): `trace(activities, ...)` returns the
flows as edges between organisations (funder → extending organisation or pooled fund →
implementing organisation), their totals by hop, and how much reached national and local
organisations versus international ones. `selectors.plan_flows` feeds it from the database;
the arithmetic is tested on hand-made records (tests/iati/test_flows.py). docs/iati.md, "Flows
and markers", states the rules for users.

The rules, in the order they apply:

1. **Which transactions are flows.** Disbursements (type 3) reported by the funder's activity
   and incoming funds (type 1) reported by the receiver's activity: money that moved from one
   organisation to another. Commitments, expenditure (money leaving the chain to suppliers and
   staff) and the rest are not flows. A disbursement's provider is the transaction's
   provider-org, else the activity's reporting organisation; its receiver the receiver-org, else
   the reporting organisation of the activity its receiver-activity-id names. Incoming funds are
   the mirror image.
2. **Organisations** are identified like `models.Organisation`: by IATI ref, else by the name
   folded to lower case. A flow from an organisation to itself (between its own activities) is
   not a flow between organisations and is left out.
3. **One flow, reported twice.** A disbursement and an incoming-funds transaction are
   *compatible* when they have the same provider and the same receiver organisation and their
   activity links do not contradict each other (the disbursement's receiver-activity-id, when
   given, is the incoming side's activity; the incoming side's provider-activity-id, when given,
   is the disbursing activity). Compatible pairs in the same currency, with values within 1 % of
   each other and value dates at most 92 days apart (receivers often book a payment the next
   quarter), are *matched* one to one, nearest date first: one flow, counted once at the
   funder's value, marked as confirmed by both sides.
4. **The funder's figures stand.** An incoming-funds transaction left unmatched is still not
   added when the data holds a compatible disbursement: the funder published its side of the
   relationship (perhaps as one payment the receiver books in instalments, or in another
   currency), and counting both would count the money twice. It is listed as "not added". Only
   incoming funds whose funder published nothing compatible become flows of their own
   ("reported by the receiver only").
5. **Hops.** An organisation that receives nothing in the data is a funder (depth 0); any other
   is one deeper than the deepest organisation that pays it (cycles are cut). A flow's hop is
   its provider's depth + 1: hop 1 is the funders' own payments, hop 2 an intermediary's
   onward payments, and so on.
6. **Who the money reached.** A receiver is *national or local* when its IATI organisation
   type is 22 (national NGO), 23 (regional NGO) or 24 (partner-country NGO), when a user marked
   it women-led or grassroots, or when its ref carries the plan country's prefix (e.g. "CD-")
   and it is not an international NGO (21) or multilateral (40); *international* when it is
   type 21 or 40, or a public body (10, 11, 15) of another country; *not known* otherwise.
   A flow counts as money reaching a group the first time it enters that group: from a funder
   (hop 1, "directly") or from an organisation outside the group ("through intermediaries");
   a national NGO passing money on to a grassroots organisation does not count it again.
   Women-led and grassroots organisations are counted the same way.
7. **Currency.** Every total is kept per currency. With a rate table (plan-currency units per
   unit of a currency, by year, as `finance.models.ExchangeRate`), amounts also convert at
   their value date's year; an amount without a rate or without a currency is never guessed:
   it is left out of the converted figures and listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from wpsmonitor.iati.records import Activity, OrgRef, Transaction, organisation_key

DISBURSEMENT = "3"
INCOMING_FUNDS = "1"
MATCH_TOLERANCE = Decimal("0.01")  # values within 1 % of each other
MATCH_DAYS = 92  # value dates at most a quarter apart

LOCAL_TYPES = frozenset({"22", "23", "24"})
INTERNATIONAL_TYPES = frozenset({"21", "40"})
PUBLIC_TYPES = frozenset({"10", "11", "15"})
# OECD CRS channel codes (5 digits) by first digits: 12 recipient government, 23
# developing-country-based NGO; 11 donor government, 13 third-country government, 21
# international NGO, 22 donor-country-based NGO, 4xxxx multilateral organisations.
CHANNEL_LOCAL = ("12", "23")
CHANNEL_INTERNATIONAL = ("11", "13", "21", "22", "4")

LOCAL = "local"
INTERNATIONAL = "international"
UNKNOWN = "unknown"
CATEGORIES = (LOCAL, INTERNATIONAL, UNKNOWN)

BOTH = "both"  # reported by the funder and confirmed by the receiver
PROVIDER = "provider"  # reported by the funder only
RECEIVER = "receiver"  # reported by the receiver only


def org_key(ref: str, name: str) -> str:
    """The identity of an organisation: the same rule as models.Organisation.key_for."""
    return organisation_key(ref, name)


@dataclass(frozen=True)
class OrgFlags:
    """What users say of an organisation (IATI does not say it); type overrides the files'."""

    type: str = ""
    women_led: bool = False
    grassroots: bool = False


@dataclass
class Org:
    key: str
    ref: str
    name: str
    type: str
    women_led: bool = False
    grassroots: bool = False
    category: str = UNKNOWN
    depth: int = 0

    @property
    def label(self) -> str:
        return self.name or self.ref or "?"


@dataclass(frozen=True)
class Flow:
    provider: str  # Org.key
    receiver: str  # Org.key
    amount: Decimal
    currency: str  # "" when the file gives none
    value_date: date | None
    via: str  # the activity that reported it (the disbursing one when both did)
    to_activity: str  # the receiving activity, when known
    reported_by: str  # BOTH, PROVIDER or RECEIVER
    converted: Decimal | None = None  # in the target currency, when a rate was given
    hop: int = 1


@dataclass(frozen=True)
class NotAdded:
    """Incoming funds not added: the funder's compatible disbursements are counted instead."""

    provider: str
    receiver: str
    amount: Decimal
    currency: str
    value_date: date | None
    activity: str


@dataclass(frozen=True)
class Unconverted:
    currency: str  # "" for amounts without a currency
    year: int | None
    count: int
    amounts: Decimal


def missing_rates(missing: Iterable[tuple[str, int | None]]) -> str:
    """Why amounts were not converted, for people: "no rate for GBP 2025, EUR 2024"."""
    parts = []
    for currency, year in sorted(missing, key=lambda m: (m[0], m[1] or 0)):
        if not currency:
            parts.append(_("no currency in the IATI file"))
        else:
            parts.append(
                _("no rate for %(currency)s %(year)s")
                % {"currency": currency, "year": year if year is not None else "?"}
            )
    return ", ".join(parts)


@dataclass
class ConvertedTotals:
    """Amounts summed per currency and converted into the plan's currency where a rate exists;
    what had no rate is counted and named, never added as 0."""

    activities: int = 0
    by_currency: dict[str, Decimal] = field(default_factory=dict)
    converted: Decimal = Decimal(0)
    unconverted: int = 0  # amounts left out of `converted`
    counted: int = 0  # amounts converted
    missing: set[tuple[str, int | None]] = field(default_factory=set)  # (currency, year)

    @property
    def none_converted(self) -> bool:
        """Every amount lacked a rate: the converted figure is not 0, it is unknown."""
        return self.unconverted > 0 and not self.counted

    @property
    def not_converted(self) -> str:
        return missing_rates(self.missing)


@dataclass
class Totals:
    """Amounts per currency and, with a rate table, converted to the target currency."""

    by_currency: dict[str, Decimal] = field(default_factory=dict)
    converted: Decimal = Decimal(0)
    flows: int = 0
    unconverted: int = 0  # flows left out of `converted`
    missing: set[tuple[str, int | None]] = field(default_factory=set)  # (currency, year)

    def add(self, flow: Flow) -> None:
        self.flows += 1
        self.by_currency[flow.currency] = self.by_currency.get(flow.currency, Decimal(0)) + (
            flow.amount
        )
        if flow.converted is None:
            self.unconverted += 1
            self.missing.add((flow.currency, _year(flow.value_date)))
        else:
            self.converted += flow.converted

    @property
    def none_converted(self) -> bool:
        """Every flow lacked a rate: the converted figure is not 0, it is unknown."""
        return self.flows > 0 and self.unconverted == self.flows

    @property
    def not_converted(self) -> str:
        """Why some amounts are left out of `converted` ("" when none is)."""
        return missing_rates(self.missing)


@dataclass
class Reach:
    """Money that reached a group: directly from funders, or through intermediaries."""

    direct: Totals = field(default_factory=Totals)
    through: Totals = field(default_factory=Totals)
    total: Totals = field(default_factory=Totals)


@dataclass
class FlowReport:
    orgs: dict[str, Org]
    flows: list[Flow]
    not_added: list[NotAdded]
    by_hop: dict[int, Totals]
    entered: Totals  # hop 1: what the funders paid
    reached: dict[str, Reach]  # LOCAL, INTERNATIONAL, UNKNOWN
    women_led: Reach
    grassroots: Reach
    target: str  # the currency of `converted` figures ("" without a rate table)
    unconverted: list[Unconverted]
    matched: int  # disbursement/incoming-funds pairs counted once

    def share(self, reach: Reach) -> float | None:
        """A group's share of what entered the chain, in the target currency (or in the one
        currency of the flows when there is no rate table)."""
        if self.target:
            if not self.entered.converted:
                return None
            return float(reach.total.converted / self.entered.converted)
        if len(self.entered.by_currency) != 1:
            return None
        (currency, entered), *_ = self.entered.by_currency.items()
        if not entered:
            return None
        return float(reach.total.by_currency.get(currency, Decimal(0)) / entered)


def category(org: Org, country: str) -> str:
    """National or local, international, or not known: rule 6 of the module docstring."""
    if org.women_led or org.grassroots or org.type in LOCAL_TYPES:
        return LOCAL
    if org.type in INTERNATIONAL_TYPES:
        return INTERNATIONAL
    own = bool(country) and org.ref.upper().startswith(country.upper() + "-")
    if own:
        return LOCAL
    if org.type in PUBLIC_TYPES and org.ref:
        return INTERNATIONAL
    if not org.type and len(org.ref) == 5 and org.ref.isdigit():
        # Older files (DFID's 1.0x) put an OECD CRS channel code where the ref goes.
        if org.ref.startswith(CHANNEL_LOCAL):
            return LOCAL
        if org.ref.startswith(CHANNEL_INTERNATIONAL):
            return INTERNATIONAL
    return UNKNOWN


def latest(activities: Iterable[Activity]) -> list[Activity]:
    """One record per identifier: the one updated last (files repeat activities)."""
    kept: dict[str, Activity] = {}
    for activity in activities:
        seen = kept.get(activity.iati_identifier)
        if seen is None or activity.last_updated >= seen.last_updated:
            kept[activity.iati_identifier] = activity
    return list(kept.values())


@dataclass
class _Side:
    """One transaction seen as a flow: a disbursement or an incoming-funds record."""

    provider: str
    receiver: str
    activity: str  # the activity that reported it
    other_activity: str  # receiver-activity-id of a disbursement, provider-activity-id of incoming
    transaction: Transaction


class _Orgs:
    def __init__(self, flags: Mapping[str, OrgFlags]) -> None:
        self.flags = flags
        self.orgs: dict[str, Org] = {}

    def see(self, ref: OrgRef | None) -> str:
        if ref is None or not (ref.ref.strip() or ref.name.strip()):
            return ""
        key = org_key(ref.ref, ref.name)
        org = self.orgs.get(key)
        if org is None:
            org = self.orgs[key] = Org(key=key, ref=ref.ref.strip(), name=ref.name.strip(), type="")
        if not org.name and ref.name.strip():
            org.name = ref.name.strip()
        if not org.type and ref.type:
            org.type = ref.type
        return key

    def finish(self, country: str) -> None:
        for org in self.orgs.values():
            given = self.flags.get(org.key)
            if given is not None:
                org.type = given.type or org.type
                org.women_led = given.women_led
                org.grassroots = given.grassroots
            org.category = category(org, country)


def _compatible(out: _Side, inc: _Side) -> bool:
    return (
        out.provider == inc.provider
        and out.receiver == inc.receiver
        and out.activity != inc.activity
        and (not out.other_activity or out.other_activity == inc.activity)
        and (not inc.other_activity or inc.other_activity == out.activity)
    )


def _days(a: date | None, b: date | None) -> int:
    if a is None or b is None:
        return MATCH_DAYS + 1 if (a is None) != (b is None) else 0
    return abs((a - b).days)


def _close(out: Transaction, inc: Transaction) -> bool:
    if out.currency != inc.currency:
        return False
    largest = max(abs(out.value), abs(inc.value))
    if abs(out.value - inc.value) > largest * MATCH_TOLERANCE:
        return False
    return _days(out.value_date, inc.value_date) <= MATCH_DAYS


def _year(when: date | None) -> int | None:
    return when.year if when is not None else None


def trace(
    activities: Iterable[Activity],
    *,
    country: str = "",
    flags: Mapping[str, OrgFlags] | None = None,
    rates: Mapping[tuple[str, int], Decimal] | None = None,
    target: str = "",
) -> FlowReport:
    """The flows of these activities (see the module docstring for every rule).

    `country`: ISO alpha-2 code of the plan's country (org refs with its prefix are national);
    `flags`: user-set facts by organisation key; `rates`: (currency, year) → units of `target`
    per unit, for converted totals (omit both for per-currency totals only).
    """
    records = latest(activities)
    orgs = _Orgs(flags or {})
    reporters = {a.iati_identifier: orgs.see(a.reporting_org) for a in records}
    for a in records:
        for _role, participant in a.participating_orgs:
            orgs.see(participant)
    outgoing, incoming = _sides(records, orgs, reporters)
    orgs.finish(country)
    raw, not_added, matched = _match(outgoing, incoming)
    flows, lost = _flows(raw, rates, target)
    flows = _hops(flows, orgs.orgs)
    report = FlowReport(
        orgs=orgs.orgs,
        flows=flows,
        not_added=not_added,
        by_hop=defaultdict(Totals),
        entered=Totals(),
        reached={c: Reach() for c in CATEGORIES},
        women_led=Reach(),
        grassroots=Reach(),
        target=target if rates is not None else "",
        unconverted=[
            Unconverted(currency, year, len(values), sum(values, Decimal(0)))
            for (currency, year), values in sorted(lost.items(), key=lambda kv: str(kv[0]))
        ],
        matched=matched,
    )
    _add_up(report)
    return report


def _sides(
    records: Iterable[Activity], orgs: _Orgs, reporters: Mapping[str, str]
) -> tuple[list[_Side], list[_Side]]:
    """Rule 1: the disbursements and the incoming funds, each with its provider and receiver
    (the reporting organisation standing in for the missing side, or the one of the activity
    the other side names)."""
    outgoing: list[_Side] = []
    incoming: list[_Side] = []
    for a in records:
        own = reporters[a.iati_identifier]
        for t in a.transactions:
            if t.type == DISBURSEMENT:
                provider = orgs.see(t.provider) or own
                receiver = orgs.see(t.receiver)
                other = t.receiver.activity_id.strip() if t.receiver else ""
                if not receiver and other in reporters:
                    receiver = reporters[other]
                outgoing.append(_Side(provider, receiver, a.iati_identifier, other, t))
            elif t.type == INCOMING_FUNDS:
                receiver = orgs.see(t.receiver) or own
                provider = orgs.see(t.provider)
                other = t.provider.activity_id.strip() if t.provider else ""
                if not provider and other in reporters:
                    provider = reporters[other]
                incoming.append(_Side(provider, receiver, a.iati_identifier, other, t))
    return outgoing, incoming


def _match(
    outgoing: list[_Side], incoming: list[_Side]
) -> tuple[list[tuple[_Side, str, _Side | None]], list[NotAdded], int]:
    """Rules 3 and 4: the sides that count, each with who reported it and its matched twin;
    the incoming funds not added; and how many pairs were matched."""
    by_pair: dict[tuple[str, str], list[_Side]] = defaultdict(list)
    for out in outgoing:
        by_pair[(out.provider, out.receiver)].append(out)
    # Rule 3: match compatible pairs one to one, nearest value date first.
    matched_out: dict[int, _Side] = {}  # id(out) → its incoming twin
    candidates: list[tuple[int, int, int]] = []  # (days, index in incoming, index in outgoing)
    out_index = {id(o): n for n, o in enumerate(outgoing)}
    for n, inc in enumerate(incoming):
        for out in by_pair.get((inc.provider, inc.receiver), ()):
            if _compatible(out, inc) and _close(out.transaction, inc.transaction):
                days = _days(out.transaction.value_date, inc.transaction.value_date)
                candidates.append((days, n, out_index[id(out)]))
    used_in: set[int] = set()
    for _days_apart, n, m in sorted(candidates):
        if n in used_in or id(outgoing[m]) in matched_out:
            continue
        used_in.add(n)
        matched_out[id(outgoing[m])] = incoming[n]
    raw: list[tuple[_Side, str, _Side | None]] = []
    for out in outgoing:
        twin = matched_out.get(id(out))
        raw.append((out, BOTH if twin is not None else PROVIDER, twin))
    # Rule 4: unmatched incoming funds count only when no compatible disbursement exists.
    not_added: list[NotAdded] = []
    for n, inc in enumerate(incoming):
        if n in used_in:
            continue
        if any(_compatible(out, inc) for out in by_pair.get((inc.provider, inc.receiver), ())):
            t = inc.transaction
            not_added.append(
                NotAdded(
                    inc.provider, inc.receiver, t.value, t.currency, t.value_date, inc.activity
                )
            )
        else:
            raw.append((inc, RECEIVER, None))
    return raw, not_added, len(matched_out)


def _flows(
    raw: Iterable[tuple[_Side, str, _Side | None]],
    rates: Mapping[tuple[str, int], Decimal] | None,
    target: str,
) -> tuple[list[Flow], dict[tuple[str, int | None], list[Decimal]]]:
    """Rule 2 (self-flows out) and rule 7 (conversion): the flows, and the amounts that could
    not be converted by (currency, year)."""
    flows: list[Flow] = []
    lost: dict[tuple[str, int | None], list[Decimal]] = defaultdict(list)
    for side, reported_by, twin in raw:
        if not side.provider or side.provider == side.receiver:
            continue
        t = side.transaction
        converted: Decimal | None = None
        if rates is not None and target:
            year = _year(t.value_date)
            if t.currency and t.currency == target:
                converted = t.value
            elif t.currency and year is not None and (t.currency, year) in rates:
                converted = t.value * rates[(t.currency, year)]
            else:
                lost[(t.currency, year)].append(t.value)
        if reported_by == RECEIVER:
            via, to_activity = side.activity, side.activity
        else:
            via = side.activity
            to_activity = twin.activity if twin is not None else side.other_activity
        flows.append(
            Flow(
                provider=side.provider,
                receiver=side.receiver,
                amount=t.value,
                currency=t.currency,
                value_date=t.value_date,
                via=via,
                to_activity=to_activity,
                reported_by=reported_by,
                converted=converted,
            )
        )
    return flows, lost


def _hops(flows: list[Flow], orgs: Mapping[str, Org]) -> list[Flow]:
    """Rule 5: sets each organisation's depth; returns the flows with their hops, in order of
    hop. A receiver-less disbursement has receiver ""."""
    payers: dict[str, set[str]] = defaultdict(set)
    for flow in flows:
        if flow.receiver:
            payers[flow.receiver].add(flow.provider)
    depth: dict[str, int] = {}

    def depth_of(key: str, stack: frozenset[str]) -> int:
        if key in depth:
            return depth[key]
        found = 0
        for payer in payers.get(key, ()):
            if payer not in stack:  # a cycle: cut it here
                found = max(found, depth_of(payer, stack | {key}) + 1)
        depth[key] = found
        return found

    for key in orgs:
        orgs[key].depth = depth_of(key, frozenset())
    hopped = [replace(f, hop=depth.get(f.provider, 0) + 1) for f in flows]
    hopped.sort(key=lambda f: (f.hop, f.provider, f.receiver, f.value_date or date.min))
    return hopped


def _add_up(report: FlowReport) -> None:
    """The report's totals: by hop, what entered the chain, and (rule 6) what reached each
    group, counted the first time the money enters it."""
    for flow in report.flows:
        report.by_hop[flow.hop].add(flow)
        if flow.hop == 1:
            report.entered.add(flow)
        payer = report.orgs[flow.provider]
        payee = report.orgs.get(flow.receiver)
        if payee is None:
            continue
        from_funder = flow.hop == 1
        if from_funder or payer.category != payee.category:
            _reach(report.reached[payee.category], flow, from_funder)
        if payee.women_led and (from_funder or not payer.women_led):
            _reach(report.women_led, flow, from_funder)
        if payee.grassroots and (from_funder or not payer.grassroots):
            _reach(report.grassroots, flow, from_funder)
    report.by_hop = dict(sorted(report.by_hop.items()))


def _reach(reach: Reach, flow: Flow, direct: bool) -> None:
    (reach.direct if direct else reach.through).add(flow)
    reach.total.add(flow)
