"""Exact brute-force search with numpy: the reference VectorIndex and the store of small partitions.

Each partition is one contiguous float32 matrix (rows = vectors) with a parallel int64 id array.
Capacity grows geometrically, so adds are amortised O(1); a removal moves the last row into the
hole, so the matrix never holds dead rows and a search is one matrix-vector product.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, cast
from zipfile import BadZipFile

import numpy as np
import numpy.typing as npt

from gistcache._errors import InvalidRequest
from gistcache.index._base import Hit, Vector, VectorIndex

__all__ = ["FlatIndex", "FlatPartition"]

logger = logging.getLogger(__name__)

IdArray = npt.NDArray[np.int64]

#: a (partition -> vector count) manifest plus one .npz file of ids and vectors
FLAT_FORMAT = "gistcache-flat-index"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def as_matrix(ids: Sequence[int], vectors: Vector, dimension: int) -> tuple[list[int], Vector]:
    """Check an ``add`` batch; return the ids as ints and the vectors as a float32 matrix."""
    matrix = _writable(np.asarray(vectors, dtype=np.float32))
    if matrix.ndim == 1 and len(ids) == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[1] != dimension:
        got = matrix.shape[-1] if matrix.ndim else 0
        raise InvalidRequest(
            f"vectors must have dimension {dimension}, got {got} (shape {matrix.shape})"
        )
    id_list = [int(i) for i in ids]
    if len(id_list) != matrix.shape[0]:
        raise InvalidRequest(f"{len(id_list)} ids for {matrix.shape[0]} vectors")
    last_row = {id_: row for row, id_ in enumerate(id_list)}
    if len(last_row) != len(id_list):
        # The same id twice in one batch: the later vector replaces the earlier, as in two calls.
        id_list, matrix = list(last_row), matrix[list(last_row.values())]
    return id_list, matrix


def _writable(array: Vector) -> Vector:
    # voyager (nanobind) refuses a read-only array, such as np.frombuffer of a stored row (how
    # Cache.sync reads other processes' vectors): copy those, and non-contiguous ones
    if array.flags.writeable and array.flags.c_contiguous:
        return array
    return np.array(array, dtype=np.float32, order="C")


def as_query(vector: Vector, dimension: int) -> Vector:
    """Check a ``search`` vector; return it as a contiguous float32 vector."""
    q = _writable(np.asarray(vector, dtype=np.float32))
    if q.ndim == 2 and q.shape[0] == 1:
        q = q[0]
    if q.ndim != 1 or q.shape[0] != dimension:
        got = q.shape[-1] if q.ndim else 0
        raise InvalidRequest(
            f"query vector must have dimension {dimension}, got {got} (shape {q.shape})"
        )
    return np.ascontiguousarray(q)


if hasattr(np, "vecdot"):

    def dot_rows(matrix: Vector, query: Vector) -> Vector:
        """``matrix @ query`` on this thread only.

        numpy's BLAS spreads a matrix-vector product over every core, and when another core is
        busy (the embedder, another request) its share waits for a time slice: milliseconds
        instead of microseconds (benchmarks/results/index.md). ``vecdot`` is a single-threaded
        SIMD loop and nearly as fast on one core.
        """
        out: Vector = np.vecdot(matrix, query)
        return out

else:  # numpy < 2 has no vecdot

    def dot_rows(matrix: Vector, query: Vector) -> Vector:
        """``matrix @ query``."""
        out: Vector = matrix @ query
        return out


def top_k(scores: npt.NDArray[np.float32], ids: IdArray, k: int) -> list[Hit]:
    """The ``k`` best (id, score) pairs, best first, scores clipped to [-1, 1]."""
    n = scores.shape[0]
    if k <= 0 or n == 0:
        return []
    if k < n:
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
    else:
        best = np.argsort(-scores, kind="stable")
    # Rounding can put the dot product of a vector with itself a hair above 1.
    sims = np.clip(scores[best], -1.0, 1.0)
    return list(zip(ids[best].tolist(), sims.tolist(), strict=True))


class FlatPartition:
    """The vectors of one partition in a contiguous matrix; exact search, swap-with-last removal."""

    __slots__ = ("_ids", "_rows", "_size", "_vectors")

    def __init__(self, dimension: int, capacity: int = 0) -> None:
        self._vectors: Vector = np.empty((capacity, dimension), dtype=np.float32)
        self._ids: IdArray = np.empty(capacity, dtype=np.int64)
        self._rows: dict[int, int] = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def __contains__(self, id_: int) -> bool:
        return id_ in self._rows

    def add(self, ids: list[int], matrix: Vector) -> None:
        """Add or overwrite rows; ids must not be in any other partition."""
        for id_, vec in zip(ids, matrix, strict=True):
            row = self._rows.get(id_)
            if row is None:
                if self._size == self._vectors.shape[0]:
                    self._grow(self._size + 1)
                row = self._size
                self._size += 1
                self._rows[id_] = row
                self._ids[row] = id_
            self._vectors[row] = vec

    def extend(self, ids: list[int], matrix: Vector) -> None:
        """Add distinct ids; new ones are appended in one copy instead of row by row."""
        if any(i in self._rows for i in ids):
            self.add(ids, matrix)
            return
        start, end = self._size, self._size + len(ids)
        if end > self._vectors.shape[0]:
            self._grow(end)
        self._vectors[start:end] = matrix
        self._ids[start:end] = ids
        self._rows.update(zip(ids, range(start, end), strict=True))
        self._size = end

    def remove(self, id_: int) -> bool:
        """Remove ``id_`` by moving the last row into its place; False when absent."""
        row = self._rows.pop(id_, None)
        if row is None:
            return False
        last = self._size - 1
        if row != last:
            moved = int(self._ids[last])
            self._vectors[row] = self._vectors[last]
            self._ids[row] = moved
            self._rows[moved] = row
        self._size = last
        # Give memory back once the matrix is mostly empty (hysteresis avoids grow/shrink churn).
        if self._vectors.shape[0] > 64 and self._size < self._vectors.shape[0] // 4:
            self._resize(self._size * 2)
        return True

    def search(self, query: Vector, k: int) -> list[Hit]:
        """Exact top-``k`` by cosine (dot product of unit vectors)."""
        n = self._size
        if n == 0 or k <= 0:
            return []
        return top_k(dot_rows(self._vectors[:n], query), self._ids[:n], k)

    def ids(self) -> IdArray:
        """The ids held, in row order (a view: copy before mutating the partition)."""
        return self._ids[: self._size]

    def vectors(self) -> Vector:
        """The vectors held, in row order (a view: copy before mutating the partition)."""
        return self._vectors[: self._size]

    def _grow(self, needed: int) -> None:
        # Start tight (most partitions hold a handful of entries), then grow by half: amortised
        # O(1) adds with at most ~50% slack.
        capacity = self._vectors.shape[0]
        self._resize(max(needed, capacity + capacity // 2, 4 if capacity else needed))

    def _resize(self, capacity: int) -> None:
        vectors = np.empty((capacity, self._vectors.shape[1]), dtype=np.float32)
        ids = np.empty(capacity, dtype=np.int64)
        vectors[: self._size] = self._vectors[: self._size]
        ids[: self._size] = self._ids[: self._size]
        self._vectors, self._ids = vectors, ids


# --- persistence shared with InMemoryIndex ------------------------------------------------------


def file_digest(path: Path) -> str:
    """BLAKE2b digest of a file, to detect corruption before a native library parses it."""
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` via ``write(tmp)``, fsync, rename: readers see the old file or the new."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def fsync_dir(path: Path) -> None:
    """Make renames in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pack_partitions(
    parts: dict[str, FlatPartition], dimension: int
) -> tuple[dict[str, int], IdArray, Vector]:
    """Copy every partition's ids and vectors into two arrays, with the count of each partition."""
    names = sorted(parts)
    counts = {name: len(parts[name]) for name in names}
    if not names:
        return counts, np.empty(0, np.int64), np.empty((0, dimension), np.float32)
    ids = np.concatenate([parts[name].ids() for name in names])
    vectors = np.concatenate([parts[name].vectors() for name in names])
    return counts, ids, vectors


def unpack_partitions(
    counts: dict[str, int], ids: IdArray, vectors: Vector, dimension: int
) -> dict[str, FlatPartition]:
    """Split arrays written by :func:`pack_partitions`; ValueError when they disagree."""
    total = sum(int(c) for c in counts.values())
    if ids.shape != (total,) or vectors.shape != (total, dimension):
        raise ValueError(
            f"holds {ids.shape} ids and {vectors.shape} vectors, manifest says {total}"
        )
    parts: dict[str, FlatPartition] = {}
    start = 0
    for name, count in counts.items():
        part = FlatPartition(dimension, int(count))
        part.extend(ids[start : start + count].tolist(), vectors[start : start + count])
        parts[str(name)] = part
        start += count
    return parts


def write_arrays(path: Path, arrays: dict[str, npt.NDArray[Any]]) -> str:
    """Atomically write ``arrays`` as an .npz file (never pickled); return its digest."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            np.savez(f, **cast("dict[str, Any]", arrays))

    write_atomic(path, write)
    return file_digest(path)


def read_arrays(path: Path, digest: str) -> dict[str, npt.NDArray[Any]]:
    """Read an .npz written by :func:`write_arrays`; ValueError when corrupt or truncated."""
    if file_digest(path) != digest:
        raise ValueError("digest mismatch (file corrupt or truncated)")
    with np.load(path, allow_pickle=False) as z:
        return {name: z[name] for name in z.files}


def read_manifest(
    path: Path, fmt: str, dimension: int, version: int = FORMAT_VERSION
) -> dict[str, Any] | None:
    """The manifest in directory ``path`` when it is ``fmt`` ``version`` of ``dimension``."""
    file = path / MANIFEST
    if not file.is_file():
        return None
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        logger.warning("vector index manifest %s is unreadable: %s", file, exc)
        return None
    if not isinstance(manifest, dict):
        logger.warning("vector index manifest %s is not a JSON object", file)
        return None
    if manifest.get("format") != fmt or manifest.get("version") != version:
        logger.warning(
            "vector index manifest %s has format %r version %r, expected %r version %r",
            file,
            manifest.get("format"),
            manifest.get("version"),
            fmt,
            version,
        )
        return None
    if manifest.get("dimension") != dimension:
        logger.warning(
            "vector index in %s has dimension %r, expected %d",
            path,
            manifest.get("dimension"),
            dimension,
        )
        return None
    return manifest


def check_count(path: Path, manifest: dict[str, Any], where: dict[int, str], held: int) -> bool:
    """True when the loaded ids are distinct and as many as the manifest says."""
    if len(where) != held:
        logger.warning("vector index in %s holds an id twice", path)
        return False
    if manifest.get("count") != held:
        logger.warning(
            "vector index in %s holds %d ids, manifest says %r", path, held, manifest.get("count")
        )
        return False
    return True


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Commit a save: atomically replace the manifest, then drop files it no longer names."""
    write_atomic(path / MANIFEST, lambda tmp: tmp.write_text(json.dumps(manifest, indent=1)))
    fsync_dir(path)


def remove_unreferenced(path: Path, keep: Iterable[str], prefix: str) -> None:
    """Delete files of earlier saves (names starting with ``prefix``) not in ``keep``.

    Temporary files left by a save that crashed part way go too.
    """
    wanted = set(keep)
    for file in path.iterdir():
        name = file.name
        crashed = name.endswith(".tmp") and name.startswith((f".{prefix}", f".{MANIFEST}."))
        if crashed or (name.startswith(prefix) and name not in wanted):
            file.unlink(missing_ok=True)


class FlatIndex(VectorIndex):
    """Exact nearest-neighbour search by brute force, one numpy matrix per partition."""

    def __init__(self, dimension: int) -> None:
        if dimension <= 0:
            raise InvalidRequest(f"dimension must be positive, got {dimension}")
        self.dimension = dimension
        self._parts: dict[str, FlatPartition] = {}
        self._where: dict[int, str] = {}
        # One lock: searches are short, and exact search releases the GIL inside the product.
        self._lock = threading.Lock()

    def add(self, partition: str, ids: Sequence[int], vectors: Vector) -> None:
        """Add (or replace) vectors ``vectors[i]`` under ``ids[i]`` in ``partition``."""
        id_list, matrix = as_matrix(ids, vectors, self.dimension)
        if not id_list:
            return
        with self._lock:
            self._discard_elsewhere(partition, id_list)
            part = self._parts.get(partition)
            if part is None:
                part = self._parts[partition] = FlatPartition(self.dimension)
            part.extend(id_list, matrix)
            self._where.update(dict.fromkeys(id_list, partition))

    def remove(self, ids: Iterable[int]) -> None:
        """Remove ids wherever they are; unknown ids are ignored."""
        with self._lock:
            for id_ in ids:
                self._remove_one(int(id_))

    def search(self, partition: str, vector: Vector, k: int) -> list[Hit]:
        """The up to ``k`` nearest ids in ``partition``, best first, with cosine similarity."""
        query = as_query(vector, self.dimension)
        with self._lock:
            part = self._parts.get(partition)
            return part.search(query, k) if part is not None else []

    def ids(self) -> set[int]:
        """Every id the index holds."""
        with self._lock:
            return set(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def save(self, path: Path) -> None:
        """Write a manifest and one .npz of every partition into directory ``path``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with self._lock:
            counts, ids, vectors = pack_partitions(self._parts, self.dimension)
        data = f"flat-{uuid.uuid4().hex}.npz"
        digest = write_arrays(path / data, {"ids": ids, "vectors": vectors})
        write_manifest(
            path,
            {
                "format": FLAT_FORMAT,
                "version": FORMAT_VERSION,
                "dimension": self.dimension,
                "count": int(ids.shape[0]),
                "exact": {"file": data, "digest": digest, "partitions": counts},
            },
        )
        remove_unreferenced(path, [data], "flat-")

    def load(self, path: Path) -> bool:
        """Replace the contents with what ``save`` wrote; False (contents kept) if unusable."""
        path = Path(path)
        manifest = read_manifest(path, FLAT_FORMAT, self.dimension)
        if manifest is None:
            return False
        file = path / MANIFEST
        try:
            entry = manifest["exact"]
            file = path / Path(entry["file"]).name
            arrays = read_arrays(file, entry["digest"])
            parts = unpack_partitions(
                entry["partitions"], arrays["ids"], arrays["vectors"], self.dimension
            )
        except (OSError, LookupError, TypeError, ValueError, AttributeError, BadZipFile) as exc:
            logger.warning("vector index file %s is unusable: %s", file, exc)
            return False
        where = {i: name for name, part in parts.items() for i in part.ids().tolist()}
        if not check_count(path, manifest, where, sum(len(p) for p in parts.values())):
            return False
        with self._lock:
            self._parts, self._where = parts, where
        return True

    def _discard_elsewhere(self, partition: str, ids: list[int]) -> None:
        # An id lives in one partition: adding it to another one moves it.
        for id_ in ids:
            old = self._where.get(id_)
            if old is not None and old != partition:
                self._remove_one(id_)

    def _remove_one(self, id_: int) -> None:
        name = self._where.pop(id_, None)
        if name is None:
            return
        part = self._parts[name]
        part.remove(id_)
        if not len(part):
            del self._parts[name]
