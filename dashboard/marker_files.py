"""The map's marker data as static files: written once per selection, fetched by URL.

Sent inline through st_folium, the markers of 20,000 places (2 MB of JSON) travelled over
the WebSocket and were evaluated again on every rerun that changed anything, a click
included. Here each selection's markers are a content-addressed file under
dashboard/static/markers (served at /app/static/markers/<hash>.json); the map gets only
the URL and the selection, and the browser keeps the built markers while the URL stays
the same, so a click moves the halo and nothing else.

The folder is not in git and is bounded: the least recently used files beyond KEEP_FILES
are deleted. A file is touched on every use, and written again if another process pruned
it, so a page never asks for a missing file for long.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from dashboard.basemap import STATIC, STATIC_DIR, script_json
from dashboard.maps import MarkerRows, marker_payload, selection_data
from geo import Place

MARKER_DIR = STATIC_DIR / "markers"
MARKER_URL = f"{STATIC}/markers"
KEEP_FILES = 48  # selections; 2 MB each for the 20,000 places of the synthetic store


def payload_bytes(markers: MarkerRows) -> bytes:
    """The file's content: marker_payload as compact JSON (names and tooltips as data)."""
    return json.dumps(marker_payload(markers), separators=(",", ":")).encode("utf-8")


def publish(content: bytes, folder: Path = MARKER_DIR, keep: int = KEEP_FILES) -> str:
    """Write `content` under its hash (if not there yet) and return its file name."""
    name = hashlib.sha256(content).hexdigest()[:32] + ".json"
    path = folder / name
    try:
        os.utime(path)  # in use again: the last one pruning would pick
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        # Atomic: a browser (or a second server process) never reads half a file.
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        prune(folder, keep)
    return name


def prune(folder: Path = MARKER_DIR, keep: int = KEEP_FILES) -> list[str]:
    """Delete all but the `keep` most recently used marker files; returns the deleted names."""
    files = []
    for entry in os.scandir(folder):
        if entry.name.endswith(".json") and not entry.name.startswith("."):
            try:
                files.append((entry.stat().st_mtime, entry.name))
            except FileNotFoundError:  # pruned by another process meanwhile
                continue
    files.sort(reverse=True)
    gone = [name for _, name in files[keep:]]
    for name in gone:
        (folder / name).unlink(missing_ok=True)
    return gone


def selection_json(markers: MarkerRows, url: str, selected: Place | None = None) -> str:
    """What the map is sent on each run: the marker file's URL and the selection."""
    return script_json({"url": url, **selection_data(markers, selected)})


def marker_url(content: bytes) -> str:
    """The URL the browser fetches `content` from (published now if needed)."""
    return f"{MARKER_URL}/{publish(content)}"
