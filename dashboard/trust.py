"""Trust in the dashboard: how sure each passage's place is and why, corrections, the
analyst's own places, deleting articles, and the confidence control of the map.

Called from app.py and the passage panel through small hooks (`controls_for`,
`sidebar_trust`, `map_confidence`, `article_tools`). Every text from articles or the
gazetteer is escaped (dashboard.passages) before Markdown sees it; widget labels are constant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import streamlit as st

from dashboard import data
from dashboard.passages import escape_text
from geo import LIKELY_SCORE, SURE_SCORE, Filters, GeoError, Passage, Place, PlaceCount
from geo import confidence_word as word_for
from geo.gazetteer import Gazetteer
from geo.store import MentionDetail

SCOPES = {
    "mention": "this mention",
    "article": "this name in this article",
    "store": "this name everywhere (rule)",
}
TARGETS = {"runner": "a runner-up", "search": "a gazetteer place", "none": "not a place"}
# Hide places whose mentions are all below this score (0 = show every place).
HIDE_LEVELS = {"all": "show all", "likely": "hide unsure-only", "sure": "sure only"}
HIDE_SCORES = {"all": 0.0, "likely": LIKELY_SCORE, "sure": SURE_SCORE}
PLACE_TYPES = {
    "PPL": "town or village",
    "CMP": "camp",
    "CKP": "checkpoint",
    "PPLX": "neighbourhood",
    "ADM2": "district",
    "AREA": "area",
}


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    """The index for searches and full place records (opening it costs a millisecond)."""
    return Gazetteer.load()


def _with_user_places(db: str | None) -> Gazetteer:
    gaz = gazetteer()
    user = tuple(data.get_store(db).user_places())
    if gaz.user_places.places != user:
        gaz.use_user_places(user)
    return gaz


@st.cache_data(ttl=data.TTL_S, show_spinner=False, max_entries=2000)
def mention_detail(db: str | None, mention_id: int) -> MentionDetail:
    return data.get_store(db).mention(mention_id)


@st.cache_data(ttl=data.TTL_S, show_spinner=False)
def place_confidence(db: str | None, filters: Filters) -> dict[str, float]:
    return data.get_store(db).place_confidence(filters)


@st.cache_data(ttl=data.TTL_S, show_spinner=False)
def focus_by_article(db: str | None) -> dict[int, tuple[str, str]]:
    return {a.id: (a.focus.country_code, a.focus.admin1) for a in data.get_store(db).articles()}


@st.cache_data(ttl=data.TTL_S, show_spinner=False)
def focus_countries(db: str | None) -> list[str]:
    return data.get_store(db).focus_countries()


def changed(message: str, db: str | None) -> None:
    """Every count, marker, list and export follows: drop the cached query results."""
    data.clear_queries()
    data.forget_name_index(db)  # the place search knows corrected-to and deleted places too
    st.session_state["trust_notice"] = message


def search_places(db: str | None, query: str) -> list[Place]:
    if len(query.strip()) < 2:
        return []
    return [c.place for c in _with_user_places(db).candidates(query.strip(), limit=15)]


def full_place(db: str | None, place: Place) -> Place:
    """The gazetteer's full record (runner-ups are stored with fewer fields)."""
    return _with_user_places(db).get(place.id) or data.get_store(db).place(place.id) or place


# -- per passage ------------------------------------------------------------------------


def confidence_line(detail: MentionDetail) -> str:
    word = "corrected" if detail.correction_id else word_for(detail.score)
    text = f"“{detail.surface}”: {word} ({detail.score:.2f})"
    if detail.evidence:
        text += f" — {detail.evidence}"
    return text


def runner_up_line(detail: MentionDetail) -> str:
    labels = [c.place.label for c in detail.runners_up[:5]]
    return "Other candidates: " + "; ".join(labels) if labels else ""


def _save(db: str | None, detail: MentionDetail, key: str) -> None:
    how = st.session_state.get(f"how_{key}")
    scope = st.session_state.get(f"scope_{key}", "mention")
    note = st.session_state.get(f"note_{key}", "")
    place: Place | None = None
    if how == "runner":
        place = st.session_state.get(f"runner_{key}")
    elif how == "search":
        place = st.session_state.get(f"found_{key}")
    if how != "none" and place is None:
        st.session_state["trust_notice"] = "Choose a place first."
        return
    if place is not None:
        place = full_place(db, place)
    try:
        data.get_store(db).correct(
            detail.surface, place, mention_id=detail.mention_id, scope=scope, note=note
        )
    except GeoError as exc:
        st.session_state["trust_notice"] = f"Not saved: {exc}"
        return
    st.session_state[f"fix_{key}"] = False
    target = place.label if place is not None else "not a place"
    changed(f"Corrected “{detail.surface}” ({SCOPES[scope]}) to {target}.", db)


def undo(db: str | None, correction_id: int) -> None:
    """Undo a correction (a button callback), leaving a notice either way."""
    try:
        data.get_store(db).undo_correction(correction_id)
    except GeoError as exc:
        st.session_state["trust_notice"] = f"Not undone: {exc}"
        return
    changed(f"Undid correction {correction_id}.", db)


def correction_form(db: str | None, detail: MentionDetail, key: str) -> None:
    st.radio("Apply to", list(SCOPES), format_func=SCOPES.get, key=f"scope_{key}")
    how = st.radio(
        "Correct to", list(TARGETS), format_func=TARGETS.get, key=f"how_{key}", horizontal=True
    )
    if how == "runner":
        options = [c.place for c in detail.runners_up]
        if not options:
            st.caption("The resolver had no other candidate: search the gazetteer.")
        st.selectbox(
            "Runner-up", options, format_func=lambda p: p.label, key=f"runner_{key}"
        )  # selectbox options are plain text
    elif how == "search":
        query = st.text_input("Search the gazetteer", value=detail.surface, key=f"q_{key}")
        found = search_places(db, query)
        st.selectbox(
            "Place",
            found,
            format_func=lambda p: f"{p.label} ({p.feature_code or '?'}, {p.id})",
            key=f"found_{key}",
            placeholder="No place by that name",
        )
    st.text_input("Note (optional)", key=f"note_{key}")
    st.button("Save correction", key=f"save_{key}", on_click=_save, args=(db, detail, key))


def controls_for(db: str | None):
    """The per-mention section for the passage panel (dashboard.panel's MentionExtra)."""

    def mention_controls(passage: Passage, key: str) -> None:
        detail = mention_detail(db, passage.mention_id)
        st.caption(escape_text(confidence_line(detail)))
        if detail.runners_up:
            st.caption(escape_text(runner_up_line(detail)))
        left, right = st.columns(2)
        open_form = left.toggle("Correct", key=f"fix_{key}")
        if detail.correction_id is not None:
            right.button(
                "Undo correction",
                key=f"undo_{key}",
                on_click=undo,
                args=(db, detail.correction_id),
            )
        if open_form:
            correction_form(db, detail, key)

    return mention_controls


# -- articles ---------------------------------------------------------------------------


def _delete(db: str | None, article_id: int) -> None:
    try:
        data.get_store(db).delete_article(article_id)
    except GeoError as exc:
        st.session_state["trust_notice"] = f"Not deleted: {exc}"
        return
    if st.session_state.get("article") == article_id:
        st.session_state["article"] = None
    changed(f"Deleted article {article_id}.", db)


def article_tools(db: str | None, article_id: int) -> None:
    """The article's focus, and deleting it (with a confirmation)."""
    country, admin1 = focus_by_article(db).get(article_id, ("", ""))
    focus = " / ".join(x for x in (country, admin1) if x) or "none stands out"
    st.caption(escape_text(f"Article focus: {focus}"))
    if st.toggle("Delete this article…", key=f"del_{article_id}"):
        st.button(
            "Delete it for good",
            key=f"del_go_{article_id}",
            type="primary",
            on_click=_delete,
            args=(db, article_id),
        )


# -- sidebar and map --------------------------------------------------------------------


def with_focus(db: str | None, filters: Filters) -> Filters:
    """The article-focus filter (articles whose main country is one of these)."""
    chosen = st.sidebar.multiselect("Article focus", focus_countries(db), key="focus")
    return dataclasses.replace(filters, focus=tuple(chosen)) if chosen else filters


def map_confidence(db: str | None, filters: Filters) -> tuple[Sequence[PlaceCount], frozenset[str]]:
    """The places to draw (the hide control) and which of them to draw hollow (unsure)."""
    level = st.sidebar.select_slider(
        "Confidence", list(HIDE_LEVELS), format_func=HIDE_LEVELS.get, key="min_confidence"
    )
    shown, hollow = map_places(db, filters, level)
    if hollow:
        st.sidebar.caption("Hollow circles: places whose mentions are all unsure.")
    return shown, hollow


@data.shared_cache
def map_places(
    db: str | None, filters: Filters, level: str
) -> tuple[tuple[PlaceCount, ...], frozenset[str]]:
    """confident_places over the selection's counts, once per selection (shared)."""
    counts = data.place_counts(db, filters)
    if all(pc.best_score is not None for pc in counts):  # computed with the counts
        best = {pc.place.id: pc.best_score or 0.0 for pc in counts}
    else:
        best = place_confidence(db, filters)
    shown, hollow = confident_places(counts, best, level)
    return tuple(shown), frozenset(hollow)


def confident_places(
    counts: Sequence[PlaceCount], best: dict[str, float], level: str
) -> tuple[list[PlaceCount], set[str]]:
    """The places the hide level `level` keeps, and those of them with no likely mention."""
    least = HIDE_SCORES.get(level, 0.0)
    shown = [pc for pc in counts if best.get(pc.place.id, 0.0) >= least]
    hollow = {pc.place.id for pc in shown if best.get(pc.place.id, 0.0) < LIKELY_SCORE}
    return shown, hollow


def notice() -> None:
    message = st.session_state.pop("trust_notice", None)
    if message:
        st.toast(escape_text(message))
