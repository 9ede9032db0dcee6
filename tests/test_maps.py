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


def test_map_loads_only_local_assets_and_no_tiles() -> None:
    html = html_of(maps.build_map(COUNTS))
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/app/static/") for u in urls), urls
    assert "http://" not in html and "https://" not in html
    assert "L.tileLayer" not in html
    assert "/app/static/countries-110m.geojson" in html


def test_online_tiles_are_an_option() -> None:
    assert "L.tileLayer" in html_of(maps.build_map(COUNTS, online_tiles=True))


def test_one_canvas_circle_per_place_sized_by_count() -> None:
    m = maps.build_map(COUNTS)
    html = html_of(m)
    assert '"preferCanvas": true' in html
    rows = re.search(r"var rows = (\[.*?\]\]);", html).group(1)
    parsed = json.loads(rows)
    assert [r[4] for r in parsed] == [maps.tooltip_text(c) for c in COUNTS]
    big = maps.marker_radius(10, 10)
    small = maps.marker_radius(1, 10)
    assert big == maps.MAX_RADIUS and small < big
    assert f"{big}" in rows


def test_tooltip_text_and_click_matching() -> None:
    assert maps.tooltip_text(COUNTS[0]) == "Saraqeb (SY): 10 mentions"
    assert maps.tooltip_text(COUNTS[2]) == "Ankara (TR): 1 mention"
    assert maps.match_click(COUNTS, " Saraqeb (SY): 10 mentions\n").name == "Saraqeb"
    assert maps.match_click(COUNTS, "Nowhere: 1 mention") is None
    assert maps.match_click(COUNTS, None) is None
    twins = [pc("Tall", 10, 10, "SY", 1), pc("Tall", 30, 30, "SY", 1)]
    assert maps.match_click(twins, "Tall (SY): 1 mention", {"lat": 29, "lng": 31}).lat == 30


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
    script_part = html.split("var rows = ", 1)[1].split(";\n", 1)[0]
    for bad in ("</script>", "<script>", "${", "`", "{{"):
        assert bad not in script_part
    assert "&lt;" in script_part or "\\u0026lt;" in script_part


def test_base_map_is_constant_between_builds() -> None:
    from streamlit_folium import _get_map_string, generate_js_hash

    bounds = maps.data_bounds([c.place for c in COUNTS])
    one = _get_map_string(maps.build_base_map(bounds))
    two = _get_map_string(maps.build_base_map(bounds))
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
