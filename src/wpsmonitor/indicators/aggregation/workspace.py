"""The rebuild's workspace: the temporary tables and views it works in, and what the stages share.

Every stage creates its tables through `create_table` / `create_view`, so that `drop_all` can
remove them whatever happens; the helpers hide the few differences between SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

Progress = Callable[[str], None]


class TracedCursor:
    """A cursor that reports each statement's time (WPSMONITOR_AGGREGATION_TRACE=1)."""

    def __init__(self, cursor: Any, say: Progress) -> None:
        self._cursor, self._say = cursor, say

    def execute(self, sql: str, params: Any = None) -> Any:
        clock = time.perf_counter()
        result = self._cursor.execute(sql, params)
        self._say(f"    {time.perf_counter() - clock:6.2f} s  {' '.join(sql.split())[:110]}")
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class RebuildState:
    """What the stages share: temporary table names in use and the width of the cell slots."""

    def __init__(self) -> None:
        self.tables: list[str] = []
        self.views: list[str] = []
        self.slots = 1  # slot 0 is the total; then one slot per "dim=opt" of a scheme
        self.levels = 0  # how many agg_l<k> tables hold data
        self.depth = 1  # depth of the deepest area below the plan's (the plan's area is 1)
        self.node_depth = 0  # depth of the deepest framework node (the plan itself is 0)
        # A partial rebuild recomputes only these indicators (None: all of the plan's).
        self.scope: set[int] | None = None
        self.plan_indicators: list[int] = []
        # Period code -> its integer id in agg_code (dimensions.prepare_periods).
        self.period_codes: dict[str, int] = {}
        # framework.prepare_nodes: each node's parent (0 is the plan) and each counted
        # indicator's node, for prepare_dropped.
        self.node_parent: dict[int, int | None] = {}
        self.indicator_node: dict[int, int] = {}


def tune(cursor: Any) -> None:
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Temporary tables in memory and a bigger page cache: the stages sort millions of rows.
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute("PRAGMA cache_size = -131072")


def drop_all(cursor: Any, state: RebuildState) -> None:
    for name in reversed(state.views):
        cursor.execute(f"DROP VIEW IF EXISTS {name}")
    for name in reversed(state.tables):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
    state.tables.clear()
    state.views.clear()


def create_table(cursor: Any, state: RebuildState, name: str, columns: str) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")
    state.tables.append(name)


def create_view(cursor: Any, state: RebuildState, name: str, sql: str) -> None:
    cursor.execute(f"DROP VIEW IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY VIEW {name} AS {sql}")
    state.views.append(name)


def integer_pk() -> str:
    # On SQLite only "INTEGER PRIMARY KEY" is the rowid itself: one B-tree probe per lookup.
    return "INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "BIGINT PRIMARY KEY"


def analyze(cursor: Any, *tables: str) -> None:
    # PostgreSQL plans temporary tables blind (autovacuum never sees them): give it statistics.
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def fill(cursor: Any, name: str, rows: Sequence[tuple[Any, ...]]) -> None:
    if rows:
        marks = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)


def placeholders(values: Sequence[Any]) -> str:
    """ "%s, %s, ..." for an IN list of `values`."""
    return ", ".join(["%s"] * len(values))
