"""A coordinator's formulas and shares cannot build on civil society's own indicators: naming a
draft one answers exactly as naming an indicator that does not exist, so nothing leaks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.shadow.conftest import Shadow

from wpsmonitor.indicators.models import IndicatorKind, TimeRule
from wpsmonitor.indicators.services import indicator_create
from wpsmonitor.plans.models import FrameworkNode


def _formula(shadow: Shadow, code: str, names: str):  # type: ignore[no-untyped-def]
    plan = shadow.cycle.plan
    return indicator_create(
        plan=plan,
        node=FrameworkNode.objects.get(plan=plan, code="P1.O1"),
        code=code,
        title="Derived",
        kind=IndicatorKind.FORMULA,
        time_rule=TimeRule.SUM,
        numerator_formula=names,
    )


@pytest.mark.parametrize("own", ["draft", "published"])
def test_a_formula_naming_an_own_indicator_is_refused_like_an_unknown_one(
    shadow: Shadow, own: str
) -> None:
    named = getattr(shadow, own).code
    with pytest.raises(ValidationError) as own_error:
        _formula(shadow, "DER-1", "{" + named + "}")
    with pytest.raises(ValidationError) as unknown_error:
        _formula(shadow, "DER-2", "{NO-SUCH}")
    assert own_error.value.messages == [
        m.replace("NO-SUCH", named) for m in unknown_error.value.messages
    ]
