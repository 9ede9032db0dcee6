"""Reading every input kind into Articles; bad inputs become InputErrors, never crashes."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.ingest.htmltext import html_to_text
from geo.ingest.readers import article_from_text, decode_bytes, read_inputs
from geo.models import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
BODY = "Shelling hit Idlib on Monday, residents said.\nMore fighting followed."


def split(items: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    good = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, InputError)]
    assert len(good) + len(bad) == len(items)
    return good, bad


def test_seeds_use_the_sidecar() -> None:
    good, bad = split(list(read_inputs([SEEDS])))
    assert bad == [] and len(good) == 5
    assert [Path(a.path).name[:3] for a in good] == ["000", "001", "002", "003", "004"]
    first = good[0]
    assert first.title == "Iran ready to help Turkey and Syria resolve differences over Idlib"
    assert (first.date, first.date_source, first.source) == (
        dt.date(2020, 2, 8), "sidecar", "seed corpus",
    )  # fmt: skip


def test_seed_without_sidecar_infers_the_dateline(tmp_path: Path) -> None:
    copy = tmp_path / "002.txt"
    copy.write_bytes((SEEDS / "002_e705a245b05cd3d6.txt").read_bytes())
    (article,) = read_inputs([copy])
    assert isinstance(article, Article)
    assert (article.date, article.date_source) == (dt.date(2018, 9, 17), "dateline")
    assert article.title == "Turkey and Russia leaders discuss Syria's Idlib"  # headline line


def test_front_matter_is_metadata(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: Idlib shelled\ndate: 2020-02-08\nsource: AP\n---\n{BODY}\n")
    (article,) = read_inputs([path])
    assert isinstance(article, Article)
    assert (article.title, article.date, article.date_source, article.source) == (
        "Idlib shelled", dt.date(2020, 2, 8), "metadata", "AP",
    )  # fmt: skip
    assert article.text == BODY


def test_html_is_stripped_to_text() -> None:
    html = (
        "<html><head><title>Idlib &amp; Aleppo</title><style>p{color:red}</style></head>"
        "<body><script>alert('x')</script><h1>Headline</h1><p>First <b>para</b>.</p>"
        "<p>Second para.<br>After break.</p></body></html>"
    )
    text, title = html_to_text(html)
    assert title == "Idlib & Aleppo"
    assert text == "Headline\n\nFirst para.\n\nSecond para.\nAfter break."
    assert "alert" not in text and "color" not in text


def test_jsonl_bad_lines_do_not_cost_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": BODY, "title": "T", "date": "2019-03-03", "source": "S"}),
        "{not json",
        json.dumps({"id": "b", "text": ""}),
        "",
        json.dumps(["a list"]),
        json.dumps({"id": "c", "text": "BEIRUT (AP) — 3 March 2019 — Clashes."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good, bad = split(list(read_inputs([path])))
    assert [a.path for a in good] == [f"{path}#a", f"{path}#c"]
    assert (good[0].title, good[0].date, good[0].date_source) == (
        "T", dt.date(2019, 3, 3), "metadata",
    )  # fmt: skip
    assert (good[1].date, good[1].date_source) == (dt.date(2019, 3, 3), "dateline")
    assert [e.source for e in bad] == [f"{path}:2", f"{path}:3", f"{path}:5"]
    assert "not valid JSON" in str(bad[0]) and "text" in bad[1].reason


def test_encodings(tmp_path: Path) -> None:
    arabic = "قصف في إدلب أمس وقال السكان إن القتال استمر"
    french = "Bombardements à Idlib, déclare l'armée française"
    files = {
        "utf8.txt": BODY.encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + BODY.encode("utf-8"),
        "utf16.txt": BODY.encode("utf-16"),
        "arabic.txt": arabic.encode("cp1256"),
        "latin.txt": french.encode("latin-1"),
        "crlf.txt": BODY.replace("\n", "\r\n").encode("utf-8"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    texts = {Path(a.path).name: a.text for a in read_inputs([tmp_path])}  # type: ignore[union-attr]
    assert texts["utf8.txt"] == texts["bom.txt"] == texts["utf16.txt"] == texts["crlf.txt"] == BODY
    assert texts["arabic.txt"] == arabic and texts["latin.txt"] == french
    assert decode_bytes("caf\u00e9".encode("cp1252"), "x") == "café"


def test_bad_inputs_are_errors_and_good_ones_survive(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(BODY)
    (folder / "empty.txt").write_text("  \n")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # unknown extension in a folder: skipped
    (folder / ".hidden.txt").write_text(BODY)
    (folder / "sub").mkdir()
    (folder / "sub" / "nested.htm").write_text("<p>Nested page text.</p>")
    unreadable = folder / "locked.txt"
    unreadable.write_text(BODY)
    unreadable.chmod(0)
    named_pdf = folder / "notes.pdf"
    items = list(read_inputs([folder, tmp_path / "missing.txt", named_pdf]))
    good, bad = split(items)
    names = sorted(Path(a.path).name for a in good)
    reasons = {Path(e.source).name: e.reason for e in bad}
    if os.geteuid() == 0:  # root reads mode-000 files
        assert names == ["good.txt", "locked.txt", "nested.htm"]
    else:
        assert names == ["good.txt", "nested.htm"] and "cannot read" in reasons["locked.txt"]
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["missing.txt"] == "no such file or folder"
    assert reasons["notes.pdf"].startswith("unsupported file type")
    assert all("\n" not in e.reason for e in bad)


def test_unreadable_path_is_an_error(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    items = list(read_inputs([fifo]))
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert items[0].reason == "not a regular file or folder"


def test_decode_bytes_errors() -> None:
    for data in (b"", b"   ", b"abc\x00def"):
        with pytest.raises(InputError):
            decode_bytes(data, "upload.txt")


def test_article_from_text_for_uploads() -> None:
    article = article_from_text("Idlib news\n\nTEHRAN (AP) — Sept. 7, 2018 — Talks.", source="up")
    assert (article.title, article.date, article.date_source) == (
        "Idlib news", dt.date(2018, 9, 7), "dateline",
    )  # fmt: skip
    given = article_from_text("One sentence only.", date=dt.date(2020, 1, 1), date_source="upload")
    assert (given.title, given.date_source) == ("", "upload")
