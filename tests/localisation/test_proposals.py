"""National changes reach the local plans as proposals, never applied until their coordinator
accepts; declining leaves the local copy as it is."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.indicators.models import Indicator, Target
from wpsmonitor.indicators.services import indicator_update, target_set
from wpsmonitor.localisation.services import proposal_accept, proposal_decline
from wpsmonitor.plans.models import FrameworkNode, LocalisationProposal, ProposalStatus
from wpsmonitor.plans.services import node_update

from .conftest import Built, user

pytestmark = pytest.mark.django_db


def _local(built: Built, plan_code: str, code: str) -> FrameworkNode:
    return FrameworkNode.objects.get(plan__code=plan_code, code=code)


def test_a_national_change_is_offered_to_each_copy_and_forced_on_none(built: Built) -> None:
    node_update(node=built.nodes["PAR.1"], title="Les femmes dirigent")
    proposals = LocalisationProposal.objects.filter(status=ProposalStatus.OPEN).order_by("plan")
    assert [(p.plan.code, p.node.code, p.field, p.old_value, p.new_value) for p in proposals] == [
        ("lap-p1", "PAR.1", "title", "Les femmes participent", "Les femmes dirigent"),
        ("lap-p2", "PAR.1", "title", "Les femmes participent", "Les femmes dirigent"),
    ]
    # Not forced: the local copies keep their text until someone decides.
    assert _local(built, "lap-p1", "PAR.1").title == "Les femmes participent"
    # A second change updates the open proposal; coming back to the old text withdraws it.
    node_update(node=built.nodes["PAR.1"], title="Les femmes décident")
    assert LocalisationProposal.objects.filter(plan=built.p1_plan).count() == 1
    assert LocalisationProposal.objects.get(plan=built.p1_plan).new_value == "Les femmes décident"
    node_update(node=built.nodes["PAR.1"], title="Les femmes participent")
    assert not LocalisationProposal.objects.exists()


def test_indicator_wording_and_a_rate_target_are_offered_a_count_target_is_not(
    built: Built,
) -> None:
    indicator_update(indicator=built.indicators["PCT"], definition="Élues sur sièges")
    target_set(indicator=built.indicators["PCT"], period="2026", value=45)
    target_set(indicator=built.indicators["CNT"], period="2026", value=150)  # the country's
    offered = {
        (p.plan.code, p.indicator.code, p.field, p.period_code, p.old_value, p.new_value)
        for p in LocalisationProposal.objects.all()
    }
    assert offered == {
        ("lap-p1", "PCT", "definition", "", "", "Élues sur sièges"),
        ("lap-p2", "PCT", "definition", "", "", "Élues sur sièges"),
        ("lap-p1", "PCT", "target", "2026", 40.0, 45.0),
        ("lap-p2", "PCT", "target", "2026", 40.0, 45.0),
    }


def test_accepting_applies_the_change_declining_leaves_it(built: Built) -> None:
    coord = built.users["coord"]
    node_update(node=built.nodes["PAR.1"], title="Les femmes dirigent")
    target_set(indicator=built.indicators["PCT"], period="2026", value=45)
    p1_title = LocalisationProposal.objects.get(plan=built.p1_plan, field="title")
    p2_title = LocalisationProposal.objects.get(plan=built.p2_plan, field="title")
    p1_target = LocalisationProposal.objects.get(plan=built.p1_plan, field="target")

    proposal_accept(by=coord, proposal=p1_title)
    proposal_decline(by=coord, proposal=p2_title)
    proposal_accept(by=coord, proposal=p1_target)

    assert _local(built, "lap-p1", "PAR.1").title == "Les femmes dirigent"
    assert _local(built, "lap-p2", "PAR.1").title == "Les femmes participent"
    local_pct = Indicator.objects.get(plan=built.p1_plan, code="PCT")
    assert Target.objects.get(indicator=local_pct, period__code="2026").value == 45
    p1_title.refresh_from_db()
    p2_title.refresh_from_db()
    assert (p1_title.status, p1_title.decided_by) == (ProposalStatus.ACCEPTED, coord)
    assert p1_title.decided_at is not None
    assert p2_title.status == ProposalStatus.DECLINED
    # Decided once.
    with pytest.raises(ValidationError):
        proposal_accept(by=coord, proposal=p2_title)
    assert _local(built, "lap-p2", "PAR.1").title == "Les femmes participent"


def test_only_the_local_coordinators_decide(built: Built) -> None:
    node_update(node=built.nodes["PAR.1"], title="Les femmes dirigent")
    proposal = LocalisationProposal.objects.get(plan=built.p1_plan)
    # A viewer of the local plan, a stranger, and the coordinator of the national plan alone.
    national_only = user("national-only")
    PlanRole.objects.create(user=national_only, plan=built.nap, role=Role.COORDINATOR)
    for who in (built.users["viewer"], built.users["stranger"], national_only):
        with pytest.raises(PermissionDenied):
            proposal_accept(by=who, proposal=proposal)
        with pytest.raises(PermissionDenied):
            proposal_decline(by=who, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert _local(built, "lap-p1", "PAR.1").title == "Les femmes participent"


def test_a_national_workbook_re_imported_offers_its_new_wording(built: Built, tmp_path) -> None:
    """Secretariats revise their plan in the workbook: a re-import that rewords a national node
    and an indicator offers the new wording to the local copies, as the edit services do."""
    from openpyxl import load_workbook

    from wpsmonitor.exchange.export import export_xlsx
    from wpsmonitor.exchange.importer import import_files

    path = tmp_path / "nap.xlsx"
    export_xlsx(built.nap, path)
    workbook = load_workbook(path)
    for sheet, code, column, value in (
        ("Framework", "PAR.1", "title", "Les femmes dirigent"),
        ("Indicators", "PCT", "definition", "Élues sur sièges"),
    ):
        ws = workbook[sheet]
        names = [c.value for c in ws[1]]
        (row,) = [r for r in ws.iter_rows(min_row=2) if r[names.index("code")].value == code]
        row[names.index(column)].value = value
    workbook.save(path)
    import_files(paths=[path])
    offered = {(p.plan.code, p.field, p.new_value) for p in LocalisationProposal.objects.all()}
    assert offered == {
        ("lap-p1", "title", "Les femmes dirigent"),
        ("lap-p2", "title", "Les femmes dirigent"),
        ("lap-p1", "definition", "Élues sur sièges"),
        ("lap-p2", "definition", "Élues sur sièges"),
    }
    assert _local(built, "lap-p1", "PAR.1").title == "Les femmes participent"  # not forced
