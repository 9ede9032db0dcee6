"""Sentence boundaries that respect paragraphs.

The model's sentence recogniser sometimes runs a sentence across a blank line (a headline
into its first paragraph), which makes a passage in the dashboard a whole screen long. A line
break always ends a passage here.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    for i in range(1, len(doc)):
        previous = doc[i - 1]
        if ("\n" in previous.text or "\n" in previous.whitespace_) and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc
