"""The indicator package adopted in one step (security.services.package_adopt): the right
indicators and dimensions, ranks under their category, women's share by rank derived; adopting
twice refused; wrong roles refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.security.conftest import SecurityWorld

from wpsmonitor.indicators.models import Dimension, Indicator, IndicatorKind
from wpsmonitor.plans.models import PlanKind
from wpsmonitor.plans.services import node_create, plan_create
from wpsmonitor.security import services
from wpsmonitor.security.models import PackageAdoption

pytestmark = pytest.mark.django_db

CODES = {
    "PNC-PERS",
    "PNC-PERS-W",
    "PNC-REC",
    "PNC-ATT",
    "PNC-CMD",
    "PNC-CMD-W",
    "PNC-GA-POSTS",
    "PNC-GA-FILLED",
    "PNC-GA-VACANT",
    "PNC-FAC",
}


def _dims(indicator: Indicator) -> list[str]:
    return list(
        indicator.scheme.schemedimension_set.order_by("order").values_list(
            "dimension__code", flat=True
        )
    )


def test_the_package_creates_the_nato_template(sw: SecurityWorld) -> None:
    institution = sw.institution()
    node = sw.world.outcomes["O3"]
    adoption = services.package_adopt(
        by=sw.users["coordinator"], institution=institution, node=node
    )
    found = {i.code: i for i in Indicator.objects.filter(plan=sw.plan, code__startswith="PNC-")}
    assert set(found) == CODES
    assert set(adoption.indicators.values_list("code", flat=True)) == CODES
    assert all(i.node_id == node.pk for i in found.values())
    assert all(i.responsible_organisation_id == sw.police.pk for i in found.values())
    personnel = found["PNC-PERS"]
    assert personnel.kind == IndicatorKind.NUMBER
    assert _dims(personnel) == ["sex", "security_service", "nato_rank"]
    # 2 sexes × 5 services × 6 ranks.
    assert personnel.scheme.cells.count() == 60
    # Ranks sit under their category.
    ranks = Dimension.objects.get(code="nato_rank")
    parents = dict(ranks.options.values_list("code", "parent__code"))
    assert parents["of_general"] == "officers"
    assert parents["or_senior"] == "ncos"
    assert parents["or_other"] == "other_ranks"
    assert {o.parent.dimension.code for o in ranks.options.all()} == {"nato_rank_category"}
    share = found["PNC-PERS-W"]
    assert share.kind == IndicatorKind.SHARE
    assert share.share_of_id == personnel.pk
    assert (share.share_dimension.code, share.share_option.code) == ("sex", "F")
    assert _dims(share) == ["nato_rank"]
    assert found["PNC-CMD-W"].share_of_id == found["PNC-CMD"].pk
    assert _dims(found["PNC-REC"]) == ["sex"] == _dims(found["PNC-ATT"])
    assert _dims(found["PNC-GA-POSTS"]) == ["gender_post", "post_level"]
    vacant = found["PNC-GA-VACANT"]
    assert vacant.kind == IndicatorKind.FORMULA
    assert vacant.numerator_formula == "{PNC-GA-POSTS} - {PNC-GA-FILLED}"


def test_womens_share_by_rank_is_derived_and_categories_add_up(sw: SecurityWorld) -> None:
    institution = sw.institution()
    services.package_adopt(
        by=sw.users["coordinator"], institution=institution, node=sw.world.outcomes["O3"]
    )
    personnel = Indicator.objects.get(plan=sw.plan, code="PNC-PERS")
    share = Indicator.objects.get(plan=sw.plan, code="PNC-PERS-W")
    figures = {
        ("F", "land", "of_general"): 1,
        ("M", "land", "of_general"): 9,
        ("F", "air", "of_junior"): 30,
        ("M", "air", "of_junior"): 30,
        ("F", "land", "or_other"): 10,
        ("M", "land", "or_other"): 90,
    }
    for (sex, service, rank), value in figures.items():
        sw.world.value(
            personnel,
            "2024",
            "N",
            value,
            cell=f"sex={sex};security_service={service};nato_rank={rank}",
        )
    sw.world.rebuild()
    assert sw.world.v(share, "2024", cell_key="nato_rank=of_general") == pytest.approx(10)
    assert sw.world.v(share, "2024", cell_key="nato_rank=of_junior") == pytest.approx(50)
    assert sw.world.v(share, "2024", cell_key="nato_rank=or_other") == pytest.approx(10)
    # 41 women of 170.
    assert sw.world.v(share, "2024") == pytest.approx(100 * 41 / 170)
    # The officers' total is derived from their ranks: 1 + 9 + 30 + 30.
    assert sw.world.v(personnel, "2024", cell_key="nato_rank_category=officers") == 70


def test_adopting_twice_is_refused(sw: SecurityWorld) -> None:
    institution = sw.institution()
    node = sw.world.outcomes["O3"]
    services.package_adopt(by=sw.users["coordinator"], institution=institution, node=node)
    before = Indicator.objects.count()
    with pytest.raises(ValidationError, match="already adopted"):
        services.package_adopt(by=sw.users["coordinator"], institution=institution, node=node)
    assert Indicator.objects.count() == before
    assert PackageAdoption.objects.count() == 1


def test_two_institutions_adopt_side_by_side(sw: SecurityWorld) -> None:
    node = sw.world.outcomes["O3"]
    for code, kind in (("PNC", "police"), ("FARDC", "army")):
        services.package_adopt(
            by=sw.users["coordinator"], institution=sw.institution(code, kind), node=node
        )
    assert Indicator.objects.filter(plan=sw.plan, code__startswith="FARDC-").count() == len(CODES)


def test_the_package_goes_on_the_internal_plan(sw: SecurityWorld) -> None:
    internal = plan_create(
        code="pnc-plan",
        title="Police internal plan",
        kind=PlanKind.INSTITUTIONAL,
        area=sw.plan.area,
        start=sw.plan.start,
        end=sw.plan.end,
        parent=sw.plan,
    )
    node = node_create(plan=internal, code="G", title="Gender")
    institution = services.institution_create(
        by=sw.users["coordinator"],
        plan=sw.plan,
        code="PNC",
        kind="police",
        organisation=sw.police,
        institutional_plan=internal,
    )
    services.package_adopt(by=sw.users["coordinator"], institution=institution, node=node)
    assert Indicator.objects.filter(plan=internal, code="PNC-PERS").exists()
    assert not Indicator.objects.filter(plan=sw.plan, code="PNC-PERS").exists()


def test_a_node_of_another_plan_is_refused(sw: SecurityWorld) -> None:
    other = plan_create(
        code="other",
        title="Other",
        kind=PlanKind.NATIONAL,
        area=sw.plan.area,
        start=sw.plan.start,
        end=sw.plan.end,
    )
    stray = node_create(plan=other, code="X", title="X")
    institution = sw.institution()
    for node in (stray, None):
        with pytest.raises(ValidationError) as caught:
            services.package_adopt(by=sw.users["coordinator"], institution=institution, node=node)
        assert "node" in caught.value.message_dict
    assert not Indicator.objects.filter(code__startswith="PNC-").exists()


def test_an_internal_plan_must_be_institutional_under_this_plan(sw: SecurityWorld) -> None:
    other = plan_create(
        code="other",
        title="Other",
        kind=PlanKind.NATIONAL,
        area=sw.plan.area,
        start=sw.plan.start,
        end=sw.plan.end,
    )
    with pytest.raises(ValidationError) as caught:
        services.institution_create(
            by=sw.users["coordinator"],
            plan=sw.plan,
            code="PNC",
            kind="police",
            organisation=sw.police,
            institutional_plan=other,
        )
    assert "institutional_plan" in caught.value.message_dict


@pytest.mark.parametrize("who", ["police_focal", "viewer", "outsider"])
def test_only_the_coordinator_adopts_and_creates(sw: SecurityWorld, who: str) -> None:
    institution = sw.institution()
    with pytest.raises(PermissionDenied):
        services.package_adopt(
            by=sw.users[who], institution=institution, node=sw.world.outcomes["O3"]
        )
    with pytest.raises(PermissionDenied):
        services.institution_create(
            by=sw.users[who], plan=sw.plan, code="X", kind="army", organisation=sw.army
        )
    assert not Indicator.objects.filter(code__startswith="PNC-").exists()


def test_bad_institution_input_is_refused_by_field(sw: SecurityWorld) -> None:
    sw.institution()
    with pytest.raises(ValidationError) as caught:
        services.institution_create(
            by=sw.users["coordinator"], plan=sw.plan, code="pnc", kind="navy", organisation=None
        )
    assert set(caught.value.message_dict) == {"code", "kind", "organisation"}
