"""The dashboard's decisions as plain functions: arguments, filters, charts, exports, legend.

No Streamlit here, so tests call these directly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from dashboard.maps import LegendEntry
from dashboard.passages import escape_html
from geo import ROLES, Filters, PlaceCount

if TYPE_CHECKING:
    import altair as alt


def db_from_argv(argv: Sequence[str]) -> str | None:
    """`streamlit run dashboard/app.py -- --db PATH`: the path, else None (GEO_DB, default)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db", default=None)
    known, _ = parser.parse_known_args(list(argv))
    return known.db


def date_range(
    start: dt.date | None,
    end: dt.date | None,
    bounds: tuple[dt.date | None, dt.date | None],
) -> tuple[dt.date | None, dt.date | None]:
    """The date filter for a chosen range; the full range means "all", undated included."""
    lo, hi = bounds
    if start is not None and end is not None and start > end:
        start, end = end, start
    date_from = None if start is None or (lo is not None and start <= lo) else start
    date_to = None if end is None or (hi is not None and end >= hi) else end
    return date_from, date_to


def make_filters(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    bounds: tuple[dt.date | None, dt.date | None] = (None, None),
    countries: Sequence[str] = (),
    text: str = "",
    include_broad: bool = False,
) -> Filters:
    date_from, date_to = date_range(start, end, bounds)
    return Filters(
        date_from=date_from,
        date_to=date_to,
        countries=tuple(sorted(countries)),
        text=text.strip(),
        include_broad=include_broad,
        roles=ROLES,
    )


@lru_cache(maxsize=512)
def country_label(code: str) -> str:
    """'SY' -> 'Syria (SY)'; unknown codes are shown as they are."""
    if not code or code == "?":
        return "no country"
    import pycountry  # lazy: only needed once widgets are drawn

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return f"{name} ({code.upper()})"


def legend_html(entries: Sequence[LegendEntry], title: str) -> str:
    """A small legend for st.html (which sanitises); labels escaped all the same."""
    items = "".join(
        '<span style="display:inline-flex;align-items:center;margin-right:12px">'
        f'<span style="width:11px;height:11px;border-radius:50%;background:{e.color};'
        f'display:inline-block;margin-right:4px"></span>{escape_html(e.label)}</span>'
        for e in entries
        if e.color.startswith("#") and len(e.color) == 7
    )
    return f'<div style="font-size:0.85rem"><b>{escape_html(title)}</b>: {items}</div>'


def legend_labels(entries: Sequence[LegendEntry], color_by: str) -> list[LegendEntry]:
    """Country codes become names for the legend; other labels stay."""
    if color_by != "country":
        return list(entries)
    return [
        LegendEntry(e.label if e.label == "other countries" else country_label(e.label), e.color)
        for e in entries
    ]


def timeline_chart(rows: Sequence[tuple[dt.date, int]], freq: str) -> alt.Chart:
    """Mentions per day or week in the selection, as an Altair bar chart."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(
        [(pd.Timestamp(day), int(count)) for day, count in rows], columns=["date", "mentions"]
    )
    unit = "yearmonthdate"
    title = "Day" if freq == "D" else "Week starting"
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{unit}(date):T", title=title),
            y=alt.Y("mentions:Q", title="Mentions"),
            tooltip=[alt.Tooltip("date:T", title=title), alt.Tooltip("mentions:Q")],
        )
        .properties(height=180)
    )


def summary(counts: Sequence[PlaceCount]) -> tuple[int, int]:
    """(places, mentions) in the selection."""
    return len(counts), sum(pc.count for pc in counts)


def csv_bytes(counts: Sequence[PlaceCount]) -> bytes:
    from geo.store import write_csv

    buffer = io.StringIO()
    write_csv(counts, buffer)
    return buffer.getvalue().encode("utf-8")


def geojson_bytes(counts: Sequence[PlaceCount]) -> bytes:
    from geo.store import to_geojson

    return json.dumps(to_geojson(counts), ensure_ascii=False, indent=1).encode("utf-8")
