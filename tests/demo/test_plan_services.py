"""The plan, framework, indicator, baseline and target services refuse what would be wrong."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.indicators.models import Baseline, Indicator, Target
from wpsmonitor.indicators.services import baseline_set, indicator_create, target_set
from wpsmonitor.plans.models import ActionStatus, FrameworkNode, Plan, PlanKind
from wpsmonitor.plans.services import (
    action_status_set,
    framework_levels_ensure,
    node_create,
    plan_create,
    plan_update,
)

pytestmark = pytest.mark.django_db


def _nap(code: str = "nap", **extra: object) -> Plan:
    fields: dict = {
        "code": code,
        "title": "National action plan",
        "kind": PlanKind.NATIONAL,
        "area": "COD",
        "start": date(2024, 1, 1),
        "end": date(2027, 12, 31),
        "languages": ["fr", "en"],
    }
    fields.update(extra)
    return plan_create(**fields)


def _action_tree(plan: Plan) -> FrameworkNode:
    node_create(plan=plan, code="P1", title="Participation", pillar_theme="participation")
    node_create(plan=plan, code="P1.1", title="Outcome", parent="P1")
    node_create(plan=plan, code="P1.1.1", title="Output", parent="P1.1")
    return node_create(
        plan=plan,
        code="P1.1.1.1",
        title="Train police",
        parent="P1.1.1",
        planned_start=date(2024, 1, 1),
        planned_end=date(2024, 12, 31),
        status=ActionStatus.ONGOING,
    )


def test_plan_gets_country_area_and_default_levels() -> None:
    plan = _nap()
    assert plan.area.code == "COD"
    assert plan.area.name == "Congo, The Democratic Republic of the"
    assert list(plan.levels.values_list("code", flat=True)) == [
        "pillar",
        "outcome",
        "output",
        "action",
    ]
    assert plan.languages == ["fr", "en"]


def test_plan_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="before it starts"):
        _nap(start=date(2025, 1, 1), end=date(2024, 12, 31))
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"kind": PlanKind.LOCAL, "parent": "no-such-plan"}, "Unknown plan"),
        ({"kind": PlanKind.LOCAL}, "needs its national plan"),
        ({"area": "XXX"}, "Unknown area"),
        ({"languages": ["french"]}, "ISO 639-1"),
        ({"lead_organisation": "nobody"}, "Unknown organisation"),
        ({"kind": "galactic"}, "Unknown plan kind"),
        ({"code": "has space"}, "letters, digits"),
        ({"title": "  "}, "needs a title"),
    ],
)
def test_plan_bad_input_is_refused(extra: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _nap(**extra)
    assert not Plan.objects.exists()


def test_local_plan_must_lie_within_its_parent_area() -> None:
    nap = _nap()
    lap = plan_create(
        code="lap-nk",
        title="Nord-Kivu",
        kind=PlanKind.LOCAL,
        parent=nap,
        area="CD-NK",
        start=date(2024, 1, 1),
        end=date(2026, 12, 31),
    )
    assert lap.area.parent == nap.area
    with pytest.raises(ValidationError, match="not within"):
        plan_create(
            code="lap-ke",
            title="Nairobi",
            kind=PlanKind.LOCAL,
            parent=nap,
            area="KE-30",
            start=date(2024, 1, 1),
            end=date(2026, 12, 31),
        )
    with pytest.raises(ValidationError, match="parent of a local"):
        plan_create(
            code="lap-under-lap",
            title="x",
            kind=PlanKind.LOCAL,
            parent=lap,
            area="CD-NK",
            start=date(2024, 1, 1),
            end=date(2026, 12, 31),
        )


def test_duplicate_plan_code_is_refused_and_update_is_checked() -> None:
    nap = _nap()
    with pytest.raises(ValidationError, match="already exists"):
        _nap()
    with pytest.raises(ValidationError, match="before it starts"):
        plan_update(plan=nap, end=date(2020, 1, 1))
    nap.refresh_from_db()
    assert nap.end == date(2027, 12, 31)
    plan_update(plan="nap", generation=3)
    assert Plan.objects.get(code="nap").generation == 3


def test_nodes_follow_the_levels_and_actions_validate_dates() -> None:
    plan = _nap()
    action = _action_tree(plan)
    assert action.level.holds_actions
    assert action.path.count("/") == 5  # four ids between slashes
    with pytest.raises(ValidationError, match="fewer levels"):
        node_create(plan=plan, code="too-deep", title="x", parent=action)
    with pytest.raises(ValidationError, match="Unknown framework node"):
        node_create(plan=plan, code="orphan", title="x", parent="P9")
    with pytest.raises(ValidationError, match="already has a node"):
        node_create(plan=plan, code="P1", title="again")
    with pytest.raises(ValidationError, match="belong to actions"):
        node_create(plan=plan, code="P2", title="x", planned_end=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="ends"):
        node_create(
            plan=plan,
            code="P1.1.1.2",
            title="x",
            parent="P1.1.1",
            planned_start=date(2025, 1, 1),
            planned_end=date(2024, 1, 1),
        )
    with pytest.raises(ValidationError, match="pillar theme"):
        node_create(plan=plan, code="P1.2", title="x", parent="P1", pillar_theme="protection")
    action_status_set(node=action, status=ActionStatus.COMPLETED)
    action.refresh_from_db()
    assert action.percent_complete == 100
    assert not action.is_delayed(date(2026, 11, 22))


def test_levels_cannot_change_once_nodes_exist() -> None:
    plan = _nap()
    framework_levels_ensure(plan=plan, levels=[("axis", "Axis", False), ("action", "Action", True)])
    assert plan.levels.count() == 2
    node_create(plan=plan, code="A1", title="Axis 1")
    with pytest.raises(ValidationError, match="already has nodes"):
        framework_levels_ensure(plan=plan)
    with pytest.raises(ValidationError, match="deepest"):
        framework_levels_ensure(plan=plan, levels=[("a", "A", True), ("b", "B", True)])


def test_partner_organisations_are_resolved_by_code() -> None:
    plan = _nap()
    Organisation.objects.create(code="un-women", name="UN Women", type=OrganisationType.UN)
    _action_tree(plan)
    node = node_create(
        plan=plan,
        code="P1.1.1.2",
        title="Fund CSOs",
        parent="P1.1.1",
        partner_organisations=["un-women"],
    )
    assert [o.code for o in node.partner_organisations.all()] == ["un-women"]
    with pytest.raises(ValidationError, match="Unknown organisation"):
        node_create(
            plan=plan, code="P1.1.1.3", title="x", parent="P1.1.1", partner_organisations=["?"]
        )


def test_indicator_kinds_are_validated() -> None:
    plan = _nap()
    _action_tree(plan)
    count = indicator_create(
        plan=plan,
        node="P1.1",
        code="IND-1",
        title="Police officers",
        kind="number",
        time_rule="last",
        scheme=["sex"],
        references=["sdg:5.5.1a"],
    )
    assert count.scheme.code == "sex"
    assert [str(r) for r in count.references.all()] == ["sdg:5.5.1a"]
    share = indicator_create(
        plan=plan,
        node="P1.1",
        code="IND-2",
        title="Women's share",
        kind="share",
        time_rule="last",
        share_of="IND-1",
        share_dimension="sex",
        share_option="F",
    )
    assert share.scheme.code == "none" and share.factor == 100
    cases = [
        ({"kind": "yes_no", "time_rule": "sum"}, "cannot be summed"),
        ({"kind": "narrative", "time_rule": "last"}, "rule: none"),
        ({"kind": "scale", "time_rule": "last", "scale_labels": ["only one"]}, "two"),
        ({"kind": "formula", "time_rule": "sum", "numerator_formula": "{NOPE}"}, "unknown"),
        ({"kind": "formula", "time_rule": "sum", "numerator_formula": "12"}, "braces"),
        ({"kind": "share", "time_rule": "last", "share_of": "IND-1"}, "names its source"),
        (
            {
                "kind": "share",
                "time_rule": "last",
                "share_of": "IND-1",
                "share_dimension": "age",
                "share_option": "18-29",
            },
            "not disaggregated by age",
        ),
        ({"kind": "number", "time_rule": "sum", "scheme": ["caste"]}, "Unknown dimension"),
        ({"kind": "number", "time_rule": "sum", "references": ["sdg:99.9"]}, "Unknown global"),
        ({"kind": "number", "time_rule": "forever"}, "Unknown rule"),
    ]
    for extra, message in cases:
        with pytest.raises(ValidationError, match=message):
            indicator_create(plan=plan, node="P1.1", code="BAD", title="Bad", **extra)
    assert not Indicator.objects.filter(code="BAD").exists()


def test_baselines_and_targets_are_upserted_and_checked() -> None:
    plan = _nap()
    _action_tree(plan)
    pct = indicator_create(
        plan=plan,
        node="P1.1",
        code="PCT",
        title="Share of cases prosecuted",
        kind="percentage",
        time_rule="sum",
    )
    trained = indicator_create(
        plan=plan,
        node="P1.1",
        code="TRAINED",
        title="People trained",
        kind="number",
        time_rule="sum",
        scheme=["sex", "age"],
    )
    baseline_set(indicator=pct, period="2023", numerator=12, denominator=48)
    assert Baseline.objects.get(indicator=pct).value == pytest.approx(25.0)
    target_set(indicator=pct, period="2027", value=40)
    target_set(indicator=pct, period="2027", value=45)
    assert Target.objects.get(indicator=pct).value == 45
    target_set(indicator=trained, period="2025", value=300, cell="age=18-29; sex=F")
    target_set(indicator=trained, period="2025", value=900)
    cells = set(Target.objects.filter(indicator=trained).values_list("cell__code", flat=True))
    assert cells == {"sex=F;age=18-29", "total"}
    bad = [
        ({"indicator": pct, "period": "2030", "value": 10}, "outside the plan"),
        ({"indicator": pct, "period": "2025", "numerator": 5, "denominator": 4}, "above"),
        ({"indicator": pct, "period": "2025", "value": 140}, "between 0 and 100"),
        ({"indicator": pct, "period": "2025Q5", "value": 10}, "not a period code"),
        ({"indicator": trained, "period": "2025", "value": 1, "cell": "sex=X;age=18-29"}, "not in"),
        ({"indicator": trained, "period": "2025", "value": 1, "cell": "sex=F"}, "missing"),
        ({"indicator": trained, "period": "2025", "value": 1, "area": "KEN"}, "outside plan"),
        ({"indicator": trained, "period": "2025"}, "Give a value"),
    ]
    for kwargs, message in bad:
        with pytest.raises(ValidationError, match=message):
            target_set(**kwargs)
