"""Bytes to text: UTF-8 or UTF-16 (BOM), else the legacy code page charset-normalizer finds.

News archives hold Windows code pages (Arabic cp1256, Western cp1252, Cyrillic cp1251, ...).
Guessing one from bytes is charset-normalizer's job: it scores each candidate decoding by how
"chaotic" the text looks and how coherent its letters are for some language. On short texts
several code pages decode equally cleanly ("café" is valid in a dozen); then the one most
common in news, in `_PREFERRED` order, wins.
"""

from __future__ import annotations

import re

from geo.errors import InputError

_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")  # below 32, not \t \n \v \f (\r is gone)

# Code pages news text is actually written in, most common first. Restricting the detector
# to these keeps it from choosing exotic ones (mac_iceland, hp_roman8) that happen to decode.
_PREFERRED = (
    "cp1252",
    "cp1256",
    "cp1251",
    "cp1253",
    "cp1250",
    "cp1254",
    "cp1255",
    "cp1257",
    "iso8859_6",
    "koi8_r",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_kr",
    "euc_jp",
)
_RANK = {name: i for i, name in enumerate(_PREFERRED)}


def decode_bytes(data: bytes, name: str) -> str:
    """Text from bytes: UTF-8 (BOM or not), UTF-16 with BOM, else a detected code page.

    Raises InputError for empty or binary data. Newlines are normalised to "\\n" so the same
    article saved on Windows hashes the same.
    """
    if not data.strip():
        raise InputError(name, "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(name, f"invalid UTF-16 text ({exc.reason})") from exc
    elif b"\x00" in data:
        raise InputError(name, "binary file (contains NUL bytes)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = decode_legacy(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InputError(name, "empty file")
    controls = len(_CONTROLS.findall(text))  # a regex: a per-character loop took 1.6 s/10 MB
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise InputError(name, "binary file (control characters)")
    return text


def decode_legacy(data: bytes) -> str:
    """Non-UTF-8 bytes decoded with the code page charset-normalizer finds most plausible.

    Falls back to cp1252 with replacement characters when no candidate decodes cleanly, so
    an odd byte costs one character, never the article.
    """
    from charset_normalizer import from_bytes  # imported lazily: only legacy files need it

    matches = list(from_bytes(data, cp_isolation=list(_PREFERRED)))
    if not matches:
        return data.decode("cp1252", errors="replace")
    # Code pages that decode these bytes identically are one match: take its commonest name.
    scored = [
        (round(m.chaos, 2), -round(m.coherence, 2), min(_RANK.get(e, 99) for e in names), m)
        for m in matches
        for names in [[m.encoding, *m.could_be_from_charset]]
    ]
    chaos, coherence, rank, best = min(scored, key=lambda s: s[:3])
    encoding = _PREFERRED[rank] if rank < len(_PREFERRED) else best.encoding
    return data.decode(encoding, errors="replace")
