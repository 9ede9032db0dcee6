"""`correct`, `corrections list|export|import|undo`, `delete` and `reresolve`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.cli.common import add_db, open_store, print_json, print_table
from geo.errors import InputError, StoreError
from geo.models import Correction, Place


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("correct", help="correct a place name: this article's, or everywhere")
    p.add_argument("name", help="the name as the articles write it")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--to", metavar="PLACE_ID", help="the right place (id from lookup)")
    target.add_argument("--not-a-place", action="store_true", help="the name is not a place")
    p.add_argument("--article", type=int, metavar="ARTICLE_ID", help="only in this article")
    p.add_argument("--mention", type=int, metavar="MENTION_ID", help="only this one mention")
    p.add_argument("--note", default="", help="why (kept with the correction)")
    add_db(p)
    p.set_defaults(handler=cmd_correct)

    p = sub.add_parser("corrections", help="list, export, import or undo corrections")
    csub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    g = csub.add_parser("list", help="the corrections in force (oldest first)")
    g.add_argument("--all", action="store_true", help="undone ones too")
    g.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    add_db(g)
    g = csub.add_parser("export", help="write corrections and user places to a CSV file")
    g.add_argument("file", metavar="FILE.csv")
    add_db(g)
    g = csub.add_parser("import", help="read a corrections CSV (from export) into the store")
    g.add_argument("file", metavar="FILE.csv")
    add_db(g)
    g = csub.add_parser("undo", help="undo a correction; its mentions go back")
    g.add_argument("id", type=int, metavar="ID")
    add_db(g)
    p.set_defaults(handler=cmd_corrections)

    p = sub.add_parser("delete", help="delete an article and its mentions from the store")
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    add_db(p)
    p.set_defaults(handler=cmd_delete)

    p = sub.add_parser(
        "reresolve", help="re-resolve the stored articles a gazetteer or user-place change affects"
    )
    p.add_argument("--all", action="store_true", help="every article, not only affected ones")
    p.add_argument("--model", help="spaCy model name")
    add_db(p)
    p.set_defaults(handler=cmd_reresolve)


def find_place(store, place_id: str) -> Place:
    """A place by id: the store's own (user places, corrected-to), else the gazetteer's."""
    from geo.gazetteer import Gazetteer

    found = store.place(place_id)
    if found is None:
        found = Gazetteer.load().get(place_id)
    if found is None:
        raise StoreError(f"no place with id {place_id!r} (see `python -m geo gazetteer lookup`)")
    return found


def cmd_correct(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        place = None if args.not_a_place else find_place(store, args.to)
        new_id = store.correct(
            args.name, place, article_id=args.article, mention_id=args.mention, note=args.note
        )
        done = next(c for c in store.corrections() if c.id == new_id)
    print(f"correction {new_id}: {describe(done)}; {done.mentions} mentions follow it")
    return 0


def describe(c: Correction) -> str:
    where = {"mention": "one mention", "article": f"article {c.article_id}", "store": "everywhere"}
    to = f"{c.place.name} ({c.place.id})" if c.place else "not a place"
    return f"“{c.name}” in {where.get(c.scope, c.scope)} -> {to}"


def correction_json(c: Correction) -> dict[str, object]:
    return {
        "id": c.id,
        "created_at": c.created_at.isoformat(),
        "scope": c.scope,
        "name": c.name,
        "article_id": c.article_id,
        "article_hash": c.article_hash,
        "start": c.start,
        "end": c.end,
        "place_id": c.place.id if c.place else None,
        "place_name": c.place.name if c.place else None,
        "not_a_place": c.place is None,
        "note": c.note,
        "mentions": c.mentions,
        "undone_at": c.undone_at.isoformat() if c.undone_at else None,
    }


def cmd_corrections(args: argparse.Namespace) -> int:
    with open_store(args, readonly=args.action in ("list", "export")) as store:
        if args.action == "list":
            found = store.corrections(include_undone=args.all)
            if args.json:
                for c in found:
                    print_json(correction_json(c))
                return 0
            print_table(
                ["id", "time", "scope", "name", "to", "mentions", "note"],
                [
                    [
                        c.id,
                        c.created_at.strftime("%Y-%m-%d %H:%M"),
                        c.scope + (" (undone)" if c.undone_at else ""),
                        c.name,
                        c.place.id if c.place else "not a place",
                        c.mentions,
                        c.note,
                    ]
                    for c in found
                ],
            )
        elif args.action == "export":
            try:
                with Path(args.file).open("w", encoding="utf-8", newline="") as f:
                    rows = store.export_corrections(f)
            except OSError as exc:
                raise InputError(args.file, f"cannot write: {exc.strerror or exc}") from exc
            print(f"wrote {rows} rows to {args.file}", file=sys.stderr)
        elif args.action == "import":
            try:
                with Path(args.file).open(encoding="utf-8-sig", newline="") as f:
                    added = store.import_corrections(f, args.file)
            except OSError as exc:
                raise InputError(args.file, f"cannot read: {exc.strerror or exc}") from exc
            print(
                f"imported {added[0]} user places and {added[1]} new corrections from {args.file}",
                file=sys.stderr,
            )
        else:
            store.undo_correction(args.id)
            print(f"undid correction {args.id}", file=sys.stderr)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.delete_article(args.article_id)
    print(f"deleted article {args.article_id}", file=sys.stderr)
    return 0


def cmd_reresolve(args: argparse.Namespace) -> int:
    from geo.cli.common import make_parser
    from geo.ingest import reresolve

    with open_store(args) as store:
        report = reresolve(store, make_parser(args.model), everything=args.all)
    print(
        f"re-resolved {report.checked} of {report.total} articles; {report.changed} changed",
        file=sys.stderr,
    )
    return 0
