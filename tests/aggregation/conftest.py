"""A small world for the computation tests: a country with two provinces and three districts,
a plan with two pillars, and helpers to store values directly (no importer involved)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from wpsmonitor.directory.models import Area
from wpsmonitor.directory.services import area_country_ensure, area_subdivision_ensure
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateValue,
    DataValue,
    Indicator,
    IndicatorKind,
    ListItem,
    NodeProgress,
    Source,
    SourceKind,
    TimeRule,
)
from wpsmonitor.indicators.services import (
    dimension_ensure,
    indicator_create,
    period_ensure,
    reference_data_ensure,
    scheme_ensure,
)
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanKind
from wpsmonitor.plans.services import node_create, plan_create

CSO = "cso-watch"


@dataclass
class World:
    """Areas: N (country) > P1 > D11, D12;  N > P2 > D21."""

    plan: Plan
    areas: dict[str, Area]
    pillars: dict[str, FrameworkNode]
    outcomes: dict[str, FrameworkNode]
    sources: dict[str, Source]
    counter: list[int] = field(default_factory=lambda: [0])

    def indicator(
        self,
        code: str,
        *,
        kind: str = IndicatorKind.NUMBER,
        time_rule: str = TimeRule.SUM,
        scheme: list[str] | None = None,
        node: str = "O1",
        **kwargs: Any,
    ) -> Indicator:
        return indicator_create(
            plan=self.plan,
            node=self.outcomes[node],
            code=code,
            title=f"Indicator {code}",
            kind=kind,
            time_rule=time_rule,
            scheme=scheme or [],
            **kwargs,
        )

    def value(
        self,
        indicator: Indicator,
        period: str,
        area: str = "N",
        value: float | None = None,
        *,
        cell: str = "total",
        source: str = GOVERNMENT_SOURCE,
        numerator: float | None = None,
        denominator: float | None = None,
    ) -> DataValue:
        now = timezone.now()
        return DataValue.objects.create(
            indicator=indicator,
            period=period_ensure(period),
            area=self.areas[area],
            cell=indicator.scheme.cells.get(code=cell),
            source=self.sources[source],
            value=value,
            numerator=numerator,
            denominator=denominator,
            created_at=now,
            updated_at=now,
        )

    def item(self, indicator: Indicator, period: str, area: str = "N", **kw: Any) -> ListItem:
        self.counter[0] += 1
        return ListItem.objects.create(
            indicator=indicator,
            period=period_ensure(period),
            area=self.areas[area],
            source=self.sources[kw.get("source", GOVERNMENT_SOURCE)],
            title=f"Law {self.counter[0]}",
        )

    def rebuild(self) -> int:
        return rebuild_plan_aggregates(self.plan)

    def agg(
        self,
        indicator: Indicator,
        period: str,
        area: str = "N",
        *,
        cell_key: str = "",
        source: str = GOVERNMENT_SOURCE,
    ) -> AggregateValue | None:
        return AggregateValue.objects.filter(
            indicator=indicator,
            period_code=period,
            area=self.areas[area],
            cell_key=cell_key,
            source__code=source,
        ).first()

    def v(self, indicator: Indicator, period: str, area: str = "N", **kw: Any) -> float | None:
        row = self.agg(indicator, period, area, **kw)
        return None if row is None else row.value

    def node_progress(
        self, node: str | None, period: str = "ALL", area: str = "N"
    ) -> NodeProgress | None:
        node_obj = (self.pillars | self.outcomes)[node] if node else None
        return NodeProgress.objects.filter(
            plan=self.plan,
            node=node_obj,
            period_code=period,
            area=self.areas[area],
            source__code=GOVERNMENT_SOURCE,
        ).first()


def build_world(code: str = "nap-test", country: str = "SEN") -> World:
    reference_data_ensure()
    dimension_ensure(
        code="rank",
        name="Police rank",
        options=[("constable", "Constable"), ("inspector", "Inspector")],
    )
    scheme_ensure(dimension_codes=["sex", "rank"])
    n = area_country_ensure(country)
    p1 = area_subdivision_ensure(parent=n, code=f"{country}-P1", name="Province 1")
    p2 = area_subdivision_ensure(parent=n, code=f"{country}-P2", name="Province 2")
    d11 = area_subdivision_ensure(parent=p1, code=f"{country}-D11", name="District 11", depth=3)
    d12 = area_subdivision_ensure(parent=p1, code=f"{country}-D12", name="District 12", depth=3)
    d21 = area_subdivision_ensure(parent=p2, code=f"{country}-D21", name="District 21", depth=3)
    plan = plan_create(
        code=code,
        title="Test NAP",
        kind=PlanKind.NATIONAL,
        area=n,
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
    )
    pillars = {
        "PA": node_create(plan=plan, code="PA", title="Participation"),
        "PR": node_create(plan=plan, code="PR", title="Protection"),
    }
    outcomes = {
        "O1": node_create(plan=plan, code="O1", title="Outcome 1", parent=pillars["PA"]),
        "O2": node_create(plan=plan, code="O2", title="Outcome 2", parent=pillars["PA"]),
        "O3": node_create(plan=plan, code="O3", title="Outcome 3", parent=pillars["PR"]),
    }
    cso, _created = Source.objects.get_or_create(
        code=CSO, defaults={"kind": SourceKind.CIVIL_SOCIETY, "name": "Women's watch"}
    )
    return World(
        plan=plan,
        areas={"N": n, "P1": p1, "P2": p2, "D11": d11, "D12": d12, "D21": d21},
        pillars=pillars,
        outcomes=outcomes,
        sources={GOVERNMENT_SOURCE: Source.objects.get(code=GOVERNMENT_SOURCE), CSO: cso},
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()
