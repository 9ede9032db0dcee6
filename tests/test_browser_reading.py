"""Reading by place in Debian's Chromium: search by name keys, shareable URLs, dates that
follow an upload, an 850-place article, and a hostile Markdown place name."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from geo.models import ROLE_PLACE, Article, Mention, Place
from geo.store import Store
from tests.browser import CHROMIUM, serve
from tests.test_browser import browser_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]

IDLIB = Place("gn:169389", "Idlib", 35.93, 36.63, "SY", "Idlib", "P", "PPLA", 128840)
SARAQIB = Place("gn:164816", "Saraqib", 35.86, 36.81, "SY", "Idlib", "P", "PPL", 32000)
ALEPPO = Place("gn:170063", "Aleppo", 36.2, 37.16, "SY", "Aleppo", "P", "PPLA", 1602264)
HOMS = Place("gn:169577", "Homs", 34.73, 36.72, "SY", "Homs", "P", "PPLA", 775404)
ANKARA = Place("gn:323786", "Ankara", 39.92, 32.85, "TR", "Ankara", "P", "PPLC", 3517182)
HOSTILE_NAME = "![b](http://127.0.0.1:8899/x.png) **Bold**"
HOSTILE = Place("t:md", HOSTILE_NAME, 35.5, 36.5, "SY", "Idlib", "P", "PPL", 0)
TOWNS = 850


def mentions_in(text: str, names: list[tuple[str, Place]]) -> list[Mention]:
    """A mention per (surface, place), each at its first occurrence after the previous one;
    sentences end at ". "."""
    out, at = [], 0
    for surface, place in names:
        start = text.index(surface, at)
        at = start + len(surface)
        s_start = text.rfind(". ", 0, start)
        s_start = 0 if s_start == -1 else s_start + 2
        s_end = text.find(". ", start)
        s_end = len(text) if s_end == -1 else s_end + 1
        sentence = text[s_start:s_end]
        out.append(Mention(start, at, surface, ROLE_PLACE, place, 0.9, sentence, s_start))
    return out


def fill(path: Path) -> Path:
    store = Store.open(str(path))
    try:
        text = (
            "Saraqeb shelled\n\nShelling hit Saraqeb and Idleb on Monday. "
            "Residents of Saraqeb fled to Ankara."
        )
        names = [("Saraqeb", SARAQIB), ("Saraqeb", SARAQIB), ("Idleb", IDLIB)]
        names += [("Saraqeb", SARAQIB), ("Ankara", ANKARA)]
        article = Article(text, title="Saraqeb shelled", date=dt.date(2020, 2, 8), source="wire")
        store.add_article(article, mentions_in(text, names))
        text = f"Idlib and {HOSTILE_NAME} were named. Nothing else."
        hostile = Article(text, title="A list", date=dt.date(2020, 2, 1), source="wire")
        store.add_article(hostile, mentions_in(text, [("Idlib", IDLIB), (HOSTILE_NAME, HOSTILE)]))
        # An article naming 850 towns, ten per sentence, with Aleppo in some of them.
        towns = [
            Place(f"t:town{i}", f"Town{i:03d}", 36 + i / 1000, 37 + i / 1000, "SY", "Aleppo", "P")
            for i in range(TOWNS - 2)
        ]
        sentences, names = [], []
        for chunk in range(0, len(towns), 10):
            group = towns[chunk : chunk + 10]
            extra = [ALEPPO, HOMS] if chunk % 200 == 0 else []
            words = [p.name for p in group] + [p.name for p in extra]
            sentences.append("Fighting reached " + ", ".join(words) + ".")
            names.extend((p.name, p) for p in group + extra)
        text = " ".join(sentences)
        long = Article(text, title="Every town", date=dt.date(2020, 1, 15), source="monitor")
        store.add_article(long, mentions_in(text, names))
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def reading_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(fill(tmp_path_factory.mktemp("reading") / "geo.sqlite"))


def find(page, query: str) -> None:
    box = page.get_by_label("Find a place")
    box.fill(query)
    box.press("Enter")


def test_search_forgives_spelling(reading_app: str, browser_page) -> None:  # noqa: F811
    page = browser_page
    page.goto(reading_app)
    find(page, "Idleb")
    page.get_by_role("button", name="Idlib, SY · 2 mention(s)").wait_for(timeout=30_000)
    find(page, "Sarakib")
    page.get_by_role("button", name="Saraqib, Idlib, SY · 3 mention(s)").wait_for(timeout=30_000)
    # As you type: a prefix, no Enter.
    box = page.get_by_label("Find a place")
    box.fill("")
    result = page.get_by_role("button", name="Saraqib, Idlib, SY · 3 mention(s)")
    result.wait_for(state="detached", timeout=10_000)
    box.press_sequentially("saraq", delay=50)
    result.click()
    page.get_by_role("heading", name="Saraqib, Idlib, SY").wait_for(timeout=30_000)
    # One card for the sentence naming it; the article's headline is a note, not a passage.
    page.get_by_text("Named in the headline (not shown as passages).").wait_for()


def test_a_views_url_reproduces_it(reading_app: str, browser_page) -> None:  # noqa: F811
    page = browser_page
    page.goto(reading_app)
    find(page, "Idlib")
    page.get_by_role("button", name="Idlib, SY · 2 mention(s)").click()
    page.get_by_role("heading", name="Idlib, SY").wait_for(timeout=30_000)
    page.get_by_label("Passage text contains").fill("shelling")
    page.get_by_label("Passage text contains").press("Enter")
    page.wait_for_function("location.search.includes('text=shelling')", timeout=30_000)
    shared = page.url
    params = parse_qs(urlparse(shared).query)
    assert params["place"] == [IDLIB.id] and params["text"] == ["shelling"]
    fresh = page.context.new_page()
    fresh.goto(shared)
    fresh.get_by_role("heading", name="Idlib, SY").wait_for(timeout=30_000)
    # The filter applies (one of Idlib's two mentions) and its box shows it.
    fresh.get_by_text("1 mention(s) in 1 article(s) in the selection").wait_for(timeout=30_000)
    box = fresh.get_by_label("Passage text contains")
    expect(box).to_have_value("shelling", timeout=10_000)
    # A bad parameter is ignored with a notice.
    fresh.goto(shared + "&from=2020-13-45&bogus=1")
    fresh.get_by_text("Ignored from='2020-13-45' in the link").wait_for(timeout=30_000)
    fresh.get_by_text("Ignored unknown link parameter 'bogus'.").wait_for()
    fresh.get_by_role("heading", name="Idlib, SY").wait_for()


def test_an_850_place_article_renders_fast(reading_app: str, browser_page) -> None:  # noqa: F811
    page = browser_page
    page.goto(reading_app)
    find(page, "Aleppo")
    button = page.get_by_role("button", name="Aleppo, SY · 5 mention(s)")
    button.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    started = time.monotonic()
    button.click()
    page.get_by_role("heading", name="Aleppo, SY").wait_for(timeout=30_000)
    page.get_by_placeholder(f"+ {TOWNS - 1 - 12} more places in this article").wait_for(
        timeout=30_000
    )
    page.get_by_text("Town000").first.wait_for()
    elapsed = time.monotonic() - started
    print(f"850-place article rendered in {elapsed:.2f} s")
    assert elapsed < 3.0
    # One card per sentence naming Aleppo, every other place listed once for the block.
    cards = page.locator("[data-testid='stMarkdownContainer'] strong", has_text="Aleppo")
    assert cards.count() == 5
    page.get_by_text("Also in this article").first.wait_for()
    assert page.get_by_text("Also in this article").count() == 1
    # Scrolled down, a jump to another place with as long a panel starts it at the top.
    panel = page.locator(".st-key-passage_panel")
    panel.evaluate("(el) => { el.scrollTop = el.scrollHeight; }")
    assert panel.evaluate("(el) => el.scrollTop") > 0
    panel.get_by_text("Homs, SY", exact=True).click()
    page.get_by_role("heading", name="Homs, SY").wait_for(timeout=30_000)
    page.wait_for_function(
        "document.querySelector('.st-key-passage_panel').scrollTop === 0", timeout=10_000
    )


def test_hostile_markdown_name_is_plain_text(reading_app: str, browser_page) -> None:  # noqa: F811
    page = browser_page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(reading_app)
    find(page, "b http")
    label = f"{HOSTILE_NAME}, Idlib, SY · 1 mention(s)"
    page.get_by_role("button", name=label).wait_for(timeout=30_000)
    find(page, "Idlib")
    page.get_by_role("button", name="Idlib, SY · 2 mention(s)").click()
    page.get_by_role("heading", name="Idlib, SY").wait_for(timeout=30_000)
    # The hostile place among the article's other places: its label, verbatim.
    page.get_by_text(f"{HOSTILE_NAME}, Idlib, SY", exact=True).first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert page.evaluate("document.querySelectorAll('img[src*=\"8899\"]').length") == 0
    assert page.locator("strong", has_text="Bold").count() == 0
    assert not [u for u in requests if ":8899" in u]


def test_an_upload_widens_a_full_date_range(
    tmp_path: Path,
    browser_page,  # noqa: F811
) -> None:
    page = browser_page
    for url in serve(fill(tmp_path / "geo.sqlite")):
        page.goto(url)
        year_to = page.get_by_role("spinbutton", name="year, To")
        year_to.wait_for(timeout=30_000)
        assert year_to.text_content() == "2020"
        page.get_by_text("Add articles").click()
        upload = tmp_path / "later.md"
        upload.write_text(
            "---\ntitle: Later\ndate: 2021-06-01\n---\nShelling hit Idlib on Tuesday.\n", "utf-8"
        )
        page.locator("input[type=file][multiple]").set_input_files(str(upload))
        page.get_by_role("button", name="Add to the map").click()
        page.get_by_text("Added 1 article(s); 0 already stored.").wait_for(timeout=120_000)
        page.wait_for_function(
            "[...document.querySelectorAll('[role=spinbutton]')]"
            ".some(e => (e.getAttribute('aria-label') || '').startsWith('year, To')"
            " && e.textContent === '2021')",
            timeout=30_000,
        )
        page.get_by_text(
            "All dates (undated articles included) while the range is full."
        ).wait_for()
