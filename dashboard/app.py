"""Streamlit dashboard: layout and widgets only. Run: streamlit run dashboard/app.py -- --db PATH

Every piece of article text goes through dashboard.passages (escaped Markdown, never
unsafe_allow_html); the map carries only gazetteer names, escaped as well.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import (  # noqa: E402
    basemap,
    data,
    logic,
    maps,
    marker_files,
    state,
    trust,
    trust_sidebar,
)
from dashboard.articles import show_articles  # noqa: E402
from dashboard.panel import show_passages  # noqa: E402
from dashboard.passages import escape_text  # noqa: E402
from dashboard.search import place_search  # noqa: E402
from geo import Filters, GeoError, Place, PlaceCount  # noqa: E402
from geo.ingest import UPLOAD_TYPES  # noqa: E402

MAP_HEIGHT = 560
select_place = state.select_place  # the map's clicks select through the same function


def sidebar_filters(db: str | None) -> tuple[Filters, str, bool]:
    """Filter widgets; returns the selection, the colour mode and the online-tiles choice."""
    st.sidebar.header("Filters")
    bounds = data.date_bounds(db)
    codes = data.countries(db)
    state.restore_from_url(bounds, codes, data.places_by_id(db))
    for notice in st.session_state.get("url_notices", []):
        st.sidebar.warning(escape_text(notice))
    note = state.prepare_dates(bounds)
    lo, hi = bounds
    start = end = None
    if lo is not None and hi is not None:
        col_a, col_b = st.sidebar.columns(2)
        kw = {"min_value": lo, "max_value": hi, "on_change": state.clear_dates_note}
        start = col_a.date_input("From", key="date_from", **kw)
        end = col_b.date_input("To", key="date_to", **kw)
        if (start, end) == (lo, hi):
            st.sidebar.caption("All dates (undated articles included) while the range is full.")
        if note:
            st.sidebar.info(escape_text(note))
    chosen = st.sidebar.multiselect(
        "Country", codes, format_func=logic.country_label, key="countries"
    )
    text = st.sidebar.text_input("Passage text contains", key="text")
    broad = st.sidebar.toggle("Show countries and regions", value=False, key="broad")
    st.sidebar.header("Map")
    color_by = st.sidebar.radio(
        "Colour by",
        [maps.COLOR_BY_COUNTRY, maps.COLOR_BY_RECENCY],
        horizontal=True,
        key="color_by",
    )
    online = st.sidebar.toggle("Online tile layer (OpenStreetMap)", value=False, key="online")
    filters = logic.make_filters(
        start=start, end=end, bounds=bounds, countries=chosen, text=text, include_broad=broad
    )
    return filters, color_by, online


def sidebar_upload(db: str | None) -> None:
    with st.sidebar.expander("Add articles"):
        files = st.file_uploader(
            "Articles: text, Markdown, web pages, JSONL, tables (CSV, TSV, Excel) or feeds",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key="upload",
        )
        date = st.date_input("Article date (optional)", value=None, key="upload_date")
        if st.button("Add to the map", key="ingest", disabled=not files):
            with st.spinner("Reading and geoparsing…"):
                added, skipped, errors = data.ingest_uploads(
                    db, [(f.name, f.getvalue()) for f in files or []], date
                )
            st.session_state["upload_report"] = (added, skipped, errors)
            st.rerun()
        report = st.session_state.get("upload_report")
        if report:
            added, skipped, errors = report
            st.success(f"Added {added} article(s); {skipped} already stored.")
            for line in errors:
                st.error(escape_text(line))


@data.shared_cache
def marker_rows(db: str | None, filters: Filters, level: str, color_by: str) -> maps.MarkerRows:
    """The markers of a selection, built once (0.4 s for 20,000 places), whoever is selected:
    the same places and confidence as the rest of the page (trust.map_confidence)."""
    shown, hollow = trust.map_places(db, filters, level)
    return maps.marker_rows(shown, color_by, hollow)


@data.shared_cache
def marker_content(db: str | None, filters: Filters, level: str, color_by: str) -> bytes:
    """marker_rows as the static file's JSON, serialised once per selection."""
    return marker_files.payload_bytes(marker_rows(db, filters, level, color_by))


def show_map(db: str | None, filters: Filters, color_by: str, online: bool) -> None:
    # The base map is constant across reruns (st_folium would remount it otherwise): the
    # markers fit the first view and follow the selection from the browser side.
    base = maps.build_base_map(online_tiles=online, tiles=basemap.user_tiles())
    # st_folium's on_change stored the map's new value before this run: follow a click
    # first, so that this run's map already rings the clicked place (not the previous one).
    follow_click(db, filters, st.session_state.get("map"))
    selected: Place | None = st.session_state.get("place")
    level = st.session_state.get("min_confidence", "all")
    markers = marker_rows(db, filters, level, color_by)
    # Only the marker file's URL and the selection go through st_folium: a click re-sends
    # a few hundred bytes, and the browser keeps the markers it built for that URL.
    url = marker_files.marker_url(marker_content(db, filters, level, color_by))
    state = st_folium(
        base,
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=maps.marker_group(marker_files.selection_json(markers, url, selected)),
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip", "last_clicked"],
    )
    trust_sidebar.remember_map_click(state)  # a point for "Add a place"
    title = "Colour: country" if color_by == maps.COLOR_BY_COUNTRY else "Colour: last mention"
    st.html(logic.legend_html(logic.legend_labels(markers.legend, color_by), title))
    follow_click(db, filters, state)


@data.shared_cache
def click_index(db: str | None, filters: Filters, level: str) -> Mapping[str, tuple]:
    """The map's places by tooltip text: a click is matched without formatting 20,000."""
    index: dict[str, list[PlaceCount]] = {}
    for pc in trust.map_places(db, filters, level)[0]:
        index.setdefault(maps.tooltip_text(pc), []).append(pc)
    return MappingProxyType({text: tuple(found) for text, found in index.items()})


def follow_click(db: str | None, filters: Filters, state: dict | None) -> None:
    """Select the place a map click hit (st_folium's value), once per click."""
    state = state or {}
    click = (
        state.get("last_object_clicked_tooltip"),
        str(state.get("last_object_clicked")),
    )
    # st_folium keeps returning the last click; act only when it changes, so buttons and
    # the search box can select other places in between.
    if click[0] and click != st.session_state.get("last_click"):
        st.session_state["last_click"] = click
        level = st.session_state.get("min_confidence", "all")
        hits = click_index(db, filters, level).get(" ".join(click[0].split()), ())
        place = maps.match_click(hits, click[0], state.get("last_object_clicked"))
        if place is not None:
            select_place(place)


def show_timeline(db: str | None, filters: Filters) -> None:
    freq = st.radio(
        "Timeline",
        ["D", "W"],
        format_func={"D": "per day", "W": "per week"}.get,
        horizontal=True,
        key="freq",
    )
    rows = data.timeline(db, filters, freq)
    if rows:
        st.altair_chart(logic.timeline_chart(rows, freq), width="stretch")
    else:
        st.caption("No dated mentions in the selection.")


def show_exports(db: str | None, filters: Filters, counts: Sequence[PlaceCount]) -> None:
    # The files are written when a button is clicked, not on every rerun: the GeoJSON of
    # 20,000 places alone took 2 s to build on the synthetic store.
    col_a, col_b, col_c = st.columns(3)
    col_a.download_button(
        "Download CSV",
        lambda: logic.csv_bytes(counts),
        "places.csv",
        "text/csv",
        key="export_csv",
    )
    col_b.download_button(
        "Download GeoJSON",
        lambda: logic.geojson_bytes(counts),
        "places.geojson",
        "application/geo+json",
        key="export_geojson",
    )
    col_c.download_button(
        "Passages CSV",
        lambda: data.passages_csv(db, filters),
        "passages.csv",
        "text/csv",
        key="export_passages",
        help="Every mention in the selection: article, date, source, url, place, region, "
        "country, sentence, offsets, confidence.",
    )


def main() -> None:
    st.set_page_config(page_title="Conflict news places", layout="wide")
    db = logic.db_from_argv(sys.argv[1:])
    st.title("Places in the news")
    try:
        filters, color_by, online = sidebar_filters(db)
        filters = trust.with_focus(db, filters)
        sidebar_upload(db)
        trust_sidebar.sidebar_trust(db)
        trust.notice()
        if data.is_empty(db):
            st.info(
                "The store holds no articles yet. Add some in the sidebar, or run "
                "`python -m geo ingest seeds`."
            )
            return
        counts = data.place_counts(db, filters)
        on_map, _ = trust.map_confidence(db, filters)
        places, mentions = logic.summary(on_map)
        st.caption(f"{places} places, {mentions} mentions in the selection")
        left, right = st.columns([3, 2])
        with left:
            show_map(db, filters, color_by, online)
            show_timeline(db, filters)
            show_exports(db, filters, counts)
        with right:
            place_search(db, filters)
            view = st.radio(
                "Read",
                state.VIEWS,
                format_func={"places": "Passages by place", "articles": "Articles"}.get,
                horizontal=True,
                key="view",
                label_visibility="collapsed",
            )
            controls = trust.controls_for(db)  # confidence, evidence, corrections per mention
            if view == "articles":
                show_articles(db, filters, controls)
            else:
                show_passages(db, filters, counts, controls)
        state.write_url(data.date_bounds(db))
    except GeoError as exc:
        # Library errors carry a readable message (which file, which setting); show it.
        st.error(escape_text(str(exc)))


main()
