"""Articles not in English: detected, stored with their language, places by gazetteer alone."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from geo.ingest import ingest_articles, read_inputs
from geo.models import Article
from geo.names import arabic_keys
from geo.parse import detect_language
from geo.parse.multilingual import find_places
from geo.store import Store

ARABIC = (
    "قصف مدفعي عنيف على مدينة سراقب في ريف إدلب الجنوبي، وقال ناشطون إن القوات الحكومية "
    "تقدمت نحو المدينة. ونزح آلاف المدنيين من سراقب باتجاه الحدود التركية، فيما تعرضت بلدات "
    "قرب حلب لغارات جوية. وقال مسؤول في بإدلب إن المخيمات ممتلئة. وأكدت مصادر في دمشق أن "
    "الهجوم مستمر، وأن وسراقب ما زالت تحت القصف."
)
FRENCH = (
    "Des bombardements ont frappé Saraqeb lundi, selon des habitants. La ville, située dans "
    "la province d'Idlib, est proche de la frontière turque. Le président Emmanuel Macron a "
    "appelé à un cessez-le-feu depuis Paris."
)


def test_detection_is_confident_or_silent() -> None:
    assert detect_language(ARABIC) == "ar"
    assert detect_language(FRENCH) == "fr"
    english = "Fighting broke out in Aleppo and Homs on Monday, and residents fled to Idlib."
    assert detect_language(english) == "en"
    # Too short to tell (py3langid calls it West Frisian): unknown, so read as English.
    assert detect_language("Shelling near Saraqeb.") == ""


def test_arabic_keys_match_the_gazetteer_spelling() -> None:
    assert arabic_keys("سراقب") == ["sraqb"]
    assert arabic_keys("إدلب") == ["adlb"]
    assert "sraqb" in arabic_keys("وسراقب") and "adlb" in arabic_keys("بإدلب")
    assert "alrqt" in arabic_keys("بالرقة")  # ب + ال: the article is kept
    assert arabic_keys("في") == []


@pytest.mark.parametrize(
    ("written", "place"),
    [("سراقب", "Saraqib"), ("إدلب", "Idlib"), ("وسراقب", "Saraqib"), ("بإدلب", "Idlib"),
     ("حلب", "Aleppo"), ("دمشق", "Damascus"), ("دير الزور", "Deir ez-Zor")],
)  # fmt: skip
def test_arabic_names_find_their_places(gazetteer, written: str, place: str) -> None:
    text = f"قال السكان إن القصف استهدف {written} صباح اليوم."
    found = find_places(text, gazetteer, "ar")
    assert [(m.surface, m.place.name if m.place else None) for m in found] == [(written, place)]
    m = found[0]
    assert text[m.start : m.end] == written
    assert text[m.sentence_start : m.sentence_start + len(m.sentence)] == m.sentence


def test_arabic_article_places_and_no_chance_matches(gazetteer) -> None:
    found = find_places(ARABIC, gazetteer, "ar")
    names = [m.place.name for m in found if m.place]
    assert names == ["Saraqib", "Idlib", "Saraqib", "Aleppo", "Idlib", "Damascus", "Saraqib"]
    # "مدينة" (city) is not Medina and "ونزح" (and fled) not a town elsewhere.
    assert all(m.place and m.place.country_code == "SY" for m in found)
    assert all("without the English model" in m.evidence for m in found)


def test_french_capitalised_names_only(gazetteer) -> None:
    found = find_places(FRENCH, gazetteer, "fr")
    assert [(m.surface, m.place.name if m.place else "") for m in found] == [
        ("Saraqeb", "Saraqib"),
        ("Idlib", "Idlib"),
        ("Paris", "Paris"),
    ]  # fmt: skip  ("La", "Le" open sentences; "Emmanuel" is followed by "Macron")


def test_stored_with_language_and_a_notice(
    tmp_path: Path, nlp, gazetteer, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "ar.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "fr.md").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "en.txt").write_text("Shelling hit Saraqib in Idlib on Monday.", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        articles = [a for a in read_inputs([tmp_path]) if isinstance(a, Article)]
    assert {Path(a.path).name: a.language for a in articles} == {
        "ar.txt": "ar", "en.txt": "", "fr.md": "fr",
    }  # fmt: skip
    notices = [r.getMessage() for r in caplog.records if "not English" in r.getMessage()]
    assert len(notices) == 2 and "gazetteer matching alone" in notices[0]
    with Store.open(f"sqlite:///{tmp_path / 'geo.sqlite'}") as store:
        report = ingest_articles(articles, store, nlp, gazetteer)
        assert report.added == 3 and report.ok
        stored = {Path(store.article(i).path).name: store.article(i) for i in (1, 2, 3)}
        assert stored["ar.txt"].language == "ar"
        counts = {pc.place.name: pc.count for pc in store.place_counts()}
    assert counts["Saraqib"] == 3 + 1 + 1  # three in Arabic, one in French, one in English
    assert counts["Damascus"] == 1 and "Medina" not in counts


def test_geoparser_routes_other_languages_and_explains(geoparser) -> None:
    found = geoparser.parse(ARABIC)
    assert [m.place.name for m in found if m.place][:2] == ["Saraqib", "Idlib"]
    first = found[0].evidence
    assert first.startswith("town in Idlib, Syria")  # the plain words every mention gets
    assert first.count("read without the English model") == 1
    english = geoparser.parse("Shelling hit Saraqib in Idlib province on Monday, residents said.")
    assert english and all("without the English model" not in m.evidence for m in english)
