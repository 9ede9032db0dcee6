"""The view's state: the selected place, date range and filters, kept in the page URL.

`st.query_params` holds what a reload or a shared link must reproduce. The URL is read once
per session into `st.session_state` (the widgets' keys), then written back on every run.
The parsing and the date-range rule are plain functions, tested without Streamlit.

Session keys other modules rely on: "place" (the selected Place; the map reads it),
"date_from", "date_to", "countries", "text", "broad", "color_by", "online", "view",
"article" (the open article's id, or None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

import streamlit as st

from geo import Place

Bounds = tuple[dt.date | None, dt.date | None]
VIEWS = ("places", "articles")
COLORS = ("country", "recency")
PAGE = 50  # articles per page; "Show more" adds another page
# Sentences a place's passage panel opens with, and how many "Show more passages" adds: the
# first screenful at once (31 cards with their correction controls took 1 s to send and draw).
PASSAGES_FIRST = 10
PASSAGES_MORE = 20


def select_place(place: Place) -> None:
    """Select a place (map click, search, a jump): its passages open at their first page."""
    st.session_state["place"] = place
    st.session_state["passage_limit"] = PASSAGES_FIRST
    st.session_state["article"] = None
    st.session_state["view"] = "places"
    st.session_state["scroll_panel"] = True


def open_article(article_id: int) -> None:
    st.session_state["article"] = article_id
    st.session_state["view"] = "articles"
    st.session_state["scroll_panel"] = True


def _date(value: str, name: str, bounds: Bounds, notices: list[str]) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        notices.append(f"Ignored {name}={value!r} in the link: not a date (YYYY-MM-DD).")
        return None
    lo, hi = bounds
    if lo is None or hi is None:
        notices.append(f"Ignored {name}={value!r} in the link: the store has no dated articles.")
        return None
    if not lo <= day <= hi:
        clamped = min(max(day, lo), hi)
        notices.append(f"{name}={value} is outside the stored dates; using {clamped}.")
        return clamped
    return day


def _flag(value: str, name: str, notices: list[str]) -> bool | None:
    if value in ("1", "0"):
        return value == "1"
    notices.append(f"Ignored {name}={value!r} in the link: use 1 or 0.")
    return None


def parse_params(
    params: Mapping[str, str],
    *,
    bounds: Bounds,
    countries: Collection[str],
    place_ids: Collection[str],
) -> tuple[dict[str, Any], list[str]]:
    """Session values from a link's query parameters, and a notice per bad parameter."""
    values: dict[str, Any] = {}
    notices: list[str] = []
    for name, value in params.items():
        if name in ("from", "to"):
            day = _date(value, name, bounds, notices)
            if day is not None:
                values["date_from" if name == "from" else "date_to"] = day
        elif name == "countries":
            codes = [c.strip().upper() for c in value.split(",") if c.strip()]
            unknown = [c for c in codes if c not in countries]
            if unknown:
                notices.append(
                    f"Ignored unknown country code(s) in the link: {', '.join(unknown)}."
                )
            values["countries"] = [c for c in codes if c in countries]
        elif name == "text":
            values["text"] = value[:200]
        elif name in ("broad", "online"):
            flag = _flag(value, name, notices)
            if flag is not None:
                values[name] = flag
        elif name == "color":
            if value in COLORS:
                values["color_by"] = value
            else:
                notices.append(f"Ignored color={value!r} in the link: use country or recency.")
        elif name == "view":
            if value in VIEWS:
                values["view"] = value
            else:
                notices.append(f"Ignored view={value!r} in the link: use places or articles.")
        elif name == "place":
            if value in place_ids:
                values["place_id"] = value
            else:
                notices.append(f"Ignored place={value!r} in the link: no such place in the store.")
        elif name == "article":
            if value.isdigit():
                values["article"] = int(value)
            else:
                notices.append(f"Ignored article={value!r} in the link: not an article number.")
        else:
            notices.append(f"Ignored unknown link parameter {name!r}.")
    if "date_from" in values and "date_to" in values and values["date_from"] > values["date_to"]:
        values["date_from"], values["date_to"] = values["date_to"], values["date_from"]
    return values, notices


def params_for(state: Mapping[str, Any], bounds: Bounds) -> dict[str, str]:
    """The query parameters that reproduce a view; defaults are left out."""
    out: dict[str, str] = {}
    place = state.get("place")
    if isinstance(place, Place):
        out["place"] = place.id
    lo, hi = bounds
    start, end = state.get("date_from"), state.get("date_to")
    if isinstance(start, dt.date) and lo is not None and start > lo:
        out["from"] = start.isoformat()
    if isinstance(end, dt.date) and hi is not None and end < hi:
        out["to"] = end.isoformat()
    if state.get("countries"):
        out["countries"] = ",".join(sorted(state["countries"]))
    if str(state.get("text") or "").strip():
        out["text"] = str(state["text"]).strip()
    if state.get("broad"):
        out["broad"] = "1"
    if state.get("online"):
        out["online"] = "1"
    if state.get("color_by", "country") != "country":
        out["color"] = str(state["color_by"])
    if state.get("view", "places") != "places":
        out["view"] = str(state["view"])
    if state.get("article") is not None:
        out["article"] = str(state["article"])
    return out


def follow_bounds(
    seen: Bounds, bounds: Bounds, chosen: tuple[dt.date, dt.date]
) -> tuple[tuple[dt.date, dt.date], str]:
    """The date range after the store's dates changed from `seen` to `bounds`.

    A full range widens with the store; a narrower choice is kept, with a note when new
    dates fall outside it. Returns (range, note).
    """
    lo, hi = bounds
    if lo is None or hi is None:
        return chosen, ""
    start, end = chosen
    if (start, end) == seen or seen == (None, None):
        return (lo, hi), ""
    start, end = min(max(start, lo), hi), min(max(end, lo), hi)
    note = ""
    if lo < start or hi > end:
        note = (
            f"The store now holds articles from {lo} to {hi}; those outside "
            f"{start} – {end} are not shown. Widen the dates to see them."
        )
    return (start, end), note


def restore_from_url(
    bounds: Bounds, countries: Collection[str], places: Mapping[str, Place]
) -> None:
    """Load the link's parameters into the session once (the first run of a session)."""
    ss = st.session_state
    if ss.get("_url_loaded"):
        return
    ss["_url_loaded"] = True
    values, notices = parse_params(
        st.query_params.to_dict(), bounds=bounds, countries=countries, place_ids=places
    )
    place_id = values.pop("place_id", None)
    if place_id is not None:
        ss["place"] = places[place_id]
    ss.update(values)
    ss["url_notices"] = notices


def prepare_dates(bounds: Bounds) -> str:
    """Set the date widgets' values before they are drawn; returns a note for the user."""
    ss = st.session_state
    lo, hi = bounds
    if lo is None or hi is None:
        return ""
    seen = ss.get("bounds_seen", (None, None))
    if "date_from" not in ss or "date_to" not in ss:
        ss["date_from"], ss["date_to"] = ss.get("date_from", lo), ss.get("date_to", hi)
    elif seen != bounds:
        (ss["date_from"], ss["date_to"]), note = follow_bounds(
            seen, bounds, (ss["date_from"], ss["date_to"])
        )
        if note:
            ss["dates_note"] = note
    ss["bounds_seen"] = bounds
    return str(ss.get("dates_note", ""))


def clear_dates_note() -> None:
    st.session_state.pop("dates_note", None)


def write_url(bounds: Bounds) -> None:
    """Write the current view into the URL (only when it changed, to avoid extra history)."""
    wanted = params_for(st.session_state, bounds)
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)
