"""Arranging a cross-tab (indicators.selectors.CrossTab) into rows and columns for a template.

No figure is computed here: cells, margins and the total all come from the selector, so the
page shows exactly the derived margins the API and exports use.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from wpsmonitor.indicators.selectors import EMPTY, CrossTab, DimensionInfo, Figure


@dataclass
class MarginBlock:
    dimension: DimensionInfo
    rows: list[tuple[str, Figure]]


@dataclass
class CrossTabLayout:
    # "total" (no disaggregation), "one" (one dimension: its margins are its cells),
    # "two" (a two-way table), "list" (one row per cell)
    shape: str
    total: Figure
    has_cells: bool
    # two-way table
    row_dimension: DimensionInfo | None = None
    column_dimension: DimensionInfo | None = None
    columns: list[str] = field(default_factory=list)
    grid: list[tuple[str, list[Figure], Figure]] = field(default_factory=list)
    column_margins: list[Figure] = field(default_factory=list)
    # one row per full cell
    list_dimensions: list[DimensionInfo] = field(default_factory=list)
    list_rows: list[tuple[list[str], Figure]] = field(default_factory=list)
    # one table per dimension
    margins: list[MarginBlock] = field(default_factory=list)


def crosstab_layout(table: CrossTab) -> CrossTabLayout:
    dims = list(table.dimensions)
    layout = CrossTabLayout(
        shape="total" if not dims else "list",
        total=table.total,
        has_cells=bool(table.cells),
    )
    layout.margins = [
        MarginBlock(
            dimension=d,
            rows=[(name, table.margins.get(f"{d.code}={code}", EMPTY)) for code, name in d.options],
        )
        for d in dims
    ]
    if len(dims) == 1:
        layout.shape = "one"
    elif len(dims) == 2:
        rows_dim, cols_dim = dims
        layout.shape = "two"
        layout.row_dimension, layout.column_dimension = rows_dim, cols_dim
        layout.columns = [name for _code, name in cols_dim.options]
        layout.grid = [
            (
                row_name,
                [
                    table.cells.get(f"{rows_dim.code}={row_code};{cols_dim.code}={col_code}", EMPTY)
                    for col_code, _n in cols_dim.options
                ],
                table.margins.get(f"{rows_dim.code}={row_code}", EMPTY),
            )
            for row_code, row_name in rows_dim.options
        ]
        layout.column_margins = [
            table.margins.get(f"{cols_dim.code}={code}", EMPTY) for code, _n in cols_dim.options
        ]
    elif len(dims) > 2:
        layout.list_dimensions = dims
        for combo in itertools.product(*(d.options for d in dims)):
            code = ";".join(f"{d.code}={opt[0]}" for d, opt in zip(dims, combo, strict=True))
            layout.list_rows.append(([opt[1] for opt in combo], table.cells.get(code, EMPTY)))
    return layout
