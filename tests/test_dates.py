"""Article dates from datelines and explicit dates, never from relative words or today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo.ingest.dates import infer_date, parse_date

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_seed_002_dateline() -> None:
    text = (SEEDS / "002_e705a245b05cd3d6.txt").read_text(encoding="utf-8")
    assert infer_date(text) == (dt.date(2018, 9, 17), "dateline")


def test_seed_000_has_no_full_date() -> None:
    # "on Feb. 8" has no year: guessing one would be inventing data.
    text = (SEEDS / "000_1c7440b7da9f3811.txt").read_text(encoding="utf-8")
    assert infer_date(text) == (None, "none")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TEHRAN, Iran (AP) — Sept. 7, 2018 — Iran said.", (dt.date(2018, 9, 7), "dateline")),
        ("CAIRO, Jan. 5, 2019 (Reuters) Egypt said.", (dt.date(2019, 1, 5), "dateline")),
        ("Headline\n17 September, 2018\nBody text here.", (dt.date(2018, 9, 17), "dateline")),
        ("Published 2021-05-04\nThe ministry said.", (dt.date(2021, 5, 4), "dateline")),
        ("BEIRUT (Reuters) - Officials said on 3 March 2019.", (dt.date(2019, 3, 3), "text")),
        ("Talks began on May 5th, 2017 in Astana and lasted days.", (dt.date(2017, 5, 5), "text")),
        ("Fighting resumed yesterday and on Friday.", (None, "none")),
        ("Talks on Feb 30, 2019 never happened.", (None, "none")),
        ("The plan runs to Jan 31, 2999.", (None, "none")),
        ("x" * 700 + " On 3 March 2019 it ended.", (None, "none")),
    ],
)  # fmt: skip
def test_infer_date(text: str, expected: tuple[dt.date | None, str]) -> None:
    assert infer_date(text) == expected


def test_parse_date_forms() -> None:
    assert parse_date("2020-02-08") == dt.date(2020, 2, 8)
    assert parse_date("8 Feb 2020") == dt.date(2020, 2, 8)
    assert parse_date("February 8, 2020") == dt.date(2020, 2, 8)
    assert parse_date("yesterday") is None and parse_date("") is None
    assert parse_date("March 2019") is None  # no day: not a full date


def test_impossible_iso_dates_are_refused() -> None:
    assert parse_date("9999-12-31") is None and parse_date("0202-05-04") is None
    assert parse_date("2020-02-06T08:15:00+00:00") == dt.date(2020, 2, 6)


def test_metadata_dates_warn_when_not_understood(caplog) -> None:
    from geo.ingest.dates import metadata_date

    with caplog.at_level("WARNING"):
        assert metadata_date("2020-13-45", "f.md") is None
        assert metadata_date("yesterday", "g.md") is None
        assert metadata_date("9999-12-31", "h.md") is None
        assert metadata_date("", "quiet.md") is None and metadata_date(None, "quiet.md") is None
        assert metadata_date(dt.datetime(2020, 2, 3, 4, 5), "x") == dt.date(2020, 2, 3)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "f.md: date '2020-13-45' not understood; using the date in the text, if any",
        "g.md: date 'yesterday' not understood; using the date in the text, if any",
        "h.md: impossible date 9999-12-31 ignored",
    ]
