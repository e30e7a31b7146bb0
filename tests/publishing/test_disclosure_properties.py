"""Property-based tests of disclosure control: no suppressed cell can be recovered by differencing.

Hypothesis generates 2- and 3-dimensional tables with their margins and grand total, area
trees of several levels (parent = sum of its children), a year with its quarters, and their
combinations (a table per area and period, summed up the tree and over the year); the engine
protects them; an independent exact solver (tables.recoverable, rational Gaussian elimination
over the published relations) finds no suppressed cell it can recover.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.publishing.tables import Shape, area_trees, build, counts, recoverable

from wpsmonitor.publishing.disclosure import Cell, Rule, protect

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(cells: list[Cell], relations: list, *, zeros_safe: bool) -> None:
    protection = protect(cells, relations, zeros_safe=zeros_safe)
    assert not protection.problems
    for cell in cells:
        found = protection.suppressed.get(cell.id)
        assert cell.value is not None
        small = cell.value < cell.threshold and not (zeros_safe and cell.value == 0)
        if small:  # every primary cell is suppressed, by the primary rule
            assert found is not None and found.rule in (Rule.SMALL, Rule.ZERO), cell
        elif found is not None:  # no cell at or above the threshold is suppressed primarily
            assert found.rule == Rule.COMPLEMENT, cell
    assert recoverable(cells, relations, protection) == set()


shapes_2d = st.tuples(st.integers(2, 4), st.integers(2, 4))
shapes_3d = st.tuples(st.integers(2, 3), st.integers(2, 3), st.integers(2, 3))


@PROPERTY
@given(
    dims=st.one_of(shapes_2d, shapes_3d),
    leaves=st.lists(counts, min_size=1, max_size=40),
    threshold=st.sampled_from([3, 5, 10]),
    zeros_safe=st.booleans(),
)
def test_a_table_and_its_margins(
    dims: tuple[int, ...], leaves: list[int], threshold: int, zeros_safe: bool
) -> None:
    cells, relations = build(Shape(dims, {}, False), leaves, threshold=threshold)
    _check(cells, relations, zeros_safe=zeros_safe)


@PROPERTY
@given(
    tree=area_trees(max_levels=3),
    leaves=st.lists(counts, min_size=1, max_size=20),
    threshold=st.sampled_from([3, 5]),
    zeros_safe=st.booleans(),
)
def test_an_area_tree(
    tree: dict[int, tuple[int, ...]], leaves: list[int], threshold: int, zeros_safe: bool
) -> None:
    cells, relations = build(Shape((), tree, False), leaves, threshold=threshold)
    _check(cells, relations, zeros_safe=zeros_safe)


@PROPERTY
@given(
    leaves=st.lists(counts, min_size=4, max_size=4),
    threshold=st.sampled_from([3, 5, 10]),
    zeros_safe=st.booleans(),
)
def test_the_quarters_of_a_year(leaves: list[int], threshold: int, zeros_safe: bool) -> None:
    cells, relations = build(Shape((), {}, True), leaves, threshold=threshold)
    _check(cells, relations, zeros_safe=zeros_safe)


@settings(PROPERTY, max_examples=100)
@given(
    dims=st.one_of(st.tuples(st.integers(2, 3)), st.tuples(st.integers(2, 3), st.integers(2, 3))),
    tree=area_trees(max_levels=2, max_children=3),
    quarters=st.booleans(),
    leaves=st.lists(counts, min_size=1, max_size=30),
    threshold=st.sampled_from([3, 5]),
    zeros_safe=st.booleans(),
)
def test_a_table_per_area_and_period_summed_up_the_tree(
    dims: tuple[int, ...],
    tree: dict[int, tuple[int, ...]],
    quarters: bool,
    leaves: list[int],
    threshold: int,
    zeros_safe: bool,
) -> None:
    cells, relations = build(Shape(dims, tree, quarters), leaves, threshold=threshold)
    _check(cells, relations, zeros_safe=zeros_safe)


@PROPERTY
@given(
    dims=shapes_2d,
    leaves=st.lists(counts, min_size=1, max_size=16),
    sensitive=st.lists(st.booleans(), min_size=1, max_size=30),
)
def test_public_cells_are_never_primary_but_may_be_complements(
    dims: tuple[int, ...], leaves: list[int], sensitive: list[bool]
) -> None:
    cells, relations = build(Shape(dims, {}, False), leaves, threshold=5)
    cells = [
        Cell(c.id, c.value, sensitive=sensitive[i % len(sensitive)], threshold=5)
        for i, c in enumerate(cells)
    ]
    protection = protect(cells, relations)
    for cell in cells:
        found = protection.suppressed.get(cell.id)
        if not cell.sensitive:
            assert found is None or found.rule == Rule.COMPLEMENT
    assert not protection.problems
    assert recoverable(cells, relations, protection) == set()
