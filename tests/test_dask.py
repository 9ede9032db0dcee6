"""Scale-out: an ingest on a Dask cluster stores exactly what a local ingest stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.ingest.run import ingest_paths
from geo.models import Article
from geo.store import Store
from tests.conftest import SEEDS


def _corpus(tmp_path: Path) -> Path:
    from bench.texts import news_texts

    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate(news_texts(12, seed=3)):
        (folder / f"gen_{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def _stored(db: Path) -> tuple[list[tuple], list[tuple]]:
    with Store.open(str(db)) as store:
        rows = [
            (r.path, r.place_id, r.start, r.end, r.surface, r.role, round(r.score, 6), r.sentence)
            for r in store.mention_rows()
        ]
        counts = [(pc.place.id, pc.count, pc.articles) for pc in store.place_counts()]
    return sorted(rows), sorted(counts)


def test_batches_are_bounded_by_count_and_size() -> None:
    from geo.ingest.run import BATCH_CHARS, _batches

    short = [Article(text=f"t{i}") for i in range(69)]
    batches = list(_batches(iter(short), 9))
    assert [a for b in batches for a in b] == short and max(map(len, batches)) == 9
    long = [Article(text=f"{i}" + "x" * (BATCH_CHARS // 2)) for i in range(5)]
    assert [len(b) for b in _batches(iter(long), 32)] == [2, 2, 1]


def test_dask_ingest_matches_local_ingest(tmp_path: Path) -> None:
    from distributed import LocalCluster

    corpus = _corpus(tmp_path)
    paths = [SEEDS, corpus]
    local_db, dask_db = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    with Store.open(str(local_db)) as store:
        local = ingest_paths(paths, store, workers=1)
    assert local.ok and local.added == 17

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Store.open(str(dask_db)) as store,
    ):
        remote = ingest_paths(paths, store, dask_address=cluster.scheduler_address)
    assert remote.ok and remote.added == local.added

    local_rows, local_counts = _stored(local_db)
    dask_rows, dask_counts = _stored(dask_db)
    assert len(local_rows) > 100
    assert dask_rows == local_rows
    assert dask_counts == local_counts


def test_process_pool_ingest_matches_in_process(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    with Store.open(str(one)) as store:
        assert ingest_paths([corpus], store, workers=1).added == 12
    # 12 articles are below the two-process threshold: force it through the pool anyway.
    import geo.ingest.run as ingest

    old = ingest.MIN_ARTICLES_PER_WORKER
    ingest.MIN_ARTICLES_PER_WORKER = 1
    try:
        with Store.open(str(two)) as store:
            assert ingest_paths([corpus], store, workers=2).added == 12
    finally:
        ingest.MIN_ARTICLES_PER_WORKER = old
    assert _stored(two) == _stored(one)


def test_small_inputs_stay_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import geo.ingest.parallel as parallel

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started for a handful of articles")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    with Store.open(str(tmp_path / "s.sqlite")) as store:
        report = ingest_paths([SEEDS], store, workers=8)
    assert report.added == 5


def test_process_pool_ingest_matches_local_ingest(tmp_path: Path) -> None:
    """Two forked workers (model inherited, gazetteer reopened) store what one process stores."""
    from bench.texts import news_texts

    folder = tmp_path / "many"
    folder.mkdir()
    for i, text in enumerate(news_texts(40, seed=5)):
        (folder / f"n_{i:03d}.txt").write_text(text[:1500], encoding="utf-8")
    one_db, two_db = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    with Store.open(str(one_db)) as store:
        assert ingest_paths([folder], store, workers=1).added == 40
    with Store.open(str(two_db)) as store:
        assert ingest_paths([folder], store, workers=2).added == 40
    assert _stored(one_db) == _stored(two_db)
