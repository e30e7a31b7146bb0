"""Generated release shapes and an independent exact solver, for the disclosure tests.

A shape is a table (dimensions with options, every margin and the grand total) per area of an
area tree (parent = sum of its children) per period (a year = the sum of its quarters, or the
year alone). The values are given on the finest cells (leaf areas, quarters, one option per
dimension); every other cell is their sum, so every relation holds exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from hypothesis import strategies as st

from wpsmonitor.publishing.disclosure import Cell, Protection, Relation

Key = tuple[int | None, ...]  # one option per dimension; None: the margin over it


@dataclass(frozen=True)
class Shape:
    dims: tuple[int, ...]  # options per dimension
    children: dict[int, tuple[int, ...]]  # area tree: area -> its sub-areas (0 is the root)
    quarters: bool  # the year and its four quarters, or the year alone


def keys(dims: Sequence[int]) -> list[Key]:
    return list(itertools.product(*[[None, *range(n)] for n in dims]))


def table_relations(dims: Sequence[int]) -> list[tuple[Key, tuple[Key, ...]]]:
    """Every margin: a key with None at dimension d is the sum over d's options."""
    out = []
    for key in keys(dims):
        for d, option in enumerate(key):
            if option is None:
                parts = tuple(key[:d] + (o,) + key[d + 1 :] for o in range(dims[d]))
                out.append((key, parts))
    return out


def build(
    shape: Shape, leaf_values: Sequence[int], *, threshold: int
) -> tuple[list[Cell], list[Relation]]:
    """Cells (area, period, key) and their relations; the leaf values are used in turn."""
    areas = _areas(shape.children)
    leaves = [a for a in areas if a not in shape.children]
    periods = ["Y", "Q1", "Q2", "Q3", "Q4"] if shape.quarters else ["Y"]
    finest_periods = periods[1:] if shape.quarters else periods
    finest_keys = [k for k in keys(shape.dims) if None not in k]
    values: dict[tuple[int, str, Key], int] = {}
    supply = itertools.cycle(leaf_values)
    for area in leaves:
        for period in finest_periods:
            for key in finest_keys:
                values[(area, period, key)] = next(supply)
    # Sum up: the table's margins, then the year, then the area tree (children before parents).
    margins = table_relations(shape.dims)
    ordered_margins = sorted(margins, key=lambda m: sum(o is None for o in m[0]))

    def fill(area: int, period: str) -> None:
        for key, parts in ordered_margins:
            values[(area, period, key)] = sum(values[(area, period, p)] for p in parts)

    for area in leaves:
        for period in finest_periods:
            fill(area, period)
    all_keys = keys(shape.dims)
    if shape.quarters:
        for area in leaves:
            for key in all_keys:
                values[(area, "Y", key)] = sum(values[(area, q, key)] for q in periods[1:])
    for area in reversed(areas):
        if area in shape.children:
            for period in periods:
                for key in all_keys:
                    values[(area, period, key)] = sum(
                        values[(child, period, key)] for child in shape.children[area]
                    )
    cells = [
        Cell((a, p, k), values[(a, p, k)], sensitive=True, threshold=threshold)
        for a in areas
        for p in periods
        for k in all_keys
    ]
    relations = []
    for a in areas:
        for p in periods:
            for key, parts in margins:
                relations.append(Relation((a, p, key), tuple((a, p, q) for q in parts), "margin"))
            if a in shape.children:
                for key in all_keys:
                    relations.append(
                        Relation((a, p, key), tuple((c, p, key) for c in shape.children[a]), "area")
                    )
        if shape.quarters:
            for key in all_keys:
                relations.append(
                    Relation((a, "Y", key), tuple((a, q, key) for q in periods[1:]), "year")
                )
    return cells, relations


def _areas(children: dict[int, tuple[int, ...]]) -> list[int]:
    """The areas, parents before children."""
    out, queue = [], [0]
    while queue:
        area = queue.pop(0)
        out.append(area)
        queue.extend(children.get(area, ()))
    return out


@st.composite
def area_trees(
    draw: st.DrawFn, max_levels: int = 3, max_children: int = 3
) -> dict[int, tuple[int, ...]]:
    """A tree of 1 to `max_levels` levels below the root (0), each parent 2 to `max_children`."""
    levels = draw(st.integers(0, max_levels))
    children: dict[int, tuple[int, ...]] = {}
    frontier, next_id = [0], 1
    for _level in range(levels):
        following = []
        for parent in frontier:
            if draw(st.booleans()) or parent == 0:
                n = draw(st.integers(2, max_children))
                kids = tuple(range(next_id, next_id + n))
                next_id += n
                children[parent] = kids
                following.extend(kids)
        frontier = following
        if next_id > 8:
            break
    return children


# Many small counts, as SGBV tables at district level have, and some larger ones.
counts = st.one_of(st.integers(0, 6), st.integers(0, 40))


def recoverable(
    cells: Sequence[Cell], relations: Sequence[Relation], protection: Protection
) -> set[Hashable]:
    """Independent exact solver: the suppressed cells fixed by the published relations.

    Rational Gauss-Jordan elimination (Fractions) over the relations restricted to the
    suppressed cells (the published ones are constants); a cell is fixed iff a row of the
    reduced matrix is its unit vector. Plus the bound of counts: hidden parts summing to zero
    under a published total are all zero.
    """
    hidden = set(protection.suppressed)
    values = {c.id: c.value for c in cells}
    rows: list[dict[Hashable, Fraction]] = []
    fixed: set[Hashable] = set()
    for relation in relations:
        row: dict[Hashable, Fraction] = {}
        if relation.total in hidden:
            row[relation.total] = Fraction(1)
        for part in relation.parts:
            if part in hidden:
                row[part] = Fraction(-1)
        if row:
            rows.append(row)
        if relation.total not in hidden and row and sum(values[p] or 0 for p in row) == 0:
            fixed.update(row)
    reduced: list[dict[Hashable, Fraction]] = []
    for row in rows:
        row = dict(row)
        for pivot_row in reduced:
            pivot = next(iter(pivot_row))
            if pivot in row:
                factor = row[pivot] / pivot_row[pivot]
                for c, v in pivot_row.items():
                    nv = row.get(c, Fraction(0)) - factor * v
                    if nv:
                        row[c] = nv
                    else:
                        row.pop(c, None)
        if not row:
            continue
        pivot = min(row, key=repr)
        # Keep the pivot first in the dict, and clear it from the rows above (Gauss-Jordan).
        row = {pivot: row[pivot], **{c: v for c, v in row.items() if c != pivot}}
        for k, other in enumerate(reduced):
            if pivot in other:
                factor = other[pivot] / row[pivot]
                first = next(iter(other))
                updated = {first: other[first]}
                for c, v in other.items():
                    if c == first:
                        continue
                    nv = v - factor * row.get(c, Fraction(0))
                    if nv:
                        updated[c] = nv
                for c, v in row.items():
                    if c not in other and c != first:
                        nv = -factor * v
                        if nv:
                            updated[c] = nv
                reduced[k] = updated
        reduced.append(row)
    for row in reduced:
        if len(row) == 1:
            fixed.update(row)
    return fixed
