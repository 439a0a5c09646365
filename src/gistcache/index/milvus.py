"""A VectorIndex in Milvus: one collection of ``(id, partition, vector)`` rows with an HNSW index
on COSINE, shared by every replica that points at the same server.

``partition`` is the collection's partition key, and a search is one request whose filter
``partition == "p"`` is part of it: Milvus searches only the key's own partition and filters the
graph search inside it, so a scope is a filter, never a score, and never a pass over a top-k from
all partitions. Reads are made at Strong consistency: a write through one replica is seen by the
next search through another.

The same class opens Milvus Lite (``milvus+lite:///abs/file.db``), Milvus in-process on a local
directory, used by the tests and by single-process setups.

Needs the ``milvus`` extra (pymilvus, and milvus-lite for local files).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

import numpy as np

from gistcache._errors import ConfigError, IndexError_, MissingExtra
from gistcache.index._base import Hit, Vector, VectorIndex, check_graph_settings
from gistcache.index.flat import as_matrix, as_query

__all__ = ["MilvusIndex"]

#: the collection's layout, kept as a collection property; another one is refused, never altered
COLLECTION_FORMAT = "gistcache-milvus 1"
FORMAT_PROPERTY = "gistcache.format"
DEFAULT_COLLECTION = "gistcache_vectors"
#: rows per insert or delete request (a cache rebuild adds a whole scope at once)
BATCH = 1000
#: seconds a connection or a data request may take before it counts as a fault
DEFAULT_TIMEOUT = 10.0
#: Milvus answers at most this many hits per search
MAX_K = 16_384
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,254}$")
# a partition stored as it is; anything else is stored as its digest, so that the string in a
# filter expression never needs escaping (the digest has a ':', which a plain key never has)
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
_T = TypeVar("_T")


def partition_key(partition: str) -> str:
    """How ``partition`` is stored in the ``partition`` field and named in a filter."""
    if _PLAIN_KEY.match(partition):
        return partition
    raw = partition.encode("utf-8", "surrogatepass")
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _seconds(value: str | float) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise ConfigError(f"a Milvus timeout is a number of seconds > 0, got {value!r}")
    return seconds


def parse_url(url: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The MilvusClient arguments and the query settings of a ``milvus...://`` URL.

    ``milvus://[user:password@]host:19530[/db]``, ``milvus+https://...`` (TLS), or
    ``milvus+lite:///abs/file.db`` / ``milvus+lite://relative/file.db`` (Milvus Lite);
    ``?collection=NAME&token=TOKEN&timeout=SECONDS`` may follow.
    """
    head, sep, rest = url.partition("://")
    scheme = head.lower()
    if not sep:
        raise ConfigError(f"a Milvus index URL looks like milvus://host:19530, got {url!r}")
    where, _, query_text = rest.partition("?")
    query = dict(parse_qsl(query_text, keep_blank_values=True))
    unknown = sorted(set(query) - {"collection", "token", "timeout"})
    if unknown:
        raise ConfigError(f"unknown Milvus index URL setting(s) {', '.join(unknown)}; "
                          "known: collection, token, timeout")
    if "timeout" in query:
        _seconds(query["timeout"])
    if scheme == "milvus+lite":
        if not where.endswith(".db") or where == ".db":
            raise ConfigError("a Milvus Lite URL names a file ending in .db: "
                              f"milvus+lite:///abs/file.db, got {url!r}")
        return {"uri": where}, query
    if scheme in ("milvus", "milvus+http", "milvus+https"):
        parts = urlsplit(f"http://{where}")
        if not parts.hostname:
            raise ConfigError(f"a Milvus server URL needs a host, got {url!r}")
        http = "https" if scheme == "milvus+https" else "http"
        port = f":{parts.port}" if parts.port else ""
        args: dict[str, Any] = {"uri": f"{http}://{parts.hostname}{port}"}
        if parts.username:
            args["token"] = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        db = parts.path.strip("/")
        if db:
            args["db_name"] = db
        return args, query
    raise ConfigError(f"{head}:// is not a Milvus URL scheme; use milvus://, milvus+https:// "
                      "or milvus+lite://")


class MilvusIndex(VectorIndex):
    """Entry vectors in one Milvus collection (HNSW, COSINE), partitioned by a key filter."""

    def __init__(
        self,
        url: str,
        dimension: int,
        *,
        collection: str | None = None,
        token: str | None = None,
        m: int = 16,
        ef_construction: int = 100,
        ef_search: int = 64,
        timeout: float | None = None,
    ) -> None:
        """Open (creating and loading the collection when missing) the index at ``url`` (see
        :func:`parse_url`); ``collection`` names where the vectors live, so several caches can
        share a server. ``timeout`` (or ``?timeout=``; default 10 s) bounds connecting and each
        add, remove and search: a server that answers later (one loading its data after a
        restart held a search for about 25 s) is a fault, so the request goes to the model."""
        args, query = parse_url(url)
        try:
            from pymilvus import DataType, MilvusClient, MilvusException

            if not args["uri"].startswith(("http://", "https://")):
                import milvus_lite  # noqa: F401 - pymilvus opens .db files with it
        except ImportError as exc:
            raise MissingExtra("the Milvus index", "milvus", exc.name or "pymilvus") from exc
        check_graph_settings("Milvus", dimension, [
            ("m", m, 2, 2048), ("ef_construction", ef_construction, 1, 2**31 - 1),
            ("ef_search", ef_search, 1, 32_768)])
        self.collection = collection or query.get("collection") or DEFAULT_COLLECTION
        if not _NAME.match(self.collection):
            raise ConfigError(f"Milvus collection {self.collection!r} must start with a letter "
                              "or '_' and hold letters, digits or '_' (at most 255)")
        self.dimension = dimension
        self._types = DataType
        self._error = MilvusException
        self._ef_search = ef_search
        self._where = f"{args['uri']} collection {self.collection}"
        key = token or query.get("token")
        if key:
            args["token"] = key
        self._timeout = _seconds(timeout if timeout is not None
                                 else query.get("timeout", DEFAULT_TIMEOUT))
        args["timeout"] = self._timeout
        try:
            self._client: Any = MilvusClient(**args)
        except MilvusException as exc:
            lite = "" if "://" in args["uri"] else (
                " (Milvus Lite opens a file in one process at a time, and its parent directory "
                "must exist; the log says which)")
            raise IndexError_(f"cannot connect to Milvus at {self._where}: {exc}{lite}") from exc
        try:
            self._open_collection(m, ef_construction)
        except (ConfigError, IndexError_):
            self._client.close()
            raise

    # -- set-up ---------------------------------------------------------------------------------

    def _open_collection(self, m: int, ef_construction: int) -> None:
        """Create what is missing, check what exists, and load it for search."""
        client, name, types = self._client, self.collection, self._types
        if not self._call("open", lambda: client.has_collection(name)):
            schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
            schema.add_field("id", types.INT64, is_primary=True)
            schema.add_field("partition", types.VARCHAR, max_length=256, is_partition_key=True)
            schema.add_field("vector", types.FLOAT_VECTOR, dim=self.dimension)
            index = client.prepare_index_params()
            index.add_index(field_name="vector", index_type="HNSW", metric_type="COSINE",
                            params={"M": m, "efConstruction": ef_construction})
            try:
                client.create_collection(name, schema=schema, index_params=index,
                                         consistency_level="Strong",
                                         properties={FORMAT_PROPERTY: COLLECTION_FORMAT})
            except self._error as exc:
                # replicas starting at once: another one made it first
                if not self._call("open", lambda: client.has_collection(name)):
                    raise IndexError_(f"cannot create Milvus {self._where}: {exc}") from exc
        self._check_collection()
        self._call("load", lambda: client.load_collection(name))

    def _check_collection(self) -> None:
        info = self._call("describe", lambda: self._client.describe_collection(self.collection))
        marker = (info.get("properties") or {}).get(FORMAT_PROPERTY)
        if marker != COLLECTION_FORMAT:
            raise ConfigError(
                f"Milvus {self._where} is not a gistcache index of format "
                f"{COLLECTION_FORMAT!r} (its {FORMAT_PROPERTY} property is {marker!r}); name "
                "another collection, it was left unchanged")
        fields = {f["name"]: f for f in info.get("fields", [])}
        dim = (fields.get("vector", {}).get("params") or {}).get("dim")
        if dim is None or int(dim) != self.dimension:
            raise ConfigError(
                f"Milvus {self._where} holds {dim}-dimensional vectors, not "
                f"{self.dimension}: another embedder filled it; name another collection")

    # -- the contract ---------------------------------------------------------------------------

    def _call(self, what: str, fn: Callable[[], _T]) -> _T:
        try:
            return fn()
        except self._error as exc:
            raise IndexError_(f"Milvus {what} failed on {self._where}: {exc}") from exc

    def add(self, partition: str, ids: Sequence[int], vectors: Vector) -> None:
        """Insert or replace rows: delete the ids wherever they are, then insert them in
        ``partition`` (so an id moves). Not an upsert: a Milvus 2.3 server before 2.3.10
        files upserted rows under a partition computed from the wrong field, where a search
        filtered by the key never finds them (milvus-io/milvus#30607; seen on 2.3.5). Milvus
        runs an upsert as this delete and insert anyway; a search between the two misses the
        id, which for a cache is a miss."""
        id_list, matrix = as_matrix(ids, vectors, self.dimension)
        key = partition_key(partition)
        for start in range(0, len(id_list), BATCH):
            chunk = id_list[start : start + BATCH]
            rows = [{"id": i, "partition": key, "vector": row}
                    for i, row in zip(chunk, matrix[start : start + BATCH].tolist(),
                                      strict=True)]
            self._call("add", functools.partial(self._client.delete, self.collection,
                                                ids=chunk, timeout=self._timeout))
            self._call("add", functools.partial(self._client.insert, self.collection, rows,
                                                timeout=self._timeout))

    def remove(self, ids: Iterable[int]) -> None:
        """Delete rows by id; unknown ids are ignored."""
        wanted = sorted({int(i) for i in ids})
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            self._call("remove", functools.partial(self._client.delete, self.collection,
                                                   ids=chunk, timeout=self._timeout))

    def search(self, partition: str, vector: Vector, k: int) -> list[Hit]:
        """The ``k`` nearest in ``partition`` by cosine, best first (at most 16384)."""
        q = as_query(vector, self.dimension)
        if k <= 0:
            return []
        limit = min(int(k), MAX_K)
        result = self._call("search", lambda: self._client.search(
            self.collection, data=[q.tolist()], anns_field="vector", limit=limit,
            filter=f'partition == "{partition_key(partition)}"', output_fields=["id"],
            search_params={"metric_type": "COSINE",
                           "params": {"ef": max(self._ef_search, limit)}},
            consistency_level="Strong", timeout=self._timeout))
        # with COSINE, Milvus's "distance" is the cosine similarity, best first; an id is
        # reported once (two replicas re-adding one id at the same moment can leave two rows)
        hits: dict[int, float] = {}
        for h in result[0]:
            hits.setdefault(int(h["id"]), float(np.clip(h["distance"], -1.0, 1.0)))
        return list(hits.items())

    def ids(self) -> set[int]:
        """Every id in the collection (a query iterator, a page at a time)."""

        def scan() -> set[int]:
            found: set[int] = set()
            pages = self._client.query_iterator(self.collection, batch_size=BATCH, filter="",
                                                output_fields=["id"],
                                                consistency_level="Strong",
                                                timeout=self._timeout)
            try:
                while page := pages.next():
                    found.update(int(row["id"]) for row in page)
            finally:
                pages.close()
            return found

        return self._call("listing ids", scan)

    def __len__(self) -> int:
        rows = self._call("count", lambda: self._client.query(
            self.collection, filter="", output_fields=["count(*)"], consistency_level="Strong",
            timeout=self._timeout))
        return int(rows[0]["count(*)"])

    def load(self, path: Path) -> bool:
        """The collection is its own persistence: there is always something to reconcile with."""
        return True

    def close(self) -> None:
        """Close the client (the collection stays; a Milvus Lite file is released when the
        process exits, as pymilvus does)."""
        self._client.close()
