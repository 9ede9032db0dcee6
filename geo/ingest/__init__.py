"""Ingest: from files and uploads to stored, geoparsed articles.

Owns reading inputs into Articles (`readers`, `decode`, `htmltext`), article dates (`dates`)
and running the geoparser over them in one process, a process pool or on Dask, then storing
them (`run`, `workers`). May use `geo.parse`, `geo.store`, `geo.gazetteer` and the lower rooms;
never the CLI.
"""

from geo.ingest.decode import decode_bytes
from geo.ingest.readers import SUFFIXES, article_from_text, article_from_upload, read_inputs
from geo.ingest.reresolve import ReresolveReport, affected_articles, reresolve
from geo.ingest.run import IngestReport, ingest_articles, ingest_paths

__all__ = [
    "SUFFIXES",
    "IngestReport",
    "ReresolveReport",
    "affected_articles",
    "article_from_text",
    "article_from_upload",
    "decode_bytes",
    "ingest_articles",
    "ingest_paths",
    "read_inputs",
    "reresolve",
]
