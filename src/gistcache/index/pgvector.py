"""A VectorIndex in PostgreSQL with the pgvector extension: HNSW on cosine distance, shared by
every replica that points at the same table.

One table holds ``(id, partition, embedding)``; a search is one query whose ``WHERE partition =``
is part of the index scan (pgvector >= 0.8 scans the HNSW graph on until ``k`` rows of the
partition are found, in exact distance order), so a scope is a filter, never a score, and a small
partition in a large table still gets its ``k`` nearest.

Needs the ``postgres`` extra (psycopg 3 and the pgvector adapter) and a server where the
``vector`` extension is installed or may be created by this user.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gistcache._errors import ConfigError, IndexError_, MissingExtra
from gistcache.index._base import Hit, Vector, VectorIndex, check_graph_settings
from gistcache.index.flat import as_matrix, as_query

__all__ = ["PgVectorIndex"]

log = logging.getLogger(__name__)

#: the table's layout, kept as the table comment; another one is refused, never altered
TABLE_FORMAT = "gistcache-pgvector 1"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,50}$")


# The extension's types and operators live in the schema it was created in (often public); a
# connection whose search_path leaves that schema out (a URL with options=-csearch_path=...)
# would not find them: append it to the path, after the schemas the user chose.
_SEE_EXTENSION = (
    "SELECT set_config('search_path', current_setting('search_path') || ', ' || "
    "quote_ident(n.nspname), %s::boolean) FROM pg_extension e "
    "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'")


def _quote(name: str, what: str) -> str:
    if not _NAME.match(name):
        raise ConfigError(f"pgvector {what} {name!r} must be a plain SQL name "
                          "(letters, digits, underscore; at most 51 characters)")
    return f'"{name}"'


class PgVectorIndex(VectorIndex):
    """Entry vectors in one PostgreSQL table with an HNSW (cosine) index."""

    def __init__(
        self,
        url: str,
        dimension: int,
        *,
        table: str = "gistcache_vectors",
        schema: str | None = None,
        m: int = 16,
        ef_construction: int = 64,
        ef_search: int = 64,
        engine_kwargs: dict[str, Any] | None = None,
    ) -> None:
        """Open (creating the extension, table and indexes when missing) the index at ``url``.

        ``url`` is a SQLAlchemy URL (``postgresql+psycopg://user@host/db``); ``table`` and
        ``schema`` name where the vectors live, so several caches can share a database.
        """
        try:
            import sqlalchemy as sa
            from pgvector.psycopg import register_vector
        except ImportError as exc:
            raise MissingExtra("the pgvector index", "postgres", exc.name or "pgvector") from exc
        check_graph_settings("pgvector", dimension, [
            ("m", m, 2, 1000), ("ef_construction", ef_construction, 2, 1000),
            ("ef_search", ef_search, 2, 1000)])
        self.dimension = dimension
        self._sa = sa
        self._url = url
        self._where = sa.engine.make_url(url).render_as_string(hide_password=True)
        self._plain_table = table
        self._table = (_quote(schema, "schema") + "." if schema else "") + _quote(table, "table")
        self._schema = schema
        kwargs: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True,
                                  **(engine_kwargs or {})}
        try:
            self._engine = sa.create_engine(url, **kwargs)
        except (sa.exc.SQLAlchemyError, ImportError) as exc:
            raise ConfigError(f"cannot open pgvector index {self._where}: {exc}") from exc
        if self._engine.dialect.name != "postgresql":
            raise ConfigError(f"the pgvector index needs a PostgreSQL URL, got {self._where}")
        try:
            iterative = self._create(m, ef_construction)
        except sa.exc.SQLAlchemyError as exc:
            self._engine.dispose()
            raise IndexError_(f"cannot initialise pgvector index {self._where}: {exc}") from exc
        except ConfigError:
            self._engine.dispose()
            raise

        def on_connect(dbapi_conn: Any, _record: Any) -> None:
            with dbapi_conn.cursor() as cur:
                cur.execute(_SEE_EXTENSION, ("false",))
            register_vector(dbapi_conn)
            with dbapi_conn.cursor() as cur:
                cur.execute(f"SET hnsw.ef_search = {int(ef_search)}")
                if iterative:
                    cur.execute("SET hnsw.iterative_scan = strict_order")
            dbapi_conn.commit()

        # Connections made so far (for the set-up) lack the adapter: start the pool afresh.
        self._engine.dispose()
        sa.event.listen(self._engine, "connect", on_connect)

    # -- set-up ---------------------------------------------------------------------------------

    def _create(self, m: int, ef_construction: int) -> bool:
        """Create what is missing, check what exists; True when pgvector has iterative scans."""
        t, plain = self._table, self._plain_table
        with self._engine.begin() as conn:
            # replicas starting at once: one creates, the others wait and then find it made
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%s))",
                                 (f"gistcache-pgvector:{t}",))
            version = conn.exec_driver_sql(
                "SELECT extversion FROM pg_extension WHERE extname = 'vector'").scalar()
            if version is None:
                try:
                    with conn.begin_nested():
                        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS vector")
                except self._sa.exc.DBAPIError as exc:
                    why = (str(exc.orig).strip().splitlines() or ["no reason given"])[0]
                    raise ConfigError(
                        f"the pgvector extension is not installed in {self._where} and this "
                        f"user cannot create it ({why}); run CREATE "
                        "EXTENSION vector as a superuser, or use a server that ships pgvector"
                    ) from exc
                version = conn.exec_driver_sql(
                    "SELECT extversion FROM pg_extension WHERE extname = 'vector'").scalar()
            conn.exec_driver_sql(_SEE_EXTENSION, ("true",))
            exists = conn.exec_driver_sql("SELECT to_regclass(%s)", (t,)).scalar() is not None
            if exists:
                self._check_table(conn)
            else:
                conn.exec_driver_sql(
                    f"CREATE TABLE {t} (id bigint PRIMARY KEY, partition text NOT NULL, "
                    f"embedding vector({self.dimension}) NOT NULL)")
                conn.exec_driver_sql(f"COMMENT ON TABLE {t} IS '{TABLE_FORMAT}'")
                conn.exec_driver_sql(f'CREATE INDEX "{plain}_partition" ON {t} (partition)')
                conn.exec_driver_sql(
                    f'CREATE INDEX "{plain}_hnsw" ON {t} USING hnsw '
                    f"(embedding vector_cosine_ops) WITH (m = {int(m)}, "
                    f"ef_construction = {int(ef_construction)})")
        parts = tuple(int(p) for p in re.findall(r"\d+", str(version))[:2])
        if parts < (0, 8):
            log.warning("pgvector %s on %s has no iterative index scans: a search in a small "
                        "scope of a large table may find fewer than k entries; upgrade to 0.8+",
                        version, self._where)
            return False
        return True

    def _check_table(self, conn: Any) -> None:
        t = self._table
        comment = conn.exec_driver_sql("SELECT obj_description(%s::regclass, 'pg_class')",
                                       (t,)).scalar()
        if comment != TABLE_FORMAT:
            raise ConfigError(
                f"table {t} in {self._where} is not a gistcache pgvector index of format "
                f"{TABLE_FORMAT!r} (its comment says {comment!r}); name another table, it was "
                "left unchanged")
        column = conn.exec_driver_sql(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attname = 'embedding' AND NOT attisdropped",
            (t,)).scalar()
        if column != f"vector({self.dimension})":
            raise ConfigError(
                f"table {t} in {self._where} holds {column} embeddings, not "
                f"vector({self.dimension}): another embedder filled it; name another table")

    # -- the contract ---------------------------------------------------------------------------

    def _run(self, what: str, sql: str, params: Any = None, *, many: bool = False) -> list[Any]:
        try:
            with self._engine.begin() as conn:
                if many:
                    conn.exec_driver_sql(sql, params)
                    return []
                result = conn.exec_driver_sql(sql, params)
                return list(result) if result.returns_rows else []
        except self._sa.exc.SQLAlchemyError as exc:
            raise IndexError_(f"pgvector {what} failed on {self._where}: {exc}") from exc

    def add(self, partition: str, ids: Sequence[int], vectors: Vector) -> None:
        """Insert or replace vectors (an id moves to ``partition`` if it was elsewhere)."""
        id_list, matrix = as_matrix(ids, vectors, self.dimension)
        if not id_list:
            return
        rows = [(i, partition, row) for i, row in zip(id_list, matrix, strict=True)]
        self._run("add", f"INSERT INTO {self._table} (id, partition, embedding) "
                         "VALUES (%s, %s, %s) ON CONFLICT (id) DO UPDATE SET "
                         "partition = EXCLUDED.partition, embedding = EXCLUDED.embedding",
                  rows, many=True)

    def remove(self, ids: Iterable[int]) -> None:
        """Delete rows by id; unknown ids are ignored."""
        wanted = sorted({int(i) for i in ids})
        for start in range(0, len(wanted), 5000):
            self._run("remove", f"DELETE FROM {self._table} WHERE id = ANY(%s)",
                      (wanted[start : start + 5000],))

    def search(self, partition: str, vector: Vector, k: int) -> list[Hit]:
        """The ``k`` nearest in ``partition`` by cosine, best first."""
        q = as_query(vector, self.dimension)
        if k <= 0:
            return []
        rows = self._run(
            "search",
            f"SELECT id, 1 - (embedding <=> %(q)s) FROM {self._table} "
            "WHERE partition = %(p)s ORDER BY embedding <=> %(q)s LIMIT %(k)s",
            {"q": q, "p": partition, "k": int(k)})
        return [(int(i), float(np.clip(s, -1.0, 1.0))) for i, s in rows]

    def ids(self) -> set[int]:
        """Every id in the table."""
        return {int(r[0]) for r in self._run("listing ids", f"SELECT id FROM {self._table}")}

    def __len__(self) -> int:
        return int(self._run("count", f"SELECT count(*) FROM {self._table}")[0][0])

    def load(self, path: Path) -> bool:
        """The table is its own persistence: there is always something to reconcile with."""
        return True

    def close(self) -> None:
        """Dispose of the connection pool (the table stays)."""
        self._engine.dispose()
