"""Feeds and URLs, against a real HTTP server on 127.0.0.1 (never anything else)."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.ingest import Fetcher, ReadOptions, read_inputs
from geo.ingest.fetch import USER_AGENT, FetchError
from geo.models import Article
from tests.conftest import run_cli

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def rss(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Levant Daily</title><link>{base}/</link>
<item><title>Shelling hits Saraqib</title><link>{base}/saraqib</link>
<guid>story-1</guid><pubDate>Thu, 06 Feb 2020 08:15:00 GMT</pubDate>
<author>desk@levant.example (Rania Haddad)</author>
<description>&lt;p&gt;Artillery fire struck &lt;b&gt;Saraqib&lt;/b&gt; overnight, residents of
Idlib province said.&lt;/p&gt;</description></item>
<item><title>Convoy reaches Douma</title><link>{base}/missing</link>
<pubDate>Mon, 05 Mar 2018 10:00:00 GMT</pubDate>
<description>A convoy reached Douma near Damascus on Monday.</description></item>
</channel></rss>""".encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>World Report</title>
<entry><title>Beirut counts the cost</title><id>urn:1</id>
<link href="https://worldreport.example/beirut"/><updated>2020-08-06T11:00:00Z</updated>
<content type="html">&lt;p&gt;Residents of Beirut swept glass from the streets.&lt;/p&gt;</content>
</entry>
<entry><title>Empty</title><id>urn:2</id><updated>2020-08-07T11:00:00Z</updated></entry>
</feed>"""


UNDATED = (
    b"<html><body><article><h1>Talks in Geneva</h1><p>Delegations met in Geneva on Tuesday "
    b"for a new round of talks on the future of Idlib, diplomats said, though neither side "
    b"expected a breakthrough before the spring.</p></article></body></html>"
)


def atom_linking(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>Geneva talks</title><id>urn:g</id><link href="{base}/undated"/>
<published>2021-01-12T09:00:00Z</published><summary>Short summary.</summary></entry>
</feed>""".encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}
    seen: list[tuple[str, str, float]] = []  # (path, user agent, time)
    flaky: dict[str, int] = {}  # path -> failures left before it succeeds

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.seen.append((self.path, self.headers.get("User-Agent", ""), time.monotonic()))
        if self.flaky.get(self.path, 0) > 0:
            self.flaky[self.path] -= 1
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(2)
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    _Handler.seen = []
    _Handler.flaky = {}
    _Handler.routes = {
        "/feed.xml": (200, "application/rss+xml", rss(base)),
        "/saraqib": (200, "text/html; charset=utf-8", (PAGES / "saraqib_news.html").read_bytes()),
        "/douma": (200, "text/html", (PAGES / "html5_no_head.html").read_bytes()),
        "/huge": (200, "text/html", b"<p>" + b"x" * 5000 + b"</p>"),
        "/slow": (200, "text/html", b"<p>late</p>"),
        "/undated": (200, "text/html", UNDATED),
        "/feed2.xml": (200, "application/atom+xml", atom_linking(base)),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def quick(**kw: object) -> ReadOptions:
    params: dict = {"host_delay": 0.0, "backoff": 0.01, "timeout": 5.0} | kw
    return ReadOptions(fetcher=Fetcher(**params))


def test_feed_file_entries_become_articles_without_fetching(tmp_path: Path, server: str) -> None:
    path = tmp_path / "levant.rss"
    path.write_bytes(rss(server))
    items = list(read_inputs([path], quick()))
    first, second = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.title, first.date, first.date_source, first.url, first.source) == (
        "Shelling hits Saraqib", dt.date(2020, 2, 6), "feed", f"{server}/saraqib",
        "Levant Daily",
    )  # fmt: skip
    assert first.text == (
        "Artillery fire struck Saraqib overnight, residents of\nIdlib province said."
    )
    assert first.path == f"{path}#story-1"
    assert second.date == dt.date(2018, 3, 5)
    assert _Handler.seen == []  # nothing fetched unless asked


def test_atom_file(tmp_path: Path) -> None:
    path = tmp_path / "world.atom"
    path.write_bytes(ATOM)
    good, bad = (
        [i for i in read_inputs([path]) if isinstance(i, Article)],
        [i for i in read_inputs([path]) if isinstance(i, InputError)],
    )
    assert [(a.title, a.text, a.url, a.date) for a in good] == [
        ("Beirut counts the cost", "Residents of Beirut swept glass from the streets.",
         "https://worldreport.example/beirut", dt.date(2020, 8, 6)),
    ]  # fmt: skip
    assert [e.reason for e in bad] == ["entry has no content or summary"]


def test_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_bytes(b"<?xml version='1.0'?><config><a>1</a></config>")
    (err,) = read_inputs([path])
    assert isinstance(err, InputError) and "feed" in err.reason


def test_feed_url_with_fetch_extracts_the_linked_pages(server: str) -> None:
    options = quick()
    options.fetch_links = True
    items = list(read_inputs([f"{server}/feed.xml"], options))
    page, missing = items
    assert isinstance(page, Article) and isinstance(missing, InputError)
    # The linked page, extracted like a saved page: the article, none of the site.
    assert "Artillery fire struck the centre of Saraqib overnight" in page.text
    assert "Most read" not in page.text and "Nairobi" not in page.text
    assert (page.author, page.date_source) == ("Rania Haddad", "html-meta")
    assert "HTTP 404" in missing.reason and missing.source.endswith("feed.xml#2")
    assert [p for p, _, _ in _Handler.seen] == ["/feed.xml", "/saraqib", "/missing"]
    assert {ua for _, ua, _ in _Handler.seen} == {USER_AGENT}


def test_fetcher_retries_times_out_and_limits_size(server: str) -> None:
    _Handler.flaky["/douma"] = 2
    fetched = Fetcher(host_delay=0, backoff=0.01, retries=2).fetch(f"{server}/douma")
    assert b"Douma" in fetched.data and len(_Handler.seen) == 3
    _Handler.flaky["/douma"] = 5
    with pytest.raises(FetchError, match="HTTP 503 \\(after 3 tries\\)"):
        Fetcher(host_delay=0, backoff=0.01, retries=2).fetch(f"{server}/douma")
    with pytest.raises(FetchError, match="too large"):
        Fetcher(host_delay=0, max_bytes=1000).fetch(f"{server}/huge")
    with pytest.raises(FetchError, match="timed out"):
        Fetcher(host_delay=0, timeout=0.5, retries=0).fetch(f"{server}/slow")
    with pytest.raises(FetchError, match="not an http"):
        Fetcher().fetch("file:///etc/passwd")


def test_fetcher_pauses_between_calls_to_one_host(server: str) -> None:
    fetcher = Fetcher(host_delay=0.3)
    for _ in range(3):
        fetcher.fetch(f"{server}/douma")
    times = [t for _, _, t in _Handler.seen]
    assert all(b - a >= 0.29 for a, b in zip(times, times[1:], strict=False)), times


def test_cli_urls_file_and_url_arguments(tmp_path: Path, server: str) -> None:
    urls = tmp_path / "links.txt"
    urls.write_text(f"# my reading list\n{server}/saraqib\n\nnot a url\n{server}/missing\n")
    db = tmp_path / "geo.sqlite"
    done = run_cli("ingest", "--urls", str(urls), f"{server}/douma", "--db", str(db))
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {urls}:4: not an http:// or https:// URL",
        f"error: {server}/missing: HTTP 404 Not Found",
    ], done.stderr
    assert "added 2 articles" in done.stderr
    listed = run_cli("places", "--db", str(db), "--json")
    assert "Saraqib" in listed.stdout and "Nairobi" not in listed.stdout


def test_fetched_page_without_a_date_takes_the_entry_date(server: str) -> None:
    options = quick()
    options.fetch_links = True
    (page,) = read_inputs([f"{server}/feed2.xml"], options)
    assert isinstance(page, Article)
    assert "Delegations met in Geneva on Tuesday" in page.text
    assert (page.date, page.date_source, page.url) == (
        dt.date(2021, 1, 12), "feed", f"{server}/undated",
    )  # fmt: skip


def test_cli_feed_fetches_its_links_only_with_fetch(tmp_path: Path, server: str) -> None:
    feed = tmp_path / "levant.rss"
    feed.write_bytes(rss(server))
    db = str(tmp_path / "geo.sqlite")
    plain = run_cli("ingest", str(feed), "--db", db, "--workers", "1")
    assert plain.returncode == 0, plain.stderr
    assert "added 2 articles" in plain.stderr and _Handler.seen == []  # nothing fetched
    fetched = run_cli("ingest", str(feed), "--fetch", "--db", str(tmp_path / "b.sqlite"))
    assert [p for p, _, _ in _Handler.seen] == ["/saraqib", "/missing"]
    assert fetched.returncode == 2 and "added 1 articles" in fetched.stderr
    assert f"error: {feed}#2: linked page not stored: {server}/missing: HTTP 404" in (
        fetched.stderr
    )
