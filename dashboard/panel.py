"""The passage panel: a place's sentences, one block per article, newest first.

Each block shows the article's title, date, source and a link to the original; one card
per sentence with every mention highlighted; the headline and dateline as notes; and the
article's other places once, as full labels, capped with "+ N more". A caller can add a
per-mention section below each card (`extra`, e.g. correction controls).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import streamlit as st

from dashboard import data, logic, state
from dashboard.passages import (
    card_markdown,
    context_markdown,
    escape_text,
    place_label,
    safe_url,
)
from geo import ArticleBlock, Filters, Passage, Place, PlaceCount, SentenceCard

# A section drawn under a card for each mention of the place in it: (mention, widget key prefix).
MentionExtra = Callable[[Passage, str], None]
OTHER_BUTTONS = 12  # other places shown as pills per block before "+ N more"
PANEL_HEIGHT = 900
PANEL_KEY = "passage_panel"

# Scrolls the passage panel back to its top. Our own script, run in a
# same-origin frame only after a new selection; it carries no article data, only a counter
# that changes the frame's content so that the browser runs it again.
_SCROLL_TOP = """<script>/* %d */
function panelToTop() {
  const panel = window.parent.document.querySelector(".st-key-%s");
  if (!panel) return;
  panel.scrollTop = 0;
}
panelToTop(); setTimeout(panelToTop, 250); setTimeout(panelToTop, 1000);
</script>"""


def _jump(key: str, places: dict[str, Place]) -> None:
    chosen = st.session_state.get(key)
    if chosen in places:
        state.select_place(places[chosen])


def other_places(block_key: str, others: Sequence[PlaceCount], exclude: str = "") -> None:
    """The article's other places once: pills for the most mentioned, a list for the rest."""
    listed = [pc for pc in others if pc.place.id != exclude]
    if not listed:
        return
    places = {pc.place.id: pc.place for pc in listed}
    head, rest = listed[:OTHER_BUTTONS], listed[OTHER_BUTTONS:]
    key = f"others_{block_key}"
    st.pills(
        "Also in this article",
        [pc.place.id for pc in head],
        format_func=lambda pid: place_label(places[pid]),
        key=key,
        on_change=_jump,
        args=(key, places),
    )
    if rest:
        more_key = f"more_{block_key}"
        st.selectbox(
            f"+ {len(rest)} more",
            [pc.place.id for pc in rest],
            index=None,
            format_func=lambda pid: places[pid].label,  # selectbox options are plain text
            placeholder=f"+ {len(rest)} more places in this article",
            key=more_key,
            on_change=_jump,
            args=(more_key, places),
            label_visibility="collapsed",
        )


def block_header(block: ArticleBlock) -> None:
    st.markdown(f"**{escape_text(block.title or 'Untitled article')}**")
    parts = [block.date.isoformat() if block.date else "undated"]
    if block.source:
        parts.append(block.source)
    st.caption(" · ".join(escape_text(p) for p in parts))
    url = safe_url(block.url)
    if url:
        st.link_button("Open the original", url)
    notes = []
    if block.headline_mentions:
        notes.append("named in the headline")
    if block.dateline:
        notes.append(f"dateline: {block.dateline}")
    if notes:
        st.caption(escape_text("; ".join(notes).capitalize() + " (not shown as passages)."))


def sentence_card(
    db: str | None, card: SentenceCard, extra: MentionExtra | None, context: bool = True
) -> None:
    with st.container(border=True):
        st.markdown(card_markdown(card))
        first = card.mentions[0]
        if context and st.toggle("More context", key=f"ctx_{first.mention_id}"):
            text = data.article_text(db, card.article_id)
            st.markdown(context_markdown(text, first))
        if extra is not None:
            for mention in card.mentions:
                extra(mention, f"m{mention.mention_id}")


def place_timeline(db: str | None, filters: Filters, place: Place) -> None:
    rows = data.place_timeline(db, filters, "W", place.id)
    if rows:
        chart = logic.timeline_chart(rows, "W").properties(height=110)
        st.altair_chart(chart, width="stretch")


def scroll_to_top_once() -> None:
    if st.session_state.pop("scroll_panel", False):
        count = int(st.session_state.get("scroll_count", 0)) + 1
        st.session_state["scroll_count"] = count
        st.iframe(_SCROLL_TOP % (count, PANEL_KEY), height=1)


def show_passages(
    db: str | None,
    filters: Filters,
    counts: Sequence[PlaceCount],
    extra: MentionExtra | None = None,
) -> None:
    place: Place | None = st.session_state.get("place")
    if place is None:
        st.info("Click a place on the map, or find one above, to read its passages.")
        return
    # A place chosen explicitly is shown even when it is a country or region that the
    # map hides ("Show countries and regions" off); every other filter still applies.
    chosen = dataclasses.replace(filters, include_broad=True)
    current = next((pc for pc in counts if pc.place.id == place.id), None)
    if current is None:
        current = next(
            (pc for pc in data.place_counts(db, chosen) if pc.place.id == place.id), None
        )
    st.subheader(place_label(place))
    limit = int(st.session_state.get("passage_limit", state.PASSAGES_FIRST))
    page = data.passage_page(db, place.id, chosen, limit)
    if current is None or not page.blocks:
        st.warning("No passages mention this place in the current selection.")
        return
    st.caption(
        f"{current.count} mention(s) in {current.articles} article(s) in the selection, "
        "newest first"
    )
    place_timeline(db, chosen, place)
    st.download_button(
        "Passages CSV (this place)",
        lambda: data.passages_csv(db, chosen, place.id),
        f"passages-{place.id.replace(':', '_')}.csv",
        "text/csv",
        key="export_place_passages",
    )
    scroll_to_top_once()
    with st.container(height=PANEL_HEIGHT, key=PANEL_KEY):
        for block in page.blocks:
            with st.container(border=True):
                block_header(block)
                for card in block.cards:
                    sentence_card(db, card, extra)
                other_places(str(block.article_id), block.other_places, place.id)
        if page.has_more:
            st.button(
                "Show more passages",
                key="passages_more",
                on_click=lambda: st.session_state.update(passage_limit=limit + state.PASSAGES_MORE),
            )
