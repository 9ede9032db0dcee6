"""The markers travel as a static file: a click moves the halo and re-sends no markers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import Wire
from bench.synthetic import cached_store
from dashboard import marker_files
from geo.models import Filters
from geo.store import Store
from tests.browser import CHROMIUM, click_latlng, launch_browser, map_frame, serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]

PLACES = 3_000


@pytest.fixture(scope="module")
def many_places(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list]]:
    """A synthetic store with enough places that inline markers would be hundreds of KB."""
    db, _ = cached_store(tmp_path_factory.mktemp("many"), 1_500, 15_000, PLACES)
    with Store.open(str(db)) as store:
        top = [pc.place for pc in store.place_counts(Filters(include_broad=False))[:2]]
    for url in serve(db):
        yield url, top


def _settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


def test_a_click_moves_the_halo_without_resending_or_rebuilding_markers(many_places) -> None:
    from playwright.sync_api import sync_playwright

    url, (first, second) = many_places
    with sync_playwright() as pw:
        browser = launch_browser(pw)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        wire = Wire()
        page.on("websocket", wire.on_socket)
        page.goto(url)
        _, frame = map_frame(page)
        _settled(page)
        marker_url = frame.evaluate("() => window.GeoMap._markers.url")
        assert marker_url.startswith(marker_files.MARKER_URL + "/")
        # The file is on disk under dashboard/static/markers and served as JSON.
        name = marker_url.rsplit("/", 1)[1]
        assert (marker_files.MARKER_DIR / name).is_file()
        served = page.request.get(url + marker_url)
        assert served.ok and "json" in served.headers["content-type"]
        rows = served.json()["rows"]
        assert len(rows) >= PLACES * 0.75 and len(served.body()) > 200_000
        assert frame.evaluate("() => window.GeoMap._markers.layers.length") == len(rows)
        # Tag the built circles: the same objects must still be there after the clicks.
        frame.evaluate("() => { window.GeoMap._markers.layers[0].__tag = 'kept'; }")
        builds = frame.evaluate("() => window.GeoMap._mk.builds")
        for place in (first, second):
            mark = wire.mark()
            click_latlng(page, place.lat, place.lon, zoom=11)
            page.get_by_role("heading", name=place.name).first.wait_for(timeout=60_000)
            _settled(page)
            sent = sum(wire.component[mark[1] :])
            assert 0 < sent < 20_000, f"the map's component was sent {sent} bytes"
            frame.wait_for_function(
                f"window.GeoMap.selected && window.GeoMap.selected.name === {place.name!r}"
            )
            assert frame.evaluate("() => window.GeoMap._mk.builds") == builds
            assert frame.evaluate("() => window.GeoMap._markers.layers[0].__tag") == "kept"
        # A filter change is a new file: fetched once, and the circles rebuilt from it.
        box = page.get_by_label("Passage text contains")
        box.fill("convoy")
        box.press("Enter")
        frame.wait_for_function(f"window.GeoMap._markers.url !== {marker_url!r}", timeout=60_000)
        assert frame.evaluate("() => window.GeoMap._mk.builds") == builds + 1
        assert frame.evaluate("() => window.GeoMap._markers.layers[0].__tag") is None
        # The selection survives the rebuild.
        assert frame.evaluate("() => window.GeoMap.selected.name") == second.name
        browser.close()
