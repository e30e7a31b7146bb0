"""The divergences within an area (`shadow.divergence.plan_divergences(within=...)`, which the
report reads): the pairs of that area and the areas below it, by the same rule as the whole
plan's, a civil-society roll-up still left out."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.publishing.conftest import ReleaseWorld
from tests.publishing.conftest import rw as rw  # noqa: F401  (the fixture)
from tests.publishing.figure_pages import add_small_totals

from wpsmonitor.directory.models import Area
from wpsmonitor.shadow.divergence import Divergence, plan_divergences


def _key(d: Divergence) -> tuple[object, ...]:
    return (d.indicator.code, d.area.code, d.source.code, d.government, d.civil_society, d.gap)


def test_the_pairs_within_an_area_are_the_whole_plan_s_there(rw: ReleaseWorld) -> None:
    add_small_totals(rw)
    whole = plan_divergences(rw.plan, "2025", limit=None)
    assert whole
    with CaptureQueriesContext(connection) as queries:
        at_plan = plan_divergences(rw.plan, "2025", limit=None, within=rw.plan.area)
    assert len(queries) <= 4
    assert list(map(_key, at_plan)) == list(map(_key, whole))
    province = Area.objects.get(code="SEN-P1")
    found = plan_divergences(rw.plan, "2025", limit=None, within=province)
    inside = [d for d in whole if d.area.path.startswith(province.path)]
    assert list(map(_key, found)) == list(map(_key, inside))
    # Civil society reported in the province's districts: the province's sum is not compared.
    assert {d.area.code for d in found} == {"SEN-D11", "SEN-D12"}
