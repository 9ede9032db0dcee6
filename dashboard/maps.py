"""Build the folium map: a constant offline base map plus one canvas circle per place.

Pure functions over geo.models values; no Streamlit here, so they are tested directly.

Why a custom marker element instead of 5,000 folium.CircleMarker objects: folium renders
each marker through Jinja with its own tooltip element (3 s and 3.3 MB for 5,000 places
here). One element that carries a compact JSON array and loops in JavaScript creates the
same Leaflet L.circleMarker objects (tooltips, clicks) in a fraction of the time and size.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from jinja2 import Template

from dashboard.passages import escape_html
from geo import Place, PlaceCount

STATIC = "/app/static"  # Streamlit's static serving of dashboard/static
LEAFLET_JS = [("leaflet", f"{STATIC}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC}/leaflet/leaflet.css")]
BASEMAP_URL = f"{STATIC}/countries-110m.geojson"

COLOR_BY_COUNTRY = "country"
COLOR_BY_RECENCY = "recency"

# Colour-blind-friendly categorical palette (Okabe-Ito plus two) for the top countries.
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#882255",
    "#117733",
    "#332288",
)
OTHER_COLOR = "#7f7f7f"
# Recency buckets: (label, max age in days relative to the newest mention in the selection).
RECENCY = (
    ("last 7 days", 7, "#b2182b"),
    ("last 30 days", 30, "#ef8a62"),
    ("last year", 365, "#67a9cf"),
    ("older", None, "#2166ac"),
)
UNDATED_COLOR = "#999999"

MIN_RADIUS = 4.0
MAX_RADIUS = 22.0


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str


def marker_radius(count: int, max_count: int) -> float:
    """Circle radius in pixels; area grows with the count so big places do not swamp."""
    if max_count <= 0 or count <= 0:
        return MIN_RADIUS
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(count / max_count), 1)


def tooltip_text(pc: PlaceCount) -> str:
    """Plain-text tooltip; the app matches clicks back to places by this exact text."""
    where = f" ({pc.place.country_code})" if pc.place.country_code else ""
    noun = "mention" if pc.count == 1 else "mentions"
    return f"{pc.place.name}{where}: {pc.count} {noun}"


def _country_colors(counts: Sequence[PlaceCount]) -> tuple[list[str], list[LegendEntry]]:
    totals: Counter[str] = Counter()
    for pc in counts:
        totals[pc.place.country_code or "?"] += pc.count
    top = [code for code, _ in totals.most_common(len(PALETTE))]
    colour = {code: PALETTE[i] for i, code in enumerate(top)}
    colors = [colour.get(pc.place.country_code or "?", OTHER_COLOR) for pc in counts]
    legend = [LegendEntry(code, colour[code]) for code in top]
    if len(totals) > len(top):
        legend.append(LegendEntry("other countries", OTHER_COLOR))
    return colors, legend


def _recency_colors(counts: Sequence[PlaceCount]) -> tuple[list[str], list[LegendEntry]]:
    dates = [pc.last_date for pc in counts if pc.last_date is not None]
    newest = max(dates) if dates else dt.date.today()

    def bucket(day: dt.date | None) -> str:
        if day is None:
            return UNDATED_COLOR
        age = (newest - day).days
        for _, max_age, color in RECENCY:
            if max_age is None or age <= max_age:
                return color
        return RECENCY[-1][2]

    colors = [bucket(pc.last_date) for pc in counts]
    legend = [LegendEntry(f"{label} (to {newest.isoformat()})", c) for label, _, c in RECENCY]
    if any(pc.last_date is None for pc in counts):
        legend.append(LegendEntry("undated", UNDATED_COLOR))
    return colors, legend


def marker_colors(
    counts: Sequence[PlaceCount], color_by: str = COLOR_BY_COUNTRY
) -> tuple[list[str], list[LegendEntry]]:
    """One colour per place, and the legend that explains them."""
    if color_by == COLOR_BY_RECENCY:
        return _recency_colors(counts)
    return _country_colors(counts)


def _script_json(value: object) -> str:
    """JSON that is safe inside an inline <script> and folium's Jinja post-processing."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    for ch in "<>&{}'":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


class PlaceMarkers(MacroElement):
    """Canvas circle markers for many places, created in one JavaScript loop."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var colors = {{ this.colors_json }};
            var rows = {{ this.rows_json }};
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                L.circleMarker([r[0], r[1]], {
                    radius: r[2], color: colors[r[3]], fillColor: colors[r[3]],
                    weight: r[5] ? 2 : 1, opacity: 0.9, fillOpacity: r[5] ? 0 : 0.6
                }).bindTooltip(r[4], {sticky: true}).addTo({{ this._parent.get_name() }});
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        counts: Sequence[PlaceCount],
        colors: Sequence[str],
        hollow: Collection[str] = frozenset(),
    ) -> None:
        super().__init__()
        self._name = "PlaceMarkers"
        palette = list(dict.fromkeys(colors))
        index = {c: i for i, c in enumerate(palette)}
        max_count = max((pc.count for pc in counts), default=0)
        rows = [
            [
                round(pc.place.lat, 5),
                round(pc.place.lon, 5),
                marker_radius(pc.count, max_count),
                index[color],
                # Tooltip content is HTML in Leaflet: escape even gazetteer names.
                escape_html(tooltip_text(pc)),
                1 if pc.place.id in hollow else 0,  # uncertain: drawn as a ring
            ]
            for pc, color in zip(counts, colors, strict=True)
        ]
        self.colors_json = _script_json(palette)
        self.rows_json = _script_json(rows)


class Basemap(MacroElement):
    """Natural Earth country outlines fetched from the app's static files, below markers."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            map.getContainer().style.background = "#dfe9f2";
            var pane = map.createPane("basemap");
            pane.style.zIndex = 250;
            fetch({{ this.url_json }})
                .then(function(r) { return r.json(); })
                .then(function(data) {
                    L.geoJSON(data, {
                        pane: "basemap", interactive: false,
                        style: {color: "#9aa7b4", weight: 0.7, fillColor: "#f7f7f2", fillOpacity: 1}
                    }).addTo(map);
                });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, url: str = BASEMAP_URL) -> None:
        super().__init__()
        self._name = "Basemap"
        self.url_json = _script_json(url)


def data_bounds(places: Sequence[Place]) -> list[list[float]] | None:
    """South-west and north-east corners around the places, padded and rounded.

    Rounded so that the base map (and thus st_folium's component) stays identical across
    reruns unless the store gains places far outside the current view.
    """
    if not places:
        return None
    south = math.floor(min(p.lat for p in places)) - 1
    north = math.ceil(max(p.lat for p in places)) + 1
    west = math.floor(min(p.lon for p in places)) - 1
    east = math.ceil(max(p.lon for p in places)) + 1
    return [[max(south, -85), max(west, -180)], [min(north, 85), min(east, 180)]]


def build_base_map(
    bounds: list[list[float]] | None = None, *, online_tiles: bool = False
) -> folium.Map:
    """The constant part of the map: offline assets, basemap, optional online tiles."""
    m = folium.Map(
        location=(30.0, 30.0),
        zoom_start=3,
        tiles=None,
        prefer_canvas=True,
        max_zoom=18,
        min_zoom=1,
        control_scale=True,
    )
    # Instance attributes shadow folium's CDN lists: only the vendored Leaflet is loaded.
    # jQuery, Bootstrap and awesome-markers are not needed for circle markers.
    m.default_js = LEAFLET_JS
    m.default_css = LEAFLET_CSS
    Basemap().add_to(m)
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)").add_to(m)
    if bounds is not None:
        m.fit_bounds(bounds)
    return m


def build_markers(
    counts: Sequence[PlaceCount],
    color_by: str = COLOR_BY_COUNTRY,
    hollow: Collection[str] = frozenset(),
) -> tuple[folium.FeatureGroup, list[LegendEntry]]:
    """The changing part: one circle per place (rings for the place ids in `hollow`, e.g.
    places whose mentions are all unsure), and the legend for its colours."""
    colors, legend = marker_colors(counts, color_by)
    group = folium.FeatureGroup(name="places")
    PlaceMarkers(counts, colors, hollow).add_to(group)
    return group, legend


def build_map(
    counts: Sequence[PlaceCount],
    *,
    color_by: str = COLOR_BY_COUNTRY,
    online_tiles: bool = False,
    bounds: list[list[float]] | None = None,
    hollow: Collection[str] = frozenset(),
) -> folium.Map:
    """A complete map (base plus markers), e.g. for `m.save()` or measuring."""
    if bounds is None:
        bounds = data_bounds([pc.place for pc in counts])
    m = build_base_map(bounds, online_tiles=online_tiles)
    group, _ = build_markers(counts, color_by, hollow)
    group.add_to(m)
    return m


def match_click(
    counts: Sequence[PlaceCount], tooltip: str | None, latlng: dict | None = None
) -> Place | None:
    """The place a map click hit, from st_folium's tooltip text (and click position)."""
    if not tooltip:
        return None
    wanted = " ".join(tooltip.split())
    hits = [pc.place for pc in counts if tooltip_text(pc) == wanted]
    if len(hits) <= 1 or not latlng:
        return hits[0] if hits else None
    # Same name and count twice: take the one nearest the click.
    lat, lng = float(latlng.get("lat", 0.0)), float(latlng.get("lng", 0.0))
    return min(hits, key=lambda p: (p.lat - lat) ** 2 + (p.lon - lng) ** 2)
