"""The flow-tracing arithmetic on small hand-made records: every expected figure is computed by
hand in the comments (rules: the docstring of wpsmonitor.iati.flows)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wpsmonitor.iati.flows import (
    BOTH,
    INTERNATIONAL,
    LOCAL,
    PROVIDER,
    RECEIVER,
    UNKNOWN,
    OrgFlags,
    trace,
)
from wpsmonitor.iati.records import Activity, OrgRef, Transaction

D = Decimal


def org(ref: str = "", name: str = "", type: str = "", activity: str = "") -> OrgRef:
    return OrgRef(ref=ref, name=name or ref, type=type, activity_id=activity)


def tx(
    type: str,
    value: str,
    when: date,
    *,
    provider: OrgRef | None = None,
    receiver: OrgRef | None = None,
    currency: str = "EUR",
) -> Transaction:
    return Transaction(
        type=type,
        value=D(value),
        currency=currency,
        value_date=when,
        provider=provider,
        receiver=receiver,
        transaction_date=when,
    )


def activity(identifier: str, reporter: OrgRef, *transactions: Transaction) -> Activity:
    return Activity(
        iati_identifier=identifier, reporting_org=reporter, transactions=list(transactions)
    )


DONOR = org("XM-DAC-1", "Donor ministry", "10")
INGO = org("XI-INGO-1", "International NGO", "21")
NGO = org("CD-NGO-1", "National NGO", "22")
GROUP = org("", "Grassroots group")
WOMEN = org("", "Women of Goma")


def chain() -> list[Activity]:
    """Donor → international NGO → national NGO → women's group, with both sides reporting
    the first two payments."""
    return [
        activity(
            "D-1",
            DONOR,
            tx("3", "1000", date(2024, 1, 15), receiver=org(*_r(INGO), activity="I-1")),
            tx("2", "5000", date(2024, 1, 1), receiver=INGO),  # a commitment: not a flow
        ),
        activity(
            "I-1",
            INGO,
            tx("1", "1000", date(2024, 2, 10), provider=org(*_r(DONOR), activity="D-1")),
            tx("3", "400", date(2024, 3, 1), receiver=NGO),
            tx("3", "300", date(2024, 3, 5), receiver=GROUP),
            tx("4", "250", date(2024, 3, 5)),  # expenditure: leaves the chain
        ),
        activity(
            "L-1",
            NGO,
            tx("1", "400", date(2024, 3, 20), provider=org(*_r(INGO), activity="I-1")),
            tx("3", "150", date(2024, 4, 1), receiver=WOMEN),
        ),
    ]


def _r(o: OrgRef) -> tuple[str, str, str]:
    return (o.ref, o.name, o.type)


def test_three_hop_chain_counts_each_payment_once() -> None:
    report = trace(chain(), country="CD", flags={"name:women of goma": OrgFlags(women_led=True)})
    edges = [(f.provider, f.receiver, f.amount, f.hop, f.reported_by) for f in report.flows]
    assert edges == [
        ("XM-DAC-1", "XI-INGO-1", D(1000), 1, BOTH),
        ("XI-INGO-1", "CD-NGO-1", D(400), 2, BOTH),
        ("XI-INGO-1", "name:grassroots group", D(300), 2, PROVIDER),
        ("CD-NGO-1", "name:women of goma", D(150), 3, PROVIDER),
    ]
    assert report.matched == 2
    assert report.not_added == []
    # Summing every type 1 and 3 would give 1000+1000+400+300+400+150 = 3250; the money that
    # moved is 1000 + 400 + 300 + 150 = 1850.
    assert {h: t.by_currency for h, t in report.by_hop.items()} == {
        1: {"EUR": D(1000)},
        2: {"EUR": D(700)},
        3: {"EUR": D(150)},
    }
    assert report.entered.by_currency == {"EUR": D(1000)}
    # International: the donor's 1000 to the INGO, directly.
    assert report.reached[INTERNATIONAL].direct.by_currency == {"EUR": D(1000)}
    # National and local: 400 entered the group through the INGO; the national NGO's 150 to
    # the women's group (local too, being women-led) is not counted again.
    assert report.reached[LOCAL].total.by_currency == {"EUR": D(400)}
    assert report.reached[LOCAL].through.by_currency == {"EUR": D(400)}
    assert report.reached[LOCAL].direct.by_currency == {}
    # The grassroots group has no type and no flag: not known.
    assert report.reached[UNKNOWN].total.by_currency == {"EUR": D(300)}
    assert report.women_led.total.by_currency == {"EUR": D(150)}
    assert report.share(report.reached[LOCAL]) == 0.4  # 400 / 1000
    assert report.orgs["CD-NGO-1"].depth == 2
    assert report.orgs["name:women of goma"].category == LOCAL


def test_matched_flow_keeps_the_funder_value_and_both_activities() -> None:
    report = trace(chain())
    first = report.flows[0]
    assert (first.via, first.to_activity) == ("D-1", "I-1")


def test_pooled_fund_with_two_donors() -> None:
    """Two donors pay a pooled fund; the fund books one donor's payment in two instalments;
    it passes money to a national NGO and an international one."""
    fund = org("XM-OCHA-CBPF", "Pooled fund", "40")
    a, b = org("GB-GOV-1", "Donor A", "10"), org("SE-0", "Donor B", "10")
    local, ingo = org("UA-EDR-123", "Local NGO", "22"), org("XI-INGO-2", "INGO", "21")
    records = [
        activity("A-1", a, tx("3", "500", date(2023, 5, 1), receiver=fund, currency="USD")),
        activity("B-1", b, tx("3", "300", date(2023, 6, 1), receiver=fund, currency="USD")),
        activity(
            "P-1",
            fund,
            tx("1", "500", date(2023, 5, 3), provider=a, currency="USD"),  # matches A's
            tx("1", "250", date(2023, 6, 2), provider=b, currency="USD"),  # B's, in two parts
            tx("1", "50", date(2023, 6, 20), provider=b, currency="USD"),
            tx("3", "600", date(2023, 7, 1), receiver=local, currency="USD"),
            tx("3", "100", date(2023, 7, 1), receiver=ingo, currency="USD"),
        ),
    ]
    report = trace(records, country="UA")
    assert [(f.provider, f.receiver, f.amount, f.reported_by) for f in report.flows] == [
        ("GB-GOV-1", "XM-OCHA-CBPF", D(500), BOTH),
        ("SE-0", "XM-OCHA-CBPF", D(300), PROVIDER),
        ("XM-OCHA-CBPF", "UA-EDR-123", D(600), PROVIDER),
        ("XM-OCHA-CBPF", "XI-INGO-2", D(100), PROVIDER),
    ]
    assert report.matched == 1
    # B's 300 is counted once, as B reported it; the fund's 250 + 50 are listed, not added.
    assert sorted(n.amount for n in report.not_added) == [D(50), D(250)]
    assert report.entered.by_currency == {"USD": D(800)}
    assert report.by_hop[2].by_currency == {"USD": D(700)}
    assert report.reached[LOCAL].through.by_currency == {"USD": D(600)}
    # Both donors' payments reached an international organisation (the fund); the fund's 100
    # to an INGO stays within the group and is not counted again.
    assert report.reached[INTERNATIONAL].total.by_currency == {"USD": D(800)}
    assert report.share(report.reached[LOCAL]) == 0.75  # 600 / 800


def test_unmatched_and_contradicting_flows() -> None:
    """Incoming funds from a funder that published nothing count as the receiver reports them;
    a disbursement to another of the receiver's activities is other money."""
    absent = org("XM-DAC-99", "Donor not in the data", "10")
    ngo = org("CD-NGO-2", "Another national NGO", "22")
    records = [
        activity(
            "D-9",
            DONOR,
            tx("3", "100", date(2024, 1, 1), receiver=org(*_r(ngo), activity="N-OTHER")),
        ),
        activity(
            "N-2",
            ngo,
            tx("1", "200", date(2024, 2, 1), provider=absent),
            tx("1", "100", date(2024, 1, 5), provider=DONOR),
        ),
    ]
    report = trace(records, country="CD")
    flows = sorted((f.provider, f.amount, f.reported_by, f.hop) for f in report.flows)
    assert flows == [
        ("XM-DAC-1", D(100), PROVIDER, 1),
        ("XM-DAC-1", D(100), RECEIVER, 1),
        ("XM-DAC-99", D(200), RECEIVER, 1),
    ]
    assert report.matched == 0 and report.not_added == []
    assert report.reached[LOCAL].direct.by_currency == {"EUR": D(400)}


def test_far_apart_or_different_values_are_not_matched_but_not_added_twice() -> None:
    records = [
        activity("D-1", DONOR, tx("3", "1000", date(2024, 1, 1), receiver=INGO)),
        activity(
            "I-1",
            INGO,
            tx("1", "1000", date(2024, 8, 1), provider=DONOR),  # 213 days later
            tx("1", "1009", date(2024, 1, 2), provider=DONOR),  # within 1 %, a day later
        ),
    ]
    report = trace(records)
    # 1009 is within 1 % of 1000 and a day later: matched; the August 1000 is not added.
    assert report.matched == 1
    assert [n.amount for n in report.not_added] == [D(1000)]
    assert report.entered.by_currency == {"EUR": D(1000)}

    just_over = [
        activity("D-1", DONOR, tx("3", "1000", date(2024, 1, 1), receiver=INGO)),
        activity("I-1", INGO, tx("1", "1011", date(2024, 1, 2), provider=DONOR)),
    ]
    report = trace(just_over)
    assert report.matched == 0
    assert report.entered.by_currency == {"EUR": D(1000)}  # the funder's figure stands


def test_mixed_currencies_convert_with_the_rate_table_and_report_the_rest() -> None:
    ngo = org("CD-NGO-3", "NGO", "22")
    records = [
        activity(
            "D-1",
            DONOR,
            tx("3", "1000", date(2024, 3, 1), receiver=ngo, currency="EUR"),
            tx("3", "500", date(2024, 3, 1), receiver=ngo, currency="USD"),
            tx("3", "200", date(2024, 3, 1), receiver=ngo, currency="GBP"),  # no GBP rate
            tx("3", "70", date(2024, 3, 1), receiver=ngo, currency=""),  # no currency at all
            tx("3", "40", date(2023, 3, 1), receiver=ngo, currency="EUR"),  # no 2023 rate
        ),
    ]
    report = trace(records, country="CD", rates={("EUR", 2024): D("1.1")}, target="USD")
    assert report.entered.by_currency == {
        "EUR": D(1040),
        "USD": D(500),
        "GBP": D(200),
        "": D(70),
    }
    # 1000 EUR × 1.1 + 500 USD = 1600 USD; three amounts are left out, and listed.
    assert report.entered.converted == D("1600.0")
    assert report.entered.unconverted == 3
    assert [(u.currency, u.year, u.count, u.amounts) for u in report.unconverted] == [
        ("", 2024, 1, D(70)),
        ("EUR", 2023, 1, D(40)),
        ("GBP", 2024, 1, D(200)),
    ]
    assert report.share(report.reached[LOCAL]) == 1.0
    # Without a rate table, several currencies have no single share.
    assert trace(records, country="CD").share(report.reached[LOCAL]) is None


def test_currencies_never_match_each_other() -> None:
    records = [
        activity("D-1", DONOR, tx("3", "1000", date(2024, 1, 1), receiver=INGO, currency="EUR")),
        activity("I-1", INGO, tx("1", "1000", date(2024, 1, 1), provider=DONOR, currency="USD")),
    ]
    report = trace(records)
    assert report.matched == 0
    assert report.entered.by_currency == {"EUR": D(1000)}
    assert [n.currency for n in report.not_added] == ["USD"]


def test_an_organisation_paying_itself_and_repeated_activities() -> None:
    older = activity("D-1", DONOR, tx("3", "999", date(2024, 1, 1), receiver=INGO))
    newer = activity(
        "D-1",
        DONOR,
        tx("3", "1000", date(2024, 1, 1), receiver=INGO),
        tx("3", "50", date(2024, 1, 1), receiver=DONOR),  # between its own activities
    )
    older.last_updated, newer.last_updated = "2023-01-01T00:00:00", "2024-06-01T00:00:00"
    report = trace([older, newer])
    assert [(f.receiver, f.amount) for f in report.flows] == [("XI-INGO-1", D(1000))]


def test_user_flags_and_country_prefix() -> None:
    ministry = org("CD-MIN-1", "Ministère", "10")
    foreign = org("GB-GOV-1", "FCDO", "10")
    found = org("", "Fondation locale", "60")
    records = [
        activity(
            "X-1",
            foreign,
            tx("3", "10", date(2024, 1, 1), receiver=ministry),
            tx("3", "20", date(2024, 1, 1), receiver=found),
        )
    ]
    report = trace(
        records, country="CD", flags={"name:fondation locale": OrgFlags(grassroots=True)}
    )
    assert report.orgs["CD-MIN-1"].category == LOCAL  # the plan country's own public body
    assert report.orgs["GB-GOV-1"].category == INTERNATIONAL
    assert report.orgs["name:fondation locale"].category == LOCAL  # marked grassroots
    assert report.grassroots.direct.by_currency == {"EUR": D(20)}
    assert report.reached[LOCAL].total.by_currency == {"EUR": D(30)}


def test_crs_channel_codes_written_as_refs() -> None:
    """DFID's 1.0x files name receivers by CRS channel code: 23000 developing-country NGO,
    22000 donor-country NGO, 41122 a UN agency, 52000 other (not known)."""
    donor = org("GB-1", "DFID", "10")
    records = [
        activity(
            "GB-1-1",
            donor,
            tx("3", "5", date(2012, 1, 1), receiver=org("23000", "CaritasCongoASBL")),
            tx("3", "7", date(2012, 1, 1), receiver=org("22000", "CHRISTIAN AID")),
            tx("3", "11", date(2012, 1, 1), receiver=org("41122", "UNICEF Kinshasa")),
            tx("3", "13", date(2012, 1, 1), receiver=org("52000", "A consultancy")),
        )
    ]
    report = trace(records, country="CD")
    assert report.reached[LOCAL].total.by_currency == {"EUR": D(5)}
    assert report.reached[INTERNATIONAL].total.by_currency == {"EUR": D(18)}
    assert report.reached[UNKNOWN].total.by_currency == {"EUR": D(13)}
