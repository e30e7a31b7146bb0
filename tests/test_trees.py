"""Areas and framework nodes are one kind of tree (core.trees.MaterialisedPath): each row's path
holds its ancestors' ids, and moving a row carries its whole subtree along, so that a prefix
query (`path__startswith`) keeps finding every descendant."""

from __future__ import annotations

from datetime import date

import pytest

from wpsmonitor.directory.models import Area, AreaLevel
from wpsmonitor.plans.models import FrameworkNode, PlanKind
from wpsmonitor.plans.services import node_create, plan_create

pytestmark = pytest.mark.django_db


def _paths_agree_with_parents(rows: list[Area] | list[FrameworkNode]) -> None:
    for row in rows:
        parent_path = row.parent.path if row.parent else "/"
        assert row.path == f"{parent_path}{row.pk}/", row


def test_moving_an_area_carries_its_subtree() -> None:
    level = AreaLevel.objects.create(depth=1, name="Province")
    north = Area.objects.create(code="T-N", name="North", level=level)
    south = Area.objects.create(code="T-S", name="South", level=level)
    district = Area.objects.create(code="T-D", name="District", level=level, parent=north)
    village = Area.objects.create(code="T-V", name="Village", level=level, parent=district)

    district.parent = south
    district.save()

    village.refresh_from_db()
    assert village.path == f"/{south.pk}/{district.pk}/{village.pk}/"
    assert village.ancestor_ids == [south.pk, district.pk, village.pk]
    assert set(Area.objects.filter(path__startswith=south.path)) == {south, district, village}
    assert set(Area.objects.filter(path__startswith=north.path)) == {north}
    _paths_agree_with_parents(list(Area.objects.filter(code__startswith="T-")))


def test_moving_a_framework_node_carries_its_subtree() -> None:
    plan = plan_create(
        code="tree",
        title="Tree plan",
        kind=PlanKind.NATIONAL,
        area="COD",
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
    )
    first = node_create(plan=plan, code="P1", title="Participation")
    second = node_create(plan=plan, code="P2", title="Protection")
    outcome = node_create(plan=plan, code="P1.1", title="Outcome", parent="P1")
    output = node_create(plan=plan, code="P1.1.1", title="Output", parent="P1.1")

    outcome.parent = second
    outcome.save()

    output.refresh_from_db()
    assert output.path == f"/{second.pk}/{outcome.pk}/{output.pk}/"
    under_second = FrameworkNode.objects.filter(path__startswith=second.path)
    assert set(under_second) == {second, outcome, output}
    assert set(FrameworkNode.objects.filter(path__startswith=first.path)) == {first}
    _paths_agree_with_parents(list(FrameworkNode.objects.filter(plan=plan)))
