"""One exception tree for the library, in the style of geopy.exc.

Every error the library raises on purpose is a GeoError, so callers (the CLI, the
dashboard) can catch one base class and show its message.
"""

from __future__ import annotations


class GeoError(Exception):
    """Base class of every error raised by the geo library."""


class ConfigError(GeoError):
    """A setting (database URL, model name, path) is missing or invalid."""


class GazetteerError(GeoError):
    """The gazetteer or its index cannot be built, read or imported."""


class InputError(GeoError):
    """An input file or record cannot be read; the message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ModelError(GeoError):
    """The spaCy model cannot be loaded."""


class StoreError(GeoError):
    """The article store cannot be opened, read or written."""
