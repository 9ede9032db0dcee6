"""Saved web pages: trafilatura keeps the article and drops the site around it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.ingest import ingest_articles, read_inputs
from geo.ingest.readers import article_from_upload
from geo.ingest.webpage import page_article
from geo.models import Article
from geo.store import Store

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"

# (fixture, sentences of the article, boilerplate lines, title, author, date, canonical URL)
CASES = [
    (
        "saraqib_news.html",
        [
            "Artillery fire struck the centre of Saraqib overnight, residents said on Thursday",
            "which makes it one of the most contested places in Idlib province.",
            '"We left at dawn with whatever fitted in the car," said Abu Khaled',
            "The United Nations has warned that the fighting has displaced more people",
        ],
        [
            "Lagos bureau", "Montevideo desk", "Sign in", "Menu", "Share on Facebook",
            "Share on Twitter", "Email this story", "Comments (3)", "I was in Tbilisi",
            "My cousin lives in Nairobi", "Post comment", "Most read",
            "Floods sweep through Lagos suburbs", "Kandahar governor resigns",
            "Sign up for our newsletter", "12 Harbour Road, Nairobi", "All rights reserved",
            "Privacy policy", "Blast at Kandahar market",
        ],
        "Shelling hits Saraqib as families flee Idlib countryside",
        "Rania Haddad",
        dt.date(2020, 2, 6),
        "https://www.levantdaily.example/news/2020/02/06/saraqib-shelling",
    ),
    (
        "beirut_jsonld.html",
        [
            "residents of Gemmayzeh and Mar Mikhael swept glass from streets",
            "some of the injured were taken to Tripoli and Sidon.",
            "“We have lost everything, the shop, the flat, the car,” said Maya, a café owner.",
        ],
        [
            "We use cookies", "Accept all", "Subscribe", "Follow us", "Trending now",
            "Oslo unveils new opera season", "Manila braces for typhoon", "Offices in Oslo",
        ],
        "Port blast: Beirut counts the cost",
        "Karim Nassar",
        dt.date(2020, 8, 6),
        "https://worldreport.example/2020/08/06/beirut-counts-the-cost",
    ),
    (
        # HTML5 that never closes <head> (nor opens <body>), with inline SVG icons whose
        # <title>s the old stdlib reader glued onto the article title.
        "html5_no_head.html",
        [
            "A convoy of forty-six lorries carrying food and medicine reached Douma on Monday",
            "some supplies had been removed from the lorries before they left Damascus.",
            "The convoy left after nine hours",
        ],
        ["Search icon", "Share this article", "Reykjavik weather", "Contact us", "Advertise"],
        "Aid convoy reaches Douma after months of siege",
        "",
        dt.date(2018, 3, 5),
        "https://example.org/world/douma-convoy",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "article", "boiler", "title", "author", "date", "url"), CASES)
def test_page_keeps_the_article_and_drops_the_boilerplate(
    name: str,
    article: list[str],
    boiler: list[str],
    title: str,
    author: str,
    date: dt.date,
    url: str,
) -> None:
    (page,) = read_inputs([PAGES / name])
    assert isinstance(page, Article)
    for sentence in article:
        assert sentence in page.text
    for line in boiler:
        assert line not in page.text, line
        assert line not in page.title, line
    assert (page.title, page.author, page.date, page.date_source, page.url) == (
        title, author, date, "html-meta", url,
    )  # fmt: skip
    assert page.language == "en"


def test_declared_charset_is_honoured() -> None:
    # beirut_jsonld.html is windows-1252 bytes (curly quotes, é) and says so in <meta>.
    data = (PAGES / "beirut_jsonld.html").read_bytes()
    assert "“".encode("cp1252") in data
    page = article_from_upload("beirut.html", data, None)
    assert "“We have lost everything" in page.text and "café" in page.text


def test_page_without_article_text_is_an_error() -> None:
    html = (
        "<html><head><title>Gallery</title><script>var a = 'Aleppo';</script></head>"
        "<body><div class='gallery'><img src='1.jpg'><img src='2.jpg'></div></body></html>"
    )
    with pytest.raises(InputError, match="no article text"):
        page_article(html, "empty.html")


def test_page_date_falls_back_to_the_dateline() -> None:
    html = (
        "<html><body><article><h1>Talks on Idlib</h1><p>TEHRAN, Iran (AP) — Sept. 7, 2018 — "
        "The presidents of Iran, Russia and Turkey met in Tehran on Friday to discuss the "
        "future of Idlib province, the last rebel stronghold in Syria.</p></article></body></html>"
    )
    page = page_article(html, "talks.html")
    assert (page.date, page.date_source) == (dt.date(2018, 9, 7), "dateline")


def test_places_named_only_in_the_boilerplate_are_not_stored(
    tmp_path: Path, nlp, gazetteer
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    for case in CASES:
        shutil.copy(PAGES / case[0], folder / case[0])
    pages = [a for a in read_inputs([folder]) if isinstance(a, Article)]
    assert len(pages) == 3
    with Store.open(f"sqlite:///{tmp_path / 'geo.sqlite'}") as store:
        report = ingest_articles(pages, store, nlp, gazetteer)
        assert report.added == 3 and report.ok, report.errors
        names = {pc.place.name for pc in store.place_counts()}
        stored = {store.article(i).url: store.article(i) for i in (1, 2, 3)}
    assert {"Saraqib", "Dūmā", "Damascus", "Beirut"} <= names, names
    boilerplate_only = {"Lagos", "Montevideo", "Kandahar", "Tbilisi", "Nairobi", "Oslo", "Manila"}
    boilerplate_only |= {"Reykjavík", "Reykjavik"}
    assert not names & boilerplate_only, names & boilerplate_only
    saraqib = stored["https://www.levantdaily.example/news/2020/02/06/saraqib-shelling"]
    assert (saraqib.author, saraqib.date, saraqib.date_source, saraqib.language) == (
        "Rania Haddad", dt.date(2020, 2, 6), "html-meta", "en",
    )  # fmt: skip
    assert saraqib.title == "Shelling hits Saraqib as families flee Idlib countryside"


def test_articles_json_shows_the_extracted_metadata(tmp_path: Path) -> None:
    import json

    from tests.conftest import run_cli

    db = str(tmp_path / "geo.sqlite")
    done = run_cli("ingest", str(PAGES), "--db", db, "--workers", "1")
    assert done.returncode == 0, done.stderr
    listed = run_cli("articles", "--db", db, "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["url"]: row for row in map(json.loads, listed.stdout.splitlines())}
    for name, _, _, title, author, date, url in CASES:
        row = rows[url]
        assert (row["title"], row["author"], row["date"], row["date_source"]) == (
            title, author, date.isoformat(), "html-meta",
        ), name  # fmt: skip
        assert row["language"] == "en"
    assert rows[CASES[0][6]]["source"] == "Levant Daily"
    assert rows[CASES[0][6]]["focus"]["country_code"] == "SY"
