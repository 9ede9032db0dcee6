"""Sentence boundaries that respect paragraphs.

The model's sentence recogniser sometimes runs a sentence across a blank line (a headline
into its first paragraph), which makes a passage in the dashboard a whole screen long. A line
break always ends a passage here.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_LINE_BREAKS = re.compile(r"\n\s*")


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    # Visit only the words that follow a line break, found in the text, not every token.
    for match in _LINE_BREAKS.finditer(doc.text):
        if match.end() >= len(doc.text):
            break
        span = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if span is not None and len(span) and span.start > 0 and not span[0].is_space:
            span[0].is_sent_start = True
    return doc
