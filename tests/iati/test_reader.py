"""The streaming reader: versions, code translation, markers, currency, malformed transactions,
organisation files. Expectations are read off the sample files by hand (line numbers in the
comments) or come from files written here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from wpsmonitor.iati.reader import IatiReader, OrganisationRecord
from wpsmonitor.iati.records import Activity

from .conftest import activities_file, activity_xml, sample, transaction_xml


def _activities(path: Path) -> list[Activity]:
    records = list(IatiReader(path))
    assert all(isinstance(r, Activity) for r in records)
    return records  # type: ignore[return-value]


def test_small_file_read_exactly(tmp_path: Path) -> None:
    path = activities_file(
        tmp_path / "a.xml",
        activity_xml(
            "XM-DAC-7-1",
            transactions=transaction_xml(type="2", value="2500.50")
            + transaction_xml(
                type="3", value="-100", currency="usd", provider_activity="XM-DAC-7-0"
            ),
            extra='<participating-org role="4" ref="CD-RCCM-1" type="22" activity-id="CD-RCCM-1-A">'
            "<narrative>Femmes pour la paix</narrative></participating-org>",
        ),
    )
    (activity,) = _activities(path)
    assert activity.iati_identifier == "XM-DAC-7-1"
    assert activity.version == "2.03"
    assert activity.reporting_org.ref == "XM-DAC-7"
    assert activity.reporting_org.name == "Netherlands MFA"
    assert activity.reporting_org.type == "10"
    assert activity.title == "Activity XM-DAC-7-1"
    assert activity.recipient_countries == ["CD"]
    assert [(s.vocabulary, s.code, s.percentage) for s in activity.sectors] == [
        ("1", "15170", Decimal("100"))
    ]
    assert activity.has_gender_marker and activity.gender_marker == 2
    role, org = activity.participating_orgs[0]
    assert (role, org.ref, org.type, org.activity_id) == ("4", "CD-RCCM-1", "22", "CD-RCCM-1-A")
    first, second = activity.transactions
    assert (first.type, first.value, first.currency) == ("2", Decimal("2500.50"), "EUR")
    assert first.value_date == date(2023, 5, 1) and first.transaction_date == date(2023, 5, 1)
    # A negative value (a reversal) is kept; the value's own currency wins over the default.
    assert (second.type, second.value, second.currency) == ("3", Decimal("-100"), "USD")
    assert second.provider is not None and second.provider.activity_id == "XM-DAC-7-0"
    assert second.receiver is not None and second.receiver.type == "22"
    assert activity.problems == []


def test_v1_codes_translated_to_v2() -> None:
    # v101_dfid_drc.xml: the first activity GB-1-105838 has roles Funding/Extending (lines
    # 6-7); the second, GB-1-105838-101, a "C" commitment dated 2004-01-01 (lines 66-69).
    activities = _activities(sample("v101_dfid_drc.xml"))
    assert activities[0].iati_identifier == "GB-1-105838"
    assert activities[0].version == "1.01"
    assert activities[0].reporting_org.name == "Department for International Development"
    assert [role for role, _org in activities[0].participating_orgs][:2] == ["1", "3"]
    first = activities[1]
    assert first.iati_identifier == "GB-1-105838-101"
    assert first.transactions[0].type == "2"
    assert first.transactions[0].value == Decimal("1067912")
    assert first.transactions[0].currency == "GBP"  # the activity's default
    assert first.transactions[0].value_date == date(2009, 4, 1)
    assert first.transactions[0].transaction_date == date(2004, 1, 1)
    types = {t.type for a in activities for t in a.transactions}
    assert types <= {"1", "2", "3", "4"} and {"2", "3", "4"} <= types
    assert all(s.vocabulary != "DAC" for a in activities for s in a.sectors)
    roles = {role for a in activities for role, _org in a.participating_orgs}
    assert roles <= {"1", "2", "3", "4"}


def test_no_version_read_as_1_01() -> None:
    (activity,) = _activities(sample("v1_noversion_tearfund_drc.xml"))
    assert activity.version == "1.01"
    assert activity.transactions  # its 12 transactions are read with v1 codes
    assert {t.type for t in activity.transactions} <= {"1", "2", "3", "4"}


def test_legacy_15164_read_as_15170() -> None:
    (activity,) = _activities(sample("v1_noversion_tearfund_drc.xml"))
    legacy = [s for s in activity.sectors if s.written_code == "15164"]
    assert len(legacy) == 1 and legacy[0].code == "15170" and legacy[0].vocabulary == "1"


def test_per_activity_version_and_dac_vocabulary_gender_marker() -> None:
    # v100_sweden_sida.xml writes the marker code="1" vocabulary="DAC": 53 of 54 activities.
    activities = _activities(sample("v100_sweden_sida.xml"))
    assert all(a.version.startswith("1.0") for a in activities)
    assert sum(a.has_gender_marker for a in activities) == 53
    assert sorted({a.gender_marker for a in activities if a.has_gender_marker}) == [0, 1]


def test_empty_significance_is_not_screened() -> None:
    activities = _activities(sample("v201_spain_maec_indonesia.xml"))
    marked = [a for a in activities if a.has_gender_marker]
    assert len(marked) == 83
    unscreened = [a for a in marked if a.gender_marker is None]
    assert len(unscreened) == 50  # significance="" in 50 activities: not 0
    assert sum(1 for a in marked if a.gender_marker == 0) == 14


def test_missing_significance_and_invalid_significance(tmp_path: Path) -> None:
    path = activities_file(
        tmp_path / "m.xml",
        activity_xml("A-1", marker='<policy-marker code="01"/>'),  # no vocabulary: DAC
        activity_xml("A-2", marker='<policy-marker vocabulary="1" code="1" significance="3"/>'),
        activity_xml("A-3", marker='<policy-marker vocabulary="99" code="1" significance="2"/>'),
        activity_xml("A-4", marker=None),
    )
    a1, a2, a3, a4 = _activities(path)
    assert (a1.has_gender_marker, a1.gender_marker) == (True, None)
    assert (a2.has_gender_marker, a2.gender_marker) == (True, None)
    assert a2.problems and "A-2" in a2.problems[0] and "'3'" in a2.problems[0]
    assert (a3.has_gender_marker, a3.gender_marker) == (False, None)  # own vocabulary
    assert (a4.has_gender_marker, a4.gender_marker) == (False, None)


def test_currency_falls_back_to_default_and_missing_is_reported(tmp_path: Path) -> None:
    path = activities_file(
        tmp_path / "c.xml",
        activity_xml("C-1", currency="", transactions=transaction_xml(value="10")),
        activity_xml("C-2", currency="", transactions=transaction_xml(currency="CAD")),
        activity_xml("C-3", currency="AUD", transactions=transaction_xml()),
    )
    c1, c2, c3 = _activities(path)
    assert c1.transactions[0].currency == "" and c1.transactions[0].value == Decimal("10")
    assert c1.problems == [
        "C-1: transaction 1: no currency (neither value/@currency nor the activity's "
        "@default-currency); kept without one"
    ]
    assert c2.transactions[0].currency == "CAD" and c2.problems == []
    assert c3.transactions[0].currency == "AUD" and c3.problems == []


def test_malformed_transactions_reported_and_skipped(tmp_path: Path) -> None:
    path = activities_file(
        tmp_path / "t.xml",
        activity_xml(
            "T-1",
            transactions=transaction_xml(type="X")
            + transaction_xml(value="")
            + transaction_xml(value="12,5")
            + transaction_xml(date="5000000")
            + transaction_xml(type="3", value="7"),
        ),
    )
    (activity,) = _activities(path)
    assert [t.value for t in activity.transactions] == [Decimal("7")]
    assert activity.problems == [
        "T-1: transaction 1 skipped: unknown transaction type 'X'",
        "T-1: transaction 2 skipped: empty value",
        "T-1: transaction 3 skipped: value '12,5' is not a number we can keep",
        "T-1: transaction 4 skipped: transaction date '5000000' is not a date; "
        "value date '5000000' is not a date",
    ]


def test_covid_fixture_21_malformed_transactions_located() -> None:
    activities = _activities(sample("v203_hdx_covid_fixture_multi_publisher.xml"))
    assert len(activities) == 401
    problems = [p for a in activities for p in a.problems]
    assert len(problems) == 21
    for activity in activities:
        for problem in activity.problems:
            assert problem.startswith(activity.iati_identifier + ": transaction ")
            assert "skipped" in problem and "written as text" in problem
    assert {a.reporting_org.ref for a in activities if a.problems} == {"CZ-ICO-25755277"}
    assert sum(len(a.transactions) for a in activities) == 1012


def test_foreign_namespace_attributes_and_elements_ignored(tmp_path: Path) -> None:
    path = tmp_path / "ns.xml"
    path.write_text(
        '<iati-activities version="2.03" xmlns:dstore="http://d-portal.org/xmlns/dstore">'
        '<iati-activity dstore:dataset="x" dstore:index="1" default-currency="EUR" xml:lang="EN">'
        "<iati-identifier>NS-1</iati-identifier>"
        '<reporting-org ref="NS" dstore:ref="ignored"><narrative>NS</narrative></reporting-org>'
        '<dstore:sector code="15170"/>'
        '<sector code="15220" dstore:code="15170"/>'
        "</iati-activity></iati-activities>",
        encoding="utf-8",
    )
    (activity,) = _activities(path)
    assert activity.reporting_org.ref == "NS"
    assert [(s.vocabulary, s.code) for s in activity.sectors] == [("1", "15220")]


def test_activity_without_identifier_skipped_with_line(tmp_path: Path) -> None:
    path = activities_file(tmp_path / "n.xml", activity_xml(""), activity_xml("OK-1"))
    reader = IatiReader(path)
    assert [a.iati_identifier for a in reader] == ["OK-1"]  # type: ignore[union-attr]
    assert reader.skipped_no_identifier == 1
    assert reader.problems == ["line 3: an activity without iati-identifier was skipped"]


def test_organisation_file_budgets() -> None:
    reader = IatiReader(sample("org203_nl_mfa_based_organisation_file.xml"))
    assert reader.kind == "organisations"
    (record,) = list(reader)
    assert isinstance(record, OrganisationRecord)
    assert record.identifier == "XM-LMH-7"
    assert record.name == "Ministry of Magic"
    assert record.reporting_org.ref == "XM-DAC-7"
    kinds: dict[str, int] = {}
    for budget in record.budgets:
        kinds[budget.kind] = kinds.get(budget.kind, 0) + 1
    assert kinds == {"total": 3, "organisation": 179, "country": 17, "region": 1}
    assert record.documents == 129
    # Only the region budget's own value says currency="USD" (line 1485; the other USD values
    # are budget-lines); the others take the organisation's default, EUR.
    currencies = [b.currency for b in record.budgets]
    assert currencies.count("USD") == 1 and currencies.count("EUR") == 199


@pytest.mark.parametrize("name", ["v10_usg_big_values.xml"])
def test_big_values_kept_exactly(name: str) -> None:
    activities = _activities(sample(name))
    values = [t.value for a in activities for t in a.transactions]
    assert len(values) == 255
    assert max(values) > Decimal(10) ** 8  # very large values, as Decimal, not float
