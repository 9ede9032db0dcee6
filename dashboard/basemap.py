"""The constant part of the dashboard map: offline assets, basemap, labels, optional tiles.

The base map must render to the same HTML on every rerun (st_folium remounts the component,
losing the view, when it changes), so everything that changes lives in dashboard/maps.py's
marker layer. The drawing itself is in dashboard/static/geomap/geomap.js.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import MacroElement
from jinja2 import Template

STATIC = "/app/static"  # Streamlit's static serving of dashboard/static
STATIC_DIR = Path(__file__).resolve().parent / "static"
USER_TILES_DIR = STATIC_DIR / "usertiles"  # filled by the launcher; not in git
LEAFLET_JS = [
    ("leaflet", f"{STATIC}/leaflet/leaflet.js"),
    ("markercluster", f"{STATIC}/markercluster/leaflet.markercluster.js"),
    ("geomap", f"{STATIC}/geomap/geomap.js"),
    ("geomap_labels", f"{STATIC}/geomap/labels.js"),
    ("geomap_markers", f"{STATIC}/geomap/markers.js"),
]
LEAFLET_CSS = [
    ("leaflet_css", f"{STATIC}/leaflet/leaflet.css"),
    ("markercluster_css", f"{STATIC}/markercluster/MarkerCluster.css"),
    ("geomap_css", f"{STATIC}/geomap/geomap.css"),
]
WORLD_VIEW = ((25.0, 20.0), 2)  # centre and zoom before the markers are fitted


def script_json(value: object) -> str:
    """A JS expression for `value`, safe inside an inline <script> and folium's Jinja.

    The JSON goes in as a string literal for JSON.parse, so that <, >, &, braces and quotes
    can all be \\u-escaped (which JavaScript allows inside strings only).
    """
    text = json.dumps(json.dumps(value, ensure_ascii=True, separators=(",", ":")))
    for ch in "<>&{}'`$":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return f"JSON.parse({text})"


@dataclass(frozen=True)
class UserTiles:
    """The user's own offline tiles, served by Streamlit under /app/static/usertiles/."""

    url: str
    min_zoom: int = 0
    max_zoom: int = 18
    attribution: str = ""


def user_tiles(folder: Path = USER_TILES_DIR) -> UserTiles | None:
    """The tile set the launcher prepared (folder/tiles.json), or None."""
    meta = folder / "tiles.json"
    if not meta.exists():
        return None
    info = json.loads(meta.read_text())
    return UserTiles(
        url=f"{STATIC}/usertiles/{{z}}/{{x}}/{{y}}.{info.get('format', 'png')}",
        min_zoom=int(info.get("minzoom", 0)),
        max_zoom=int(info.get("maxzoom", 18)),
        attribution=str(info.get("attribution", "")),
    )


def clear_user_tiles(folder: Path = USER_TILES_DIR) -> None:
    """Forget the tiles of an earlier start: without --tiles, the drawn basemap is used."""
    import shutil

    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)


def prepare_user_tiles(source: Path, folder: Path = USER_TILES_DIR) -> UserTiles:
    """Make an MBTiles file or a z/x/y folder servable as {folder}/{z}/{x}/{y}.{ext}.

    MBTiles rows are written out as files (its rows count y from the south: TMS); a folder is
    linked. Raises ValueError naming the file when it is neither.
    """
    clear_user_tiles(folder)
    if source.is_dir():
        tiles = sorted(p for p in source.glob("*/*/*.*") if p.parent.parent.name.isdigit())
        if not tiles:
            raise ValueError(f"{source}: no z/x/y tiles found (expected {source}/Z/X/Y.png)")
        zooms = sorted({int(p.parent.parent.name) for p in tiles})
        folder.mkdir(parents=True)
        # One link per zoom folder: the user's tiles stay where they are.
        for z in zooms:
            (folder / str(z)).symlink_to((source / str(z)).resolve(), target_is_directory=True)
        info = {"format": tiles[0].suffix.lstrip("."), "minzoom": zooms[0], "maxzoom": zooms[-1]}
        (folder / "tiles.json").write_text(json.dumps(info))
        return user_tiles(folder) or UserTiles(url="")
    try:
        db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
        rows = db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")
        folder.mkdir(parents=True)
        zooms = set()
        for z, x, y, blob in rows:
            path = folder / str(z) / str(x) / f"{(1 << z) - 1 - y}.{meta.get('format', 'png')}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blob)
            zooms.add(z)
        db.close()
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{source}: not an MBTiles file ({exc})") from exc
    if not zooms:
        raise ValueError(f"{source}: the MBTiles file holds no tiles")
    info = {
        "format": meta.get("format", "png"),
        "minzoom": min(zooms),
        "maxzoom": max(zooms),
        "attribution": meta.get("attribution", ""),
    }
    (folder / "tiles.json").write_text(json.dumps(info))
    return user_tiles(folder) or UserTiles(url="")


class Basemap(MacroElement):
    """Natural Earth at the zoom's scale (or the user's tiles) and the gazetteer's labels."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        GeoMap.basemap({{ this._parent.get_name() }}, {{ this.options_json }});
        GeoMap.labels({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
        """
    )

    def __init__(self, tiles: UserTiles | None = None) -> None:
        super().__init__()
        self._name = "Basemap"
        options: dict = {"root": STATIC}
        if tiles is not None:
            options["tiles"] = {
                "url": tiles.url,
                "minZoom": tiles.min_zoom,
                "maxZoom": tiles.max_zoom,
                "attribution": tiles.attribution,
            }
        self.options_json = script_json(options)


def build_base_map(
    bounds: list[list[float]] | None = None,
    *,
    online_tiles: bool = False,
    tiles: UserTiles | None = None,
) -> folium.Map:
    """The constant part of the map. Without bounds the markers fit the view themselves."""
    centre, zoom = WORLD_VIEW
    m = folium.Map(
        location=centre,
        zoom_start=zoom,
        tiles=None,
        prefer_canvas=True,
        # With tiles=None folium drops max_zoom/min_zoom; as Leaflet options they reach the
        # map (markercluster refuses a map without maxZoom).
        maxZoom=18,
        minZoom=1,
        control_scale=True,
        world_copy_jump=True,
    )
    # Instance attributes shadow folium's CDN lists: only vendored files are loaded.
    # jQuery, Bootstrap and awesome-markers are not needed for circle markers.
    m.default_js = LEAFLET_JS
    m.default_css = LEAFLET_CSS
    Basemap(tiles).add_to(m)
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)").add_to(m)
    if bounds is not None:
        m.fit_bounds(bounds)
    return m
