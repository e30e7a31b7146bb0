"""The staging table of a session, and the SQL that stores it in the fact table.

Valid rows wait in a TEMP table (written in chunks: executemany on SQLite, COPY on PostgreSQL)
until every input is read. Duplicate keys are then found in SQL; changed existing values get
an audit row and are UPDATEd; new ones are INSERTed with INSERT ... SELECT.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.utils import timezone

from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.ingest.problems import IngestResult
from wpsmonitor.indicators.models import DataValue, DataValueAudit

# One staged row: ind, per, area, cell, src, value, num, den, txt, cmt, place, rownum.
StagedRow = tuple[Any, ...]

_KEY = "ind, per, area, cell, src"


def _changed(d: str) -> str:
    """SQL: the fact table row `d` differs from the staged row `s`."""
    return (
        f"({d}.value IS DISTINCT FROM s.value OR {d}.numerator IS DISTINCT FROM s.num OR"
        f" {d}.denominator IS DISTINCT FROM s.den OR {d}.text_value IS DISTINCT FROM s.txt"
        f" OR {d}.comment IS DISTINCT FROM s.cmt)"
    )


class StagingTable:
    """A TEMP table dropped at the end of the session (on PostgreSQL, at commit at the latest)."""

    def __init__(self) -> None:
        self.name = f"wps_stage_{uuid.uuid4().hex[:10]}"
        self.postgres = connection.vendor == "postgresql"
        self.staged = 0
        columns = (
            "ind bigint, per bigint, area bigint, cell bigint, src bigint, "
            "value double precision, num double precision, den double precision, "
            "txt text, cmt text, place integer, rownum integer, existing bigint"
        )
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(f"CREATE TEMP TABLE {self.name} ({columns}) ON COMMIT DROP")
            else:
                cursor.execute(f"CREATE TEMP TABLE {self.name} ({columns})")

    def write(self, rows: list[StagedRow]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(
                    f"COPY {self.name} (ind, per, area, cell, src, value, num, den, txt, cmt,"
                    " place, rownum) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {self.name} (ind, per, area, cell, src, value, num, den, txt,"
                    " cmt, place, rownum) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
        self.staged += len(rows)

    def duplicates(self, limit: int) -> Iterator[list[tuple[int, int]]]:
        """(place, row) of the rows sharing a key, in input order, for up to `limit` keys."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_KEY} FROM {self.name} GROUP BY {_KEY} HAVING COUNT(*) > 1 LIMIT %s",
                [limit],
            )
            keys = cursor.fetchall()
            for dup_key in keys:
                cursor.execute(
                    f"SELECT place, rownum FROM {self.name} WHERE ind = %s AND per = %s"
                    " AND area = %s AND cell = %s AND src = %s ORDER BY place, rownum",
                    list(dup_key),
                )
                yield [(place, rownum) for place, rownum in cursor.fetchall()]

    def overlaps(
        self, limit: int, skip: set[int]
    ) -> list[tuple[int, int, int, list[tuple[int, bool]]]]:
        """The staged rows whose indicator, period, cell and source also have a figure, stored
        or staged, at an area above or below theirs: (place, row, area, [(other area, above)]),
        in input order, at most `limit` rows; the indicators in `skip` (not rolled up) aside.

        An area's figure is rolled up from its sub-areas' (docs/computations.md, "Areas"), so a
        figure typed at both levels would be counted twice.
        """
        dv = connection.ops.quote_name(DataValue._meta.db_table)
        pairs = f"{self.name}_pairs"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT area FROM {self.name}")
            rows = _area_pairs({area for (area,) in cursor.fetchall()})
            if not rows:
                return []
            drop = " ON COMMIT DROP" if self.postgres else ""
            cursor.execute(
                f"CREATE TEMP TABLE {pairs} (area bigint, other bigint, above integer){drop}"
            )
            cursor.executemany(f"INSERT INTO {pairs} VALUES (%s, %s, %s)", rows)
            # Both lookups go through an index: the fact table's unique key, and one made here
            # on the staging table (a scan of it per staged row took minutes on 300,000 rows).
            cursor.execute(f"CREATE INDEX {self.name}_key ON {self.name} ({_KEY})")
            skipped = "".join(f" AND s.ind <> {int(pk)}" for pk in sorted(skip))
            pick = (
                f"SELECT s.place, s.rownum, s.area, p.other, p.above FROM {self.name} AS s"
                f" JOIN {pairs} AS p ON p.area = s.area"
            )
            cursor.execute(
                f"{pick} JOIN {dv} AS d ON d.indicator_id = s.ind AND d.period_id = s.per"
                " AND d.area_id = p.other AND d.cell_id = s.cell AND d.source_id = s.src"
                f" WHERE 1 = 1{skipped}"
                f" UNION {pick} JOIN {self.name} AS o ON o.ind = s.ind AND o.per = s.per"
                f" AND o.area = p.other AND o.cell = s.cell AND o.src = s.src WHERE 1 = 1{skipped}"
                " ORDER BY 1, 2, 4"
            )
            found: dict[tuple[int, int], tuple[int, list[tuple[int, bool]]]] = {}
            for place, rownum, area, other, above in cursor.fetchall():
                if (place, rownum) not in found:
                    if len(found) >= limit:
                        break
                    found[place, rownum] = (area, [])
                found[place, rownum][1].append((other, bool(above)))
            cursor.execute(f"DROP TABLE {pairs}")
        return [(place, rownum, area, others) for (place, rownum), (area, others) in found.items()]

    def figure_and_sum(self, place: int, rownum: int, areas: list[int]) -> tuple[Any, Any]:
        """The value staged at (place, row), and the sum of the values of the same indicator,
        period, cell and source at `areas` (staged, else stored): what a figure typed beside
        its sub-areas' is checked against. (None, None) for a row without a value."""
        dv = connection.ops.quote_name(DataValue._meta.db_table)
        marks = ", ".join(["%s"] * len(areas))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT ind, per, cell, src, value FROM {self.name}"
                " WHERE place = %s AND rownum = %s",
                [place, rownum],
            )
            found = cursor.fetchone()
            if found is None or found[4] is None:
                return None, None
            ind, per, cell, src, value = found
            key = [ind, per, cell, src]
            cursor.execute(
                f"SELECT area, value FROM {self.name} WHERE ind = %s AND per = %s AND cell = %s"
                f" AND src = %s AND area IN ({marks})",
                [*key, *areas],
            )
            figures = dict(cursor.fetchall())
            cursor.execute(
                f"SELECT area_id, value FROM {dv} WHERE indicator_id = %s AND period_id = %s"
                f" AND cell_id = %s AND source_id = %s AND area_id IN ({marks})",
                [*key, *areas],
            )
            for area, stored in cursor.fetchall():
                figures.setdefault(area, stored)
        present = [v for v in figures.values() if v is not None]
        return value, (sum(present) if present else None)

    def store(
        self,
        result: IngestResult,
        *,
        indicator_ids: set[int],
        user_id: int | None,
        batch_id: int,
        reason: str,
        user_name: str = "",
    ) -> None:
        """Write the staged rows to the fact table, counting created, updated and unchanged.
        `user_name` is kept on the audit rows beside the user (core/history.py)."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            existing = self._mark_existing(cursor, indicator_ids)
            if existing:
                self._audit_changes(cursor, (user_id, user_name), batch_id, now, reason)
                result.updated = self._update_existing(cursor, user_id, batch_id, now)
                result.unchanged = existing - result.updated
            result.created = self._insert_new(cursor, user_id, batch_id, now)

    def _mark_existing(self, cursor: Any, indicator_ids: set[int]) -> int:
        """Note the fact table id of each staged key already stored; how many are."""
        dv = connection.ops.quote_name(DataValue._meta.db_table)
        stage = self.name
        ids = sorted(indicator_ids)
        placeholders = ", ".join(["%s"] * len(ids))
        # The cheap question first: a first load of an indicator has nothing to match.
        cursor.execute(f"SELECT 1 FROM {dv} WHERE indicator_id IN ({placeholders}) LIMIT 1", ids)
        if cursor.fetchone() is None:
            return 0
        cursor.execute(
            f"UPDATE {stage} SET existing = d.id FROM {dv} AS d WHERE"
            f" d.indicator_id = {stage}.ind AND d.period_id = {stage}.per AND d.area_id ="
            f" {stage}.area AND d.cell_id = {stage}.cell AND d.source_id = {stage}.src"
        )
        return int(cursor.rowcount)

    def _audit_changes(
        self, cursor: Any, user: tuple[int | None, str], batch_id: int, now: Any, reason: str
    ) -> None:
        dv = connection.ops.quote_name(DataValue._meta.db_table)
        audit = connection.ops.quote_name(DataValueAudit._meta.db_table)
        cursor.execute(
            f"INSERT INTO {audit} (indicator_id, period_id, area_id, cell_id, source_id,"
            " action, old_value, old_numerator, old_denominator, old_text, new_value,"
            " new_numerator, new_denominator, new_text, changed_by_id, changed_by_name,"
            " batch_id, changed_at, reason)"
            " SELECT d.indicator_id, d.period_id, d.area_id, d.cell_id, d.source_id,"
            " 'update', d.value, d.numerator, d.denominator, d.text_value, s.value, s.num,"
            " s.den, s.txt, %s, %s, %s, %s, %s"
            f" FROM {self.name} AS s JOIN {dv} AS d ON d.id = s.existing WHERE {_changed('d')}",
            [*user, batch_id, now, reason],
        )

    def _update_existing(self, cursor: Any, user_id: int | None, batch_id: int, now: Any) -> int:
        dv = connection.ops.quote_name(DataValue._meta.db_table)
        cursor.execute(
            f"UPDATE {dv} SET value = s.value, numerator = s.num, denominator = s.den,"
            " text_value = s.txt, comment = s.cmt, stored_by_id = %s, batch_id = %s,"
            f" updated_at = %s FROM {self.name} AS s"
            f" WHERE {dv}.id = s.existing AND {_changed(dv)}",
            [user_id, batch_id, now],
        )
        return int(cursor.rowcount)

    def _insert_new(self, cursor: Any, user_id: int | None, batch_id: int, now: Any) -> int:
        dv = connection.ops.quote_name(DataValue._meta.db_table)
        cursor.execute(
            f"INSERT INTO {dv} (indicator_id, period_id, area_id, cell_id, source_id, value,"
            " numerator, denominator, text_value, comment, stored_by_id, batch_id,"
            " created_at, updated_at)"
            " SELECT ind, per, area, cell, src, value, num, den, txt, cmt, %s, %s, %s, %s"
            f" FROM {self.name} WHERE existing IS NULL",
            [user_id, batch_id, now, now],
        )
        return int(cursor.rowcount)

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")


def _area_pairs(staged: set[int]) -> list[tuple[int, int, int]]:
    """(area, other area, 1 if the other is above) for every area above or below a staged
    area, both ways round: ancestors read from the paths, descendants walked down the tree."""
    children: dict[int, list[int]] = {}
    parents: dict[int, list[int]] = {}
    for pk, path in Area.objects.values_list("pk", "path").iterator():
        ancestors = [int(part) for part in path.strip("/").split("/")[:-1]]
        parents[pk] = ancestors
        if ancestors:
            children.setdefault(ancestors[-1], []).append(pk)
    pairs: set[tuple[int, int, int]] = set()
    for area in staged:
        for above in parents.get(area, []):
            pairs.update({(area, above, 1), (above, area, 0)})
        below = list(children.get(area, []))
        while below:
            other = below.pop()
            pairs.update({(area, other, 0), (other, area, 1)})
            below.extend(children.get(other, []))
    return sorted(pairs)
