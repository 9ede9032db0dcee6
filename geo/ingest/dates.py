"""Article dates found in the text: a dateline near the top, else an explicit full date.

`dateparser.search` scans every token and is slow, so a regex finds the few strings that
look like full dates (day, month and year) and dateparser only parses those. Relative dates
("yesterday", "on Friday") are never used: they would silently become the current date.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from typing import Any

log = logging.getLogger(__name__)
EARLIEST = dt.date(1900, 1, 1)  # news archives start later; earlier is a typo (0202-05-04)
_ISO_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d")  # 2020-02-06T08:15:00+00:00

# How far into the article a date still describes the article (datelines sit at the top).
SEARCH_CHARS = 600
DATELINE_CHARS = 250

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)[0-9]{2}"

_DATE_RE = re.compile(
    rf"\b(?:{_MONTH}\s+{_DAY},?\s+{_YEAR}"  # Sept. 7, 2018
    rf"|{_DAY}\s+{_MONTH},?\s+{_YEAR}"  # 17 September, 2018
    rf"|{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]))\b",  # 2018-09-17
    re.IGNORECASE,
)
# "TEHRAN, Iran (AP) —" / "BEIRUT (Reuters) -": an upper-case place opening the story.
# Only such a prefix may stand between the line start and a dateline's date.
_DATELINE_PREFIX = re.compile(
    r"^[A-Z][A-Z .'\-]{2,}(?:,\s*[A-Z][\w .]*)?\s*(?:\([^)]*\))?\s*[,—–-]?\s*$"
)
_DASHES = "—–-"

_SETTINGS: dict[str, Any] = {
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["absolute-time"],
    "STRICT_PARSING": True,
}


@functools.cache
def _parser() -> Any:
    # Imported lazily: dateparser takes a noticeable time to import and load its data.
    import dateparser

    return dateparser.DateDataParser(languages=["en"], settings=_SETTINGS)


def parse_date(value: str) -> dt.date | None:
    """An absolute date from one short string ("Sept. 7, 2018", "2018-09-07"), else None.

    Dates an article cannot have (before 1900, after tomorrow) are refused too, ISO ones
    included: 9999-12-31 is a placeholder, 0202-05-04 a typo, and neither is news.
    """
    day = _parse(value.strip())
    if day is None or not EARLIEST <= day <= dt.date.today() + dt.timedelta(days=1):
        return None
    return day


def _parse(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10] if _ISO_STAMP.match(value) else value)
    except ValueError:
        pass
    data = _parser().get_date_data(value.replace("Sept.", "Sep."))
    parsed = data.date_obj if data else None
    return parsed.date() if parsed is not None else None


def check_date(day: dt.date, where: str) -> dt.date | None:
    """The date if an article can have it (1900 to tomorrow), else None with a warning."""
    if EARLIEST <= day <= dt.date.today() + dt.timedelta(days=1):
        return day
    log.warning("%s: impossible date %s ignored", where, day.isoformat())
    return None


def metadata_date(value: object, where: str) -> dt.date | None:
    """A date given as metadata (front matter, sidecar, JSONL, table, feed), or None.

    A value that is not a date ("2020-13-45", "yesterday") or an impossible one (9999-12-31)
    is reported as a warning naming `where`, never silently dropped: the article then gets
    the date inferred from its text.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return check_date(value.date(), where)
    if isinstance(value, dt.date):
        return check_date(value, where)
    text = str(value).strip()
    if not text:
        return None
    day = _parse(text)
    if day is None:
        log.warning("%s: date %r not understood; using the date in the text, if any", where, text)
        return None
    return check_date(day, where)


def _is_dateline(text: str, start: int, end: int) -> bool:
    """A date on its own short line, or next to a dash / a CITY prefix near the top."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    # A line holding little but the date ("17 September, 2018", "Published 2021-05-04").
    if len(line) <= len(text[start:end]) + 12:
        return True
    if start > DATELINE_CHARS:
        return False
    before = text[max(line_start, start - 3) : start]
    after = text[end : end + 3]
    if any(d in before for d in _DASHES) or any(d in after for d in _DASHES):
        return True
    return bool(_DATELINE_PREFIX.match(text[line_start:start]))


def infer_date(text: str) -> tuple[dt.date | None, str]:
    """The article's date from its text, and where it came from ("dateline", "text", "none")."""
    head = text[:SEARCH_CHARS]
    for match in _DATE_RE.finditer(head):
        day = parse_date(match.group(0))
        if day is None:
            continue
        kind = "dateline" if _is_dateline(head, match.start(), match.end()) else "text"
        return day, kind
    return None, "none"
