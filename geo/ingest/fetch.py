"""Fetching pages and feeds, politely, and only when the user asks for it.

Nothing in geo fetches on its own: this module is used only for URLs given on the command
line, `--urls FILE`, and feed links with `--fetch`. One request at a time (so one at a time
per host), a pause between requests to the same host, a timeout, a size limit, a few retries
for temporary failures, and a User-Agent that names the tool so site owners know who calls.
"""

from __future__ import annotations

import email.utils
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from geo.errors import InputError

USER_AGENT = "geo-ingest/0.1 (offline geoparser and news map; fetches only on request)"
TIMEOUT_S = 20.0
MAX_BYTES = 20_000_000  # the article size limit: a page larger than this is not an article
RETRIES = 2  # after the first try, for timeouts, connection errors, 429 and 5xx
HOST_DELAY_S = 1.0  # pause between two requests to the same host
MAX_RETRY_AFTER_S = 30.0
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    data: bytes


class FetchError(InputError):
    """A URL could not be fetched; the message names the URL and why."""


@dataclass
class Fetcher:
    """Fetches URLs one at a time, waiting `host_delay` between calls to the same host."""

    timeout: float = TIMEOUT_S
    max_bytes: int = MAX_BYTES
    retries: int = RETRIES
    host_delay: float = HOST_DELAY_S
    backoff: float = 1.0  # seconds before the first retry, doubled for each further one
    user_agent: str = USER_AGENT
    _last_call: dict[str, float] = field(default_factory=dict)

    def fetch(self, url: str) -> Fetched:
        """The body of `url`; raises FetchError after the last failed try."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchError(url, "not an http:// or https:// URL")
        wait = self.backoff
        for attempt in range(self.retries + 1):
            self._pause(parts.hostname)
            try:
                return self._get(url)
            except _Temporary as exc:
                if attempt == self.retries:
                    raise FetchError(url, f"{exc.reason} (after {attempt + 1} tries)") from None
                time.sleep(min(MAX_RETRY_AFTER_S, exc.retry_after or wait))
                wait *= 2
        raise AssertionError("unreachable")  # the loop returns or raises

    def _pause(self, host: str) -> None:
        last = self._last_call.get(host)
        if last is not None:
            remaining = self.host_delay - (time.monotonic() - last)
            if remaining > 0:
                time.sleep(remaining)
        self._last_call[host] = time.monotonic()

    def _get(self, url: str) -> Fetched:
        request = urllib.request.Request(
            url, headers={"User-Agent": self.user_agent, "Accept": "text/html,application/xml,*/*"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(url, f"too large ({declared} bytes; limit {self.max_bytes})")
                data = self._read_limited(response, url)
                return Fetched(response.geturl(), response.headers.get_content_type(), data)
        except urllib.error.HTTPError as exc:
            if exc.code in _RETRY_STATUS:
                raise _Temporary(f"HTTP {exc.code}", _retry_after(exc.headers)) from None
            raise FetchError(url, f"HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            raise _Temporary(f"cannot connect ({exc.reason})") from None
        except TimeoutError:
            raise _Temporary(f"timed out after {self.timeout:g} s") from None
        except OSError as exc:  # connection reset mid-body and the like
            raise _Temporary(f"connection failed ({exc.strerror or exc})") from None

    def _read_limited(self, response, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, f"too large (over {self.max_bytes} bytes)")
            chunks.append(chunk)
        return b"".join(chunks)


class _Temporary(Exception):
    """A failure worth another try."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _retry_after(headers) -> float | None:
    value = (headers or {}).get("Retry-After", "")
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def read_url_list(data: str, name: str) -> list[str | InputError]:
    """The URLs of a --urls file: one per line; blank lines and # comments skipped."""
    out: list[str | InputError] = []
    for lineno, line in enumerate(data.split("\n"), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if urlsplit(url).scheme not in {"http", "https"}:
            out.append(InputError(f"{name}:{lineno}", "not an http:// or https:// URL"))
        else:
            out.append(url)
    return out


def is_url(text: str) -> bool:
    return str(text).lower().startswith(("http://", "https://"))
