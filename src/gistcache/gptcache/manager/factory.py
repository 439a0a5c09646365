"""GPTCache's data managers, as descriptions of gistcache's store and index.

``CacheBase`` names the entry store (SQLite by default, PostgreSQL or MySQL/MariaDB by URL),
``VectorBase`` the vector index (faiss, hnswlib and usearch all mean gistcache's in-process
index, which keeps vectors in the store and rebuilds from it). Nothing is opened here: the
cache is built by ``cache.init(data_manager=...)``, where the parts are checked together.

Data goes into ``./gistcache-data`` unless a ``data_dir`` (or a ``sql_url``) says otherwise;
GPTCache wrote ``sqlite.db`` and ``faiss.index`` into the working directory itself.
"""

from __future__ import annotations

import re
from typing import Any

from ..._errors import ConfigError
from ...eviction import get_policy

__all__ = [
    "DEFAULT_DATA_DIR",
    "CacheBase",
    "DataManager",
    "VectorBase",
    "get_data_manager",
    "manager_factory",
]

#: where the shims keep their data unless told otherwise
DEFAULT_DATA_DIR = "./gistcache-data"

_SQL = ("sqlite", "postgresql", "mysql", "mariadb")
_SQL_UNSUPPORTED = ("duckdb", "sqlserver", "oracle", "mongo", "redis", "dynamo")
_IN_PROCESS = ("faiss", "hnswlib", "usearch", "docarray")
_VECTOR_UNSUPPORTED = ("milvus", "zilliz", "pgvector", "chromadb", "qdrant", "weaviate",
                       "redis", "lancedb", "mongo")
# Settings of GPTCache's in-process indexes; gistcache's own index needs none of them.
_VECTOR_IGNORED = frozenset({"index_path", "index_file_path", "max_elements", "metric", "space",
                             "connectivity", "expansion_add", "expansion_search", "flush"})
_SQL_IGNORED = frozenset({"table_name", "table_len_config"})


def _hide_password(url: str) -> str:
    return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)


def _driver_url(name: str, url: str) -> str:
    """GPTCache's default drivers, replaced by the ones gistcache's extras install."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigError(f"sql_url {_hide_password(url)!r} is not a URL like "
                          "'postgresql://user:password@host/db'")
    base = scheme.split("+", 1)[0]
    family = {"postgres": "postgresql", "mariadb": "mysql"}.get(base, base)
    if family != {"mariadb": "mysql"}.get(name, name):
        raise ConfigError(f"CacheBase({name!r}) got a {base!r} URL; use a {name} URL")
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
            hint = " (not supported by gistcache)" if name in _SQL_UNSUPPORTED else ""
            raise ConfigError(f"unknown CacheBase {name!r}{hint}; supported: {', '.join(_SQL)}")
        unknown = set(kwargs) - _SQL_IGNORED
        if unknown:
            raise ConfigError(f"CacheBase({name!r}) got unknown argument(s): "
                              f"{', '.join(sorted(unknown))}")
        if sql_url is None and name != "sqlite":
            raise ConfigError(f"CacheBase({name!r}) needs sql_url=..., e.g. "
                              f"'{name}://user:password@127.0.0.1/db'")
        self.name = name
        self.url = _driver_url(name, sql_url) if sql_url is not None else None

    def __repr__(self) -> str:
        url = f", sql_url={_hide_password(self.url)!r}" if self.url else ""
        return f"CacheBase({self.name!r}{url})"


class VectorBase:
    """The vector index: ``faiss``, ``hnswlib`` and ``usearch`` all select gistcache's
    in-process index (vectors are compared by cosine similarity on every backend)."""

    def __init__(self, name: str = "faiss", dimension: int | None = None,
                 top_k: int | None = None, **kwargs: Any) -> None:
        name = str(name).lower()
        if name not in _IN_PROCESS:
            known = "not supported by gistcache.gptcache yet" if name in _VECTOR_UNSUPPORTED \
                else "unknown"
            raise ConfigError(f"VectorBase {name!r} is {known}; supported now: "
                              f"{', '.join(_IN_PROCESS)} (all mapped to gistcache's "
                              "in-process index)")
        for label, value in (("dimension", dimension), ("top_k", top_k)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 1):
                raise ConfigError(f"VectorBase {label} must be a positive integer, "
                                  f"got {value!r}")
        unknown = set(kwargs) - _VECTOR_IGNORED
        if unknown:
            raise ConfigError(f"VectorBase({name!r}) got unknown argument(s): "
                              f"{', '.join(sorted(unknown))}")
        self.name = name
        self.dimension = dimension
        self.top_k = top_k

    def __repr__(self) -> str:
        return f"VectorBase({self.name!r}, dimension={self.dimension}, top_k={self.top_k})"


class DataManager:
    """A store, an optional index and a budget; ``in_memory`` keeps nothing on disk."""

    def __init__(
        self,
        cache_base: CacheBase | None,
        vector_base: VectorBase | None,
        *,
        max_size: int | None = 1000,
        eviction: str = "LRU",
        data_dir: str = DEFAULT_DATA_DIR,
        in_memory: bool = False,
    ) -> None:
        if max_size is not None and (isinstance(max_size, bool) or not isinstance(max_size, int)
                                     or max_size < 1):
            raise ConfigError(f"max_size must be a positive integer, got {max_size!r}")
        self.eviction = get_policy(str(eviction).lower()).name
        self.cache_base = cache_base
        self.vector_base = vector_base
        self.max_size = max_size
        self.data_dir = ":memory:" if in_memory else str(data_dir)

    def __repr__(self) -> str:
        return (f"DataManager({self.cache_base!r}, {self.vector_base!r}, "
                f"max_size={self.max_size}, eviction={self.eviction!r}, "
                f"data_dir={self.data_dir!r})")


def get_data_manager(
    cache_base: CacheBase | str | None = None,
    vector_base: VectorBase | str | None = None,
    object_base: Any = None,
    eviction_base: Any = None,
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
    if object_base is not None and str(object_base).lower() != "local":
        raise ConfigError(f"object_base {object_base!r} is not supported; images and audio "
                          "are kept in the data directory")
    if eviction_base is not None and str(eviction_base).lower() not in ("memory", "no_op"):
        raise ConfigError(f"eviction_base {eviction_base!r} is not supported: gistcache "
                          "evicts in its entry store")
    if isinstance(cache_base, str):
        cache_base = CacheBase(cache_base)
    if isinstance(vector_base, str):
        vector_base = VectorBase(vector_base)
    if cache_base is None and vector_base is None:
        return DataManager(None, None, max_size=max_size, eviction=eviction, in_memory=True)
    return DataManager(cache_base or CacheBase("sqlite"), vector_base, max_size=max_size,
                       eviction=eviction, data_dir=data_dir)


def manager_factory(
    manager: str = "map",
    data_dir: str = DEFAULT_DATA_DIR,
    max_size: int = 1000,
    get_data_container: Any = None,
    eviction_manager: str = "memory",
    eviction: str = "LRU",
    scalar_params: dict[str, Any] | None = None,
    vector_params: dict[str, Any] | None = None,
    object_params: dict[str, Any] | None = None,
) -> DataManager:
    """A data manager from a name: ``"map"`` or ``"<store>,<index>[,local]"``, e.g.
    ``manager_factory("sqlite,faiss", vector_params={"dimension": 384})``."""
    if eviction_manager not in ("memory", "no_op_eviction"):
        raise ConfigError(f"eviction_manager {eviction_manager!r} is not supported: gistcache "
                          "evicts in its entry store")
    if manager == "map":
        return get_data_manager(max_size=max_size, eviction=eviction)
    parts = [p.strip() for p in str(manager).split(",")]
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise ConfigError(f"manager must be 'map' or '<store>,<index>[,<objects>]', "
                          f"got {manager!r}")
    cache_base = CacheBase(parts[0], **(scalar_params or {}))
    vector_base = VectorBase(parts[1], **(vector_params or {})) if len(parts) > 1 else None
    return get_data_manager(cache_base, vector_base, parts[2] if len(parts) > 2 else None,
                            max_size=max_size, eviction=eviction, data_dir=data_dir)
