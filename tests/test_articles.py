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


# Issue 14, item 8: folders.


def _read_as_nobody(paths: list[str]) -> list[str]:
    """read_inputs run as an unprivileged user (root reads every folder, mode 000 or not)."""
    import subprocess
    import sys

    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from geo.ingest import read_inputs; "
        "[print(str(x) if not hasattr(x, 'hash') else 'ok ' + x.path) "
        "for x in read_inputs(sys.argv[2:])]"
    )
    repo = str(Path(__file__).resolve().parent.parent)
    run = (
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    )
    done = subprocess.run(
        [*run, sys.executable, "-c", code, repo, *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_unreadable_folders_are_reported_not_skipped() -> None:
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="geo-perm-"))  # not under pytest's root-only tmp
    try:
        base.chmod(0o755)
        (base / "in" / "locked").mkdir(parents=True)
        (base / "in" / "ok.txt").write_text(BODY)
        (base / "in" / "locked" / "a.txt").write_text(BODY)
        (base / "in").chmod(0o755)
        (base / "in" / "ok.txt").chmod(0o644)
        (base / "in" / "locked").chmod(0)
        lines = _read_as_nobody([str(base / "in"), str(base / "in" / "locked")])
    finally:
        (base / "in" / "locked").chmod(0o755)
        shutil.rmtree(base)
    locked = f"{base / 'in' / 'locked'}: cannot read folder (Permission denied)"
    assert lines == [locked, f"ok {base / 'in' / 'ok.txt'}", locked]


def test_symlinked_folders_are_followed_and_loops_reported(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "linked.txt").write_text(BODY)
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "deep.txt").write_text("Clashes in Hama.")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)  # a loop
    (folder / "self.txt").symlink_to(folder / "self.txt")  # a self-looping link
    (folder / "gone.txt").symlink_to(tmp_path / "nothing.txt")
    good, bad = split(list(read_inputs([folder])))
    assert sorted(Path(a.path).name for a in good) == ["deep.txt", "linked.txt"]
    reasons = {Path(e.source).name: e.reason for e in bad}
    assert reasons == {
        "up": "symbolic link loop (links back to a folder above it)",
        "self.txt": "symbolic link loop",
        "gone.txt": "broken symbolic link",
    }
    (direct,) = read_inputs([folder / "self.txt"])
    assert isinstance(direct, InputError) and direct.reason == "symbolic link loop"


def test_a_newline_in_a_file_name_cannot_forge_an_error_line(tmp_path: Path) -> None:
    (tmp_path / "evil\nerror: fake.txt").write_text("")
    (err,) = read_inputs([tmp_path])
    assert isinstance(err, InputError)
    assert "\n" not in str(err) and str(err).startswith("'")
    assert str(err) == f"{str(tmp_path / 'evil')!r}"[:-1] + "\\nerror: fake.txt': empty file"


# Issue 14, item 9: inputs parsed wrongly.


def test_front_matter_is_yaml(tmp_path: Path) -> None:
    path = tmp_path / "q.md"
    path.write_text(
        "---\ntitle: \"He said 'no'\"\nauthor: 'Rania: Haddad'\ndate: 2020-02-08\n"
        "url: https://x.example/a?b=1#c\n---\n" + BODY
    )
    (article,) = read_inputs([path])
    assert isinstance(article, Article)
    assert (article.title, article.author, article.date, article.url) == (
        "He said 'no'", "Rania: Haddad", dt.date(2020, 2, 8), "https://x.example/a?b=1#c",
    )  # fmt: skip


def test_front_matter_that_is_not_yaml_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\n" + BODY)
    (article,) = read_inputs([path])
    assert isinstance(article, Article) and article.text.startswith("---\ntitle: [unclosed")


def test_sidecar_header_with_spaces_after_commas(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "articles.csv").write_text(
        "file, date, title, source\na.txt, 2020-02-08, Idlib shelled, AP\n"
    )
    (article,) = read_inputs([tmp_path])
    assert isinstance(article, Article)
    assert (article.date, article.date_source, article.title, article.source) == (
        dt.date(2020, 2, 8), "sidecar", "Idlib shelled", "AP",
    )  # fmt: skip


@pytest.mark.parametrize("bad", ["2020-13-45", "yesterday", "9999-12-31"])
def test_bad_metadata_dates_are_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, bad: str
) -> None:
    path = tmp_path / "d.md"
    path.write_text(f"---\ntitle: T\ndate: {bad}\n---\nBEIRUT (AP) — 3 March 2019 — Clashes.\n")
    sidecar_dir = tmp_path / "side"
    sidecar_dir.mkdir()
    (sidecar_dir / "s.txt").write_text(BODY)
    (sidecar_dir / "articles.csv").write_text(f"file,date\ns.txt,{bad}\n")
    with caplog.at_level("WARNING"):
        first, second = read_inputs([path, sidecar_dir])
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.date, first.date_source) == (dt.date(2019, 3, 3), "dateline")  # from the text
    assert second.date is None
    warned = [r.getMessage() for r in caplog.records]
    assert any(str(path) in m and bad in m for m in warned), warned
    assert any("articles.csv (s.txt)" in m and bad in m for m in warned), warned


def test_cr_only_jsonl_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "mac.jsonl"
    lines = [json.dumps({"id": i, "text": f"Shelling in Idlib, day {i}."}) for i in (1, 2, 3)]
    path.write_bytes("\r".join([lines[0], "{broken", lines[1], lines[2]]).encode())
    good, bad = split(list(read_inputs([path])))
    assert [a.path for a in good] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert [e.source for e in bad] == [f"{path}:2"]


def test_jsonl_line_ends_split_across_read_blocks(tmp_path: Path) -> None:
    from geo.ingest.jsonl import split_lines

    data = b"a\r\nbb\rccc\n\nd"
    import io

    for block in (1, 2, 3):
        import geo.ingest.jsonl as jsonl

        old, jsonl._BLOCK = jsonl._BLOCK, block
        try:
            assert list(split_lines(io.BytesIO(data))) == [
                (1, b"a"), (2, b"bb"), (3, b"ccc"), (4, b""), (5, b"d"),
            ]  # fmt: skip
            assert list(split_lines(io.BytesIO(b"short\n" + b"x" * 50 + b"\nok"), limit=10)) == [
                (1, b"short"), (2, None), (3, b"ok"),
            ]  # fmt: skip
        finally:
            jsonl._BLOCK = old


def test_legacy_code_pages_by_charset_normalizer() -> None:
    # The old two-way guess read every non-Arabic legacy text as cp1252.
    russian = "Обстрел Идлиба продолжался всю ночь, сообщили жители города"
    greek = "Βομβαρδισμοί στην Ιντλίμπ, σύμφωνα με κατοίκους της πόλης"
    assert decode_bytes(russian.encode("cp1251"), "ru.txt") == russian
    assert decode_bytes(greek.encode("cp1253"), "el.txt") == greek


def test_duplicates_within_one_run_are_not_called_already_stored(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(BODY)
    (folder / "copy.txt").write_text(BODY)
    done = run_cli("ingest", str(folder), "--db", str(tmp_path / "geo.sqlite"), "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "added 1 articles, skipped 0 already stored," in done.stderr
    assert ", 1 duplicates within this run," in done.stderr
