"""What the IATI reader yields, one activity at a time: the contract between the streaming
parser (`iati.reader`), the importer that stores activities, and the flow analysis
(`iati.flows`), which works on these plain records so its arithmetic is tested without a file.

Codes are IATI 2.0x codes: the reader translates 1.0x codes as the codelists say.

The small records (organisation mentions, transactions, sectors) are named tuples: a 25 MB file
makes some 40,000 of them, and a tuple is built in a third of the time of a frozen dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple


def organisation_key(ref: str, name: str) -> str:
    """Who an organisation is, for storing and for tracing flows.

    Its ref, when the ref is an IATI organisation identifier (agency prefix, a hyphen, a code:
    "GB-GOV-1", "XM-DAC-41114"). Old files often write a CRS channel category ("22000": donor
    country NGOs) or a word ("Excluded") as the ref: those name many organisations, so such
    organisations are known by their name instead (by the ref only when no name is given).
    """
    ref = ref.strip()
    label = " ".join(name.split()).casefold()
    if ref and ("-" in ref or not label):
        return ref[:300]
    return ("name:" + label)[:300]


class OrgRef(NamedTuple):
    """An organisation as a participating org, provider or receiver names it."""

    ref: str = ""  # organisation identifier, e.g. "GB-GOV-1"; may be empty
    name: str = ""
    type: str = ""  # OrganisationType code: 10 government, 21 international NGO, 22 national...
    activity_id: str = ""  # provider-activity-id / receiver-activity-id


class Transaction(NamedTuple):
    type: str  # TransactionType 2.0x code: 1 incoming funds, 2 commitment, 3 disbursement, 4 expenditure...
    value: Decimal
    currency: str  # "" when neither the value nor the activity gives one (reported, not guessed)
    value_date: date | None
    provider: OrgRef | None = None
    receiver: OrgRef | None = None
    transaction_date: date | None = None  # transaction-date/@iso-date; value_date falls back to it


class Sector(NamedTuple):
    vocabulary: str  # "1" DAC 5-digit purpose code (the default), "2" DAC 3-digit...
    code: str
    percentage: Decimal | None = None
    written_code: str = ""  # the code as written when it was translated (legacy 15164 → 15170)


@dataclass
class Activity:
    iati_identifier: str
    reporting_org: OrgRef
    title: str = ""
    default_currency: str = ""
    humanitarian: bool = False
    recipient_countries: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-2
    sectors: list[Sector] = field(default_factory=list)
    # Gender equality policy marker significance: None when absent or empty ("not screened").
    gender_marker: int | None = None
    # A gender policy marker was present (vocabulary absent/1/DAC, code 1/01), whatever its
    # significance: the samples' README counts these as "G-acts".
    has_gender_marker: bool = False
    participating_orgs: list[tuple[str, OrgRef]] = field(default_factory=list)  # (role, org)
    transactions: list[Transaction] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # located by this activity's identifier
    last_updated: str = ""  # @last-updated-datetime as written
    version: str = ""  # the IATI version this activity was read as ("1.01" when none is given)
