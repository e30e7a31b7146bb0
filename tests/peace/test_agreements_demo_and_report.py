"""The demo's fictitious agreement (loaded on a fixture plan, its actions found by level) and the
report's "Peace agreements and gender provisions" section, built by calling build() directly."""

from __future__ import annotations

from datetime import date

import pytest
from tests.peace.agreement_world import AgreementWorld, build_agreement_world

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.demo import peace_agreements as demo
from wpsmonitor.peace import services
from wpsmonitor.peace.models import (
    Agreement,
    GenderProvision,
    ProvisionAssessment,
    ProvisionStatus,
)
from wpsmonitor.peace.selectors import provision_views, published_only
from wpsmonitor.reports.context import report_context
from wpsmonitor.reports.document import INTERNAL, YEAR
from wpsmonitor.reports.sections import peace_agreements
from wpsmonitor.shell.templatetags.shell import DASH


@pytest.fixture
def aw(db: None) -> AgreementWorld:
    return build_agreement_world()


def test_the_demo_agreement_is_labelled_coded_linked_and_differs_once(aw: AgreementWorld) -> None:
    assert demo.agreements_load(aw.plan, None) == 5
    agreement = Agreement.objects.get(plan=aw.plan, name=demo.NAME)
    assert agreement.name.startswith("Fictitious") and agreement.pax_id is None
    provisions = list(agreement.provisions.all())
    assert len(provisions) == 5
    for p in provisions:
        assert p.statuses.count() == 2
        (action,) = p.actions.all()
        assert action.plan_id == aw.plan.pk and action.level.holds_actions
    views = provision_views([agreement], published_only)
    assert [v.provision.category for v in views if v.differs] == ["WggImpl"]
    (c,) = next(v for v in views if v.differs).comparisons
    assert (c.government.status, c.assessment.status, c.steps) == ("full", "intermediate", -1)  # type: ignore[union-attr]
    # Words first: the violence provision goes to the action about sexual violence.
    violence = agreement.provisions.get(category="WggVio")
    assert violence.actions.get().code == "A2"
    # Once only.
    assert demo.agreements_load(aw.plan, None) == 0
    assert Agreement.objects.filter(plan=aw.plan, name=demo.NAME).count() == 1


def test_deleting_the_plan_removes_the_demo_agreement(aw: AgreementWorld) -> None:
    demo.agreements_load(aw.plan, None)
    aw.plan.delete()
    assert not Agreement.objects.exists() and not GenderProvision.objects.exists()
    assert not ProvisionStatus.objects.exists() and not ProvisionAssessment.objects.exists()


def _context(aw: AgreementWorld, year: int = 2025):  # type: ignore[no-untyped-def]
    access = PlanAccess.load(aw.users["admin"], aw.plan)
    return report_context(access, scope=YEAR, year=year, version=INTERNAL)


def test_the_report_section_counts_latest_statuses_by_category(aw: AgreementWorld) -> None:
    """Participation: minimal (2024-12-31) then full (2025-09-30); civil society published
    intermediate → differs. Violence: minimal on 2025-01-15, civil society's draft (not
    printed). Report 2025: participation full, violence minimal. Report 2024: participation
    minimal, violence no status yet."""
    coordinator = aw.users["coordinator"]
    record = services.provision_status_record
    record(by=coordinator, provision=aw.participation, on=date(2024, 12, 31), status="minimal")
    record(by=coordinator, provision=aw.participation, on=date(2025, 9, 30), status="full")
    record(by=coordinator, provision=aw.violence, on=date(2025, 1, 15), status="minimal")
    save = services.provision_assessment_save
    save(
        by=aw.users["monitor"],
        provision=aw.participation,
        organisation=aw.pw.women,
        assessed_on=date(2025, 10, 1),
        status="intermediate",
        publish=True,
    )
    save(
        by=aw.users["monitor"],
        provision=aw.violence,
        organisation=aw.pw.women,
        assessed_on=date(2025, 10, 1),
        status="full",
        comment="draft",
    )
    section = peace_agreements.build(_context(aw))
    assert section.key == "peace.agreements" and not section.empty
    tables = {t.key: t for t in section.tables}
    by_category = tables["peace.agreements.by_category"]
    columns = by_category.columns
    rows = {
        r[0].text: dict(zip(columns, (c.text for c in r), strict=True)) for r in by_category.rows
    }
    assert rows["Participation"]["Full"] == "1" and rows["Participation"]["Minimal"] == "0"
    assert rows["Participation"]["Civil society's view differs"] == "1"
    assert rows["Violence against women"]["Minimal"] == "1"
    assert rows["Violence against women"]["Civil society's view differs"] == "0"
    provisions = {r[1].text: r for r in tables["peace.agreements.provisions"].rows}
    assert provisions["Participation"][2].text == "Full (2025-09-30)"
    assert "Women at the Table: Intermediate" in provisions["Participation"][3].text
    assert provisions["Participation"][4].text == "A1"
    assert "draft" not in provisions["Violence against women"][3].text
    assert "Full" not in provisions["Violence against women"][3].text

    earlier = {t.key: t for t in peace_agreements.build(_context(aw, 2024)).tables}
    rows24 = {r[1].text: r for r in earlier["peace.agreements.provisions"].rows}
    assert rows24["Participation"][2].text == "Minimal (2024-12-31)"
    assert rows24["Violence against women"][2].text == DASH
    assert rows24["Participation"][3].text == DASH  # assessed in 2025, after the period


def test_a_plan_without_agreements_says_so(aw: AgreementWorld) -> None:
    Agreement.objects.all().delete()
    section = peace_agreements.build(_context(aw))
    assert not section.tables and section.empty.startswith("No gender provision")
