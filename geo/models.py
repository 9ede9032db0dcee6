"""Small frozen value objects passed between the library's steps and to the dashboard."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

# Feature classes (GeoNames): A = country/region, P = populated place, T = mountain,
# L = area/region, H = water. Codes we add: CONT (continent), RGN (named region).
BROAD_FEATURE_CODES = frozenset(
    {"CONT", "RGN", "PCLI", "PCLD", "PCLIX", "PCLS", "PCLF", "PCL", "TERR", "ADM1", "SEA", "OCN"}
)

# Mention roles: how the name is used in the sentence.
ROLE_PLACE = "place"  # "in Idlib", "Moscow said"
ROLE_ADJECTIVE = "adjective"  # "Syrian forces", "Iranian officials"
ROLE_ORGANISATION = "organisation"  # "Syrian" in "Syrian Observatory for Human Rights"
ROLES = (ROLE_PLACE, ROLE_ADJECTIVE, ROLE_ORGANISATION)


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: one real place with a representative point."""

    id: str  # "gn:170063" for GeoNames, "sup:al-eis" for supplement rows, "cc:SY" for countries
    name: str
    lat: float
    lon: float
    country_code: str = ""
    admin1: str = ""
    feature_class: str = ""
    feature_code: str = ""
    population: int = 0
    source: str = ""
    geonameid: int | None = None

    @property
    def is_broad(self) -> bool:
        """Countries, first-level regions, continents and named regions (not towns)."""
        return self.feature_code in BROAD_FEATURE_CODES

    @property
    def label(self) -> str:
        """The name with its region and country code: "Charleston, West Virginia, US".

        Parts that repeat the name are left out ("Idlib, SY" for the governorate).
        """
        parts = [self.name]
        if self.admin1 and self.admin1.casefold() != self.name.casefold():
            parts.append(self.admin1)
        if self.country_code and self.country_code != "?" and not self.id.startswith("cc:"):
            parts.append(self.country_code)
        return ", ".join(parts)


@dataclass(frozen=True)
class Candidate:
    """A gazetteer place that a name may refer to, with how well the name matched."""

    place: Place
    name_score: float  # 1.0 exact normalised match, less for fuzzy matches
    matched_name: str = ""
    confidence: float = 0.0  # set by resolution: this reading's share among all readings


@dataclass(frozen=True)
class Mention:
    """One place name found in an article, resolved (or not) to a Place."""

    start: int  # character offsets into the article text
    end: int
    surface: str  # text[start:end]
    role: str  # one of ROLES
    place: Place | None
    score: float  # resolver confidence 0..1
    sentence: str  # the passage (sentence) holding the mention
    sentence_start: int  # offset of the sentence in the article text
    runners_up: tuple[Candidate, ...] = ()
    evidence: str = ""  # why this place, in plain words ("town in Idlib, Syria; ...")


def content_hash(text: str) -> str:
    """Stable identity of an article: same text, same article, whatever the file name."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    """An article's text and metadata. `date_source` says where the date came from."""

    text: str
    title: str = ""
    date: dt.date | None = None
    date_source: str = "none"  # "metadata", "sidecar", "dateline", "text", "upload", "none"
    source: str = ""  # publisher or origin file
    path: str = ""  # the file it was read from, if any
    hash: str = field(default="", compare=False)
    url: str = ""  # the original's address, when known (JSONL, front matter, canonical link)
    author: str = ""
    language: str = ""  # ISO 639-1 code when detected ("en", "ar"); "" if unknown

    def __post_init__(self) -> None:
        if not self.hash:
            object.__setattr__(self, "hash", content_hash(self.text))


# A news article's date lies between these: earlier is a typo ("0202-05-04" for 2020), later
# than tomorrow (time zones) is impossible. Both are refused when stored, not guessed at.
EARLIEST_DATE = dt.date(1900, 1, 1)


def latest_date() -> dt.date:
    return dt.date.today() + dt.timedelta(days=1)


def date_problem(day: dt.date | None) -> str:
    """Why `day` cannot be an article's date, or "" when it can (or is None)."""
    if day is None:
        return ""
    if day < EARLIEST_DATE:
        return f"date {day.isoformat()} is before {EARLIEST_DATE.isoformat()}"
    if day > latest_date():
        return f"date {day.isoformat()} is after tomorrow"
    return ""


# Confidence in words. A mention scoring at least SURE_SCORE is "sure", at least LIKELY_SCORE
# "likely", else "unsure". The thresholds are calibrated on gold data (README, "Confidence"):
# "sure" must be right (within 161 km) at least 95% of the time on every dev set.
SURE_SCORE = 0.93
LIKELY_SCORE = 0.5


def confidence_word(score: float) -> str:
    """ "sure", "likely" or "unsure" for a resolver score."""
    if score >= SURE_SCORE:
        return "sure"
    return "likely" if score >= LIKELY_SCORE else "unsure"


@dataclass(frozen=True)
class Focus:
    """An article's main country and first-level region (like CLIFF's "focus")."""

    country_code: str = ""  # ISO 3166-1 alpha-2, "" when none stands out
    admin1: str = ""  # the first-level region's name, "" when none stands out

    @classmethod
    def from_mentions(cls, mentions: Iterable[Mention]) -> Focus:
        """The country named most often (places and adjectives, not organisation names), and
        within it the region most often named or holding the named towns; ties go to the one
        the article names first (the lead usually says where the story is)."""
        countries: dict[str, int] = {}
        regions: dict[tuple[str, str], int] = {}
        for m in mentions:
            if m.place is None or m.role == ROLE_ORGANISATION or not m.place.country_code:
                continue
            code = m.place.country_code
            countries[code] = countries.get(code, 0) + 1
            if m.place.admin1:
                key = (code, m.place.admin1)
                regions[key] = regions.get(key, 0) + 1
        if not countries:
            return cls()
        # dicts keep insertion order, so max() returns the first-named of equal counts.
        country = max(countries, key=lambda c: countries[c])
        in_country = {k: n for k, n in regions.items() if k[0] == country}
        admin1 = max(in_country, key=lambda k: in_country[k])[1] if in_country else ""
        return cls(country_code=country, admin1=admin1)


@dataclass(frozen=True)
class Filters:
    """The dashboard's (and CLI's) selection; every count and list follows it."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    countries: tuple[str, ...] = ()  # ISO country codes; empty = all
    text: str = ""  # substring search over passages (case-insensitive)
    include_broad: bool = True  # countries, admin1 regions, continents
    roles: tuple[str, ...] = ROLES
    focus: tuple[str, ...] = ()  # articles whose focus is one of these countries; empty = all


@dataclass(frozen=True)
class PlaceCount:
    """A place with the number of mentions in the current selection."""

    place: Place
    count: int
    articles: int
    last_date: dt.date | None
    # The best resolver score among these mentions, where the query computed it (the
    # dashboard's hollow and hidden markers), else None.
    best_score: float | None = None


@dataclass(frozen=True)
class Passage:
    """A sentence that mentions a place, with its article's metadata."""

    mention_id: int
    article_id: int
    title: str
    date: dt.date | None
    source: str
    sentence: str
    highlight_start: int  # offsets of the place name within `sentence`
    highlight_end: int
    article_start: int  # offsets of the mention in the article text (for more context)
    article_end: int
    score: float = 0.0  # the resolver's confidence
    url: str = ""  # the original article's address, when known
    place_id: str = ""
    surface: str = ""
    kind: str = "sentence"  # PASSAGE_KINDS: a body sentence, the headline or the dateline


PASSAGE_KINDS = ("sentence", "headline", "dateline")


@dataclass(frozen=True)
class SentenceCard:
    """One sentence of an article with the selected place's mentions in it (one or more)."""

    article_id: int
    sentence: str
    sentence_start: int
    mentions: tuple[Passage, ...]  # the selected place, in text order
    others: tuple[tuple[int, int], ...] = ()  # other places' spans, offsets in `sentence`


@dataclass(frozen=True)
class ArticleBlock:
    """An article's passages about one place: its sentences, and its other places once."""

    article_id: int
    title: str
    date: dt.date | None
    source: str
    url: str
    cards: tuple[SentenceCard, ...]
    headline_mentions: int = 0  # mentions of the place in the headline (not shown as cards)
    dateline: str = ""  # the dateline text, when it names the place
    other_places: tuple[PlaceCount, ...] = ()  # every other place, most mentioned first


@dataclass(frozen=True)
class ArticleSummary:
    """An article in the selection, for the article view: metadata and its places."""

    article_id: int
    title: str
    date: dt.date | None
    source: str
    url: str
    mentions: int  # mentions in the selection
    places: tuple[PlaceCount, ...]  # most mentioned first


@dataclass(frozen=True)
class PassagePage:
    """A page of the passage panel: article blocks, newest first, and whether more follow."""

    blocks: tuple[ArticleBlock, ...]
    has_more: bool


@dataclass(frozen=True)
class UserPlace:
    """A place the analyst added to the store (source "user"), with its other names."""

    place: Place
    alternate_names: tuple[str, ...] = ()
    note: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.place.name, *self.alternate_names)


@dataclass(frozen=True)
class Correction:
    """An analyst's fix: this mention, this name in this article, or this name everywhere.

    `place` is None for "not a place". Articles are named by content hash (`article_hash`),
    so a correction outlives a re-ingest; `article_id` is the id in this store, if stored.
    """

    id: int
    created_at: dt.datetime
    scope: str  # one of CORRECTION_SCOPES
    name: str
    place: Place | None
    note: str = ""
    article_hash: str = ""
    article_id: int | None = None
    start: int | None = None  # the mention's offsets (scope "mention")
    end: int | None = None
    undone_at: dt.datetime | None = None
    mentions: int = 0  # mentions that follow it now


SCOPE_MENTION, SCOPE_ARTICLE, SCOPE_STORE = "mention", "article", "store"
CORRECTION_SCOPES = (SCOPE_MENTION, SCOPE_ARTICLE, SCOPE_STORE)
