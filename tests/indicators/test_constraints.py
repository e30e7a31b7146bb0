"""The database refuses rows that break the value rules, whoever writes them.

The importer (indicators/ingest.py) and plans.services refuse such rows with a readable
message before they reach the database; these tests save them directly through the ORM, as an
admin edit, a shell session or a future app would, and check that the named CHECK constraint
refuses each one. Run on SQLite and on PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from wpsmonitor.directory.models import Area
from wpsmonitor.directory.services import area_country_ensure
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    Baseline,
    Cell,
    DataValue,
    Indicator,
    IndicatorKind,
    Period,
    Source,
    Target,
    TimeRule,
)
from wpsmonitor.indicators.services import period_ensure, reference_data_ensure, scheme_ensure
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanKind
from wpsmonitor.plans.services import node_create, plan_create


@dataclass
class Ground:
    """One plan with a number and a percentage indicator, and the keys a row needs."""

    plan: Plan
    node: FrameworkNode
    number: Indicator
    percentage: Indicator
    period: Period
    area: Area
    cell: Cell
    source: Source

    def indicator(self, code: str, kind: str = IndicatorKind.NUMBER, **fields: Any) -> Indicator:
        return Indicator.objects.create(
            plan=self.plan,
            node=self.node,
            code=code,
            title=code,
            kind=kind,
            time_rule=TimeRule.SUM if kind == IndicatorKind.NUMBER else TimeRule.LAST,
            scheme=self.cell.scheme,
            frequency="year",
            **fields,
        )

    def value(self, indicator: Indicator, **figures: Any) -> DataValue:
        now = timezone.now()
        return DataValue.objects.create(
            indicator=indicator,
            period=self.period,
            area=self.area,
            cell=self.cell,
            source=self.source,
            created_at=now,
            updated_at=now,
            **figures,
        )

    def reference(self, model: type[Baseline] | type[Target], **figures: Any) -> Any:
        return model.objects.create(
            indicator=self.percentage,
            period=self.period,
            area=self.area,
            cell=self.cell,
            **figures,
        )


@pytest.fixture
def ground(db: None) -> Ground:
    reference_data_ensure()
    country = area_country_ensure("SEN")
    plan = plan_create(
        code="nap-rules",
        title="Rules",
        kind=PlanKind.NATIONAL,
        area=country,
        start=date(2024, 1, 1),
        end=date(2027, 12, 31),
    )
    node = node_create(plan=plan, code="PA", title="Participation")
    cell = Cell.objects.get(scheme=scheme_ensure(dimension_codes=[]), code="total")
    ground = Ground(
        plan=plan,
        node=node,
        number=Indicator(),
        percentage=Indicator(),
        period=period_ensure("2024"),
        area=country,
        cell=cell,
        source=Source.objects.get(code=GOVERNMENT_SOURCE),
    )
    ground.number = ground.indicator("N-1")
    ground.percentage = ground.indicator("P-1", IndicatorKind.PERCENTAGE, factor=100)
    return ground


def refused_by(constraint: str, write: Any) -> None:
    """`write()` fails in the database, on the named constraint (both engines name it)."""
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        write()
    assert constraint in str(refused.value)


def test_good_rows_pass(ground: Ground) -> None:
    narrative = ground.indicator("T-1", IndicatorKind.NARRATIVE)
    scale = ground.indicator("S-1", IndicatorKind.SCALE, scale_labels=["none", "draft", "law"])
    ground.value(ground.number, value=12)
    ground.value(ground.percentage, value=25.0, numerator=1, denominator=4)
    ground.value(narrative, text_value="The committee met twice.")
    ground.value(scale, value=2, text_value="Adopted in March.")
    ground.reference(Baseline, value=10)
    ground.reference(Target, value=30, numerator=3, denominator=10)
    ground.indicator("N-2", expected_min=-5, expected_max=5, factor=1)
    assert DataValue.objects.count() == 4
    assert Baseline.objects.count() == Target.objects.count() == 1


# (constraint, indicator kind, figures of the bad row): each breaks that one rule only.
BAD_VALUES = [
    ("datavalue_ratio_terms_together", "percentage", {"value": 30, "numerator": 3}),
    (
        "datavalue_numerator_not_negative",
        "percentage",
        {"value": -10, "numerator": -1, "denominator": 10},
    ),
    (
        "datavalue_denominator_positive",
        "percentage",
        {"value": 0, "numerator": 0, "denominator": 0},
    ),
    (
        "datavalue_numerator_within_denominator",
        "percentage",
        {"value": 125, "numerator": 5, "denominator": 4},
    ),
    (
        "datavalue_ratio_without_text",
        "percentage",
        {"value": 50, "numerator": 1, "denominator": 2, "text_value": "half"},
    ),
    ("datavalue_has_figure", "number", {"comment": "nothing to say"}),
    ("datavalue_figures_finite", "number", {"value": math.inf}),
    ("datavalue_figures_finite", "number", {"value": -math.inf}),
    (
        "datavalue_figures_finite",
        "percentage",
        {"value": 0, "numerator": 0, "denominator": math.inf},
    ),
]


@pytest.mark.parametrize(("constraint", "kind", "figures"), BAD_VALUES)
def test_a_bad_value_is_refused(
    ground: Ground, constraint: str, kind: str, figures: dict[str, Any]
) -> None:
    indicator = ground.percentage if kind == "percentage" else ground.number
    refused_by(constraint, lambda: ground.value(indicator, **figures))
    assert not DataValue.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite stores NaN as NULL: nothing to refuse"
)
def test_not_a_number_is_refused(ground: Ground) -> None:
    refused_by("datavalue_figures_finite", lambda: ground.value(ground.number, value=math.nan))


# (rule, figures of a bad baseline or target): each breaks that one rule only.
BAD_REFERENCES = [
    ("ratio_terms_together", {"value": 30, "denominator": 10}),
    ("numerator_not_negative", {"value": -10, "numerator": -1, "denominator": 10}),
    ("denominator_positive", {"value": 0, "numerator": 0, "denominator": -2}),
    ("numerator_within_denominator", {"value": 150, "numerator": 3, "denominator": 2}),
    ("has_figure", {"comment": "to be decided"}),
]


@pytest.mark.parametrize("model", [Baseline, Target])
@pytest.mark.parametrize(("rule", "figures"), BAD_REFERENCES)
def test_a_bad_baseline_or_target_is_refused(
    ground: Ground, model: type[Baseline] | type[Target], rule: str, figures: dict[str, Any]
) -> None:
    prefix = model.__name__.lower()
    refused_by(f"{prefix}_{rule}", lambda: ground.reference(model, **figures))
    assert not model.objects.exists()


def test_an_indicator_factor_must_be_positive(ground: Ground) -> None:
    refused_by(
        "indicator_factor_positive",
        lambda: ground.indicator("P-2", IndicatorKind.PERCENTAGE, factor=0),
    )


def test_an_indicator_expected_range_must_be_ordered(ground: Ground) -> None:
    refused_by(
        "indicator_expected_range_ordered",
        lambda: ground.indicator("N-3", expected_min=10, expected_max=5),
    )


def test_an_update_is_checked_too(ground: Ground) -> None:
    row = ground.value(ground.percentage, value=25.0, numerator=1, denominator=4)
    refused_by(
        "datavalue_numerator_within_denominator",
        lambda: DataValue.objects.filter(pk=row.pk).update(numerator=5),
    )
