"""Copy-down: a local plan made from its national plan keeps every link, takes the national
plan's languages and levels, and is all or nothing; only the national coordinators (and the
administrator) make one."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wpsmonitor.accounts.models import PlanRole, Role, RoleEvent
from wpsmonitor.indicators.models import Indicator, Target
from wpsmonitor.localisation.services import local_plan_copy_down
from wpsmonitor.plans.models import FrameworkNode, Plan

from .conftest import Built, user

pytestmark = pytest.mark.django_db


def test_copied_nodes_and_indicators_keep_their_links(built: Built) -> None:
    p1 = built.p1_plan
    assert (p1.kind, p1.parent, p1.area.code) == ("local", built.nap, "COD-P1")
    assert (p1.languages, p1.original_language) == (["fr", "en"], "fr")
    assert (p1.start, p1.end) == (date(2024, 1, 1), date(2026, 12, 31))
    assert list(p1.levels.values_list("code", flat=True)) == list(
        built.nap.levels.values_list("code", flat=True)
    )
    # The chosen action and outcome bring their ancestors; nothing else is copied.
    copied = {n.code: n for n in FrameworkNode.objects.filter(plan=p1).select_related("parent")}
    assert set(copied) == {"PAR", "PAR.1", "PAR.1.1", "PAR.1.1.1", "PRO", "PRO.1"}
    for code, node in copied.items():
        assert node.source_node == built.nodes[code]
    assert copied["PAR.1.1.1"].parent == copied["PAR.1.1"]
    assert copied["PAR.1.1.1"].responsible_organisation is None  # the local plan names its own
    indicators = {i.code: i for i in Indicator.objects.filter(plan=p1)}
    assert set(indicators) == {"CNT", "PCT", "LVL", "RES"}
    for code, indicator in indicators.items():
        assert indicator.source_indicator == built.indicators[code]
        assert indicator.node == copied[built.indicators[code].node.code]
    assert indicators["RES"].sensitivity == "restricted"  # the reading rules travel with it
    # A percentage's national target is the province's too; a count's is the country's.
    assert list(Target.objects.filter(indicator=indicators["PCT"]).values_list("value", "area"))
    assert [(t.value, t.area_id) for t in Target.objects.filter(indicator=indicators["PCT"])] == [
        (40.0, p1.area_id)
    ]
    assert not Target.objects.filter(indicator=indicators["CNT"]).exists()


def test_the_maker_becomes_coordinator_of_the_local_plan(built: Built) -> None:
    coord = built.users["coord"]
    assert PlanRole.objects.filter(user=coord, plan=built.p1_plan, role=Role.COORDINATOR).exists()
    event = RoleEvent.objects.get(plan=built.p1_plan, user=coord)
    assert "nap-lo" in event.reason


def test_a_viewer_or_a_stranger_cannot_copy_down(built: Built) -> None:
    before = Plan.objects.count()
    for name in ("viewer", "stranger"):
        with pytest.raises(PermissionDenied):
            local_plan_copy_down(
                by=built.users[name],
                national=built.nap,
                code="lap-p3",
                title="P3",
                area=built.provinces["P3"],
                nodes=[built.nodes["PAR"]],
            )
    # Nor the coordinator of a local plan, from it.
    with pytest.raises(PermissionDenied):
        local_plan_copy_down(
            by=built.users["coord"],
            national=built.p1_plan,
            code="lap-p3",
            title="P3",
            area=built.provinces["P3"],
            nodes=list(built.p1_plan.nodes.all()[:1]),
        )
    assert Plan.objects.count() == before


def test_the_administrator_copies_down_without_taking_a_role(built: Built) -> None:
    admin = user("root", is_superuser=True, is_staff=True)
    made = local_plan_copy_down(
        by=admin,
        national=built.nap,
        code="lap-p3",
        title="P3",
        area=built.provinces["P3"],
        nodes=[built.nodes["PRO.1.1.1"]],
    )
    assert made.nodes == 4 and made.indicators == 0
    assert not PlanRole.objects.filter(plan=made.plan).exists()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("formula", "computed from other indicators"),
        ("outside", "not within the parent plan's area"),
        ("duplicate", "already exists"),
        ("empty", "at least one"),
        ("foreign", "of this plan"),
    ],
)
def test_nothing_is_half_made_on_refusal(built: Built, case: str, message: str) -> None:
    counts = (Plan.objects.count(), FrameworkNode.objects.count(), Indicator.objects.count())
    roles = PlanRole.objects.count()
    kwargs = {
        "by": built.users["coord"],
        "national": built.nap,
        "code": "lap-p3",
        "title": "P3",
        "area": built.provinces["P3"],
        "nodes": [built.nodes["PAR"]],
        "indicators": [built.indicators["CNT"]],
    }
    if case == "formula":
        # The nodes and the first indicator would be made before the refusal: rolled back.
        kwargs["indicators"] = [built.indicators["CNT"], built.indicators["FRM"]]
    elif case == "outside":
        kwargs["area"] = _other_country()
    elif case == "duplicate":
        kwargs["code"] = "lap-p1"
    elif case == "empty":
        kwargs["nodes"], kwargs["indicators"] = [], []
    elif case == "foreign":
        kwargs["nodes"] = list(built.p1_plan.nodes.all()[:1])
    with pytest.raises(ValidationError) as refused:
        local_plan_copy_down(**kwargs)  # type: ignore[arg-type]
    assert message in " ".join(refused.value.messages)
    assert (Plan.objects.count(), FrameworkNode.objects.count(), Indicator.objects.count()) == (
        counts
    )
    assert PlanRole.objects.count() == roles


def _other_country():  # type: ignore[no-untyped-def]
    from wpsmonitor.directory.services import area_country_ensure

    return area_country_ensure("UGA")


def test_copies_are_adapted_with_the_edit_services(built: Built) -> None:
    from wpsmonitor.indicators.services import indicator_update, target_set
    from wpsmonitor.plans.services import node_create, node_update

    local = FrameworkNode.objects.get(plan=built.p1_plan, code="PAR.1.1.1")
    node_update(node=local, title="Former les élues de P1", responsible_organisation=built.city)
    node_create(plan=built.p1_plan, code="P1.X", title="Action locale", parent="PAR.1.1")
    cnt = Indicator.objects.get(plan=built.p1_plan, code="CNT")
    indicator_update(indicator=cnt, definition="Élues de la province")
    target_set(indicator=cnt, period="2026", value=12)
    local.refresh_from_db()
    assert local.title == "Former les élues de P1" and local.responsible_organisation == built.city
    assert local.source_node == built.nodes["PAR.1.1.1"]  # the link stays
    # Local changes offer nothing to anyone.
    from wpsmonitor.plans.models import LocalisationProposal

    assert not LocalisationProposal.objects.exists()
