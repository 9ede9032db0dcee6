"""The spaCy side: from text to resolved Mentions.

Owns the pipeline components (`recognize` with its `evidence` and `cues`, `sentences`),
resolution (`resolve`), language detection and gazetteer-only matching for other languages
(`language`, `multilingual`) and the `Geoparser` that runs them (`pipeline`). May use `geo.models`,
`geo.names`, `geo.errors` and `geo.gazetteer`; never the store, ingest or the CLI.
Importing this package does not import spaCy: `load_nlp` and `Geoparser` do, when called.
"""

from geo.parse.language import detect_language, uses_english_model
from geo.parse.pipeline import CHUNK_CHARS, DEFAULT_MODEL, Geoparser, load_nlp, split_text

__all__ = [
    "CHUNK_CHARS",
    "DEFAULT_MODEL",
    "Geoparser",
    "detect_language",
    "load_nlp",
    "split_text",
    "uses_english_model",
]
