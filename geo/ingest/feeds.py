"""RSS and Atom feeds (feedparser): each entry an article.

An entry's text is its full content when the feed carries it, else its summary; its title,
published date and link come along. With `fetch` (the CLI's --fetch) the linked page is
downloaded and extracted like a saved page instead. feedparser reads a feed whole (it has no
streaming mode), so a feed is limited to MAX_FEED_BYTES; entries are still yielded one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from geo.errors import InputError
from geo.ingest.article import article_from_text
from geo.ingest.dates import check_date
from geo.ingest.fetch import Fetcher
from geo.ingest.htmltext import html_to_text
from geo.ingest.webpage import decode_page, page_article
from geo.models import Article

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
MAX_FEED_BYTES = 50_000_000


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """True for RSS/Atom by media type, or by the document's first element."""
    if any(k in content_type for k in ("rss", "atom", "/xml", "+xml")):
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf")) or (
        head.startswith(b"<?xml") and any(t in head for t in (b"<rss", b"<feed", b"<rdf:rdf"))
    )


def _entry_text(entry) -> str:
    """The entry's full content if any, else its summary, as plain text."""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value.strip():
            return _plain(value, content.get("type", ""))
    summary = entry.get("summary") or ""
    return _plain(summary, (entry.get("summary_detail") or {}).get("type", "text/html"))


def _plain(value: str, media_type: str) -> str:
    if "html" in media_type or "<" in value:
        text, _ = html_to_text(value)
        return text
    return value.strip()


def _entry_date(entry, where: str) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                day = dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                continue
            return check_date(day, where)
    return None


def read_feed(
    data: bytes, name: str, *, fetcher: Fetcher | None = None, source: str = ""
) -> Iterator[Article | InputError]:
    """An Article per entry; with a fetcher, each entry's linked page is fetched instead."""
    import feedparser  # imported lazily: only feeds need it

    if len(data) > MAX_FEED_BYTES:
        yield InputError(name, f"feed too large ({len(data)} bytes; limit {MAX_FEED_BYTES})")
        return
    # feedparser gets bytes, never a URL or path: it must not fetch anything itself.
    feed = feedparser.parse(data)
    if not feed.entries:
        problem = feed.get("bozo_exception")
        reason = f"not an RSS or Atom feed ({problem})" if problem else "feed has no entries"
        yield InputError(name, reason)
        return
    site = source or " ".join((feed.feed.get("title") or "").split()) or name
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{name}#{number}"
        link = (entry.get("link") or "").strip()
        title = " ".join((entry.get("title") or "").split())
        if fetcher is not None and link:
            try:
                fetched = fetcher.fetch(link)
                page = page_article(
                    decode_page(fetched.data, link), link, url=fetched.url, source=site
                )
            except InputError as exc:
                yield InputError(where, f"linked page not stored: {exc}")
                continue
            yield _fill_in(page, title, _entry_date(entry, where))
            continue
        text = _entry_text(entry)
        if not text:
            yield InputError(where, "entry has no content or summary")
            continue
        yield article_from_text(
            text,
            title=title,
            date=_entry_date(entry, where),
            date_source="feed",
            source=site,
            path=f"{name}#{entry.get('id') or number}",
            url=link,
            author=" ".join((entry.get("author") or "").split()),
        )


def _fill_in(page: Article, title: str, date: dt.date | None) -> Article:
    """The fetched page, with the entry's title and date where the page has none."""
    from dataclasses import replace

    if not page.title and title:
        page = replace(page, title=title)
    if date is not None and page.date_source in {"none", "text"}:
        page = replace(page, date=date, date_source="feed")
    return page
