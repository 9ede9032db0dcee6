"""Reading article files into Article objects, one bad file never costing the good ones.

`read_inputs` yields an Article per good document and an InputError per bad one, so an
ingest run reports the bad files and stores everything else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from geo.errors import InputError
from geo.ingest.dates import infer_date, parse_date
from geo.ingest.decode import decode_bytes
from geo.ingest.htmltext import html_to_text
from geo.ingest.lines import bounded_lines
from geo.models import Article

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
SIDECAR_NAME = "articles.csv"
MAX_DOCUMENT_BYTES = 20_000_000  # a single news article is far smaller; larger is not an article

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADLINE_MAX_CHARS = 200
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # lone surrogates (from JSON) cannot be stored


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """("key: value" metadata, body) when the text opens with a --- block, else ({}, text)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :].strip()


def headline(text: str) -> str:
    """The first line when it looks like a headline (short, no final period), else ""."""
    first, sep, rest = text.partition("\n")
    first = first.strip()
    if not sep or not rest.strip() or not first or len(first) > _HEADLINE_MAX_CHARS:
        return ""
    if first[-1] in ".!?:;," or len(first.split()) > 25:
        return ""
    return first


def article_from_text(
    text: str,
    *,
    title: str = "",
    date: dt.date | None = None,
    source: str = "",
    path: str = "",
    date_source: str = "",
    url: str = "",
    author: str = "",
) -> Article:
    """An Article from text plus whatever metadata is known; the date is inferred if missing.

    `date_source` names where a given `date` came from (default "metadata").
    """
    text = _SURROGATES.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    title = _SURROGATES.sub("\ufffd", title)
    if date is not None:
        source_of_date = date_source or "metadata"
    else:
        date, source_of_date = infer_date(text)
    return Article(
        text=text,
        title=title.strip() or headline(text),
        date=date,
        date_source=source_of_date,
        source=source,
        path=path,
        url=_SURROGATES.sub("", url).strip(),
        author=_SURROGATES.sub("\ufffd", author).strip(),
    )


def _metadata_date(value: str | None) -> dt.date | None:
    return parse_date(str(value)) if value else None


def _read_sidecar(folder: Path) -> tuple[dict[str, dict[str, str]], InputError | None]:
    """{file name: row} from folder/articles.csv, or ({}, error) when it is unreadable."""
    path = folder / SIDECAR_NAME
    if not path.is_file():
        return {}, None
    try:
        text = decode_bytes(path.read_bytes(), str(path))
        rows = list(csv.DictReader(io.StringIO(text)))
    except InputError as exc:
        return {}, exc
    except (OSError, csv.Error) as exc:
        return {}, InputError(str(path), f"cannot read sidecar: {exc}")
    if rows and "file" not in rows[0]:
        return {}, InputError(str(path), "sidecar has no 'file' column")
    return {(row.get("file") or "").strip(): row for row in rows if row.get("file")}, None


def _document_body(text: str, name: str) -> tuple[dict[str, str], str]:
    """(metadata, body) of a decoded document: an HTML page's visible text and <title>,
    else the text with its front matter split off. Raises InputError when nothing is left."""
    if Path(name).suffix.lower() in HTML_SUFFIXES:
        body, html_title = html_to_text(text)
        if not body:
            raise InputError(name, "no visible text in the HTML")
        return ({"title": html_title} if html_title else {}), body
    meta, body = split_front_matter(text)
    if not body:
        raise InputError(name, "no text after the front matter")
    return meta, body


def article_from_upload(name: str, data: bytes, date: dt.date | None) -> Article:
    """An uploaded file as an Article, read exactly like the same file given to read_inputs.

    The date chosen at upload wins (date source "upload"), then the front matter's date
    ("metadata"), else the date is inferred from the text. Raises InputError.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(name, f"file too large for an article ({len(data)} bytes)")
    meta, text = _document_body(decode_bytes(data, name), name)
    if date is not None:
        date_source = "upload"
    else:
        date, date_source = _metadata_date(meta.get("date")), "metadata"
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


def _read_document(path: Path, sidecar: dict[str, dict[str, str]]) -> Article:
    """One .txt/.md/.html file as an Article; raises InputError."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(str(path), f"file too large for an article ({size} bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from exc
    meta, text = _document_body(decode_bytes(data, str(path)), str(path))
    row = sidecar.get(path.name, {})
    date, date_source = _metadata_date(meta.get("date")), "metadata"
    if date is None and row:
        date, date_source = _metadata_date(row.get("date")), "sidecar"
    title = meta.get("title") or (row.get("title") or "").strip()
    source = meta.get("source") or (row.get("source") or "").strip() or path.name
    return article_from_text(
        text,
        title=title,
        date=date,
        date_source=date_source,
        source=source,
        path=str(path),
        url=meta.get("url") or (row.get("url") or ""),
        author=meta.get("author") or (row.get("author") or ""),
    )


def _read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """One Article per good line; a bad line is an InputError "file.jsonl:LINE: reason"."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(str(path), f"cannot read ({exc.strerror or exc})")
        return
    with handle:
        for lineno, raw in bounded_lines(handle, MAX_DOCUMENT_BYTES):
            where = f"{path}:{lineno}"
            if raw is None:
                yield InputError(
                    where, f"line too long for an article (over {MAX_DOCUMENT_BYTES} bytes)"
                )
                continue
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                yield InputError(where, f"not valid JSON ({exc})")
                continue
            if not isinstance(record, dict):
                yield InputError(where, "expected a JSON object")
                continue
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                yield InputError(where, "missing or empty 'text'")
                continue
            if "\x00" in text:
                yield InputError(where, "binary text (contains NUL characters)")
                continue
            ident = record.get("id", lineno)
            yield article_from_text(
                text,
                title=str(record.get("title") or ""),
                date=_metadata_date(record.get("date")),
                source=str(record.get("source") or path.name),
                path=f"{path}#{ident}",
                url=str(record.get("url") or ""),
                author=_author(record.get("author")),
            )


def _author(value: object) -> str:
    """JSONL "author": a name, or a list of names (joined), else ""."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if isinstance(v, str | int))
    return value if isinstance(value, str) else ""


def _expand(path: Path) -> Iterator[Path | InputError]:
    """The article files a path names: itself, or a folder's supported files, recursively."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            if hidden or child.suffix.lower() not in SUFFIXES or child.is_dir():
                continue
            if child.is_file():
                yield child
            elif child.is_symlink() and not child.exists():
                yield InputError(str(child), "broken symbolic link")
            else:  # a FIFO, socket or device: reading it could block forever
                yield InputError(str(child), "not a regular file")
    elif path.is_file():
        if path.suffix.lower() in SUFFIXES:
            yield path
        else:
            expected = ", ".join(sorted(SUFFIXES))
            yield InputError(str(path), f"unsupported file type (expected {expected})")
    elif path.exists():
        yield InputError(str(path), "not a regular file or folder")
    elif path.is_symlink():
        yield InputError(str(path), "broken symbolic link")
    else:
        yield InputError(str(path), "no such file or folder")


def read_inputs(paths: Sequence[str | Path]) -> Iterator[Article | InputError]:
    """An Article per good document and an InputError per bad one; never raises mid-batch."""
    sidecars: dict[Path, dict[str, dict[str, str]]] = {}
    for given in paths:
        for item in _expand(Path(given)):
            if isinstance(item, InputError):
                yield item
                continue
            if item.suffix.lower() in JSONL_SUFFIXES:
                yield from _read_jsonl(item)
                continue
            folder = item.parent
            if folder not in sidecars:
                sidecars[folder], problem = _read_sidecar(folder)
                if problem is not None:
                    yield problem
            try:
                yield _read_document(item, sidecars[folder])
            except InputError as exc:
                yield exc
