"""Sensitive records counted by row × province × year, after primary suppression: the one grid
that the features publishing counts of what no one may read alone share (the register of
threats against defenders, early-warning signals: docs/stories.md).

It lives here, beside the provinces it counts by (areas.py), below the features that fill it:
they may not import each other, nor `publishing` above them. It knows no plan: the caller
gives the plan's area, period and disclosure threshold.

- **Primary suppression:** a count below the threshold is not shown ("fewer than" it), and
  neither is a zero (a flag that told a zero from a small count would publish the zero).
- **No total** (by row, column, year or plan): with no sum published, no suppressed count can
  be recovered by differencing, so no complementary suppression is needed.
- **The shape tells nothing:** every row, every province of the area and every year from the
  start (or the first record, if earlier) to this year or the end (or the last record, if
  later) is shown whether or not anything was recorded there. A record of the whole country,
  of another area or of none counts under "Province not recorded" (the last column, None).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise

from wpsmonitor.directory.areas import PROVINCE_DEPTH, province_id_on_path
from wpsmonitor.directory.models import Area

# A row's label: a string, or one translated lazily (a model's choices).
StrOrPromise = str | Promise


@dataclass(frozen=True)
class YearTable:
    year: int
    # One row per row of the grid, in its order: its label and one count per column (None:
    # suppressed, a zero included).
    rows: list[tuple[str, list[int | None]]]


@dataclass(frozen=True)
class Figures:
    threshold: int
    # The columns: the area's provinces, then "province not recorded" (None).
    provinces: list[Area]
    # The rows: (code, label), in the order of every table's rows.
    rows: list[tuple[str, str]]
    # Newest year first.
    tables: list[YearTable]


def provinces_of_area(area: Area) -> list[Area]:
    """The provinces the counts are shown by: those of a country, a province itself, a
    district's province."""
    ids = area.ancestor_ids
    if len(ids) >= PROVINCE_DEPTH:  # a province or an area below it: its province
        return list(Area.objects.filter(pk=ids[PROVINCE_DEPTH - 1]))
    return list(
        Area.objects.filter(path__startswith=area.path, path__regex=r"^/[0-9]+/[0-9]+/$").order_by(
            "name"
        )
    )


def suppressed_counts(
    *,
    area: Area,
    start: date,
    end: date,
    threshold: int,
    rows: Iterable[tuple[str, StrOrPromise]],
    records: Iterable[tuple[str, str | None, date]],
    today: date | None = None,
) -> Figures:
    """Count `records` (row code, the area's path or None, day) by row × province × year, after
    primary suppression at `threshold` (the module's docstring). One query (the provinces)
    besides reading `records`."""
    provinces = provinces_of_area(area)
    columns: list[int | None] = [p.pk for p in provinces] + [None]
    known = set(columns)
    counts: Counter[tuple[str, int | None, int]] = Counter()
    for row, path, day in records:
        province = province_id_on_path(path)
        counts[(row, province if province in known else None, day.year)] += 1
    years = {year for _row, _province, year in counts}
    today = today or timezone.localdate()
    first = min([start.year, *years])
    last = max([min(end.year, today.year), *years])

    def shown(row: str, province: int | None, year: int) -> int | None:
        value = counts.get((row, province, year), 0)
        return value if value >= threshold else None

    grid = [(str(code), str(label)) for code, label in rows]
    tables = [
        YearTable(
            year=year,
            rows=[
                (label, [shown(code, column, year) for column in columns]) for code, label in grid
            ],
        )
        for year in range(last, first - 1, -1)
    ]
    return Figures(threshold=threshold, provinces=provinces, rows=grid, tables=tables)
