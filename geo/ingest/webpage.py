"""Saved or fetched web pages to Articles: trafilatura for the text, htmldate for the date.

A news page is mostly not the article: menus, share buttons, "most read" boxes, comments and
footers name places too, and a geoparser that reads them maps the site, not the story.
trafilatura finds the main text and the page's metadata (title, author, canonical URL, site
name); htmldate reads the publication date from the page's markup. Comments are left out.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from urllib.parse import urlsplit

from geo.errors import InputError
from geo.ingest.article import notice_language
from geo.ingest.dates import check_date, infer_date
from geo.ingest.decode import decode_bytes
from geo.models import Article
from geo.parse import detect_language

log = logging.getLogger(__name__)

DATE_SOURCE = "html-meta"
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BLANKS = re.compile(r"\n{3,}")
_BODY = re.compile(r"<(?:body|html)\b", re.IGNORECASE)


def decode_page(data: bytes, name: str) -> str:
    """A page's text: the charset its <meta> declares when that decodes, else detected."""
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        charset = declared.group(1).decode("ascii").lower()
        try:
            text = data.decode("utf-8-sig" if charset in {"utf-8", "utf8"} else charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: let the detector decide
        else:
            return decode_bytes(text.encode("utf-8"), name)  # same checks and newlines
    return decode_bytes(data, name)


def page_article(html: str, name: str, *, url: str = "", source: str = "") -> Article:
    """The article of one HTML page; raises InputError when the page holds no main text.

    `url` is where the page was fetched from (the canonical link wins when the page has one);
    `source` overrides the site name as the article's source.
    """
    doc = _extract(html, url)
    if (doc is None or not doc.text) and not _BODY.search(html):
        doc = _extract(f"<html><body>{html}</body></html>", url)  # a fragment ("<p>...</p>")
    text = _BLANKS.sub("\n\n", (doc.text or "").strip()) if doc is not None else ""
    if not text:
        raise InputError(name, "no article text found in the HTML page")
    title = " ".join((doc.title or "").split())
    date, date_source = _page_date(html, name)
    if date is None:
        date, date_source = infer_date(text)
    canonical = doc.url or url or ""
    site = source or (doc.sitename or "").strip() or urlsplit(canonical).hostname or ""
    article = Article(
        text=text,
        title=title,
        date=date,
        date_source=date_source,
        source=site or name,
        path=name,
        url=canonical,
        author=" ".join((doc.author or "").split()),
        language=_language(html, text),
    )
    notice_language(article)
    return article


def _extract(html: str, url: str):  # -> trafilatura Document | None
    import trafilatura  # imported lazily: it loads lxml and its own data

    # trafilatura logs every page it finds no article in at ERROR level; the reader
    # reports that page once, as an InputError.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return trafilatura.bare_extraction(
        html,
        url=url or None,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        # Precision: on short pages the default falls back to a baseline that keeps the
        # menu and puts every <b> and <a> on its own line.
        favor_precision=True,
    )


def _page_date(html: str, name: str) -> tuple[dt.date | None, str]:
    """The publication date the page's markup gives (meta tags, JSON-LD, <time>), if any."""
    import htmldate

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    try:
        found = htmldate.find_date(
            html, extensive_search=False, original_date=True, max_date=tomorrow.isoformat()
        )
    except (ValueError, TypeError, OverflowError) as exc:  # malformed documents or dates
        log.debug("%s: htmldate: %s", name, exc)
        return None, "none"
    if not found:
        return None, "none"
    day = check_date(dt.date.fromisoformat(found), name)
    return (day, DATE_SOURCE) if day else (None, "none")


def _language(html: str, text: str) -> str:
    """The text's detected language; the page's own <html lang> when detection is unsure."""
    detected = detect_language(text)
    if detected:
        return detected
    declared = _HTML_LANG.search(html[:4096])
    return declared.group(1).lower() if declared else ""
