"""The offline basemap files, the label builder, user tiles and the launcher's settings."""

from __future__ import annotations

import json
import sqlite3
import struct
import zlib
from pathlib import Path

import pytest

from dashboard import basemap, basemap_build, labels_build, launch, maps

BASEMAP = basemap.STATIC_DIR / "basemap"


def decode(flat: list[int], unit: int) -> list[tuple[float, float]]:
    out, x, y = [], 0, 0
    for i in range(0, len(flat), 2):
        x += flat[i]
        y += flat[i + 1]
        out.append((x / unit, y / unit))
    return out


def level_files() -> list[tuple[str, Path]]:
    index = json.loads((BASEMAP / "index.json").read_text())
    return [(lv["name"], BASEMAP / c["key"]) for lv in index["levels"] for c in lv["cells"]]


def inside(point: tuple[float, float], rings: list[list[tuple[float, float]]]) -> bool:
    """Even-odd rule, as the canvas fills the land."""
    x, y = point
    hit = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def land_at(lat: float, lon: float, level: str) -> bool:
    index = json.loads((BASEMAP / "index.json").read_text())
    (lv,) = [lv for lv in index["levels"] if lv["name"] == level]
    for cell in lv["cells"]:
        w, s, e, n = cell["bbox"]
        if w <= lon < e and s <= lat < n:
            data = json.loads((BASEMAP / cell["key"]).read_text())
            return inside((lon, lat), [decode(r, index["unit"]) for r in data["fill"]])
    return False


def test_no_basemap_outline_spans_more_than_180_degrees() -> None:
    unit = json.loads((BASEMAP / "index.json").read_text())["unit"]
    seen = 0
    for _, path in level_files():
        data = json.loads(path.read_text())
        for kind in ("fill", "coast", "border"):
            for flat in data[kind]:
                points = decode(flat, unit)
                lons = [p[0] for p in points]
                assert max(lons) - min(lons) <= 180, (path.name, kind)
                assert all(-180 <= lon <= 180 for lon in lons), (path.name, kind)
                steps = [abs(a[0] - b[0]) for a, b in zip(points, points[1:], strict=False)]
                assert max(steps, default=0) < 180, (path.name, kind)
                seen += 1
    assert seen > 10_000


def test_three_scales_by_zoom_and_10m_in_cells() -> None:
    index = json.loads((BASEMAP / "index.json").read_text())
    ranges = [(lv["name"], lv["minZoom"], lv["maxZoom"]) for lv in index["levels"]]
    assert ranges == [("110m", 0, 3), ("50m", 4, 5), ("10m", 6, 20)]
    assert len(index["levels"][2]["cells"]) > 300
    assert (BASEMAP / "LICENSE-world-atlas").exists()


def test_the_10m_coast_keeps_latakia_and_tartus_on_land() -> None:
    for lat, lon in ((35.52, 35.80), (34.89, 35.89)):  # Latakia, Tartus
        assert land_at(lat, lon, "10m")
    assert not land_at(35.5, 35.5, "10m")  # the sea off Latakia
    assert land_at(51.5, -0.12, "10m") and land_at(-33.9, 151.2, "10m")  # London, Sydney


def test_land_across_the_antimeridian_is_on_both_sides() -> None:
    assert land_at(66.0, 175.0, "10m") and land_at(66.0, -175.0, "10m")  # Chukotka
    assert land_at(-17.8, 178.0, "10m")  # Fiji, Viti Levu
    # Antarctica, round the pole (the Ross Ice Shelf is sea in Natural Earth land).
    for lat, lon in ((-75.0, 0.0), (-80.0, 160.0), (-88.0, 179.5), (-88.0, -179.5)):
        assert land_at(lat, lon, "10m"), (lat, lon)


def test_split_ring_cuts_at_the_antimeridian_and_closes_polar_rings() -> None:
    fiji_like = [(179.0, -17.0), (-179.0, -17.0), (-179.0, -16.0), (179.0, -16.0)]
    pieces = basemap_build.split_ring(fiji_like)
    assert len(pieces) == 2
    for piece in pieces:
        lons = [p[0] for p in piece]
        assert max(lons) - min(lons) <= 2 and all(-180 <= x <= 180 for x in lons)
    polar = [(-180.0 + 10 * i, -70.0) for i in range(36)] + [(180.0, -70.0)]
    pieces = basemap_build.split_ring(polar)
    assert len(pieces) == 2 and all(min(p[1] for p in r) < -89 for r in pieces)
    plain = [(10.0, 10.0), (11.0, 10.0), (11.0, 11.0)]
    assert basemap_build.split_ring(plain) == [plain]


def test_split_line_drops_meridian_edges_and_jumps() -> None:
    line = [(170.0, 60.0), (180.0, 60.0), (180.0, 65.0), (-180.0, 65.0), (-170.0, 66.0)]
    parts = basemap_build.split_line(line)
    assert parts == [[(170.0, 60.0), (180.0, 60.0)], [(-180.0, 65.0), (-170.0, 66.0)]]


def test_display_names_and_label_zooms() -> None:
    assert labels_build.display_name("Arīḩā") == "Ariha"
    assert labels_build.display_name("Ma‘arrat an Nu‘mān") == "Ma'arrat an Nu'man"
    assert labels_build.label_zoom("A", "PCLI", 20_000_000) == ("country", 2)
    assert labels_build.label_zoom("A", "ADM1", 0) == ("region", 5)
    assert labels_build.label_zoom("P", "PPLC", 0) == ("city", 3)
    assert labels_build.label_zoom("P", "PPL", 2_000_000) == ("city", 4)
    assert labels_build.label_zoom("P", "PPL", 34_000) == ("town", 7)
    assert labels_build.label_zoom("P", "PPL", 0) == ("village", 10)
    assert labels_build.label_zoom("A", "ADM2", 0) is None


def test_labels_from_the_real_gazetteer_reach_idlibs_villages(tmp_path: Path) -> None:
    index = labels_build.build(out=tmp_path)
    world = json.loads((tmp_path / "world.json").read_text())
    names = {label[0] for label in world}
    assert {"Syria", "Turkey", "Damascus", "Aleppo"} <= names
    ranks = [label[5] for label in world]
    assert ranks == sorted(ranks, reverse=True)
    key = labels_build.cell_key(35.86, 36.8)
    assert key in index["cells"]
    near = {
        label[0]: label for label in json.loads((tmp_path / "cells" / f"{key}.json").read_text())
    }
    for name in ("Saraqib", "Sarmin", "Binnish", "Ariha", "Ma'arrat an Nu'man", "Taftanaz"):
        assert name in near and near[name][4] <= 10, name
    assert not labels_build.is_stale(out=tmp_path)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80\xa0\xc0" * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_mbtiles(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, tile_data BLOB)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("format", "png"), ("attribution", "me")])
    # TMS rows: at zoom 1 row 1 is the northern half, i.e. XYZ y = 0.
    db.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        [(0, 0, 0, tiny_png()), (1, 1, 1, tiny_png())],
    )
    db.commit()
    db.close()


def test_mbtiles_become_a_z_x_y_base_layer(tmp_path: Path) -> None:
    source = tmp_path / "tiny.mbtiles"
    make_mbtiles(source)
    folder = tmp_path / "usertiles"
    tiles = basemap.prepare_user_tiles(source, folder)
    assert (folder / "0" / "0" / "0.png").read_bytes() == tiny_png()
    assert (folder / "1" / "1" / "0.png").exists()  # TMS row 1 -> XYZ y 0
    assert tiles.url == "/app/static/usertiles/{z}/{x}/{y}.png"
    assert (tiles.min_zoom, tiles.max_zoom, tiles.attribution) == (0, 1, "me")
    html = maps.build_map([], tiles=tiles).get_root().render()
    assert "usertiles" in html
    basemap.clear_user_tiles(folder)
    assert not folder.exists() and basemap.user_tiles(folder) is None


def test_a_tile_folder_is_linked_and_bad_input_is_named(tmp_path: Path) -> None:
    source = tmp_path / "xyz"
    (source / "3" / "4").mkdir(parents=True)
    (source / "3" / "4" / "2.png").write_bytes(tiny_png())
    folder = tmp_path / "usertiles"
    tiles = basemap.prepare_user_tiles(source, folder)
    assert (folder / "3" / "4" / "2.png").read_bytes() == tiny_png()
    assert (tiles.min_zoom, tiles.max_zoom) == (3, 3)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="empty: no z/x/y tiles"):
        basemap.prepare_user_tiles(tmp_path / "empty", folder)
    (tmp_path / "junk.mbtiles").write_text("not sqlite")
    with pytest.raises(ValueError, match="junk.mbtiles: not an MBTiles file"):
        basemap.prepare_user_tiles(tmp_path / "junk.mbtiles", folder)


def test_launch_flags_do_not_depend_on_the_working_folder() -> None:
    cmd = launch.command("/data/geo.sqlite", port=9999, python="py")
    assert cmd[:4] == ["py", "-m", "streamlit", "run"]
    assert Path(cmd[4]).is_absolute() and cmd[4].endswith("dashboard/app.py")
    flags = dict(zip(cmd[5:-3:2], cmd[6:-3:2], strict=True))
    assert flags["--server.address"] == "127.0.0.1"
    assert flags["--server.port"] == "9999"
    assert flags["--server.enableStaticServing"] == "true"
    assert flags["--server.enableXsrfProtection"] == "true"
    assert flags["--server.maxUploadSize"] == "10"
    assert flags["--browser.gatherUsageStats"] == "false"
    assert flags["--browser.serverAddress"] == "localhost"
    assert cmd[-3:] == ["--", "--db", "/data/geo.sqlite"]
    assert (
        launch.server_flags("0.0.0.0")[
            launch.server_flags("0.0.0.0").index("--browser.serverAddress") + 1
        ]
        == "0.0.0.0"
    )
