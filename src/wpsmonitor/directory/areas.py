"""Places read coarsely: the province an area lies in.

Readers without the right to a sensitive record's exact place read its province instead
(stories, early-warning signals): one rule, here, below the features that apply it.
"""

from __future__ import annotations

from collections.abc import Iterable

from wpsmonitor.directory.models import Area

# The depth of a province in the area tree (1 the country, 2 the province...).
PROVINCE_DEPTH = 2


def province_id_on_path(path: str | None) -> int | None:
    """The id of the province on a materialised path ("/12/40/77/" gives 40), None for the
    country or no path: for reads of paths alone (`values_list("area__path")`)."""
    ids = [int(part) for part in (path or "").strip("/").split("/") if part]
    return ids[PROVINCE_DEPTH - 1] if len(ids) >= PROVINCE_DEPTH else None


def province_id(area: Area) -> int:
    """The id of the province the area lies in (its own when it is a province or the country),
    read from its path without a query."""
    return province_id_on_path(area.path) or area.pk


def province_of(area: Area | None, known: dict[int, Area] | None = None) -> Area | None:
    """The province the area lies in (itself when it is a province or the country). `known`:
    provinces already fetched, by id (a list fetches them together)."""
    if area is None:
        return None
    found = province_id(area)
    if found == area.pk:
        return area
    if known is not None and found in known:
        return known[found]
    return Area.objects.get(pk=found)


def provinces_by_id(areas: Iterable[Area | None]) -> dict[int, Area]:
    """The provinces the areas lie in, by the province's id, in one query at most (for
    `province_of(area, known)` over a list)."""
    wanted = {province_id(a) for a in areas if a is not None}
    return Area.objects.in_bulk(wanted) if wanted else {}


def provinces_of(areas: Iterable[Area]) -> dict[int, Area]:
    """Each area's province, by the area's id, in one query (for lists)."""
    areas = list(areas)
    wanted = {province_id(a) for a in areas}
    found = {a.pk: a for a in Area.objects.filter(pk__in=wanted)}
    return {a.pk: found[province_id(a)] for a in areas}
