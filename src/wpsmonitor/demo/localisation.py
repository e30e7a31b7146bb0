"""The demo's third local plan, Kinshasa's, made by copy-down from the national plan through
the service the site's copy-down page calls (docs/localisation.md): the participation outcome,
its output on provincial institutions with their actions, and two of its indicators. Then
adapted as a provincial secretariat would: the city hall responsible for its actions, with
a youth organisation as partner. Its
figures are the national plan's Kinshasa figures of the same indicators, as the provincial
secretariat reports them to its own plan too; the roll-up on the national plan reads them."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.models import DataValue, ImportBatch, Indicator
from wpsmonitor.localisation.services import local_plan_copy_down
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.services import node_update, plan_update

KN_CODE = "demo-cod-kn-lap"
KN_TITLE = "Demo: Kinshasa Local Action Plan on UNSCR 1325 (2024-2027)"
NODES = ("PAR.1", "PAR.1.2", "PAR.1.2.1", "PAR.1.2.2")
INDICATORS = ("PAR-03", "PAR-09")


def load(
    nap: Plan, orgs: dict[str, Organisation], areas: dict[str, Area], user: User, notice: str
) -> Plan:
    made = local_plan_copy_down(
        by=user,
        national=nap,
        code=KN_CODE,
        title=KN_TITLE,
        area=areas["CD-KN"],
        nodes=list(FrameworkNode.objects.filter(plan=nap, code__in=NODES)),
        indicators=list(Indicator.objects.filter(plan=nap, code__in=INDICATORS)),
        lead_organisation=orgs["demo-gouv-kn"],
    )
    plan = plan_update(
        plan=made.plan,
        generation=1,
        adopted_on=date(2024, 9, 12),
        status="implementation",
        description=notice,
        coordination_mechanism=(
            "The Kinshasa steering committee, chaired by the provincial minister in charge of "
            "gender, meets every quarter with the communes' focal points and civil society."
        ),
    )
    # Adapted: the city hall answers for the local actions, with a youth organisation.
    for action in FrameworkNode.objects.filter(plan=plan, level__holds_actions=True):
        node_update(
            node=action,
            responsible_organisation=orgs["demo-gouv-kn"],
            partner_organisations=[orgs["demo-jpe"]],
        )
    _figures_copy(nap, plan, areas["CD-KN"], user)
    return plan


def _figures_copy(nap: Plan, plan: Plan, area: Area, user: User) -> None:
    """The local indicators' figures: the national plan's Kinshasa figures of what they
    localise, reported by the same secretariat."""
    batch = ImportBatch.objects.create(
        kind="demo", filename="wpsmonitor demo (Kinshasa)", user=user
    )
    local = {i.source_indicator_id: i for i in Indicator.objects.filter(plan=plan)}
    rows = []
    for value in DataValue.objects.filter(indicator_id__in=list(local), area=area):
        value.pk = None
        value.indicator = local[value.indicator_id]
        value.batch = batch
        rows.append(value)
    DataValue.objects.bulk_create(rows)
    batch.rows = batch.created = len(rows)
    batch.finished_at = batch.started_at
    batch.save()
