"""Stable suppression across releases: a reader holding two releases recovers no hidden cell.

Hypothesis generates a table (margins, an area tree, the quarters of a year), protects it as
release 1, corrects some of its finest figures (every sum above them follows), and protects
the corrected table as release 2 with release 1 as its previous release. The independent
solver (tables.recoverable) then reads the union of both releases as a reader holding both
does: the published figures of each, the relations of each, one unknown for a cell whose value
did not change (its equations combine), two unknowns for a cell that changed. It finds no
hidden cell of either release.
"""

from __future__ import annotations

from collections.abc import Hashable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.publishing.tables import Shape, area_trees, build, counts, recoverable

from wpsmonitor.publishing.disclosure import (
    Cell,
    Flag,
    Previous,
    Protection,
    Relation,
    Rule,
    Suppression,
    protect,
)

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _union(
    first: tuple[list[Cell], list[Relation], Protection],
    second: tuple[list[Cell], list[Relation], Protection],
) -> tuple[list[Cell], list[Relation], Protection]:
    """Both releases as one system: unchanged cells shared, changed ones twice (1, id), (2, id)."""
    (cells1, rels1, prot1), (cells2, rels2, prot2) = first, second
    before = {c.id: c.value for c in cells1}
    after = {c.id: c.value for c in cells2}
    same = {i for i in before if i in after and before[i] == after[i]}

    def name(release: int, cell: Hashable) -> Hashable:
        return cell if cell in same else (release, cell)

    cells: dict[Hashable, Cell] = {}
    hidden: dict[Hashable, Suppression] = {}
    for release, table, protection in ((1, cells1, prot1), (2, cells2, prot2)):
        for cell in table:
            cells[name(release, cell.id)] = Cell(name(release, cell.id), cell.value)
            if cell.id in protection.suppressed:
                hidden[name(release, cell.id)] = Suppression(cell.id, Rule.SMALL)
    relations = [
        Relation(name(release, r.total), tuple(name(release, p) for p in r.parts))
        for release, rels in ((1, rels1), (2, rels2))
        for r in rels
    ]
    return list(cells.values()), relations, Protection(hidden, (), relations)


def _two_releases(
    shape: Shape,
    leaves: list[int],
    corrections: list[tuple[int, int]],
    threshold: int,
    zeros_safe: bool,
) -> None:
    cells1, rels1 = build(shape, leaves, threshold=threshold)
    prot1 = protect(cells1, rels1, zeros_safe=zeros_safe)
    corrected = list(leaves)
    for index, value in corrections:
        corrected[index % len(corrected)] = value
    cells2, rels2 = build(shape, corrected, threshold=threshold)
    prot2 = protect(
        cells2, rels2, zeros_safe=zeros_safe, previous=Previous(cells1, rels1, prot1.suppressed)
    )
    assert not prot1.problems
    assert not prot2.problems
    before = {c.id: c.value for c in cells1}
    for cell in cells2:
        small = cell.value is not None and cell.value < threshold
        small = small and not (zeros_safe and cell.value == 0)
        found = prot2.suppressed.get(cell.id)
        if small:
            assert found is not None and found.flag == Flag.PRIMARY
        if before[cell.id] == cell.value:
            # Unchanged: hidden in release 2 exactly when it was in release 1.
            assert (found is not None) == (cell.id in prot1.suppressed), cell
            if found is not None and not small:
                assert found.rule in (Rule.KEPT, Rule.COMPLEMENT), found
    union = _union((cells1, rels1, prot1), (cells2, rels2, prot2))
    assert recoverable(*union) == set()


@PROPERTY
@given(
    dims=st.one_of(
        st.tuples(st.integers(2, 3), st.integers(2, 3)),
        st.tuples(st.integers(2, 3), st.integers(2, 3), st.integers(2, 2)),
    ),
    leaves=st.lists(counts, min_size=1, max_size=30),
    corrections=st.lists(st.tuples(st.integers(0, 29), counts), min_size=1, max_size=3),
    threshold=st.sampled_from([3, 5]),
    zeros_safe=st.booleans(),
)
def test_a_table_corrected_between_releases(
    dims: tuple[int, ...],
    leaves: list[int],
    corrections: list[tuple[int, int]],
    threshold: int,
    zeros_safe: bool,
) -> None:
    _two_releases(Shape(dims, {}, False), leaves, corrections, threshold, zeros_safe)


@PROPERTY
@given(
    tree=area_trees(max_levels=2),
    dims=st.sampled_from([(), (2,), (2, 2)]),
    quarters=st.booleans(),
    leaves=st.lists(counts, min_size=1, max_size=20),
    corrections=st.lists(st.tuples(st.integers(0, 19), counts), min_size=1, max_size=2),
    threshold=st.sampled_from([3, 5]),
    zeros_safe=st.booleans(),
)
def test_areas_and_quarters_corrected_between_releases(
    tree: dict[int, tuple[int, ...]],
    dims: tuple[int, ...],
    quarters: bool,
    leaves: list[int],
    corrections: list[tuple[int, int]],
    threshold: int,
    zeros_safe: bool,
) -> None:
    _two_releases(Shape(dims, tree, quarters), leaves, corrections, threshold, zeros_safe)


def test_the_complement_of_release_1_stays_hidden() -> None:
    """The issue's example: release 2 may not publish the complement that hid X in release 1."""
    # T = X + Y + Z, X small; a corrected W elsewhere makes no difference to this table.
    cells1 = [Cell("T", 30), Cell("X", 2, True), Cell("Y", 12), Cell("Z", 16)]
    rels = [Relation("T", ("X", "Y", "Z"), "T")]
    prot1 = protect(cells1, rels)
    assert set(prot1.suppressed) == {"X", "Y"}
    # Release 2 alone would choose Y again; make Z the cheaper complement to tempt it.
    cells2 = [Cell("T", 30), Cell("X", 2, True), Cell("Y", 12), Cell("Z", 16)]
    prot2 = protect(cells2, rels, previous=Previous(cells1, rels, prot1.suppressed))
    assert set(prot2.suppressed) == {"X", "Y"}
    assert prot2.suppressed["Y"].rule == Rule.KEPT
    assert prot2.suppressed["Y"].flag == Flag.SECONDARY


def test_a_figure_published_before_is_never_a_complement() -> None:
    """Z was published in release 1 and did not change: hiding it would hide nothing."""
    cells1 = [Cell("T", 30), Cell("X", 8, True), Cell("Y", 6), Cell("Z", 16)]
    rels = [Relation("T", ("X", "Y", "Z"), "T")]
    prot1 = protect(cells1, rels)
    assert not prot1.suppressed
    # X corrected to 2 (small), T with it; Y is the cheapest complement but was published
    # unchanged, so is Z: only T changed, and it goes with X.
    cells2 = [Cell("T", 24), Cell("X", 2, True), Cell("Y", 6), Cell("Z", 16)]
    prot2 = protect(cells2, rels, previous=Previous(cells1, rels, prot1.suppressed))
    assert set(prot2.suppressed) == {"X", "T"}
    assert prot2.disclosed == [("X", False)]


def test_equations_of_both_releases_combine() -> None:
    """T = a + b + c. Release 1 hides a and b (c and T shown: a + b = 5 is known). Release 2
    corrects c to a small count: hiding c alone is not enough, as c' = T' - 5."""
    rels = [Relation("T", ("a", "b", "c"), "T")]
    cells1 = [Cell("T", 20, True), Cell("a", 2, True), Cell("b", 3, True), Cell("c", 15, True)]
    prot1 = protect(cells1, rels)
    assert set(prot1.suppressed) == {"a", "b"}
    cells2 = [Cell("T", 9, True), Cell("a", 2, True), Cell("b", 3, True), Cell("c", 4, True)]
    alone = protect(cells2, rels)
    assert set(alone.suppressed) == {"a", "b", "c"}  # safe in release 2 alone...
    alone_union = _union((cells1, rels, prot1), (cells2, rels, alone))
    assert recoverable(*alone_union) == {(2, "c")}  # ...not beside release 1
    both = protect(cells2, rels, previous=Previous(cells1, rels, prot1.suppressed))
    assert not both.problems
    assert set(both.suppressed) == {"a", "b", "c", "T"}
    assert both.suppressed["T"].rule == Rule.COMPLEMENT
    union = _union((cells1, rels, prot1), (cells2, rels, both))
    assert recoverable(*union) == set()


def test_an_unchanged_figure_now_small_was_disclosed() -> None:
    """A threshold raised after release 1: X (4) was published, now it is below 5."""
    rels = [Relation("T", ("X", "Y"), "T")]
    cells1 = [Cell("T", 20, True, 3), Cell("X", 4, True, 3), Cell("Y", 16, True, 3)]
    prot1 = protect(cells1, rels)
    assert not prot1.suppressed
    cells2 = [Cell("T", 20, True), Cell("X", 4, True), Cell("Y", 16, True)]
    prot2 = protect(cells2, rels, previous=Previous(cells1, rels, prot1.suppressed))
    assert prot2.disclosed == [("X", True)]
    # Nothing left to hide it with: every other figure was published unchanged.
    assert [p.cell for p in prot2.problems] == ["X"]


def test_the_exact_check_runs_again_after_its_own_complements() -> None:
    """The demo's prosecuted cases (PRO-03) by sex, age and disability, per province, quarter,
    semester, year: before the fix, the exact check's complements were not checked again when
    the fixpoint after them added nothing, and 6 suppressed cells stayed recoverable (with no
    problem reported)."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parent / "demo_pro03.json").read_text())
    cells = [Cell(i, v, True, 5) for i, v in enumerate(data["values"])]
    relations = [Relation(t, tuple(parts)) for t, parts in data["relations"]]
    protection = protect(cells, relations)
    assert not protection.problems
    assert recoverable(cells, relations, protection) == set()
