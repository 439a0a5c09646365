"""The SQL entry store on SQLAlchemy Core: SQLite (WAL) by default, PostgreSQL and MySQL alike."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError

from .._errors import ConfigError, StoreError
from .._types import Entry
from ..eviction import EvictionPolicy
from ._base import EntryStore, NewEntry, PutResult, StoreStats, known_new_hints

__all__ = ["SQLStore", "sqlite_url"]

log = logging.getLogger("gistcache.store")

#: the layout of the tables below; a store written with another version is refused, never altered
SCHEMA_VERSION = "1"

_metadata = sa.MetaData()

# MySQL/MariaDB need their own column types: FLOAT is single precision there (a timestamp would
# round to minutes), TEXT holds 64 KiB, and the default collations compare case-insensitively
# (tenants "Acme" and "acme" would share rows). The other engines keep the generic types.
_MYSQL = ("mysql", "mariadb")
_Time = sa.Float().with_variant(mysql.DOUBLE(asdecimal=False), *_MYSQL)
_LongText = sa.Text().with_variant(mysql.LONGTEXT(), *_MYSQL)
_Blob = sa.LargeBinary().with_variant(mysql.LONGBLOB(), *_MYSQL)
_MYSQL_TABLE: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin",
                "mariadb_charset": "utf8mb4", "mariadb_collate": "utf8mb4_bin"}

entries = sa.Table(
    "gistcache_entries",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope_key", sa.String(64), nullable=False, index=True),
    sa.Column("exact_key", sa.String(64), nullable=False, unique=True),
    sa.Column("key_text", _LongText, nullable=False),
    sa.Column("answer", _LongText, nullable=False),
    sa.Column("scope_json", _LongText, nullable=False),
    sa.Column("payload", _LongText, nullable=True),
    sa.Column("embedding", _Blob, nullable=True),
    sa.Column("created_at", _Time, nullable=False),
    sa.Column("accessed_at", _Time, nullable=False, index=True),
    sa.Column("expires_at", _Time, nullable=True, index=True),
    sa.Column("hits", sa.Integer, nullable=False, default=0),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("wrong_hits", sa.Integer, nullable=False, default=0),
    sa.Column("right_hits", sa.Integer, nullable=False, default=0),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("namespace", sa.String(200), nullable=False, index=True),
    sa.Column("prompt_tokens", sa.Integer, nullable=False, default=0),
    sa.Column("completion_tokens", sa.Integer, nullable=False, default=0),
    sa.Column("context_text", _LongText, nullable=False, default=""),
    sqlite_autoincrement=True,  # ids are never reused: the index and tombstones rely on it
    **_MYSQL_TABLE,
)

tombstones = sa.Table(
    "gistcache_tombstones",
    _metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entry_id", sa.Integer, nullable=False),
    sqlite_autoincrement=True,
    **_MYSQL_TABLE,
)

meta = sa.Table(
    "gistcache_meta",
    _metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", _LongText, nullable=False),
    **_MYSQL_TABLE,
)

_ENTRY_COLUMNS = [c for c in entries.c if c.name not in ("embedding", "right_hits")]

# Statements built once: building one costs more than running it on SQLite.
_Q_BY_EXACT = sa.select(*_ENTRY_COLUMNS).where(entries.c.exact_key == sa.bindparam("k"))
_Q_BY_IDS = sa.select(*_ENTRY_COLUMNS).where(entries.c.id.in_(sa.bindparam("ids", expanding=True)))
_Q_OLD = sa.select(entries.c.id, entries.c.size).where(entries.c.exact_key == sa.bindparam("k"))
_Q_MARKERS = sa.select(
    sa.select(sa.func.coalesce(sa.func.max(entries.c.id), 0)).scalar_subquery(),
    sa.select(sa.func.coalesce(sa.func.max(tombstones.c.seq), 0)).scalar_subquery(),
)
_INSERT = entries.insert()
_PUT_ATTEMPTS = 10
_DELETE_ONE = entries.delete().where(entries.c.id == sa.bindparam("i"))


def sqlite_url(path: str | Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{Path(path)}"


def _row_to_entry(row: Any) -> Entry:
    m = row._mapping
    payload = m["payload"]
    return Entry(
        id=m["id"],
        scope_key=m["scope_key"],
        exact_key=m["exact_key"],
        key_text=m["key_text"],
        answer=m["answer"],
        scope_json=m["scope_json"],
        payload=json.loads(payload) if payload else None,
        embedding=m.get("embedding"),
        created_at=m["created_at"],
        accessed_at=m["accessed_at"],
        expires_at=m["expires_at"],
        hits=m["hits"],
        size=m["size"],
        wrong_hits=m["wrong_hits"],
        model=m["model"],
        namespace=m["namespace"],
        prompt_tokens=m["prompt_tokens"],
        completion_tokens=m["completion_tokens"],
        context=m["context_text"],
    )


def _row_values(entry: NewEntry) -> dict[str, Any]:
    """The ``entries`` row of a new entry."""
    return {
        "scope_key": entry.scope_key,
        "exact_key": entry.exact_key,
        "key_text": entry.key_text,
        "answer": entry.answer,
        "scope_json": entry.scope_json,
        "payload": entry.payload,
        "embedding": entry.embedding,
        "created_at": entry.created_at,
        "accessed_at": entry.created_at,
        "expires_at": entry.expires_at,
        "hits": 0,
        "size": entry.size,
        "wrong_hits": 0,
        "right_hits": 0,
        "model": entry.model,
        "namespace": entry.namespace,
        "prompt_tokens": entry.prompt_tokens,
        "completion_tokens": entry.completion_tokens,
        "context_text": entry.context,
    }


def _put_result(entry: NewEntry, values: dict[str, Any], new_id: int, old: int | None,
                old_size: int) -> PutResult:
    fields = {k: v for k, v in values.items() if k not in ("right_hits", "context_text")}
    row = Entry(id=int(new_id), context=entry.context, **fields)
    row.payload = json.loads(entry.payload) if entry.payload else None
    return PutResult(row, old, old_size)


class SQLStore(EntryStore):
    """Entry rows in one SQL database; every write is one committed transaction."""

    def __init__(
        self,
        url: str = "sqlite:///:memory:",
        *,
        schema: str | None = None,
        sqlite_synchronous: str = "NORMAL",
        engine_kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        """Open (creating its tables when missing) the store at ``url``.

        ``schema``: the PostgreSQL schema (MySQL/MariaDB: database) that holds the tables, so that
        several caches share one database; it must exist. Default: the connection's own.
        """
        kwargs = dict(engine_kwargs or {})
        self.url = url
        self.schema = schema
        self._sqlite = url.startswith("sqlite")
        if self._sqlite:
            if schema is not None:
                raise ConfigError("schema is for PostgreSQL/MySQL stores; SQLite has one per file")
            if sqlite_synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
                raise ConfigError(f"sqlite_synchronous must be OFF/NORMAL/FULL/EXTRA, got "
                                  f"{sqlite_synchronous!r}")
            kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
            if url in ("sqlite://", "sqlite:///:memory:"):
                kwargs.setdefault("poolclass", sa.pool.StaticPool)
            else:
                self._check_sqlite_dir(url)
        else:
            # a dead connection in the pool (server restarted) is replaced, not handed out
            kwargs.setdefault("pool_pre_ping", True)
        # errors must not carry the rows' contents (questions, answers) into logs
        kwargs.setdefault("hide_parameters", True)
        try:
            engine = sa.create_engine(url, **kwargs)
        except (SQLAlchemyError, ImportError) as exc:
            raise ConfigError(f"cannot open entry store {self._safe_url()}: {exc}") from exc
        if schema is not None:
            engine = engine.execution_options(schema_translate_map={None: schema})
        self.engine: Engine = engine
        if self._sqlite:
            self._install_sqlite_pragmas(sqlite_synchronous.upper())
        # One writer at a time in this process: SQLite serialises writers anyway, and it keeps
        # delete-then-insert of a replaced exact key atomic for every backend.
        self._write_lock = threading.Lock()
        try:
            self._check_schema()
            self._create_schema()
            if self.get_meta("schema_version") is None:
                self.set_meta("schema_version", SCHEMA_VERSION)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot initialise entry store {self._where()}: {exc}") from exc

    def _check_schema(self) -> None:
        """Refuse tables this version cannot use: another schema version, or missing columns.

        Nothing is altered: a store written by another version of gistcache may still be in use
        by it, and changing its tables under it would break that process.
        """
        inspector = sa.inspect(self.engine)
        present = set(inspector.get_table_names(schema=self.schema))
        for table in (entries, tombstones, meta):
            if table.name not in present:
                continue
            columns = {c["name"]: c for c in inspector.get_columns(table.name, schema=self.schema)}
            missing = sorted(set(table.c.keys()) - set(columns))
            if missing:
                raise ConfigError(
                    f"entry store {self._where()}: table {table.name} lacks columns "
                    f"{', '.join(missing)}; it was not made by this version of gistcache "
                    f"(schema {SCHEMA_VERSION}). Use another database or schema, or export "
                    f"and re-import the cache; gistcache never alters existing tables")
            if table is entries and self.engine.dialect.name in _MYSQL:
                narrow = sorted(n for n in ("created_at", "accessed_at", "expires_at")
                                if type(columns[n]["type"]).__name__ == "FLOAT")
                if narrow:
                    raise ConfigError(
                        f"entry store {self._where()}: columns {', '.join(narrow)} are "
                        f"single-precision FLOAT, which rounds timestamps to minutes; schema "
                        f"{SCHEMA_VERSION} needs DOUBLE. Alter them yourself (ALTER TABLE "
                        f"{table.name} MODIFY ... DOUBLE) or use a new database")
        if meta.name in present:
            found = self.get_meta("schema_version")
            if found is not None and found != SCHEMA_VERSION:
                raise ConfigError(
                    f"entry store {self._where()} has schema version {found}; this version of "
                    f"gistcache reads schema {SCHEMA_VERSION} only. Open it with the gistcache "
                    f"that wrote it, or export and re-import; it was left unchanged")

    def _create_schema(self) -> None:
        # Several processes (server workers) may open a new database at once: the loser of the
        # race to create a table sees "already exists" and tries again, finding it this time.
        for attempt in range(5):
            try:
                _metadata.create_all(self.engine)
                return
            except (OperationalError, ProgrammingError, IntegrityError):
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def _where(self) -> str:
        """The URL (password hidden) and schema, for messages."""
        return self._safe_url() + (f" (schema {self.schema})" if self.schema else "")

    def _safe_url(self) -> str:
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    @staticmethod
    def _check_sqlite_dir(url: str) -> None:
        path = sa.engine.make_url(url).database
        if path:
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise ConfigError(f"the data directory {parent} does not exist")

    def _install_sqlite_pragmas(self, synchronous: str) -> None:
        def on_connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={synchronous}")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        event.listen(self.engine, "connect", on_connect)

    # -- writes -------------------------------------------------------------------------------

    def put(self, entry: NewEntry, *, known_new: bool = False) -> PutResult:
        """Insert a row, replacing (and tombstoning) any row with the same exact key.

        ``known_new`` skips the look for a row to replace (the caller knows of none); a row
        another process inserted meanwhile is still replaced, through the unique key.
        """
        values = _row_values(entry)
        try:
            with self._write_lock:
                # Another process may insert the same exact key between our look and our insert
                # (replicas that missed the same question at once): the unique key refuses the
                # second row, and looking again finds the first one to replace.
                for attempt in range(_PUT_ATTEMPTS):
                    try:
                        new_id, old, old_size = self._insert(
                            values, entry.exact_key, known_new and attempt == 0)
                        break
                    except IntegrityError:
                        if attempt == _PUT_ATTEMPTS - 1:
                            raise
                        # jitter: writers that collided once must not collide again in step
                        time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        except SQLAlchemyError as exc:
            raise StoreError(f"put failed: {exc}") from exc
        return _put_result(entry, values, new_id, old, old_size)

    def put_many(self, entries: Sequence[NewEntry], *, known_new: Sequence[bool] | None = None
                 ) -> list[PutResult]:
        """:meth:`put` each entry in order, all in one transaction (an import's batch).

        A unique-key collision with another process's insert rolls the batch back, and it is
        put again row by row, each with its own retries.
        """
        hints = known_new_hints(entries, known_new)
        if len(entries) <= 1:
            return [self.put(e, known_new=k) for e, k in zip(entries, hints, strict=True)]
        rows = [_row_values(e) for e in entries]
        try:
            with self._write_lock:
                try:
                    with self.engine.begin() as conn:
                        done = [self._insert_on(conn, values, e.exact_key, k)
                                for values, e, k in zip(rows, entries, hints, strict=True)]
                except IntegrityError:
                    done = []
        except SQLAlchemyError as exc:
            raise StoreError(f"put failed: {exc}") from exc
        if not done:
            return [self.put(e, known_new=False) for e in entries]
        return [_put_result(e, values, *ids) for e, values, ids in zip(entries, rows, done,
                                                                         strict=True)]

    def _insert(self, values: dict[str, Any], exact_key: str, known_new: bool
                ) -> tuple[int, int | None, int]:
        with self.engine.begin() as conn:
            return self._insert_on(conn, values, exact_key, known_new)

    @staticmethod
    def _insert_on(conn: sa.Connection, values: dict[str, Any], exact_key: str,
                   known_new: bool) -> tuple[int, int | None, int]:
        """Insert one row in ``conn``'s transaction, replacing the row with its exact key."""
        old, old_size = None, 0
        if not known_new:
            found = conn.execute(_Q_OLD, {"k": exact_key}).first()
            if found is not None:
                old, old_size = int(found.id), int(found.size)
                conn.execute(_DELETE_ONE, {"i": old})
                conn.execute(tombstones.insert(), {"entry_id": old})
        inserted = conn.execute(_INSERT, values).inserted_primary_key
        assert inserted is not None
        return int(inserted[0]), old, old_size

    def delete(self, ids: Iterable[int]) -> list[int]:
        """Delete rows and record tombstones."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        done: list[int] = []
        try:
            with self._write_lock, self.engine.begin() as conn:
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start : start + 500]
                    found = [
                        int(i)
                        for i in conn.execute(
                            sa.select(entries.c.id).where(entries.c.id.in_(chunk))
                        ).scalars()
                    ]
                    if not found:
                        continue
                    conn.execute(entries.delete().where(entries.c.id.in_(found)))
                    conn.execute(
                        tombstones.insert(),
                        [{"entry_id": i} for i in found],
                    )
                    done.extend(found)
        except SQLAlchemyError as exc:
            raise StoreError(f"delete failed: {exc}") from exc
        return done

    def touch(self, hits: Mapping[int, tuple[int, float]]) -> None:
        """Apply batched hit counts and access times in one transaction."""
        if not hits:
            return
        stmt = (
            entries.update()
            .where(entries.c.id == sa.bindparam("b_id"))
            .values(
                hits=entries.c.hits + sa.bindparam("b_count"),
                accessed_at=sa.func.max(entries.c.accessed_at, sa.bindparam("b_at"))
                if self._sqlite
                else sa.func.greatest(entries.c.accessed_at, sa.bindparam("b_at")),
            )
        )
        params = [{"b_id": i, "b_count": c, "b_at": at} for i, (c, at) in hits.items()]
        try:
            with self._write_lock, self.engine.begin() as conn:
                conn.execute(stmt, params)
        except SQLAlchemyError as exc:
            raise StoreError(f"recording hits failed: {exc}") from exc

    def feedback(self, entry_id: int, correct: bool) -> Entry | None:
        """Count a right or wrong hit on an entry."""
        col = entries.c.right_hits if correct else entries.c.wrong_hits
        try:
            with self._write_lock, self.engine.begin() as conn:
                conn.execute(
                    entries.update().where(entries.c.id == entry_id).values({col: col + 1})
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"recording feedback failed: {exc}") from exc
        return self.get_many([entry_id]).get(entry_id)

    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value."""
        for attempt in range(2):
            try:
                with self._write_lock, self.engine.begin() as conn:
                    conn.execute(meta.delete().where(meta.c.key == key))
                    conn.execute(meta.insert(), {"key": key, "value": value})
                return
            except IntegrityError:
                if attempt == 1:
                    raise StoreError(f"writing metadata {key!r} failed: another process "
                                     "keeps writing it") from None
                # another process inserted the key between our delete and insert: once more
            except SQLAlchemyError as exc:
                raise StoreError(f"writing metadata failed: {exc}") from exc

    # -- reads --------------------------------------------------------------------------------

    def _select(self, stmt: Any, params: Mapping[str, Any] | None = None) -> list[Any]:
        try:
            with self.engine.connect() as conn:
                return list(conn.execute(stmt, params))
        except SQLAlchemyError as exc:
            raise StoreError(f"read failed: {exc}") from exc

    def get_many(self, ids: Iterable[int]) -> dict[int, Entry]:
        """Rows by id."""
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = self._select(_Q_BY_IDS, {"ids": wanted})
        return {r.id: _row_to_entry(r) for r in rows}

    def get_by_exact_key(self, exact_key: str) -> Entry | None:
        """The row with this exact key."""
        rows = self._select(_Q_BY_EXACT, {"k": exact_key})
        return _row_to_entry(rows[0]) if rows else None

    def victims(self, policy: EvictionPolicy, now: float, entries_over: int, size_over: int
                ) -> list[int]:
        """Ids to drop: expired first, then by policy order, until the excess is freed."""
        if entries_over <= 0 and size_over <= 0:
            return []
        expired_first = sa.case((sa.and_(entries.c.expires_at.is_not(None),
                                         entries.c.expires_at <= now), 0), else_=1)
        order: list[Any] = [expired_first]
        for name in policy.order_by:
            col = entries.c[name]
            # NULL expiry means "never": it sorts last on every backend
            order.extend([col.is_(None), col] if name == "expires_at" else [col])
        stmt = sa.select(entries.c.id, entries.c.size).order_by(*order)
        chosen: list[int] = []
        freed_n = freed_b = 0
        try:
            with self.engine.connect() as conn:
                for row in conn.execute(stmt.execution_options(yield_per=500)):
                    if freed_n >= entries_over and freed_b >= size_over:
                        break
                    chosen.append(int(row.id))
                    freed_n += 1
                    freed_b += int(row.size)
        except SQLAlchemyError as exc:
            raise StoreError(f"choosing eviction victims failed: {exc}") from exc
        return chosen

    def expired(self, now: float, limit: int = 1000) -> list[int]:
        """Ids past their expiry time."""
        stmt = (sa.select(entries.c.id).where(entries.c.expires_at.is_not(None))
                .where(entries.c.expires_at <= now).limit(limit))
        return [int(r.id) for r in self._select(stmt)]

    def scan(
        self, *, after_id: int = 0, batch: int = 1000, with_embedding: bool = True
    ) -> Iterator[list[Entry]]:
        """Rows in id order, in batches."""
        cols = [*_ENTRY_COLUMNS, entries.c.embedding] if with_embedding else _ENTRY_COLUMNS
        last = after_id
        while True:
            rows = self._select(
                sa.select(*cols).where(entries.c.id > last).order_by(entries.c.id).limit(batch)
            )
            if not rows:
                return
            yield [_row_to_entry(r) for r in rows]
            last = rows[-1].id

    def all_ids(self, *, namespace: str | None = None, with_vector: bool = False
                ) -> dict[int, str]:
        """Ids with their scope key."""
        stmt = sa.select(entries.c.id, entries.c.scope_key)
        if namespace is not None:
            stmt = stmt.where(entries.c.namespace == namespace)
        if with_vector:
            stmt = stmt.where(entries.c.embedding.is_not(None))
        return {int(r.id): r.scope_key for r in self._select(stmt)}

    def vectors(self, ids: Iterable[int]) -> dict[int, tuple[str, bytes]]:
        """Scope key and vector bytes by id."""
        wanted = list(set(ids))
        out: dict[int, tuple[str, bytes]] = {}
        for start in range(0, len(wanted), 500):
            stmt = (sa.select(entries.c.id, entries.c.scope_key, entries.c.embedding)
                    .where(entries.c.id.in_(wanted[start : start + 500]))
                    .where(entries.c.embedding.is_not(None)))
            out.update({int(r.id): (r.scope_key, bytes(r.embedding)) for r in self._select(stmt)})
        return out

    def exact_keys(self) -> list[str]:
        """Every row's exact key."""
        return [str(r[0]) for r in self._select(sa.select(entries.c.exact_key))]

    def tombstones_since(self, seq: int) -> tuple[list[int], int]:
        """Deleted ids after ``seq``."""
        rows = self._select(sa.select(tombstones.c.seq, tombstones.c.entry_id)
                            .where(tombstones.c.seq > seq).order_by(tombstones.c.seq))
        if not rows:
            return [], seq
        return [int(r.entry_id) for r in rows], int(rows[-1].seq)

    def stats(self) -> StoreStats:
        """Totals for budgets and syncing."""
        row = self._select(
            sa.select(
                sa.func.count(entries.c.id),
                sa.func.coalesce(sa.func.sum(entries.c.size), 0),
                sa.func.coalesce(sa.func.max(entries.c.id), 0),
                sa.select(sa.func.coalesce(sa.func.max(tombstones.c.seq), 0)).scalar_subquery(),
            )
        )[0]
        return StoreStats(int(row[0]), int(row[1]), int(row[2]), int(row[3]))

    def markers(self) -> tuple[int, int]:
        """Newest id and newest tombstone (two index lookups, no table scan)."""
        row = self._select(_Q_MARKERS)[0]
        return int(row[0]), int(row[1])

    def get_meta(self, key: str) -> str | None:
        """A metadata value."""
        rows = self._select(sa.select(meta.c.value).where(meta.c.key == key))
        return str(rows[0].value) if rows else None

    def close(self) -> None:
        """Dispose of the connection pool."""
        self.engine.dispose()
