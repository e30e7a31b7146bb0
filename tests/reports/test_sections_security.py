"""The report's "Security sector" section on a small plan worked by hand (docs/reports.md,
"Security sector"): institutions and their package, women's share of personnel by rank read as
the pillars read figures (the release for the public version), desks by province, allegations
through the conduct app's suppressed counts. A desk's case counts and small allegation counts
never appear, in either version."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from tests.security.conftest import SecurityWorld
from tests.security.conftest import sw as sw  # noqa: F401  (the fixture)

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.conduct import services as conduct
from wpsmonitor.indicators.models import AggregateValue, Indicator
from wpsmonitor.publishing import services as publishing
from wpsmonitor.publishing.models import DisclosureAuditEntry
from wpsmonitor.reports.builder import build_report
from wpsmonitor.reports.context import ReportContext, report_context
from wpsmonitor.reports.document import INTERNAL, PUBLIC, YEAR, Section, Table, Version
from wpsmonitor.reports.sections import security
from wpsmonitor.security import services

PERSONNEL = {
    ("F", "land", "of_general"): 1,
    ("M", "land", "of_general"): 9,
    ("F", "air", "of_junior"): 30,
    ("M", "air", "of_junior"): 30,
    ("F", "land", "or_other"): 10,
    ("M", "land", "or_other"): 90,
}


def _context(sw: SecurityWorld, version: Version = INTERNAL, year: int = 2025) -> ReportContext:
    user = AnonymousUser() if version == PUBLIC else sw.users["coordinator"]
    return report_context(plan_access(user, sw.plan.code), scope=YEAR, year=year, version=version)


def _sub(section: Section, key: str) -> Section:
    return next(s for s in section.walk() if s.key == key)


def _table(section: Section, key: str) -> Table:
    return next(t for t in section.tables if t.key == key)


def _texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def _publish(sw: SecurityWorld) -> None:
    by = sw.users["coordinator"]
    draft = publishing.release_prepare(by=by, plan=sw.plan)
    for entry in DisclosureAuditEntry.objects.filter(release=draft, problem=True):
        publishing.audit_resolve(by=by, entry=entry, note="Checked for the test.")
    publishing.release_publish(by=by, release=draft, confirm=True)


def _with_package(sw: SecurityWorld) -> Indicator:
    institution = sw.institution()
    sw.institution("FARDC", kind="army")
    services.package_adopt(
        by=sw.users["coordinator"], institution=institution, node=sw.world.outcomes["O3"]
    )
    personnel = Indicator.objects.get(plan=sw.plan, code="PNC-PERS")
    for (sex, service, rank), value in PERSONNEL.items():
        sw.world.value(
            personnel,
            "2025",
            "N",
            value,
            cell=f"sex={sex};security_service={service};nato_rank={rank}",
        )
    sw.world.rebuild()
    return Indicator.objects.get(plan=sw.plan, code="PNC-PERS-W")


def _allegations(sw: SecurityWorld) -> None:
    """2025: 7 against military personnel (exploitation), 2 against police (abuse)."""
    for category, kind, n in (("military", "exploitation", 7), ("police", "abuse", 2)):
        for _ in range(n):
            conduct.allegation_record(
                by=sw.users["coordinator"],
                verified=True,
                plan=sw.plan,
                institution=sw.police,
                category=category,
                kind=kind,
                reported_on=date(2025, 4, 2),
            )


def _desks(sw: SecurityWorld) -> None:
    """Province 1: two open desks (one with 37 cases received), one planned; Province 2: one
    closed; one at the plan's own area, open."""
    institution = sw.institution("PNC2")
    by = sw.users["coordinator"]
    areas = sw.world.areas
    opened = date(2025, 1, 1)
    first = services.desk_record(
        by=by, institution=institution, name="A", area=areas["D11"], status="open", opened_on=opened
    )
    services.desk_record(
        by=by, institution=institution, name="B", area=areas["P1"], status="open", opened_on=opened
    )
    services.desk_record(
        by=by, institution=institution, name="C", area=areas["D12"], status="planned"
    )
    services.desk_record(
        by=by,
        institution=institution,
        name="D",
        area=areas["D21"],
        status="closed",
        opened_on=opened,
    )
    services.desk_record(
        by=by, institution=institution, name="E", area=areas["N"], status="open", opened_on=opened
    )
    services.desk_cases_record(by=by, desk=first, period="2025", received=37, referred=31)


@pytest.mark.django_db
def test_institutions_and_personnel_shares_by_rank_worked_by_hand(sw: SecurityWorld) -> None:
    _with_package(sw)
    section = security.build(_context(sw))
    institutions = _table(section, "security.institutions")
    assert [r[0] for r in _texts(institutions)] == ["FARDC", "PNC"]
    assert [r[4] for r in _texts(institutions)] == ["No", "Yes"]
    assert institutions.rows[1][5].value == 10  # the package's ten indicators
    words = _sub(section, "security.institutions").blocks[0].text  # type: ignore[union-attr]
    assert words == "1 of 2 institutions have adopted the indicator package."
    personnel = _table(section, "security.PNC.personnel")
    assert personnel.columns == ("Rank", "2025")
    values = {row[0].text: row[1].value for row in personnel.rows}
    # 41 women of 170; generals 1 of 10; junior officers 30 of 60; other ranks 10 of 100.
    assert values["All ranks"] == pytest.approx(100 * 41 / 170)
    assert values["General or flag officers (OF-6 and above)"] == pytest.approx(10)
    assert values["Junior officers (OF-1 to OF-2)"] == pytest.approx(50)
    assert values["Other ranks (OR-1 to OR-3)"] == pytest.approx(10)
    assert values["Senior officers (OF-3 to OF-5)"] is None  # nothing reported: a dash


@pytest.mark.django_db
def test_the_public_version_reads_the_release_not_the_detail(sw: SecurityWorld) -> None:
    share = _with_package(sw)
    _publish(sw)
    # A trap: the detail changes after the release; the public version keeps the release's.
    AggregateValue.objects.filter(indicator=share, period_code="2025", cell_key="").update(
        value=4242
    )
    public = _table(security.build(_context(sw, PUBLIC)), "security.PNC.personnel")
    internal = _table(security.build(_context(sw, INTERNAL)), "security.PNC.personnel")
    assert public.rows[0][1].value == pytest.approx(100 * 41 / 170)
    assert internal.rows[0][1].value == 4242


@pytest.mark.django_db
@pytest.mark.parametrize("version", [INTERNAL, PUBLIC])
def test_desks_by_province_and_never_their_cases(sw: SecurityWorld, version: Version) -> None:
    _desks(sw)
    if version == PUBLIC:
        _publish(sw)
    report = build_report(_context(sw, version))
    section = next(s for s in report.sections if s.key == "security")
    desks = _table(section, "security.desks")
    assert _texts(desks) == [
        ["Province 1", "2", "1", "0"],
        ["Province 2", "0", "0", "1"],
        ["Not in a province", "1", "0", "0"],
    ]
    words = _sub(section, "security.desks").blocks[0].text  # type: ignore[union-attr]
    assert words == "3 desks are open; 1 of 2 provinces have one."
    # The sections only: the report's time of generation may hold "31" or "37".
    dumped = json.dumps(report.as_json()["sections"])
    assert "37" not in dumped and "31" not in dumped  # the cases received and referred


@pytest.mark.django_db
@pytest.mark.parametrize("version", [INTERNAL, PUBLIC])
def test_allegations_in_aggregate_small_counts_withheld(
    sw: SecurityWorld, version: Version
) -> None:
    _allegations(sw)
    if version == PUBLIC:
        _publish(sw)
    report = build_report(_context(sw, version))
    section = next(s for s in report.sections if s.key == "security")
    by_category = _table(section, "security.conduct.by_category")
    assert by_category.columns == ("Category of personnel", "2025")
    rows = {r[0].text: r[1] for r in by_category.rows}
    assert rows["Military"].value == 7
    assert rows["Police"].value is None and rows["Police"].text == "fewer than 5"
    assert rows["Police"].flag == "primary"
    kinds = {r[0].text: r[1] for r in _table(section, "security.conduct.by_kind").rows}
    assert kinds["Sexual exploitation"].value == 7 and kinds["Sexual abuse"].value is None
    # The planted 2 is nowhere, nor a total (9) that would give it away by difference.
    numbers = [v for rows in report.numbers().values() for row in rows for v in row]
    security_numbers = [
        c.value for t in section.tables for row in t.rows for c in row if c.value is not None
    ]
    assert 2 not in security_numbers and 9 not in security_numbers
    assert numbers  # the report has figures at all


@pytest.mark.django_db
def test_an_empty_plan_says_why_in_every_subsection(sw: SecurityWorld) -> None:
    section = security.build(_context(sw))
    assert [s.key for s in section.subsections] == [
        "security.institutions",
        "security.personnel",
        "security.desks",
        "security.training",
        "security.assessment",
        "security.conduct",
    ]
    assert _sub(section, "security.institutions").empty == (
        "No security institution is recorded for the plan."
    )
    assert _sub(section, "security.personnel").empty == (
        "No institution of the plan has adopted the indicator package."
    )
    assert _sub(section, "security.desks").empty == (
        "No women's and children's desk is recorded for the plan."
    )
    # No allegation: every count withheld (a zero is never told from a small count).
    conduct_rows = _table(section, "security.conduct.by_category").rows
    assert {r[1].text for r in conduct_rows} == {"fewer than 5"}


@pytest.mark.django_db
def test_package_without_figures_says_so(sw: SecurityWorld) -> None:
    services.package_adopt(
        by=sw.users["coordinator"], institution=sw.institution(), node=sw.world.outcomes["O3"]
    )
    section = security.build(_context(sw, year=2024))
    assert _sub(section, "security.personnel").empty == ("No personnel figures for 2024.")


def test_subsections_are_the_extension_point() -> None:
    assert all(callable(b) for b in security.SUBSECTIONS)
    assert security.SUBSECTIONS[0] is security.institutions_section
