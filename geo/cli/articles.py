"""`articles`: the stored articles with their dates, sources, addresses and focus."""

from __future__ import annotations

import argparse

from geo.cli.common import add_db, open_store, print_json, print_table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("articles", help="the stored articles, newest first, with their focus")
    add_db(p)
    p.add_argument("--country", default="", help="only articles whose focus is this country (CC)")
    p.add_argument("--region", default="", help="only articles whose focus is this region (name)")
    p.add_argument("--limit", type=int, default=None, help="at most this many articles")
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(handler=cmd_articles)


def cmd_articles(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
        found = store.articles(args.country, args.region, args.limit)
    if args.json:
        for info in found:
            print_json(info.as_json())
        return 0
    print_table(
        ["id", "date", "source", "focus", "title"],
        [
            [
                info.id,
                info.date.isoformat() if info.date else "",
                info.source,
                "/".join(x for x in (info.focus.country_code, info.focus.admin1) if x),
                info.title,
            ]
            for info in found
        ],
        width=48,
    )
    return 0
