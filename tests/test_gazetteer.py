"""The gazetteer: bundled index lookups, index building, GeoNames import, demonyms."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from geopy.distance import great_circle

from geo.errors import GazetteerError, InputError
from geo.gazetteer import Gazetteer, build_index, import_geonames
from geo.gazetteer.admin2 import adm2_bare_name, adm2_rows, slug
from geo.gazetteer.rows import COLUMNS
from geo.gazetteer.supplement import apply_points, read_points

FIXTURE = Path(__file__).parent / "fixtures" / "geonames_sample.txt"
MERGE_FIXTURE = Path(__file__).parent / "fixtures" / "geonames_merge.txt"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(great_circle((lat1, lon1), (lat2, lon2)).km)


# name -> (lat, lon) of the place it must resolve to, first or close to first.
TRUTH = {
    "Saraqeb": (35.864, 36.806),
    "Saraqib": (35.864, 36.806),
    "Kfar Zita": (35.374, 36.603),
    "Al-Eis": (36.02, 37.04),
    "Idleb": (35.93, 36.63),
    "Sochi": (43.60, 39.73),
    "Tartus": (34.89, 35.89),
    "U.S.": (39.76, -98.5),
    "Alaska": (64.00028, -150.00028),
    "Japan": (35.68536, 139.75309),
    "Atlantic": (20.0, -40.0),
    "European Union": (48.69, 9.14),
    "Calif.": (37.25022, -119.75126),
    "N.Y.": (43.00035, -75.4999),
    "Washington, D.C.": (38.895, -77.036),
    "Pacific Northwest": (46.0, -121.5),
    "Russian Federation": (60.0, 100.0),
    "Middle East": (29.0, 41.0),
    "Black Sea": (43.4, 34.0),
    "Jabal Zawiya": (35.69, 36.53),
    "Al-Mastoumah": (35.87, 36.64),
    "Maaret al-Noman": (35.65, 36.68),
    "Kobane": (36.89, 38.35),
}


@pytest.mark.parametrize(("name", "truth"), TRUTH.items())
def test_candidates_put_the_right_place_first(gazetteer: Gazetteer, name: str, truth) -> None:
    candidates = gazetteer.candidates(name)
    assert candidates, name
    top = candidates[0].place
    assert haversine_km(top.lat, top.lon, *truth) < 15, (name, top)


def test_candidates_are_sorted_and_scored(gazetteer: Gazetteer) -> None:
    candidates = gazetteer.candidates("Aleppo")
    assert candidates[0].place.name == "Aleppo" and candidates[0].name_score == 1.0
    assert any(c.place.feature_code == "ADM1" for c in candidates)
    scores = [c.name_score for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert len(gazetteer.candidates("Aleppo", limit=2)) == 2


def test_loose_and_fuzzy_matches_score_below_exact(gazetteer: Gazetteer) -> None:
    loose = gazetteer.candidates("Sarakib")  # not a listed spelling; same loose key
    assert loose[0].place.name == "Saraqib" and 0.5 < loose[0].name_score < 1.0
    fuzzy = gazetteer.candidates("Saraqibo")  # no such key, exact or loose
    assert fuzzy[0].place.name == "Saraqib" and fuzzy[0].name_score < loose[0].name_score
    assert gazetteer.candidates("") == []
    assert gazetteer.candidates("qxzvvw jjkq") == []


def test_has_name_get_len_and_speed(gazetteer: Gazetteer) -> None:
    assert gazetteer.has_name("Idleb") and gazetteer.has_name("Tell Rifat")
    assert not gazetteer.has_name("reportedly") and not gazetteer.has_name("")
    syria = gazetteer.get("cc:SY")
    assert syria is not None and syria.name == "Syria" and syria.is_broad
    assert gazetteer.get("no:such") is None
    assert len(gazetteer) > 200_000
    started = time.perf_counter()
    for _ in range(1000):
        gazetteer.candidates("Saraqib")
    assert (time.perf_counter() - started) / 1000 < 0.002  # generous bound for noisy CI


def test_every_country_and_us_state_has_a_point(gazetteer: Gazetteer) -> None:
    for cc in ("SY", "US", "GB", "RU", "UA", "IR", "IQ", "TR", "IL", "PS", "CD", "KP"):
        place = gazetteer.get(f"cc:{cc}")
        assert place is not None and place.feature_code == "PCLI", cc
    for state in ("CA", "TX", "NY", "AK", "HI"):
        place = gazetteer.get(f"adm1:US-{state}")
        assert place is not None and place.country_code == "US", state
    idlib = gazetteer.get("adm1:SY-12")
    assert idlib is not None and idlib.name == "Idlib Governorate"
    assert haversine_km(idlib.lat, idlib.lon, 35.93, 36.63) < 40


GAZETTEER_CSV = Path(__file__).parent.parent / "data" / "gazetteer.csv"
POINTS_CSV = Path(__file__).parent.parent / "data" / "supplement" / "points.csv"


@pytest.mark.parametrize(
    ("place_id", "lat", "lon", "geonameid"),
    [
        ("cc:US", 39.76, -98.5, "6252001"),
        ("cc:JP", 35.68536, 139.75309, "1861060"),
        ("cc:CA", 60.10867, -113.64258, "6251999"),
        ("adm1:US-AK", 64.00028, -150.00028, "5879092"),
        ("adm1:US-NY", 43.00035, -75.4999, "5128638"),
        ("rgn:europe", 48.69096, 9.14062, "6255148"),
    ],
)
def test_geonames_points_land_in_the_csv(
    place_id: str, lat: float, lon: float, geonameid: str
) -> None:
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["id"] == place_id)
    assert (float(row["lat"]), float(row["lon"])) == (lat, lon)
    assert row["geonameid"] == geonameid


def test_points_csv_is_well_formed_and_unique() -> None:
    points = read_points(POINTS_CSV)
    ids = [p["id"] for p in points]
    assert len(ids) == len(set(ids)) and len(ids) > 250
    assert all(p["source_note"] for p in points)


def test_apply_points_overrides_and_rejects_unknown_ids(tmp_path: Path) -> None:
    (tmp_path / "points.csv").write_text(
        "id,lat,lon,geonameid,source_note\ncc:SY,35,38,163843,test\n", encoding="utf-8"
    )
    rows = {"cc:SY": {"id": "cc:SY", "lat": "34.8", "lon": "39.0", "geonameid": ""}}
    assert apply_points(rows, tmp_path) == 1
    assert rows["cc:SY"] == {
        "id": "cc:SY",
        "lat": "35.00000",
        "lon": "38.00000",
        "geonameid": "163843",
    }
    (tmp_path / "points.csv").write_text(
        "id,lat,lon,geonameid,source_note\ncc:XX,1,2,,test\n", encoding="utf-8"
    )
    with pytest.raises(GazetteerError, match="cc:XX"):
        apply_points(rows, tmp_path)


def test_big_places_outrank_small_namesakes(gazetteer: Gazetteer) -> None:
    for name, cc in [("London", "GB"), ("Aberdeen", "GB"), ("Venice", "IT"), ("Cambridge", "GB")]:
        top = gazetteer.candidates(name)[0].place
        assert top.country_code == cc, (name, top)
    assert gazetteer.get("gn:2643743").feature_code == "PPLC"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("word", "place_id"),
    [("Syrian", "cc:SY"), ("Syrians", "cc:SY"), ("Russian", "cc:RU"), ("Turkish", "cc:TR")]
    + [("American", "cc:US"), ("British", "cc:GB"), ("Kurdish", "rgn:kurdistan")]
    + [("European", "rgn:europe"), ("Californian", "adm1:US-CA"), ("Iraqi", "cc:IQ")],
)
def test_demonyms(gazetteer: Gazetteer, word: str, place_id: str) -> None:
    place = gazetteer.demonym(word)
    assert place is not None and place.id == place_id


def test_demonym_unknown_word(gazetteer: Gazetteer) -> None:
    assert gazetteer.demonym("forces") is None


def _small_csv(path: Path) -> Path:
    rows = [
        ["gn:164816", "Saraqib", "Saraqeb", "35.86447", "36.80591", "SY", "Idlib", "P", "PPL"]
        + ["32495", "test", "164816"],
        ["adm1:SY-12", "Idlib Governorate", "Idlib|Idleb", "35.93", "36.63", "SY", "Idlib", "A"]
        + ["ADM1", "442917", "test", ""],
        [
            "cc:SY",
            "Syria",
            "Syrian Arab Republic",
            "35",
            "38",
            "SY",
            "",
            "A",
            "PCLI",
            "1",
            "test",
            "",
        ],
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def test_build_index_on_a_small_csv(tmp_path: Path) -> None:
    demonyms = tmp_path / "demonyms.csv"
    demonyms.write_text("word,place_id\nSyrian,cc:SY\n", encoding="utf-8")
    index = tmp_path / "g.idx"
    build_index(_small_csv(tmp_path / "g.csv"), index, demonyms)
    started = time.perf_counter()
    gaz = Gazetteer.load(index)
    assert time.perf_counter() - started < 0.5
    assert len(gaz) == 3
    assert [c.place.id for c in gaz.candidates("Idleb")] == ["adm1:SY-12"]
    assert gaz.candidates("Saraqeb")[0].place.geonameid == 164816
    assert gaz.demonym("syrian").id == "cc:SY"  # type: ignore[union-attr]
    gaz.close()


def test_build_index_rejects_unknown_demonym_target(tmp_path: Path) -> None:
    demonyms = tmp_path / "demonyms.csv"
    demonyms.write_text("word,place_id\nMartian,cc:MARS\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="cc:MARS"):
        build_index(_small_csv(tmp_path / "g.csv"), tmp_path / "g.idx", demonyms)


def test_load_missing_index_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="python -m geo gazetteer index"):
        Gazetteer.load(tmp_path / "missing.idx")


def test_import_geonames_merges_and_replaces(tmp_path: Path) -> None:
    csv_path = _small_csv(tmp_path / "g.csv")
    added = import_geonames(FIXTURE, csv_path)
    assert added == 2  # Al 'Is and the mountain; Saraqib merged, the road (class R) skipped
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert len(rows) == 5 and "gn:999000002" not in rows
    assert rows["gn:164816"]["feature_code"] == "PPLA2"
    assert rows["gn:164816"]["alternate_names"] == "Sarakeb|Saraqeb|Sraqib"
    assert rows["gn:173999"]["admin1"] == ""  # region unknown to this CSV: no code left in
    assert rows["gn:999000001"]["admin1"] == "Idlib"  # admin1 code 12 -> the region's name
    assert import_geonames(FIXTURE, csv_path) == 0  # idempotent
    build_index(csv_path, tmp_path / "g.idx", tmp_path / "none.csv")
    gaz = Gazetteer.load(tmp_path / "g.idx")
    assert gaz.candidates("Al-Eis")[0].place.id == "gn:173999"
    gaz.close()


def _merge_csv(tmp_path: Path) -> Path:
    """A CSV with curated rows: supplement spellings, a points.csv point, cc:/adm1: rows."""
    rows = [
        ["gn:164816", "Saraqib", "Saraqeb|Srakib", "35.86500", "36.80000", "SY", "Idlib", "P"]
        + ["PPL", "32495", "geonames-cities500", "164816"],
        ["gn:170000", "Test Town", "", "33.00000", "36.00000", "SY", "Daraa", "P", "PPL"]
        + ["1000", "geonames-cities500", "170000"],
        ["adm1:SY-12", "Idlib Governorate", "Idlib|Idleb", "35.93", "36.63", "SY", "Idlib", "A"]
        + ["ADM1", "442917", "geonames-admin1", ""],
        ["adm1:SY-10", "Hama Governorate", "Hama", "35.1", "36.7", "SY", "Hama", "A", "ADM1"]
        + ["1", "geonames-admin1", ""],
        ["cc:SY", "Syria", "Syrian Arab Republic", "35.00000", "38.00000", "SY", "", "A"]
        + ["PCLI", "1", "geonames-countries+countryinfo", "163843"],
    ]
    path = tmp_path / "g.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    (tmp_path / "supplement").mkdir()
    (tmp_path / "supplement" / "points.csv").write_text(
        "id,lat,lon,geonameid,source_note\n"
        "cc:SY,35,38,163843,test\ngn:164816,35.865,36.8,164816,test\n",
        encoding="utf-8",
    )
    return path


def test_import_geonames_keeps_curated_rows_and_merges_names(tmp_path: Path) -> None:
    csv_path = _merge_csv(tmp_path)
    assert import_geonames(MERGE_FIXTURE, csv_path) == 2  # only the two unknown villages
    first = csv_path.read_bytes()
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert sorted(rows) == [
        "adm1:SY-10",
        "adm1:SY-12",
        "cc:SY",
        "gn:164816",
        "gn:170000",
        "gn:170001",
        "gn:170002",
    ]  # no gn: duplicates of the country (PCLI) or its regions (ADM1)
    syria = rows["cc:SY"]
    assert (syria["name"], syria["lat"], syria["lon"]) == ("Syria", "35.00000", "38.00000")
    assert syria["alternate_names"] == "Siria|Syrian Arab Republic|Syrie"
    idlib = rows["adm1:SY-12"]  # matched by admin1 code
    assert idlib["alternate_names"] == "Idleb|Idleb Governorate|Idlib|Muhafazat Idlib"
    assert idlib["geonameid"] == "169388" and idlib["lat"] == "35.93"
    hama = rows["adm1:SY-10"]  # code 99 unknown: matched by name
    assert hama["alternate_names"] == "Hama|Hamah Governorate|Muhafazat Hamah"
    saraqib = rows["gn:164816"]  # points.csv point kept, supplement spelling kept
    assert (saraqib["name"], saraqib["lat"], saraqib["lon"]) == ("Saraqib", "35.86500", "36.80000")
    assert saraqib["alternate_names"] == "Sarakeb|Saraqeb|Srakib|Sraqib"
    assert (saraqib["population"], saraqib["feature_code"]) == ("40000", "PPLA2")
    town = rows["gn:170000"]  # not curated: the dump's point; the larger population stays
    assert (town["lat"], town["lon"], town["population"]) == ("33.40000", "36.20000", "1000")
    assert town["admin1"] == "Daraa"
    assert rows["gn:170001"]["admin1"] == "Daraa"  # code 13 -> name used by gn:170000
    assert rows["gn:170002"]["admin1"] == ""  # code 07 unknown: empty, never the code
    assert import_geonames(MERGE_FIXTURE, csv_path) == 0
    assert csv_path.read_bytes() == first  # idempotent and deterministic


@pytest.mark.parametrize(
    "content",
    ["not\ta\tgeonames\tfile\n", "x" + "\tfoo" * 18 + "\n", ""],
)
def test_import_bad_dump_names_the_file(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "BAD.txt"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="BAD.txt"):
        import_geonames(bad, _small_csv(tmp_path / "g.csv"))


@pytest.mark.parametrize(
    ("name", "admin1", "lat", "lon"),
    [
        ("Orange County", "California", 33.7, -117.8),
        ("Cook County", "Illinois", 41.88, -87.63),
        ("Suffolk County", "New York", 40.9, -72.9),
        ("Morris County", "New Jersey", 40.86, -74.55),
    ],
)
def test_adm2_counties_are_candidates(
    gazetteer: Gazetteer, name: str, admin1: str, lat: float, lon: float
) -> None:
    counties = [
        c.place
        for c in gazetteer.candidates(name)
        if c.place.feature_code == "ADM2" and c.place.admin1 == admin1
    ]
    assert counties, name
    county = counties[0]
    assert county.country_code == "US" and county.population == 0
    assert county.id.startswith("adm2:US-") and county.feature_class == "A"
    assert haversine_km(county.lat, county.lon, lat, lon) < 30, county


def test_adm2_bare_names_and_uk_counties(gazetteer: Gazetteer) -> None:
    orange = gazetteer.get("adm2:US-CA-orange-county")
    assert orange is not None and orange.name == "Orange County"
    bare = [c.place.id for c in gazetteer.candidates("Orange", limit=100)]
    assert "adm2:US-CA-orange-county" in bare
    suffolk = [c.place for c in gazetteer.candidates("Suffolk", limit=100)]
    assert any(p.feature_code == "ADM2" and p.country_code == "GB" for p in suffolk)
    assert adm2_bare_name("Orange County", "US") == "Orange"
    assert adm2_bare_name("Lee County", "US") == ""  # too short to stand alone in the US
    assert adm2_bare_name("Bossier Parish", "US") == "Bossier"
    assert adm2_bare_name("County Durham", "GB") == "Durham"
    assert adm2_bare_name("Lohit District", "IN") == "Lohit"
    assert adm2_bare_name("Kent", "GB") == ""
    assert slug("Saint-Jean  County") == "saint-jean-county"


def _csv_adm2_rows() -> list[dict[str, str]]:
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["id"].startswith("adm2:")]


def test_adm2_rows_are_deterministic_and_well_formed() -> None:
    committed = _csv_adm2_rows()
    assert len(committed) > 10_000
    ids = [r["id"] for r in committed]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert {r["feature_code"] for r in committed} == {"ADM2"}
    assert {r["population"] for r in committed} == {"0"}
    assert not any(r["name"].isdigit() or r["name"] == r["admin1"] for r in committed)
    # Rebuild from the admin1 naming of the committed CSV (an approximation of the full
    # build's town votes, so a few admin1 names stay unmapped): same rows, twice over.
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as f:
        adm1 = [r for r in csv.DictReader(f) if r["id"].startswith("adm1:")]
    names = {(r["country_code"], r["id"].split("-", 1)[1]): r["admin1"] for r in adm1}
    codes = {(cc, name): code for (cc, code), name in names.items()}
    first, unmapped = adm2_rows(names, codes)
    second, _ = adm2_rows(names, codes)
    assert first == second and len(first) == len(committed)
    assert unmapped < 0.02 * len(first)
    rebuilt = [r["id"] for r in first]
    assert rebuilt == sorted(rebuilt) and len(set(rebuilt) & set(ids)) > 0.98 * len(ids)
