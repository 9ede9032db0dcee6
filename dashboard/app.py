"""Streamlit dashboard: layout and widgets only. Run: streamlit run dashboard/app.py -- --db PATH

Every piece of article text goes through dashboard.passages (escaped Markdown, never
unsafe_allow_html); the map carries only gazetteer names, escaped as well.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import basemap, data, logic, maps  # noqa: E402
from dashboard.passages import (  # noqa: E402
    context_markdown,
    escape_text,
    passage_caption,
    passage_markdown,
)
from geo import (  # noqa: E402
    Filters,
    GeoError,  # noqa: E402
    Place,
    PlaceCount,
)

PASSAGE_LIMIT = 50
MAP_HEIGHT = 560


def select_place(place: Place) -> None:
    st.session_state["place"] = place


def sidebar_filters(db: str | None) -> tuple[Filters, str, bool]:
    """Filter widgets; returns the selection, the colour mode and the online-tiles choice."""
    st.sidebar.header("Filters")
    bounds = data.date_bounds(db)
    lo, hi = bounds
    start = end = None
    if lo is not None and hi is not None:
        col_a, col_b = st.sidebar.columns(2)
        start = col_a.date_input("From", value=lo, min_value=lo, max_value=hi, key="date_from")
        end = col_b.date_input("To", value=hi, min_value=lo, max_value=hi, key="date_to")
        st.sidebar.caption("All dates (undated articles included) while the range is full.")
    codes = data.countries(db)
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
            "Text or Markdown files", type=["txt", "md"], accept_multiple_files=True, key="upload"
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


def show_map(db: str | None, counts: list[PlaceCount], color_by: str, online: bool) -> None:
    # The base map is constant across reruns (st_folium would remount it otherwise): the
    # markers fit the first view and follow the selection from the browser side.
    base = maps.build_base_map(online_tiles=online, tiles=basemap.user_tiles())
    selected: Place | None = st.session_state.get("place")
    markers, legend = maps.build_markers(counts, color_by, selected=selected)
    state = st_folium(
        base,
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=markers,
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
    )
    title = "Colour: country" if color_by == maps.COLOR_BY_COUNTRY else "Colour: last mention"
    st.html(logic.legend_html(logic.legend_labels(legend, color_by), title))
    state = state or {}
    click = (
        state.get("last_object_clicked_tooltip"),
        str(state.get("last_object_clicked")),
    )
    # st_folium keeps returning the last click; act only when it changes, so buttons and
    # the search box can select other places in between.
    if click[0] and click != st.session_state.get("last_click"):
        st.session_state["last_click"] = click
        place = maps.match_click(counts, click[0], state.get("last_object_clicked"))
        if place is not None:
            select_place(place)


def place_search(db: str | None) -> None:
    query = st.text_input("Find a place", key="place_query", placeholder="e.g. Saraqeb")
    if query.strip():
        found = data.find_places(db, query.strip())
        if not found:
            st.caption("No stored place matches.")
        for place in found:
            label = f"{place.name} ({logic.country_label(place.country_code)})"
            st.button(label, key=f"find_{place.id}", on_click=select_place, args=(place,))


def show_passages(db: str | None, filters: Filters, counts: list[PlaceCount]) -> None:
    place: Place | None = st.session_state.get("place")
    if place is None:
        st.info("Click a place on the map, or find one above, to read its passages.")
        return
    st.subheader(escape_text(place.name))
    st.caption(escape_text(logic.country_label(place.country_code)))
    # A place chosen explicitly is shown even when it is a country or region that the
    # map hides ("Show countries and regions" off); every other filter still applies.
    chosen = dataclasses.replace(filters, include_broad=True)
    current = next((pc for pc in counts if pc.place.id == place.id), None)
    if current is None and chosen != filters:
        current = next(
            (pc for pc in data.place_counts(db, chosen) if pc.place.id == place.id), None
        )
    found = data.passages(db, place.id, chosen, PASSAGE_LIMIT)
    if not found:
        st.warning("No passages mention this place in the current selection.")
        return
    total = current.count if current else len(found)
    st.caption(
        f"{total} mention(s) in the selection, newest first"
        + (f"; showing {PASSAGE_LIMIT}" if total > PASSAGE_LIMIT else "")
    )
    for passage in found:
        with st.container(border=True):
            st.markdown(passage_markdown(passage))
            st.caption(passage_caption(passage))
            if st.toggle("More context", key=f"ctx_{passage.mention_id}"):
                text = data.article_text(db, passage.article_id)
                st.markdown(context_markdown(text, passage))
            others = [
                pc.place
                for pc in data.article_places(db, passage.article_id)
                if pc.place.id != place.id
            ]
            if others:
                st.caption("Also in this article:")
                cols = st.columns(min(len(others), 4))
                for i, other in enumerate(others):
                    cols[i % len(cols)].button(
                        other.name,
                        key=f"jump_{passage.mention_id}_{other.id}",
                        on_click=select_place,
                        args=(other,),
                    )


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


def show_exports(counts: list[PlaceCount]) -> None:
    col_a, col_b = st.columns(2)
    col_a.download_button(
        "Download CSV", logic.csv_bytes(counts), "places.csv", "text/csv", key="export_csv"
    )
    col_b.download_button(
        "Download GeoJSON",
        logic.geojson_bytes(counts),
        "places.geojson",
        "application/geo+json",
        key="export_geojson",
    )


def main() -> None:
    st.set_page_config(page_title="Conflict news places", layout="wide")
    db = logic.db_from_argv(sys.argv[1:])
    st.title("Places in the news")
    try:
        filters, color_by, online = sidebar_filters(db)
        sidebar_upload(db)
        if data.is_empty(db):
            st.info(
                "The store holds no articles yet. Add some in the sidebar, or run "
                "`python -m geo ingest seeds`."
            )
            return
        counts = data.place_counts(db, filters)
        places, mentions = logic.summary(counts)
        st.caption(f"{places} places, {mentions} mentions in the selection")
        left, right = st.columns([3, 2])
        with left:
            show_map(db, counts, color_by, online)
            show_timeline(db, filters)
            show_exports(counts)
        with right:
            place_search(db)
            show_passages(db, filters, counts)
    except GeoError as exc:
        # Library errors carry a readable message (which file, which setting); show it.
        st.error(escape_text(str(exc)))


main()
