"""The store: articles, places and mentions in SQLite or PostgreSQL, and what is read back.

Owns the schema (`schema`), writing an article whole or not at all (`writes`), the `Store`
class and its reads (`store`, `queries`) and exports (`export`). May use `geo.models` and
`geo.errors`; it knows nothing of spaCy, the gazetteer's index, ingest or the CLI.
"""

from geo.store.articles import ArticleInfo
from geo.store.engine import resolve_db_url
from geo.store.export import (
    MENTION_COLUMNS,
    PASSAGE_COLUMNS,
    to_geojson,
    write_csv,
    write_mentions_csv,
    write_passages_csv,
)
from geo.store.queries import MentionRow
from geo.store.search import NameIndex, NameMatch
from geo.store.store import BatchStoreError, Store
from geo.store.trust import MentionDetail
from geo.store.user_places import make_user_place

__all__ = [
    "ArticleInfo",
    "MENTION_COLUMNS",
    "BatchStoreError",
    "MentionDetail",
    "MentionRow",
    "NameIndex",
    "NameMatch",
    "PASSAGE_COLUMNS",
    "Store",
    "resolve_db_url",
    "to_geojson",
    "make_user_place",
    "write_csv",
    "write_mentions_csv",
    "write_passages_csv",
]
