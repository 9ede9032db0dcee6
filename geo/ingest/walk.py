"""The files a path names: itself, or a folder's supported files, recursively.

Nothing is skipped silently: an unreadable folder, a broken link or a link loop is an
InputError. Symbolic links to folders are followed, each folder read once: a link back to a
folder above it is reported as a loop, a second link to a folder already read is noted.
Hidden files and folders (".git", ".DS_Store") and files of other types are left out.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from geo.errors import InputError, shown_name

log = logging.getLogger(__name__)
_LOOP = "symbolic link loop"


def _stat_error(path: Path, exc: OSError) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(str(path), _LOOP)
    if path.is_symlink():
        return InputError(str(path), "broken symbolic link")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return InputError(str(path), "no such file or folder")
    return InputError(str(path), f"cannot read ({exc.strerror or exc})")


def expand(
    path: Path, suffixes: frozenset[str], skip_names: frozenset[str] | set[str] = frozenset()
) -> Iterator[Path | InputError]:
    """The supported files under `path` (a file given directly must have a known suffix)."""
    try:
        info = path.stat()
    except OSError as exc:
        yield _stat_error(path, exc)
        return
    if stat.S_ISDIR(info.st_mode):
        key = (info.st_dev, info.st_ino)
        yield from _walk(path, (key,), {key}, suffixes, skip_names)
    elif not stat.S_ISREG(info.st_mode):
        yield InputError(str(path), "not a regular file or folder")
    elif path.suffix.lower() in suffixes:
        yield path
    else:
        expected = ", ".join(sorted(suffixes))
        yield InputError(str(path), f"unsupported file type (expected {expected})")


def _walk(
    folder: Path,
    ancestors: tuple[tuple[int, int], ...],
    visited: set[tuple[int, int]],
    suffixes: frozenset[str],
    skip_names: frozenset[str] | set[str],
) -> Iterator[Path | InputError]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield InputError(str(folder), f"cannot read folder ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = folder / entry.name
        wanted = child.suffix.lower() in suffixes and entry.name not in skip_names
        try:
            info = child.stat()
        except OSError as exc:
            # A dangling or looping link may have been meant as a folder: report it unless
            # its name says it is a file of another type.
            if wanted or not child.suffix:
                yield _stat_error(child, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                yield InputError(str(child), f"{_LOOP} (links back to a folder above it)")
            elif key in visited:
                log.warning("%s: folder already read through another link", shown_name(str(child)))
            else:
                visited.add(key)
                yield from _walk(child, (*ancestors, key), visited, suffixes, skip_names)
        elif not wanted:
            continue
        elif stat.S_ISREG(info.st_mode):
            yield child
        else:  # a FIFO, socket or device: reading it could block forever
            yield InputError(str(child), "not a regular file")
