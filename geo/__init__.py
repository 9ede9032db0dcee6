"""geo: an offline geoparser and store for news articles.

    from geo import Gazetteer, Geoparser, Store, load_nlp
    parser = Geoparser(load_nlp(), Gazetteer.load())
    with Store.open("data/geo.sqlite") as store: ...

The rooms, lowest first (a room may import only those before it):
    models, errors, names   value objects, the GeoError tree, name keys
    gazetteer               the place index and how it is built
    parse, store            spaCy recognition + resolution; the SQLite/PostgreSQL store
    ingest, evaluate        reading inputs and storing them; scoring against gold data
    cli                     python -m geo
The heavy parts (spaCy, SQLAlchemy, the index) load only when first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from geo.errors import (
    ConfigError,
    GazetteerError,
    GeoError,
    InputError,
    ModelError,
    StoreError,
)
from geo.models import (
    BROAD_FEATURE_CODES,
    LIKELY_SCORE,
    ROLE_ADJECTIVE,
    ROLE_ORGANISATION,
    ROLE_PLACE,
    ROLES,
    SURE_SCORE,
    Article,
    ArticleBlock,
    ArticleSummary,
    Candidate,
    Filters,
    Focus,
    Mention,
    Passage,
    PassagePage,
    Place,
    PlaceCount,
    SentenceCard,
    confidence_word,
)

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer
    from geo.parse import Geoparser, load_nlp
    from geo.store import Store

_LAZY = {
    "Gazetteer": "geo.gazetteer",
    "Geoparser": "geo.parse",
    "load_nlp": "geo.parse",
    "Store": "geo.store",
}

__all__ = [
    "BROAD_FEATURE_CODES",
    "LIKELY_SCORE",
    "SURE_SCORE",
    "ROLES",
    "ROLE_ADJECTIVE",
    "ROLE_ORGANISATION",
    "ROLE_PLACE",
    "Article",
    "ArticleBlock",
    "ArticleSummary",
    "Candidate",
    "ConfigError",
    "Filters",
    "Focus",
    "Gazetteer",
    "GazetteerError",
    "GeoError",
    "Geoparser",
    "InputError",
    "Mention",
    "ModelError",
    "Passage",
    "PassagePage",
    "Place",
    "PlaceCount",
    "SentenceCard",
    "Store",
    "StoreError",
    "confidence_word",
    "load_nlp",
]


def __getattr__(name: str) -> Any:
    """Gazetteer, Geoparser, load_nlp and Store are imported on first use (PEP 562)."""
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
