"""build_map and friends on hand-made places: offline assets, markers, escaping, scale."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import time

from dashboard import maps
from geo.models import Place, PlaceCount


def pc(name: str, lat: float, lon: float, cc: str, count: int, day: dt.date | None = None):
    place = Place(f"t:{name}", name, lat, lon, cc, feature_code="PPL")
    return PlaceCount(place, count, 1, day)


COUNTS = [
    pc("Saraqeb", 35.8626, 36.8006, "SY", 10, dt.date(2020, 2, 8)),
    pc("Sochi", 43.6028, 39.7342, "RU", 2, dt.date(2018, 9, 17)),
    pc("Ankara", 39.93, 32.86, "TR", 1, dt.date(2018, 1, 1)),
]


def html_of(m) -> str:
    return m.get_root().render()


def marker_data(html: str) -> dict:
    """The data GeoMap.markers receives: a JSON string literal given to JSON.parse."""
    literal = re.search(r"GeoMap\.markers\([^,]+,\s*[^,]+,\s*JSON\.parse\((\".*?\")\)", html, re.S)
    return json.loads(json.loads(literal.group(1)))


def test_map_loads_only_local_assets_and_no_tiles() -> None:
    html = html_of(maps.build_map(COUNTS))
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/app/static/") for u in urls), urls
    assert "http://" not in html and "https://" not in html
    assert "L.tileLayer" not in html
    assert "/app/static/geomap/geomap.js" in html
    assert "GeoMap.basemap(" in html and "GeoMap.labels(" in html


def test_online_tiles_are_an_option() -> None:
    assert "L.tileLayer" in html_of(maps.build_map(COUNTS, online_tiles=True))


def test_one_canvas_circle_per_place_sized_by_count() -> None:
    m = maps.build_map(COUNTS)
    html = html_of(m)
    assert '"preferCanvas": true' in html
    rows = marker_data(html)["rows"]
    assert sorted(r[5] for r in rows) == sorted(maps.tooltip_text(c) for c in COUNTS)
    big = maps.marker_radius(10, 10)
    small = maps.marker_radius(1, 10)
    assert big == maps.MAX_RADIUS and small < big
    assert rows[0][2] == big  # the biggest is drawn first, under the others


def test_tooltip_text_and_click_matching() -> None:
    assert maps.tooltip_text(COUNTS[0]) == "Saraqeb, SY: 10 mentions"
    assert maps.tooltip_text(COUNTS[2]) == "Ankara, TR: 1 mention"
    assert maps.match_click(COUNTS, " Saraqeb, SY: 10 mentions\n").name == "Saraqeb"
    assert maps.match_click(COUNTS, "Nowhere: 1 mention") is None
    assert maps.match_click(COUNTS, None) is None
    twins = [pc("Tall", 10, 10, "SY", 1), pc("Tall", 30, 30, "SY", 1)]
    assert maps.match_click(twins, "Tall, SY: 1 mention", {"lat": 29, "lng": 31}).lat == 30


def test_colours_by_country_with_legend() -> None:
    colors, legend = maps.marker_colors(COUNTS, maps.COLOR_BY_COUNTRY)
    assert len(set(colors)) == 3
    assert [e.label for e in legend][0] == "SY"  # most mentions first
    many = [pc(f"P{i}", 0, i, f"C{i}", 1) for i in range(12)]
    colors, legend = maps.marker_colors(many)
    assert maps.OTHER_COLOR in colors and legend[-1].label == "other countries"


def test_colours_by_recency() -> None:
    counts = COUNTS + [pc("Undated", 1, 1, "SY", 1)]
    colors, legend = maps.marker_colors(counts, maps.COLOR_BY_RECENCY)
    assert colors[0] == maps.RECENCY[0][2]  # the newest place
    assert colors[1] == maps.RECENCY[3][2]  # 2018: older than a year before 2020-02-08
    assert colors[3] == maps.UNDATED_COLOR
    assert legend[-1].label == "undated"


def test_hostile_place_names_cannot_break_out_of_the_script() -> None:
    evil = "</script><script>alert(1)</script>${alert(2)}`{{'x'}}"
    html = html_of(maps.build_map([pc(evil, 1, 1, "SY", 1)]))
    script_part = html.split("GeoMap.markers(", 1)[1].split(");\n", 1)[0]
    for bad in ("</script>", "<script>", "${", "`", "{{", "<", ">"):
        assert bad not in script_part
    rows = marker_data(html)["rows"]
    assert rows[0][5].startswith("&lt;/script&gt;")  # tooltip: HTML, escaped
    assert rows[0][6] == evil  # name for textContent: the plain text, parsed back intact


def test_base_map_is_constant_between_builds() -> None:
    from streamlit_folium import _get_map_string, generate_js_hash

    one = _get_map_string(maps.build_base_map())
    two = _get_map_string(maps.build_base_map())
    assert generate_js_hash(one, "map") == generate_js_hash(two, "map")


def test_data_bounds() -> None:
    assert maps.data_bounds([]) is None
    (s, w), (n, e) = maps.data_bounds([c.place for c in COUNTS])
    assert s <= 35.8 and n >= 43.7 and w <= 32.8 and e >= 39.8


def test_five_thousand_places_build_fast_and_small() -> None:
    rng = random.Random(7)
    counts = [
        pc(f"Place {i}", rng.uniform(-60, 70), rng.uniform(-180, 180), f"C{i % 40}", i % 97 + 1)
        for i in range(5000)
    ]
    start = time.perf_counter()
    html = html_of(maps.build_map(counts))
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, elapsed
    assert len(html.encode()) < 2_000_000, len(html)


def test_smallest_circles_are_drawn_last_so_they_take_the_click() -> None:
    counts = [pc("Small", 1, 1, "SY", 1), pc("Big", 1, 1, "SY", 50), pc("Mid", 1, 1, "SY", 9)]
    order = maps.draw_order(counts)
    assert [counts[i].place.name for i in order] == ["Big", "Mid", "Small"]
    rows = marker_data(html_of(maps.build_map(counts)))["rows"]
    assert [r[6] for r in rows] == ["Big", "Mid", "Small"]


def test_recency_colouring_draws_the_newest_on_top() -> None:
    counts = [
        pc("New", 1, 1, "SY", 1, dt.date(2024, 5, 1)),
        pc("Undated", 1, 1, "SY", 3),
        pc("Old", 1, 1, "SY", 1, dt.date(2019, 1, 1)),
    ]
    order = maps.draw_order(counts, maps.COLOR_BY_RECENCY)
    assert [counts[i].place.name for i in order] == ["Undated", "Old", "New"]


def test_selected_place_gets_a_halo_and_a_zoom_even_when_filtered_out() -> None:
    saraqeb = COUNTS[0].place
    data = marker_data(html_of(maps.build_map(COUNTS, selected=saraqeb)))
    lat, lon, radius, name = data["selected"]
    assert (lat, lon, name) == (saraqeb.lat, saraqeb.lon, "Saraqeb")
    assert radius == maps.MAX_RADIUS and data["selectedZoom"] == 11
    hidden = Place("cc:SY", "Syria", 35.0, 38.0, "SY", feature_class="A", feature_code="PCLI")
    data = marker_data(html_of(maps.build_map(COUNTS, selected=hidden)))
    assert data["selected"] == [35.0, 38.0, maps.MIN_RADIUS, "Syria"]
    assert data["selectedZoom"] == 5
    assert marker_data(html_of(maps.build_map(COUNTS)))["selected"] is None


def test_uncertain_places_are_flagged_hollow() -> None:
    data = marker_data(html_of(maps.build_map(COUNTS, uncertain={"t:Sochi"})))
    hollow = {r[6]: r[4] for r in data["rows"]}
    assert hollow == {"Saraqeb": 0, "Sochi": 1, "Ankara": 0}


def test_many_places_are_clustered_few_are_not() -> None:
    few = marker_data(html_of(maps.build_map(COUNTS)))
    assert few["cluster"] is False
    many = [pc(f"P{i}", i % 50, i // 50, "SY", 1) for i in range(maps.CLUSTER_MIN_PLACES + 1)]
    data = marker_data(html_of(maps.build_map(many)))
    assert data["cluster"] is True and data["clusterOffZoom"] == maps.CLUSTER_OFF_ZOOM
    assert data["nameZoom"] == maps.NAME_ZOOM


def test_the_map_has_a_max_zoom_for_clustering() -> None:
    html = html_of(maps.build_map(COUNTS))
    assert '"maxZoom": 18' in html and '"minZoom": 1' in html
