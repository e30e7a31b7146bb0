"""A streaming reader of IATI activity and organisation files, versions 1.0x and 2.0x.

`IatiReader(path)` checks the file before parsing any content (`check_prolog`: size, an IATI
root element, no DOCTYPE at all) and then yields one record at a time from an lxml `iterparse`
with entity resolution, DTD loading and networking off and `huge_tree` off (libxml2's size and
depth limits stay on). Each activity element is cleared with its preceding siblings once read, so
memory stays flat whatever the file size.

Rules, the contract with the importer and the flow analysis (see docs/iati.md):

- A file is refused (`IatiFileRefused`) only when it is hostile (a DOCTYPE, hence entities or an
  external DTD), not an IATI file, or not well-formed XML. Everything else is read.
- An activity without an identifier is skipped and reported with its line.
- A malformed transaction (no or unknown type, a value that is empty or not a number, a date
  that is given but unreadable, or no date at all) is reported with its activity identifier and
  skipped; the rest of the activity is kept.
- A value with no currency (neither `value/@currency` nor the activity's `@default-currency`) is
  kept with currency "" and reported: never guessed.
- Codes are translated to 2.0x as the IATI codelists say (tables below).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from lxml import etree

from wpsmonitor.iati.records import Activity, OrgRef, Sector, Transaction

# --------------------------------------------------------------------------- code translation
# TransactionType 1.0x → 2.0x (IATI-Codelists version-1.05 TransactionType.xml and 2.03
# TransactionType.xml: the 2.01 upgrade replaced the letters by numbers in this order).
TRANSACTION_TYPE_V1 = {
    "IF": "1",  # Incoming Funds
    "C": "2",  # Commitment → Outgoing Commitment
    "D": "3",  # Disbursement
    "E": "4",  # Expenditure
    "IR": "5",  # Interest Repayment → Interest Payment
    "LR": "6",  # Loan Repayment
    "R": "7",  # Reimbursement
    "QP": "8",  # Purchase of Equity
    "QS": "9",  # Sale of Equity
    "Q3": "9",  # Sale of Equity, as some 1.x files write it
    "CG": "10",  # Credit Guarantee
}
TRANSACTION_TYPES_V2 = {str(n) for n in range(1, 14)}  # 2.03: 1-10, 11 (2.02), 12-13 (2.03)

# OrganisationRole 1.0x names → 2.0x codes (OrganisationRole.xml, 2.01 upgrade); case varies.
ROLE_V1 = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}

# Vocabulary (1.0x) → SectorVocabulary (2.0x). Follows the SectorVocabulary codelist (1 = DAC
# 5-digit, 2 = DAC 3-digit), as iatikit does, not the 2.01 changelog table that says DAC → 3.
SECTOR_VOCABULARY_V1 = {
    "DAC": "1",
    "DAC-3": "2",
    "COFOG": "3",
    "NACE": "4",
    "NTEE": "5",
    "RO": "99",
    "RO2": "98",
}
# PolicyMarkerVocabulary: 1.x "DAC" is 2.0x "1" (OECD DAC CRS), "RO" is "99".
POLICY_VOCABULARY_V1 = {"DAC": "1", "RO": "99"}

# Sector 15164 "Women's equality organisations and institutions" was withdrawn on 2020-02-28
# (IATI-Codelists-NonEmbedded Sector.xml) in favour of 15170; old data still carries it.
LEGACY_SECTORS = {"15164": "15170"}

GENDER_MARKER_CODES = {"1", "01"}  # PolicyMarker 1 "Gender Equality"
GENDER_SIGNIFICANCE = {"0": 0, "1": 1, "2": 2}  # 3 and 4 are not valid for the gender marker

# The children read. lxml filters them in C, so the many others (descriptions, locations,
# results, budgets...) never become Python objects.
ACTIVITY_PARTS = (
    "reporting-org",
    "title",
    "participating-org",
    "recipient-country",
    "sector",
    "policy-marker",
    "transaction",
)

ACTIVITY_ROOTS = {"iati-activities", "iati-activity"}
ORGANISATION_ROOTS = {"iati-organisations", "iati-organisation"}

# How much of the file may come before the root element (XML declaration, comments).
PROLOG_LIMIT = 1024 * 1024
# A value must fit the database's DecimalField(24, 4).
VALUE_LIMIT = Decimal(10) ** 20


class IatiFileRefused(Exception):
    """The file is not read at all: hostile, not an IATI file, or not well-formed XML."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# --------------------------------------------------------------------------- organisation files


@dataclass(frozen=True)
class Budget:
    """A budget of an organisation file; `kind` is total / organisation / country / region /
    expenditure, `recipient` the recipient organisation's ref or the country/region code."""

    kind: str
    value: Decimal
    currency: str
    period_start: date | None
    period_end: date | None
    status: str = ""
    recipient: str = ""
    recipient_name: str = ""


@dataclass
class OrganisationRecord:
    identifier: str
    name: str
    reporting_org: OrgRef
    default_currency: str = ""
    budgets: list[Budget] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    documents: int = 0


BUDGET_KINDS = {
    "total-budget": "total",
    "recipient-org-budget": "organisation",
    "recipient-country-budget": "country",
    "recipient-region-budget": "region",
    "total-expenditure": "expenditure",
}


# --------------------------------------------------------------------------- hostile files

_ROOT_NAME = re.compile(rb"<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)")


def _head_text(head: bytes) -> str:
    """The file's first bytes as text, enough to read markup (UTF-16/32 by BOM or zero bytes)."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    if head[:2] == b"<\x00":
        return head.decode("utf-16-le", errors="ignore")
    if head[:2] == b"\x00<":
        return head.decode("utf-16-be", errors="ignore")
    # UTF-8, ASCII and the Latin encodings agree on markup characters.
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def check_prolog(path: Path) -> str:
    """Refuse a hostile or non-IATI file from its prolog alone; return the root element's name.

    Any DOCTYPE is refused: IATI files never need one, and it is what billion laughs, quadratic
    blow-up, external entities and external DTDs all require. Reading stops at the root
    element, so the check costs at most PROLOG_LIMIT bytes whatever the file.
    """
    with path.open("rb") as handle:
        head = handle.read(PROLOG_LIMIT)
    if not head.strip():
        raise IatiFileRefused(_("the file is empty"))
    text = _head_text(head)
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            raise IatiFileRefused(_("no XML element in the first %(n)s bytes") % {"n": len(head)})
        if text.startswith("<?", start):
            end = text.find("?>", start)
        elif text.startswith("<!--", start):
            end = text.find("-->", start)
        elif text[start : start + 9].upper() == "<!DOCTYPE" or text.startswith("<!", start):
            raise IatiFileRefused(
                _(
                    "the file declares a DOCTYPE: refused, as IATI files never need one and "
                    "it is how entity bombs and external entities get in"
                ),
                line=text.count("\n", 0, start) + 1,
            )
        else:
            match = _ROOT_NAME.match(text[start : start + 200].encode("latin-1", "ignore"))
            name = match.group(1).decode() if match else ""
            local = name.rpartition(":")[2]
            if local not in ACTIVITY_ROOTS | ORGANISATION_ROOTS:
                raise IatiFileRefused(
                    _(
                        "this is not an IATI file: the root element is <%(name)s>, not "
                        "<iati-activities> or <iati-organisations>"
                    )
                    % {"name": name or "?"},
                    line=text.count("\n", 0, start) + 1,
                )
            return local
        if end < 0:
            raise IatiFileRefused(_("no XML element in the first %(n)s bytes") % {"n": len(head)})
        position = end + 2


# --------------------------------------------------------------------------- helpers


class _CountingFile:
    """A binary file that counts the bytes handed to the parser (for progress)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.bytes_read += len(chunk)
        return chunk


def _squash(value: str) -> str:
    """Runs of white space as one space (the value is already stripped)."""
    return " ".join(value.split()) if ("  " in value or "\n" in value or "\t" in value) else value


def _text(element: Any) -> str:
    """The element's text: its first non-empty narrative (2.x), else its own text (1.x)."""
    # A loop over the children, not findtext(): this runs ~10 times per activity and lxml's
    # findtext goes through ElementPath in Python, seven times slower.
    has_narrative = False
    for child in element:
        if child.tag == "narrative":
            has_narrative = True
            value: str | None = child.text
            if value:
                value = value.strip()
                if value:
                    if "  " in value or "\n" in value or "\t" in value:
                        return " ".join(value.split())
                    return value
    if has_narrative:
        return ""
    return _squash((element.text or "").strip())


def parse_date(value: str | None) -> date | None:
    """An ISO date (a datetime's date part accepted); None when empty; ValueError when bad."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) < 10 or value[4] != "-":
        raise ValueError(value)
    return date.fromisoformat(value[:10])


def _decimal(text: str | None) -> Decimal | None:
    """The number in the text, or None when empty, not a number, infinite or too large."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= VALUE_LIMIT:
        return None
    return value


def _org(element: Any, activity_attr: str) -> OrgRef:
    get = element.get
    return OrgRef(
        (get("ref") or "").strip(),
        _text(element),
        (get("type") or "").strip().lstrip("0"),
        (get(activity_attr) or "").strip() if activity_attr else "",
    )


def _is_v1(version: str) -> bool:
    return not version.startswith("2")


# --------------------------------------------------------------------------- transaction checks
# Each adds what is wrong to `faults`: a transaction with any fault is skipped and reported.


def _transaction_type(code: str, text: str, v1: bool, faults: list[str]) -> str:
    """The type's 2.0x code (1.0x letters translated, leading zeros dropped)."""
    if v1:
        code = TRANSACTION_TYPE_V1.get(code.upper(), code)
    code = code.lstrip("0")
    if code not in TRANSACTION_TYPES_V2:
        if not code and text:
            faults.append(_("type %(text)r written as text, not as @code") % {"text": text[:40]})
        elif not code:
            faults.append(_("no transaction type"))
        else:
            faults.append(_("unknown transaction type %(code)r") % {"code": code[:40]})
    return code


def _value_fault(text: str | None) -> str:
    """Why a value could not be kept: it is empty, or not a number we can store."""
    if not (text or "").strip():
        return _("empty value")
    return _("value %(text)r is not a number we can keep") % {"text": (text or "").strip()[:40]}


def _transaction_dates(
    date_text: str | None, value_date_text: str | None, faults: list[str]
) -> tuple[date | None, date | None]:
    """The transaction date and the value date, each None when not given or unreadable."""
    transaction_date: date | None = None
    value_date: date | None = None
    try:
        transaction_date = parse_date(date_text)
    except ValueError:
        faults.append(_("transaction date %(text)r is not a date") % {"text": date_text})
    try:
        value_date = parse_date(value_date_text)
    except ValueError:
        faults.append(_("value date %(text)r is not a date") % {"text": value_date_text})
    return transaction_date, value_date


def _where(activity: Activity, number: int) -> str:
    return _("%(id)s: transaction %(n)s") % {"id": activity.iati_identifier, "n": number}


# --------------------------------------------------------------------------- the reader


class IatiReader:
    """Iterate over an IATI file's activities (`Activity`) or organisations
    (`OrganisationRecord`), one at a time.

    `kind` is "activities" or "organisations" once the prolog is checked; `version` is the
    root's @version ("1.01" when absent); `bytes_read` grows as the file is parsed; `problems`
    holds what could not be located in an activity (activities without identifier).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        root = check_prolog(self.path)
        self.kind = "organisations" if root in ORGANISATION_ROOTS else "activities"
        self.version = ""
        self.bytes_read = 0
        self.size = self.path.stat().st_size
        self.problems: list[str] = []
        self.skipped_no_identifier = 0

    def __iter__(self) -> Iterator[Activity | OrganisationRecord]:
        with self.path.open("rb") as handle:
            source = _CountingFile(handle)
            context = etree.iterparse(
                source,
                events=("start", "end"),
                tag=("iati-activities", "iati-activity", "iati-organisations", "iati-organisation"),
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=False,
                remove_blank_text=True,  # indentation is never read: no text nodes for it
                remove_comments=True,
                remove_pis=True,
            )
            default_version = "1.01"  # iatikit's assumption for a file without @version
            try:
                for event, element in context:
                    self.bytes_read = source.bytes_read
                    tag = element.tag
                    if event == "start":
                        if tag in ("iati-activities", "iati-organisations"):
                            self._refuse_doctype(element)
                            self.version = (element.get("version") or "").strip()
                            default_version = self.version or "1.01"
                        elif element.getparent() is None:
                            # A lone activity or organisation as the root.
                            self._refuse_doctype(element)
                            self.version = default_version
                        continue
                    if tag == "iati-activity":
                        record: Activity | OrganisationRecord | None = self._activity(
                            element, default_version
                        )
                    elif tag == "iati-organisation":
                        record = self._organisation(element, default_version)
                    else:
                        continue
                    # Free the element and everything before it: memory stays flat.
                    element.clear()
                    parent = element.getparent()
                    if parent is not None:
                        while element.getprevious() is not None:
                            del parent[0]
                    if record is not None:
                        yield record
            except etree.XMLSyntaxError as exc:
                raise IatiFileRefused(
                    _("the file is not well-formed XML (line %(line)s: %(error)s)")
                    % {"line": exc.lineno, "error": exc.msg},
                    line=exc.lineno or 0,
                ) from None
            self.bytes_read = source.bytes_read

    @staticmethod
    def _refuse_doctype(element: Any) -> None:
        # check_prolog has refused a DOCTYPE already; this catches encodings it cannot read.
        info = element.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
            raise IatiFileRefused(_("the file declares a DOCTYPE: refused"))

    # ---------------------------------------------------------------- activities

    def _activity(self, element: Any, default_version: str) -> Activity | None:
        version = default_version
        own_version = (element.get("version") or "").strip()
        if own_version and _is_v1(own_version):
            version = own_version  # per-activity @version is a 1.x feature
        v1 = _is_v1(version)
        identifier = ""
        for child in element:
            if child.tag == "iati-identifier":
                identifier = " ".join((child.text or "").split())
                break
        if not identifier:
            self.skipped_no_identifier += 1
            self.problems.append(
                _("line %(line)s: an activity without iati-identifier was skipped")
                % {"line": element.sourceline}
            )
            return None
        currency = (element.get("default-currency") or "").strip().upper()
        activity = Activity(
            iati_identifier=identifier,
            reporting_org=OrgRef(),
            default_currency=currency,
            humanitarian=(element.get("humanitarian") or "").strip().lower() in ("1", "true"),
            last_updated=(element.get("last-updated-datetime") or "").strip(),
            version=version,
        )
        countries: list[str] = []
        sector_codes: set[tuple[str, str]] = set()
        transactions_seen = 0
        for child in element.iterchildren(ACTIVITY_PARTS):
            tag = child.tag
            if tag == "reporting-org":
                activity.reporting_org = _org(child, "")
            elif tag == "title":
                activity.title = _text(child)
            elif tag == "participating-org":
                role = (child.get("role") or "").strip()
                role = ROLE_V1.get(role.lower(), role.lstrip("0"))
                activity.participating_orgs.append((role, _org(child, "activity-id")))
            elif tag == "recipient-country":
                code = (child.get("code") or "").strip().upper()
                if code and code not in countries:
                    countries.append(code)
            elif tag == "sector":
                self._sector(child, v1, activity, sector_codes, with_percentage=True)
            elif tag == "policy-marker":
                self._policy_marker(child, v1, activity)
            elif tag == "transaction":
                transactions_seen += 1
                transaction = self._transaction(
                    child, v1, activity, transactions_seen, countries, sector_codes
                )
                if transaction is not None:
                    activity.transactions.append(transaction)
        activity.recipient_countries = countries
        return activity

    @staticmethod
    def _sector(
        element: Any,
        v1: bool,
        activity: Activity,
        seen: set[tuple[str, str]],
        with_percentage: bool,
    ) -> None:
        code = (element.get("code") or "").strip()
        if not code:
            return
        vocabulary = (element.get("vocabulary") or "").strip()
        if not vocabulary:
            vocabulary = "1"  # omitted vocabulary means DAC 5-digit (SectorVocabulary)
        else:
            # Translated in every version: 2.0x files written by 1.x tools still say "DAC".
            vocabulary = SECTOR_VOCABULARY_V1.get(vocabulary.upper(), vocabulary)
        written = code
        if vocabulary == "1":
            code = LEGACY_SECTORS.get(code, code)
        if (vocabulary, code) in seen:
            return  # the same code at transaction level once more: once per activity
        seen.add((vocabulary, code))
        percentage = _decimal(element.get("percentage")) if with_percentage else None
        activity.sectors.append(
            Sector(
                vocabulary=vocabulary,
                code=code,
                percentage=percentage,
                written_code=written if written != code else "",
            )
        )

    @staticmethod
    def _policy_marker(element: Any, v1: bool, activity: Activity) -> None:
        if activity.has_gender_marker:
            return  # the first gender marker counts (as in the samples' README)
        vocabulary = (element.get("vocabulary") or "").strip()
        vocabulary = POLICY_VOCABULARY_V1.get(vocabulary.upper(), vocabulary) or "1"
        if vocabulary != "1" or (element.get("code") or "").strip() not in GENDER_MARKER_CODES:
            return
        activity.has_gender_marker = True
        significance = element.get("significance")
        if significance is None or not significance.strip():
            activity.gender_marker = None  # missing or empty: not screened, not 0
            return
        value = GENDER_SIGNIFICANCE.get(significance.strip().lstrip("0") or "0")
        if value is None:
            activity.problems.append(
                _(
                    "%(id)s: gender marker significance %(value)r is not 0, 1 or 2; read as "
                    "not screened"
                )
                % {"id": activity.iati_identifier, "value": significance}
            )
        activity.gender_marker = value

    @classmethod
    def _transaction(
        cls,
        element: Any,
        v1: bool,
        activity: Activity,
        number: int,
        countries: list[str],
        sector_codes: set[tuple[str, str]],
    ) -> Transaction | None:
        """The transaction, or None when malformed (reported). Its recipient countries and
        sectors (2.01+) describe the activity too: they go into `countries` and the activity's
        sectors."""
        kind = ""
        kind_text = ""
        value_text: str | None = None
        value_currency = ""
        value_date_text: str | None = None
        date_text: str | None = None
        provider: OrgRef | None = None
        receiver: OrgRef | None = None
        # A plain loop: most of a transaction's children are read, and a tag filter costs a
        # matcher built per call.
        for child in element:
            tag = child.tag
            if tag == "transaction-type":
                kind = (child.get("code") or "").strip()
                kind_text = (child.text or "").strip()
            elif tag == "value":
                value_text = child.text
                value_currency = (child.get("currency") or "").strip().upper()
                value_date_text = child.get("value-date")
            elif tag == "transaction-date":
                date_text = child.get("iso-date")
                if date_text is None and v1:
                    date_text = child.text  # 1.x allowed the date as text
            elif tag == "provider-org":
                provider = _org(child, "provider-activity-id")
            elif tag == "receiver-org":
                receiver = _org(child, "receiver-activity-id")
            elif tag == "recipient-country":
                code = (child.get("code") or "").strip().upper()
                if code and code not in countries:
                    countries.append(code)
            elif tag == "sector":
                cls._sector(child, v1, activity, sector_codes, with_percentage=False)

        faults: list[str] = []
        kind = _transaction_type(kind, kind_text, v1, faults)
        value = _decimal(value_text)
        if value is None:
            faults.append(_value_fault(value_text))
        transaction_date, value_date = _transaction_dates(date_text, value_date_text, faults)
        if not faults and transaction_date is None and value_date is None:
            faults.append(_("no date"))
        if faults:
            activity.problems.append(
                _("%(where)s skipped: %(faults)s")
                % {"where": _where(activity, number), "faults": "; ".join(faults)}
            )
            return None
        assert value is not None
        currency = value_currency or activity.default_currency
        if not currency:
            activity.problems.append(
                _(
                    "%(where)s: no currency (neither value/@currency nor the activity's "
                    "@default-currency); kept without one"
                )
                % {"where": _where(activity, number)}
            )
        return Transaction(
            kind,
            value,
            currency,
            value_date or transaction_date,
            provider,
            receiver,
            transaction_date or value_date,
        )

    # ---------------------------------------------------------------- organisation files

    def _organisation(self, element: Any, default_version: str) -> OrganisationRecord | None:
        identifier = ""
        name = ""
        reporting = OrgRef()
        currency = (element.get("default-currency") or "").strip().upper()
        budgets: list[Budget] = []
        problems: list[str] = []
        documents = 0
        for child in element:
            tag = child.tag
            if tag in ("organisation-identifier", "iati-identifier"):
                identifier = " ".join((child.text or "").split())
            elif tag == "name":
                name = _text(child)
            elif tag == "reporting-org":
                reporting = _org(child, "")
            elif tag == "document-link":
                documents += 1
        label = identifier or reporting.ref or _("line %(line)s") % {"line": element.sourceline}
        for child in element:
            kind = BUDGET_KINDS.get(child.tag)
            if kind is None:
                continue
            budget = self._budget(child, kind, currency, label, problems)
            if budget is not None:
                budgets.append(budget)
        if not identifier:
            identifier = reporting.ref
        if not identifier:
            self.problems.append(
                _("line %(line)s: an organisation without identifier was skipped")
                % {"line": element.sourceline}
            )
            return None
        return OrganisationRecord(
            identifier=identifier,
            name=name or reporting.name,
            reporting_org=reporting,
            default_currency=currency,
            budgets=budgets,
            problems=problems,
            documents=documents,
        )

    @staticmethod
    def _budget(
        element: Any, kind: str, currency: str, label: str, problems: list[str]
    ) -> Budget | None:
        value_text: str | None = None
        value_currency = ""
        start = end = None
        recipient = recipient_name = ""
        bad_date = False
        for child in element:
            tag = child.tag
            if tag == "value":
                value_text = child.text
                value_currency = (child.get("currency") or "").strip().upper()
            elif tag in ("period-start", "period-end"):
                try:
                    parsed = parse_date(child.get("iso-date"))
                except ValueError:
                    bad_date = True
                    parsed = None
                if tag == "period-start":
                    start = parsed
                else:
                    end = parsed
            elif tag == "recipient-org":
                recipient = (child.get("ref") or "").strip()
                recipient_name = _text(child)
            elif tag in ("recipient-country", "recipient-region"):
                recipient = (child.get("code") or "").strip().upper()
        value = _decimal(value_text)
        if value is None or bad_date:
            problems.append(
                _("%(org)s: a %(tag)s (line %(line)s) has no readable value or date; skipped")
                % {"org": label, "tag": element.tag, "line": element.sourceline}
            )
            return None
        budget_currency = value_currency or currency
        if not budget_currency:
            problems.append(
                _("%(org)s: a %(tag)s (line %(line)s) has no currency; kept without one")
                % {"org": label, "tag": element.tag, "line": element.sourceline}
            )
        return Budget(
            kind=kind,
            value=value,
            currency=budget_currency,
            period_start=start,
            period_end=end,
            status=(element.get("status") or "").strip(),
            recipient=recipient,
            recipient_name=recipient_name,
        )
