"""Tables of articles (.csv, .tsv, .xlsx): one article per row, streamed row by row.

News-database exports name their columns many ways; the usual names are recognised
(`COMMON_NAMES`), or the user names them (`TableColumns`, from --text-col etc.). A bad row
(no text, a cell over the article size limit, a broken CSV line) is one error naming
"file:row", where row is the spreadsheet's row number (the header is row 1), and the other
rows still go in. CSV is read with the standard library's csv module and .xlsx with
openpyxl in read-only mode: both stream, so a table of a million rows never sits in memory
(pandas.read_excel would load the whole sheet).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geo.errors import InputError
from geo.ingest.article import article_from_text
from geo.ingest.dates import metadata_date
from geo.ingest.decode import decode_legacy
from geo.models import Article

TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx"})
MAX_CELL_CHARS = 20_000_000  # the article size limit, per cell
_SAMPLE_BYTES = 64 * 1024  # enough of a file to tell its encoding

COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "fulltext", "story", "maintext"),
    "title": ("title", "headline", "heading", "subject"),
    "date": ("date", "published", "published_at", "publish_date", "pubdate", "publication_date",
             "datetime", "timestamp", "time"),
    "url": ("url", "link", "href", "permalink", "web_url"),
    "source": ("source", "outlet", "publisher", "publication", "media", "site", "domain"),
    "author": ("author", "authors", "byline", "writer"),
}  # fmt: skip


@dataclass(frozen=True)
class TableColumns:
    """Column names given by the user; None means "find it by its common names"."""

    text: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None


def _norm(name: object) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _column_map(header: list[object], given: TableColumns, where: str) -> dict[str, int]:
    """{field: column index}; raises InputError when no text column can be found."""
    index = {_norm(h): i for i, h in reversed(list(enumerate(header))) if _norm(h)}
    found: dict[str, int] = {}
    for field_name, names in COMMON_NAMES.items():
        wanted = getattr(given, field_name, None)
        if wanted is not None:
            if _norm(wanted) not in index:
                present = ", ".join(str(h) for h in header if _norm(h)) or "none"
                raise InputError(where, f"no column {wanted!r} (columns: {present})")
            found[field_name] = index[_norm(wanted)]
            continue
        for name in names:
            if name in index:
                found[field_name] = index[name]
                break
    if "text" not in found:
        present = ", ".join(str(h) for h in header if _norm(h)) or "none"
        raise InputError(
            where, f"no text column (columns: {present}); name it with --text-col COLUMN"
        )
    return found


def _article(
    cells: list[object], columns: dict[str, int], path: Path, row: int
) -> Article | InputError:
    where = f"{path}:{row}"

    def cell(field_name: str) -> object:
        i = columns.get(field_name)
        return cells[i] if i is not None and i < len(cells) else None

    text = cell("text")
    text = "" if text is None else str(text)
    if not text.strip():
        return InputError(where, "empty text cell")
    if len(text) > MAX_CELL_CHARS:
        return InputError(where, f"text too large for an article ({len(text)} characters)")
    if "\x00" in text:
        return InputError(where, "binary text (contains NUL characters)")

    def plain(field_name: str) -> str:
        value = cell(field_name)
        return "" if value is None else " ".join(str(value).split())

    date = metadata_date(cell("date"), where)
    return article_from_text(
        text,
        title=plain("title"),
        date=date,
        source=plain("source") or path.name,
        path=f"{path}#{row}",
        url=plain("url"),
        author=plain("author"),
    )


def _rows(
    rows: Iterable[list[object] | InputError], path: Path, given: TableColumns
) -> Iterator[Article | InputError]:
    """Articles from (header, row, row, ...); row numbers start at 2 (the header is 1)."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        yield InputError(str(path), "empty table")
        return
    if isinstance(header, InputError):
        yield header
        return
    try:
        columns = _column_map(header, given, str(path))
    except InputError as exc:
        yield exc
        return
    for row, cells in enumerate(iterator, start=2):
        if isinstance(cells, InputError):
            yield cells
        elif any(c is not None and str(c).strip() for c in cells):  # skip blank rows
            yield _article(cells, columns, path, row)


def _text_stream(path: Path) -> io.TextIOWrapper:
    """The file as text: UTF-8/UTF-16 by BOM, else UTF-8 if the start decodes, else the
    detected code page (undecodable bytes become U+FFFD rather than failing the file).
    Raises InputError for a binary file."""
    handle = path.open("rb")
    sample = handle.read(_SAMPLE_BYTES)
    handle.seek(0)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in sample:
        handle.close()
        raise InputError(str(path), "binary file (contains NUL bytes)")
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
            encoding = "utf-8-sig"
        except UnicodeDecodeError:
            encoding = _legacy_encoding(sample)
    return io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")


def _legacy_encoding(sample: bytes) -> str:
    from charset_normalizer import from_bytes

    text = decode_legacy(sample)
    for match in from_bytes(sample):
        if str(match) == text:
            return match.encoding
    return "cp1252"


def _csv_rows(path: Path, delimiter: str) -> Iterator[list[object] | InputError]:
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    try:
        stream = _text_stream(path)
    except InputError as exc:
        yield exc
        return
    with stream:
        reader = csv.reader(stream, delimiter=delimiter, skipinitialspace=True)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield InputError(f"{path}:{reader.line_num}", f"bad CSV row ({exc})")
                continue
            if "\x00" in "".join(cells):
                yield InputError(f"{path}:{reader.line_num}", "binary data (NUL characters)")
                continue
            yield list(cells)


def _xlsx_rows(path: Path) -> Iterator[list[object] | InputError]:
    import zipfile
    import zlib

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        yield InputError(str(path), f"not a readable .xlsx workbook ({exc})")
        return
    rows = 0
    try:
        sheet = workbook.worksheets[0]
        for cells in sheet.iter_rows(values_only=True):
            rows += 1
            yield list(cells)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, zlib.error) as exc:
        # A workbook damaged part-way: the rows before the damage went in.
        yield InputError(f"{path}:{rows + 1}", f"workbook unreadable from here on ({exc})")
    finally:
        workbook.close()


_READERS: dict[str, Callable[[Path], Iterator[list[object] | InputError]]] = {
    ".csv": lambda p: _csv_rows(p, ","),
    ".tsv": lambda p: _csv_rows(p, "\t"),
    ".xlsx": _xlsx_rows,
}


def read_table(path: Path, given: TableColumns | None = None) -> Iterator[Article | InputError]:
    """One Article per good row of a .csv/.tsv/.xlsx file; an InputError per bad row."""
    try:
        rows = _READERS[path.suffix.lower()](path)
        yield from _rows(rows, path, given or TableColumns())
    except OSError as exc:
        yield InputError(str(path), f"cannot read ({exc.strerror or exc})")
