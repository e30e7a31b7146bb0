"""The report's "Peace processes and missions" section on the peace app's process worked by
hand (tests/peace/conftest.py, `with_three_rounds`): women's share per round and role, computed
from the seats, and the consultations of civil society counted (docs/reports.md)."""

from __future__ import annotations

from datetime import date

import pytest
from tests.peace.conftest import PeaceWorld, with_three_rounds
from tests.peace.conftest import pw as pw  # noqa: F401  (the fixture)
from tests.reports.readback import assert_docx_matches, assert_pdf_matches, assert_xlsx_matches

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.peace import services
from wpsmonitor.reports.builder import build_report
from wpsmonitor.reports.context import ReportContext, report_context
from wpsmonitor.reports.document import INTERNAL, YEAR, Chart, Section, Table
from wpsmonitor.reports.formats import render
from wpsmonitor.reports.sections import peace
from wpsmonitor.shell.templatetags.shell import DASH


def _context(pw: PeaceWorld, year: int = 2024) -> ReportContext:
    access = plan_access(pw.users["coordinator"], pw.plan.code)
    return report_context(access, scope=YEAR, year=year, version=INTERNAL)


def _sub(section: Section, key: str) -> Section:
    return next(s for s in section.walk() if s.key == key)


def _table(section: Section, key: str) -> Table:
    return next(t for t in section.tables if t.key == key)


def _consult(pw: PeaceWorld, day: date, consulted: int, women: int, in_outcome: str) -> None:
    assert pw.process is not None
    services.consultation_record(
        by=pw.users["coordinator"],
        process=pw.process,
        held_on=day,
        stage="before",
        method="meeting",
        organisations_consulted=consulted,
        womens_organisations=women,
        asked="Seats for women's organisations.",
        in_outcome=in_outcome,
    )


@pytest.mark.django_db
def test_womens_share_per_round_worked_by_hand(pw: PeaceWorld) -> None:
    with_three_rounds(pw)
    assert pw.process is not None
    section = peace.build(_context(pw))
    process = _sub(section, f"peace.process.{pw.process.pk}")
    assert process.title == "Inter-Congolese dialogue"
    table = _table(process, f"peace.process.{pw.process.pk}.rounds")
    assert table.columns[2:] == (
        "Negotiators",
        "Mediators",
        "Signatories",
        "Observers",
        "Technical advisers",
        "All roles",
        "Seats of sex not recorded",
    )
    values = [[c.value for c in row[2:]] for row in table.rows]
    r1, r2, r3 = values
    assert r1[0] == pytest.approx(2 / 15, abs=1e-4) and r1[1] == 0 and r1[2] is None
    assert r1[5] == pytest.approx(2 / 16) and r1[6] == 0
    assert r2[0] == pytest.approx(4 / 15, abs=1e-4) and r2[1] == pytest.approx(0.5)
    assert r2[5] == pytest.approx(5 / 17, abs=1e-4) and r2[6] == 2
    assert r3[0] == pytest.approx(0.5) and r3[2] == pytest.approx(0.25) and r3[3] == 1
    assert r3[5] == pytest.approx(0.5)
    assert table.rows[0][2].text.endswith("(2 of 15)")
    assert table.rows[0][4].text == DASH  # no signatory: no share, not 0 %
    assert any(isinstance(b, Chart) and "<svg" in b.svg for b in process.blocks)


@pytest.mark.django_db
def test_consultations_of_the_period_counted(pw: PeaceWorld) -> None:
    with_three_rounds(pw)
    _consult(pw, date(2024, 1, 10), 6, 4, "yes")
    _consult(pw, date(2024, 3, 10), 3, 3, "partly")
    _consult(pw, date(2024, 6, 10), 5, 0, "no")
    section = peace.build(_context(pw))
    rows = _table(section, "peace.consultations").rows
    assert [[c.text for c in row] for row in rows] == [
        ["Inter-Congolese dialogue", "3", "14", "7", "1", "1", "1", "0"]
    ]
    # 2025 has none of them: the subsection says so.
    later = peace.build(_context(pw, 2025))
    assert _sub(later, "peace.consultations").empty == (
        "No consultation of civil society was recorded in 2025."
    )


@pytest.mark.django_db
def test_an_empty_plan_says_why(pw: PeaceWorld) -> None:
    section = peace.build(_context(pw))
    assert [s.key for s in section.subsections] == [
        "peace.participation",
        "peace.consultations",
        "peace.agreements",
        "peace.missions",
    ]
    assert (
        _sub(section, "peace.participation").empty == "No peace process is recorded for the plan."
    )
    assert _sub(section, "peace.consultations").empty.startswith("No consultation")


@pytest.mark.django_db
def test_every_format_renders_the_sections(pw: PeaceWorld) -> None:
    """The PDF (HTML), DOCX and XLSX writers take the nested subsections and the chart."""
    with_three_rounds(pw)
    report = build_report(_context(pw))
    keys = [s.key for s in report.sections]
    assert keys.index("security") == keys.index("oversight") + 1
    assert keys.index("peace") == keys.index("security") + 1
    pdf = render(report, "pdf")
    assert_pdf_matches(report, pdf)
    assert_docx_matches(report, render(report, "docx"))
    assert_xlsx_matches(report, render(report, "xlsx"))
