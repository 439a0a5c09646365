"""The embedded default VectorIndex: exact search in small partitions, an HNSW graph in large ones.

A partition is a :class:`~gistcache.index.flat.FlatPartition` (exact numpy search) while it holds
fewer than ``exact_below`` vectors, and an hnswlib HNSW graph from then on; it goes back to exact
when it shrinks below ``exact_below // 2`` (the gap keeps a partition at the boundary from
flapping), which also frees the graph. ``benchmarks/bench_index.py`` measured the choice of hnswlib
and the crossover (``benchmarks/results/index.md``): up to ~2k vectors exact search stays within
the index's 0.15 ms budget, is exact, and avoids hnswlib's ~2.5 MB fixed cost per graph; beyond
it exact search grows linearly (~0.3 ms at 4k, ~2.5 ms at 16k) while a graph stays near 0.2 ms.

Deletes are real: a removed id is never returned, and its graph slot is reused by the next add (the
graph's labels are slot numbers, not entry ids), so a graph never holds more slots than its
partition's peak size.

Thread safety: writers (add, remove, save, load) take one lock, so there is one writer at a time.
Each partition has its own lock, held by a search and by each short step of a writer, so a search
waits at most for one step (about ``ADD_CHUNK`` inserts), and never for a graph being built: a
partition crossing ``exact_below`` is built beside the exact one and swapped in.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import hnswlib
import numpy as np

from gistcache._errors import IndexError_, InvalidRequest
from gistcache.index._base import Hit, Vector, VectorIndex
from gistcache.index.flat import (
    MANIFEST,
    FlatPartition,
    IdArray,
    as_matrix,
    as_query,
    check_count,
    dot_rows,
    file_digest,
    pack_partitions,
    read_arrays,
    read_manifest,
    remove_unreferenced,
    top_k,
    unpack_partitions,
    write_arrays,
    write_atomic,
    write_manifest,
)

__all__ = ["InMemoryIndex"]

logger = logging.getLogger(__name__)

MEMORY_FORMAT = "gistcache-memory-index"
FORMAT_VERSION = 1
#: vectors inserted into a graph per hold of its partition's lock
ADD_CHUNK = 256
FILE_PREFIX = "mem-"


@dataclass(frozen=True)
class HnswParams:
    """How graphs are built and searched (measured in benchmarks/results/index.md)."""

    #: links per node ("M"); memory per vector grows by 8 bytes per unit
    connectivity: int = 16
    #: candidate list while inserting ("efConstruction")
    ef_construction: int = 64
    #: candidate list while searching ("ef"). 32 gives recall@5 ~0.98 at 100k clustered vectors,
    #: but bench_core's near-duplicate entries found the right one first only 69% of the time
    #: at 32 against 99.5% at 64: a missed neighbour can become a wrong answer, so 64.
    ef_search: int = 64


class HnswPartition:
    """One large partition in an hnswlib graph whose labels are slots, reused after deletes."""

    __slots__ = ("_free", "_graph", "_slot_ids", "_slots")

    def __init__(self, graph: Any, slot_ids: IdArray) -> None:
        self._graph = graph
        # label (slot) -> entry id, -1 when free; every label below len(_slot_ids) is free or live
        self._slot_ids = slot_ids
        self._slots = {int(i): s for s, i in enumerate(slot_ids.tolist()) if i >= 0}
        # A free label is a deleted node (adding under it updates the node in place) or, after a
        # failed add, a label hnswlib never saw (adding under it makes a node); both can be reused.
        self._free = [s for s in range(slot_ids.shape[0]) if slot_ids[s] < 0]

    @classmethod
    def build(
        cls, dimension: int, ids: IdArray, vectors: Vector, params: HnswParams
    ) -> HnswPartition:
        """A graph of ``vectors`` under ``ids``, built on every core."""
        graph = hnswlib.Index(space="ip", dim=dimension)
        graph.init_index(
            max_elements=max(16, len(ids) + len(ids) // 2),
            M=params.connectivity,
            ef_construction=params.ef_construction,
        )
        graph.set_ef(params.ef_search)
        graph.add_items(vectors, np.arange(len(ids)), num_threads=-1)
        return cls(graph, np.array(ids, dtype=np.int64))

    @classmethod
    def load(cls, path: Path, dimension: int, slot_ids: IdArray, ef_search: int) -> HnswPartition:
        """A graph saved by :meth:`save`, with its label -> id table."""
        graph = hnswlib.Index(space="ip", dim=dimension)
        graph.load_index(str(path))
        graph.set_ef(ef_search)
        live = int(np.count_nonzero(slot_ids >= 0))
        if slot_ids.ndim != 1 or live > int(graph.get_current_count()):
            raise ValueError(f"graph has {graph.get_current_count()} nodes, {live} ids")
        return cls(graph, np.array(slot_ids, dtype=np.int64))

    def __len__(self) -> int:
        return len(self._slots)

    def add(self, ids: list[int], matrix: Vector, threads: int) -> None:
        """Add or overwrite distinct ``ids``: same label if present, else a freed or a new one."""
        labels = np.empty(len(ids), dtype=np.int64)
        taken: list[int] = []
        next_label = self._slot_ids.shape[0]
        for n, id_ in enumerate(ids):
            slot = self._slots.get(id_)
            if slot is None:
                if self._free:
                    slot = self._free.pop()
                else:
                    slot = next_label
                    next_label += 1
                taken.append(id_)
                self._slots[id_] = slot
            labels[n] = slot
        try:
            self._reserve(len(taken), next_label)
            # hnswlib updates a label it already has in place (and un-deletes it), so reusing a
            # freed label is an update of that node; never its replace_deleted mode, which can
            # leave a stale label behind when a label is re-added.
            self._graph.add_items(matrix, labels, num_threads=threads)
        except (RuntimeError, MemoryError) as exc:
            self._undo(taken)
            raise IndexError_(f"adding {len(ids)} vectors to an HNSW graph failed: {exc}") from exc
        self._slot_ids[labels] = ids

    def remove(self, id_: int) -> bool:
        """Mark ``id_``'s node deleted (never returned again), free its label; False if absent."""
        slot = self._slots.pop(id_, None)
        if slot is None:
            return False
        self._graph.mark_deleted(slot)
        self._slot_ids[slot] = -1
        self._free.append(slot)
        return True

    def search(self, query: Vector, k: int) -> list[Hit]:
        """The ``k`` nearest live ids by cosine, best first."""
        k = min(k, len(self._slots))
        if k <= 0:
            return []
        try:
            labels, distances = self._graph.knn_query(query, k=k, num_threads=1)
        except RuntimeError:
            # hnswlib found fewer than k live nodes (possible after many deletes): be exact.
            return self._exact(query, k)
        ids: list[int] = self._slot_ids[labels[0]].tolist()
        # Space "ip" reports 1 - dot. Plain Python on k floats beats numpy calls on tiny arrays;
        # the clip catches rounding a hair outside [-1, 1].
        return [
            (i, min(1.0, max(-1.0, 1.0 - d)))
            for i, d in zip(ids, distances[0].tolist(), strict=True)
            if i >= 0
        ]

    def ids(self) -> IdArray:
        """The live ids."""
        return np.fromiter(self._slots, dtype=np.int64, count=len(self._slots))

    def to_flat(self, dimension: int) -> FlatPartition:
        """The same ids and vectors as an exact partition."""
        ids, vectors = self.items()
        flat = FlatPartition(dimension, len(ids))
        flat.extend(ids.tolist(), vectors)
        return flat

    def items(self) -> tuple[IdArray, Vector]:
        """Every live id and its vector."""
        slots = np.fromiter(self._slots.values(), dtype=np.int64, count=len(self._slots))
        ids = np.fromiter(self._slots.keys(), dtype=np.int64, count=len(self._slots))
        if not len(slots):
            return ids, np.empty((0, int(self._graph.dim)), dtype=np.float32)
        vectors = np.asarray(self._graph.get_items(slots), dtype=np.float32)
        return ids, vectors

    def save(self, path: Path) -> IdArray:
        """Write the graph to ``path`` atomically; return its label -> id table to keep beside."""
        write_atomic(path, lambda tmp: self._graph.save_index(str(tmp)))
        return np.array(self._slot_ids, dtype=np.int64)

    def _reserve(self, new_nodes: int, labels: int) -> None:
        # At most every taken label becomes a new node; grow by half to keep adds amortised O(1).
        needed = int(self._graph.get_current_count()) + new_nodes
        capacity = int(self._graph.get_max_elements())
        if needed > capacity:
            self._graph.resize_index(max(needed, capacity + capacity // 2))
        old = self._slot_ids.shape[0]
        if labels > old:
            table = np.full(labels, -1, dtype=np.int64)
            table[:old] = self._slot_ids
            self._slot_ids = table

    def _undo(self, taken: list[int]) -> None:
        # A failed add_items may have added or updated some nodes: delete whatever got in, and
        # free every label taken, so the graph holds no node that no id points to.
        for id_ in taken:
            slot = self._slots.pop(id_)
            # RuntimeError: not in the graph, or still deleted: nothing got in under this label.
            with contextlib.suppress(RuntimeError):
                self._graph.mark_deleted(slot)
            self._free.append(slot)

    def _exact(self, query: Vector, k: int) -> list[Hit]:
        ids, vectors = self.items()
        return top_k(dot_rows(vectors, query), ids, k)


Store = FlatPartition | HnswPartition


class _Partition:
    """A partition's store and the lock its searches take."""

    __slots__ = ("lock", "store")

    def __init__(self, store: Store) -> None:
        self.lock = threading.Lock()
        self.store: Store = store


class InMemoryIndex(VectorIndex):
    """In-process index: exact below ``exact_below`` vectors per partition, HNSW (hnswlib) above.

    ``connectivity``, ``ef_construction`` and ``ef_search`` are hnswlib's M, efConstruction and
    ef; ``exact_below=0`` puts every partition in a graph.
    """

    def __init__(
        self,
        dimension: int,
        *,
        exact_below: int = 2048,
        connectivity: int = 16,
        ef_construction: int = 64,
        ef_search: int = 64,
    ) -> None:
        if dimension <= 0:
            raise InvalidRequest(f"dimension must be positive, got {dimension}")
        if exact_below < 0 or connectivity < 2 or ef_construction < 1 or ef_search < 1:
            raise InvalidRequest(
                "exact_below must be >= 0, connectivity >= 2, ef_construction and ef_search >= 1"
            )
        self.dimension = dimension
        self.exact_below = exact_below
        self.params = HnswParams(connectivity, ef_construction, ef_search)
        # Searches read this dict without a lock (a single dict lookup is atomic); only writers,
        # serialised by _write_lock, change it.
        self._parts: dict[str, _Partition] = {}
        self._where: dict[int, str] = {}
        self._write_lock = threading.Lock()

    # --- VectorIndex ---------------------------------------------------------------------------

    def add(self, partition: str, ids: Sequence[int], vectors: Vector) -> None:
        """Add (or replace) vectors ``vectors[i]`` under ``ids[i]`` in ``partition``."""
        id_list, matrix = as_matrix(ids, vectors, self.dimension)
        if not id_list:
            return
        with self._write_lock:
            moved = [i for i in id_list if self._where.get(i, partition) != partition]
            self._remove_locked(moved)
            part = self._parts.get(partition)
            if part is None:
                part = self._parts[partition] = _Partition(FlatPartition(self.dimension))
            try:
                store = part.store
                if isinstance(store, HnswPartition):
                    self._add_to_graph(partition, part, store, id_list, matrix)
                else:
                    self._add_to_flat(part, store, id_list, matrix)
                    self._where.update(dict.fromkeys(id_list, partition))
            finally:
                if not len(part.store):
                    del self._parts[partition]

    def remove(self, ids: Iterable[int]) -> None:
        """Remove ids wherever they are; unknown ids are ignored."""
        id_list = [int(i) for i in ids]
        with self._write_lock:
            self._remove_locked(id_list)

    def search(self, partition: str, vector: Vector, k: int) -> list[Hit]:
        """The up to ``k`` nearest ids in ``partition``, best first, with cosine similarity."""
        query = as_query(vector, self.dimension)
        part = self._parts.get(partition)
        if part is None or k <= 0:
            return []
        with part.lock:
            return part.store.search(query, k)

    def ids(self) -> set[int]:
        """Every id the index holds."""
        with self._write_lock:
            return set(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def partition_kinds(self) -> dict[str, str]:
        """Each partition's current store, ``"exact"`` or ``"hnsw"`` (for stats and tests)."""
        with self._write_lock:
            return {
                name: "hnsw" if isinstance(p.store, HnswPartition) else "exact"
                for name, p in self._parts.items()
            }

    def close(self) -> None:
        """Drop every partition and free its memory."""
        with self._write_lock:
            self._parts, self._where = {}, {}

    # --- persistence ---------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the manifest, one .npz of exact partitions and one file per graph into ``path``.

        Data files get fresh names and the manifest is replaced last, so a crash at any point
        leaves the previous save loadable. Searches go on meanwhile; writers wait.
        """
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex[:12]
        with self._write_lock:
            flats: dict[str, FlatPartition] = {}
            graphs: dict[str, Any] = {}
            arrays: dict[str, Any] = {}
            for number, name in enumerate(sorted(self._parts)):
                store = self._parts[name].store
                if isinstance(store, FlatPartition):
                    flats[name] = store
                    continue
                file = f"{FILE_PREFIX}{token}-{number}.hnsw"
                arrays[f"slots_{number}"] = store.save(path / file)
                graphs[name] = {
                    "file": file,
                    "digest": file_digest(path / file),
                    "count": len(store),
                    "slots": f"slots_{number}",
                }
            counts, arrays["ids"], arrays["vectors"] = pack_partitions(flats, self.dimension)
            count = len(self._where)
        exact_file = f"{FILE_PREFIX}{token}-exact.npz"
        digest = write_arrays(path / exact_file, arrays)
        manifest = {
            "format": MEMORY_FORMAT,
            "version": FORMAT_VERSION,
            "dimension": self.dimension,
            "count": count,
            "exact": {"file": exact_file, "digest": digest, "partitions": counts},
            "hnsw": graphs,
        }
        write_manifest(path, manifest)
        remove_unreferenced(path, [exact_file, *(g["file"] for g in graphs.values())], FILE_PREFIX)

    def load(self, path: Path) -> bool:
        """Replace the contents with what ``save`` wrote; False (contents kept) if unusable.

        Every file's digest is checked before it is parsed, so a corrupt or truncated file is
        reported (a warning naming it) and never handed to the native library.
        """
        path = Path(path)
        manifest = read_manifest(path, MEMORY_FORMAT, self.dimension)
        if manifest is None:
            return False
        file = path / MANIFEST
        try:
            entry = manifest["exact"]
            file = path / Path(entry["file"]).name
            arrays = read_arrays(file, entry["digest"])
            stores: dict[str, Store] = dict(
                unpack_partitions(
                    entry["partitions"], arrays["ids"], arrays["vectors"], self.dimension
                )
            )
            for name, graph in manifest["hnsw"].items():
                file = path / Path(graph["file"]).name
                if file_digest(file) != graph["digest"]:
                    raise ValueError("digest mismatch (file corrupt or truncated)")
                hnsw = HnswPartition.load(
                    file,
                    self.dimension,
                    np.asarray(arrays[graph["slots"]], dtype=np.int64),
                    self.params.ef_search,
                )
                if len(hnsw) != graph["count"]:
                    raise ValueError(f"holds {len(hnsw)} ids, manifest says {graph['count']}")
                stores[str(name)] = hnsw
        except (
            OSError,
            LookupError,
            TypeError,
            ValueError,
            AttributeError,
            RuntimeError,
            BadZipFile,
        ) as exc:
            logger.warning("vector index file %s is unusable: %s", file, exc)
            return False
        where: dict[int, str] = {}
        for name, store in stores.items():
            where.update(dict.fromkeys(store.ids().tolist(), name))
        if not check_count(path, manifest, where, sum(len(s) for s in stores.values())):
            return False
        with self._write_lock:
            self._parts = {name: _Partition(store) for name, store in stores.items() if len(store)}
            self._where = where
        return True

    # --- internals (called with _write_lock held) ----------------------------------------------

    def _add_to_flat(
        self, part: _Partition, flat: FlatPartition, ids: list[int], matrix: Vector
    ) -> None:
        new = sum(1 for i in ids if i not in flat)
        if len(flat) + new < self.exact_below:
            with part.lock:
                flat.extend(ids, matrix)
            return
        # Crossing the threshold: build the graph beside the exact store (searches keep using it;
        # no other writer can change it meanwhile), then swap.
        merged = FlatPartition(self.dimension, len(flat) + new)
        merged.extend(flat.ids().tolist(), flat.vectors())
        merged.extend(ids, matrix)
        graph = self._build(merged.ids(), merged.vectors())
        with part.lock:
            part.store = graph

    def _add_to_graph(
        self,
        name: str,
        part: _Partition,
        graph: HnswPartition,
        ids: list[int],
        matrix: Vector,
    ) -> None:
        # Big batches (a rebuild from the store) use every core; single puts stay on this thread.
        threads = -1 if len(ids) >= ADD_CHUNK else 1
        for start in range(0, len(ids), ADD_CHUNK):
            chunk = ids[start : start + ADD_CHUNK]
            with part.lock:
                graph.add(chunk, matrix[start : start + ADD_CHUNK], threads)
            # Per chunk, so that a failure part way leaves _where equal to what the graph holds.
            self._where.update(dict.fromkeys(chunk, name))

    def _remove_locked(self, ids: list[int]) -> None:
        by_partition: dict[str, list[int]] = {}
        for id_ in ids:
            name = self._where.pop(id_, None)
            if name is not None:
                by_partition.setdefault(name, []).append(id_)
        for name, gone in by_partition.items():
            part = self._parts[name]
            with part.lock:
                for id_ in gone:
                    part.store.remove(id_)
            store = part.store
            if not len(store):
                del self._parts[name]
            elif isinstance(store, HnswPartition) and len(store) < self.exact_below // 2:
                flat = store.to_flat(self.dimension)
                with part.lock:
                    part.store = flat

    def _build(self, ids: IdArray, vectors: Vector) -> HnswPartition:
        try:
            return HnswPartition.build(self.dimension, ids, vectors, self.params)
        except (RuntimeError, MemoryError) as exc:
            raise IndexError_(
                f"building an HNSW graph of {len(ids)} vectors failed: {exc}"
            ) from exc
