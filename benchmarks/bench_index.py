"""Compare embedded vector-index libraries to choose gistcache's default VectorIndex.

Run (about 5 minutes on 2 cores; ``--quick`` for a 10k-only smoke run)::

    .venv/bin/python benchmarks/bench_index.py --out benchmarks/results/index.md

Backends: plain numpy brute force, faiss flat (IndexIDMap2 over IndexFlatIP), faiss HNSW
(IndexHNSWFlat), hnswlib (if installed: it has no wheel), usearch (f32 and f16 storage), voyager,
all HNSW ones with M=16, efConstruction=64, and gistcache's own InMemoryIndex (cells routed by a
voyager graph, behind its lock and bookkeeping), on 384-dim float32 unit vectors, one partition.
Data: *copies* (bench_core's shape: 2,000 real QQP questions embedded by the default
OnnxEmbedder, each followed by noisy copies at cosine ~0.90; the case that makes HNSW lose
entries), *clustered* (synthetic topics) and *uniform* (the sphere). Each (backend, data set,
size) runs in its own process so that resident memory is that backend's alone. Search is timed
one query at a time with k=5 on one thread (the cache's case); builds use every core. Recall@5
and recall@1 are against exact numpy search.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

DIM = 384
K = 5
M = 16
EF_CONSTRUCTION = 64
EF_SEARCH = 32
EF_SWEEP = (16, 32, 64, 128)
ANN_QUERIES = 1000
EXACT_QUERIES = 200
DELETE_COUNT = 100
BUILD_THREADS = os.cpu_count() or 1
BACKENDS = ("numpy", "faiss-hnsw", "hnswlib", "usearch", "voyager", "gistcache")
KINDS = ("copies", "clustered", "uniform")
#: uniform vectors are HNSW's worst case and slow to build: at 100k only the exact baseline and the
#: chosen library run (at 10k every backend does), to keep the whole run under ~5 minutes
UNIFORM_100K = ("numpy", "voyager")
#: stored vectors searched for themselves (is each one found first?), per backend and data set
OWN_QUERIES = 5000
QQP = Path("/work/shared/data/qqp_pairs.jsonl.gz")
#: bench_core's noise: a stored copy at cosine ~0.90 to its real question, a query at ~0.97
COPY_SIGMA, QUERY_SIGMA = 0.0247, 0.0128
MILLION = int(os.environ.get("BENCH_INDEX_MILLION", "1000000"))
MILLION_QUERIES = 1000
CROSSOVER_SIZES = (1000, 2000, 3000, 4000, 6000, 8000, 16000)
NOTES_MARK = "<!-- notes: written by hand, kept when the tables above are regenerated -->"


def _unit(x: F32) -> F32:
    out: F32 = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    return out


def real_questions(count: int) -> F32:
    """``count`` QQP questions embedded by gistcache's default embedder (cached on disk)."""
    import gzip

    from _embcache import CachedEmbedder

    from gistcache.embedders import OnnxEmbedder

    texts: dict[str, None] = {}
    with gzip.open(QQP, "rt", encoding="utf-8") as fh:
        for row in fh:
            pair = json.loads(row)
            for text in (pair["a"], pair["b"]):
                text = " ".join(text.split())
                if 15 <= len(text) <= 160 and text.endswith("?"):
                    texts.setdefault(text, None)
                if len(texts) >= count:
                    break
            if len(texts) >= count:
                break
    embedder = CachedEmbedder(
        OnnxEmbedder, name=OnnxEmbedder.name, dimension=DIM, store="bench-index-qqp"
    )
    out: F32 = np.asarray(embedder.embed(list(texts)), dtype=np.float32)
    return out


def make_dataset(kind: str, n: int, n_queries: int, seed: int = 0) -> tuple[F32, F32]:
    """Vectors and queries: ``copies`` (bench_core's near-copies of real questions, in its
    order), ``clustered`` (topics plus paraphrases) or ``uniform`` on the sphere."""
    rng = np.random.default_rng(seed)
    if kind == "copies":
        real = real_questions(2000)
        source = np.arange(n) % len(real)
        data = real[source].copy()
        noise = rng.standard_normal((n - len(real), DIM), dtype=np.float32) * COPY_SIGMA
        data[len(real) :] = _unit(real[source[len(real) :]] + noise)
        half = n_queries // 2
        targets = rng.integers(0, n, half)
        paraphrases = _unit(
            data[targets] + rng.standard_normal((half, DIM), dtype=np.float32) * QUERY_SIGMA
        )
        fresh = _unit(
            real[rng.integers(0, len(real), n_queries - half)]
            + rng.standard_normal((n_queries - half, DIM), dtype=np.float32) * COPY_SIGMA * 2
        )
        return data, np.concatenate([paraphrases, fresh])
    if kind == "uniform":
        return (
            _unit(rng.standard_normal((n, DIM), dtype=np.float32)),
            _unit(rng.standard_normal((n_queries, DIM), dtype=np.float32)),
        )
    # Cache entries group by topic: ~100 entries per topic centre, at cosine ~0.7 to it (~0.5 to
    # each other). Half of the queries paraphrase a stored entry (cosine ~0.95), half are new
    # questions on a known topic: the hit and the near-miss cases of a semantic cache.
    centres = _unit(rng.standard_normal((max(10, n // 100), DIM), dtype=np.float32))
    noise = 0.05

    def around(points: F32, scale: float) -> F32:
        return _unit(points + rng.standard_normal(points.shape, dtype=np.float32) * scale)

    data = around(centres[rng.integers(0, len(centres), n)], noise)
    half = n_queries // 2
    paraphrases = around(data[rng.integers(0, n, half)], 0.0165)
    fresh = around(centres[rng.integers(0, len(centres), n_queries - half)], noise)
    return data, np.concatenate([paraphrases, fresh])


def exact_top_k(data: F32, queries: F32, k: int) -> I64:
    """Row indices of the exact top-k by inner product, best first."""
    out = np.empty((len(queries), k), dtype=np.int64)
    for start in range(0, len(queries), 256):
        scores = queries[start : start + 256] @ data.T
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
        out[start : start + 256] = np.take_along_axis(part, order, axis=1)
    return out


def rss_bytes() -> int:
    """Resident set size of this process, from /proc."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# --- backends: build, add one, search one, remove one, save, load ------------------------------


class Backend:
    """What every compared library must do, in the cache's terms."""

    ann = False

    def build(self, ids: I64, data: F32) -> None:
        raise NotImplementedError

    def add(self, ids: I64, data: F32) -> None:
        raise NotImplementedError

    def search(self, q: F32, k: int) -> list[tuple[int, float]]:
        raise NotImplementedError

    def remove(self, key: int) -> None:
        raise NotImplementedError

    def save(self, path: Path) -> None:
        raise NotImplementedError

    def load(self, path: Path) -> None:
        raise NotImplementedError

    def set_ef(self, ef: int) -> None:
        pass

    def single_thread(self) -> None:
        pass

    def footprint(self) -> int:
        """Vector slots (or bytes) the library holds: unchanged after delete+add = slots reused."""
        return rss_bytes()


class NumpyBackend(Backend):
    """Contiguous matrix + ids, swap-with-last delete: what FlatIndex does."""

    def build(self, ids: I64, data: F32) -> None:
        self.ids = ids.copy()
        self.mat = data.copy()
        self.pos = {int(i): p for p, i in enumerate(ids)}

    def add(self, ids: I64, data: F32) -> None:
        start = len(self.ids)
        self.ids = np.concatenate([self.ids, ids])
        self.mat = np.concatenate([self.mat, data])
        self.pos.update({int(i): start + p for p, i in enumerate(ids)})

    def search(self, q: F32, k: int) -> list[tuple[int, float]]:
        scores = self.mat @ q
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return list(zip(self.ids[top].tolist(), scores[top].tolist(), strict=True))

    def remove(self, key: int) -> None:
        p = self.pos.pop(key)
        last = len(self.ids) - 1
        if p != last:
            self.mat[p] = self.mat[last]
            self.ids[p] = self.ids[last]
            self.pos[int(self.ids[p])] = p
        self.mat = self.mat[:last]
        self.ids = self.ids[:last]

    def save(self, path: Path) -> None:
        with open(path, "wb") as f:
            np.save(f, self.ids, allow_pickle=False)
            np.save(f, self.mat, allow_pickle=False)

    def load(self, path: Path) -> None:
        with open(path, "rb") as f:
            self.ids = np.load(f, allow_pickle=False)
            self.mat = np.load(f, allow_pickle=False)
        self.pos = {int(i): p for p, i in enumerate(self.ids)}

    def footprint(self) -> int:
        return int(self.mat.shape[0])


class FaissBackend(Backend):
    """faiss IndexFlatIP or IndexHNSWFlat, under IndexIDMap2 when deletes work."""

    def __init__(self, hnsw: bool) -> None:
        import faiss

        self.faiss = faiss
        self.ann = hnsw
        self.hnsw = hnsw

    def build(self, ids: I64, data: F32) -> None:
        faiss = self.faiss
        faiss.omp_set_num_threads(BUILD_THREADS)
        if self.hnsw:
            inner = faiss.IndexHNSWFlat(DIM, M, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = EF_CONSTRUCTION
            inner.hnsw.efSearch = EF_SEARCH
        else:
            inner = faiss.IndexFlatIP(DIM)
        self.index = faiss.IndexIDMap2(inner)
        self.index.add_with_ids(data, ids)

    def add(self, ids: I64, data: F32) -> None:
        self.index.add_with_ids(data, ids)

    def search(self, q: F32, k: int) -> list[tuple[int, float]]:
        dist, lab = self.index.search(q[None, :], k)
        keep = lab[0] >= 0
        return list(zip(lab[0][keep].tolist(), dist[0][keep].tolist(), strict=True))

    def remove(self, key: int) -> None:
        # IndexHNSWFlat raises "remove_ids not implemented": faiss HNSW cannot really delete.
        self.index.remove_ids(np.array([key], dtype=np.int64))

    def save(self, path: Path) -> None:
        self.faiss.write_index(self.index, str(path))

    def load(self, path: Path) -> None:
        self.index = self.faiss.read_index(str(path))

    def set_ef(self, ef: int) -> None:
        hnsw = self.faiss.downcast_index(self.index.index)
        hnsw.hnsw.efSearch = ef  # type: ignore[attr-defined]

    def single_thread(self) -> None:
        self.faiss.omp_set_num_threads(1)

    def footprint(self) -> int:
        return int(self.index.ntotal)


class HnswlibBackend(Backend):
    """hnswlib with mark_deleted and slot reuse (allow_replace_deleted)."""

    ann = True

    def __init__(self) -> None:
        import hnswlib

        self.hnswlib = hnswlib

    def build(self, ids: I64, data: F32) -> None:
        self.index = self.hnswlib.Index(space="ip", dim=DIM)
        self.index.init_index(
            max_elements=len(ids), M=M, ef_construction=EF_CONSTRUCTION, allow_replace_deleted=True
        )
        self.index.set_ef(EF_SEARCH)
        self.index.add_items(data, ids, num_threads=BUILD_THREADS)

    def add(self, ids: I64, data: F32) -> None:
        self.index.add_items(data, ids, num_threads=1, replace_deleted=True)

    def search(self, q: F32, k: int) -> list[tuple[int, float]]:
        lab, dist = self.index.knn_query(q, k=k, num_threads=1)
        return [(int(i), 1.0 - float(d)) for i, d in zip(lab[0], dist[0], strict=True)]

    def remove(self, key: int) -> None:
        self.index.mark_deleted(key)

    def save(self, path: Path) -> None:
        self.index.save_index(str(path))

    def load(self, path: Path) -> None:
        self.index = self.hnswlib.Index(space="ip", dim=DIM)
        self.index.load_index(str(path), allow_replace_deleted=True)
        self.index.set_ef(EF_SEARCH)

    def set_ef(self, ef: int) -> None:
        self.index.set_ef(ef)

    def footprint(self) -> int:
        return int(self.index.get_current_count())


class UsearchBackend(Backend):
    """usearch Index, inner product, vectors stored as ``dtype`` (f32, or f16 for half memory)."""

    ann = True

    def __init__(self, dtype: str = "f32") -> None:
        import usearch.index

        self.dtype = dtype
        self.usearch = usearch.index

    def build(self, ids: I64, data: F32) -> None:
        self.index = self.usearch.Index(
            ndim=DIM,
            metric="ip",
            dtype=self.dtype,
            connectivity=M,
            expansion_add=EF_CONSTRUCTION,
            expansion_search=EF_SEARCH,
        )
        self.index.add(ids, data, threads=BUILD_THREADS)

    def add(self, ids: I64, data: F32) -> None:
        self.index.add(ids, data, threads=1)

    def search(self, q: F32, k: int) -> list[tuple[int, float]]:
        m = self.index.search(q, k, threads=1)
        return list(zip(m.keys.tolist(), (1.0 - m.distances).tolist(), strict=True))

    def remove(self, key: int) -> None:
        self.index.remove(key)

    def save(self, path: Path) -> None:
        self.index.save(str(path))

    def load(self, path: Path) -> None:
        restored = self.usearch.Index.restore(str(path))
        if restored is None:
            raise RuntimeError(f"usearch could not restore {path}")
        self.index = restored

    def set_ef(self, ef: int) -> None:
        self.index.expansion_search = ef  # type: ignore[misc]  # a setter the stubs miss

    def footprint(self) -> int:
        return int(self.index.memory_usage)


class VoyagerBackend(Backend):
    """voyager (Spotify's HNSW, binary wheels), inner product, ids as labels, mark_deleted."""

    ann = True

    def __init__(self) -> None:
        import voyager

        self.voyager = voyager

    def build(self, ids: I64, data: F32) -> None:
        v = self.voyager
        self.index = v.Index(
            v.Space.InnerProduct, num_dimensions=DIM, M=M, ef_construction=EF_CONSTRUCTION
        )
        self.index.ef = EF_SEARCH
        self.index.add_items(data, ids.tolist(), num_threads=BUILD_THREADS)

    def add(self, ids: I64, data: F32) -> None:
        self.index.add_items(data, ids.tolist(), num_threads=1)

    def search(self, q: F32, k: int) -> list[tuple[int, float]]:
        lab, dist = self.index.query(q, k=k, num_threads=1)
        return [(int(i), 1.0 - float(d)) for i, d in zip(lab, dist, strict=True)]

    def remove(self, key: int) -> None:
        self.index.mark_deleted(key)

    def save(self, path: Path) -> None:
        self.index.save(str(path))

    def load(self, path: Path) -> None:
        self.index = self.voyager.Index.load(str(path))
        self.index.ef = EF_SEARCH

    def set_ef(self, ef: int) -> None:
        self.index.ef = ef

    def footprint(self) -> int:
        return int(self.index.num_elements)


class GistcacheBackend(Backend):
    """gistcache's InMemoryIndex with its defaults: the whole wrapper, lock and all."""

    ann = True

    def __init__(self) -> None:
        from gistcache.index import InMemoryIndex

        self.make = InMemoryIndex

    def build(self, ids: I64, data: F32) -> None:
        self.index = self.make(DIM, ef_search=EF_SEARCH)
        self.index.add("p", ids.tolist(), data)

    def add(self, ids: I64, data: F32) -> None:
        for i, v in zip(ids.tolist(), data, strict=True):
            self.index.add("p", [i], v[None, :])

    def search(self, q: F32, k: int) -> list[tuple[int, float]]:
        return self.index.search("p", q, k)

    def remove(self, key: int) -> None:
        self.index.remove([key])

    def save(self, path: Path) -> None:
        self.index.save(path)

    def load(self, path: Path) -> None:
        self.index = self.make(DIM, ef_search=EF_SEARCH)
        if not self.index.load(path):
            raise RuntimeError("InMemoryIndex.load returned False")

    def set_ef(self, ef: int) -> None:
        self.index.params = dataclasses.replace(self.index.params, ef_search=ef)
        for part in self.index._parts.values():
            graph = getattr(part.store, "_graph", None)
            if graph is not None:
                graph.ef = ef

    def footprint(self) -> int:
        # Rows ever used (live + free): unchanged after delete + add when freed rows are reused.
        parts = self.index._parts.values()
        return sum(int(getattr(part.store, "_used", len(part.store))) for part in parts)


def make_backend(name: str) -> Backend:
    """The backend called ``name``."""
    makers: dict[str, Callable[[], Backend]] = {
        "numpy": NumpyBackend,
        "faiss-flat": lambda: FaissBackend(hnsw=False),
        "faiss-hnsw": lambda: FaissBackend(hnsw=True),
        "hnswlib": HnswlibBackend,
        "usearch": UsearchBackend,
        "usearch-f16": lambda: UsearchBackend("f16"),
        "voyager": VoyagerBackend,
        "gistcache": GistcacheBackend,
    }
    return makers[name]()


# --- one measured run (in a child process) ------------------------------------------------------


def run_one(name: str, data_file: Path, save_path: Path) -> dict[str, Any]:
    """Build, memory, save/load and delete measurements of one backend; leaves a save behind."""
    with np.load(data_file, allow_pickle=False) as z:
        data, queries = z["data"], z["queries"]
    b = make_backend(name)
    n = len(data)
    out: dict[str, Any] = {"backend": name, "n": n}

    rss0 = rss_bytes()
    t = time.perf_counter()
    b.build(np.arange(n, dtype=np.int64), data)
    out["build_s"] = time.perf_counter() - t
    out["mem_mb"] = (rss_bytes() - rss0) / 2**20
    b.single_thread()

    t = time.perf_counter()
    b.save(save_path)
    out["save_s"] = time.perf_counter() - t
    files = list(save_path.iterdir()) if save_path.is_dir() else [save_path]
    out["file_mb"] = sum(f.stat().st_size for f in files) / 2**20
    before = [i for i, _ in b.search(queries[0], K)]
    t = time.perf_counter()
    b.load(save_path)
    out["load_s"] = time.perf_counter() - t
    b.single_thread()
    out["load_same"] = [i for i, _ in b.search(queries[0], K)] == before

    # Deletes: one id per call (the cache evicts one entry at a time), then ask for each removed
    # vector: a real delete never returns it. Then add as many new vectors: is the space reused?
    victims = np.random.default_rng(1).choice(n, DELETE_COUNT, replace=False).tolist()
    held = b.footprint()
    samples: list[int] = []
    try:
        for v in victims:
            t0 = time.perf_counter_ns()
            b.remove(v)
            samples.append(time.perf_counter_ns() - t0)
    except RuntimeError as exc:
        out["delete"] = "unsupported: " + str(exc).split(":")[-1].strip()[:40]
        return out
    out["delete_us"] = float(np.median(samples)) / 1e3
    gone = set(victims)
    out["deleted_returned"] = sum(any(i in gone for i, _ in b.search(data[v], K)) for v in victims)
    out["freed_at_once"] = b.footprint() < held
    t = time.perf_counter()
    b.add(np.arange(n, n + DELETE_COUNT, dtype=np.int64), data[victims] * np.float32(-1))
    out["readd_s"] = time.perf_counter() - t
    out["slots_reused"] = b.footprint() <= held
    return out


def percentiles_us(samples_ns: list[int]) -> dict[str, float]:
    """p50/p90/p99 of nanosecond samples, in microseconds."""
    a = np.asarray(samples_ns, dtype=np.float64) / 1e3
    return {f"p{p}": float(np.percentile(a, p)) for p in (50, 90, 99)}


def interleaved(
    backends: dict[str, Backend], queries: F32, limit: dict[str, int]
) -> dict[str, tuple[list[int], list[list[tuple[int, float]]]]]:
    """Time each query on every backend in turn, so that load from outside hits all alike."""
    names = list(backends)
    for name in names:  # warm caches and lazy initialisation
        for q in queries[:20]:
            backends[name].search(q, K)
    out: dict[str, tuple[list[int], list[list[tuple[int, float]]]]] = {n: ([], []) for n in names}
    for j, q in enumerate(queries):
        for r in range(len(names)):  # rotate who goes first
            name = names[(j + r) % len(names)]
            if j >= limit[name]:
                continue
            b = backends[name]
            t = time.perf_counter_ns()
            hits = b.search(q, K)
            out[name][0].append(time.perf_counter_ns() - t)
            out[name][1].append(hits)
    return out


def recall(hits: list[list[tuple[int, float]]], truth: I64) -> float:
    """Recall@K of ``hits`` against exact top-K row indices."""
    found = sum(len({i for i, _ in h} & set(truth[j].tolist())) for j, h in enumerate(hits))
    return found / (len(hits) * K)


def run_latency(data_file: Path, saved: list[str]) -> dict[str, Any]:
    """Search latency, recall and the efSearch sweep of every saved backend, interleaved."""
    with np.load(data_file, allow_pickle=False) as z:
        data, queries, truth = z["data"], z["queries"], z["truth"]
    backends: dict[str, Backend] = {}
    for spec in saved:
        name, path = spec.split("=", 1)
        b = make_backend(name)
        b.load(Path(path))
        b.single_thread()
        backends[name] = b
    limit = {n: ANN_QUERIES if b.ann else EXACT_QUERIES for n, b in backends.items()}
    res: dict[str, Any] = {n: {} for n in backends}
    half = len(queries) // 2

    def found(hits: list[list[tuple[int, float]]]) -> float:
        # The first half of the clustered queries paraphrase a stored entry: a cache hit.
        para = range(min(half, len(hits)))
        return sum(int(truth[j, 0]) in {i for i, _ in hits[j]} for j in para) / len(para)

    for ef in (EF_SEARCH, *(e for e in EF_SWEEP if e != EF_SEARCH)):
        ann = {n: b for n, b in backends.items() if b.ann}
        for b in ann.values():
            b.set_ef(ef)
        timed = interleaved(backends if ef == EF_SEARCH else ann, queries, limit)
        for name, (samples, hits) in timed.items():
            lat = percentiles_us(samples)
            if backends[name].ann:
                res[name].setdefault("sweep", {})[str(ef)] = {
                    "p50": lat["p50"],
                    "recall": recall(hits, truth),
                    "found": found(hits),
                }
            if ef != EF_SEARCH:
                continue
            res[name].update(lat)
            res[name]["recall"] = recall(hits, truth)
            res[name]["recall1"] = float(
                np.mean([bool(h) and h[0][0] == int(truth[j, 0]) for j, h in enumerate(hits)])
            )
            exact = np.einsum("ij,ij->i", queries[: len(hits)], data[truth[: len(hits), 0]])
            res[name]["sim_err"] = max(
                abs(h[0][1] - float(s)) for h, s in zip(hits, exact, strict=True)
            )
            res[name]["top1_found"] = found(hits)
    # Is every stored vector found first by itself? (HNSW's lost entries are not.)
    rows = np.random.default_rng(3).choice(len(data), min(OWN_QUERIES, len(data)), replace=False)
    # A different id with an identical vector (two texts that embed alike) counts as found.
    def missed(hits: list[tuple[int, float]], row: int) -> bool:
        return not hits or (hits[0][0] != row and hits[0][1] < 1.0 - 1e-5)

    for name, b in backends.items():
        if b.ann:
            b.set_ef(EF_SEARCH)  # the sweep above left the last ef set: check at the main one
            res[name]["own_missed"] = sum(missed(b.search(data[r], 1), r) for r in rows.tolist())
            res[name]["own_checked"] = len(rows)
    # Back to back on one backend, caches stay warm: the best case, for comparison.
    for name, b in backends.items():
        if b.ann:
            b.set_ef(EF_SEARCH)
        hot = interleaved({name: b}, queries, limit)[name][0]
        res[name]["p50_hot"] = percentiles_us(hot)["p50"]
    return res


# --- crossover and many-partitions measurements -------------------------------------------------


class FlatPartitionBackend(NumpyBackend):
    """gistcache's FlatPartition, the exact store of small partitions."""

    def build(self, ids: I64, data: F32) -> None:
        from gistcache.index.flat import FlatPartition

        self.part = FlatPartition(DIM, len(ids))
        self.part.extend(ids.tolist(), data)

    def search(self, q: F32, k: int) -> list[tuple[int, float]]:
        return self.part.search(q, k)


def run_crossover(max_size: int) -> dict[str, Any]:
    """Search p50 of exact vs HNSW on growing partitions, interleaved: where a graph pays."""
    res: dict[str, Any] = {"flat": {}, "numpy matmul": {}, "voyager": {}}
    for size in (s for s in CROSSOVER_SIZES if s <= max_size):
        data, queries = make_dataset("clustered", size, 500, seed=size)
        truth = exact_top_k(data, queries, K)
        backends: dict[str, Backend] = {
            "flat": FlatPartitionBackend(),
            "numpy matmul": NumpyBackend(),
            "voyager": VoyagerBackend(),
        }
        for b in backends.values():
            b.build(np.arange(size, dtype=np.int64), data)
            b.single_thread()
        backends["voyager"].set_ef(EF_SEARCH)
        timed = interleaved(backends, queries, dict.fromkeys(backends, len(queries)))
        for name, (samples, hits) in timed.items():
            res[name][str(size)] = {
                "p50": percentiles_us(samples)["p50"],
                "recall": recall(hits, truth),
            }
    return res


def run_partitions(name: str, count: int, size: int) -> dict[str, Any]:
    """Resident memory per partition when there are many tiny partitions of ``size`` vectors."""
    rng = np.random.default_rng(2)
    vecs = _unit(rng.standard_normal((count * size, DIM), dtype=np.float32))
    keep: list[Any] = []
    if name == "gistcache":
        from gistcache.index import InMemoryIndex

        index = InMemoryIndex(DIM)
        keep.append(index)
    rss0 = rss_bytes()
    t = time.perf_counter()
    for p in range(count):
        ids = np.arange(p * size, (p + 1) * size, dtype=np.int64)
        if name == "gistcache":
            index.add(f"tenant-{p}", ids.tolist(), vecs[p * size : (p + 1) * size])
            continue
        b = make_backend(name)
        b.build(ids, vecs[p * size : (p + 1) * size])
        keep.append(b)
    return {
        "kb_per_partition": (rss_bytes() - rss0) / count / 1024,
        "create_us": (time.perf_counter() - t) / count * 1e6,
    }


# --- one million entries ------------------------------------------------------------------------


def run_million_build(kind: str, n: int, dtype: str, out: Path) -> dict[str, Any]:
    """Build gistcache's index of ``n`` vectors, check it, save it; queries + truth beside it."""
    from gistcache.index import InMemoryIndex

    data, queries = make_dataset(kind, n, MILLION_QUERIES)
    truth = np.concatenate(
        [(queries[i : i + 100] @ data.T).argmax(axis=1) for i in range(0, len(queries), 100)]
    )
    np.savez(out / "queries.npz", queries=queries, truth=truth)
    index = InMemoryIndex(DIM, vector_dtype=dtype)
    rss0 = rss_bytes()
    t = time.perf_counter()
    index.add("p", list(range(n)), data)  # one batch, as a rebuild from the store gives it
    res: dict[str, Any] = {"build_s": time.perf_counter() - t}
    res["index_mb"] = (rss_bytes() - rss0) / 2**20
    store = index._parts["p"].store
    res["cells"] = int(getattr(store, "cells", 0))
    rows = np.random.default_rng(3).choice(n, OWN_QUERIES, replace=False).tolist()
    res["own_missed"] = sum(
        (lambda h, r: not h or (h[0][0] != r and h[0][1] < 1.0 - 1e-5))(
            index.search("p", data[r], 1), r
        )
        for r in rows
    )
    res["own_checked"] = len(rows)
    t = time.perf_counter()
    index.save(out / "index")
    res["save_s"] = time.perf_counter() - t
    res["file_mb"] = sum(f.stat().st_size for f in (out / "index").iterdir()) / 2**20
    return res


def run_million_load(dtype: str, out: Path) -> dict[str, Any]:
    """In a fresh process: load the saved index, then the process's RSS, latency and recall@1."""
    from gistcache.index import InMemoryIndex

    with np.load(out / "queries.npz", allow_pickle=False) as z:
        queries, truth = z["queries"], z["truth"]
    index = InMemoryIndex(DIM, vector_dtype=dtype)
    t = time.perf_counter()
    if not index.load(out / "index"):
        raise RuntimeError("load returned False")
    res: dict[str, Any] = {"load_s": time.perf_counter() - t, "rss_mb": rss_bytes() / 2**20}
    for q in queries[:20]:
        index.search("p", q, K)
    samples, first = [], []
    for q in queries:
        t0 = time.perf_counter_ns()
        hits = index.search("p", q, K)
        samples.append(time.perf_counter_ns() - t0)
        first.append(hits[0][0] if hits else -1)
    res.update(percentiles_us(samples))
    res["recall1"] = float(np.mean(np.asarray(first) == truth))
    half = len(queries) // 2
    res["recall1_paraphrase"] = float(np.mean(np.asarray(first[:half]) == truth[:half]))
    return res


def child(argv: list[str]) -> None:
    """Entry point of a measuring subprocess; prints one JSON line."""
    mode = argv[0]
    if mode == "run":
        res = run_one(argv[1], Path(argv[2]), Path(argv[3]))
    elif mode == "latency":
        res = run_latency(Path(argv[1]), argv[2:])
    elif mode == "crossover":
        res = run_crossover(int(argv[1]))
    elif mode == "million-build":
        res = run_million_build(argv[1], int(argv[2]), argv[3], Path(argv[4]))
    elif mode == "million-load":
        res = run_million_load(argv[1], Path(argv[2]))
    else:
        res = run_partitions(argv[1], int(argv[2]), int(argv[3]))
    print(json.dumps(res))


def spawn(*args: str) -> Any:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- report --------------------------------------------------------------------------------------


def fmt_main(rows: list[dict[str, Any]]) -> list[str]:
    """The main comparison table."""
    lines = [
        "| data | n | backend | build s | adds/s | search p50 µs | p90 | p99 | p50 hot | recall@5 "
        "| recall@1 | own vector missed | paraphrase found | delete p50 µs | deletes real | save s "
        "| load s | file MB | RSS MB |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
        "---:|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['data']} | {r['n']} | {r['backend']} | error: {r['error']} |")
            continue
        if "delete" in r:
            delete, real = "—", r["delete"]
        else:
            reused = (
                "freed at once"
                if r["freed_at_once"]
                else "slots reused"
                if r["slots_reused"]
                else "memory grows"
            )
            real = (
                f"yes, {reused}"
                if r["deleted_returned"] == 0
                else f"NO ({r['deleted_returned']} returned)"
            )
            delete = f"{r['delete_us']:.1f}"
        found = f"{r['top1_found']:.3f}" if r["data"] != "uniform" else "—"
        own = f"{r['own_missed']} of {r['own_checked']}" if "own_missed" in r else "—"
        lines.append(
            f"| {r['data']} | {r['n'] // 1000}k | {r['backend']} | {r['build_s']:.2f} "
            f"| {r['n'] / r['build_s']:,.0f} | {r['p50']:.0f} | {r['p90']:.0f} | {r['p99']:.0f} "
            f"| {r['p50_hot']:.0f} "
            f"| {r['recall']:.3f} | {r['recall1']:.3f} | {own} | {found} | {delete} | {real} "
            f"| {r['save_s']:.3f} "
            f"| {r['load_s']:.3f} | {r['file_mb']:.1f} | {r['mem_mb']:.0f} |"
        )
    return lines


def fmt_sweep(rows: list[dict[str, Any]]) -> list[str]:
    """Recall and latency against efSearch for the HNSW libraries."""
    lines = [
        "| data | n | backend | "
        + " | ".join(f"ef={ef}: p50 µs / recall / found" for ef in EF_SWEEP)
        + " |",
        "|---|---:|---|" + "---:|" * len(EF_SWEEP),
    ]
    for r in rows:
        if "sweep" not in r:
            continue
        sweep = r["sweep"]
        cells = [
            f"{sweep[str(ef)]['p50']:.0f} / {sweep[str(ef)]['recall']:.3f}"
            + (f" / {sweep[str(ef)]['found']:.3f}" if r["data"] != "uniform" else "")
            for ef in EF_SWEEP
        ]
        lines.append(
            f"| {r['data']} | {r['n'] // 1000}k | {r['backend']} | " + " | ".join(cells) + " |"
        )
    return lines


def machine() -> str:
    """One line describing this machine."""
    cpu = "unknown cpu"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = []
    for dist in ("numpy", "faiss-cpu", "hnswlib", "usearch", "voyager"):
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{dist} (not installed)")
    return (
        f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}, "
        f"Python {platform.python_version()}, " + ", ".join(versions)
    )


def main() -> None:
    """Run every measurement and print (and optionally write) the markdown report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="also write the markdown report here")
    ap.add_argument("--quick", action="store_true", help="10k vectors only")
    ap.add_argument("--backends", default=",".join(BACKENDS))
    ap.add_argument("--kinds", default=",".join(KINDS), help="data sets (default: all)")
    ap.add_argument(
        "--million",
        default="",
        help="only the one-million-entry run of gistcache's index: KIND:DTYPE,... "
        "(e.g. copies:float16,clustered:float16); appends its table to --out",
    )
    args = ap.parse_args()
    if args.million:
        million(args.million.split(","), args.out)
        return
    sizes = (10_000,) if args.quick else (10_000, 100_000)
    backends = args.backends.split(",")
    if "hnswlib" in backends and importlib.util.find_spec("hnswlib") is None:
        backends.remove("hnswlib")  # no wheel: compared only where someone compiled it
    kinds = args.kinds.split(",")
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    rows: list[dict[str, Any]] = []
    cross: dict[str, Any] = {}
    parts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            for n in sizes:
                data, queries = make_dataset(kind, n, ANN_QUERIES)
                f = Path(tmp) / f"{kind}-{n}.npz"
                np.savez(f, data=data, queries=queries, truth=exact_top_k(data, queries, K))
                saved: dict[str, dict[str, Any]] = {}
                for name in backends:
                    if kind == "uniform" and n > 10_000 and name not in UNIFORM_100K:
                        continue
                    path = Path(tmp) / f"{kind}-{n}-{name}.index"
                    r = spawn("run", name, str(f), str(path))
                    r.update(data=kind, n=n, backend=name)
                    rows.append(r)
                    if "error" not in r:
                        saved[name] = r
                    print(f"{kind} {n} {name}: {r}", file=sys.stderr)
                lat = spawn(
                    "latency",
                    str(f),
                    *(f"{m}={Path(tmp) / f'{kind}-{n}-{m}.index'}" for m in saved),
                )
                for name, r in saved.items():
                    r.update(lat.get(name, {"error": lat.get("error", "no latency")}))
                for path in Path(tmp).glob(f"{kind}-{n}-*.index"):
                    if path.is_dir():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
        cross = spawn("crossover", str(sizes[-1]))
        for name in ("numpy", "voyager", "usearch", "gistcache"):
            parts[name] = spawn("partitions", name, "1000", "5")

    lines = [
        "# Vector index benchmark",
        "",
        "Command: `.venv/bin/python benchmarks/bench_index.py --out benchmarks/results/index.md`"
        + (" --quick" if args.quick else ""),
        "",
        f"Machine: {machine()}. Total run time {time.perf_counter() - started:.0f} s; "
        f"1-minute load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the "
        "end (other work on the machine inflates latencies and build times).",
        "",
        f"384-dim float32 unit vectors, one partition, k={K}, one query at a time on one thread "
        f"({ANN_QUERIES} queries for ANN, {EXACT_QUERIES} for exact backends); builds on "
        f"{BUILD_THREADS} threads. HNSW: M={M}, efConstruction={EF_CONSTRUCTION}, "
        f"efSearch={EF_SEARCH} in the main table. *clustered*: n/100 topic centres, entries at "
        "cosine ~0.7 to their centre; half the queries paraphrase an entry, half are new questions "
        "on a topic. *uniform*: uniform on the sphere (the worst case for HNSW). Searches are "
        "timed interleaved (each query on every backend in turn, from saved indexes loaded into "
        "one process) so that outside load hits all backends alike. Latency includes "
        "the Python call and turning the result into (id, cosine) pairs. "
        f"Deletes: {DELETE_COUNT} ids "
        "removed one call each, then each removed vector is searched for (a real delete never "
        "returns it), then as many new vectors are added (does memory grow or are slots reused?). "
        "*search p50/p90/p99* are interleaved, so caches are cold-ish, as in the cache where an "
        "embedding runs between two searches; *p50 hot* is the same backend queried back to back. "
        "RSS = resident memory added by building the index. *paraphrase found*: share of the "
        "paraphrase queries whose stored original is among the 5 results (a cache hit found). "
        "*gistcache* = `InMemoryIndex` (cells routed by a voyager graph at the same ef) called as "
        "the cache does, lock and all. *recall@1*: the first result is the exact nearest. *own "
        f"vector missed*: of {OWN_QUERIES:,} stored vectors searched for themselves, how many "
        "were not returned first, nor an identical vector (an entry no search finds). "
        "*copies*: 2,000 real QQP questions (default OnnxEmbedder) each followed by noisy "
        "copies at cosine ~0.90, stored in bench_core's order; half the queries paraphrase an "
        "entry (cosine ~0.97).",
        "",
        "## Main table",
        "",
        *fmt_main(rows),
        "",
        "## Recall@5 and p50 latency against efSearch",
        "",
        *fmt_sweep(rows),
        "",
        "## Exact vs ANN search p50 (µs) by partition size (clustered; where ANN starts paying)",
        "",
        "*flat* = gistcache's `FlatPartition` (`np.vecdot`, one thread); *numpy matmul* = the "
        "same search with `matrix @ query`, which BLAS spreads over every core: when the other "
        "core is busy its share waits for a time slice (milliseconds); *voyager* at the default "
        "ef. Interleaved.",
        "",
        "| backend | " + " | ".join(str(s) for s in CROSSOVER_SIZES if s <= sizes[-1]) + " |",
        "|---|" + "---:|" * sum(1 for s in CROSSOVER_SIZES if s <= sizes[-1]),
    ]
    if "error" in cross:
        lines.append(f"| error: {cross['error']} |")
    for name, res in cross.items() if "error" not in cross else []:
        lines.append(
            f"| {name} | "
            + " | ".join(
                f"{v['p50']:.0f}" + ("" if v["recall"] >= 0.999 else f" (r={v['recall']:.2f})")
                for v in res.values()
            )
            + " |"
        )
    lines += [
        "",
        "## Many tiny partitions (1000 partitions × 5 vectors)",
        "",
        "| backend | RSS KB per partition | create µs per partition |",
        "|---|---:|---:|",
    ]
    for name, res in parts.items():
        if "error" in res:
            lines.append(f"| {name} | error: {res['error']} | |")
        else:
            lines.append(f"| {name} | {res['kb_per_partition']:.1f} | {res['create_us']:.0f} |")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        # The written reading of the numbers follows the tables; a rerun keeps it.
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        notes = old[old.index(NOTES_MARK) :] if NOTES_MARK in old else ""
        args.out.write_text(report + ("\n" + notes if notes else ""), encoding="utf-8")


def million(specs: list[str], out: Path | None) -> None:
    """Build, save, reload and search gistcache's index at 1M entries; print and append a table."""
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    lines = [
        "| data | rows stored as | build s | adds/s | cells | own vector missed | save s | file MB "
        "| load s | process RSS MB after load | search p50 µs | p90 | p99 | recall@1 "
        "| recall@1 paraphrases |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for spec in specs:
        kind, dtype = spec.split(":")
        with tempfile.TemporaryDirectory() as tmp:
            built = spawn("million-build", kind, str(MILLION), dtype, tmp)
            print(f"million {spec} build: {built}", file=sys.stderr, flush=True)
            loaded = spawn("million-load", dtype, tmp) if "error" not in built else built
            print(f"million {spec} load: {loaded}", file=sys.stderr, flush=True)
        if "error" in built or "error" in loaded:
            lines.append(f"| {kind} | {dtype} | error: {built.get('error') or loaded['error']} |")
            continue
        r = built | loaded
        lines.append(
            f"| {kind} | {dtype} | {r['build_s']:.0f} | {MILLION / r['build_s']:,.0f} "
            f"| {r['cells']:,} | {r['own_missed']} of {r['own_checked']:,} | {r['save_s']:.1f} "
            f"| {r['file_mb']:,.0f} | {r['load_s']:.1f} | {r['rss_mb']:,.0f} | {r['p50']:.0f} "
            f"| {r['p90']:.0f} | {r['p99']:.0f} | {r['recall1']:.4f} "
            f"| {r['recall1_paraphrase']:.4f} |"
        )
    report = "\n".join(
        [
            "## One million entries (gistcache's InMemoryIndex)",
            "",
            f"Command: `.venv/bin/python benchmarks/bench_index.py --million {','.join(specs)}`. "
            f"{MILLION:,} vectors in one partition, added in one batch (as a rebuild from the "
            f"store or an import does: built in bulk); {MILLION_QUERIES:,} queries (half "
            "paraphrase a stored entry) timed one at a time on one thread in a fresh process "
            "that loaded the saved index; recall@1 "
            "against exact search. *process RSS* is the whole Python process after the load "
            f"(numpy, voyager, the index). {time.perf_counter() - started:.0f} s; 1-minute load "
            f"average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
            "",
            *lines,
        ]
    )
    print(report)
    if out is not None:
        old = out.read_text(encoding="utf-8") if out.exists() else ""
        out.write_text(old.rstrip("\n") + "\n\n" + report + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
