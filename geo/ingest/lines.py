"""JSONL lines read safely: split on "\\n" only, and never more than a limit held in memory.

`str.splitlines()` also splits on U+0085, U+2028, U+2029 and \\x1c-\\x1e, which JSON allows raw
inside a string (real news has them); iterating a binary file splits on b"\\n" alone. A line
longer than the limit is not read into memory: it is skipped to its end and reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

MAX_LINE_BYTES = 20_000_000  # the article limit (readers.MAX_DOCUMENT_BYTES) holds per line
_SKIP_CHUNK = 1 << 20


def bounded_lines(
    handle: BinaryIO, limit: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line without its "\\n") for each line; None for a line over `limit`."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not (len(line) == limit + 1 and line.endswith(b"\n")):
            while not line.endswith(b"\n"):  # skip the rest of the long line, chunk by chunk
                line = handle.readline(_SKIP_CHUNK)
                if not line:
                    break
            yield number, None
            continue
        yield number, line.removesuffix(b"\n")
