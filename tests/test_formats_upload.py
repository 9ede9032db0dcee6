"""The dashboard's upload accepts every format `ingest` reads, and reads it the same way."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.ingest import UPLOAD_TYPES

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def test_uploader_accepts_the_ingest_formats(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GEO_DB", str(tmp_path / "empty.sqlite"))
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    (uploader,) = [u for u in at.get("file_uploader") if u.proto.id.endswith("upload")]
    accepted = set(uploader.proto.type)
    expected = {".txt", ".md", ".html", ".htm", ".jsonl", ".csv", ".tsv", ".xlsx", ".rss"}
    assert expected | {".atom", ".xml"} <= accepted, accepted
    assert {f".{t}" for t in UPLOAD_TYPES} == accepted


def test_upload_of_pages_tables_and_feeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    from dashboard import data

    monkeypatch.setenv("GEO_DB", str(tmp_path / "upload.sqlite"))
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    book = Workbook()
    book.active.append(["headline", "body"])
    book.active.append(["Raqqa", "Airstrikes hit Raqqa and Deir ez-Zor overnight, monitors said."])
    book.active.append(["empty", None])
    sheet = io.BytesIO()
    book.save(sheet)
    feed = (
        b"<rss version='2.0'><channel><title>Wire</title><item><title>Homs</title>"
        b"<link>http://127.0.0.1:9/never-fetched</link>"
        b"<description>Clashes were reported near Homs and Hama.</description></item>"
        b"</channel></rss>"
    )
    files = [
        ("saraqib.html", (PAGES / "saraqib_news.html").read_bytes()),
        ("sheet.xlsx", sheet.getvalue()),
        ("wire.rss", feed),
        ("notes.pdf", b"%PDF-1.4"),
    ]
    added, skipped, errors = data.ingest_uploads(None, files, dt.date(2021, 5, 1))
    assert (added, skipped) == (3, 0), errors
    assert errors[0] == "sheet.xlsx:3: empty text cell"
    assert errors[1].startswith("notes.pdf: unsupported file type")
    store = data.get_store(None)
    names = {pc.place.name for pc in store.place_counts()}
    assert {"Saraqib", "Ar Raqqah", "Deir ez-Zor"} <= names and "Nairobi" not in names, names
    assert any(n.startswith("Homs") for n in names), names
    infos = {info.path: info for info in store.articles()}
    assert set(infos) == {"saraqib.html", "sheet.xlsx#2", "wire.rss#1"}
    assert all(info.date == dt.date(2021, 5, 1) for info in infos.values())
    assert infos["saraqib.html"].url.endswith("/saraqib-shelling")
