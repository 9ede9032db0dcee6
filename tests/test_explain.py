"""Evidence in plain words: from an article's resolved mentions, and from the real pipeline."""

from __future__ import annotations

from geo.models import ROLE_ADJECTIVE, ROLE_ORGANISATION, ROLE_PLACE, Candidate, Mention, Place
from geo.parse.explain import explain, kind_of, km_between

SYRIA = Place("cc:SY", "Syria", 35.0, 38.0, "SY", "", "A", "PCLI", 17_000_000)
SARAQIB = Place("gn:164816", "Saraqib", 35.864, 36.806, "SY", "Idlib", "P", "PPL", 34231)
SARMIN = Place("gn:164782", "Sarmīn", 35.904, 36.725, "SY", "Idlib", "P", "PPL", 0)
IDLIB_GOV = Place("adm1:SY-12", "Idlib Governorate", 35.93, 36.63, "SY", "Idlib", "A", "ADM1")
CAMP = Place("user:atmeh", "Atmeh camp", 36.31, 36.58, "SY", "Idlib", "S", "CMP", 0, "user")
PARIS_TX = Place("gn:4717560", "Paris", 33.66, -95.56, "US", "Texas", "P", "PPL", 24782)


def mention(place, role=ROLE_PLACE, surface="x", score=0.9, runners_up=()) -> Mention:
    return Mention(0, 1, surface, role, place, score, "", 0, runners_up)


def test_evidence_names_type_region_country_counts_and_nearest_place():
    found = [mention(SYRIA, surface="Syria")] * 11 + [
        mention(SYRIA, ROLE_ADJECTIVE, "Syrian"),
        mention(SYRIA, ROLE_ORGANISATION, "Syrian"),  # "Syrian Observatory": not counted
        mention(SARAQIB, surface="Saraqeb"),
        mention(SARMIN, surface="Sarmin"),
        mention(IDLIB_GOV, surface="Idlib"),
        mention(CAMP, surface="Atmeh"),
        mention(None, surface="Nowhere"),
    ]
    evidence = [m.evidence for m in explain(found)]
    saraqib = "town in Idlib, Syria; the article names Syria 12 times; 9 km from Sarmīn"
    assert evidence[13] == saraqib
    assert evidence[11].startswith("“Syrian” refers to Syria; country (SY)")
    assert evidence[12].startswith("part of an organisation's name")
    assert evidence[15] == "region in Syria; the article names Syria 12 times"  # not "in Idlib"
    assert evidence[16].startswith("camp in Idlib, Syria;")
    assert evidence[0] == "country (SY); the article names 4 other places in Syria"
    assert evidence[17] == ""
    # Evidence that is already set is kept; a close runner-up is said.
    kept = explain([Mention(0, 1, "x", ROLE_PLACE, SARAQIB, 0.5, "", 0, (), "by hand")])
    assert kept[0].evidence == "by hand"
    close = explain([mention(PARIS_TX, score=0.45, runners_up=(Candidate(SARAQIB, 1.0, "", 0.4),))])
    assert close[0].evidence.endswith("nearly as likely: Saraqib, Idlib")


def test_kinds_and_distance():
    assert kind_of(SARAQIB) == "town" and kind_of(SARMIN) == "town"
    assert kind_of(Place("a", "A", 0, 0, feature_class="P", population=500)) == "village"
    assert kind_of(Place("a", "A", 0, 0, feature_code="PPLC", population=5)) == "capital city"
    assert abs(km_between(SARAQIB, SARMIN) - 8.5) < 0.5


def test_pipeline_fills_evidence(geoparser):
    text = "Shelling hit Saraqeb in Syria on Monday; families fled to Sarmin, Syria."
    found = {m.surface: m.evidence for m in geoparser.parse(text)}
    assert found["Saraqeb"].startswith("town in Idlib, Syria; the article names Syria twice")
    assert "km from Sarm" in found["Saraqeb"]
