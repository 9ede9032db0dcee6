"""Gazetteer data classes: central points of large regions, abbreviations, physical features.

Expected centres are the regions' geographic middles from general geography (not GeoNames'
points, and nothing from the evaluation sets).
"""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import pytest
from geopy.distance import great_circle

from geo.errors import GazetteerError
from geo.gazetteer import Gazetteer
from geo.gazetteer.centres import region_point
from geo.gazetteer.supplement import read_points, read_supplement

DATA = Path(__file__).resolve().parent.parent / "data"
PHYSICAL = DATA / "supplement" / "physical.csv"


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(great_circle(a, b).km)


# --- representative points of first-level regions -------------------------------------


def test_region_point_is_the_middle_not_the_populous_corner() -> None:
    # 300 towns packed in the south-east corner, a chain of 40 up the coast to the northern
    # tip and 20 inland: a median sits in the corner, the box centre in the middle.
    corner = [(-27.5 + (i % 30) * 0.03, 152.0 + (i // 30) * 0.1) for i in range(300)]
    coast = [(-27.0 + 0.41 * i, 153.0 - 0.27 * i) for i in range(40)]
    inland = [(-20.0, 138.5 + 0.5 * i) for i in range(20)]
    lat, lon = region_point(corner + coast + inland)
    assert km((lat, lon), (-19.25, 145.75)) < 50
    assert km((lat, lon), (-27.5, 153.0)) > 800


def test_region_point_leaves_out_a_far_cluster_of_miscoded_towns() -> None:
    body = [(45.0 + 0.3 * (i % 20), 125.0 + 0.4 * (i // 20)) for i in range(200)]
    stray = [(44.0 + 0.05 * i, 86.0) for i in range(15)]  # 3,000 km away
    lat, lon = region_point(body + stray)
    assert 120 < lon < 130 and 44 < lat < 52


def test_region_point_across_the_180th_meridian() -> None:
    towns = [(52.0 + 0.1 * i, 178.0 + 0.1 * i) for i in range(10)]
    towns += [(53.0 + 0.1 * i, -179.0 + 0.1 * i) for i in range(10)]
    lat, lon = region_point(towns)
    assert km((lat, lon), (52.9, 179.9)) < 150


def test_region_point_of_scattered_settlements_spans_them_all() -> None:
    # Five settlements far apart (Nunavut-like): no main body, so all of them span the box.
    towns = [(63.7, -68.5), (61.1, -94.1), (69.1, -105.1), (76.4, -82.9), (68.6, -81.2)]
    lat, lon = region_point(towns)
    assert km((lat, lon), (68.75, -86.8)) < 50


def test_region_point_needs_places() -> None:
    with pytest.raises(GazetteerError):
        region_point([])


# Regions GeoNames' own points (points.csv) do not cover: the built point must be central.
CENTRES = {
    "Queensland": ("adm1:AU-04", (-22.5, 144.5), 400),
    "Victoria": ("adm1:AU-07", (-36.9, 144.3), 150),
    "Tasmania": ("adm1:AU-06", (-42.0, 146.6), 100),
    "Alberta": ("adm1:CA-01", (55.0, -115.0), 150),
    "Northwest Territories": ("adm1:CA-13", (64.8, -124.8), 200),
    "Sakha": ("adm1:RU-63", (66.4, 129.2), 500),
    "Amazonas": ("adm1:BR-04", (-4.0, -64.5), 150),
    "Rajasthan": ("adm1:IN-24", (26.6, 73.8), 150),
    "Northern Cape": ("adm1:ZA-08", (-29.5, 21.0), 150),
    "Chihuahua": ("adm1:MX-06", (28.6, -106.1), 100),
}


@pytest.mark.parametrize(("region", "expected"), CENTRES.items())
def test_large_regions_have_a_central_point(gazetteer: Gazetteer, region: str, expected) -> None:
    place_id, centre, limit = expected
    place = gazetteer.get(place_id)
    assert place is not None, place_id
    assert km((place.lat, place.lon), centre) < limit, (region, place.lat, place.lon)


def test_region_points_agree_with_geonames_admin1_points() -> None:
    """The rule, run on the towns, against GeoNames' own ADM1 points where points.csv has them."""
    from geo.gazetteer.sources import city_rows

    cities, _, _ = city_rows()
    towns: dict[str, list[tuple[float, float]]] = {}
    for c in cities:
        towns.setdefault(f"adm1:{c['country_code']}-{c['_admin1code']}", []).append(
            (float(c["lat"]), float(c["lon"]))
        )
    errors = [
        km((float(p["lat"]), float(p["lon"])), region_point(towns[p["id"]]))
        for p in read_points(DATA / "supplement" / "points.csv")
        if p["id"].startswith("adm1:") and p["id"] in towns
    ]
    assert len(errors) >= 100
    assert statistics.median(errors) < 50
    assert sum(e > 161 for e in errors) <= 10
    assert max(errors) < 500


# --- abbreviations and variants --------------------------------------------------------

ABBREVIATIONS = {
    # Canadian provinces and territories (Canadian Press forms and postal codes)
    "B.C.": "adm1:CA-02",
    "BC": "adm1:CA-02",
    "Ont.": "adm1:CA-08",
    "Que.": "adm1:CA-10",
    "QC": "adm1:CA-10",
    "N.S.": "adm1:CA-07",
    "N.B.": "adm1:CA-04",
    "P.E.I.": "adm1:CA-09",
    "Nfld.": "adm1:CA-05",
    "Sask.": "adm1:CA-11",
    "N.W.T.": "adm1:CA-13",
    "Yukon": "adm1:CA-12",
    # Australian states and territories
    "NSW": "adm1:AU-02",
    "N.S.W.": "adm1:AU-02",
    "Qld": "adm1:AU-04",
    "Tas.": "adm1:AU-06",
    "A.C.T.": "adm1:AU-01",
    "N.T.": "adm1:AU-03",
    # US: AP style and postal codes
    "Ga.": "adm1:US-GA",
    "GA": "adm1:US-GA",
    "Calif.": "adm1:US-CA",
    "CA": "adm1:US-CA",
    "Fla.": "adm1:US-FL",
    "FL": "adm1:US-FL",
    "Mass.": "adm1:US-MA",
    "N.J.": "adm1:US-NJ",
    "TX": "adm1:US-TX",
    "Tenn.": "adm1:US-TN",
    # Chinese and Korean provinces without the local generic word
    "Anhui": "adm1:CN-01",
    "Anhui Province": "adm1:CN-01",
    "Xinjiang": "adm1:CN-13",
    "Shanghai Shi": "adm1:CN-23",
    "Gyeonggi": "adm1:KR-13",
    "New York City": "gn:5128581",
}


@pytest.mark.parametrize(("name", "place_id"), ABBREVIATIONS.items())
def test_abbreviations_find_their_region(gazetteer: Gazetteer, name: str, place_id: str) -> None:
    top = gazetteer.candidates(name)
    assert top and top[0].name_score >= 0.95
    best = [c.place.id for c in top if c.name_score == top[0].name_score]
    assert place_id in best, (name, best[:5])


AP_STATES = [
    "Ala.",
    "Ariz.",
    "Ark.",
    "Calif.",
    "Colo.",
    "Conn.",
    "Del.",
    "Fla.",
    "Ga.",
    "Ill.",
    "Ind.",
    "Kan.",
    "Ky.",
    "La.",
    "Md.",
    "Mass.",
    "Mich.",
    "Minn.",
    "Miss.",
    "Mo.",
    "Mont.",
    "Neb.",
    "Nev.",
    "N.H.",
    "N.J.",
    "N.M.",
    "N.Y.",
    "N.C.",
    "N.D.",
    "Okla.",
    "Ore.",
    "Pa.",
    "R.I.",
    "S.C.",
    "S.D.",
    "Tenn.",
    "Tex.",
    "Vt.",
    "Va.",
    "Wash.",
    "W.Va.",
    "Wis.",
    "Wyo.",
]


def test_every_ap_state_abbreviation_names_a_us_state(gazetteer: Gazetteer) -> None:
    for abbreviation in AP_STATES:
        ids = [c.place.id for c in gazetteer.candidates(abbreviation) if c.name_score >= 0.95]
        assert any(i.startswith("adm1:US-") for i in ids), abbreviation


def test_every_canadian_province_and_australian_state_is_found(gazetteer: Gazetteer) -> None:
    names = [
        "Alberta",
        "British Columbia",
        "Manitoba",
        "New Brunswick",
        "Newfoundland and Labrador",
        "Nova Scotia",
        "Ontario",
        "Prince Edward Island",
        "Quebec",
        "Saskatchewan",
        "Yukon",
        "Northwest Territories",
        "Nunavut",
        "New South Wales",
        "Victoria",
        "Queensland",
        "South Australia",
        "Western Australia",
        "Tasmania",
        "Northern Territory",
        "Australian Capital Territory",
    ]
    for name in names:
        ids = [c.place.id for c in gazetteer.candidates(name) if c.name_score >= 0.95]
        assert any(i.startswith(("adm1:CA-", "adm1:AU-")) for i in ids), name


def test_sa_and_wa_stay_ambiguous_for_the_focus_to_decide(gazetteer: Gazetteer) -> None:
    sa = {c.place.id for c in gazetteer.candidates("SA") if c.name_score >= 0.95}
    assert {"adm1:AU-05", "cc:ZA"} <= sa
    wa = {c.place.id for c in gazetteer.candidates("WA") if c.name_score >= 0.95}
    assert {"adm1:AU-08", "adm1:US-WA"} <= wa


def test_province_of_prefix_is_dropped_for_second_level_regions(gazetteer: Gazetteer) -> None:
    ids = [c.place.id for c in gazetteer.candidates("Nueva Ecija") if c.name_score >= 0.95]
    assert any(i.startswith("adm2:PH-") for i in ids)


def test_a_city_with_a_canadian_abbreviation_resolves_to_canada(geoparser) -> None:
    text = "Police in Kamloops, B.C. and in Vancouver, B.C. closed the highway on Monday."
    places = {m.surface: m.place for m in geoparser.parse(text) if m.place}
    assert places["Vancouver"].country_code == "CA"
    assert places["B.C."].id == "adm1:CA-02"


# --- physical features -------------------------------------------------------------------

FEATURES = {
    # islands
    "Java": ((-7.3, 110.0), 300),
    "Sumatra": ((-0.6, 101.3), 400),
    "Borneo": ((0.9, 114.2), 400),
    "Luzon": ((16.5, 121.2), 250),
    "New Guinea": ((-5.5, 141.0), 500),
    "Honshu": ((36.0, 138.5), 400),
    "Baffin Island": ((68.7, -70.5), 500),
    "Sulawesi": ((-2.0, 121.0), 400),
    # ranges
    "Ural Mountains": ((60.0, 59.0), 800),
    "Urals": ((60.0, 59.0), 800),
    "Himalayas": ((28.5, 84.0), 800),
    "Andes": ((-20.0, -67.0), 2000),
    "Rocky Mountains": ((44.0, -109.0), 1000),
    # rivers (GeoNames places a stream at its mouth), deltas, seas, lakes
    "Mississippi River": ((29.15, -89.25), 100),
    "Danube": ((45.2, 29.7), 100),
    "Nile Delta": ((30.9, 31.0), 100),
    "Danube Delta": ((45.1, 29.3), 100),
    "Mekong Delta": ((10.0, 105.8), 150),
    "North Sea": ((56.0, 3.0), 300),
    "Lake Victoria": ((-1.0, 33.0), 150),
    "Gobi Desert": ((42.5, 103.0), 500),
}


@pytest.mark.parametrize(("name", "expected"), FEATURES.items())
def test_major_physical_features_come_first(gazetteer: Gazetteer, name: str, expected) -> None:
    point, limit = expected
    top = gazetteer.candidates(name)[0]
    assert top.place.feature_class in {"T", "H", "L"}, (name, top.place.id)
    assert km((top.place.lat, top.place.lon), point) < limit


def test_physical_supplement_is_well_formed() -> None:
    rows = list(read_supplement(PHYSICAL))
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["id"].startswith("phy:") for r in rows)
    assert {r["feature_class"] for r in rows} <= {"T", "H", "L"}
    codes = {r["feature_code"] for r in rows}
    assert {"ISL", "MTS", "STM", "DLTA", "SEA", "LK", "DSRT"} <= codes


def test_physical_features_with_a_country_lie_near_that_country(gazetteer: Gazetteer) -> None:
    """A coordinate typo (a sign, swapped lat/lon) puts a feature far from its country's towns."""
    by_country: dict[str, list[tuple[float, float]]] = {}
    with (DATA / "gazetteer.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["feature_class"] == "P":
                by_country.setdefault(r["country_code"], []).append(
                    (float(r["lat"]), float(r["lon"]))
                )
    for r in read_supplement(PHYSICAL):
        if not r["country_code"]:
            continue
        point = (float(r["lat"]), float(r["lon"]))
        nearest = min(km(point, t) for t in by_country[r["country_code"]])
        assert nearest < 800, (r["id"], nearest)


REGIONAL_DEMONYMS = {
    "Albertans": "adm1:CA-01",
    "Quebecers": "adm1:CA-10",
    "Nova Scotian": "adm1:CA-07",
    "Queenslanders": "adm1:AU-04",
    "Tasmanian": "adm1:AU-06",
    "Tibetan": "adm1:CN-14",
    "Uyghur": "adm1:CN-13",
    "South Ossetian": "rgn:south-ossetia",
    "Siberian": "phy:siberia",
    "Himalayan": "phy:himalayas",
    "Catalan": "adm1:ES-56",
}


@pytest.mark.parametrize(("word", "place_id"), REGIONAL_DEMONYMS.items())
def test_regional_demonyms(gazetteer: Gazetteer, word: str, place_id: str) -> None:
    place = gazetteer.demonym(word)
    assert place is not None and place.id == place_id


def test_chinese_autonomous_regions_go_by_their_short_name(gazetteer: Gazetteer) -> None:
    for name, place_id in (("Tibet", "adm1:CN-14"), ("Guangxi", "adm1:CN-16")):
        assert gazetteer.candidates(name)[0].place.id == place_id
