"""Article objects from text plus whatever metadata a reader found."""

from __future__ import annotations

import datetime as dt
import logging
import re

from geo.ingest.dates import infer_date
from geo.models import Article
from geo.parse import detect_language, uses_english_model

log = logging.getLogger(__name__)
_HEADLINE_MAX_CHARS = 200
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # lone surrogates (from JSON) cannot be stored


def headline(text: str) -> str:
    """The first line when it looks like a headline (short, no final period), else ""."""
    first, sep, rest = text.partition("\n")
    first = first.strip()
    if not sep or not rest.strip() or not first or len(first) > _HEADLINE_MAX_CHARS:
        return ""
    if first[-1] in ".!?:;," or len(first.split()) > 25:
        return ""
    return first


def _clean(value: str) -> str:
    return _SURROGATES.sub("\ufffd", value)


def article_from_text(
    text: str,
    *,
    title: str = "",
    date: dt.date | None = None,
    source: str = "",
    path: str = "",
    date_source: str = "",
    url: str = "",
    author: str = "",
    language: str | None = None,
) -> Article:
    """An Article from text plus whatever metadata is known; the date is inferred if missing.

    `date_source` names where a given `date` came from (default "metadata"). The language
    is detected from the text unless given.
    """
    text = _clean(text.replace("\r\n", "\n").replace("\r", "\n").strip())
    if date is not None:
        source_of_date = date_source or "metadata"
    else:
        date, source_of_date = infer_date(text)
    article = Article(
        text=text,
        title=_clean(title).strip() or headline(text),
        date=date,
        date_source=source_of_date,
        source=_clean(source),
        path=path,
        url=_SURROGATES.sub("", url).strip(),
        author=_clean(author).strip(),
        language=detect_language(text) if language is None else language,
    )
    notice_language(article)
    return article


def notice_language(article: Article) -> None:
    """Say, once per article, that a text not in English is read without the English model."""
    if not uses_english_model(article.language):
        log.warning(
            "%s: language %r, not English: places are found by gazetteer matching alone "
            "(no English NER); see the README's 'Articles not in English'",
            article.path or article.source or article.hash[:12],
            article.language,
        )
