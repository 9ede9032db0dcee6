"""Escaping, highlighting, filters, legend, timeline and exports, without Streamlit."""

from __future__ import annotations

import datetime as dt
import html
import json

from dashboard import logic, passages
from dashboard.maps import LegendEntry
from geo.models import Passage, Place, PlaceCount

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> ${x} `y` \\ [a](b) :red[c] $z$'


def unescape(markdown: str) -> str:
    return html.unescape(markdown)


def test_escape_text_leaves_no_markup_and_round_trips() -> None:
    out = passages.escape_text(HOSTILE)
    for ch in "<>$`\\[]():*_":
        assert ch not in out
    assert unescape(out) == HOSTILE
    assert passages.escape_text("a\n\nb") == "a b"


def test_escape_html_for_tooltips() -> None:
    out = passages.escape_html(HOSTILE)
    for bad in ("<", ">", "$", "`", "\\", "{", "}"):
        assert bad not in out
    assert html.unescape(out) == HOSTILE


def test_highlight_marks_only_the_name() -> None:
    text = "Forces entered Saraqeb on Saturday."
    md = passages.highlight(text, 15, 22)
    assert md.startswith("Forces entered :orange-background[**Saraqeb**]")
    assert unescape(md.replace(":orange-background[**Saraqeb**]", "Saraqeb")) == text
    # Bad offsets never raise; an empty span highlights nothing.
    assert "**" not in passages.highlight(text, 50, 60)


def test_hostile_name_inside_highlight_cannot_close_it() -> None:
    md = passages.highlight("x ]** y", 2, 5)
    inner = md.split(":orange-background[**", 1)[1].rsplit("**]", 1)[0]
    assert "]" not in inner and "*" not in inner


def make_passage(**kw) -> Passage:
    base = dict(
        mention_id=1,
        article_id=1,
        title="T",
        date=dt.date(2020, 2, 8),
        source="S",
        sentence="Forces entered Saraqeb.",
        highlight_start=15,
        highlight_end=22,
        article_start=115,
        article_end=122,
    )
    base.update(kw)
    return Passage(**base)


def test_context_window_and_caption() -> None:
    article = ("word " * 23) + "Forces entered Saraqeb. " + ("more " * 200)
    p = make_passage(article_start=130, article_end=137)
    assert article[130:137] == "Saraqeb"
    md = passages.context_markdown(article, p, chars=50)
    assert "**Saraqeb**" in md and md.startswith("… ") and md.endswith(" …")
    assert passages.passage_caption(make_passage(title=HOSTILE, source="<b>x</b>")).count("<") == 0
    assert "undated" in passages.passage_caption(make_passage(date=None))


def test_db_from_argv() -> None:
    assert logic.db_from_argv(["--db", "x.sqlite", "--other"]) == "x.sqlite"
    assert logic.db_from_argv([]) is None


def test_full_date_range_means_all_dates() -> None:
    lo, hi = dt.date(2018, 1, 1), dt.date(2020, 12, 31)
    assert logic.date_range(lo, hi, (lo, hi)) == (None, None)
    assert logic.date_range(lo, dt.date(2018, 12, 31), (lo, hi)) == (None, dt.date(2018, 12, 31))
    assert logic.date_range(dt.date(2019, 1, 1), lo, (lo, hi)) == (None, dt.date(2019, 1, 1))
    f = logic.make_filters(start=lo, end=hi, bounds=(lo, hi), countries=["TR", "SY"], text=" x ")
    assert f.date_from is None and f.countries == ("SY", "TR") and f.text == "x"
    assert f.include_broad is False


def test_country_label_and_legend() -> None:
    assert logic.country_label("SY").endswith("(SY)") and "Syria" in logic.country_label("SY")
    assert logic.country_label("ZZ") == "ZZ"
    entries = logic.legend_labels([LegendEntry("SY", "#0072B2")], "country")
    assert "Syria" in entries[0].label
    out = logic.legend_html([LegendEntry("<b>x</b>", "#123456")], "t")
    assert "<b>x</b>" not in out and "#123456" in out


def test_timeline_chart_has_the_counts() -> None:
    rows = [(dt.date(2018, 9, 3), 2), (dt.date(2018, 9, 10), 0)]
    spec = logic.timeline_chart(rows, "W").to_dict()
    values = next(iter(spec["datasets"].values()))
    assert [v["mentions"] for v in values] == [2, 0]
    assert spec["mark"]["type"] == "bar"


def test_exports_of_the_selection() -> None:
    place = Place("t:1", "Sara<qeb>", 35.86, 36.8, "SY", feature_code="PPL")
    counts = [PlaceCount(place, 3, 2, dt.date(2020, 2, 8))]
    assert b"Sara<qeb>" in logic.csv_bytes(counts)
    geo = json.loads(logic.geojson_bytes(counts))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 1
    assert logic.summary(counts) == (1, 3)
