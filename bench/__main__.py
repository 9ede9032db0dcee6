"""`make bench`: ingest speed against plain spaCy, scale-out, cold start, dashboard queries, memory.

    python -m bench                  # full run; the synthetic store is cached in bench/out/
    python -m bench --small          # seconds-long smoke run (tests/test_bench_smoke.py)

Prints a Markdown table and writes it to bench/out/results.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PY = sys.executable


@dataclass
class Row:
    name: str
    value: str
    target: str = ""
    ok: bool | None = None  # None: informational

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("yes" if self.ok else "**NO**")


@dataclass
class Sizes:
    texts: int = 200
    articles: int = 100_000
    mentions: int = 1_000_000
    places: int = 20_000
    map_places: int = 5_000


SMALL = Sizes(texts=8, articles=300, mentions=3_000, places=150, map_places=100)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def _run(cmd: list[str], **kwargs) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """Run a child process: (wall seconds, peak RSS in MB of it and its children, result)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), **kwargs
    )
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    # ru_maxrss of RUSAGE_CHILDREN is the largest finished descendant so far (KiB on Linux).
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return wall, int(peak), result


def _peak_rss_cmd(code: str) -> list[str]:
    """A child that runs `code` and prints its own peak RSS (MB) as the last line."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec from the (big) parent.
    tail = (
        "\nimport re;print(int(re.search(r'VmHWM:\\s+(\\d+)', "
        "open('/proc/self/status').read()).group(1)) // 1024)"
    )
    return [PY, "-c", code + tail]


def _timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(first call, median of the next `repeat`) in milliseconds."""
    started = time.perf_counter()
    fn()
    first = (time.perf_counter() - started) * 1000
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(runs)


# -- ingest throughput -----------------------------------------------------------------------


def bench_throughput(sizes: Sizes, rows: list[Row], notes: list[str]) -> list[str]:
    from bench.texts import news_texts, word_count
    from geo.gazetteer import Gazetteer
    from geo.ingest import ingest_articles
    from geo.models import Article
    from geo.parse.pipeline import load_nlp
    from geo.store import Store

    texts = news_texts(sizes.texts)
    words = word_count(texts)
    plain = load_nlp()  # same model, same excluded and added components, no geo_toponyms
    full = load_nlp()
    gazetteer = Gazetteer.load()
    warm = news_texts(4, seed=99)
    for _ in plain.pipe(warm):
        pass

    def run_plain() -> float:
        started = time.perf_counter()
        for _ in plain.pipe(texts, batch_size=32):
            pass
        return time.perf_counter() - started

    def run_full(profile: cProfile.Profile | None = None) -> float:
        with tempfile.TemporaryDirectory() as tmp, Store.open(str(Path(tmp) / "t.sqlite")) as st:
            articles = [Article(text=t, source="bench") for t in texts]
            # A fresh Geoparser each time: no lookup cache carried over between runs.
            started = time.perf_counter()
            if profile is not None:
                profile.enable()
            ingest_articles(articles, st, full, Gazetteer.load(gazetteer.path))
            if profile is not None:
                profile.disable()
            return time.perf_counter() - started

    ingest_articles([Article(text=t) for t in warm], Store.open(":memory:"), full, gazetteer)
    # Interleaved, best of two each, so a noisy neighbour hurts both sides alike.
    t_plain = min(run_plain(), run_plain())
    t_full = min(run_full(), run_full())
    ratio = t_plain / t_full
    rows.append(Row(f"spaCy nlp.pipe alone ({len(texts)} articles, {words:,} words)",
                    f"{t_plain:.2f} s ({words / t_plain:,.0f} words/s)"))  # fmt: skip
    rows.append(Row("full ingest: recognition + resolution + SQLite writes",
                    f"{t_full:.2f} s ({words / t_full:,.0f} words/s)"))  # fmt: skip
    rows.append(Row("ingest throughput / spaCy alone", f"{ratio:.2f}", ">= 0.85", ratio >= 0.85))
    profile = cProfile.Profile()
    run_full(profile)
    return _breakdown(profile, notes)


def _breakdown(profile: cProfile.Profile, notes: list[str]) -> list[str]:
    """Where the full path spends its time, by cumulative time of the main steps."""
    stats = pstats.Stats(profile)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    wanted = {
        ("recognize.py", "find_toponyms"): "recognition (geo_toponyms component)",
        ("resolve.py", "resolve_doc"): "resolution (resolve_doc)",
        ("resolve.py", "_proximity"): "  of which resolve._proximity (geopy great_circle)",
        ("resolve.py", "_rank"): "  of which resolve._rank",
        ("gazetteer/index.py", "candidates"): "gazetteer.candidates (cache misses)",
        ("gazetteer/index.py", "has_name"): "gazetteer.has_name (cache misses)",
        ("gazetteer/index.py", "_fuzzy"): "  of which gazetteer._fuzzy",
        ("matching.py", "from_gazetteer"): "matching.from_gazetteer (n-gram scan)",
        ("recognize.py", "_from_entity"): "recognize._from_entity",
        ("store/store.py", "add_articles"): "store writes (Store.add_articles)",
        ("numpy_ops.pyx", "gemm"): "spaCy matrix products (gemm)",
    }
    found: dict[str, float] = {}
    for (file, _, func), (_, _, _, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        for (w_file, w_func), label in wanted.items():
            if file.endswith(w_file) and func == w_func:
                found[label] = found.get(label, 0.0) + cum
    lines = [f"Profile of the full path (cProfile, total {total:.1f} s; cumulative times):", ""]
    for label in wanted.values():
        if label in found:
            lines.append(f"- {label}: {found[label]:.2f} s ({100 * found[label] / total:.0f}%)")
    notes.extend(lines)
    return lines


# -- processes -------------------------------------------------------------------------------


def bench_workers(sizes: Sizes, rows: list[Row], notes: list[str]) -> None:
    from bench.texts import news_texts

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i, text in enumerate(news_texts(sizes.texts, seed=7)):
            (corpus / f"a{i:04d}.txt").write_text(text, encoding="utf-8")
        walls: dict[int, float] = {}
        for n in (1, 2):
            db = Path(tmp) / f"w{n}.sqlite"
            code = (
                "import sys, time\nfrom geo.cli import main\n"
                f"rc = main(['ingest', {str(corpus)!r}, '--db', {str(db)!r}, '--workers', '{n}'])\n"
                "assert rc == 0, rc"
            )
            wall, _, result = _run(_peak_rss_cmd(code))
            walls[n] = wall
            peak = int(result.stdout.strip().splitlines()[-1])
            if n == 1:
                rows.append(Row("peak memory: ingest process (1 process)", f"{peak} MB"))
        speedup = walls[1] / walls[2]
        rows.append(Row(f"`python -m geo ingest` {sizes.texts} articles, 1 process",
                        f"{walls[1]:.1f} s"))  # fmt: skip
        rows.append(Row("same, `--workers 2`", f"{walls[2]:.1f} s"))
        rows.append(Row("2 processes vs 1 (end to end, incl. start-up)",
                        f"{speedup:.2f}x", ">= 1.7x", speedup >= 1.7))  # fmt: skip
        notes.append(f"CPU cores here: {os.cpu_count()}.")


# -- cold start ------------------------------------------------------------------------------


def bench_cold_start(rows: list[Row]) -> None:
    code = (
        "import time\nt0 = time.perf_counter()\nfrom geo.gazetteer import Gazetteer\n"
        "t1 = time.perf_counter()\ng = Gazetteer.load()\ng.candidates('Aleppo')\n"
        "t2 = time.perf_counter()\nprint(t1 - t0, t2 - t1)"
    )
    loads = []
    for _ in range(3):
        _, _, result = _run([PY, "-c", code])
        loads.append(tuple(float(x) for x in result.stdout.split()))
    imp, load = min(loads, key=lambda x: x[0] + x[1])
    rows.append(Row("cold start: import + Gazetteer.load() + first lookup (fresh process)",
                    f"{(imp + load) * 1000:.0f} ms (load {load * 1000:.0f} ms)",
                    "< 500 ms", imp + load < 0.5))  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        short = Path(tmp) / "short.txt"
        short.write_text(
            "Shelling hit Saraqeb in Idlib province on Tuesday, and residents fled toward "
            "the Turkish border near Bab al-Hawa, the Syrian Observatory said.\n",
            encoding="utf-8",
        )
        walls = [_run([PY, "-m", "geo", "extract", str(short)])[0] for _ in range(3)]
    wall = min(walls)
    rows.append(Row("`python -m geo extract` on a short text, end to end",
                    f"{wall:.2f} s", "< 3 s", wall < 3))  # fmt: skip


# -- dashboard -------------------------------------------------------------------------------


def bench_dashboard(sizes: Sizes, out: Path, rows: list[Row], notes: list[str]) -> Path:
    from bench.synthetic import cached_store
    from dashboard.maps import build_map
    from geo.models import Filters
    from geo.store import Store

    started = time.perf_counter()
    db, cached = cached_store(out, sizes.articles, sizes.mentions, sizes.places, progress=True)
    if not cached:
        notes.append(f"Built the synthetic store in {time.perf_counter() - started:.0f} s.")
    label = f"{sizes.articles:,} articles, {sizes.mentions:,} mentions, {sizes.places:,} places"
    with Store.open(str(db)) as store:
        year = Filters(date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31))
        towns_year = Filters(
            date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31), include_broad=False
        )
        first, med = _timed(lambda: store.place_counts(year))
        rows.append(Row(f"per-place counts, one year of dates ({label})",
                        f"{med:.0f} ms (first {first:.0f} ms)", "< 200 ms", med < 200))  # fmt: skip
        first, med = _timed(lambda: store.place_counts(towns_year))
        rows.append(Row("same, towns only (dashboard default)",
                        f"{med:.0f} ms (first {first:.0f} ms)", "< 200 ms", med < 200))  # fmt: skip
        first, med = _timed(lambda: store.place_counts(Filters()))
        rows.append(Row("per-place counts, no filter", f"{med:.0f} ms (first {first:.0f} ms)",
                        "< 200 ms", med < 200))  # fmt: skip
        counts = store.place_counts(Filters())
        top = counts[0].place
        first, med = _timed(lambda: store.passages(top.id, Filters(), limit=50))
        n = counts[0].count
        rows.append(Row(f"passages for one place (the most mentioned: {n:,} mentions, 50 shown)",
                        f"{med:.1f} ms (first {first:.1f} ms)", "< 50 ms", med < 50))  # fmt: skip
        sample = counts[len(counts) // 2].place
        first, med = _timed(lambda: store.passages(sample.id, year, limit=50))
        rows.append(Row("passages for a median place, one year", f"{med:.1f} ms",
                        "< 50 ms", med < 50))  # fmt: skip
    subset = counts[: sizes.map_places]
    timings, html = [], ""
    for _ in range(3):
        started = time.perf_counter()
        m = build_map(subset)
        html = m.get_root().render()
        timings.append(time.perf_counter() - started)
    build_s = min(timings)
    payload = len(html.encode("utf-8")) / 1e6
    rows.append(Row(f"build_map for {len(subset):,} places (build + render HTML)",
                    f"{build_s * 1000:.0f} ms", "< 1 s", build_s < 1))  # fmt: skip
    rows.append(Row("map payload (HTML)", f"{payload:.2f} MB", "< 2 MB", payload < 2))
    return db


def bench_dashboard_memory(db: Path, rows: list[Row]) -> None:
    """Peak RSS of the dashboard: the Streamlit script run headless (AppTest) on the store."""
    app = REPO / "dashboard" / "app.py"
    code = (
        "import os\n"
        f"os.environ['GEO_DB'] = {str(db)!r}\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(app)!r}, default_timeout=300)\n"
        "at.run()\n"
        "assert not at.exception, at.exception"
    )
    wall, _, result = _run(_peak_rss_cmd(code))
    peak = int(result.stdout.strip().splitlines()[-1])
    rows.append(Row("peak memory: dashboard process (first page run on the synthetic store)",
                    f"{peak} MB ({wall:.1f} s)"))  # fmt: skip


def bench_browser(sizes: Sizes, out: Path, rows: list[Row], notes: list[str]) -> None:
    """First page, marker click and filter change in Chromium on the synthetic store."""
    from bench import browser, floor
    from bench.synthetic import cached_store

    if not Path(browser.CHROMIUM).exists():
        notes.append("Browser latencies skipped: Debian's chromium is not installed.")
        return
    db, _ = cached_store(out, sizes.articles, sizes.mentions, sizes.places, progress=True)
    repeat = 1 if sizes == SMALL else 5  # the smoke run only proves the code still works
    for name, med, details in browser.measure(db, repeat=repeat):
        targeted = "cache warm" not in name  # the returning user's row is for comparison
        rows.append(
            Row(
                f"browser: {name}, median of {repeat}",
                details,
                "< 1 s" if targeted else "",
                med < browser.TARGET_S if targeted else None,
            )
        )
    for name, _, details in floor.measure(repeat=repeat):
        rows.append(Row(f"browser floor: {name}, median of {repeat}", details))
    notes.append(
        "Browser rows: Chromium via Playwright against `python -m dashboard` on the synthetic "
        "store; script run = the user's WebSocket message to Streamlit's script-finished "
        "message; browser = the rest (st_folium evaluating and drawing the map). Floor rows: the "
        "same harness on a bare Streamlit page, the base map alone, and a rerun on that page "
        "(bench/floor.py); no page of this stack loads or answers faster here."
    )


# -- report ----------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    lines = ["| benchmark | measured | target | met |", "|---|---|---|---|"]
    lines += [f"| {r.name} | {r.value} | {r.target} | {r.verdict} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for results and the store")
    parser.add_argument(
        "--only", action="append", default=[],
        choices=["ingest", "workers", "memory", "cold", "dashboard", "browser"],
        help="run only these parts",
    )  # fmt: skip
    args = parser.parse_args(argv)
    out: Path = args.out
    sizes = SMALL if args.small else Sizes()
    parts = set(args.only) or {"ingest", "workers", "memory", "cold", "dashboard", "browser"}
    rows: list[Row] = []
    notes: list[str] = []
    started = time.perf_counter()
    if "ingest" in parts:
        bench_throughput(sizes, rows, notes)
    if "workers" in parts:
        bench_workers(sizes, rows, notes)
    if "memory" in parts:
        from bench.memory import bench_ingest_memory

        bench_ingest_memory(args.small, rows, Row, _run, _peak_rss_cmd)
    if "cold" in parts:
        bench_cold_start(rows)
    if "dashboard" in parts:
        db = bench_dashboard(sizes, out, rows, notes)
        from bench.reading import bench_reading

        bench_reading(db, rows, Row)
        bench_dashboard_memory(db, rows)
    if "browser" in parts:
        bench_browser(sizes, out, rows, notes)
    import platform

    header = (
        f"Measured {dt.date.today().isoformat()} on {platform.machine()}, "
        f"{os.cpu_count()} CPU cores, Python {platform.python_version()}, SQLite store."
    )
    text = "\n".join([header, "", table(rows), "", *notes, ""])
    print(text)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(text, encoding="utf-8")
    (out / "results.json").write_text(
        json.dumps([r.__dict__ for r in rows], indent=1), encoding="utf-8"
    )
    print(f"(written to {out / 'results.md'} in {time.perf_counter() - started:.0f} s)",
          file=sys.stderr)  # fmt: skip
    missed = [r.name for r in rows if r.ok is False]
    if missed:
        print(f"missed targets: {'; '.join(missed)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
