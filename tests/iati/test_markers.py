"""Gender-marker checks: the sector rule against the samples' README, and the per-donor profile
on hand-made records with hand-computed amounts."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from wpsmonitor.iati import markers
from wpsmonitor.iati.reader import IatiReader
from wpsmonitor.iati.records import Activity, OrgRef, Sector, Transaction

D = Decimal
SAMPLES = Path(
    os.environ.get("WPSMONITOR_IATI_SAMPLES")
    or Path(__file__).resolve().parents[2].parent / "shared" / "iati-samples"
)


def act(
    identifier: str,
    reporter: str,
    sectors: list[tuple[str, str | None]],
    marker: int | None,
    *,
    has_marker: bool = True,
    spent: list[tuple[str, str, str, int]] = (),  # type: ignore[assignment]
) -> Activity:
    return Activity(
        iati_identifier=identifier,
        reporting_org=OrgRef(ref=reporter, name=reporter.title()),
        sectors=[Sector("1", code, D(pct) if pct is not None else None) for code, pct in sectors],
        gender_marker=marker,
        has_gender_marker=has_marker,
        transactions=[
            Transaction(type=t, value=D(v), currency=c, value_date=date(y, 6, 1))
            for t, v, c, y in spent
        ],
    )


def test_states_keep_not_screened_apart_from_zero() -> None:
    assert markers.state(act("a", "x", [], 0)) == markers.NOT_TARGETED
    assert markers.state(act("a", "x", [], None)) == markers.NOT_SCREENED
    assert markers.state(act("a", "x", [], None, has_marker=False)) == markers.NO_MARKER
    assert markers.state(act("a", "x", [], 2)) == markers.PRINCIPAL


def test_sector_rule_flags_every_non_principal_15170_or_15180() -> None:
    records = [
        act("A-1", "donor-a", [("15170", "100")], 2),  # principal: fine
        act("A-2", "donor-a", [("15170", "50"), ("15220", "50")], 1),
        act("A-3", "donor-a", [("15180", None)], None),
        act("B-1", "donor-b", [("15180", "100")], None, has_marker=False),
        act("B-2", "donor-b", [("15220", "100")], 0),  # not 15170/15180: not flagged
    ]
    flagged = markers.flag_sector_rule(records)
    assert [(f.iati_identifier, f.codes, f.state) for f in flagged] == [
        ("A-2", ("15170",), "1"),
        ("A-3", ("15180",), "not_screened"),
        ("B-1", ("15180",), "none"),
    ]


def test_donor_profile_counts_and_scaled_amounts() -> None:
    records = [
        # 100 % peace and security: 1000 EUR disbursed + 200 spent, principal.
        act(
            "A-1",
            "donor-a",
            [("15220", "100")],
            2,
            spent=[("3", "1000", "EUR", 2024), ("4", "200", "EUR", 2024)],
        ),
        # 40 % in 15220: 500 USD counts 200; a commitment (2) is not money paid out.
        act(
            "A-2",
            "donor-a",
            [("15220", "40"), ("11220", "60")],
            0,
            spent=[("3", "500", "USD", 2024), ("2", "9999", "USD", 2024)],
        ),
        # No percentages, two DAC codes, one chosen: half of 300 EUR; marker without score.
        act(
            "A-3",
            "donor-a",
            [("15180", None), ("12220", None)],
            None,
            spent=[("3", "300", "EUR", 2023)],
        ),
        # Not peace and security at all: left out.
        act("A-4", "donor-a", [("11220", "100")], 2, spent=[("3", "7", "EUR", 2024)]),
        act("B-1", "donor-b", [("15170", "100")], 1, spent=[("3", "100", "EUR", 2024)]),
    ]
    rates = {("EUR", 2024): D("1.1")}
    profiles = markers.donor_profiles(records, rates=rates, target="USD")
    assert [p.key for p in profiles] == ["donor-a", "donor-b"]
    a = profiles[0]
    assert a.activities == 3
    assert a.states["2"].activities == 1
    assert a.states["2"].by_currency == {"EUR": D(1200)}
    assert a.states["0"].by_currency == {"USD": D(200)}
    assert a.states["not_screened"].by_currency == {"EUR": D(150)}
    # Converted: 1200 EUR × 1.1 = 1320 USD, 200 USD; the 2023 EUR has no rate: left out.
    assert a.states["2"].converted == D("1320.0")
    assert a.states["0"].converted == D(200)
    assert a.states["not_screened"].unconverted == 1
    assert a.converted == D("1520.0")
    assert a.share("2") == pytest.approx(1320 / 1520)
    assert profiles[1].states["1"].converted == D("110.0")


@pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="IATI samples not found (set WPSMONITOR_IATI_SAMPLES)"
)
def test_sector_rule_against_the_samples_readme() -> None:
    """README: activities with 15170 score 42 principal, 6 significant, 16 no marker; with
    15180, 33 principal, 14 significant, 14 a marker without significance, 13 no marker."""
    records: list[Activity] = []
    for path in sorted(SAMPLES.glob("*.xml")):
        reader = IatiReader(path)
        if reader.kind == "activities":
            records.extend(r for r in reader if isinstance(r, Activity))
    assert len(records) == 4692
    written = markers.crosstab(records, as_written=True)
    assert dict(written["15170"]) == {"2": 42, "1": 6, "none": 16}
    assert dict(written["15180"]) == {"2": 33, "1": 14, "not_screened": 14, "none": 13}
    # Read as 15170, the Tearfund activity's legacy 15164 (no marker) is one more.
    assert dict(markers.crosstab(records)["15170"]) == {"2": 42, "1": 6, "none": 17}
    # Flags are per activity identifier, as the database keeps activities: two 15170 and two
    # 15180 activities are in two sample files each (the merged file and the covid fixture).
    flagged = markers.flag_sector_rule(records)
    assert sum("15170" in f.codes for f in flagged) == 6 + 17 - 2
    assert sum("15180" in f.codes for f in flagged) == 14 + 14 + 13 - 2
    assert "GB-CHC-265464-ZAI00598-0" in {f.iati_identifier for f in flagged}
