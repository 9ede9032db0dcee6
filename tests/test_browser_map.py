"""The map in Debian's Chromium: labels, selection, overlapping clicks, outlines, offline."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from geo.models import Article, Place
from geo.store import Store
from tests.browser import CHROMIUM, ROOT, click_latlng, launch_browser, map_frame, serve
from tests.dashboard_store import _mentions
from tests.test_browser import seed_store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]

IDLIB_VIEW = (35.86, 36.75)
# Saraqib's neighbours: in the gazetteer, but named by no seed article.
NEIGHBOURS = ("Sarmin", "Binnish", "Ariha", "Ma'arrat an Nu'man")
BIG = Place("t:big", "Bigtown", 10.0, 20.0, "TD", "", "P", "PPL", 50_000)
SMALL = Place("t:small", "Smallville", 10.004, 20.006, "TD", "", "P", "PPL", 900)


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("seeded") / "geo.sqlite"
    seed_store(db)
    yield from serve(db)


@pytest.fixture(scope="module")
def overlap_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small circle inside a big one, the small one stored first."""
    db = tmp_path_factory.mktemp("overlap") / "geo.sqlite"
    store = Store.open(str(db))
    try:
        articles = [("Smallville", SMALL)] + [("Bigtown", BIG)] * 6
        for i, (name, place) in enumerate(articles):
            text = f"Report {i}: fighting near {name} today."
            store.add_article(
                Article(text=text, title=f"Report {i}", date=dt.date(2024, 1, 1 + i), source="t"),
                _mentions(text, [(name, place)]),
            )
    finally:
        store.close()
    yield from serve(db)


@pytest.fixture()
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_browser(pw)
        yield browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        browser.close()


def test_towns_no_article_mentions_are_labelled_at_idlib_zoom(seeded_app: str, page) -> None:
    page.goto(seeded_app)
    _, frame = map_frame(page)
    frame.evaluate(f"() => window.map.setView({list(IDLIB_VIEW)}, 10, {{animate: false}})")
    frame.wait_for_function(
        f"{json.dumps(NEIGHBOURS)}.every(n => window.GeoMap._labels.placed.includes(n))",
        timeout=30_000,
    )
    markers = frame.evaluate("() => window.GeoMap._markers.layers.map(l => l.getLatLng().lat)")
    assert markers, "the seeds put markers on the map"
    # At local zoom the markers carry their names too, as text in the page.
    assert frame.locator(".geo-label-marker", has_text="Saraqib").first.is_visible()
    frame.evaluate("() => { window.map.setZoom(5, {animate: false}); }")
    frame.wait_for_function("window.GeoMap._labels.zoom === 5")
    assert frame.locator(".geo-label-marker").count() == 0  # not at country zoom
    frame.evaluate(f"() => {{ window.map.setView({list(IDLIB_VIEW)}, 10, {{animate: false}}); }}")
    frame.wait_for_function("window.GeoMap._labels.zoom === 10")
    for name in NEIGHBOURS:
        label = frame.locator(".geo-label", has_text=name).first
        assert label.is_visible()
    tips = " ".join(
        frame.evaluate("() => window.GeoMap._markers.layers.map(l => l.getTooltip().getContent())")
    )
    assert not any(name in tips for name in NEIGHBOURS), "labels come from the gazetteer"
    # Decluttered: no two labels on the page overlap.
    boxes = frame.evaluate(
        "() => [...document.querySelectorAll('.geo-label')].map(e => {"
        " const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert len(boxes) >= 10
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (a, b)
    # Labels sit below the markers: their pane is under Leaflet's overlay pane.
    assert frame.evaluate(
        "() => +window.map.getPane('geo-labels').style.zIndex"
        " < +getComputedStyle(window.map.getPane('overlayPane')).zIndex"
    )


def test_choosing_a_place_in_the_search_marks_and_centres_it(seeded_app: str, page) -> None:
    page.goto(seeded_app)
    _, frame = map_frame(page)
    start_zoom = frame.evaluate("() => window.map.getZoom()")
    assert start_zoom < 9, "the first view fits all the seeds' places"
    box = page.get_by_label("Find a place")
    box.fill("Saraqeb")
    box.press("Enter")
    page.get_by_role("button", name="Saraqib").first.click()
    page.get_by_role("heading", name="Saraqib").wait_for(timeout=30_000)
    frame.wait_for_function(
        "window.GeoMap.selected && window.GeoMap.selected.name === 'Saraqib'", timeout=30_000
    )
    frame.wait_for_function("window.map.getZoom() >= 11")
    lat, lon = frame.evaluate("() => { const c = window.map.getCenter(); return [c.lat, c.lng]; }")
    assert abs(lat - 35.864) < 0.02 and abs(lon - 36.806) < 0.02, (lat, lon)
    # The halo: two rings drawn around the selected circle, not clickable.
    rings = frame.evaluate(
        """() => { let n = 0; window.map.eachLayer(l => {
            if (l.options && l.options.className === 'geo-selected') n++; }); return n; }"""
    )
    assert rings == 1


def test_a_click_on_overlapping_circles_selects_the_top_one(overlap_app: str, page) -> None:
    page.goto(overlap_app)
    _, frame = map_frame(page)
    # At zoom 11 the small circle lies inside the big one.
    click_latlng(page, SMALL.lat, SMALL.lon, zoom=11)
    page.get_by_role("heading", name="Smallville").wait_for(timeout=30_000)
    # A point of the big circle outside the small one opens the big place.
    x, y = frame.evaluate(
        """([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);
            return [p.x - 12, p.y + 6]; }""",
        [BIG.lat, BIG.lon],
    )
    # The reading panel scrolls itself into view on a selection: bring the map back first.
    handle = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]')
    page.wait_for_timeout(1000)
    handle.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    box = handle.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.get_by_role("heading", name="Bigtown").wait_for(timeout=30_000)


OUTLINE_SPANS = """() => {
    const spans = [];
    const walk = ll => {
        if (!ll.length) return;
        if (ll[0].lat !== undefined) {
            const lons = ll.map(p => p.lng);
            let step = 0;
            for (let i = 1; i < lons.length; i++)
                step = Math.max(step, Math.abs(lons[i] - lons[i - 1]));
            spans.push([Math.max(...lons) - Math.min(...lons), step]);
        } else ll.forEach(walk);
    };
    Object.values(window.GeoMap._base.drawn).forEach(g => g.eachLayer(l => walk(l.getLatLngs())));
    return spans;
}"""


@pytest.mark.parametrize(
    ("view", "zoom", "level"),
    [((10, 170), 2, "110m"), ((-17, 178), 4, "50m"), ((66, 179.5), 6, "10m")],
)
def test_no_basemap_outline_spans_more_than_180_degrees(
    seeded_app: str, page, view, zoom: int, level: str
) -> None:
    page.goto(seeded_app)
    _, frame = map_frame(page)
    frame.evaluate(f"() => window.map.setView({list(view)}, {zoom}, {{animate: false}})")
    frame.wait_for_function(
        f"""window.GeoMap._base.level === '{level}'
            && Object.keys(window.GeoMap._base.drawn).length
            && Object.keys(window.GeoMap._base.drawn).every(k => k.startsWith('{level}'))""",
        timeout=30_000,
    )
    spans = frame.evaluate(OUTLINE_SPANS)
    assert len(spans) >= 3
    assert max(s[0] for s in spans) <= 180
    assert max(s[1] for s in spans) < 180


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"),
    reason="needs root, unshare and ip for a loopback-only network namespace",
)
def test_offline_from_another_folder_in_a_loopback_only_namespace(tmp_path: Path) -> None:
    db = tmp_path / "geo.sqlite"
    seed_store(db)
    probe = ROOT / "tests" / "offline_probe.py"
    done = subprocess.run(
        [
            "unshare",
            "-n",
            "sh",
            "-c",
            f'ip link set lo up && exec "{sys.executable}" "{probe}" "{db}"',
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    hosts = {urlparse(u).hostname for u in report["requests"]}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    assert report["failed"] == []
    assets = report["assets"]
    for name, kind in (
        ("leaflet/leaflet.js", "javascript"),
        ("geomap/geomap.js", "javascript"),
        ("basemap/index.json", "json"),
        ("labels/index.json", "json"),
    ):
        status, content_type = assets[name]
        assert status == 200 and kind in content_type, (name, status, content_type)
    assert any(key.startswith("basemap/10m/") for key in assets)
    assert set(NEIGHBOURS) & set(report["labels"]) and report["markers"] > 0
    assert "external IP" not in report["server_log"], report["server_log"]


def test_a_tiny_mbtiles_file_becomes_the_base_layer(tmp_path: Path, page) -> None:
    from tests.browser import free_port, wait_healthy
    from tests.test_basemap import make_mbtiles

    db = tmp_path / "geo.sqlite"
    seed_store(db)
    tiles = tmp_path / "tiny.mbtiles"
    make_mbtiles(tiles)
    port = free_port()
    cmd = [sys.executable, "-m", "dashboard", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--tiles", str(tiles)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        page.goto(url)
        _, frame = map_frame(page)
        frame.evaluate("() => { window.map.setView([20, 20], 1, {animate: false}); }")
        frame.wait_for_function(
            "[...document.querySelectorAll('img.leaflet-tile')].some(i => i.complete"
            " && i.naturalWidth === 4 && i.src.includes('/app/static/usertiles/1/1/0.png'))",
            timeout=30_000,
        )
        assert frame.evaluate("() => Object.keys(window.GeoMap._base.drawn).length") == 0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        from dashboard import basemap

        basemap.clear_user_tiles()
