"""GPTCache's data managers, as descriptions of gistcache's store, index and object store.

``CacheBase`` names the entry store (SQLite by default, PostgreSQL or MySQL/MariaDB by URL),
``VectorBase`` the vector index (faiss, hnswlib, usearch, docarray and chromadb all mean
gistcache's in-process index, which keeps vectors in the store and rebuilds from it; pgvector
and a Milvus server mean gistcache's index on them),
``ObjectBase`` where images are kept. Nothing is opened here: the cache is built by
``cache.init(data_manager=...)``, where the parts are checked together.

Data goes into ``./gistcache-data`` unless a ``data_dir`` (or a ``sql_url``) says otherwise, as
``gistcache.db`` and ``index/`` (GPTCache wrote ``sqlite.db`` and ``faiss.index``; bring those
over with ``gistcache import --from-gptcache DIR``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...eviction import get_policy
from ..utils.error import NotFoundError, ParamError
from .eviction import EvictionBase
from .object_data import ObjectBase

if TYPE_CHECKING:
    from ...index import VectorIndex
    from ..core import Cache

__all__ = [
    "DEFAULT_DATA_DIR",
    "CacheBase",
    "DataManager",
    "ManagerFormatError",
    "ObjectBase",
    "VectorBase",
    "get_data_manager",
    "manager_factory",
]

#: where the shims keep their data unless told otherwise
DEFAULT_DATA_DIR = "./gistcache-data"

_SQL = ("sqlite", "postgresql", "mysql", "mariadb")
_SQL_UNSUPPORTED = ("duckdb", "sqlserver", "oracle", "mongo", "redis", "dynamo")
#: GPTCache's local indexes (and chromadb's embedded mode): gistcache's in-process index
_IN_PROCESS = ("faiss", "hnswlib", "usearch", "docarray", "chromadb")
_VECTOR_UNSUPPORTED = ("zilliz", "qdrant", "weaviate", "redis", "lancedb", "mongo")
#: GPTCache's PGVector default URL
_PGVECTOR_URL = "postgresql://postgres:postgres@localhost:5432/postgres"
# Settings of GPTCache's in-process indexes; gistcache's own index needs none of them.
_VECTOR_IGNORED = frozenset({
    "index_path", "index_file_path", "max_elements", "metric", "space", "connectivity",
    "expansion_add", "expansion_search", "flush", "collection_name", "persist_directory",
    "client_settings", "local_mode", "local_data",
})
_SQL_IGNORED = frozenset({"table_name", "table_len_config"})


class ManagerFormatError(ParamError, RuntimeError):
    """A manager name that is not ``map`` or ``<store>,<index>[,<objects>]`` (GPTCache raised
    a RuntimeError for it)."""


def _hide_password(url: str) -> str:
    return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)


def _driver_url(name: str, url: str) -> str:
    """GPTCache's default drivers, replaced by the ones gistcache's extras install."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ParamError(f"sql_url {_hide_password(url)!r} is not a URL like "
                         "'postgresql://user:password@host/db'")
    base = scheme.split("+", 1)[0]
    family = {"postgres": "postgresql", "mariadb": "mysql"}.get(base, base)
    if family != {"mariadb": "mysql"}.get(name, name):
        raise ParamError(f"CacheBase({name!r}) got a {base!r} URL; use a {name} URL")
    if family == "postgresql":
        scheme = "postgresql+psycopg"
    elif family == "mysql":
        scheme = "mysql+pymysql"
    return f"{scheme}://{rest}"


class CacheBase:
    """Where the cached rows live: ``sqlite`` (default file in the data dir), ``postgresql``,
    ``mysql`` or ``mariadb`` (``sql_url`` required)."""

    def __init__(self, name: str = "sqlite", sql_url: str | None = None, **kwargs: Any) -> None:
        name = str(name).lower()
        if name not in _SQL:
            if name in _SQL_UNSUPPORTED:
                raise ParamError(f"CacheBase {name!r} is not supported by gistcache; "
                                 f"supported: {', '.join(_SQL)}")
            raise NotFoundError("cache store", name)
        unknown = set(kwargs) - _SQL_IGNORED
        if unknown:
            raise ParamError(f"CacheBase({name!r}) got unknown argument(s): "
                             f"{', '.join(sorted(unknown))}")
        if sql_url is None and name != "sqlite":
            raise ParamError(f"CacheBase({name!r}) needs sql_url=..., e.g. "
                             f"'{name}://user:password@127.0.0.1/db'")
        self.name = name
        self.url = _driver_url(name, sql_url) if sql_url is not None else None

    def __repr__(self) -> str:
        url = f", sql_url={_hide_password(self.url)!r}" if self.url else ""
        return f"CacheBase({self.name!r}{url})"


def _milvus_url(params: dict[str, Any]) -> str:
    """gistcache's Milvus index URL for GPTCache's Milvus settings (``host``, ``port``,
    ``user``, ``password``, ``secure``, ``collection_name``), which it takes out of ``params``."""
    host = str(params.pop("host", "localhost"))
    port = str(params.pop("port", "19530"))
    user, password = str(params.pop("user", "")), str(params.pop("password", ""))
    secure = params.pop("secure", False)
    scheme = "milvus+https" if secure and str(secure).lower() != "false" else "milvus"
    login = f"{quote(user, safe='')}:{quote(password, safe='')}@" if user else ""
    # without collection_name: gistcache's own collection, never GPTCache's "gptcache" (which
    # has another layout and would be refused)
    name = params.pop("collection_name", None)
    query = f"?collection={quote(str(name), safe='')}" if name else ""
    return f"{scheme}://{login}{host}:{port}{query}"


class VectorBase:
    """The vector index: ``faiss``, ``hnswlib``, ``usearch``, ``docarray`` and ``chromadb``
    select gistcache's in-process index; so does ``milvus`` with ``local_mode=True``;
    ``pgvector`` (``url``, ``collection_name`` as the table) is gistcache's ``PgVectorIndex``
    (HNSW on cosine: GPTCache's ``index_params`` for IVFFlat/L2 are ignored); ``milvus`` of a
    server (``host``, ``port``, ``user``, ``password``, ``secure``, ``collection_name``) is
    gistcache's ``MilvusIndex`` (HNSW on cosine, likewise).

    Vectors are compared by cosine similarity on every backend.
    """

    def __init__(self, name: str = "faiss", dimension: int | None = None,
                 top_k: int | None = None, **kwargs: Any) -> None:
        name = str(name).lower()
        self.url: str | None = None
        self.table = "gistcache_vectors"
        if name == "pgvector":
            self.url = _driver_url("postgresql", str(kwargs.pop("url", _PGVECTOR_URL)))
            self.table = str(kwargs.pop("collection_name", "gptcache"))
        elif name == "milvus" and not kwargs.get("local_mode"):
            self.url = _milvus_url(kwargs)
        elif name not in _IN_PROCESS and name != "milvus":
            if name in _VECTOR_UNSUPPORTED:
                raise ParamError(f"VectorBase {name!r} is not supported by gistcache.gptcache "
                                 f"yet; supported: {', '.join(_IN_PROCESS)} (all mapped to "
                                 "gistcache's in-process index)")
            raise NotFoundError("vector store", name)
        for label, value in (("dimension", dimension), ("top_k", top_k)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 1):
                raise ParamError(f"VectorBase {label} must be a positive integer, "
                                 f"got {value!r}")
        unknown = set(kwargs) - _VECTOR_IGNORED - {"host", "port", "user", "password",
                                                   "secure", "index_params", "search_params"}
        if unknown:
            raise ParamError(f"VectorBase({name!r}) got unknown argument(s): "
                             f"{', '.join(sorted(unknown))}")
        self.name = name
        self.dimension = dimension
        self.top_k = top_k

    def __repr__(self) -> str:
        url = f", url={_hide_password(self.url)!r}" if self.url else ""
        return (f"VectorBase({self.name!r}, dimension={self.dimension}, top_k={self.top_k}"
                f"{url})")

    def open_index(self, dimension: int) -> VectorIndex | None:
        """The index on the server this names, for vectors of ``dimension``; None for
        gistcache's in-process index (the cache makes that one)."""
        if self.url is None:
            return None
        if self.name == "pgvector":
            from ...index.pgvector import PgVectorIndex

            return PgVectorIndex(self.url, dimension, table=self.table)
        from ...index.milvus import MilvusIndex

        return MilvusIndex(self.url, dimension)


class DataManager:
    """A store, an optional index, where images go, and a budget; ``in_memory`` keeps
    nothing on disk.

    Once a cache is built on it, :meth:`save` and :meth:`import_data` store into that cache
    (the embeddings GPTCache code passes are not needed: the cache embeds by itself).
    """

    def __init__(
        self,
        cache_base: CacheBase | None,
        vector_base: VectorBase | None,
        *,
        max_size: int | None = 1000,
        eviction: str = "LRU",
        data_dir: str = DEFAULT_DATA_DIR,
        in_memory: bool = False,
        object_base: ObjectBase | None = None,
    ) -> None:
        if max_size is not None and (isinstance(max_size, bool) or not isinstance(max_size, int)
                                     or max_size < 1):
            raise ParamError(f"max_size must be a positive integer, got {max_size!r}")
        self.eviction = get_policy(str(eviction).lower()).name
        self.cache_base = cache_base
        self.vector_base = vector_base
        self.object_base = object_base
        self.max_size = max_size
        self.data_dir = ":memory:" if in_memory else str(data_dir)
        self._cache: Cache | None = None

    def __repr__(self) -> str:
        return (f"DataManager({self.cache_base!r}, {self.vector_base!r}, "
                f"max_size={self.max_size}, eviction={self.eviction!r}, "
                f"data_dir={self.data_dir!r})")

    def bind(self, cache: Cache) -> None:
        """Attach the cache built on this manager (done by ``Cache.init``)."""
        self._cache = cache

    def _bound(self) -> Cache:
        if self._cache is None:
            raise ParamError("this data manager is not used by a cache yet: pass it to "
                             "cache.init(data_manager=...) first")
        return self._cache

    def save(self, question: Any, answer: Any, embedding_data: Any = None, **_: Any) -> None:
        """Store one answer for a question."""
        self._bound().import_data([question], [answer])

    def import_data(self, questions: Sequence[Any], answers: Sequence[Any],
                    embedding_datas: Sequence[Any] | None = None,
                    session_ids: Sequence[str | None] | None = None) -> None:
        """Store answers for questions."""
        self._bound().import_data(questions, answers, session_ids=session_ids)

    def flush(self) -> None:
        """Write batched hit counts and save the index."""
        if self._cache is not None:
            self._cache.flush()

    def close(self) -> None:
        """Close the cache built on this manager."""
        if self._cache is not None:
            self._cache.close()


def _object_base(value: ObjectBase | str | None) -> ObjectBase | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return ObjectBase(value)
    if not isinstance(value, ObjectBase):
        raise ParamError(f"object_base must be an ObjectBase or a name, got "
                         f"{type(value).__name__}")
    return value


def get_data_manager(
    cache_base: CacheBase | str | None = None,
    vector_base: VectorBase | str | None = None,
    object_base: ObjectBase | str | None = None,
    eviction_base: EvictionBase | str | None = None,
    max_size: int = 1000,
    clean_size: int | None = None,
    eviction: str = "LRU",
    data_path: str = "data_map.txt",
    get_data_container: Any = None,
    *,
    data_dir: str = DEFAULT_DATA_DIR,
) -> DataManager:
    """A data manager; with neither base it is GPTCache's "map": exact matches, in memory.

    ``clean_size``, ``data_path`` and ``get_data_container`` are accepted and ignored
    (gistcache evicts exactly the excess and never pickles anything).
    """
    if isinstance(eviction_base, str):
        eviction_base = EvictionBase(eviction_base)
    if eviction_base is not None:
        if not isinstance(eviction_base, EvictionBase):
            raise ParamError("eviction_base must be an EvictionBase or a name")
        eviction = eviction_base.policy
        max_size = eviction_base.maxsize
    if isinstance(cache_base, str):
        cache_base = CacheBase(cache_base)
    if isinstance(vector_base, str):
        vector_base = VectorBase(vector_base)
    objects = _object_base(object_base)
    if cache_base is None and vector_base is None:
        return DataManager(None, None, max_size=max_size, eviction=eviction, in_memory=True,
                           object_base=objects)
    return DataManager(cache_base or CacheBase("sqlite"), vector_base, max_size=max_size,
                       eviction=eviction, data_dir=data_dir, object_base=objects)


_EVICTION_KEYS = frozenset({"max_size", "clean_size", "eviction", "policy", "maxsize"})


def manager_factory(
    manager: str = "map",
    data_dir: str = DEFAULT_DATA_DIR,
    max_size: int = 1000,
    eviction_manager: str = "memory",
    get_data_container: Any = None,
    scalar_params: Mapping[str, Any] | None = None,
    vector_params: Mapping[str, Any] | None = None,
    object_params: Mapping[str, Any] | None = None,
    eviction_params: Mapping[str, Any] | None = None,
    *,
    eviction: str = "LRU",
) -> DataManager:
    """A data manager from a name: ``"map"`` or ``"<store>,<index>[,local]"``, e.g.
    ``manager_factory("sqlite,faiss", vector_params={"dimension": 384})``.

    The budget is ``eviction_params={"max_size": N, "eviction": "LRU"}`` as in GPTCache 0.1.44,
    or ``max_size=N`` (which GPTCache honoured only for "map"); ``eviction_params`` wins.
    """
    if str(eviction_manager).lower() not in ("memory", "no_op_eviction"):
        raise ParamError(f"eviction_manager {eviction_manager!r} is not supported: gistcache "
                         "evicts in its entry store (eviction_params={'max_size': N})")
    params = dict(eviction_params or {})
    unknown = set(params) - _EVICTION_KEYS
    if unknown:
        raise ParamError(f"eviction_params got unknown key(s): {', '.join(sorted(unknown))}; "
                         "known: max_size, eviction")
    size = params.get("max_size", params.get("maxsize", max_size))
    policy = str(params.get("eviction", params.get("policy", eviction)))
    name = str(manager).strip().lower()
    if name == "map":
        return get_data_manager(max_size=size, eviction=policy)
    parts = [p.strip() for p in name.split(",")]
    if len(parts) not in (2, 3) or not all(parts[:2]):
        raise ManagerFormatError(f"manager must be 'map' or '<store>,<index>[,<objects>]' "
                                 f"(e.g. 'sqlite,faiss'), got {manager!r}")
    cache_base = CacheBase(parts[0], **dict(scalar_params or {}))
    vector_base = VectorBase(parts[1], **dict(vector_params or {}))
    objects = None
    if len(parts) == 3 and parts[2]:
        extra = dict(object_params or {})
        extra.setdefault("path", f"{data_dir.rstrip('/')}/objects")
        objects = ObjectBase(parts[2], **extra)
    return get_data_manager(cache_base, vector_base, objects, max_size=size, eviction=policy,
                            data_dir=data_dir)
