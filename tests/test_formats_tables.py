"""Tables of articles: .csv, .tsv and .xlsx, one article per row, bad rows reported."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.ingest import ReadOptions, TableColumns, read_inputs, read_upload
from geo.models import Article
from tests.conftest import run_cli

ROWS = [
    ("Shelling in Saraqib", "Artillery hit Saraqib in Idlib province on Monday.", "2020-02-03",
     "https://news.example/1", "Levant Daily"),
    ("No text here", "", "2020-02-04", "https://news.example/2", "Levant Daily"),
    ("Aleppo airport", "Flights resumed at Aleppo airport, officials said.", "5 Feb 2020",
     "https://news.example/3", "Wire"),
]  # fmt: skip


def split(items: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    return [i for i in items if isinstance(i, Article)], [
        i for i in items if isinstance(i, InputError)
    ]


def write_csv(path: Path, header: list[str], rows: list[tuple[str, ...]], sep: str = ",") -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=sep)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx"])
def test_common_column_names_one_article_per_row(tmp_path: Path, suffix: str) -> None:
    header = ["Headline", "Body", "Published", "Link", "Outlet"]
    path = tmp_path / f"export{suffix}"
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(header)
        for row in ROWS:
            sheet.append(list(row))
        sheet.cell(row=4, column=3).value = dt.datetime(2020, 2, 5, 9, 30)  # a real date cell
        book.save(path)
    else:
        write_csv(path, header, ROWS, "\t" if suffix == ".tsv" else ",")
    good, bad = split(list(read_inputs([path])))
    assert [a.title for a in good] == ["Shelling in Saraqib", "Aleppo airport"]
    first, second = good
    assert (first.text, first.date, first.date_source, first.url, first.source) == (
        ROWS[0][1], dt.date(2020, 2, 3), "metadata", "https://news.example/1", "Levant Daily",
    )  # fmt: skip
    assert second.date == dt.date(2020, 2, 5) and second.path == f"{path}#4"
    # The bad row is named by its row number (the header is row 1); the others went in.
    assert [str(e) for e in bad] == [f"{path}:3: empty text cell"]


def test_columns_given_by_name(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    write_csv(
        path,
        ["story_text", "hed", "when", "where_from", "paper"],
        [("Clashes near Homs overnight.", "Homs clashes", "2021-03-01", "https://x.ex/h", "P")],
    )
    default = list(read_inputs([path]))
    assert len(default) == 1 and isinstance(default[0], InputError)
    assert "no text column" in default[0].reason and "--text-col" in default[0].reason
    columns = TableColumns(
        text="story_text", title="hed", date="when", url="where_from", source="paper"
    )
    (article,) = read_inputs([path], ReadOptions(columns=columns))
    assert isinstance(article, Article)
    assert (article.title, article.date, article.url, article.source) == (
        "Homs clashes", dt.date(2021, 3, 1), "https://x.ex/h", "P",
    )  # fmt: skip
    (missing,) = read_inputs([path], ReadOptions(columns=TableColumns(text="nope")))
    assert isinstance(missing, InputError) and "no column 'nope'" in missing.reason


def test_bad_rows_and_encodings(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "legacy.csv"
    rows = [
        "text,title,date",
        '"Bombardements à Alep, déclare l\'armée",Alep,2020-02-03',
        '"Text with a bad date, near Hama",Hama,2020-13-45',
    ]
    path.write_bytes("\r\n".join(rows).encode("cp1252"))
    with caplog.at_level(logging.WARNING):
        good, bad = split(list(read_inputs([path])))
    assert good[0].text == "Bombardements à Alep, déclare l'armée"
    assert good[1].title == "Hama" and good[1].date is None
    assert f"{path}:3: date '2020-13-45' not understood" in caplog.text
    assert bad == []


def test_oversized_cell_is_a_row_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.ingest import tables

    monkeypatch.setattr(tables, "MAX_CELL_CHARS", 100)
    path = tmp_path / "big.csv"
    write_csv(path, ["text"], [("Idlib " * 50,), ("Shelling in Hama.",)])
    good, bad = split(list(read_inputs([path])))
    assert [a.text for a in good] == ["Shelling in Hama."]
    assert len(bad) == 1 and bad[0].source == f"{path}:2"


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"this is not a zip file")
    (err,) = read_inputs([path])
    assert isinstance(err, InputError) and "not a readable .xlsx" in err.reason


def test_upload_of_a_table_names_the_upload() -> None:
    data = b"text,title\nFighting in Raqqa.,Raqqa\n,empty\n"
    good, bad = split(list(read_upload("mine.csv", data, dt.date(2020, 1, 1))))
    assert [(a.title, a.path, a.date, a.date_source) for a in good] == [
        ("Raqqa", "mine.csv#2", dt.date(2020, 1, 1), "upload")
    ]
    assert [str(e) for e in bad] == ["mine.csv:3: empty text cell"]


def test_cli_ingest_table_with_column_options(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    write_csv(
        path,
        ["id", "contenu", "titre"],
        [("1", "Des frappes ont visé Saraqeb et Idlib lundi, selon des habitants.", "Idlib"),
         ("2", "", "vide")],
        "\t",
    )  # fmt: skip
    db = tmp_path / "geo.sqlite"
    done = run_cli(
        "ingest", str(path), "--text-col", "contenu", "--title-col", "titre", "--db", str(db)
    )
    assert done.returncode == 2, done.stderr
    assert f"error: {path}:3: empty text cell" in done.stderr
    assert "added 1 articles" in done.stderr


def test_binary_file_named_csv_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 100)
    assert [str(e) for e in read_inputs([path])] == [f"{path}: binary file (contains NUL bytes)"]
