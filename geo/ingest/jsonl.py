"""JSON Lines: one article per line, read line by line (memory stays flat).

Lines end in "\\n", "\\r\\n" or a lone "\\r" (old Mac exports): a raw CR cannot occur inside
a JSON string, so splitting on it is safe. U+2028, U+0085 and the like are NOT line ends:
JSON allows them raw inside strings, and real corpora have them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from geo.errors import InputError
from geo.ingest.article import article_from_text
from geo.ingest.dates import metadata_date
from geo.models import Article

MAX_LINE_BYTES = 20_000_000  # the article size limit holds for each line
_BLOCK = 64 * 1024


def split_lines(
    handle: BinaryIO, limit: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; None for a line over `limit` bytes (skipped
    without being held in memory)."""
    lineno = 0
    pending = b""
    too_long = False
    ends_with_cr = False
    while block := handle.read(_BLOCK):
        if ends_with_cr and block.startswith(b"\n"):
            block = block[1:]  # the "\n" of a "\r\n" split across two blocks
        ends_with_cr = block.endswith(b"\r")
        lines = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        for piece in lines[:-1]:
            lineno += 1
            line = pending + piece
            yield lineno, (None if too_long or len(line) > limit else line)
            pending, too_long = b"", False
        if too_long or len(pending) + len(lines[-1]) > limit:
            pending, too_long = b"", True
        else:
            pending += lines[-1]
    if pending or too_long:
        yield lineno + 1, None if too_long else pending


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """One Article per good line; a bad line is an InputError "file.jsonl:LINE: reason"."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(str(path), f"cannot read ({exc.strerror or exc})")
        return
    with handle:
        for lineno, raw in split_lines(handle):
            where = f"{path}:{lineno}"
            if raw is None:
                yield InputError(
                    where, f"line too large for an article (over {MAX_LINE_BYTES} bytes)"
                )
                continue
            if not raw.strip():
                continue
            yield _record(raw, lineno, where, path)


def _record(raw: bytes, lineno: int, where: str, path: Path) -> Article | InputError:
    try:
        record = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return InputError(where, f"not valid JSON ({exc})")
    if not isinstance(record, dict):
        return InputError(where, "expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "missing or empty 'text'")
    if "\x00" in text:
        return InputError(where, "binary text (contains NUL characters)")
    ident = record.get("id", lineno)

    def field(key: str) -> str:
        value = record.get(key)
        return value if isinstance(value, str) else ""

    return article_from_text(
        text,
        title=field("title"),
        date=metadata_date(record.get("date"), where),
        source=field("source") or path.name,
        path=f"{path}#{ident}",
        url=field("url"),
        author=_author(record.get("author")),
    )


def _author(value: object) -> str:
    """JSONL "author": a name, or a list of names (joined), else ""."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if isinstance(v, str | int))
    return value if isinstance(value, str) else ""
