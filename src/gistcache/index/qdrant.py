"""A VectorIndex in Qdrant: one collection of points (id = entry id, payload ``partition``, cosine
distance), shared by every replica that points at the same server.

A search is one ``query_points`` call whose filter ``partition == p`` is part of the query, never
a pass over a top-k from all partitions. On a server the ``partition`` payload field has a keyword
index marked ``is_tenant``, and the HNSW graphs are built per partition (``payload_m``, no global
graph): Qdrant searches the partition's own graph, or scans a small partition exactly.

The same class runs qdrant-client's local mode (``qdrant+local:///dir`` or ``qdrant+memory://``):
an in-process, exact engine (a directory is locked by the one client that opened it), used by
the tests and by single-process setups.

Needs the ``qdrant`` extra (qdrant-client 1.16+) and, for a server, Qdrant 1.16+ (the collection
carries a format marker in its metadata; a collection without it is refused, never changed).
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

import numpy as np

from gistcache._errors import ConfigError, IndexError_, InvalidRequest, MissingExtra
from gistcache.index._base import Hit, Vector, VectorIndex, check_graph_settings
from gistcache.index.flat import as_matrix, as_query

__all__ = ["QdrantIndex"]

#: the collection's layout, kept in its metadata; a collection with another one is refused
COLLECTION_FORMAT = "gistcache-qdrant 1"
DEFAULT_COLLECTION = "gistcache_vectors"
#: points per upsert or delete request (a cache rebuild adds a whole scope at once)
BATCH = 1000
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
_MAX_ID = 2**64 - 1  # Qdrant ids are unsigned 64-bit integers (or UUIDs, unused here)
_T = TypeVar("_T")


def parse_url(url: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The QdrantClient arguments and the query settings of a ``qdrant...://`` URL.

    ``qdrant://host:6333`` (HTTP), ``qdrant+https://host:6333``, ``qdrant+local:///abs/dir`` or
    ``qdrant+local://relative/dir`` (local mode on disk), ``qdrant+memory://`` (local mode in
    memory); ``?collection=NAME&api_key=KEY`` may follow.
    """
    head, sep, rest = url.partition("://")
    scheme = head.lower()
    if not sep:
        raise ConfigError(f"a Qdrant index URL looks like qdrant://host:6333, got {url!r}")
    where, _, query_text = rest.partition("?")
    query = dict(parse_qsl(query_text, keep_blank_values=True))
    unknown = sorted(set(query) - {"collection", "api_key"})
    if unknown:
        raise ConfigError(f"unknown Qdrant index URL setting(s) {', '.join(unknown)}; "
                          "known: collection, api_key")
    if scheme == "qdrant+memory":
        if where:
            raise ConfigError(f"qdrant+memory:// takes no path, got {where!r}")
        return {"location": ":memory:"}, query
    if scheme == "qdrant+local":
        if not where:
            raise ConfigError("qdrant+local:// needs a directory: qdrant+local:///abs/dir")
        return {"path": where}, query
    if scheme in ("qdrant", "qdrant+http", "qdrant+https"):
        parts = urlsplit(f"http://{rest}")
        if not parts.hostname:
            raise ConfigError(f"a Qdrant server URL needs a host, got {url!r}")
        http = "https" if scheme == "qdrant+https" else "http"
        return {"url": f"{http}://{parts.netloc}{parts.path}"}, query
    raise ConfigError(f"{head}:// is not a Qdrant URL scheme; use qdrant://, qdrant+https://, "
                      "qdrant+local:// or qdrant+memory://")


class QdrantIndex(VectorIndex):
    """Entry vectors in one Qdrant collection (cosine), partitioned by a payload filter."""

    def __init__(
        self,
        url: str,
        dimension: int,
        *,
        collection: str | None = None,
        api_key: str | None = None,
        m: int = 16,
        ef_construction: int = 100,
        ef_search: int = 64,
        timeout: int | None = None,
    ) -> None:
        """Open (creating the collection and its partition index when missing) the index at
        ``url`` (see :func:`parse_url`); ``collection`` names where the vectors live, so
        several caches can share a server."""
        try:
            from qdrant_client import QdrantClient, models
            from qdrant_client.http.exceptions import ApiException
        except ImportError as exc:
            raise MissingExtra("the Qdrant index", "qdrant", exc.name or "qdrant_client") from exc
        check_graph_settings("Qdrant", dimension, [
            ("m", m, 4, 10_000), ("ef_construction", ef_construction, 4, 10_000),
            ("ef_search", ef_search, 4, 10_000)])
        args, query = parse_url(url)
        self.collection = collection or query.get("collection") or DEFAULT_COLLECTION
        if not _NAME.match(self.collection):
            raise ConfigError(f"Qdrant collection {self.collection!r} must be letters, digits, "
                              "'_' or '-' (at most 255)")
        self.dimension = dimension
        self.local = "url" not in args
        key = api_key or query.get("api_key")
        if self.local and key:
            raise ConfigError("an api_key is for a Qdrant server, not local mode")
        self._models: Any = models
        # local mode reports a missing collection and the like as ValueError
        self._errors: tuple[type[BaseException], ...] = (
            (ApiException, OSError, ValueError) if "url" not in args else (ApiException, OSError))
        self._ef_search = ef_search
        self._where = f"{args.get('url') or args.get('path') or ':memory:'} " \
                      f"collection {self.collection}"
        # local mode is plain Python over shared dicts and (on disk) one SQLite connection:
        # calls are serialised here; a server client is thread-safe as it is
        self._lock: contextlib.AbstractContextManager[Any] = (
            threading.Lock() if self.local else contextlib.nullcontext())
        try:
            if self.local:
                self._client: Any = QdrantClient(**args, force_disable_check_same_thread=True)
            else:
                self._client = QdrantClient(**args, api_key=key, timeout=timeout,
                                            check_compatibility=False)
        except RuntimeError as exc:  # local mode: the directory is locked by another client
            raise ConfigError(f"cannot open Qdrant local storage {args.get('path')}: {exc}; "
                              "local mode serves one open index at a time: use a Qdrant "
                              "server to share one") from exc
        try:
            self._open_collection(m, ef_construction)
        except (ConfigError, IndexError_):  # first: a ConfigError is also a ValueError
            self._client.close()
            raise
        except self._errors as exc:
            self._client.close()
            raise IndexError_(f"cannot initialise Qdrant index {self._where}: {exc}") from exc

    # -- set-up ---------------------------------------------------------------------------------

    def _open_collection(self, m: int, ef_construction: int) -> None:
        """Create what is missing, check what exists."""
        models, name = self._models, self.collection
        if not self._call("open", lambda: self._client.collection_exists(name)):
            try:
                self._client.create_collection(
                    name,
                    vectors_config=models.VectorParams(size=self.dimension,
                                                       distance=models.Distance.COSINE),
                    # one HNSW graph per partition, none across them: every search is filtered
                    hnsw_config=models.HnswConfigDiff(m=0, payload_m=m,
                                                      ef_construct=ef_construction),
                    metadata={"format": COLLECTION_FORMAT},
                )
            except self._errors:
                # replicas starting at once: another one made it first
                if not self._client.collection_exists(name):
                    raise
        self._check_collection()
        if not self.local:  # local mode has no payload indexes (it warns when asked for one)
            self._call("create the partition index", lambda: self._client.create_payload_index(
                name, "partition",
                field_schema=models.KeywordIndexParams(type=models.KeywordIndexType.KEYWORD,
                                                       is_tenant=True),
                wait=True))

    def _check_collection(self) -> None:
        info = self._call("describe", lambda: self._client.get_collection(self.collection))
        marker = (info.config.metadata or {}).get("format")
        if marker != COLLECTION_FORMAT:
            raise ConfigError(
                f"Qdrant {self._where} is not a gistcache index of format "
                f"{COLLECTION_FORMAT!r} (its metadata says {marker!r}); name another collection, "
                "it was left unchanged")
        vectors = info.config.params.vectors
        size = getattr(vectors, "size", None)
        if size != self.dimension or vectors.distance != self._models.Distance.COSINE:
            raise ConfigError(
                f"Qdrant {self._where} holds {size}-dimensional vectors, not "
                f"{self.dimension}: another embedder filled it; name another collection")

    # -- the contract ---------------------------------------------------------------------------

    def _call(self, what: str, fn: Callable[[], _T]) -> _T:
        try:
            with self._lock:
                return fn()
        except self._errors as exc:
            raise IndexError_(f"Qdrant {what} failed on {self._where}: {exc}") from exc

    def add(self, partition: str, ids: Sequence[int], vectors: Vector) -> None:
        """Insert or replace points (an id moves to ``partition`` if it was elsewhere)."""
        id_list, matrix = as_matrix(ids, vectors, self.dimension)
        bad = [i for i in id_list if not 0 <= i <= _MAX_ID]
        if bad:
            raise InvalidRequest(f"Qdrant ids are unsigned 64-bit integers, got {bad[0]}")
        for start in range(0, len(id_list), BATCH):
            chunk = id_list[start : start + BATCH]
            batch = self._models.Batch(
                ids=chunk, vectors=matrix[start : start + BATCH].tolist(),
                payloads=[{"partition": partition}] * len(chunk))
            self._call("add", functools.partial(self._client.upsert, self.collection,
                                                points=batch, wait=True))

    def remove(self, ids: Iterable[int]) -> None:
        """Delete points by id; unknown ids are ignored."""
        wanted = sorted({int(i) for i in ids if 0 <= int(i) <= _MAX_ID})
        for start in range(0, len(wanted), BATCH):
            selector = self._models.PointIdsList(points=wanted[start : start + BATCH])
            self._call("remove", functools.partial(self._client.delete, self.collection,
                                                   points_selector=selector, wait=True))

    def search(self, partition: str, vector: Vector, k: int) -> list[Hit]:
        """The ``k`` nearest in ``partition`` by cosine, best first."""
        q = as_query(vector, self.dimension)
        if k <= 0:
            return []
        models = self._models
        in_partition = models.Filter(must=[
            models.FieldCondition(key="partition", match=models.MatchValue(value=partition))])
        # local mode is exact and warns that search parameters do nothing there
        params = None if self.local else models.SearchParams(
            hnsw_ef=max(self._ef_search, int(k)))
        result = self._call("search", lambda: self._client.query_points(
            self.collection, query=q.tolist(), query_filter=in_partition, limit=int(k),
            search_params=params, with_payload=False, with_vectors=False))
        return [(int(p.id), float(np.clip(p.score, -1.0, 1.0))) for p in result.points]

    def ids(self) -> set[int]:
        """Every id in the collection (scrolled a page at a time)."""
        found: set[int] = set()
        offset: Any = None
        while True:
            page, offset = self._call("listing ids", functools.partial(
                self._client.scroll, self.collection, limit=BATCH, offset=offset,
                with_payload=False, with_vectors=False))
            found.update(int(p.id) for p in page)
            if offset is None:
                return found

    def __len__(self) -> int:
        result = self._call("count", lambda: self._client.count(self.collection, exact=True))
        return int(result.count)

    def load(self, path: Path) -> bool:
        """The collection is its own persistence: there is always something to reconcile with."""
        return True

    def close(self) -> None:
        """Close the client (the collection stays)."""
        with self._lock:
            self._client.close()
