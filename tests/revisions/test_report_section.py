"""The standard report's "Revisions of the plan" section on a hand-made plan with two versions
(docs/revisions.md, "In the standard report"): the versions approved by the period's end with
their co-signature, what version 2 changed when approved within the report's years, the targets
changed with version and date, nothing of a restricted indicator, and the section read back from
the PDF, DOCX and XLSX."""

from __future__ import annotations

import datetime

import pytest
from tests.reports.readback import assert_docx_matches, assert_pdf_matches, assert_xlsx_matches

from wpsmonitor.accounts.access import plan_access
from wpsmonitor.boards import services as board_services
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.indicators.services import target_set
from wpsmonitor.plans.models import FrameworkNode, VersionKind
from wpsmonitor.plans.services import node_update
from wpsmonitor.reports.builder import SECTIONS
from wpsmonitor.reports.context import report_context
from wpsmonitor.reports.document import INTERNAL, YEAR, ReportDocument
from wpsmonitor.reports.formats import render
from wpsmonitor.reports.sections import revisions as section
from wpsmonitor.revisions import services

from .conftest import RevisionWorld
from .test_cosign import CosignWorld, build_cosign_world

APPROVED = datetime.datetime(2025, 7, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture
def revised(db: None) -> CosignWorld:
    cw = build_cosign_world()
    rw = cw.rw
    secret = rw.world.indicator("IND-SECRET", time_rule="sum", frequency="year")
    secret.sensitivity = Sensitivity.RESTRICTED
    secret.save(update_fields=["sensitivity"])
    target_set(indicator=secret, period="2025", value=10)
    # Version 1 is recorded as the framework stood when the draft was prepared: before this.
    node_update(node=FrameworkNode.objects.get(plan=rw.plan, code="O1"), title="Outcome one, wider")
    services.indicator_drop(access=rw.access(), version=cw.draft, indicator=rw.b)
    target_set(indicator=rw.a, period="2025", value=250)
    target_set(indicator=secret, period="2025", value=12)
    for name in ("gov_chair", "cs_chair"):
        board_services.version_sign(by=cw.users[name], version=cw.draft)
    services.revision_approve(access=rw.access(), version=cw.draft, at=APPROVED)
    return cw


def build(cw: CosignWorld, year: int):  # type: ignore[no-untyped-def]
    access = plan_access(cw.users["coordinator"], cw.plan.code)
    context = report_context(access, scope=YEAR, year=year, version=INTERNAL)
    return section.build(context)


def test_the_section_sits_after_accountability_before_steering() -> None:
    keys = [b.__module__.rsplit(".", 1)[-1] for b in SECTIONS]
    assert keys.index("revisions") == keys.index("accountability") + 1
    assert keys.index("steering") == keys.index("revisions") + 1


def test_versions_changes_and_targets_in_the_years_report(revised: CosignWorld) -> None:
    got = build(revised, 2025)
    assert got.key == "revisions" and not got.empty
    versions = {t.key: t for t in got.tables}["revisions.versions"]
    rows = [[c.text for c in row] for row in versions.rows]
    assert [r[0] for r in rows] == ["1", "2"]
    assert rows[1][1] == str(VersionKind.MIDTERM.label)  # the kind, in words
    assert rows[1][2] == "Mid-term" and rows[1][3] == "Mid-term review"
    assert "2025" in rows[1][4] and "15" in rows[1][4]
    assert rows[1][5].startswith("Co-signed by both sides of the board")
    assert rows[0][5] == "Not required"
    text = " ".join(p.text for p in got.blocks if hasattr(p, "text"))
    assert "Version 2:" in text and "1 dropped, 0 reworded or moved; 1 targets changed" in text
    changes = {t.key: t for t in got.tables}["revisions.changes_v2"]
    listed = [[c.text for c in row] for row in changes.rows]
    assert listed[0][:2] == ["Reworded", "O1"] and "Outcome one, wider" in listed[0][2]
    assert listed[1][:2] == ["Dropped", "IND-B"]
    assert listed[2][:2] == ["Target changed", "IND-A"] and "200 → 250" in listed[2][2]
    targets = {t.key: t for t in got.tables}["revisions.targets"]
    assert [[c.text for c in r][:2] for r in targets.rows] == [["IND-A", "2025"]]
    assert [r[3].value for r in targets.rows] == [200.0] and [r[4].value for r in targets.rows] == [
        250.0
    ]
    everything = repr(got)
    assert "IND-SECRET" not in everything  # a restricted indicator never leaves the platform


def test_an_earlier_report_shows_only_what_was_approved_by_its_end(revised: CosignWorld) -> None:
    got = build(revised, 2024)
    versions = {t.key: t for t in got.tables}["revisions.versions"]
    assert [row[0].text for row in versions.rows] == ["1"]
    assert not [t for t in got.tables if t.key.startswith("revisions.changes")]


def test_a_plan_never_revised_says_so(rw: RevisionWorld) -> None:
    access = plan_access(rw.users["coordinator"], rw.plan.code)
    got = section.build(report_context(access, scope=YEAR, year=2025, version=INTERNAL))
    assert got.empty == "The plan's framework has not been revised." and not got.tables


def test_the_section_reads_back_from_every_format(revised: CosignWorld) -> None:
    got = build(revised, 2025)
    document = ReportDocument(
        plan_code=revised.plan.code,
        plan_title="A plan",
        title="Annual report",
        scope=YEAR,
        period_code="2025",
        period_label="2025",
        version=INTERNAL,
        language="en",
        generated_at=APPROVED,
        release_number=None,
        sections=(got,),
    )
    assert_pdf_matches(document, render(document, "pdf"))
    assert_docx_matches(document, render(document, "docx"))
    assert_xlsx_matches(document, render(document, "xlsx"))
