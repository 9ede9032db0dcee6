"""Issue 5: bad input, hostile text and safe defaults, through the real CLI and the upload path.

Every bad input is either handled or reported on one stderr line naming the file and the
reason; the good files of the same batch are stored; the exit code says something failed;
the store stays consistent (checked with SQLite's own integrity check and the offsets).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest

from geo.errors import GeoError, InputError
from geo.ingest import ingest_articles
from geo.ingest.readers import article_from_text, decode_bytes
from geo.models import Article
from geo.parse.pipeline import CHUNK_CHARS, split_text
from geo.store import Store
from geo.store.export import write_mentions_csv
from tests.conftest import REPO, run_cli

TOWNS = ("Aleppo", "Idlib", "Saraqeb", "Damascus", "Homs", "Hama", "Latakia", "Tartus", "Raqqa")


# -- helpers shared with test_crash.py and test_concurrency.py ----------------------------


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "geo", *args]


def added_count(stderr: str) -> int:
    match = re.search(r"added (\d+) articles", stderr)
    assert match, f"no summary line in stderr:\n{stderr}"
    return int(match.group(1))


def article_body(i: int, words: int = 60) -> str:
    """A distinct short news text naming two real places (deterministic in i)."""
    a, b = TOWNS[i % len(TOWNS)], TOWNS[(i * 7 + 3) % len(TOWNS)]
    filler = " ".join(f"w{i}x{k}" for k in range(words))
    return (
        f"Report {i}: shelling hit {a} on Monday, residents said.\n\n"
        f"Government forces later advanced towards {b}. {filler}.\n"
    )


def write_articles(folder: Path, numbers: Sequence[int], words: int = 60) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in numbers:
        (folder / f"article_{i:05d}.txt").write_text(article_body(i, words), encoding="utf-8")


def connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)


def mention_sets(db: Path) -> dict[str, set[tuple[object, ...]]]:
    """{article hash: {(start, end, surface, place_id, role)}} for every stored article."""
    with connect(db) as con:
        found: dict[str, set[tuple[object, ...]]] = {
            h: set() for (h,) in con.execute("SELECT hash FROM articles")
        }
        for row in con.execute(
            "SELECT a.hash, m.start, m.end_, m.surface, m.place_id, m.role "
            "FROM mentions m JOIN articles a ON a.id = m.article_id"
        ):
            found[row[0]].add(tuple(row[1:]))
    return found


def assert_consistent(db: Path) -> int:
    """SQLite integrity, no orphans or duplicates, offsets on their surface; returns #articles."""
    con = connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        orphan_mentions = con.execute(
            "SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        orphan_places = con.execute(
            "SELECT count(*) FROM places WHERE id NOT IN "
            "(SELECT place_id FROM mentions WHERE place_id IS NOT NULL)"
        ).fetchone()[0]
        assert (orphan_mentions, orphan_places) == (0, 0)
        n, hashes, texts = con.execute(
            "SELECT count(*), count(DISTINCT hash), count(DISTINCT text) FROM articles"
        ).fetchone()
        assert n == hashes == texts, "duplicate articles"
        texts_by_id = dict(con.execute("SELECT id, text FROM articles"))
        for article_id, start, end, surface, sentence, sentence_start in con.execute(
            "SELECT article_id, start, end_, surface, sentence, sentence_start FROM mentions"
        ):
            text = texts_by_id[article_id]
            assert text[start:end] == surface
            assert text[sentence_start : sentence_start + len(sentence)] == sentence
            assert sentence_start <= start and end <= sentence_start + len(sentence)
        return int(n)
    finally:
        con.close()


# -- 1. bad input through `python -m geo ingest` ---------------------------------------------

BIG_TAIL_PLACE = "Latakia"


def big_article() -> tuple[str, list[tuple[int, str]]]:
    """A ~5.2 MB article (over spaCy's max_length) and the (offset, place) it must yield.

    The bulk is long filler tokens (cheap to tag) with place sentences spread through it, one
    sitting across each of the first chunk boundaries and one at the very end.
    """
    filler_line = "z" * 1000 + "\n"
    towns = ("Idlib", "Damascus", "Homs", "Hama", "Raqqa")
    sentences = [(k * CHUNK_CHARS - 20, towns[k - 1]) for k in range(1, 6)]
    parts: list[str] = ["Shelling hit Aleppo on Monday, residents said.\n\n"]
    expected = [(len("Shelling hit "), "Aleppo")]
    length = len(parts[0])
    for target, town in sentences:
        pad = target - length
        parts.append(filler_line * (pad // len(filler_line)) + " " * (pad % len(filler_line)))
        length = target
        sentence = f"Shelling hit {town} on Monday, residents said. "
        expected.append((length + len("Shelling hit "), town))
        parts.append(sentence)
        length += len(sentence)
    while length < 5_200_000:
        parts.append(filler_line)
        length += len(filler_line)
    tail = f"\n\nOn Friday, warplanes struck {BIG_TAIL_PLACE} again, residents said."
    expected.append((length + tail.index(BIG_TAIL_PLACE), BIG_TAIL_PLACE))
    parts.append(tail)
    return "".join(parts), expected


def write_bad_inputs(folder: Path) -> dict[str, str]:
    """Every kind of bad input; returns {file name: reason the CLI must give} for the bad ones."""
    folder.mkdir()
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.md": b"  \n\t\n",
        "binary.txt": bytes(range(256)) * 40,
        "nul.txt": b"Fighting in Aleppo\x00\x00\x00 on Monday.\n",
        "image.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        # Handled: decoded, stored.
        "good.txt": b"Shelling hit Saraqeb in Idlib province, residents said.\n",
        "invalid_utf8.txt": b"Shelling hit Idlib \xff\xfe\xfa\xc3\x28 on Monday.\n",
        "arabic_cp1256.txt": "قصف على مدينة حلب. Shelling hit Aleppo on Monday.\n".encode("cp1256"),
        "latin1.txt": "Les forces ont bombardé Alep près de Genève. Clashes in Homs.\n".encode(
            "latin-1"
        ),
        "utf16_bom.txt": "Turkish troops entered Afrin near Aleppo on Sunday.\n".encode("utf-16"),
        "page.html": (
            b"<html><head><title>Idlib &amp; Hama</title><script>var x = 'Moscow';</script>"
            b"<style>p {color: red}</style></head><body><nav>Home | World</nav>"
            b"<p>Clashes near <b>Saraqeb</b> in Idlib.</p><p>Rockets hit Hama.</p></body></html>"
        ),
        "articles.jsonl": (
            b'{"id": 1, "text": "Airstrikes hit Douma near Damascus.", "title": "Douma"}\n'
            b"{not json\n"
            b"[1, 2]\n"
            b'{"id": 4, "title": "no text"}\n'
            b'{"id": 5, "text": "Protests in Homs \\u0000 today."}\n'
            b'{"id": 6, "text": "Shelling in Raqqa \\ud800 on Monday."}\n'
            b"\xff\xfe garbage line\n"
            b'{"id": 8, "text": "Clashes in Tartus."}\n'
        ),
    }
    big, _ = big_article()
    files["big.txt"] = big.encode()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "hidden.txt.swp").write_bytes(b"\x00")  # not an article suffix: ignored
    os.mkfifo(folder / "fifo.txt")  # reading it would block forever
    (folder / "dangling.md").symlink_to(folder / "missing.md")
    return {
        "empty.txt": "empty file",
        "blank.md": "empty file",
        "binary.txt": "binary file",
        "nul.txt": "binary file",
        "image.html": "binary file",
        "articles.jsonl:2": "not valid JSON",
        "articles.jsonl:3": "expected a JSON object",
        "articles.jsonl:4": "missing or empty 'text'",
        "articles.jsonl:5": "NUL",
        "articles.jsonl:7": "not valid JSON",
        "fifo.txt": "not a regular file",
        "dangling.md": "broken symbolic link",
    }


GOOD_FILES = {
    "good.txt",
    "invalid_utf8.txt",
    "arabic_cp1256.txt",
    "latin1.txt",
    "utf16_bom.txt",
    "page.html",
    "articles.jsonl#1",
    "articles.jsonl#6",
    "articles.jsonl#8",
    "big.txt",
}


def test_cli_ingest_of_bad_inputs_reports_each_and_keeps_the_good(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    expected_errors = write_bad_inputs(folder)
    (tmp_path / "plain").write_text("x")
    extra = {
        str(tmp_path / "plain" / "x.txt"): "no such file",  # a path component is a file
        str(tmp_path / "nowhere"): "no such file",
        str(tmp_path / "plain"): "unsupported file type",
    }
    db = tmp_path / "geo.sqlite"
    started = time.perf_counter()
    done = run_cli("ingest", str(folder), *extra, "--db", str(db), "--workers", "1")
    assert time.perf_counter() - started < 120
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == len(expected_errors) + len(extra), done.stderr
    for name, reason in expected_errors.items():
        where = f"error: {folder / name}:"
        hits = [line for line in lines if line.startswith(where)]
        assert len(hits) == 1, f"{name}: {hits}"
        assert reason in hits[0]
    for path, reason in extra.items():
        (hit,) = [line for line in lines if line.startswith(f"error: {path}:")]
        assert reason in hit
    assert f"added {len(GOOD_FILES)} articles" in done.stderr

    assert assert_consistent(db) == len(GOOD_FILES)
    con = connect(db)
    stored = {
        Path(p).name: (t, title)
        for p, t, title in con.execute("SELECT path, text, title FROM articles")
    }
    con.close()
    assert set(stored) == GOOD_FILES
    assert "حلب" in stored["arabic_cp1256.txt"][0]
    assert "bombardé Alep près de Genève" in stored["latin1.txt"][0]
    assert stored["utf16_bom.txt"][0].startswith("Turkish troops entered Afrin")
    assert "Idlib" in stored["invalid_utf8.txt"][0]
    html_text, html_title = stored["page.html"]
    assert html_title == "Idlib & Hama"
    assert "Clashes near Saraqeb in Idlib." in html_text
    assert "<" not in html_text and "Moscow" not in html_text and "color" not in html_text
    assert "\ufffd" in stored["articles.jsonl#6"][0]  # the lone surrogate, replaced
    assert stored["articles.jsonl#1"][1] == "Douma"

    big, expected = big_article()
    assert stored["big.txt"][0] == big.strip()
    places_at = {start: surface for start, surface in _mentions_of(db, "big.txt")}
    for start, town in expected:
        assert places_at.get(start) == town, (start, town)

    again = run_cli("ingest", str(folder), "--db", str(db), "--workers", "1")
    assert again.returncode == 2 and "added 0 articles" in again.stderr
    assert assert_consistent(db) == len(GOOD_FILES)


def _mentions_of(db: Path, file_name: str) -> list[tuple[int, str]]:
    with connect(db) as con:
        return list(
            con.execute(
                "SELECT m.start, m.surface FROM mentions m JOIN articles a ON a.id = m.article_id "
                "WHERE a.path LIKE ? ORDER BY m.start",
                (f"%{file_name}",),
            )
        )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_cli_ingest_of_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "locked.txt").write_text("Shelling hit Aleppo.")
    (folder / "locked.txt").chmod(0)
    (folder / "ok.txt").write_text("Shelling hit Idlib on Monday.")
    done = run_cli("ingest", str(folder), "--db", str(tmp_path / "db.sqlite"), "--workers", "1")
    assert done.returncode == 2
    assert f"error: {folder / 'locked.txt'}: cannot read" in done.stderr
    assert "added 1 articles" in done.stderr


def test_unusable_store_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "garbage.sqlite").write_bytes(b"not a database " * 100)
    (tmp_path / "ok.txt").write_text("Shelling hit Aleppo on Monday.")
    for db, reason in (
        (tmp_path / "file" / "geo.sqlite", "cannot create the folder"),
        (tmp_path / "garbage.sqlite", "not a database"),
    ):
        done = run_cli("ingest", str(tmp_path / "ok.txt"), "--db", str(db), "--workers", "1")
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
        assert reason in done.stderr
    assert (tmp_path / "garbage.sqlite").read_bytes() == b"not a database " * 100


# -- 1. bad input through the dashboard's upload path (the same library calls) --------------


UPLOADS: dict[str, bytes] = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 4,
    "nul.txt": b"Clashes in Homs\x00 today",
    "arabic.txt": "قصف على مدينة حلب. Shelling hit Aleppo on Monday.".encode("cp1256"),
    "latin1.txt": "Les forces ont bombardé Alep. Clashes in Homs.".encode("latin-1"),
    "utf16.txt": "Turkish troops entered Afrin near Aleppo.".encode("utf-16"),
    "invalid.txt": b"Shelling hit Idlib \xff\xfe\xc3\x28 on Monday.",
}


def test_upload_path_decodes_or_names_the_bad_file(tmp_path: Path, nlp, gazetteer) -> None:
    articles: list[Article] = []
    errors: dict[str, str] = {}
    for name, data in UPLOADS.items():
        try:
            text = decode_bytes(data, name)
        except InputError as exc:
            assert isinstance(exc, GeoError) and "\n" not in str(exc)
            errors[name] = str(exc)
            continue
        articles.append(article_from_text(text, source="upload", path=name))
    assert set(errors) == {"empty.txt", "binary.txt", "nul.txt"}
    assert errors["empty.txt"] == "empty.txt: empty file"
    assert errors["binary.txt"].startswith("binary.txt: binary file")
    big, expected = big_article()
    articles.append(article_from_text(big, source="upload", path="big.txt"))
    db = tmp_path / "geo.sqlite"
    with Store.open(str(db)) as store:
        report = ingest_articles(articles, store, nlp, gazetteer)
        assert (report.added, report.skipped, report.errors) == (len(articles), 0, [])
        again = ingest_articles(articles, store, nlp, gazetteer)
        assert (again.added, again.skipped) == (0, len(articles))
    assert assert_consistent(db) == len(articles)
    places_at = dict(_mentions_of(db, "big.txt"))
    assert all(places_at.get(start) == town for start, town in expected)
    assert dict(_mentions_of(db, "arabic.txt")).get(len("قصف على مدينة حلب. Shelling hit ")) == (
        "Aleppo"
    )


def test_big_article_offsets_in_memory(geoparser, nlp) -> None:
    big, expected = big_article()
    assert len(big) > nlp.max_length
    found = geoparser.parse(big)
    for m in found:
        assert big[m.start : m.end] == m.surface
        assert big[m.sentence_start : m.sentence_start + len(m.sentence)] == m.sentence
    places_at = {m.start: m.surface for m in found}
    for start, town in expected:
        assert places_at.get(start) == town, (start, town)
    assert expected[-1][0] > len(big) - 100  # the last place really is at the very end


def test_chunks_never_cut_a_word_when_there_is_a_space(geoparser) -> None:
    # No paragraph or sentence break at all: the cut must still fall between words.
    words = ("x" * 60 + " ") * (CHUNK_CHARS // 61 + 1)
    start = CHUNK_CHARS - 3  # "Aleppo" straddles the first chunk limit
    text = words[: start - 1] + " Aleppo city was shelled on Monday, residents said " + words[:3000]
    chunks = split_text(text, CHUNK_CHARS)
    assert "".join(c for _, c in chunks) == text and len(chunks) == 2
    assert all(c[-1].isspace() for _, c in chunks[:-1])
    found = [(m.start, m.surface) for m in geoparser.parse(text)]
    assert (start, "Aleppo") in found


# -- 1. a folder of thousands of files -------------------------------------------------------


def test_folder_of_two_thousand_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(2000):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"{i:05d}.txt").write_text(f"Item {i}: shelling hit {town}, residents said.\n")
    db = tmp_path / "geo.sqlite"
    started = time.perf_counter()
    done = run_cli("ingest", str(folder), "--db", str(db), "--workers", "1")
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert "added 2000 articles" in done.stderr
    assert elapsed < 90, f"2,000 tiny files took {elapsed:.0f} s"
    assert assert_consistent(db) == 2000
    again = run_cli("ingest", str(folder), "--db", str(db), "--workers", "1")
    assert "added 0 articles, skipped 2000" in again.stderr


# -- 2. hostile text stays plain data in the store, exports and CLI output ------------------

SCRIPT = "<script>alert('pwned')</script>"
HOSTILE_TITLE = f"{SCRIPT} <img src=x onerror=alert(1)> ${{7*7}} `rm -rf` </script>"
HOSTILE_TEXT = (
    f"{SCRIPT} Shelling hit Aleppo on Monday <img src=x onerror=alert(2)>, residents said.\n\n"
    "Rebels in Idlib said ${document.cookie} and `whoami` </script><script>x()</script>.\n"
    '=HYPERLINK("http://evil") Clashes near Homs.\n'
)


def test_hostile_text_is_plain_data_everywhere(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    title_line = HOSTILE_TITLE.replace('"', "'")
    (folder / "hostile.md").write_text(
        f"---\ntitle: {title_line}\ndate: 2020-02-08\n---\n{HOSTILE_TEXT}", encoding="utf-8"
    )
    (folder / "hostile.html").write_text(
        "<html><head><title>&lt;script&gt;alert(3)&lt;/script&gt;</title></head><body>"
        "<p>&lt;img src=x onerror=alert(4)&gt; Fighting in Hama.</p>"
        "<script>alert(5)</script></body></html>",
        encoding="utf-8",
    )
    db = tmp_path / "geo.sqlite"
    done = run_cli("ingest", str(folder), "--db", str(db), "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert assert_consistent(db) == 2
    with connect(db) as con:
        rows = dict(con.execute("SELECT title, text FROM articles"))
    assert rows[title_line] == HOSTILE_TEXT.strip()  # stored verbatim, not escaped or stripped
    assert rows["<script>alert(3)</script>"] == "<img src=x onerror=alert(4)> Fighting in Hama."

    # Place exports (CLI): valid CSV and GeoJSON of the article's places, no markup leaks in.
    csv_out = run_cli("export", "--format", "csv", "--db", str(db))
    geojson_out = run_cli("export", "--format", "geojson", "--db", str(db))
    assert csv_out.returncode == geojson_out.returncode == 0
    names = {row["name"] for row in csv.DictReader(io.StringIO(csv_out.stdout))}
    features = json.loads(geojson_out.stdout)["features"]
    assert {f["properties"]["name"] for f in features} == names
    assert {"Aleppo", "Idlib", "Homs"} <= names and len(names) >= 4  # + Hama (Ḩamāh)
    for out in (csv_out.stdout, geojson_out.stdout):
        assert "<" not in out and "onerror" not in out and "${" not in out

    # Mention exports carry titles and sentences: exactly the article's text, as CSV data.
    with Store.open(str(db)) as store:
        buffer = io.StringIO()
        count = write_mentions_csv(store.mention_rows(), buffer)
    rows_back = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert len(rows_back) == count >= 4
    hostile_rows = [r for r in rows_back if r["path"].endswith("hostile.md")]
    assert {r["title"] for r in hostile_rows} == {title_line}
    sentences = {r["surface"]: r["sentence"] for r in hostile_rows}
    assert SCRIPT in sentences["Aleppo"] and "onerror=alert(2)" in sentences["Aleppo"]
    assert "${document.cookie}" in sentences["Idlib"] and "`whoami`" in sentences["Idlib"]
    assert sentences["Homs"].startswith("'=HYPERLINK")  # a spreadsheet formula, disarmed

    # CLI output: JSON lines with exact offsets into the hostile text; the table is plain text.
    source = tmp_path / "hostile.txt"
    source.write_text(HOSTILE_TEXT, encoding="utf-8")
    extracted = run_cli("extract", "--json", str(source))
    assert extracted.returncode == 0, extracted.stderr
    text = HOSTILE_TEXT.strip()
    found = [json.loads(line) for line in extracted.stdout.splitlines()]
    assert {"Aleppo", "Idlib", "Homs"} <= {t["text"] for t in found}
    assert all(text[t["start"] : t["end"]] == t["text"] for t in found)
    listing = run_cli("places", "--db", str(db))
    assert listing.returncode == 0 and "Aleppo" in listing.stdout
    assert "<" not in listing.stdout and "\x1b" not in listing.stdout


# -- 6. safe defaults --------------------------------------------------------------------------


def test_streamlit_config_is_safe() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    limit = config["server"]["maxUploadSize"]
    assert isinstance(limit, int) and 1 <= limit <= 50
    # What Streamlit itself makes of the file, started from the repository as `make run` does.
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    effective = {
        key: value.strip()
        for key, value in re.findall(r"^(\w+)\s*=\s*(.+)$", shown, flags=re.MULTILINE)
    }
    assert effective["enableXsrfProtection"] == "true"
    assert effective["gatherUsageStats"] == "false"
    assert effective["maxUploadSize"] == str(limit)
    limits = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"{limit} MB" in limits


def test_no_online_geocoder_or_network_client_in_the_code() -> None:
    # One module may open connections: geo/ingest/fetch.py, used only for URLs the user
    # names (tests/test_formats_fetch.py shows nothing else fetches).
    allowed = {"geo/ingest/fetch.py"}
    network = re.compile(
        r"^\s*(from|import)\s+(geopy\.geocoders|requests|httpx|urllib\.request|aiohttp)\b",
        flags=re.MULTILINE,
    )
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("geo", "dashboard")
        for path in (REPO / folder).rglob("*.py")
        if network.search(path.read_text(encoding="utf-8"))
        and str(path.relative_to(REPO)) not in allowed
    ]
    assert offenders == []
    assert "no online geocoder" in (REPO / "README.md").read_text(encoding="utf-8")


def test_unreadable_file_in_a_batch_is_reported_and_the_rest_read(
    tmp_path: Path, monkeypatch
) -> None:
    """The same failure as above, made to happen as root too: reading the file is refused."""
    from geo.errors import InputError
    from geo.ingest.readers import read_inputs

    (tmp_path / "locked.txt").write_text("Shelling hit Aleppo.")
    (tmp_path / "ok.txt").write_text("Shelling hit Idlib on Monday.")
    real_read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    items = list(read_inputs([tmp_path]))
    errors = [i for i in items if isinstance(i, InputError)]
    articles = [i for i in items if not isinstance(i, InputError)]
    assert [a.text for a in articles] == ["Shelling hit Idlib on Monday."]
    assert len(errors) == 1
    assert str(tmp_path / "locked.txt") in str(errors[0]) and "Permission denied" in str(errors[0])
