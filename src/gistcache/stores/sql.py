"""The SQL entry store on SQLAlchemy Core: SQLite (WAL) by default, PostgreSQL and MySQL alike."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError

from .._errors import ConfigError, StoreError
from .._types import Entry
from ..eviction import EvictionPolicy
from ._base import EntryStore, NewEntry, PutResult, StoreStats

__all__ = ["SQLStore", "sqlite_url"]

log = logging.getLogger("gistcache.store")

SCHEMA_VERSION = "1"

_metadata = sa.MetaData()

entries = sa.Table(
    "gistcache_entries",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope_key", sa.String(64), nullable=False, index=True),
    sa.Column("exact_key", sa.String(64), nullable=False, unique=True),
    sa.Column("key_text", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("scope_json", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=True),
    sa.Column("embedding", sa.LargeBinary, nullable=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("accessed_at", sa.Float, nullable=False, index=True),
    sa.Column("expires_at", sa.Float, nullable=True, index=True),
    sa.Column("hits", sa.Integer, nullable=False, default=0),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("wrong_hits", sa.Integer, nullable=False, default=0),
    sa.Column("right_hits", sa.Integer, nullable=False, default=0),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("namespace", sa.String(200), nullable=False, index=True),
    sa.Column("prompt_tokens", sa.Integer, nullable=False, default=0),
    sa.Column("completion_tokens", sa.Integer, nullable=False, default=0),
    sa.Column("context_text", sa.Text, nullable=False, default=""),
    sqlite_autoincrement=True,  # ids are never reused: the index and tombstones rely on it
)

tombstones = sa.Table(
    "gistcache_tombstones",
    _metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entry_id", sa.Integer, nullable=False),
    sqlite_autoincrement=True,
)

meta = sa.Table(
    "gistcache_meta",
    _metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
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


class SQLStore(EntryStore):
    """Entry rows in one SQL database; every write is one committed transaction."""

    def __init__(
        self,
        url: str = "sqlite:///:memory:",
        *,
        sqlite_synchronous: str = "NORMAL",
        engine_kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        kwargs = dict(engine_kwargs or {})
        self.url = url
        self._sqlite = url.startswith("sqlite")
        if self._sqlite:
            if sqlite_synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
                raise ConfigError(f"sqlite_synchronous must be OFF/NORMAL/FULL/EXTRA, got "
                                  f"{sqlite_synchronous!r}")
            kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
            if url in ("sqlite://", "sqlite:///:memory:"):
                kwargs.setdefault("poolclass", sa.pool.StaticPool)
            else:
                self._check_sqlite_dir(url)
        try:
            self.engine: Engine = sa.create_engine(url, **kwargs)
        except (SQLAlchemyError, ImportError) as exc:
            raise ConfigError(f"cannot open entry store {self._safe_url()}: {exc}") from exc
        if self._sqlite:
            self._install_sqlite_pragmas(sqlite_synchronous.upper())
        # One writer at a time in this process: SQLite serialises writers anyway, and it keeps
        # delete-then-insert of a replaced exact key atomic for every backend.
        self._write_lock = threading.Lock()
        try:
            self._create_schema()
            if self.get_meta("schema_version") is None:
                self.set_meta("schema_version", SCHEMA_VERSION)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot initialise entry store {self._safe_url()}: {exc}") from exc

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
        values: dict[str, Any] = {
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
        try:
            with self._write_lock:
                try:
                    new_id, old, old_size = self._insert(values, entry.exact_key, known_new)
                except IntegrityError:
                    if not known_new:
                        raise
                    new_id, old, old_size = self._insert(values, entry.exact_key, False)
        except SQLAlchemyError as exc:
            raise StoreError(f"put failed: {exc}") from exc
        fields = {k: v for k, v in values.items() if k not in ("right_hits", "context_text")}
        row = Entry(id=int(new_id), context=entry.context, **fields)
        row.payload = json.loads(entry.payload) if entry.payload else None
        return PutResult(row, old, old_size)

    def _insert(self, values: dict[str, Any], exact_key: str, known_new: bool
                ) -> tuple[int, int | None, int]:
        with self.engine.begin() as conn:
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
