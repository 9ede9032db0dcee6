"""In Debian's headless Chromium: an unsure place is drawn hollow; correcting it from the
passage panel moves its marker to the runner-up at once."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo import Article, Candidate, Mention, Place
from geo.store import Store
from tests.dashboard_store import AL_EIS, fill_store
from tests.test_browser import (  # noqa: F401  (browser_page is a fixture)
    CHROMIUM,
    NEAREST,
    ROOT,
    browser_page,
    click_place,
    map_frame,
    serve,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]
KAFR = Place("t:kafr", "Kafr Nabl", 35.61, 36.56, "SY", "Idlib", "P", "PPL", 0)
TEXT = "Shelling hit Kafr Nabl on Sunday, witnesses said, as families fled north."

MARKER = (
    "([lat, lon]) => {"
    f"const hit = ({NEAREST})([lat, lon]);"
    "return hit && [hit.getTooltip().getContent(), hit.options.fillOpacity];}"
)


@pytest.fixture(scope="module")
def trust_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = fill_store(tmp_path_factory.mktemp("trust") / "geo.sqlite")
    with Store.open(str(db)) as store:
        at = TEXT.index("Kafr Nabl")
        unsure = Mention(
            at, at + 9, "Kafr Nabl", "place", KAFR, 0.3, TEXT, 0,
            (Candidate(AL_EIS, 1.0, "Al-Eis", 0.25),),
            "village in Idlib, Syria; 48 km from Al-Eis",
        )  # fmt: skip
        store.add_article(
            Article(TEXT, title="Kafr Nabl shelled", date=dt.date(2020, 3, 1)), [unsure]
        )
    yield from serve(db)


def shot_path() -> Path:
    if os.environ.get("GEO_UPDATE_SCREENSHOT") == "1":
        return ROOT / "docs" / "trust.png"
    return ROOT / "tests" / "artifacts" / "trust.png"


def test_correct_from_the_passage_panel_moves_the_marker(trust_app: str, browser_page) -> None:  # noqa: F811
    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 1300})  # map and form in one screenshot
    page.goto(trust_app)
    _, frame = map_frame(page)
    frame.wait_for_function(f"({MARKER})({[KAFR.lat, KAFR.lon]}) !== null")
    tooltip, fill = frame.evaluate(MARKER, [KAFR.lat, KAFR.lon])
    assert tooltip == f"{KAFR.label}: 1 mention" and fill == 0  # unsure: a hollow ring
    _, fill = frame.evaluate(MARKER, [AL_EIS.lat, AL_EIS.lon])
    assert fill > 0  # sure places are filled
    for attempt in range(3):
        click_place(page, KAFR.lat, KAFR.lon)
        try:
            page.get_by_role("heading", name="Kafr Nabl").wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.get_by_text("unsure (0.30)").first.wait_for(timeout=30_000)
    page.get_by_text("Other candidates: Al-Eis, Aleppo, SY").first.wait_for()
    page.get_by_text("Correct", exact=True).first.click()
    page.get_by_text("a runner-up").first.click()
    page.locator('input[aria-label="Note (optional)"]:visible').fill("wire copy misspelt Al-Eis")
    page.get_by_role("button", name="Save correction").wait_for(timeout=30_000)
    map_frame(page)[1].evaluate("() => { window.map.setView([35.8, 36.8], 8, {animate: false}); }")
    page.evaluate(
        "() => { window.scrollTo(0, 0); "
        "document.querySelectorAll('[data-testid=stMain]').forEach(e => e.scrollTo(0, 0)); }"
    )
    page.wait_for_timeout(1000)
    shot = shot_path()
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    page.get_by_role("button", name="Save correction").click()

    # The marker moves: Kafr Nabl's circle goes, Al-Eis's grows to two mentions.
    _, frame = map_frame(page)
    frame.wait_for_function(f"({NEAREST})({[KAFR.lat, KAFR.lon]}) === null", timeout=30_000)
    frame.wait_for_function(
        f"(({MARKER})({[AL_EIS.lat, AL_EIS.lon]}) || [''])[0] === "
        f"{json.dumps(AL_EIS.label + ': 2 mentions')}",
        timeout=30_000,
    )
    # The passage left Kafr Nabl's panel with it.
    page.get_by_text("No passages mention this place").wait_for(timeout=30_000)
