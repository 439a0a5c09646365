"""QdrantIndex and MilvusIndex beyond the shared VectorIndex suite (tests/test_index.py runs that
one on both): whole caches on them through ``index_url``, partitions of any text, collections
they did not make, and the URL forms ``open_index`` knows. Qdrant runs in qdrant-client's local
mode, Milvus as Milvus Lite, both in-process (fixtures in conftest.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gistcache import Cache, Config, HitKind
from gistcache._errors import ConfigError, MissingExtra
from gistcache.embedders import WordHashEmbedder
from gistcache.index import VectorIndex, open_index

DIM = 8

BACKEND_URLS = [pytest.param("qdrant_urls", id="qdrant"), pytest.param("milvus_urls", id="milvus")]


@pytest.fixture(params=BACKEND_URLS)
def new_url(request: pytest.FixtureRequest) -> Callable[[], str]:
    """Fresh index URLs of each backend in turn."""
    make: Callable[[], str] = request.getfixturevalue(request.param)
    return make


def unit(rng: np.random.Generator, n: int, dim: int = DIM) -> Any:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def open_cache(data_dir: Path, index_url: str) -> Cache:
    cfg = Config(data_dir=str(data_dir), index_url=index_url, verifier=False,
                 similarity_threshold=0.5)
    return Cache(cfg, embedder=WordHashEmbedder(256), background=False)


# --- whole caches ---------------------------------------------------------------------------


def test_a_cache_on_the_backend_hits_paraphrases_and_never_crosses_scopes(
    new_url: Callable[[], str], tmp_path: Path
) -> None:
    url = new_url()
    cache = open_cache(tmp_path / "data", url)
    try:
        assert type(cache.index).__name__ in ("QdrantIndex", "MilvusIndex")
        tea = cache.put("how do I make a cup of green tea", "steep 2 minutes", namespace="a")
        paris = cache.put("what is the capital of France", "Paris", namespace="b")
        hit = cache.lookup(cache.request("how do I make green tea quickly", namespace="a"))
        assert hit.kind is HitKind.SEMANTIC and hit.answer == "steep 2 minutes"
        # namespace b holds only the France entry: the tea paraphrase misses there
        other = cache.request("how do I make green tea quickly", namespace="b")
        assert cache.lookup(other).kind is HitKind.MISS
        assert cache.embedder is not None and cache.index is not None
        vector = cache.embedder.embed_one("how do I make green tea quickly")
        assert [i for i, _ in cache.index.search(other.scope.key, vector, 10)] == [paris.id]
        assert cache.index.ids() == {tea.id, paris.id}
    finally:
        cache.close()
    # the backend kept the vectors: a reopened cache hits at once
    again = open_cache(tmp_path / "data", url)
    try:
        hit = again.lookup(again.request("how do I make green tea quickly", namespace="a"))
        assert hit.kind is HitKind.SEMANTIC and hit.entry is not None
        assert hit.entry.id == tea.id
    finally:
        again.close()


# --- partitions, collections ------------------------------------------------------------------


ODD_PARTITIONS = ["", "plain", 'say "hi"', "it's", "back\\slash", "x) or (1 == 1", "한국어 범위",
                  "emoji 🙂", "z" * 300, "sha256:" + "0" * 64, "tab\tnew\nline"]


def test_partitions_of_any_text_are_kept_apart(
    new_url: Callable[[], str], rng: np.random.Generator
) -> None:
    index = _open(new_url())
    try:
        vectors = unit(rng, len(ODD_PARTITIONS))
        for i, partition in enumerate(ODD_PARTITIONS):  # the same vector in every partition
            index.add(partition, [i], vectors[:1])
        for i, partition in enumerate(ODD_PARTITIONS):
            hits = index.search(partition, vectors[0], 5)
            assert [h for h, _ in hits] == [i], partition
        assert index.search("plain ", vectors[0], 5) == []
    finally:
        index.close()


def _open(url: str, dimension: int = DIM) -> VectorIndex:
    return open_index(url, dimension)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(99)


def test_another_dimension_is_refused_and_the_collection_kept(
    new_url: Callable[[], str], rng: np.random.Generator
) -> None:
    url = new_url()
    index = _open(url)
    index.add("p", [1, 2], unit(rng, 2))
    index.close()
    with pytest.raises(ConfigError, match=rf"holds {DIM}-dimensional vectors, not 16"):
        _open(url, 16)
    index = _open(url)
    try:
        assert index.ids() == {1, 2}
    finally:
        index.close()


def test_a_qdrant_collection_it_did_not_make_is_refused(tmp_path: Path) -> None:
    qdrant_client = pytest.importorskip("qdrant_client", reason="qdrant-client is not installed")
    from qdrant_client import models

    client = qdrant_client.QdrantClient(path=str(tmp_path))
    client.create_collection("someone_elses", vectors_config=models.VectorParams(
        size=DIM, distance=models.Distance.COSINE))
    client.upsert("someone_elses", points=[models.PointStruct(id=7, vector=[1.0] * DIM)])
    client.close()
    with pytest.raises(ConfigError, match=r"someone_elses is not a gistcache index.*left "
                                          r"unchanged"):
        _open(f"qdrant+local://{tmp_path}?collection=someone_elses")
    client = qdrant_client.QdrantClient(path=str(tmp_path))
    assert client.count("someone_elses").count == 1
    client.close()


def test_a_milvus_collection_it_did_not_make_is_refused(milvus_lite_file: str) -> None:
    from pymilvus import MilvusClient

    client = MilvusClient(milvus_lite_file)
    client.create_collection("someone_elses", dimension=DIM)
    try:
        with pytest.raises(ConfigError, match=r"someone_elses is not a gistcache index.*left "
                                              r"unchanged"):
            _open(f"milvus+lite://{milvus_lite_file}?collection=someone_elses")
        assert client.has_collection("someone_elses")
    finally:
        client.drop_collection("someone_elses")
        client.close()


def test_two_milvus_indexes_on_one_collection_see_each_other(
    milvus_urls: Callable[[], str], rng: np.random.Generator
) -> None:
    url = milvus_urls()
    a, b = _open(url), _open(url)
    try:
        vectors = unit(rng, 10)
        a.add("p", list(range(10)), vectors)
        assert b.search("p", vectors[3], 1)[0][0] == 3
        b.remove([3])
        assert 3 not in [i for i, _ in a.search("p", vectors[3], 10)]
        assert a.ids() == b.ids() == set(range(10)) - {3}
        a.close()  # pymilvus shares one connection per URI: closing one leaves the other open
        assert b.search("p", vectors[4], 1)[0][0] == 4
    finally:
        a.close()
        b.close()


def test_a_qdrant_local_directory_serves_one_client(qdrant_urls: Callable[[], str]) -> None:
    url = qdrant_urls()
    first = _open(url)
    try:
        with pytest.raises(ConfigError, match="local mode serves one open index at a time: "
                                              "use a Qdrant server"):
            _open(url)
    finally:
        first.close()
    _open(url).close()  # free again once closed


def test_qdrant_in_memory_needs_no_directory(rng: np.random.Generator) -> None:
    pytest.importorskip("qdrant_client", reason="qdrant-client is not installed")
    index = _open("qdrant+memory://")
    try:
        vectors = unit(rng, 3)
        index.add("p", [1, 2, 3], vectors)
        assert index.search("p", vectors[1], 1)[0][0] == 2
        assert len(index) == 3
    finally:
        index.close()


# --- a Milvus server through the GPTCache names ----------------------------------------------


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_gptcache_manager_factory_names_a_milvus_server(
    store: str, milvus_server: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """``manager_factory("sqlite,milvus" / "postgresql,milvus", vector_params={"host": ...,
    "port": ...})`` as GPTCache code writes it builds the cache on MilvusIndex, on the server."""
    from pymilvus import MilvusClient

    from gistcache.gptcache import Cache, Config
    from gistcache.gptcache.adapter.api import get, put
    from gistcache.gptcache.manager import manager_factory
    from gistcache.gptcache.similarity_evaluation import SearchDistanceEvaluation
    from gistcache.index.milvus import MilvusIndex

    scalar: dict[str, str] = {}
    if store == "postgresql":
        target = request.getfixturevalue("postgres_target")
        libpq = target.url.replace("postgresql+psycopg://", "postgresql://", 1)
        scalar["sql_url"] = f"{libpq}?options=-csearch_path%3D{target.schema}"
    collection = f"gptcache_{store}_{tmp_path.name}"[:255].replace("-", "_")
    dm = manager_factory(f"{store},milvus", data_dir=str(tmp_path / "data"),
                         scalar_params=scalar,
                         vector_params={"dimension": 64, "host": "127.0.0.1",
                                        "port": str(milvus_server.port),
                                        "collection_name": collection})
    cache = Cache()
    client = MilvusClient(f"http://127.0.0.1:{milvus_server.port}")
    try:
        cache.init(embedding_func=WordHashEmbedder(64), data_manager=dm,
                   similarity_evaluation=SearchDistanceEvaluation(),
                   config=Config(verify=False, similarity_threshold=0.5))
        assert isinstance(cache.native.index, MilvusIndex)
        put("how do I make a cup of green tea", "steep 2 minutes", cache_obj=cache)
        assert get("how do I make green tea quickly", cache_obj=cache) == "steep 2 minutes"
        # the vector is on the server, in the named collection
        rows = client.query(collection, filter="", output_fields=["count(*)"],
                            consistency_level="Strong")
        assert rows[0]["count(*)"] == 1
    finally:
        cache.close()
        client.drop_collection(collection)
        client.close()


# --- URLs and extras --------------------------------------------------------------------------


def test_qdrant_urls() -> None:
    from gistcache.index.qdrant import parse_url

    assert parse_url("qdrant://db.internal:6333") == ({"url": "http://db.internal:6333"}, {})
    assert parse_url("qdrant+https://q.example:6333?collection=c1&api_key=k") == (
        {"url": "https://q.example:6333"}, {"collection": "c1", "api_key": "k"})
    assert parse_url("qdrant+local:///srv/qdrant") == ({"path": "/srv/qdrant"}, {})
    assert parse_url("qdrant+local://data/qdrant") == ({"path": "data/qdrant"}, {})
    assert parse_url("qdrant+memory://") == ({"location": ":memory:"}, {})
    for bad, why in [("qdrant://", "needs a host"), ("qdrant+local://", "needs a directory"),
                     ("qdrant://h:6333?colection=x", "unknown Qdrant index URL setting"),
                     ("qdrant+memory://somewhere", "takes no path")]:
        with pytest.raises(ConfigError, match=why):
            parse_url(bad)


def test_milvus_urls() -> None:
    from gistcache.index.milvus import parse_url

    assert parse_url("milvus://db.internal:19530") == ({"uri": "http://db.internal:19530"}, {})
    assert parse_url("milvus+https://root:p%40ss@m.example:443/cache?collection=c1") == (
        {"uri": "https://m.example:443", "token": "root:p@ss", "db_name": "cache"},
        {"collection": "c1"})
    assert parse_url("milvus+lite:///srv/milvus.db") == ({"uri": "/srv/milvus.db"}, {})
    assert parse_url("milvus://m:19530?timeout=2.5") == ({"uri": "http://m:19530"},
                                                         {"timeout": "2.5"})
    for bad, why in [("milvus://", "needs a host"), ("milvus+lite:///srv/milvus", "ending in .db"),
                     ("milvus://h?user=x", "unknown Milvus index URL setting"),
                     ("milvus://h?timeout=0", "timeout is a number of seconds > 0"),
                     ("milvus://h?timeout=soon", "timeout is a number of seconds > 0")]:
        with pytest.raises(ConfigError, match=why):
            parse_url(bad)


def test_an_unknown_scheme_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"redis://\.\.\. names no index backend") as err:
        open_index("redis://127.0.0.1:6379/0", DIM)
    for known in ("postgresql+psycopg://", "qdrant://", "qdrant+local://", "qdrant+memory://",
                  "milvus://", "milvus+lite://"):
        assert known in str(err.value)


@pytest.mark.parametrize(("url", "module", "extra"), [
    ("qdrant+memory://", "qdrant_client", "qdrant"),
    ("milvus://127.0.0.1:19530", "pymilvus", "milvus"),
    ("milvus+lite:///tmp/x.db", "milvus_lite", "milvus"),
])
def test_a_missing_package_names_the_extra(
    url: str, module: str, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import of it fails as if not installed
    with pytest.raises(MissingExtra, match=rf"{module}.*pip install 'gistcache\[{extra}\]'"):
        open_index(url, DIM)
