"""Turn untrusted article text into safe Markdown for the passage panel.

Article text and titles are hostile input: they may hold HTML, JavaScript template syntax
(`${...}`, backticks), Markdown links or Streamlit directives (`:red[...]`). Every character
that HTML, Markdown, LaTeX (`$`) or a JavaScript template literal treats specially is
written as a numeric character reference, which both CommonMark and HTML show as the
literal character and never interpret.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from geo import Passage, Place, SentenceCard

# ASCII punctuation that means something to Markdown, HTML, KaTeX, Streamlit directives or
# a JS template literal. Letters, digits and spaces stay readable in the source.
_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~:$&\"'=/;@%^?")
_WS = re.compile(r"\s+")

# How far "more context" reaches around the mention, in characters each side.
CONTEXT_CHARS = 400


def escape_text(text: str) -> str:
    """Escape `text` so that HTML and Markdown show it verbatim (newlines become spaces)."""
    flat = _WS.sub(" ", text)
    return "".join(f"&#{ord(ch)};" if ch in _SPECIAL else ch for ch in flat)


def escape_html(text: str) -> str:
    """Escape for an HTML string that may end up inside a JS template literal (tooltips)."""
    return (
        html.escape(text, quote=True)
        .replace("$", "&#36;")
        .replace("`", "&#96;")
        .replace("\\", "&#92;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def _clamp(start: int, end: int, size: int) -> tuple[int, int]:
    start = max(0, min(start, size))
    end = max(start, min(end, size))
    return start, end


def highlight(text: str, start: int, end: int) -> str:
    """Markdown of `text` with text[start:end] highlighted; everything escaped."""
    start, end = _clamp(start, end, len(text))
    before, name, after = text[:start], text[start:end], text[end:]
    if not name.strip():
        return escape_text(text)
    # The directive and bold markers are ours; their content is escaped, so it cannot close
    # them early or open its own.
    return f"{escape_text(before)}:orange-background[**{escape_text(name)}**]{escape_text(after)}"


def passage_markdown(passage: Passage) -> str:
    """The passage sentence with the place name highlighted."""
    return highlight(passage.sentence, passage.highlight_start, passage.highlight_end)


def context_markdown(article_text: str, passage: Passage, chars: int = CONTEXT_CHARS) -> str:
    """A wider window of the article around the mention, name highlighted, with ellipses."""
    start, end = _clamp(passage.article_start, passage.article_end, len(article_text))
    lo = max(0, start - chars)
    hi = min(len(article_text), end + chars)
    # Cut on whitespace so the window does not begin or end mid-word.
    if lo > 0:
        space = article_text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(article_text):
        space = article_text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    body = highlight(article_text[lo:hi], start - lo, end - lo)
    return ("… " if lo > 0 else "") + body + (" …" if hi < len(article_text) else "")


def passage_caption(passage: Passage) -> str:
    """Title, date and source on one escaped line."""
    parts = [passage.title or "Untitled article"]
    parts.append(passage.date.isoformat() if passage.date else "undated")
    if passage.source:
        parts.append(passage.source)
    return " · ".join(escape_text(p) for p in parts)


def card_markdown(card: SentenceCard) -> str:
    """A sentence with every mention of the chosen place highlighted (orange) and the other
    places' names marked more lightly (blue); everything escaped."""
    spans = sorted(
        [(p.highlight_start, p.highlight_end, "orange") for p in card.mentions]
        + [(start, end, "blue") for start, end in card.others]
    )
    text, out, at = card.sentence, [], 0
    for start, end, colour in spans:
        start, end = _clamp(start, end, len(text))
        if start < at or not text[start:end].strip():
            continue  # overlapping or empty spans: keep the first
        out.append(escape_text(text[at:start]))
        name = escape_text(text[start:end])
        out.append(
            f":orange-background[**{name}**]" if colour == "orange" else f":blue-background[{name}]"
        )
        at = end
    out.append(escape_text(text[at:]))
    return "".join(out)


def place_label(place: Place) -> str:
    """A place's full label ("Charleston, West Virginia, US"), escaped for Markdown labels."""
    return escape_text(place.label)


def safe_url(url: str) -> str | None:
    """An article's address when it is a plain http(s) URL, else None (never linked)."""
    url = url.strip()
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None
