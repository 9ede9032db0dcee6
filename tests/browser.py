"""Helpers for the browser tests: start the dashboard as `python -m dashboard` would, drive
Debian's Chromium, and reach into the map's iframe (markers, labels, basemap)."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

# One set of Chromium launch flags and one start-up wait for the tests and the browser bench.
from bench.browser import (  # noqa: F401  (re-exported to the tests)
    ARGS,
    CHROMIUM,
    MAP_IFRAME,
    wait_healthy,
)

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_labels() -> None:
    """The label files `make install` builds; built here too when a test runs without it."""
    from dashboard import labels_build

    if labels_build.is_stale():
        labels_build.build()


def serve(db: Path, *, cwd: str | None = None) -> Iterator[str]:
    """The dashboard started by the launcher's command line, from a folder that is not the
    project (so nothing depends on .streamlit/config.toml being found)."""
    from dashboard import launch

    ensure_labels()
    port = free_port()
    with tempfile.TemporaryDirectory() as elsewhere:
        proc = subprocess.Popen(
            launch.command(str(db), port=port),
            cwd=cwd or elsewhere,
            env={**os.environ, "GEO_DB": str(db)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def map_frame(page):
    """The map iframe's handle and frame, once the markers are on the map."""
    handle = page.wait_for_selector(MAP_IFRAME, timeout=30_000)
    frame = handle.content_frame()
    frame.wait_for_selector(".leaflet-container", timeout=30_000)
    frame.wait_for_function("window.map && window.GeoMap && window.GeoMap._markers")
    return handle, frame


TOOLTIPS = """() => window.GeoMap._markers.layers.map(l => l.getTooltip().getContent())"""

# The live marker nearest (lat, lon), within about 15 km.
NEAREST = """([lat, lon]) => {
    let hit = null, best = 0.15;
    window.GeoMap._markers.layers.forEach(l => {
        const p = l.getLatLng(), d = Math.hypot(p.lat - lat, p.lng - lon);
        if (d < best) { best = d; hit = l; }
    });
    return hit;
}"""


def click_latlng(page, lat: float, lon: float, zoom: int | None = None) -> None:
    """Click the map where (lat, lon) is, like a user; optionally zoom there first."""
    handle, frame = map_frame(page)
    if zoom is not None:
        frame.evaluate(
            "([lat, lon, z]) => window.map.setView([lat, lon], z, {animate: false})",
            [lat, lon, zoom],
        )
        page.wait_for_timeout(500)
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    handle.evaluate("e => e.scrollIntoView({block: 'center'})")
    box = handle.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def click_place(page, lat: float, lon: float) -> str:
    """Click the marker nearest (lat, lon) at zoom 11; returns its tooltip."""
    _, frame = map_frame(page)
    frame.wait_for_function(f"({NEAREST})({[lat, lon]}) !== null")
    plat, plon, tooltip = frame.evaluate(
        f"""(latlon) => {{
            const hit = ({NEAREST})(latlon), p = hit.getLatLng();
            return [p.lat, p.lng, hit.getTooltip().getContent()];
        }}""",
        [lat, lon],
    )
    click_latlng(page, plat, plon, zoom=11)
    return tooltip


def launch_browser(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
