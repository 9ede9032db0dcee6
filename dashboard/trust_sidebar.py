"""The sidebar's trust tools: add a place the gazetteer lacks (typed, or the last point
clicked on the map), re-resolve the stored articles, and the corrections in force (undo,
export, import). Text from the store is escaped before Markdown sees it."""

from __future__ import annotations

import io

import streamlit as st

from dashboard import data
from dashboard.passages import escape_text
from dashboard.trust import PLACE_TYPES, changed, undo
from geo import GeoError
from geo.store import make_user_place

MAP_POINT = "map_point"  # session key: the last point clicked on the map (lat, lon)


def remember_map_click(state: dict | None) -> None:
    """Called with st_folium's return value: keep the last point clicked on the map."""
    point = (state or {}).get("last_clicked")
    if point and "lat" in point and "lng" in point:
        st.session_state[MAP_POINT] = (round(point["lat"], 5), round(point["lng"], 5))


def _use_map_point() -> None:
    lat, lon = st.session_state[MAP_POINT]
    st.session_state["up_lat"], st.session_state["up_lon"] = lat, lon


def _add_place(db: str | None) -> None:
    s = st.session_state
    try:
        place = make_user_place(
            s.get("up_name", ""),
            float(s.get("up_lat", 0.0)),
            float(s.get("up_lon", 0.0)),
            s.get("up_country", ""),
            s.get("up_type", "PPL"),
            tuple(a.strip() for a in s.get("up_alts", "").split(",")),
            s.get("up_region", ""),
            s.get("up_note", ""),
        )
        data.get_store(db).add_user_place(place)
    except GeoError as exc:
        s["trust_notice"] = f"Not added: {exc}"
        return
    s["up_name"] = s["up_alts"] = s["up_note"] = ""
    changed(f"Added {place.place.label}. Re-resolve to find it in stored articles.", db)


def _reresolve(db: str | None) -> None:
    import geo.ingest

    parser = data.get_parser()
    with data._PARSE_LOCK:  # one spaCy pipeline for every session: take turns
        report = geo.ingest.reresolve(data.get_store(db), parser)
    changed(
        f"Re-resolved {report.checked} of {report.total} articles; {report.changed} changed.", db
    )


def add_place_form(db: str | None) -> None:
    with st.sidebar.expander("Add a place"):
        st.text_input("Name", key="up_name")
        st.text_input("Other names (comma-separated)", key="up_alts")
        point = st.session_state.get(MAP_POINT)
        if point:
            st.caption(escape_text(f"Last map click: {point[0]}, {point[1]}"))
            st.button("Use the map click", key="up_use_click", on_click=_use_map_point)
        else:
            st.caption("Type the point, or click the map first.")
        left, right = st.columns(2)
        left.number_input("Latitude", -90.0, 90.0, key="up_lat", format="%.5f")
        right.number_input("Longitude", -180.0, 180.0, key="up_lon", format="%.5f")
        left, right = st.columns(2)
        left.text_input("Country (ISO code)", max_chars=2, key="up_country")
        right.selectbox("Type", list(PLACE_TYPES), format_func=PLACE_TYPES.get, key="up_type")
        st.text_input("Region (optional)", key="up_region")
        st.text_input("Note (optional)", key="up_note")
        st.button("Add the place", key="up_add", on_click=_add_place, args=(db,))
        st.button(
            "Re-resolve stored articles",
            key="reresolve",
            on_click=_reresolve,
            args=(db,),
            help="Parse again the articles that name a new place (manual corrections stay).",
        )


def corrections_panel(db: str | None) -> None:
    store = data.get_store(db)
    with st.sidebar.expander("Corrections"):
        found = store.corrections()
        if not found:
            st.caption("No corrections yet: correct a place from its passage.")
        for c in reversed(found[-20:]):
            to = c.place.label if c.place else "not a place"
            where = {"mention": "one mention", "article": f"article {c.article_id}"}.get(
                c.scope, "everywhere"
            )
            line = f"#{c.id} “{c.name}” → {to} ({where}; {c.mentions} mention(s))"
            if c.note:
                line += f" — {c.note}"
            st.caption(escape_text(line))
            st.button("Undo", key=f"undo_c{c.id}", on_click=undo, args=(db, c.id))
        buffer = io.StringIO()
        store.export_corrections(buffer)
        st.download_button(
            "Export corrections CSV",
            buffer.getvalue().encode("utf-8"),
            "corrections.csv",
            "text/csv",
            key="corrections_export",
        )
        upload = st.file_uploader("Import corrections CSV", type=["csv"], key="corrections_csv")
        if upload is not None and st.button("Import", key="corrections_import"):
            try:
                text = upload.getvalue().decode("utf-8-sig")
                places, added = store.import_corrections(io.StringIO(text), upload.name)
            except (GeoError, UnicodeDecodeError) as exc:
                st.error(escape_text(f"Not imported: {exc}"))
            else:
                changed(f"Imported {places} place(s) and {added} new correction(s).", db)
                st.rerun()


def sidebar_trust(db: str | None) -> None:
    add_place_form(db)
    corrections_panel(db)
