"""The portal's map: a server-rendered SVG choropleth of a plan's areas (no JavaScript).

Boundaries come from small files shipped in `portal/boundaries/` (one per country, keyed by the
areas' ISO 3166-2 codes, `Area.code`), made once from open sources (Who's On First, Natural
Earth) by `scripts/simplify_boundaries.py`, which says how. Each file names its source, licence
and licence page, and the map credits those of the countries it draws. An area whose code is in
no file has no boundary: the map leaves it out and says so, and the table beside the map lists
every area anyway.

Projection: equirectangular, longitudes scaled by the cosine of the middle latitude (good
enough for one country). Each area is a link to its row in the table beside the map, with a
<title> giving its name and figure, so a keyboard or screen-reader user reaches each one; the
colours are in presentation attributes (the strict CSP forbids inline styles). Suppressed
figures are drawn hatched, whatever their class, and the legend names them by their flag's
text; areas without a figure are white.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BOUNDARIES = Path(__file__).parent / "boundaries"
WIDTH = 400.0
PAD = 4.0
# Sequential blues (ColorBrewer "Blues", the 5-class scheme without its lightest, kept
# apart from the grey of the rest of the country), light to dark; the outline (#1b1b1b)
# separates neighbours whatever their fill, and the table carries every value.
PALETTE = ("#bdd7e7", "#6baed6", "#3182bd", "#08519c")
EMPTY_FILL = "#ffffff"
BACKGROUND = "#f5f5f5"  # the rest of the country, not the plan's areas
HATCH_ID = "map-hatch"
OUTLINE = "#1b1b1b"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Boundary:
    name: str
    rings: tuple[Ring, ...]
    country: str = ""


@dataclass(frozen=True)
class BoundarySource:
    """Where a country's boundary file comes from, for the map's credit line (open licences
    such as CC BY ask for it, Who's On First for a link to its licence page)."""

    name: str
    licence: str
    url: str


@lru_cache(maxsize=1)
def _files() -> tuple[dict[str, Boundary], dict[str, BoundarySource]]:
    found: dict[str, Boundary] = {}
    sources: dict[str, BoundarySource] = {}
    for path in sorted(BOUNDARIES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        country = str(data["country"])
        sources[country] = BoundarySource(
            str(data.get("source", "")), str(data.get("licence", "")), str(data.get("url", ""))
        )
        for code, shape in data["areas"].items():
            rings = tuple([(float(x), float(y)) for x, y in ring] for ring in shape["rings"])
            found[code] = Boundary(name=shape["name"], rings=rings, country=country)
    return found, sources


def _all_boundaries() -> dict[str, Boundary]:
    return _files()[0]


def boundary(code: str) -> Boundary | None:
    return _all_boundaries().get(code)


def boundary_sources(countries: Iterable[str] | None = None) -> list[BoundarySource]:
    """The sources of the boundary files of `countries` (every file without it), each once."""
    by_country = _files()[1]
    wanted = sorted(by_country) if countries is None else sorted(set(countries))
    out: list[BoundarySource] = []
    for country in wanted:
        source = by_country.get(country)
        if source is not None and source not in out:
            out.append(source)
    return out


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    value: float | None  # None: suppressed or no figure
    text: str  # what the table shows: the figure, or the flag's text ("fewer than 5")
    suppressed: bool
    anchor: str  # the id of its row in the table beside the map


@dataclass(frozen=True)
class LegendEntry:
    fill: str  # a colour, or "" for the hatch
    label: str


@dataclass
class MapView:
    svg: SafeString | None
    legend: list[LegendEntry] = field(default_factory=list)
    without_boundary: list[MapArea] = field(default_factory=list)
    drawn: int = 0
    sources: list[BoundarySource] = field(default_factory=list)  # of the boundaries drawn


def classes(values: Sequence[float], count: int = len(PALETTE)) -> list[float]:
    """Upper bounds of up to `count` classes of about equal size (quantiles); the last is the
    largest value. Fewer classes when there are fewer distinct values."""
    distinct = sorted(set(values))
    if not distinct:
        return []
    if len(distinct) <= count:
        return distinct
    ordered = sorted(values)
    bounds: list[float] = []
    for k in range(1, count + 1):
        bound = ordered[min(len(ordered) - 1, math.ceil(k * len(ordered) / count) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _class_of(value: float, bounds: list[float]) -> int:
    for i, bound in enumerate(bounds):
        if value <= bound:
            return i
    return len(bounds) - 1


def _palette(n: int) -> tuple[str, ...]:
    # With fewer classes, spread them over the palette so they stay far apart.
    if n >= len(PALETTE):
        return PALETTE
    if n == 1:
        return (PALETTE[2],)
    step = (len(PALETTE) - 1) / (n - 1)
    return tuple(PALETTE[round(i * step)] for i in range(n))


def choropleth(
    areas: Sequence[MapArea],
    *,
    title: str,
    description: str,
    fmt: Callable[[float], str],
    id_prefix: str = "map",
) -> MapView:
    """The map of `areas`: one path per area with a boundary, coloured by class."""
    with_shape = [(a, boundary(a.code)) for a in areas]
    drawn = [(a, b) for a, b in with_shape if b is not None and b.rings]
    view = MapView(
        svg=None, without_boundary=[a for a, b in with_shape if b is None or not b.rings]
    )
    values = [a.value for a, _b in drawn if a.value is not None]
    bounds = classes(values)
    colours = _palette(len(bounds))
    lower = min(values) if values else 0.0
    for i, bound in enumerate(bounds):
        start = lower if i == 0 else bounds[i - 1]
        label = (
            fmt(bound)
            if i == 0 and start == bound
            else _("%(low)s to %(high)s") % {"low": fmt(start), "high": fmt(bound)}
            if i == 0
            else _("more than %(low)s, up to %(high)s") % {"low": fmt(start), "high": fmt(bound)}
        )
        view.legend.append(LegendEntry(colours[i], label))
    flags = sorted({a.text for a, _b in drawn if a.suppressed})
    for text in flags:
        view.legend.append(LegendEntry("", _("Suppressed: %(flag)s") % {"flag": text}))
    if any(a.value is None and not a.suppressed for a, _b in drawn):
        view.legend.append(LegendEntry(EMPTY_FILL, _("No figure published")))
    if not drawn:
        return view
    view.drawn = len(drawn)
    # The rest of the country, in grey and hidden from assistive technology: where the plan's
    # areas lie. Not links: they are not the plan's.
    codes = {a.code for a, _b in drawn}
    countries = {b.country for _a, b in drawn if b is not None and b.country}
    view.sources = boundary_sources(countries)
    background = [
        b
        for code, b in _all_boundaries().items()
        if b.country in countries and code not in codes and b.rings
    ]
    shapes = [b for _a, b in drawn if b is not None] + background
    points = [p for b in shapes for ring in b.rings for p in ring]
    min_lon = min(p[0] for p in points)
    max_lon = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    k = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * k, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = (WIDTH - 2 * PAD) / span_x
    height = span_y * scale + 2 * PAD

    def project(lon: float, lat: float) -> str:
        return f"{PAD + (lon - min_lon) * k * scale:.1f} {PAD + (max_lat - lat) * scale:.1f}"

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg class="map" viewBox="0 0 {WIDTH:.0f} {height:.0f}" role="group" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<defs><pattern id="{HATCH_ID}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#595959" stroke-width="2"/></pattern></defs>',
    ]
    if background:
        out.append('<g aria-hidden="true">')
        for shape in background:
            d = " ".join(
                "M" + " L".join(project(lon, lat) for lon, lat in ring) + " Z"
                for ring in shape.rings
            )
            out.append(f'<path d="{d}" fill="{BACKGROUND}" stroke="#b0b0b0" stroke-width="0.5"/>')
        out.append("</g>")
    for area, shape in drawn:
        if area.suppressed:
            fill = f"url(#{HATCH_ID})"
        elif area.value is None:
            fill = EMPTY_FILL
        else:
            fill = colours[_class_of(area.value, bounds)]
        d = " ".join(
            "M" + " L".join(project(lon, lat) for lon, lat in ring) + " Z"
            for ring in shape.rings  # type: ignore[union-attr]
        )
        label = f"{area.name}: {area.text or _('no figure published')}"
        out.append(
            f'<a href="#{escape(area.anchor)}" class="map-area" aria-label="{escape(label)}">'
            f'<path d="{d}" fill="{fill}" stroke="{OUTLINE}" stroke-width="0.8" '
            f'stroke-linejoin="round"><title>{escape(label)}</title></path></a>'
        )
    out.append("</svg>")
    view.svg = mark_safe("".join(out))  # every text above is escaped
    return view


def swatch(entry: LegendEntry) -> SafeString:
    """A legend entry's sample, drawn like the map's areas (hatched for a suppressed figure)."""
    if entry.fill:
        inner = f'<rect x="1" y="1" width="22" height="14" fill="{escape(entry.fill)}" stroke="{OUTLINE}"/>'
    else:
        inner = (
            f'<rect x="1" y="1" width="22" height="14" fill="#ffffff" stroke="{OUTLINE}"/>'
            '<path d="M1 11 L7 1 M1 19 L13 1 M7 19 L19 1 M13 19 L23 3 M19 19 L23 11" '
            'stroke="#595959" stroke-width="2"/>'
        )
    return mark_safe(
        f'<svg class="swatch" width="24" height="16" viewBox="0 0 24 16" aria-hidden="true" '
        f'focusable="false">{inner}</svg>'
    )
