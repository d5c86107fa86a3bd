"""Make the dashboard's offline world map from world-atlas's land-110m.json.

world-atlas (npm, ISC) redistributes Natural Earth's 1:110m land (public
domain) as TopoJSON. This decodes its quantized, delta-encoded arcs and writes
one SVG path in an equirectangular projection (x = lon, y = -lat), so the
dashboard can place events by plain lon/lat with no tile server:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/world_outline.py /tmp/package/land-110m.json \
        src/eventwire/web/vendor/world-land.svg
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
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


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Make longitudes continuous (no 360-degree jumps between neighbours)."""
    out: list[tuple[float, float]] = []
    offset = 0.0
    for i, (lon, lat) in enumerate(points):
        if i:
            prev = points[i - 1][0]
            if lon - prev > 180:
                offset -= 360
            elif prev - lon > 180:
                offset += 360
        out.append((lon + offset, lat))
    return out


def main(src: str, dst: str) -> None:
    topo = json.loads(Path(src).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    parts = []
    for geom in topo["objects"]["land"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            for r in poly:
                pts = unwrap(ring(r, arcs))
                lons = [lon for lon, _ in pts]
                # A ring that crosses the antimeridian is drawn unwrapped and again
                # shifted by 360 degrees; the SVG viewBox clips both to the map.
                shifts = [0.0]
                if max(lons) > 180:
                    shifts.append(-360.0)
                if min(lons) < -180:
                    shifts.append(360.0)
                for shift in shifts:
                    coords = " ".join(f"{lon + shift:.1f},{-lat:.1f}" for lon, lat in pts)
                    parts.append(f"M{coords}Z")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180" '
           'preserveAspectRatio="none">\n<!-- Natural Earth 1:110m land (public domain), '
           'via world-atlas 2.0.2 (ISC); made by scripts/world_outline.py -->\n'
           f'<path fill="#dfe5ec" stroke="#b8c2cd" stroke-width="0.25" d="{" ".join(parts)}"/>'
           '\n</svg>\n')
    Path(dst).write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
