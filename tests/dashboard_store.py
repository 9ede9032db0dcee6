"""A small real SQLite store for the dashboard tests, written through Store.add_article.

Hand-made mentions stand in for the geoparser so the dashboard tests do not depend on it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geo.models import ROLE_PLACE, Article, Mention, Place
from geo.store import Store

SARAQEB = Place("gn:172374", "Saraqeb", 35.8626, 36.8006, "SY", "Idlib", "P", "PPL", 32000)
IDLIB = Place("gn:169389", "Idlib", 35.9306, 36.6339, "SY", "Idlib", "P", "PPLA", 128840)
SOCHI = Place("gn:491422", "Sochi", 43.6028, 39.7342, "RU", "Krasnodar", "P", "PPL", 343334)
AL_EIS = Place("sup:al-eis", "Al-Eis", 35.9464, 37.0025, "SY", "Aleppo", "P", "PPL", 0)
SYRIA = Place("cc:SY", "Syria", 35.0, 38.0, "SY", "", "A", "PCLI", 22000000)
TEHRAN = Place("gn:112931", "Tehran", 35.6944, 51.4215, "IR", "Tehran", "P", "PPLC", 7153309)

HOSTILE = (
    '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> '
    "${window.__pwned = 3} `whoami` </script> [click](javascript:alert(1)) :red[boom] $x^2$"
)
EVIL_PLACE = Place("t:evil", HOSTILE, 33.5, 44.4, "IQ", "", "P", "PPL", 0)


def _mentions(text: str, places: list[tuple[str, Place]]) -> list[Mention]:
    """Mentions for each (surface, place), with the sentence cut at full stops."""
    out = []
    for surface, place in places:
        start = text.index(surface)
        s_start = text.rfind(". ", 0, start)
        s_start = 0 if s_start == -1 else s_start + 2
        s_end = text.find(". ", start)
        s_end = len(text) if s_end == -1 else s_end + 1
        out.append(
            Mention(
                start=start,
                end=start + len(surface),
                surface=surface,
                role=ROLE_PLACE,
                place=place,
                score=0.9,
                sentence=text[s_start:s_end],
                sentence_start=s_start,
            )
        )
    return out


ARTICLES = [
    (
        "Government forces enter Saraqeb",
        dt.date(2020, 2, 8),
        "Syrian government forces entered the town of Saraqeb on Saturday. "
        "Turkey sent more troops towards Idlib as Syria's army advanced. "
        "Residents fled Saraqeb overnight.",
        [("Saraqeb", SARAQEB), ("Idlib", IDLIB), ("Syria", SYRIA)],
    ),
    (
        "Sochi deal on Idlib",
        dt.date(2018, 9, 17),
        "Russia and Turkey agreed in Sochi to create a buffer zone around Idlib. "
        "Officials in Tehran welcomed the deal.",
        [("Sochi", SOCHI), ("Idlib", IDLIB), ("Tehran", TEHRAN)],
    ),
    (
        "Strikes south of Aleppo",
        dt.date(2018, 9, 7),
        "Air strikes hit Al-Eis in the southern Aleppo countryside. "
        "Rebels in Idlib braced for an offensive.",
        [("Al-Eis", AL_EIS), ("Idlib", IDLIB)],
    ),
]


def fill_store(path: Path, *, hostile: bool = False) -> Path:
    """Write the sample articles (and optionally a hostile one) into a new store at path."""
    store = Store.open(str(path))
    try:
        for title, date, text, places in ARTICLES:
            store.add_article(
                Article(text=text, title=title, date=date, source="test wire"),
                _mentions(text, places),
            )
        if hostile:
            text = f"In Tehran witnesses wrote {HOSTILE} on walls."
            store.add_article(
                Article(text=text, title=HOSTILE, date=dt.date(2019, 5, 1), source=HOSTILE),
                # A place whose gazetteer name is hostile too, for the map's tooltips.
                _mentions(text, [("Tehran", TEHRAN), ("walls", EVIL_PLACE)]),
            )
    finally:
        store.close()
    return path
