"""One exception tree for the library, in the style of geopy.exc.

Every error the library raises on purpose is a GeoError, so callers (the CLI, the
dashboard) can catch one base class and show its message.
"""

from __future__ import annotations

import re

# Characters that could break a one-line message: controls (a newline in a file name would
# forge a second "error:" line), quotes, backslashes, and lone surrogates (from undecodable
# bytes in file names, which cannot even be printed).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff'\"\\]")


def shown_name(name: str) -> str:
    """A file name or URL safe to print in one line of a message.

    Plain names are shown as they are; a name holding control characters, quotes,
    backslashes or undecodable bytes is shown quoted, with those characters escaped.
    """
    name = str(name)
    if not _UNSAFE.search(name):
        return name
    escaped = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return repr(escaped)


class GeoError(Exception):
    """Base class of every error raised by the geo library."""


class ConfigError(GeoError):
    """A setting (database URL, model name, path) is missing or invalid."""


class GazetteerError(GeoError):
    """The gazetteer or its index cannot be built, read or imported."""


class InputError(GeoError):
    """An input file or record cannot be read; the message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        one_line = " ".join(str(reason).splitlines())  # a reason quoting a parser stays one line
        super().__init__(f"{shown_name(source)}: {one_line}")
        self.source = source
        self.reason = reason


class ModelError(GeoError):
    """The spaCy model cannot be loaded."""


class StoreError(GeoError):
    """The article store cannot be opened, read or written."""
