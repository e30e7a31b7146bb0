"""A plan with actions and budget lines, one agreement with two provisions worked by hand, and
the people who read and write them (docs/peace-processes.md, "Agreements and gender
provisions")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from tests.peace.conftest import PeaceWorld, build_peace_world

from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.directory.models import Organisation
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.peace import services
from wpsmonitor.peace.models import Agreement, GenderProvision
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.plans.services import node_create


@dataclass
class AgreementWorld:
    pw: PeaceWorld
    actions: list[FrameworkNode]
    line: BudgetLine
    other_line: BudgetLine
    other_cso: Organisation
    agreement: Agreement
    participation: GenderProvision
    violence: GenderProvision

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.pw.plan

    @property
    def users(self):  # type: ignore[no-untyped-def]
        return self.pw.users


def build_agreement_world() -> AgreementWorld:
    pw = build_peace_world()
    plan = pw.plan
    output = node_create(plan=plan, code="OUT1", title="Output 1", parent=pw.world.outcomes["O1"])
    actions = [
        node_create(plan=plan, code="A1", title="Nominate women to delegations", parent=output),
        node_create(plan=plan, code="A2", title="Train police on sexual violence", parent=output),
    ]
    line = BudgetLine.objects.create(
        action=actions[0], year=2025, funding_kind="national_budget", currency="XOF"
    )
    other = build_other_plan_line()
    other_cso = Organisation.objects.create(
        code="other-cso", name="Other Women's League", type="civil_society"
    )
    users = pw.users
    User = get_user_model()
    users["other_monitor"] = User.objects.create_user(username="other_monitor", password="x")
    PlanRole.objects.create(
        user=users["other_monitor"], plan=plan, role=Role.MONITOR, organisation=other_cso
    )
    users["admin"] = User.objects.create_superuser(username="admin", password="x")
    coordinator = users["coordinator"]
    agreement = services.agreement_record(
        by=coordinator,
        plan=plan,
        name="Peace accord of the test",
        stage="SubComp",
        signed_on=date(2024, 6, 1),
        agreement_type="Intra",
    )
    participation = services.provision_record(
        by=coordinator,
        agreement=agreement,
        category="WggPar",
        text="30% women in the follow-up committee.",
        reference="Art. 4",
        actions=[actions[0]],
        budget_lines=[line],
    )
    violence = services.provision_record(
        by=coordinator, agreement=agreement, category="WggVio", actions=[actions[1]]
    )
    return AgreementWorld(
        pw=pw,
        actions=actions,
        line=line,
        other_line=other,
        other_cso=other_cso,
        agreement=agreement,
        participation=participation,
        violence=violence,
    )


def build_other_plan_line() -> BudgetLine:
    """A budget line of another plan's action: never linkable from this plan."""
    from tests.aggregation.conftest import build_world

    other = build_world(code="nap-other", country="MLI")
    output = node_create(
        plan=other.plan, code="OUTX", title="Output X", parent=other.outcomes["O1"]
    )
    action = node_create(plan=other.plan, code="AX", title="Other action", parent=output)
    return BudgetLine.objects.create(action=action, year=2025, funding_kind="donor", currency="XOF")
