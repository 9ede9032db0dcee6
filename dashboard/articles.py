"""The article view: the selection's articles, newest first, with their places.

Each article opens its passages: every sentence that names a place in the selection, with
all the names highlighted, and its places as jumps to their own passages.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, state
from dashboard.panel import (
    PANEL_HEIGHT,
    PANEL_KEY,
    MentionExtra,
    block_header,
    other_places,
    scroll_to_top_once,
    sentence_card,
)
from dashboard.passages import escape_text
from dashboard.trust import article_tools, focus_by_article
from geo import ArticleSummary, Filters

PLACES_SHOWN = 8


def places_line(summary: ArticleSummary) -> str:
    """'Idlib, SY (3) · Saraqeb, Idlib, SY (1) · + 4 more', as plain text."""
    shown = [f"{pc.place.label} ({pc.count})" for pc in summary.places[:PLACES_SHOWN]]
    rest = len(summary.places) - PLACES_SHOWN
    return " · ".join(shown + ([f"+ {rest} more"] if rest > 0 else []))


def show_article(
    db: str | None, article_id: int, filters: Filters, extra: MentionExtra | None
) -> None:
    st.button(
        "← All articles", key="article_back", on_click=lambda: st.session_state.update(article=None)
    )
    block = data.article_block(db, article_id, filters)
    scroll_to_top_once()
    with st.container(height=PANEL_HEIGHT, key=PANEL_KEY):
        block_header(block)
        article_tools(db, article_id)  # focus, delete
        if not block.cards:
            st.caption("No sentence of this article names a place in the current selection.")
        for card in block.cards:
            sentence_card(db, card, extra, context=False)
        places = data.article_places(db, article_id)
        other_places(f"article_{article_id}", places)


def show_articles(db: str | None, filters: Filters, extra: MentionExtra | None = None) -> None:
    article_id = st.session_state.get("article")
    if article_id is not None:
        show_article(db, int(article_id), filters, extra)
        return
    limit = int(st.session_state.get("article_limit", state.PAGE))
    summaries, more = data.article_summaries(db, filters, limit)
    if not summaries:
        st.warning("No article in the current selection.")
        return
    st.caption("Articles in the selection, newest first")
    with st.container(height=PANEL_HEIGHT, key="article_list"):
        for summary in summaries:
            with st.container(border=True):
                st.markdown(f"**{escape_text(summary.title or 'Untitled article')}**")
                when = summary.date.isoformat() if summary.date else "undated"
                st.caption(
                    escape_text(f"{when} · {summary.source} · {summary.mentions} mention(s)")
                )
                st.caption(escape_text(places_line(summary)))
                focus = focus_by_article(db).get(summary.article_id, ("", ""))
                if focus[0]:
                    st.caption(escape_text("Focus: " + " / ".join(x for x in focus if x)))
                st.button(
                    "Open passages",
                    key=f"open_{summary.article_id}",
                    on_click=state.open_article,
                    args=(summary.article_id,),
                )
        if more:
            st.button(
                "Show more",
                key="articles_more",
                on_click=lambda: st.session_state.update(article_limit=limit + state.PAGE),
            )
