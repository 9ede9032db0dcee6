"""Build the offline basemap files in dashboard/static/basemap/ from npm `world-atlas`.

    cd $(mktemp -d) && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m dashboard.basemap_build package/      # rewrites dashboard/static/basemap/

A maintainer's step (the output is committed), not an install step: npm is not needed to
run the dashboard. Three levels of Natural Earth, chosen by zoom in the browser:
1:110m (world), 1:50m (continents) and 1:10m (regions to villages, cut into 10-degree cells
so that a zoomed-in view loads only the cells it shows).

Each level is drawn as land fills without strokes plus two sets of lines: coasts (arcs that
one country uses) and borders (arcs two countries share). Strokes never follow a fill's
edge, so fills may be cut freely: at the 180th meridian (where world-atlas rings jump from
+180 to -180, the cause of stripes across the map), around the pole (Antarctica) and at
cell edges. No ring or line spans more than 180 degrees of longitude.

Coordinates are integers in thousandths of a degree, each point but the first stored as a
difference from the one before ("delta"), flat as [x0, y0, dx1, dy1, ...]: small files.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

Point = tuple[float, float]  # (lon, lat)
Ring = list[Point]

OUT = Path(__file__).resolve().parent / "static" / "basemap"
UNIT = 1000  # thousandths of a degree
CELL = 10  # degrees, for the 1:10m level
POLE = -89.999
# Zoom ranges (inclusive) in which each level is drawn.
LEVELS = (("110m", 0, 3), ("50m", 4, 5), ("10m", 6, 20))


def decode_arcs(topo: dict) -> list[list[Point]]:
    """TopoJSON arcs as lists of (lon, lat): undo the delta coding and the quantisation."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _arc(arcs: list[list[Point]], index: int) -> list[Point]:
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def _ring(arcs: list[list[Point]], indexes: Iterable[int]) -> Ring:
    out: Ring = []
    for i in indexes:
        points = _arc(arcs, i)
        out.extend(points if not out else points[1:])
    return out


def _polygons(geometry: dict) -> Iterator[list[list[int]]]:
    if geometry["type"] == "Polygon":
        yield geometry["arcs"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["arcs"]
    elif geometry["type"] == "GeometryCollection":
        for child in geometry["geometries"]:
            yield from _polygons(child)


def land_rings(topo: dict, arcs: list[list[Point]]) -> list[Ring]:
    """Every ring (outer and hole) of the land object; drawn with the even-odd rule."""
    return [_ring(arcs, r) for poly in _polygons(topo["objects"]["land"]) for r in poly]


def unwrap(ring: Ring) -> Ring:
    """Make longitudes continuous (a step of more than 180 degrees goes the short way)."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while prev - lon > 180:
            lon += 360
        out.append((lon, lat))
    return out


def clip(ring: Ring, axis: int, value: float, keep_below: bool) -> Ring:
    """Sutherland-Hodgman: the part of a ring on one side of a vertical/horizontal line."""
    if not ring:
        return []

    def inside(p: Point) -> bool:
        return p[axis] <= value if keep_below else p[axis] >= value

    def cross(a: Point, b: Point) -> Point:
        t = (value - a[axis]) / (b[axis] - a[axis])
        x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        return (value, y) if axis == 0 else (x, value)

    out: Ring = []
    prev = ring[-1]
    for cur in ring:
        if inside(cur):
            if not inside(prev):
                out.append(cross(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(cross(prev, cur))
        prev = cur
    return out


def densify(ring: Ring, step: float = 10.0) -> Ring:
    """Extra points on long edges (Antarctica's), so that no edge crosses half the globe."""
    out: Ring = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        out.append(a)
        n = math.ceil(abs(b[0] - a[0]) / step)
        out.extend(
            (a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n) for i in range(1, n)
        )
    return out


def split_ring(ring: Ring) -> list[Ring]:
    """A land ring as pieces inside [-180, 180] that each span at most 180 degrees."""
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    flat = unwrap(ring)
    closing = (flat[0][0] - flat[-1][0] + 180) % 360 - 180  # the short way back to the start
    if abs(flat[-1][0] + closing - flat[0][0]) > 180:
        # The ring goes once round the globe: it encloses a pole (Antarctica). Close it
        # along the pole so that it becomes an ordinary polygon 360 degrees wide.
        first, last = flat[0], flat[-1]
        steps = max(2, math.ceil(abs(last[0] - first[0]) / 10))
        flat = flat + [(last[0] + (first[0] - last[0]) * i / steps, POLE) for i in range(steps + 1)]
    flat = densify(flat)
    west_edge, east_edge = min(p[0] for p in flat), max(p[0] for p in flat)
    if west_edge >= -180 and east_edge <= 180 and east_edge - west_edge <= 180:
        return [flat]
    pieces = []
    lo = math.floor((min(p[0] for p in flat) + 180) / 360) * 360 - 180
    for west in range(int(lo), int(max(p[0] for p in flat)), 180):
        part = clip(clip(flat, 0, west, False), 0, west + 180, True)
        if len(part) >= 3:
            shift = -360 * math.floor((west + 180) / 360)
            pieces.append([(lon + shift, lat) for lon, lat in part])
    return pieces


def split_line(line: list[Point]) -> list[list[Point]]:
    """A coast or border without its jumps across the 180th meridian and pole edges."""
    out: list[list[Point]] = []
    current: list[Point] = []
    west = east = 0.0
    for a, b in zip(line, line[1:], strict=False):
        on_edge = (abs(a[0]) >= 179.999 and abs(b[0]) >= 179.999) or (a[1] <= -85 and b[1] <= -85)
        if abs(a[0] - b[0]) > 180 or on_edge:
            if len(current) >= 2:
                out.append(current)
            current = []
            continue
        if not current:
            current, west, east = [a], a[0], a[0]
        west, east = min(west, b[0]), max(east, b[0])
        if east - west > 180:
            # Antarctica's coast runs round the globe: cut it into half-globe pieces.
            out.append(current)
            current, west, east = [a], min(a[0], b[0]), max(a[0], b[0])
        current.append(b)
    if len(current) >= 2:
        out.append(current)
    return out


def country_lines(topo: dict, arcs: list[list[Point]]) -> tuple[list, list]:
    """(coasts, borders): arcs used by one country, and arcs two countries share."""
    uses: Counter[int] = Counter()
    for geometry in topo["objects"]["countries"]["geometries"]:
        for poly in _polygons(geometry):
            for ring in poly:
                uses.update(i if i >= 0 else ~i for i in ring)
    coasts, borders = [], []
    for index, count in uses.items():
        target = borders if count >= 2 else coasts
        target.extend(split_line(arcs[index]))
    return coasts, borders


def encode(points: list[Point]) -> list[int]:
    """[x0, y0, dx1, dy1, ...] in thousandths of a degree, repeated points dropped."""
    out: list[int] = []
    px = py = None
    for lon, lat in points:
        x, y = round(lon * UNIT), round(lat * UNIT)
        if (x, y) == (px, py):
            continue
        if px is None:
            out += [x, y]
        else:
            out += [x - px, y - py]
        px, py = x, y
    return out


def _bbox(points: list[Point]) -> tuple[float, float, float, float]:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def _cells(bbox: tuple[float, float, float, float]) -> Iterator[tuple[int, int]]:
    w, s, e, n = bbox
    for cx in range(math.floor(w / CELL), math.floor(min(e, 179.999) / CELL) + 1):
        for cy in range(math.floor(s / CELL), math.floor(min(n, 89.999) / CELL) + 1):
            yield cx, cy


def cut_lines(lines: list[list[Point]]) -> dict[tuple[int, int], list[list[Point]]]:
    """Lines split by cell: each segment goes to every cell its bounding box touches."""
    out: dict[tuple[int, int], list[list[Point]]] = defaultdict(list)
    for line in lines:
        runs: dict[tuple[int, int], list[Point]] = {}
        for a, b in zip(line, line[1:], strict=False):
            for cell in _cells(_bbox([a, b])):
                run = runs.get(cell)
                if run is not None and run[-1] == a:
                    run.append(b)
                else:
                    if run is not None and len(run) >= 2:
                        out[cell].append(run)
                    runs[cell] = [a, b]
        for cell, run in runs.items():
            out[cell].append(run)
    return out


def cut_rings(rings: list[Ring]) -> dict[tuple[int, int], list[Ring]]:
    out: dict[tuple[int, int], list[Ring]] = defaultdict(list)
    for ring in rings:
        for cx, cy in _cells(_bbox(ring)):
            w, s = cx * CELL, cy * CELL
            part = clip(clip(ring, 0, w, False), 0, w + CELL, True)
            part = clip(clip(part, 1, s, False), 1, s + CELL, True)
            if len(part) >= 3:
                out[(cx, cy)].append(part)
    return out


def layer(fills: list[Ring], coasts: list, borders: list) -> dict:
    return {
        "fill": [encode(r) for r in fills],
        "coast": [encode(line) for line in coasts],
        "border": [encode(line) for line in borders],
    }


def build_level(topo: dict, name: str, out: Path) -> list[dict]:
    """Write one level's files; returns its cells as {key, bbox} for the index."""
    arcs = decode_arcs(topo)
    fills = [piece for ring in land_rings(topo, arcs) for piece in split_ring(ring)]
    coasts, borders = country_lines(topo, arcs)
    if name != "10m":
        key = f"{name}.json"
        (out / key).write_text(json.dumps(layer(fills, coasts, borders), separators=(",", ":")))
        return [{"key": key, "bbox": [-180, -90, 180, 90]}]
    (out / name).mkdir(exist_ok=True)
    for old in (out / name).glob("*.json"):
        old.unlink()
    fill_cells, coast_cells, border_cells = cut_rings(fills), cut_lines(coasts), cut_lines(borders)
    cells = []
    for cell in sorted(set(fill_cells) | set(coast_cells) | set(border_cells)):
        key = f"{name}/{cell[0]}_{cell[1]}.json"
        data = layer(
            fill_cells.get(cell, []), coast_cells.get(cell, []), border_cells.get(cell, [])
        )
        (out / key).write_text(json.dumps(data, separators=(",", ":")))
        w, s = cell[0] * CELL, cell[1] * CELL
        cells.append({"key": key, "bbox": [w, s, w + CELL, s + CELL]})
    return cells


def build(package: Path, out: Path = OUT) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    levels = []
    for name, min_zoom, max_zoom in LEVELS:
        topo = json.loads((package / f"countries-{name}.json").read_text())
        cells = build_level(topo, name, out)
        levels.append({"name": name, "minZoom": min_zoom, "maxZoom": max_zoom, "cells": cells})
    index = {"unit": UNIT, "levels": levels}
    (out / "index.json").write_text(json.dumps(index, separators=(",", ":")))
    return index


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    index = build(Path(args[0]))
    cells = sum(len(level["cells"]) for level in index["levels"])
    print(f"wrote {cells} files under {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
