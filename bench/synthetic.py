"""Write a synthetic store (default 100,000 articles, 1,000,000 mentions, 20,000 places).

Everything goes through the store API (Store.add_articles), in big batches, so the store
has exactly the schema, indexes and derived columns (mention dates, first-mention flags)
of a real ingest. Mentions follow a Zipf-like law over places, like real news.

    python -m bench.synthetic OUT.sqlite [--articles N] [--mentions M] [--places P]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
import time
from pathlib import Path

from geo.models import ROLE_ADJECTIVE, ROLE_ORGANISATION, ROLE_PLACE, Article, Mention, Place
from geo.store import Store

START_DATE = dt.date(2015, 1, 1)
DAYS = 3650
BATCH = 2000  # articles per add_articles transaction
COUNTRIES = ("SY", "IQ", "TR", "LB", "UA", "YE", "RU", "IR", "IL", "JO", "EG", "LY")
_SYLLABLES = ("al", "ba", "dar", "ka", "fir", "ma", "sar", "qeb", "ham", "ra", "tal", "zin", "ku")
_VERBS = (
    "shelling hit",
    "clashes were reported in",
    "aid reached",
    "residents fled",
    "a convoy left",
)


def synthetic_places(n: int, rng: random.Random) -> list[Place]:
    places: list[Place] = []
    for i in range(n):
        cc = COUNTRIES[i % len(COUNTRIES)] if i % 3 else COUNTRIES[0]
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).title()
        broad = i < 40  # a few countries and regions, the most mentioned
        places.append(
            Place(
                id=f"syn:{i}",
                name=f"{name} {i}",
                lat=round(rng.uniform(12.0, 52.0), 5),
                lon=round(rng.uniform(20.0, 60.0), 5),
                country_code=cc,
                admin1=f"Region {i % 50}",
                feature_class="A" if broad else "P",
                feature_code=("PCLI" if i < 12 else "ADM1") if broad else "PPL",
                population=rng.randint(0, 2_000_000),
                source="synthetic",
            )
        )
    return places


def _article(
    index: int, n_mentions: int, places: list[Place], weights: list[float], rng: random.Random
) -> tuple[Article, list[Mention]]:
    chosen = rng.choices(places, cum_weights=weights, k=n_mentions)
    parts: list[str] = []
    found: list[tuple[int, int, Place, int]] = []
    pos = 0
    for place in chosen:
        verb = rng.choice(_VERBS)
        prefix = f"On day {index}, {verb} "
        sentence = f"{prefix}{place.name} according to local sources. "
        found.append((pos + len(prefix), pos + len(prefix) + len(place.name), place, pos))
        parts.append(sentence)
        pos += len(sentence)
    text = "".join(parts)
    date = START_DATE + dt.timedelta(days=rng.randrange(DAYS)) if index % 50 else None
    article = Article(
        text=text,
        title=f"Synthetic report {index}",
        date=date,
        date_source="metadata" if date else "none",
        source="synthetic",
        path=f"synthetic/{index}.txt",
    )
    mentions = []
    for start, end, place, s_start in found:
        r = rng.random()
        role = ROLE_PLACE if r < 0.8 else ROLE_ADJECTIVE if r < 0.95 else ROLE_ORGANISATION
        s_end = text.find(". ", s_start) + 1
        mentions.append(
            Mention(
                start=start,
                end=end,
                surface=place.name,
                role=role,
                place=place,
                score=round(rng.uniform(0.3, 1.0), 3),
                sentence=text[s_start:s_end],
                sentence_start=s_start,
            )
        )
    return article, mentions


def build(
    db: str | Path,
    articles: int = 100_000,
    mentions: int = 1_000_000,
    places: int = 20_000,
    seed: int = 0,
    progress: bool = False,
) -> dict[str, float]:
    """Fill a new store at `db`; returns counts and the seconds it took."""
    rng = random.Random(seed)
    place_list = synthetic_places(places, rng)
    # Zipf-like popularity: weight 1/rank, shuffled so popularity is not tied to the id.
    order = list(range(places))
    rng.shuffle(order)
    ranked = [place_list[i] for i in order]
    weights = list(itertools.accumulate(1.0 / (r + 1) for r in range(places)))
    # Every place is mentioned at least once: the first mentions cycle through all of them.
    per_article = [
        mentions // articles + (1 if i < mentions % articles else 0) for i in range(articles)
    ]
    started = time.perf_counter()
    store = Store.open(str(db))
    try:
        written = 0
        forced = iter(place_list)
        for first in range(0, articles, BATCH):
            batch = []
            for i in range(first, min(first + BATCH, articles)):
                article, found = _article(i, per_article[i], ranked, weights, rng)
                place = next(forced, None)
                if place is not None and found:
                    m = found[0]
                    text = article.text.replace(m.surface, place.name, 1)
                    shift = len(place.name) - len(m.surface)
                    found = [_renamed(m, place, text), *(_moved(x, shift, text) for x in found[1:])]
                    article = Article(
                        text=text,
                        title=article.title,
                        date=article.date,
                        date_source=article.date_source,
                        source=article.source,
                        path=article.path,
                    )
                batch.append((article, found))
            store.add_articles(batch)
            written += len(batch)
            if progress:
                rate = written / (time.perf_counter() - started)
                print(f"\r{written:,} articles ({rate:,.0f}/s)", end="", file=sys.stderr)
        if progress:
            print(file=sys.stderr)
    finally:
        store.close()
    return {
        "articles": articles,
        "mentions": sum(per_article),
        "places": places,
        "seconds": time.perf_counter() - started,
    }


def _renamed(m: Mention, place: Place, text: str) -> Mention:
    end = m.start + len(place.name)
    s_end = text.find(". ", m.sentence_start) + 1
    return Mention(
        start=m.start,
        end=end,
        surface=place.name,
        role=m.role,
        place=place,
        score=m.score,
        sentence=text[m.sentence_start : s_end],
        sentence_start=m.sentence_start,
    )


def _moved(m: Mention, shift: int, text: str) -> Mention:
    if shift == 0:
        return m
    s_start = m.sentence_start + shift
    return Mention(
        start=m.start + shift,
        end=m.end + shift,
        surface=m.surface,
        role=m.role,
        place=m.place,
        score=m.score,
        sentence=m.sentence,
        sentence_start=s_start,
    )


def cached_store(
    folder: Path, articles: int, mentions: int, places: int, progress: bool = False
) -> tuple[Path, bool]:
    """The synthetic store of this size under `folder`, built once: (path, was it cached)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"synthetic-{articles}-{mentions}-{places}.sqlite"
    done = db.with_suffix(".json")
    if db.exists() and done.exists():
        return db, True
    for stale in folder.glob(db.name + "*"):
        stale.unlink()
    info = build(db, articles, mentions, places, progress=progress)
    done.write_text(json.dumps(info), encoding="utf-8")
    return db, False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__)
    parser.add_argument("db", help="SQLite path or postgresql:// URL of a new, empty store")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--places", type=int, default=20_000)
    args = parser.parse_args(argv)
    info = build(args.db, args.articles, args.mentions, args.places, progress=True)
    print(
        f"wrote {info['articles']:,} articles, {info['mentions']:,} mentions, "
        f"{info['places']:,} places in {info['seconds']:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
