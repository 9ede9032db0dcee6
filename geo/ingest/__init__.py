"""Ingest: from files, uploads and URLs to stored, geoparsed articles.

Owns reading inputs into Articles: text and Markdown (`readers`, `frontmatter`), saved web
pages (`webpage`, trafilatura + htmldate), JSONL (`jsonl`), tables (`tables`), RSS/Atom
(`feeds`), URLs (`fetch`), folders (`walk`), bytes to text (`decode`) and dates (`dates`);
and running the geoparser over them in one process, a process pool or on Dask, then storing
them (`run`, `workers`); re-resolving stored articles (`reresolve`). May use `geo.parse`,
`geo.store`, `geo.gazetteer` and the lower rooms; never the CLI.
"""

from geo.ingest.decode import decode_bytes
from geo.ingest.fetch import Fetcher
from geo.ingest.readers import (
    SUFFIXES,
    ReadOptions,
    article_from_text,
    article_from_upload,
    read_inputs,
    read_upload,
)
from geo.ingest.reresolve import ReresolveReport, affected_articles, reresolve
from geo.ingest.run import IngestReport, ingest_articles, ingest_paths
from geo.ingest.tables import TableColumns

UPLOAD_TYPES = sorted(s.lstrip(".") for s in SUFFIXES)  # for the dashboard's file_uploader

__all__ = [
    "SUFFIXES",
    "UPLOAD_TYPES",
    "Fetcher",
    "IngestReport",
    "ReadOptions",
    "TableColumns",
    "ReresolveReport",
    "affected_articles",
    "article_from_text",
    "article_from_upload",
    "decode_bytes",
    "ingest_articles",
    "ingest_paths",
    "read_inputs",
    "read_upload",
    "reresolve",
]
