"""Bring a GPTCache data directory over: ``gistcache import --from-gptcache DIR``.

GPTCache (0.1.x, "sqlite,<index>" data managers) keeps its entries in SQL tables named
``<prefix>_question``, ``_answer``, ``_session``, ``_question_dep`` and ``_report``
(``sqlite.db`` in the data directory by default). They are read here without being changed;
the vector index (``faiss.index``...) is ignored: every question is embedded again by the target
cache's embedder, in batches. Each live question becomes one entry with its first answer (the
one GPTCache served), its creation and last-access times, its hit count (GPTCache's report rows
for it) and its sessions, in the scope that ``gistcache.gptcache``'s ``put``/``import_data``
use (a namespace, no model). What cannot come over is counted by reason in the report::

    report = import_gptcache("./gptcache_data", Cache(Config(data_dir="./gistcache-data")))
    print(report.summary())

GPTCache's "map" manager (``data_map.txt``) is a pickle: gistcache never unpickles a file,
which could run any code, so it is reported and not read.
"""

from __future__ import annotations

import datetime
import math
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from ._cache import Answer, Cache
from ._errors import GistcacheError, InvalidRequest
from ._types import CacheRequest, Scope
from .embedders import Embedder

__all__ = ["GptcacheSource", "ImportReport", "Progress", "import_gptcache"]

#: the store meta key that tells ``gistcache.gptcache`` entries without a scope exist
UNSCOPED_META = "gptcache.unscoped"
#: questions read at once, in embedding batches: a block holds full batches of every route
_BLOCK = 8
#: GPTCache's answer types
_TEXT, _IMAGE_BASE64, _IMAGE_URL = 0, 1, 2


class GptcacheSource:
    """A GPTCache SQL store, read-only: a data directory (its ``sqlite.db``), a SQLite file,
    or a SQLAlchemy URL of the database GPTCache used."""

    def __init__(self, location: str | Path, *, table_prefix: str | None = None) -> None:
        import sqlalchemy as sa

        self.location = str(location)
        self.notes: list[str] = []
        if "://" in self.location:
            url = self.location
        else:
            path = Path(self.location).expanduser()
            if path.is_dir():
                self._note_files(path)
                path = path / "sqlite.db"
            if not path.is_file():
                raise GistcacheError(f"no GPTCache database at {path}: pass the data directory "
                                     "that holds sqlite.db, the .db file, or the database URL")
            url = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
        try:
            self.engine = sa.create_engine(url)
            tables = sa.inspect(self.engine).get_table_names()
        except sa.exc.SQLAlchemyError as exc:
            raise GistcacheError(f"cannot read the GPTCache database {self.location}: "
                                 f"{exc}") from exc
        self.prefix = self._prefix(tables, table_prefix)
        self.tables = set(tables)

    def _note_files(self, path: Path) -> None:
        if (path / "data_map.txt").exists():
            self.notes.append("data_map.txt (GPTCache's map cache) is a pickle and was not "
                              "read: unpickling a file can run any code")
        for index in ("faiss.index", "hnswlib.index", "docarray.index"):
            if (path / index).exists():
                self.notes.append(f"{index} ignored: every question is embedded again")

    @staticmethod
    def _prefix(tables: Sequence[str], wanted: str | None) -> str:
        found = sorted(t.removesuffix("_question") for t in tables
                       if t.endswith("_question") and f"{t.removesuffix('_question')}_answer"
                       in tables)
        if wanted is not None:
            if wanted not in found:
                raise GistcacheError(f"no GPTCache tables {wanted}_question/{wanted}_answer; "
                                     f"found: {', '.join(found) or 'none'}")
            return wanted
        if not found:
            raise GistcacheError("no GPTCache tables (<prefix>_question and <prefix>_answer) "
                                 "in this database")
        if len(found) > 1:
            raise GistcacheError(f"several GPTCache table sets ({', '.join(found)}): choose one "
                                 "with --table-prefix")
        return found[0]

    def _rows(self, sql: str, **params: Any) -> list[Any]:
        import sqlalchemy as sa

        try:
            with self.engine.connect() as conn:
                return list(conn.execute(sa.text(sql), params))
        except sa.exc.SQLAlchemyError as exc:
            raise GistcacheError(f"reading the GPTCache database failed: {exc}") from exc

    def _has(self, name: str) -> bool:
        return f"{self.prefix}_{name}" in self.tables

    def count(self) -> tuple[int, int]:
        """(live questions, questions marked deleted)."""
        rows = self._rows(f"SELECT deleted, COUNT(*) AS n FROM {self.prefix}_question "
                          "GROUP BY deleted")
        live = sum(int(r.n) for r in rows if int(r.deleted or 0) == 0)
        return live, sum(int(r.n) for r in rows) - live

    def questions(self, batch: int) -> Iterator[list[Any]]:
        """Live questions in id order, ``batch`` at a time (id, question, create_on,
        last_access)."""
        after = -1
        while True:
            rows = self._rows(
                f"SELECT id, question, create_on, last_access FROM {self.prefix}_question "
                "WHERE deleted = 0 AND id > :after ORDER BY id LIMIT :n", after=after, n=batch)
            if not rows:
                return
            yield rows
            after = int(rows[-1].id)

    def _by_question(self, table: str, columns: str, ids: Sequence[int]) -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = {}
        if not ids or not self._has(table):
            return out
        key = "cache_question_id" if table == "report" else "question_id"
        for start in range(0, len(ids), 500):  # within every database's parameter limit
            part = ids[start:start + 500]
            marks = ", ".join(f":q{i}" for i in range(len(part)))
            rows = self._rows(f"SELECT {key} AS qid, {columns} FROM {self.prefix}_{table} "
                              f"WHERE {key} IN ({marks}) ORDER BY id",
                              **{f"q{i}": v for i, v in enumerate(part)})
            for row in rows:
                out.setdefault(int(row.qid), []).append(row)
        return out

    def answers(self, ids: Sequence[int]) -> dict[int, list[Any]]:
        """Answers by question id, in the order GPTCache stored them."""
        return self._by_question("answer", "answer, answer_type", ids)

    def deps(self, ids: Sequence[int]) -> dict[int, list[Any]]:
        """Multimodal parts by question id."""
        return self._by_question("question_dep", "dep_name", ids)

    def sessions(self, ids: Sequence[int]) -> dict[int, list[Any]]:
        """Session names by question id."""
        return self._by_question("session", "session_id", ids)

    def hits(self, ids: Sequence[int]) -> dict[int, list[Any]]:
        """GPTCache's report rows (one per hit) by question id."""
        return self._by_question("report", "cache_time", ids)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()


@dataclass
class ImportReport:
    """What an import read, brought over and left behind."""

    source: str
    found: int = 0
    imported: int = 0
    seconds: float = 0.0
    hits: int = 0
    sessions: int = 0
    #: reason -> number of questions not brought over
    skipped: Counter[str] = field(default_factory=Counter)
    #: other things not brought over (files, extra answers...)
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Entries imported per second."""
        return self.imported / self.seconds if self.seconds > 0 else 0.0

    @property
    def share(self) -> float:
        """The share of GPTCache's live questions that came over."""
        return self.imported / self.found if self.found else 1.0

    def summary(self) -> str:
        """The report for people."""
        lines = [f"imported {self.imported} of {self.found} GPTCache entries "
                 f"({100 * self.share:.1f}%) from {self.source} in {self.seconds:.1f} s "
                 f"({self.rate:.0f}/s), with {self.hits} hits and {self.sessions} session "
                 "links"]
        for reason, n in self.skipped.most_common():
            lines.append(f"  not imported: {n} {reason}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


class _Prepared(Embedder):
    """The cache's embedder, answering from vectors computed for a whole batch beforehand."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.dimension = inner.dimension
        self.name = inner.name
        self.semantic = inner.semantic
        self.compatible = inner.compatible
        self._ready: dict[str, npt.NDArray[np.float32]] = {}

    def route(self, text: str) -> str:
        return self.inner.route(text)

    def prepare(self, texts: Sequence[str], batch: int) -> None:
        """Embed texts ahead, ``batch`` of one route at a time (so that each model gets full
        batches); :meth:`embed` then serves them from memory."""
        self._ready = {}
        by_route: dict[str, list[str]] = {}
        for text in dict.fromkeys(texts):
            by_route.setdefault(self.inner.route(text), []).append(text)
        for group in by_route.values():
            for start in range(0, len(group), batch):
                chunk = group[start:start + batch]
                self._ready.update(zip(chunk, self.inner.embed(chunk), strict=True))

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        missing = [t for t in texts if t not in self._ready]
        if missing:
            self._ready.update(zip(missing, self.inner.embed(missing), strict=True))
        return np.stack([self._ready[t] for t in texts]).astype(np.float32, copy=False)

    def close(self) -> None:
        self.inner.close()


#: progress(done, total)
Progress = Callable[[int, int], None]


def progress_bar(stream: IO[str] | None = None, *, width: int = 30) -> Progress:
    """A progress bar on ``stream`` (stderr): redrawn in place on a terminal, else a line
    every 10%."""
    out = stream if stream is not None else sys.stderr
    state = {"last": -1.0, "tenth": -1.0, "start": -1.0}
    tty = bool(getattr(out, "isatty", lambda: False)())

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if state["start"] < 0:
            state["start"] = now  # the first call starts the clock
        start = state["start"]
        frac = done / total if total else 1.0
        if tty and now - state["last"] < 0.2 and done < total:
            return
        tenth = int(frac * 10)
        if not tty and tenth == state["tenth"] and done < total:
            return
        state["last"], state["tenth"] = now, tenth
        rate = done / (now - start) if now > start else 0.0
        eta = (total - done) / rate if rate > 0 else math.inf
        bar = "#" * int(frac * width) + "." * (width - int(frac * width))
        eta_text = f"{eta:4.0f}s" if math.isfinite(eta) else "   ?s"
        line = f"[{bar}] {100 * frac:5.1f}% {done}/{total} {rate:6.0f}/s ETA {eta_text}"
        out.write(("\r" + line + ("\n" if done >= total else "")) if tty else line + "\n")
        out.flush()

    return show


def _timestamp(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.timestamp()  # GPTCache wrote naive local times (datetime.now)
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value).timestamp()
        except ValueError:
            return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


class _Clock:
    """The cache's clock during an import: each entry keeps its creation time."""

    def __init__(self) -> None:
        self.now: float | None = None

    def __call__(self) -> float:
        return self.now if self.now is not None else time.time()


def _open_target(config: Any) -> tuple[Cache, _Prepared | None, _Clock]:
    from .config import Config
    from .embedders import make_embedder

    config = config if config is not None else Config.from_env()
    clock = _Clock()
    exact = config.embedder == "hash"
    embedder = None if exact else _Prepared(make_embedder(config))
    cache = Cache(config, embedder=embedder, clock=clock, background=False, exact_only=exact)
    return cache, embedder, clock


def import_gptcache(
    source: str | Path | GptcacheSource,
    config: Any = None,
    *,
    namespace: str | None = None,
    table_prefix: str | None = None,
    batch_size: int = 64,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a GPTCache store into the cache ``config`` describes (a :class:`gistcache.Config`,
    default: from the environment); returns the report. ``progress(done, total)`` is called
    after each batch."""
    if batch_size < 1:
        raise InvalidRequest(f"batch_size must be >= 1, got {batch_size}")
    src = source if isinstance(source, GptcacheSource) else \
        GptcacheSource(source, table_prefix=table_prefix)
    report = ImportReport(src.location, notes=list(src.notes))
    live, deleted = src.count()
    report.found = live
    if deleted:
        report.notes.append(f"{deleted} questions GPTCache had marked deleted were left out")
    cache, embedder, clock = _open_target(config)
    scope = Scope(namespace=namespace or cache.config.namespace)
    start = time.perf_counter()
    done = 0
    extra_answers = 0
    seen: set[str] = set()
    try:
        before = cache.store.stats().count
        cache.store.set_meta(UNSCOPED_META, "1")
        if progress is not None:
            progress(0, live)
        # Stored a block at a time; vectors indexed once, in bulk, at the end.
        with cache.bulk():
            for rows in src.questions(batch_size * _BLOCK):
                extra_answers += _import_batch(src, cache, embedder, clock, scope, rows, report,
                                               seen, batch_size)
                done += len(rows)
                if progress is not None:
                    progress(done, live)
        kept = cache.store.stats().count - before
        if kept < report.imported:
            report.notes.append(f"{report.imported - kept} imported entries were evicted at "
                                "once: the target cache's max_entries/max_bytes is smaller")
    finally:
        clock.now = None
        cache.close()
        src.close()
    report.seconds = time.perf_counter() - start
    if extra_answers:
        report.notes.append(f"{extra_answers} further answers to imported questions were left "
                            "out (GPTCache served only the first answer of a question)")
    return report


def _import_batch(src: GptcacheSource, cache: Cache, embedder: _Prepared | None, clock: _Clock,
                  scope: Scope, rows: list[Any], report: ImportReport, seen: set[str],
                  batch: int) -> int:
    ids = [int(r.id) for r in rows]
    answers, deps = src.answers(ids), src.deps(ids)
    sessions, hits = src.sessions(ids), src.hits(ids)
    todo: list[tuple[Any, CacheRequest, Any]] = []
    extra = 0
    for row in rows:
        qid = int(row.id)
        text = row.question
        found = answers.get(qid) or []
        if not isinstance(text, str) or not text.strip():
            report.skipped["empty questions"] += 1
        elif qid in deps:
            report.skipped["multimodal questions (question_dep rows)"] += 1
        elif not found:
            report.skipped["questions without an answer"] += 1
        elif int(found[0].answer_type or 0) != _TEXT:
            kind = "base64" if int(found[0].answer_type) == _IMAGE_BASE64 else "URL"
            report.skipped[f"image answers ({kind}): GPTCache kept no request parameters "
                           "for them"] += 1
        else:
            extra += len(found) - 1
            todo.append((row, CacheRequest(text, scope), found[0].answer))
    if embedder is not None and todo:
        embedder.prepare([request.key_text for _, request, _ in todo], batch)
    touches: dict[int, tuple[int, float]] = {}
    links: dict[int, list[str]] = {}
    created_at = [_timestamp(row.create_on) or time.time() for row, _, _ in todo]
    stored = cache.put_many([(request, Answer(str(answer))) for _, request, answer in todo],
                            times=[(created, None) for created in created_at])
    for (row, _, _), entry, created in zip(todo, stored, created_at, strict=True):
        if entry.exact_key in seen:
            report.skipped["duplicate questions (the newest was kept)"] += 1
            report.imported -= 1
        seen.add(entry.exact_key)
        report.imported += 1
        qid = int(row.id)
        times = [t for t in (_timestamp(h.cache_time) for h in hits.get(qid, [])) if t]
        accessed = max([created, _timestamp(row.last_access) or created, *times])
        count = len(hits.get(qid, []))
        report.hits += count
        if count or accessed > created:
            touches[entry.id] = (count, accessed)
        names = sorted({str(s.session_id) for s in sessions.get(qid, [])})
        if names:
            links[entry.id] = names
    clock.now = None
    cache.store.touch(touches)
    if links:
        from .gptcache.session import add_sessions

        add_sessions(cache.store, links)
        report.sessions += sum(len(v) for v in links.values())
    return extra
