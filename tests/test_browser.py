"""End to end in Debian's headless Chromium: map, click, passages, dates, offline, no XSS."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import (
    CHROMIUM,
    NEAREST,
    ROOT,
    TOOLTIPS,
    click_place,
    launch_browser,
    map_frame,
    serve,
)
from tests.dashboard_store import fill_store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]


def seed_store(db: Path) -> None:
    """The seeds through the real CLI: this test proves the whole pipeline, so it must work."""
    done = subprocess.run(
        [sys.executable, "-m", "geo", "ingest", str(ROOT / "seeds"), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(
            f"`python -m geo ingest seeds` failed ({done.returncode}):\n"
            f"{done.stderr.strip()[-2000:]}"
        )


def screenshot_path() -> Path:
    """tests/artifacts/ (ignored by git); docs/screenshot.png only with GEO_UPDATE_SCREENSHOT=1."""
    if os.environ.get("GEO_UPDATE_SCREENSHOT") == "1":
        return ROOT / "docs" / "screenshot.png"
    return ROOT / "tests" / "artifacts" / "screenshot.png"


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("seeded") / "geo.sqlite"
    seed_store(db)
    yield from serve(db)


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = fill_store(tmp_path_factory.mktemp("hostile") / "geo.sqlite", hostile=True)
    yield from serve(db)


@pytest.fixture()
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_browser(pw)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        browser.close()


# Saraqeb's real position; the gazetteer may name it Saraqib, so find the marker by place.
SARAQEB = (35.8626, 36.8006)


def test_click_saraqeb_read_passages_filter_dates_offline(seeded_app: str, browser_page) -> None:
    page = browser_page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(seeded_app)
    # The first click can land while the page is still settling (the component remounts once
    # after the first script run); like a user, click again if nothing opened.
    for attempt in range(3):
        tooltip = click_place(page, *SARAQEB)
        name = tooltip.split(",")[0]  # "Saraqib, Idlib, SY: 2 mentions"
        assert name in ("Saraqeb", "Saraqib"), tooltip
        heading = page.get_by_role("heading", name=name)
        try:
            heading.wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            print(f"click attempt {attempt} opened nothing")
            if attempt == 2:
                raise
    mark = page.locator('[data-testid="stMarkdownContainer"] strong', has_text="Saraqeb")
    mark.first.wait_for(timeout=30_000)
    assert mark.count() >= 1
    # Zoom out a little so the screenshot shows the selection among its neighbours' names.
    _, frame = map_frame(page)
    frame.evaluate("() => { window.map.setZoom(10, {animate: false}); }")
    frame.wait_for_function("window.GeoMap._labels.zoom === 10 && window.GeoMap._base.ready")
    page.wait_for_timeout(1000)
    # The reading panel scrolls itself into view on a selection; bring the map back.
    page.locator('iframe[title="streamlit_folium.st_folium"]').evaluate(
        "e => e.scrollIntoView({block: 'center'})"
    )
    page.wait_for_timeout(500)
    shot = screenshot_path()
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))

    # The date input is three spin buttons (year, month, day): type into each.
    for part, value in (("year", "2018"), ("month", "12"), ("day", "31")):
        page.get_by_role("spinbutton", name=f"{part}, To").click()
        page.keyboard.type(value)
    page.get_by_role("heading", name="Places in the news").click()
    page.get_by_text("No passages mention this place").wait_for(timeout=30_000)
    _, frame = map_frame(page)
    frame.wait_for_function(f"({NEAREST})({list(SARAQEB)}) === null")
    assert frame.evaluate(TOOLTIPS), "other 2018 places stay on the map"

    hosts = {urlparse(u).hostname for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


def test_hostile_article_shows_as_text_and_runs_nothing(hostile_app: str, browser_page) -> None:
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_app)
    _, frame = map_frame(page)
    page.get_by_label("Find a place").fill("Tehran")
    page.get_by_label("Find a place").press("Enter")
    page.get_by_role("button", name="Tehran").first.click()
    page.get_by_role("heading", name="Tehran").wait_for(timeout=30_000)
    # Open more context for every passage: the whole hostile article is on the page.
    for toggle in page.get_by_text("More context").all():
        toggle.click()
    page.get_by_text("<script>window.__pwned = 1</script>").first.wait_for(timeout=30_000)
    page.get_by_text("${window.__pwned = 3}").first.wait_for()
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__pwned") is None
    assert frame.evaluate("window.__pwned") is None
    # The hostile place name is a tooltip on the map, as text too.
    tooltips = frame.evaluate(TOOLTIPS)
    assert any("&lt;script&gt;" in t for t in tooltips)
    assert frame.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    assert dialogs == []


def test_a_failing_seed_ingest_fails_the_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No stand-in store: the browser test must run on what the real pipeline stored.
    def broken(*args, **kwargs):
        return subprocess.CompletedProcess(args, 2, "", "model not found")

    monkeypatch.setattr(subprocess, "run", broken)
    with pytest.raises(pytest.fail.Exception, match="model not found"):
        seed_store(tmp_path / "geo.sqlite")
    assert not list(tmp_path.iterdir())


def test_the_screenshot_updates_the_docs_only_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEO_UPDATE_SCREENSHOT", raising=False)
    assert screenshot_path() == ROOT / "tests" / "artifacts" / "screenshot.png"
    monkeypatch.setenv("GEO_UPDATE_SCREENSHOT", "1")
    assert screenshot_path() == ROOT / "docs" / "screenshot.png"
