"""The bounds of a disaggregation (indicators/limits.py), shared by every path that makes one,
and the rebuild at those bounds (issue 12: a dimension of 500 options imported, then crashed
the rebuild after the commit with "too many columns on agg_x0")."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from wpsmonitor.indicators import limits
from wpsmonitor.indicators.aggregation.dimensions import RebuildRefused
from wpsmonitor.indicators.models import (
    AggregateRun,
    Cell,
    Dimension,
    DimensionOption,
    DisaggregationScheme,
    SchemeDimension,
)
from wpsmonitor.indicators.services import (
    _cells_generate,
    dimension_ensure,
    scheme_ensure,
    scheme_set_dimensions,
)

from .conftest import World

pytestmark = pytest.mark.django_db


def _options(count: int, prefix: str = "o") -> list[tuple[str, str]]:
    return [(f"{prefix}{i}", f"Option {i}") for i in range(count)]


def test_a_dimension_of_too_many_options_is_refused_and_nothing_is_written(world) -> None:
    with pytest.raises(ValidationError) as refused:
        dimension_ensure(code="big", name="Big", options=_options(500))
    assert refused.value.messages == ["The dimension big would have 500 options; the limit is 100."]
    assert not Dimension.objects.filter(code="big").exists()
    dimension_ensure(code="big", name="Big", options=_options(100))
    with pytest.raises(ValidationError):  # one more, later, is refused as well
        dimension_ensure(code="big", name="Big", options=[("extra", "Extra")])
    assert DimensionOption.objects.filter(dimension__code="big").count() == 100


def test_an_option_added_to_a_dimension_in_use_is_checked_against_its_schemes(world) -> None:
    dimension_ensure(code="grade", name="Grade", options=_options(50, "g"))
    dimension_ensure(code="unit", name="Unit", options=_options(50, "u"))
    scheme = scheme_ensure(dimension_codes=["sex", "grade", "unit"])  # 2 x 50 x 50 = 5,000
    assert scheme.cells.count() == limits.SCHEME_MAX_CELLS
    with pytest.raises(ValidationError) as refused:
        dimension_ensure(code="grade", name="Grade", options=[("g50", "One more")])
    assert refused.value.messages == [
        "The disaggregation sex × grade × unit would have 5100 cells; the limit is 5000."
    ]
    assert scheme.cells.count() == limits.SCHEME_MAX_CELLS


def test_schemes_of_too_many_dimensions_or_cells_are_refused(world) -> None:
    for code in ("d1", "d2", "d3"):
        dimension_ensure(code=code, name=code, options=[("a", "A"), ("b", "B")])
    with pytest.raises(ValidationError) as refused:
        scheme_ensure(dimension_codes=["sex", "age", "disability", "d1", "d2", "d3"])
    assert refused.value.messages == [
        "A disaggregation by 6 dimensions (sex × age × disability × d1 × d2 × d3) is refused; "
        "the limit is 5."
    ]
    dimension_ensure(code="big", name="Big", options=_options(100))
    dimension_ensure(code="mid", name="Mid", options=_options(60, "m"))
    message = "The disaggregation big × mid would have 6000 cells; the limit is 5000."
    with pytest.raises(ValidationError) as refused:
        scheme_ensure(dimension_codes=["big", "mid"])
    assert refused.value.messages == [message]
    scheme = scheme_ensure(dimension_codes=["sex"])
    with pytest.raises(ValidationError) as refused:
        scheme_set_dimensions(scheme=scheme, dimension_codes=["big", "mid"])
    assert refused.value.messages == [message]
    assert scheme.cells.count() == 2
    assert not DisaggregationScheme.objects.filter(
        code__in=["big-mid", "sex-age-disability-d1-d2-d3"]
    ).exists()


def test_the_options_of_a_scheme_together_are_bounded() -> None:
    # Not reachable under the other bounds today (100 x 50 = 5,000 cells is 150 options): the
    # rebuild's own bound, kept should the others be raised.
    assert limits.scheme_refusal([("a", 100), ("b", 2), ("c", 2)]) is None
    refused = limits.scheme_refusal([("a", 100), ("b", 100), ("c", 1)])
    assert refused is not None and "cells" in refused
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(limits, "SCHEME_MAX_CELLS", 10**9)
        assert limits.scheme_refusal([("a", 100), ("b", 100), ("c", 1)]) == (
            "the dimensions of the disaggregation a × b × c have 201 options together; the "
            "limit is 200"
        )


@pytest.mark.slow
def test_the_widest_scheme_allowed_rebuilds(world: World) -> None:
    # 1 + 100 + 50 margins (151 slots, 613 columns): within PostgreSQL's 1,600.
    dimension_ensure(code="big", name="Big", options=_options(100))
    dimension_ensure(code="mid", name="Mid", options=_options(50, "m"))
    ind = world.indicator("WIDE", scheme=["big", "mid"])
    world.value(ind, "2024Q1", "N", 4, cell="big=o7;mid=m3")
    world.value(ind, "2024Q1", "N", 6, cell="big=o99;mid=m3")
    world.rebuild()
    assert world.v(ind, "2024Q1") == 10
    assert world.v(ind, "2024Q1", cell_key="mid=m3") == 10
    assert world.v(ind, "2024Q1", cell_key="big=o99") == 6


def test_a_scheme_beyond_the_bounds_made_around_the_services_is_refused_clearly(
    world: World,
) -> None:
    # A database from before the bounds (or the ORM used directly): the rebuild says what is
    # wrong instead of failing on "too many columns".
    ind = world.indicator("OLD", scheme=["sex"])
    world.value(ind, "2024Q1", "N", 3, cell="sex=F")
    dimension = Dimension.objects.create(code="huge", name="Huge")
    DimensionOption.objects.bulk_create(
        DimensionOption(dimension=dimension, code=f"h{i}", name=f"H{i}") for i in range(500)
    )
    scheme = DisaggregationScheme.objects.create(code="huge", name="Huge")
    SchemeDimension.objects.create(scheme=scheme, dimension=dimension)
    _cells_generate(scheme)
    assert Cell.objects.filter(scheme=scheme).count() == 500
    wide = world.indicator("WIDE", scheme="huge")
    world.value(wide, "2024Q1", "N", 1, cell="huge=h1")
    with pytest.raises(RebuildRefused) as refused:
        world.rebuild()
    message = (
        "the disaggregation huge has 500 options; the rebuild computes at most 200: split it "
        "into smaller disaggregations"
    )
    assert str(refused.value) == message
    assert AggregateRun.objects.get(plan=world.plan).error == message
