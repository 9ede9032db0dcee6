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


# -- reading by place: URL state, dates, cards, links, search ranking ----------------------

BOUNDS = (dt.date(2018, 9, 1), dt.date(2020, 2, 8))


def test_url_params_parse_and_ignore_bad_ones() -> None:
    from dashboard.state import parse_params

    values, notices = parse_params(
        {"place": "gn:1", "from": "2019-01-01", "to": "2030-01-01", "countries": "sy,XX",
         "text": "shelling", "broad": "1", "online": "yes", "color": "recency", "view": "articles",
         "article": "7", "zoom": "3"},
        bounds=BOUNDS, countries={"SY", "RU"}, place_ids={"gn:1"},
    )  # fmt: skip
    assert values == {
        "place_id": "gn:1", "date_from": dt.date(2019, 1, 1), "date_to": dt.date(2020, 2, 8),
        "countries": ["SY"], "text": "shelling", "broad": True, "color_by": "recency",
        "view": "articles", "article": 7,
    }  # fmt: skip
    joined = " ".join(notices)
    for bad in ("to=2030-01-01", "XX", "online='yes'", "'zoom'"):
        assert bad in joined, bad
    values, notices = parse_params(
        {"from": "2020-13-45", "place": "gn:404", "article": "x"},
        bounds=BOUNDS, countries=(), place_ids=(),
    )  # fmt: skip
    assert values == {} and len(notices) == 3


def test_params_round_trip_and_leave_defaults_out() -> None:
    from dashboard.state import params_for, parse_params

    place = Place("gn:1", "Idlib", 35.9, 36.6, "SY", "Idlib")
    full = {"place": place, "date_from": BOUNDS[0], "date_to": BOUNDS[1], "countries": [],
            "text": " ", "broad": False, "color_by": "country", "view": "places",
            "article": None}  # fmt: skip
    assert params_for(full, BOUNDS) == {"place": "gn:1"}
    chosen = {**full, "date_to": dt.date(2019, 6, 1), "countries": ["SY"], "text": "x"}
    params = params_for(chosen, BOUNDS)
    assert params == {"place": "gn:1", "to": "2019-06-01", "countries": "SY", "text": "x"}
    values, notices = parse_params(params, bounds=BOUNDS, countries={"SY"}, place_ids={"gn:1"})
    assert not notices and values["date_to"] == dt.date(2019, 6, 1)


def test_dates_follow_the_store() -> None:
    from dashboard.state import follow_bounds

    wider = (BOUNDS[0], dt.date(2021, 3, 1))
    assert follow_bounds(BOUNDS, wider, BOUNDS) == (wider, "")  # a full range widens
    narrow = (dt.date(2019, 1, 1), dt.date(2019, 6, 1))
    kept, note = follow_bounds(BOUNDS, wider, narrow)
    assert kept == narrow and "2021-03-01" in note and "not shown" in note
    assert follow_bounds((None, None), BOUNDS, narrow) == (BOUNDS, "")  # first dated articles


def test_card_marks_every_mention_and_escapes() -> None:
    from geo.models import SentenceCard

    sentence = "Idlib and [x](y) and Idlib."
    first = make_passage(sentence=sentence, highlight_start=0, highlight_end=5)
    second = make_passage(mention_id=2, sentence=sentence, highlight_start=21, highlight_end=26)
    card = SentenceCard(1, sentence, 0, (first, second), ((10, 16),))
    md = passages.card_markdown(card)
    assert md.count(":orange-background[**Idlib**]") == 2
    assert ":blue-background[&#91;x&#93;&#40;y&#41;]" in md
    assert "](" not in md and md.endswith("&#46;")


def test_only_plain_web_links_are_linked() -> None:
    assert passages.safe_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "http://", "https://a b", "", "ftp://x"):
        assert passages.safe_url(bad) is None, bad


def test_search_ranks_by_mentions_in_the_selection() -> None:
    from dashboard.search import ranked_matches

    a = PlaceCount(Place("a", "Paris", 0, 0, "FR", "Ile-de-France"), 9, 3, None)
    b = PlaceCount(Place("b", "Paris", 0, 0, "US", "Texas"), 2, 1, None)
    inside, outside = ranked_matches({"a": 2, "b": 3, "c": 3}, [b, a])
    assert [pc.place.id for pc in inside] == ["a", "b"] and outside == 1
    assert [pc.place.label for pc in inside] == ["Paris, Ile-de-France, FR", "Paris, Texas, US"]
