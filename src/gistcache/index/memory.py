"""The embedded default VectorIndex: exact search in small partitions, routed cells in large ones.

A partition is a :class:`~gistcache.index.flat.FlatPartition` (exact numpy search) while it holds
fewer than ``exact_below`` vectors, and a :class:`CellPartition` from then on; it goes back to
exact when it shrinks below ``exact_below // 2`` (the gap keeps a partition at the boundary from
flapping).

**Why cells.** An HNSW graph alone loses entries: when more than ~2·M entries are each closer to
one central entry than to one another (near-copies of one question), the neighbour-selection
heuristic of every HNSW library keeps only ~2·M of them in the centre's link list and none in
each other's, so the rest have no incoming link and no search reaches them (24 % of 100k
bench_core entries with hnswlib, voyager and usearch alike; ``benchmarks/results/index.md``).
So a large partition groups its entries into *cells*: an entry joins the cell whose centroid is
nearest when that centroid is at least ``cell_threshold`` similar and the cell has room, and
otherwise founds a new cell with itself as centroid. Only centroids go into the HNSW graph
(voyager); near-copies share a cell instead of crowding a graph node. A search asks the graph for
the ``probes`` (at least ``k``) nearest centroids and ranks the members of those cells exactly.

**The guarantee: every live entry is returned for its own vector.** After each add, every new
entry, and every member of the cells near a new centroid (a new centroid can push another cell out
of a nearby entry's probes), is searched for: when its own cell is not among the cells its own
vector probes, the entry moves into the first cell that vector does probe. Centroids never move,
so a move changes no other entry's probes. Graph inserts can still, rarely, push a far cell out
of reach; :meth:`InMemoryIndex.maintain` re-checks entries a slice at a time (and
:meth:`InMemoryIndex.verify` all of them), so that the guarantee holds between adds too.

**Bulk builds.** A batch of at least ``bulk_from`` (65,536) new vectors that at least doubles
its partition — an import, a rebuild from the store — is built in one go instead
(:meth:`CellPartition.bulk`): len/16 entries drawn at random are the centroids, each entry joins
the first cell its own vector probes, and the graph is frozen from then on (later adds join the
first cell they probe; no centroid is added, so none can be cut off). A search there ranks more
cells when their centroids are about as near as the nearest (:meth:`CellPartition._widened`).
1M vectors: 134-599 s, recall@1 0.990-1.000 (``benchmarks/results/index.md``).

**Isolated entries.** The guarantee is about an entry's own vector. A question unlike every
stored one (nearest centroid below cosine ``LONELY_BELOW`` when added) founds a cell the graph
may not lead even a close paraphrase to, so such entries are also kept in a small exact side
list that every search ranks too.

Deletes are real: a removed entry leaves its cell at once (and is never returned); an emptied
cell's centroid is marked deleted in the graph and its label reused by the next new cell, so the
graph never holds more nodes than the partition's peak number of cells.

Thread safety: writers (add, remove, save, load, maintain) take one lock, so there is one writer
at a time. Each partition has its own lock, held by a search and by each short step of a writer,
so a search waits at most for one step (``ADD_CHUNK`` adds), and never for a partition being
built: a partition crossing ``exact_below`` is built beside the exact one and swapped in.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import numpy as np
import numpy.typing as npt
import voyager

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

__all__ = ["CellParams", "CellPartition", "InMemoryIndex"]

logger = logging.getLogger(__name__)

MEMORY_FORMAT = "gistcache-memory-index"
#: 1 was hnswlib graphs of entries; 2 is cells routed by a voyager graph of centroids
FORMAT_VERSION = 2
#: vectors added per hold of a partition's lock (and per routing batch)
ADD_CHUNK = 256
FILE_PREFIX = "mem-"
#: entries re-checked per :meth:`InMemoryIndex.maintain` call, per partition
MAINTAIN_SLICE = 4096
#: entries per cell, on average, in a partition built in bulk (searches rank ``probes`` cells)
BUILD_CELL = 16
#: a batch of at least this many new vectors (or one that doubles a partition) builds in bulk
BULK_FROM = 65536
#: links per node ("M") and efConstruction of a bulk-built partition's (frozen) graph
#: (M=32, 200 against 16, 64: recall@1 0.999 against 0.981 at 300k clustered vectors, for
#: search p50 ~0.7 against ~0.5 ms and a 1.6x longer build)
BULK_M, BULK_EF_CONSTRUCTION = 32, 200
#: a search of a partition built in bulk ranks up to this many times ``probes`` cells ...
WIDEN = 8
#: ... when their centroids are this close (cosine) to the nearest centroid's similarity
WIDEN_MARGIN = 0.1
#: an entry added when the nearest centroid was less similar than this is "isolated": the graph
#: finds its own vector (the guarantee) but may not lead a paraphrase of it there (a question
#: unlike every stored one: cosine ~0.15, seen in bench_backends), so it is also searched exactly
LONELY_BELOW = 0.3
#: vectors routed per graph query while building in bulk (bounds the float32 copy)
BUILD_ROUTE_CHUNK = 65536

_STORAGE = {"float32": voyager.StorageDataType.Float32, "e4m3": voyager.StorageDataType.E4M3}


@dataclass(frozen=True)
class CellParams:
    """How large partitions are built and searched (measured in benchmarks/results/index.md)."""

    #: links per graph node ("M")
    connectivity: int = 16
    #: candidate list while inserting a centroid ("efConstruction")
    ef_construction: int = 64
    #: candidate list while searching the centroid graph ("ef")
    ef_search: int = 64
    #: an entry joins the nearest cell when its centroid is at least this similar (cosine)
    cell_threshold: float = 0.8
    #: routing adds no entry to a cell this full (a reachability move may)
    cell_capacity: int = 128
    #: cells whose members a search ranks (at least its k). 8 against 4: recall@1 0.999 against
    #: 0.995 on 100k bench_core-shaped vectors, for ~+10 % search time
    probes: int = 8
    #: storage of the entry vectors that are ranked: "float32" or "float16" (half the memory)
    vector_dtype: str = "float32"
    #: storage of the centroids in the graph (routing only): "float32" or "e4m3" (a quarter)
    graph_dtype: str = "float32"
    #: older entries re-checked per entry added (the amortised sweep; 0 leaves it to maintain)
    sweep: float = 1.0


def _new_graph(dimension: int, params: CellParams, capacity: int) -> Any:
    graph = voyager.Index(
        voyager.Space.InnerProduct,
        num_dimensions=dimension,
        M=params.connectivity,
        ef_construction=params.ef_construction,
        max_elements=max(16, capacity),
        storage_data_type=_STORAGE[params.graph_dtype],
    )
    graph.ef = params.ef_search
    return graph


class CellPartition:
    """One large partition: entries in cells of near neighbours, the centroids in a graph."""

    __slots__ = (
        "_cell_rows",
        "_cursor",
        "_free_cells",
        "_free_rows",
        "_frozen",
        "_graph",
        "_lonely",
        "_row_cell",
        "_row_ids",
        "_row_of",
        "_rows",
        "_used",
        "dimension",
        "params",
    )

    def __init__(self, dimension: int, params: CellParams, capacity: int = 0) -> None:
        self.dimension = dimension
        self.params = params
        self._graph = _new_graph(dimension, params, capacity // 8)
        dtype = np.dtype(params.vector_dtype)
        # Row r holds one entry's vector; free rows (-1 id) are reused before the array grows.
        self._rows: npt.NDArray[Any] = np.empty((capacity, dimension), dtype=dtype)
        self._row_ids: IdArray = np.full(capacity, -1, dtype=np.int64)
        self._row_cell: IdArray = np.full(capacity, -1, dtype=np.int64)
        self._used = 0  # rows below this have been used (live or in _free_rows)
        self._free_rows: list[int] = []
        self._row_of: dict[int, int] = {}
        # Cell c (the graph label of its centroid) -> its rows; [] when free.
        self._cell_rows: list[list[int]] = []
        # Labels free for a new cell: deleted in the graph, or (emptied by a move) still there.
        self._free_cells: set[int] = set()
        self._cursor = 0  # where maintain() resumes its re-check
        self._frozen = False  # built in bulk: no centroid is ever added (see bulk())
        # Isolated entries (LONELY_BELOW), also kept here and searched exactly on every query.
        self._lonely = FlatPartition(dimension)

    @classmethod
    def build(
        cls, dimension: int, ids: IdArray, vectors: Vector, params: CellParams
    ) -> CellPartition:
        """A partition of ``vectors`` under distinct ``ids``, routed as :meth:`add` routes them
        (the cells a cache that grows by single puts gets), on every core."""
        # No sweep while building: graph inserts can cut off an entry checked earlier in the
        # build, so one full check at the end replaces it.
        part = cls(dimension, dataclasses.replace(params, sweep=0.0), len(ids))
        id_list = ids.tolist()
        for start in range(0, len(id_list), ADD_CHUNK):
            part.add(id_list[start : start + ADD_CHUNK], vectors[start : start + ADD_CHUNK], -1)
        part.params = params
        part._fix(list(part._row_of.values()), -1)
        return part

    @classmethod
    def bulk(
        cls, dimension: int, ids: IdArray, vectors: Vector, params: CellParams
    ) -> CellPartition:
        """A partition of ``vectors`` under distinct ``ids``, built in bulk on every core.

        Routing entries one by one (as :meth:`add` does) founds a cell for almost every entry
        of diverse or densely copied data, so the graph ends up as large as a plain HNSW graph
        and a million entries take an hour (benchmarks/results/index.md). A bulk build instead
        draws ``len/BUILD_CELL`` centroids from the entries themselves (a random sample follows
        the data's density), puts only those in the graph, and gives each entry the first cell
        its own stored vector probes. That is the search's own probe (same graph, same ef), so
        every entry is found by its own vector without a separate check. Cells are Voronoi
        cells of the sample (~BUILD_CELL entries on average, whatever ``cell_threshold`` and
        ``cell_capacity`` say).

        The graph is then frozen: a later add joins the first cell its vector probes, and no
        centroid is ever added. Loose cells break :meth:`_recheck`'s rule (a new centroid can
        cut off a cell it does not outrank: measured, 20-70 entries lost per 2,000 adds at
        100k), while a graph that never changes keeps every entry found by its own vector.
        The cost is cells that grow with the partition until the next bulk build.
        """
        n = len(ids)
        part = cls(dimension, params, 0)  # its graph is replaced below: allocate none yet
        if n == 0:
            return part
        part._rows = np.empty((n, dimension), dtype=np.dtype(params.vector_dtype))
        part._rows[:] = vectors
        part._row_ids = np.full(n, -1, dtype=np.int64)
        part._row_cell = np.full(n, -1, dtype=np.int64)
        count = max(1, -(-n // BUILD_CELL))
        # The graph holds len/BUILD_CELL centroids and never changes: a denser, more carefully
        # built one is cheap here and routes more queries to their true nearest cells.
        part._graph = _new_graph(
            dimension,
            dataclasses.replace(params, connectivity=max(params.connectivity, BULK_M),
                                ef_construction=max(params.ef_construction, BULK_EF_CONSTRUCTION)),
            count,
        )
        # Seeded by the size: the same data builds the same index.
        picks = np.sort(np.random.default_rng(n).choice(n, count, replace=False))
        labels = part._take_cells(count)
        stored = part._rows  # routed at stored precision: what maintain() and verify() check
        try:
            part._graph.add_items(
                np.asarray(stored[picks], dtype=np.float32), labels, num_threads=-1
            )
        except (RuntimeError, MemoryError) as exc:
            raise IndexError_(f"adding {count} centroids to an HNSW graph failed: {exc}") from exc
        cells = np.empty(n, dtype=np.int64)
        for start in range(0, n, BUILD_ROUTE_CHUNK):
            block = np.asarray(stored[start : start + BUILD_ROUTE_CHUNK], dtype=np.float32)
            cells[start : start + len(block)] = part._probe(block, params.probes, -1)[:, 0]
        part._row_ids[:n] = ids
        part._row_cell[:n] = cells
        part._used = n
        part._row_of = dict(zip(np.asarray(ids).tolist(), range(n), strict=True))
        order = np.argsort(cells, kind="stable")
        bounds = np.searchsorted(cells[order], np.arange(count + 1))
        for cell in range(count):
            part._cell_rows[cell] = order[bounds[cell] : bounds[cell + 1]].tolist()
        # A sampled centroid that no entry routes to (another one at the same place took them):
        # its node is deleted now, as an emptied cell's is.
        for cell in range(count):
            if not part._cell_rows[cell]:
                part._free_cell(cell)
        part._frozen = True
        return part

    # --- reads ----------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._row_of)

    @property
    def cells(self) -> int:
        """The number of live cells (graph nodes not deleted)."""
        return len(self._cell_rows) - len(self._free_cells)

    def search(self, query: Vector, k: int) -> list[Hit]:
        """The ``k`` nearest live ids by cosine among the cells the query probes, best first."""
        if k <= 0 or not self._row_of:
            return []
        want = max(k, self.params.probes)
        probed = self._widened(query, want) if self._frozen else None
        if probed is None:
            probed = self._probe(query[None, :], want, 1)[0].tolist()
        cell_rows = self._cell_rows
        rows: list[int] = []
        for cell in probed:
            if cell >= 0:
                rows += cell_rows[cell]
        index = np.array(rows, dtype=np.int64)
        hits = top_k(self._scores(index, query), self._row_ids[index], k)
        if not len(self._lonely):
            return hits
        best = dict(hits)
        for id_, sim in self._lonely.search(query, k):
            best[id_] = max(sim, best.get(id_, -2.0))
        return sorted(best.items(), key=lambda hit: -hit[1])[:k]

    def _widened(self, query: Vector, want: int) -> list[int] | None:
        """The ``want`` nearest cells, and up to WIDEN times as many when their centroids are
        about as near (within WIDEN_MARGIN of the nearest); None when the graph falls short.

        Inside a dense cluster (hundreds of near-copies of one question) the sampled centroids
        are all about equally near a query, so which ``want`` of them it probes is noise, and the
        nearest entry often sits in another: measured at 1M near-copies, recall@1 of paraphrase
        queries 0.978 with 8 cells. The graph search costs the same for more results (its
        candidate list, ``ef``, is longer anyway); only the ranked rows grow, and only there.
        The first cell is the one :meth:`_add_frozen` and :meth:`bulk` route by, unchanged.
        """
        wide = min(WIDEN * want, self.params.ef_search, self.cells)
        if wide <= want:
            return None
        try:
            labels, distances = self._graph.query(query, k=wide)
        except voyager.RecallError:
            return None
        near = 1.0 - np.asarray(distances, dtype=np.float32)  # inner-product space: 1 - dot
        keep = want + int(np.count_nonzero(near[want:] >= near[0] - WIDEN_MARGIN))
        out: list[int] = np.asarray(labels[:keep], dtype=np.int64).tolist()
        return out

    def ids(self) -> IdArray:
        """The live ids."""
        return np.fromiter(self._row_of, dtype=np.int64, count=len(self._row_of))

    def items(self) -> tuple[IdArray, Vector]:
        """Every live id and its vector (float32, copied)."""
        rows = np.fromiter(self._row_of.values(), dtype=np.int64, count=len(self._row_of))
        return self._row_ids[rows], np.asarray(self._rows[rows], dtype=np.float32)

    def to_flat(self, dimension: int) -> FlatPartition:
        """The same ids and vectors as an exact partition."""
        ids, vectors = self.items()
        flat = FlatPartition(dimension, len(ids))
        flat.extend(ids.tolist(), vectors)
        return flat

    def unreachable(self, ids: Iterable[int] | None = None) -> list[int]:
        """The live ids (of ``ids``, default all) that a search for their own vector misses."""
        rows = [self._row_of[i] for i in (self._row_of if ids is None else ids)]
        return [int(self._row_ids[r]) for r in self._misrouted(rows, -1)]

    # --- writes ---------------------------------------------------------------------------------

    def add(self, ids: list[int], matrix: Vector, threads: int) -> None:
        """Add or overwrite distinct ``ids``; each is then returned for its own vector.

        All or nothing: when the graph cannot take a new centroid (out of memory), IndexError_
        and the partition is as it was.
        """
        replaced = [i for i in ids if i in self._row_of]
        if self._frozen:
            self._add_frozen(ids, matrix, replaced, threads)
            return
        plan, founders, isolated = self._plan(matrix, threads)
        self._reserve(len(ids) - len(replaced))
        labels = self._take_cells(len(founders))
        if labels:
            try:
                self._graph.add_items(founders, labels, num_threads=threads)
            except (RuntimeError, MemoryError) as exc:
                self._undo_cells(labels)
                raise IndexError_(
                    f"adding {len(labels)} centroids to an HNSW graph failed: {exc}"
                ) from exc
        left = self._remove_replaced(replaced)
        rows = self._take_rows(len(ids))
        founder_rows: dict[int, int] = {}  # new cell -> the row of the entry that founds it
        for row, target in zip(rows, plan, strict=True):
            if target < 0:
                founder_rows.setdefault(-1 - target, row)
        self._place(rows, ids, [labels[-1 - t] if t < 0 else t for t in plan])
        self._rows[rows] = matrix
        self._keep_lonely(ids, np.asarray(self._rows[rows], np.float32), isolated)
        self._release_empty_cells(left)
        if labels:
            self._recheck(rows, founders, labels, [founder_rows[j] for j in range(len(labels))],
                          threads)
        # Graph inserts can also cut an older centroid off (HNSW pruning), anywhere near them:
        # re-check as many older entries as were added, so that a sweep ends every len(self) adds.
        self.maintain(int(len(ids) * self.params.sweep), threads)

    def _add_frozen(
        self, ids: list[int], matrix: Vector, replaced: list[int], threads: int
    ) -> None:
        """Add to a partition built in bulk: each vector joins the first cell it probes."""
        left = self._remove_replaced(replaced)
        self._reserve(len(ids))
        rows = self._take_rows(len(ids))
        self._rows[rows] = matrix
        # Routed at stored precision, by the probe a search for that vector makes.
        stored = np.asarray(self._rows[rows], dtype=np.float32)
        cells, sims = self._route(stored, threads)
        if min(cells) < 0:  # no live cell at all: cannot happen while the partition has entries
            raise IndexError_("a partition built in bulk has no cell left to add to")
        self._place(rows, ids, cells)
        self._keep_lonely(ids, stored, [sim < LONELY_BELOW for sim in sims])
        self._release_empty_cells(left - set(cells))

    def _remove_replaced(self, replaced: list[int]) -> set[int]:
        """Remove the rows of ids about to be added again; the cells they left (kept even when
        emptied, until the new rows are placed)."""
        left: set[int] = set()
        for id_ in replaced:
            row = self._row_of[id_]
            left.add(int(self._row_cell[row]))
            self._remove_row(row, free_cell=False)
        return left

    def _place(self, rows: list[int], ids: list[int], cells: list[int]) -> None:
        """Record that row ``rows[i]`` holds ``ids[i]``, a member of cell ``cells[i]``."""
        for row, id_, cell in zip(rows, ids, cells, strict=True):
            self._row_ids[row] = id_
            self._row_cell[row] = cell
            self._row_of[id_] = row
            self._cell_rows[cell].append(row)

    def _recheck(
        self,
        rows: list[int],
        founders: Vector,
        labels: list[int],
        founder_rows: list[int],
        threads: int,
    ) -> None:
        """After new centroids went into the graph: fix every entry they may have cut off.

        An entry that joined a cell the graph routed it to is found by its own vector as long as
        the graph is unchanged. New centroids change it: check the founders and the other entries
        of new cells, and the entries near a new centroid (in the cells it probes) that rank it
        above their own cell's centroid, since only those can see their own cell pushed out of
        their probes.
        """
        probes = self.params.probes
        near = self._probe(founders, 2 * probes, threads)
        # The first `probes` of these are what a search from a founder probes (same ef, same
        # path), so a founder is checked without a search of its own.
        lost = ~(near[:, :probes] == np.array(labels, dtype=np.int64)[:, None]).any(axis=1)
        fix = [founder_rows[j] for j in np.flatnonzero(lost).tolist()]
        candidates = set(rows)
        for cell in np.unique(near[near >= 0]).tolist():
            candidates.update(self._cell_rows[cell])
        candidates.difference_update(founder_rows)
        if not candidates:
            self._fix(fix, threads)
            return
        index = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
        vectors = np.asarray(self._rows[index], dtype=np.float32)
        own = self._row_cell[index]
        centroids = np.asarray(self._graph.get_vectors(own.tolist()), dtype=np.float32)
        own_sim = np.einsum("ij,ij->i", vectors, centroids)
        new_sim = (vectors @ founders.T).max(axis=1)
        # Centroids read back from a quantised graph are off by up to ~1e-2: widen the margin.
        margin = 1e-4 if self.params.graph_dtype == "float32" else 0.05
        risky = (new_sim >= own_sim - margin) | np.isin(own, labels)
        self._fix(fix + index[risky].tolist(), threads)

    def remove(self, id_: int) -> bool:
        """Remove ``id_`` (never returned again); an emptied cell is freed. False if absent."""
        row = self._row_of.get(id_)
        if row is None:
            return False
        self._remove_row(row, free_cell=True)
        return True

    def maintain(self, budget: int, threads: int) -> int:
        """Re-check up to ``budget`` entries (resuming where the last call stopped); moves."""
        if not self._used:
            return 0
        start = self._cursor % self._used
        stop = min(self._used, start + budget)
        rows = [r for r in range(start, stop) if self._row_ids[r] >= 0]
        self._cursor = stop
        return self._fix(rows, threads)

    # --- persistence ----------------------------------------------------------------------------

    def save(self, path: Path) -> dict[str, Any]:
        """Write the graph to ``path``; return the arrays to keep beside it (ids, rows, cells)."""
        write_atomic(path, lambda tmp: self._graph.save(str(tmp)))
        rows = np.fromiter(self._row_of.values(), dtype=np.int64, count=len(self._row_of))
        return {
            "ids": self._row_ids[rows],
            "vectors": self._rows[rows],
            "cells": self._row_cell[rows],
            "cell_count": np.array([len(self._cell_rows)], dtype=np.int64),
            "frozen": np.array([int(self._frozen)], dtype=np.int64),
            "lonely": self._lonely.ids().copy(),
        }

    @classmethod
    def load(
        cls, path: Path, dimension: int, arrays: dict[str, Any], params: CellParams
    ) -> CellPartition:
        """A partition saved by :meth:`save`; ValueError when the parts disagree."""
        ids = np.asarray(arrays["ids"], dtype=np.int64)
        vectors = np.asarray(arrays["vectors"])
        cells = np.asarray(arrays["cells"], dtype=np.int64)
        cell_count = int(np.asarray(arrays["cell_count"]).reshape(-1)[0])
        n = ids.shape[0]
        if vectors.shape != (n, dimension) or cells.shape != (n,):
            raise ValueError(f"{ids.shape} ids, {vectors.shape} vectors, {cells.shape} cells")
        if n and (int(cells.min()) < 0 or int(cells.max()) >= cell_count):
            raise ValueError("an entry names a cell that does not exist")
        graph = voyager.Index.load(str(path))
        if graph.num_dimensions != dimension:
            raise ValueError(f"graph has dimension {graph.num_dimensions}")
        graph.ef = params.ef_search
        part = cls(dimension, params, 0)
        part._graph = graph
        part._rows = np.ascontiguousarray(vectors, dtype=np.dtype(params.vector_dtype))
        part._row_ids = ids.copy()
        part._row_cell = cells.copy()
        part._used = n
        part._row_of = dict(zip(ids.tolist(), range(n), strict=True))
        if len(part._row_of) != n:
            raise ValueError("an id is saved twice")
        members: list[list[int]] = [[] for _ in range(cell_count)]
        for row, cell in enumerate(cells.tolist()):
            members[cell].append(row)
        part._cell_rows = members
        part._free_cells = {c for c in range(cell_count) if not members[c]}
        frozen = arrays.get("frozen")
        part._frozen = frozen is not None and bool(np.asarray(frozen).reshape(-1)[0])
        lonely = [int(i) for i in np.asarray(arrays.get("lonely", []), dtype=np.int64).tolist()]
        if not set(lonely) <= part._row_of.keys():
            raise ValueError("an isolated entry is not in the partition")
        if lonely:
            part._lonely.extend(lonely, np.asarray(
                part._rows[[part._row_of[i] for i in lonely]], dtype=np.float32))
        live = {c for c in range(cell_count) if members[c]}
        if not live <= set(graph.ids):
            raise ValueError("a cell's centroid is missing from the graph")
        return part

    # --- internals ------------------------------------------------------------------------------

    def _scores(self, rows: IdArray, query: Vector) -> Vector:
        block = self._rows[rows]
        if block.dtype != np.float32:
            block = block.astype(np.float32)
        return dot_rows(block, query)

    def _probe(self, queries: Vector, k: int, threads: int) -> IdArray:
        """The ``k`` nearest live cells of each query, best first, padded with -1."""
        n = queries.shape[0]
        live = self.cells
        out = np.full((n, k), -1, dtype=np.int64)
        if not live or not n:
            return out
        want = min(k, live)
        try:
            labels, _ = self._graph.query(queries, k=want, num_threads=threads)
            out[:, :want] = np.asarray(labels, dtype=np.int64).reshape(n, want)
            return out
        except voyager.RecallError:
            pass
        # The graph found fewer than `want` live centroids for some query (possible after many
        # deletes): ask query by query, ranking all centroids exactly for those it fails.
        for q in range(n):
            try:
                labels, _ = self._graph.query(queries[q], k=want)
                out[q, :want] = np.asarray(labels, dtype=np.int64).reshape(-1)
            except voyager.RecallError:
                out[q, :want] = self._exact_cells(queries[q], want)
        return out

    def _exact_cells(self, query: Vector, k: int) -> IdArray:
        live = np.array([c for c, rows in enumerate(self._cell_rows) if rows], dtype=np.int64)
        centroids = np.asarray(self._graph.get_vectors(live.tolist()), dtype=np.float32)
        return np.array([c for c, _ in top_k(dot_rows(centroids, query), live, k)], np.int64)

    def _plan(self, matrix: Vector, threads: int) -> tuple[list[int], Vector, list[bool]]:
        """Each vector's cell: a live cell's label, or ``-1 - j`` for the j-th new cell, whose
        centroid (the vector that founds it) is row j of the returned matrix; and whether each
        vector is isolated (no centroid, old or new in this batch, as near as LONELY_BELOW)."""
        labels, sims = self._route(matrix, threads)
        isolated: list[bool] = []
        threshold, capacity = self.params.cell_threshold, self.params.cell_capacity
        founders = np.empty_like(matrix)
        count = 0
        added: dict[int, int] = {}  # entries planned per cell, new cells included
        plan: list[int] = []
        for n, (cell, sim) in enumerate(zip(labels, sims, strict=True)):
            target: int | None = None
            best = threshold
            room = cell >= 0 and len(self._cell_rows[cell]) + added.get(cell, 0) < capacity
            if room and sim >= threshold:
                target, best = cell, sim
            nearest = sim
            if count:
                # A cell founded earlier in this batch is not in the graph yet.
                near = dot_rows(founders[:count], matrix[n])
                j = int(np.argmax(near))
                nearest = max(nearest, float(near[j]))
                if float(near[j]) >= best and added[-1 - j] < capacity:
                    target, best = -1 - j, float(near[j])
            isolated.append(nearest < LONELY_BELOW)
            if target is None:
                founders[count] = matrix[n]
                count += 1
                target = -count
            added[target] = added.get(target, 0) + 1
            plan.append(target)
        return plan, founders[:count], isolated

    def _keep_lonely(self, ids: list[int], matrix: Vector, isolated: list[bool]) -> None:
        """Keep the isolated ones of new entries (``matrix``: their vectors as stored, so that
        a search scores them alike before and after a save) in the exact side list."""
        picked = [n for n, flag in enumerate(isolated) if flag]
        if picked:
            self._lonely.add([ids[n] for n in picked], np.asarray(matrix[picked], np.float32))

    def _route(self, matrix: Vector, threads: int) -> tuple[list[int], list[float]]:
        """The nearest live cell of each vector (-1 if none) and its centroid's cosine."""
        n = matrix.shape[0]
        if not self.cells:
            return [-1] * n, [-2.0] * n
        labels = self._probe(matrix, 1, threads)[:, 0]
        sims = [-2.0] * n
        known = np.flatnonzero(labels >= 0)
        if known.size:
            centroids = np.asarray(self._graph.get_vectors(labels[known].tolist()), np.float32)
            for k, sim in zip(
                known.tolist(), np.einsum("ij,ij->i", centroids, matrix[known]).tolist(),
                strict=True,
            ):
                sims[k] = sim
        return labels.tolist(), sims

    def _take_cells(self, count: int) -> list[int]:
        labels: list[int] = []
        while len(labels) < count and self._free_cells:
            labels.append(self._free_cells.pop())  # re-adding a label updates its node in place
        while len(labels) < count:
            labels.append(len(self._cell_rows))
            self._cell_rows.append([])
        return labels

    def _undo_cells(self, labels: list[int]) -> None:
        # A failed add_items may have inserted some centroids: delete whatever got in.
        for label in labels:
            if label in self._graph:
                # RuntimeError: still deleted, so nothing got in under this label.
                with contextlib.suppress(RuntimeError):
                    self._graph.mark_deleted(label)
            self._free_cells.add(label)

    def _reserve(self, new: int) -> None:
        needed = self._used - len(self._free_rows) + new
        capacity = self._rows.shape[0]
        if needed <= capacity:
            return
        size = max(needed, capacity + capacity // 2, 64)
        try:
            # In place (realloc; large blocks are remapped, not copied), so that growing a big
            # partition does not hold the old and the new matrix at once. No view of these arrays
            # outlives a call: searches and saves copy the rows they read.
            self._rows.resize((size, self.dimension), refcheck=False)
            self._row_ids.resize(size, refcheck=False)
            self._row_cell.resize(size, refcheck=False)
        except ValueError:  # an array that does not own its memory: copy instead
            rows = np.empty((size, self.dimension), dtype=self._rows.dtype)
            rows[: self._used] = self._rows[: self._used]
            ids = np.empty(size, dtype=np.int64)
            ids[: self._used] = self._row_ids[: self._used]
            cells = np.empty(size, dtype=np.int64)
            cells[: self._used] = self._row_cell[: self._used]
            self._rows, self._row_ids, self._row_cell = rows, ids, cells
        self._row_ids[self._used :] = -1
        self._row_cell[self._used :] = -1

    def _take_rows(self, count: int) -> list[int]:
        rows: list[int] = []
        while len(rows) < count and self._free_rows:
            rows.append(self._free_rows.pop())
        extra = count - len(rows)
        rows += range(self._used, self._used + extra)
        self._used += extra
        return rows

    def _remove_row(self, row: int, *, free_cell: bool) -> None:
        id_ = int(self._row_ids[row])
        cell = int(self._row_cell[row])
        del self._row_of[id_]
        self._lonely.remove(id_)
        self._cell_rows[cell].remove(row)
        self._row_ids[row] = -1
        self._row_cell[row] = -1
        self._free_rows.append(row)
        if free_cell and not self._cell_rows[cell]:
            self._free_cell(cell)

    def _free_cell(self, cell: int) -> None:
        self._graph.mark_deleted(cell)
        self._free_cells.add(cell)

    def _release_empty_cells(self, cells: set[int]) -> None:
        for cell in cells:
            if not self._cell_rows[cell]:
                self._free_cell(cell)

    def _misrouted(self, rows: list[int], threads: int) -> list[int]:
        """The rows whose own vector does not probe their cell."""
        if not rows:
            return []
        index = np.array(rows, dtype=np.int64)
        probed = self._probe(np.asarray(self._rows[index], np.float32), self.params.probes, threads)
        own = self._row_cell[index]
        wrong: list[int] = index[~(probed == own[:, None]).any(axis=1)].tolist()
        return wrong

    def _fix(self, rows: list[int], threads: int) -> int:
        """Move each row whose own vector misses its cell into the first cell it probes."""
        wrong = self._misrouted(rows, threads)
        if not wrong:
            return 0
        vectors = np.asarray(self._rows[np.array(wrong)], np.float32)
        first = self._probe(vectors, 1, threads)[:, 0]
        for row, cell in zip(wrong, first.tolist(), strict=True):
            old = int(self._row_cell[row])
            self._cell_rows[old].remove(row)
            self._cell_rows[cell].append(row)
            self._row_cell[row] = cell
            # A probe can return an emptied (free, not deleted) cell: it is in use again.
            self._free_cells.discard(cell)
        # A cell a move empties stays in the graph, empty: deleting its node would change the
        # paths of other searches after they were checked. It is reused by the next new cell
        # (or freed when the index is reloaded).
        return len(wrong)


Store = FlatPartition | CellPartition


class _Partition:
    """A partition's store and the lock its searches take."""

    __slots__ = ("lock", "store")

    def __init__(self, store: Store) -> None:
        self.lock = threading.Lock()
        self.store: Store = store


class InMemoryIndex(VectorIndex):
    """In-process index: exact below ``exact_below`` vectors per partition, cells above.

    ``connectivity``, ``ef_construction`` and ``ef_search`` are the centroid graph's M,
    efConstruction and ef; the other settings are :class:`CellParams`'. ``exact_below=0`` puts
    every partition in cells. A batch of at least ``bulk_from`` new vectors that at least
    doubles its partition (an import, a rebuild from the store) is built in bulk
    (:meth:`CellPartition.bulk`).
    """

    def __init__(
        self,
        dimension: int,
        *,
        exact_below: int = 2048,
        connectivity: int = 16,
        ef_construction: int = 64,
        ef_search: int = 64,
        cell_threshold: float = CellParams.cell_threshold,
        cell_capacity: int = CellParams.cell_capacity,
        probes: int = CellParams.probes,
        vector_dtype: str = CellParams.vector_dtype,
        graph_dtype: str = CellParams.graph_dtype,
        bulk_from: int = BULK_FROM,
    ) -> None:
        if dimension <= 0:
            raise InvalidRequest(f"dimension must be positive, got {dimension}")
        if exact_below < 0 or connectivity < 2 or ef_construction < 1 or ef_search < 1:
            raise InvalidRequest(
                "exact_below must be >= 0, connectivity >= 2, ef_construction and ef_search >= 1"
            )
        if not -1.0 <= cell_threshold <= 1.0 or cell_capacity < 1 or probes < 1:
            raise InvalidRequest(
                "cell_threshold must be a cosine in [-1, 1], cell_capacity and probes >= 1"
            )
        if vector_dtype not in ("float32", "float16") or graph_dtype not in _STORAGE:
            raise InvalidRequest(
                f"vector_dtype must be 'float32' or 'float16', graph_dtype one of "
                f"{', '.join(_STORAGE)}; got {vector_dtype!r}, {graph_dtype!r}"
            )
        if bulk_from < 1:
            raise InvalidRequest(f"bulk_from must be >= 1, got {bulk_from}")
        self.dimension = dimension
        self.exact_below = exact_below
        self.bulk_from = bulk_from
        self.params = CellParams(
            connectivity,
            ef_construction,
            ef_search,
            cell_threshold,
            cell_capacity,
            probes,
            vector_dtype,
            graph_dtype,
        )
        # Searches read this dict without a lock (a single dict lookup is atomic); only writers,
        # serialised by _write_lock, change it.
        self._parts: dict[str, _Partition] = {}
        self._where: dict[int, str] = {}
        self._write_lock = threading.Lock()
        self._maintain_from = ""  # the partition maintain() resumes with

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
                if isinstance(store, CellPartition):
                    self._add_to_cells(partition, part, store, id_list, matrix)
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
        """Each partition's current store, ``"exact"`` or ``"cells"`` (for stats and tests)."""
        with self._write_lock:
            return {
                name: "cells" if isinstance(p.store, CellPartition) else "exact"
                for name, p in self._parts.items()
            }

    def maintain(self, budget: int = MAINTAIN_SLICE) -> int:
        """Re-check up to ``budget`` entries of one large partition, resuming where the last call
        stopped; an entry its own vector no longer finds is moved. Returns how many moved."""
        with self._write_lock:
            names = sorted(n for n, p in self._parts.items() if isinstance(p.store, CellPartition))
            if not names:
                return 0
            name = next((n for n in names if n >= self._maintain_from), names[0])
            self._maintain_from = name + "\0"
            part = self._parts[name]
            with part.lock:
                store = part.store
                assert isinstance(store, CellPartition)
                return store.maintain(budget, 1)

    def verify(self) -> dict[str, list[int]]:
        """Every id that a search for its own vector misses, by partition (empty when none)."""
        with self._write_lock:
            out: dict[str, list[int]] = {}
            for name, part in self._parts.items():
                store = part.store
                if isinstance(store, CellPartition):
                    with part.lock:
                        missed = store.unreachable()
                else:
                    missed = []
                if missed:
                    out[name] = missed
            return out

    def close(self) -> None:
        """Drop every partition and free its memory."""
        with self._write_lock:
            self._parts, self._where = {}, {}

    # --- persistence ---------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the manifest, one .npz of exact partitions and cells, one file per graph.

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
                file = f"{FILE_PREFIX}{token}-{number}.voyager"
                for key, value in store.save(path / file).items():
                    arrays[f"{key}_{number}"] = value
                graphs[name] = {
                    "file": file,
                    "digest": file_digest(path / file),
                    "count": len(store),
                    "number": number,
                    # Reachability was checked at this ef; another ef searches other paths.
                    "ef": self.params.ef_search,
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
            "cells": graphs,
        }
        write_manifest(path, manifest)
        remove_unreferenced(path, [exact_file, *(g["file"] for g in graphs.values())], FILE_PREFIX)

    def load(self, path: Path) -> bool:
        """Replace the contents with what ``save`` wrote; False (contents kept) if unusable.

        Every file's digest is checked before it is parsed, so a corrupt or truncated file is
        reported (a warning naming it) and never handed to the native library.
        """
        path = Path(path)
        manifest = read_manifest(path, MEMORY_FORMAT, self.dimension, FORMAT_VERSION)
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
            for name, graph in manifest["cells"].items():
                file = path / Path(graph["file"]).name
                if file_digest(file) != graph["digest"]:
                    raise ValueError("digest mismatch (file corrupt or truncated)")
                number = int(graph["number"])
                cells = CellPartition.load(
                    file,
                    self.dimension,
                    {
                        key: arrays[f"{key}_{number}"]
                        for key in ("ids", "vectors", "cells", "cell_count", "frozen", "lonely")
                        if f"{key}_{number}" in arrays
                    },
                    self.params,
                )
                if len(cells) != graph["count"]:
                    raise ValueError(f"holds {len(cells)} ids, manifest says {graph['count']}")
                if graph.get("ef") != self.params.ef_search:
                    moved = cells.maintain(len(cells), -1)
                    logger.info(
                        "partition %s re-checked for ef=%d: %d moved",
                        name,
                        self.params.ef_search,
                        moved,
                    )
                stores[str(name)] = cells
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
        # Crossing the threshold: build the cells beside the exact store (searches keep using it;
        # no other writer can change it meanwhile), then swap.
        cells = self._rebuild(flat.ids(), flat.vectors(), ids, matrix)
        with part.lock:
            part.store = cells

    def _add_to_cells(
        self,
        name: str,
        part: _Partition,
        cells: CellPartition,
        ids: list[int],
        matrix: Vector,
    ) -> None:
        if len(ids) >= max(len(cells), self.bulk_from):
            # A large batch that at least doubles the partition (an import, a rebuild from the
            # store): one bulk build of everything instead of routing each entry.
            old_ids, old_vectors = cells.items()
            built = self._rebuild(old_ids, old_vectors, ids, matrix)
            with part.lock:
                part.store = built
            self._where.update(dict.fromkeys(ids, name))
            return
        # Big batches use every core; single puts stay on this thread.
        threads = -1 if len(ids) >= ADD_CHUNK else 1
        for start in range(0, len(ids), ADD_CHUNK):
            chunk = ids[start : start + ADD_CHUNK]
            with part.lock:
                cells.add(chunk, matrix[start : start + ADD_CHUNK], threads)
            # Per chunk, so that a failure part way leaves _where equal to what the cells hold.
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
            elif isinstance(store, CellPartition) and len(store) < self.exact_below // 2:
                flat = store.to_flat(self.dimension)
                with part.lock:
                    part.store = flat

    def _rebuild(
        self, old_ids: IdArray, old_vectors: Vector, ids: list[int], matrix: Vector
    ) -> CellPartition:
        """Cells of the old entries and the new ones (a new vector replaces an old one, and
        the last of an id given twice wins)."""
        new_ids = np.asarray(ids, dtype=np.int64)
        if len(np.unique(new_ids)) != len(new_ids):
            _, last = np.unique(new_ids[::-1], return_index=True)
            pick = np.sort(len(new_ids) - 1 - last)
            new_ids, matrix = new_ids[pick], matrix[pick]
        if len(old_ids):
            keep = ~np.isin(old_ids, new_ids)
            all_ids = np.concatenate([old_ids[keep], new_ids])
            all_vectors = np.concatenate([old_vectors[keep], matrix])
        else:
            all_ids, all_vectors = new_ids, matrix
        build = CellPartition.bulk if len(new_ids) >= self.bulk_from else CellPartition.build
        try:
            return build(self.dimension, all_ids, all_vectors, self.params)
        except MemoryError as exc:
            raise IndexError_(f"building cells of {len(all_ids)} vectors failed: {exc}") from exc
