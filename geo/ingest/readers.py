"""Reading inputs into Articles, one bad input never costing the good ones.

`read_inputs` yields an Article per good document and an InputError per bad one, lazily, so
an ingest streams: text and Markdown files (front matter), saved web pages (trafilatura),
JSONL, tables (.csv/.tsv/.xlsx), RSS/Atom feeds, and URLs (fetched only when given).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import InputError
from geo.ingest.article import article_from_text, headline
from geo.ingest.dates import metadata_date
from geo.ingest.decode import decode_bytes
from geo.ingest.feeds import FEED_SUFFIXES, looks_like_feed, read_feed
from geo.ingest.fetch import Fetcher, is_url, read_url_list
from geo.ingest.frontmatter import split_front_matter
from geo.ingest.jsonl import read_jsonl
from geo.ingest.tables import TABLE_SUFFIXES, TableColumns, read_table
from geo.ingest.walk import expand
from geo.ingest.webpage import decode_page, page_article
from geo.models import Article

log = logging.getLogger(__name__)
TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | TABLE_SUFFIXES | FEED_SUFFIXES
SIDECAR_NAME = "articles.csv"
MAX_DOCUMENT_BYTES = 20_000_000  # a single news article is far smaller; larger is not an article

__all__ = [
    "SUFFIXES",
    "ReadOptions",
    "article_from_text",
    "article_from_upload",
    "headline",
    "read_inputs",
    "read_upload",
    "split_front_matter",
]


@dataclass
class ReadOptions:
    """How to read what the user gave: table columns, and whether to fetch feed links."""

    columns: TableColumns = field(default_factory=TableColumns)
    fetch_links: bool = False  # --fetch: download the page each feed entry links to
    fetcher: Fetcher | None = None  # made on first use: nothing is fetched unless asked

    def get_fetcher(self) -> Fetcher:
        if self.fetcher is None:
            self.fetcher = Fetcher()
        return self.fetcher


def _read_sidecar(folder: Path) -> tuple[dict[str, dict[str, str]], InputError | None]:
    """{file name: row} from folder/articles.csv, or ({}, error) when it is unreadable."""
    path = folder / SIDECAR_NAME
    if not path.is_file():
        return {}, None
    try:
        text = decode_bytes(path.read_bytes(), str(path))
        # "file, date, title" (spaces after the commas) is still a header of three columns.
        reader = csv.DictReader(io.StringIO(text), skipinitialspace=True)
        if reader.fieldnames:
            reader.fieldnames = [(n or "").strip().lower() for n in reader.fieldnames]
        rows = list(reader)
    except InputError as exc:
        return {}, exc
    except (OSError, csv.Error) as exc:
        return {}, InputError(str(path), f"cannot read sidecar: {exc}")
    if "file" not in (reader.fieldnames or []):
        return {}, InputError(str(path), "sidecar has no 'file' column")
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        name = (row.get("file") or "").strip()
        if name:
            table[name] = {k: (v or "").strip() for k, v in row.items() if isinstance(v, str)}
    return table, None


def _text_document(text: str, name: str) -> tuple[dict[str, str], str]:
    meta, body = split_front_matter(text, name)
    if not body:
        raise InputError(name, "no text after the front matter")
    return meta, body


def _is_html(name: str) -> bool:
    return Path(name).suffix.lower() in HTML_SUFFIXES


def article_from_upload(name: str, data: bytes, date: dt.date | None) -> Article:
    """An uploaded text, Markdown or HTML file as an Article, read like read_inputs reads it.

    The date chosen at upload wins (date source "upload"), then the file's own date, else
    the date is inferred from the text. Raises InputError.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(name, f"file too large for an article ({len(data)} bytes)")
    if _is_html(name):
        article = page_article(decode_page(data, name), name)
        if date is not None:
            from dataclasses import replace

            article = replace(article, date=date, date_source="upload")
        return article
    meta, text = _text_document(decode_bytes(data, name), name)
    if date is not None:
        date_source = "upload"
    else:
        date, date_source = metadata_date(meta.get("date"), name), "metadata"
    return article_from_text(
        text,
        title=meta.get("title", ""),
        date=date,
        date_source=date_source,
        source=meta.get("source") or name,
        path=name,
        url=meta.get("url", ""),
        author=meta.get("author", ""),
    )


def read_upload(
    name: str, data: bytes, date: dt.date | None, options: ReadOptions | None = None
) -> Iterator[Article | InputError]:
    """Articles of one uploaded file of any supported kind (tables and feeds hold many)."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        yield InputError(name, f"unsupported file type (expected {', '.join(sorted(SUFFIXES))})")
        return
    if suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
        try:
            yield article_from_upload(name, data, date)
        except InputError as exc:
            yield exc
        return
    import tempfile

    # Tables and JSONL are read from a file, as from the command line (streamed).
    with tempfile.TemporaryDirectory(prefix="geo-upload-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        for item in _read_file(path, {}, options or ReadOptions()):
            if isinstance(item, Article):
                from dataclasses import replace

                # Name the upload, not the temporary file; the upload's date wins.
                item = replace(item, path=item.path.replace(str(path), name, 1))
                if date is not None:
                    item = replace(item, date=date, date_source="upload")
            else:
                item = InputError(item.source.replace(str(path), name, 1), item.reason)
            yield item


def _read_document(path: Path, sidecar: dict[str, dict[str, str]]) -> Article:
    """One .txt/.md/.html file as an Article; raises InputError."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(str(path), f"file too large for an article ({size} bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from exc
    row = sidecar.get(path.name, {})
    if _is_html(str(path)):
        article = page_article(decode_page(data, str(path)), str(path))
        if article.date is None and row.get("date"):
            from dataclasses import replace

            day = metadata_date(row.get("date"), f"{path.parent / SIDECAR_NAME} ({path.name})")
            if day is not None:
                article = replace(article, date=day, date_source="sidecar")
        return article
    meta, text = _text_document(decode_bytes(data, str(path)), str(path))
    date, date_source = metadata_date(meta.get("date"), str(path)), "metadata"
    if date is None and row:
        where = f"{path.parent / SIDECAR_NAME} ({path.name})"
        date, date_source = metadata_date(row.get("date"), where), "sidecar"
    title = meta.get("title") or row.get("title", "")
    source = meta.get("source") or row.get("source", "") or path.name
    return article_from_text(
        text,
        title=title,
        date=date,
        date_source=date_source,
        source=source,
        path=str(path),
        url=meta.get("url") or row.get("url", ""),
        author=meta.get("author") or row.get("author", ""),
    )


def _read_file(
    path: Path, sidecars: dict[Path, dict[str, dict[str, str]]], options: ReadOptions
) -> Iterator[Article | InputError]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path)
    elif suffix in TABLE_SUFFIXES:
        yield from read_table(path, options.columns)
    elif suffix in FEED_SUFFIXES:
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield InputError(str(path), f"cannot read ({exc.strerror or exc})")
            return
        fetcher = options.get_fetcher() if options.fetch_links else None
        yield from read_feed(data, str(path), fetcher=fetcher)
    else:
        folder = path.parent
        if folder not in sidecars:
            sidecars[folder], problem = _read_sidecar(folder)
            if problem is not None:
                yield problem
        try:
            yield _read_document(path, sidecars[folder])
        except InputError as exc:
            yield exc


def _read_url(url: str, options: ReadOptions) -> Iterator[Article | InputError]:
    """A web page or a feed at a URL the user gave."""
    try:
        fetched = options.get_fetcher().fetch(url)
        if looks_like_feed(fetched.data, fetched.content_type):
            fetcher = options.get_fetcher() if options.fetch_links else None
            yield from read_feed(fetched.data, url, fetcher=fetcher)
        else:
            yield page_article(decode_page(fetched.data, url), url, url=fetched.url)
    except InputError as exc:
        yield exc


def _read_url_file(path: Path, options: ReadOptions) -> Iterator[Article | InputError]:
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            yield InputError(str(path), f"URL list too large (over {MAX_DOCUMENT_BYTES} bytes)")
            return
        text = decode_bytes(path.read_bytes(), str(path))
    except OSError as exc:
        yield InputError(str(path), f"cannot read ({exc.strerror or exc})")
        return
    except InputError as exc:
        yield exc
        return
    for item in read_url_list(text, str(path)):
        if isinstance(item, InputError):
            yield item
        else:
            yield from _read_url(item, options)


def read_inputs(
    paths: Sequence[str | Path],
    options: ReadOptions | None = None,
    url_files: Sequence[str | Path] = (),
) -> Iterator[Article | InputError]:
    """An Article per good document and an InputError per bad one; never raises mid-batch.

    `paths` are files, folders or http(s) URLs; `url_files` are --urls files (one URL a
    line). Nothing is fetched except those URLs, and feed links when options.fetch_links.
    """
    options = options or ReadOptions()
    sidecars: dict[Path, dict[str, dict[str, str]]] = {}
    for given in paths:
        if is_url(str(given)):
            yield from _read_url(str(given), options)
            continue
        for item in expand(Path(os.fspath(given)), SUFFIXES, skip_names={SIDECAR_NAME}):
            if isinstance(item, InputError):
                yield item
            else:
                yield from _read_file(item, sidecars, options)
    for url_file in url_files:
        yield from _read_url_file(Path(url_file), options)
