"""The GPTCache-compatible layer, against the FakeOpenAI HTTP server through the openai SDK."""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai as openai_sdk
import pytest

import gistcache
from gistcache import DEFAULT_THRESHOLD, ConfigError, IncompatibleParts, InvalidRequest, StoreError
from gistcache.embedders import OnnxEmbedder, WordHashEmbedder
from gistcache.gptcache import Cache, Config
from gistcache.gptcache.adapter import api
from gistcache.gptcache.adapter import openai as legacy
from gistcache.gptcache.embedding import Onnx
from gistcache.gptcache.embedding.string import to_embeddings as string_embedding
from gistcache.gptcache.manager import CacheBase, VectorBase, get_data_manager, manager_factory
from gistcache.gptcache.processor.post import first, nop, random_one, temperature_softmax
from gistcache.gptcache.processor.pre import all_content, get_prompt, last_content
from gistcache.gptcache.similarity_evaluation import (
    ExactMatchEvaluation,
    SearchDistanceEvaluation,
)
from gistcache.testing import FakeOpenAI

MODEL = "gpt-3.5-turbo"

#: the pair verifier's model files (trained separately; absent from some working trees)
needs_verifier = pytest.mark.skipif(
    not (Path(gistcache.__file__).parent / "data" / "pair-verifier.json").is_file(),
    reason="the pair verifier's model files are not in this tree")


def _ask(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def _content(resp: dict[str, Any]) -> str:
    return str(resp["choices"][0]["message"]["content"])


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def up(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """The fake upstream, reached the way the seed's code reaches OpenAI: by environment."""
    server.reset()
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", server.api_key)
    monkeypatch.setattr(legacy, "api_key", None)
    monkeypatch.setattr(legacy, "api_base", None)
    yield server
    server.url_ttl = None
    server.reset()


@pytest.fixture(scope="module")
def onnx() -> Onnx:
    """The real default embedder, loaded once for the module."""
    return Onnx(embedder=OnnxEmbedder())


@pytest.fixture
def make(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """GPTCache-style caches without background threads, in tmp_path; closed afterwards."""
    monkeypatch.chdir(tmp_path)
    made: list[Cache] = []

    def make_one() -> Cache:
        obj = Cache(background=False)
        made.append(obj)
        return obj

    yield make_one
    for obj in made:
        obj.close()


def _words(tmp: Path, name: str = "words", dimension: int = 256, **kw: Any) -> dict[str, Any]:
    """init() arguments for a fast semantic cache on the lexical embedder."""
    return {
        "embedding_func": WordHashEmbedder(dimension),
        "data_manager": manager_factory("sqlite,faiss", data_dir=str(tmp / name),
                                        vector_params={"dimension": dimension}),
        "similarity_evaluation": SearchDistanceEvaluation(),
        **kw,
    }


# -- import and defaults ------------------------------------------------------------------------


def test_importing_the_shims_creates_and_loads_nothing(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import gistcache.gptcache as g\n"
        "from gistcache.gptcache.adapter import api, openai\n"
        "from gistcache.gptcache.embedding import Onnx\n"
        "from gistcache.gptcache.manager import manager_factory\n"
        "from gistcache.gptcache.processor import post, pre\n"
        "from gistcache.gptcache.similarity_evaluation import distance\n"
        "assert g.cache._native is None\n"
        "print(sorted(m for m in ('openai', 'onnxruntime', 'httpx') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []


def test_init_without_arguments_caches_exact_repeats_in_gistcache_data(
        make: Any, up: FakeOpenAI, tmp_path: Path) -> None:
    c = make()
    c.init()
    c.set_openai_key()
    assert c.native.exact_only
    assert (tmp_path / "gistcache-data" / "gistcache.db").is_file()
    first_resp = legacy.ChatCompletion.create(model=MODEL, messages=_ask("what's github"),
                                              cache_obj=c)
    again = legacy.ChatCompletion.create(model=MODEL, messages=_ask("What's  GitHub"),
                                         cache_obj=c)
    assert _content(again) == _content(first_resp)
    assert again["gptcache"] is True and "gptcache" not in first_resp
    assert again["usage"]["total_tokens"] == 0
    legacy.ChatCompletion.create(model=MODEL, messages=_ask("can you explain what GitHub is"),
                                 cache_obj=c)
    assert up.call_count("/chat/completions") == 2  # exact only: the paraphrase was asked


def test_the_default_cache_is_built_on_first_use(make: Any, up: FakeOpenAI,
                                                 tmp_path: Path) -> None:
    c = make()
    assert c._native is None
    resp = legacy.ChatCompletion.create(model=MODEL, messages=_ask("hello"), cache_obj=c)
    assert _content(resp).startswith("[fake gpt-3.5-turbo] answer to: hello")
    assert c.native.exact_only and (tmp_path / "gistcache-data").is_dir()


def test_set_openai_key_reads_the_environment(make: Any, up: FakeOpenAI,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    make().set_openai_key()
    assert legacy.api_key == "sk-from-env"


def test_legacy_per_call_key_and_base(make: Any, up: FakeOpenAI,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    c = make()
    resp = legacy.ChatCompletion.create(model=MODEL, messages=_ask("hi"), cache_obj=c,
                                        api_key=up.api_key, api_base=up.base_url,
                                        request_timeout=10)
    assert _content(resp).startswith("[fake")  # only the per-call key and base could get here


# -- semantic caches ----------------------------------------------------------------------------


@needs_verifier
def test_paraphrases_hit_with_the_real_embedder_and_negations_do_not(
        make: Any, up: FakeOpenAI, onnx: Onnx, tmp_path: Path) -> None:
    c = make()
    c.init(embedding_func=onnx.to_embeddings,
           data_manager=get_data_manager(CacheBase("sqlite"),
                                         VectorBase("faiss", dimension=onnx.dimension)),
           similarity_evaluation=SearchDistanceEvaluation())
    assert c.native.embedder is onnx.embedder  # our embedder runs directly, not wrapped
    assert c.native.config.similarity_threshold == DEFAULT_THRESHOLD
    original = legacy.ChatCompletion.create(model=MODEL, messages=_ask("what's github"),
                                            cache_obj=c)
    for paraphrase in ("can you explain what GitHub is", "what is the purpose of GitHub"):
        hit = legacy.ChatCompletion.create(model=MODEL, messages=_ask(paraphrase), cache_obj=c)
        assert hit.get("gptcache") is True, paraphrase
        assert _content(hit) == _content(original)
    assert up.call_count("/chat/completions") == 1
    negated = legacy.ChatCompletion.create(model=MODEL, messages=_ask("what isn't github"),
                                           cache_obj=c)
    assert "gptcache" not in negated
    assert up.call_count("/chat/completions") == 2


def test_threshold_keeps_gptcache_meaning() -> None:
    assert SearchDistanceEvaluation().cosine_threshold(0.8) == pytest.approx(0.6)
    assert SearchDistanceEvaluation().cosine_threshold(0.5) == pytest.approx(0.0)
    assert SearchDistanceEvaluation().cosine_threshold(0.0) == pytest.approx(-1.0)
    assert SearchDistanceEvaluation(max_distance=2).cosine_threshold(0.8) == pytest.approx(0.8)
    assert SearchDistanceEvaluation(1.0, positive=True).cosine_threshold(0.7) == \
        pytest.approx(0.7)
    # GPTCache's own formula: accept when max_distance - L2^2 >= t * max_distance; on unit
    # vectors L2^2 = 2 - 2 cos, so a candidate exactly at the mapped cosine scores exactly t
    ev = SearchDistanceEvaluation()
    cos = ev.cosine_threshold(0.9)
    assert ev.evaluation({}, {"search_result": (2 - 2 * cos, 1)}) == pytest.approx(0.9 * 4)
    with pytest.raises(ConfigError, match=r"\[0, 1\]"):
        ev.cosine_threshold(1.5)
    with pytest.raises(ConfigError, match="max_distance"):
        SearchDistanceEvaluation(max_distance=0)
    with pytest.raises(ConfigError, match=r"\[0, 1\]"):
        Config(similarity_threshold=-0.1)


def test_explicit_threshold_decides_hits_and_can_be_changed_later(
        make: Any, up: FakeOpenAI, tmp_path: Path) -> None:
    embedder = WordHashEmbedder(256)
    stored, asked = "what is the capital city of france", "what is the capital of france"
    cos = float(embedder.embed_one(stored) @ embedder.embed_one(asked))
    loose, strict = (cos + 1) / 2 - 0.05, (cos + 1) / 2 + 0.05  # GPTCache scores around it
    c = make()
    c.init(**_words(tmp_path), config=Config(similarity_threshold=loose, verify=False))
    assert c.native.evaluator.floor == pytest.approx(2 * loose - 1)
    api.put(stored, "Paris", cache_obj=c)
    assert api.get(asked, cache_obj=c) == "Paris"
    c.config = Config(similarity_threshold=strict, verify=False)
    assert c.native.evaluator.floor == pytest.approx(2 * strict - 1)
    assert api.get(asked, cache_obj=c) is None
    assert api.get(stored, cache_obj=c) == "Paris"  # exact repeats are always served
    with pytest.raises(ConfigError, match="Config"):
        c.config = {"similarity_threshold": 0.5}


def test_custom_embedding_function_is_wrapped_and_normalised(make: Any, tmp_path: Path) -> None:
    words = WordHashEmbedder(64)
    calls: list[str] = []

    def embed(text: str, **_: Any) -> list[float]:
        calls.append(text)
        return [3.0 * v for v in words.embed_one(text).tolist()]  # not unit length

    c = make()
    c.init(**{**_words(tmp_path, dimension=64), "embedding_func": embed},
           config=Config(similarity_threshold=0.8, verify=False))
    api.put("how do I reverse a list in python", "reversed()", cache_obj=c)
    assert api.get("how do I reverse a python list", cache_obj=c) == "reversed()"
    assert calls  # our function ran
    with pytest.raises(ConfigError, match="dimension"):
        make().init(embedding_func=embed, data_manager=manager_factory(
            "sqlite,faiss", data_dir=str(tmp_path / "nodim")),
            similarity_evaluation=SearchDistanceEvaluation())


def test_a_broken_embedding_function_is_a_miss_not_an_error(make: Any, up: FakeOpenAI,
                                                            tmp_path: Path) -> None:
    def broken(text: str) -> list[float]:
        raise RuntimeError("embedding service down")

    c = make()
    c.init(**{**_words(tmp_path, dimension=32), "embedding_func": broken})
    resp = legacy.ChatCompletion.create(model=MODEL, messages=_ask("hi"), cache_obj=c)
    assert _content(resp).startswith("[fake")
    assert c.native.stats()["errors"]["lookup"] == 1


# -- sanity checks ------------------------------------------------------------------------------


def test_a_dimension_mismatch_is_one_clear_error_at_init(make: Any, onnx: Onnx) -> None:
    with pytest.raises(IncompatibleParts, match=r"384.*128|128.*384") as info:
        make().init(embedding_func=onnx.to_embeddings,
                    data_manager=get_data_manager(CacheBase("sqlite"),
                                                  VectorBase("faiss", dimension=128)),
                    similarity_evaluation=SearchDistanceEvaluation())
    assert "VectorBase('faiss', dimension=128)" in str(info.value)


def test_similarity_search_without_an_embedding_is_refused(make: Any, tmp_path: Path) -> None:
    dm = manager_factory("sqlite,faiss", data_dir=str(tmp_path / "x"),
                         vector_params={"dimension": 8})
    with pytest.raises(IncompatibleParts, match="no embedding_func turns text into vectors"):
        make().init(data_manager=dm, similarity_evaluation=SearchDistanceEvaluation())
    with pytest.raises(IncompatibleParts, match="no embedding_func turns text into vectors"):
        make().init(embedding_func=string_embedding, data_manager=dm,
                    similarity_evaluation=SearchDistanceEvaluation())
    plain = make()
    plain.init(embedding_func=string_embedding, data_manager=dm)  # GPTCache's default pair
    assert plain.native.exact_only


@pytest.mark.parametrize(("build", "message"), [
    (lambda: VectorBase("qdrant"), "not supported by gistcache.gptcache yet"),
    (lambda: VectorBase("pgvector", url="mysql://x@h/db"), "got a 'mysql' URL"),
    (lambda: VectorBase("faiss", dimension=0), "dimension must be a positive integer"),
    (lambda: VectorBase("faiss", hots="x"), "unknown argument"),
    (lambda: CacheBase("duckdb"), "not supported by gistcache"),
    (lambda: CacheBase("postgresql"), "needs sql_url"),
    (lambda: CacheBase("mysql", sql_url="sqlite:///x.db"), "use a mysql URL"),
    (lambda: manager_factory("sqlite,faiss,s3"), "ObjectBase 's3' is not supported"),
    (lambda: manager_factory("sqlite,faiss", eviction="RR"), "unknown eviction policy"),
    (lambda: manager_factory("sqlite,faiss", eviction_manager="redis"), "eviction_manager"),
    (lambda: manager_factory("sqlite,faiss", max_size=0), "max_size"),
    (lambda: manager_factory("a,b,c,d"), "'map' or"),
    (lambda: get_data_manager(eviction_base="redis"), "EvictionBase 'redis'"),
])
def test_unsupported_parts_are_named(build: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build()


def test_init_refuses_unknown_parts(make: Any) -> None:
    with pytest.raises(ConfigError, match="object is not a similarity evaluation"):
        make().init(similarity_evaluation=object())
    with pytest.raises(ConfigError, match="data_manager"):
        make().init(data_manager="sqlite,faiss")
    with pytest.raises(ConfigError, match="next_cache"):
        make().init(next_cache="another")


# -- data managers ------------------------------------------------------------------------------


def test_manager_factory_places_data_and_sets_the_budget(make: Any, tmp_path: Path) -> None:
    c = make()
    c.init(**{**_words(tmp_path), "data_manager": manager_factory(
        "sqlite,faiss", data_dir=str(tmp_path / "here"), max_size=2, eviction="LFU",
        vector_params={"dimension": 256, "top_k": 3})})
    cfg = c.native.config
    assert (tmp_path / "here" / "gistcache.db").is_file()
    assert (cfg.max_entries, c.native.policy.name, cfg.top_k) == (2, "lfu", 3)
    for i in range(4):
        api.put(f"question number {i} about rivers", f"answer {i}", cache_obj=c)
    assert c.native.stats()["entries"] == 2


def test_map_is_exact_and_in_memory(make: Any, tmp_path: Path) -> None:
    c = make()
    c.init(data_manager=manager_factory("map"))
    assert c.native.exact_only and c.native.config.in_memory
    api.put("ping", "pong", cache_obj=c)
    assert api.get("ping", cache_obj=c) == "pong"
    assert list(tmp_path.iterdir()) == []


def test_cache_base_urls_use_the_installed_drivers_and_hide_passwords() -> None:
    pg = CacheBase("postgresql", sql_url="postgresql+psycopg2://u:secret@db:5432/app")
    assert pg.url == "postgresql+psycopg://u:secret@db:5432/app"
    assert "secret" not in repr(pg)
    my = CacheBase("mariadb", sql_url="mariadb://u:pw@db/app", table_name="ignored")
    assert my.url == "mysql+pymysql://u:pw@db/app"
    assert CacheBase("sqlite").url is None


def test_sqlite_url_puts_the_rows_where_asked(make: Any, tmp_path: Path) -> None:
    c = make()
    db = tmp_path / "rows" / "mine.db"
    db.parent.mkdir()
    c.init(data_manager=get_data_manager(CacheBase("sqlite", sql_url=f"sqlite:///{db}")))
    api.put("where are the rows", "in mine.db", cache_obj=c)
    assert db.is_file() and db.stat().st_size > 0


# -- api ----------------------------------------------------------------------------------------


@needs_verifier
def test_init_similar_cache_and_get_put_with_the_real_embedder(
        make: Any, onnx: Onnx, tmp_path: Path) -> None:
    c = make()
    api.init_similar_cache(data_dir=str(tmp_path / "api_cache"), cache_obj=c, embedding=onnx)
    assert (tmp_path / "api_cache" / "gistcache.db").is_file()
    api.put("what's github", "GitHub hosts git repositories.", cache_obj=c)
    assert api.get("what's github", cache_obj=c) == "GitHub hosts git repositories."
    assert api.get("can you explain what GitHub is", cache_obj=c) == \
        "GitHub hosts git repositories."
    assert api.get("how do I bake sourdough bread", cache_obj=c) is None


def test_api_refuses_bad_input(make: Any) -> None:
    c = make()
    c.init(data_manager=manager_factory("map"))
    with pytest.raises(InvalidRequest, match="empty"):
        api.put("   ", "a", cache_obj=c)
    with pytest.raises(InvalidRequest, match="top_k"):
        api.get("q", cache_obj=c, top_k="3")
    with pytest.raises(InvalidRequest, match="JSON"):
        api.put("q", object(), cache_obj=c)
    with pytest.raises(InvalidRequest, match="cache_obj"):
        api.get("q", cache_obj="nope")


def test_next_cache_answers_a_miss_and_fills_the_first_level(make: Any, tmp_path: Path) -> None:
    lower = make()
    lower.init(data_manager=manager_factory("sqlite,faiss", data_dir=str(tmp_path / "l2")))
    upper = make()
    upper.init(data_manager=manager_factory("sqlite,faiss", data_dir=str(tmp_path / "l1")),
               next_cache=lower)
    api.put("shared question", "from level two", cache_obj=lower)
    assert upper.native.stats()["entries"] == 0
    assert api.get("shared question", cache_obj=upper) == "from level two"
    assert upper.native.stats()["entries"] == 1


def test_import_data_and_flush(make: Any, tmp_path: Path) -> None:
    c = make()
    c.init(**_words(tmp_path))
    c.import_data(["what is sqlite", "what is faiss"], ["a database", "an index"])
    c.flush()
    assert api.get("what is faiss", cache_obj=c) == "an index"
    assert (tmp_path / "words" / "index").exists()
    with pytest.raises(InvalidRequest, match="2 questions but 1 answers"):
        c.import_data(["a", "b"], ["x"])


# -- the legacy OpenAI adapter ------------------------------------------------------------------


def test_chat_stream_miss_relays_and_hit_replays_in_chunks(make: Any, up: FakeOpenAI) -> None:
    c = make()
    c.init()
    chunks = list(legacy.ChatCompletion.create(model=MODEL, messages=_ask("tell me a story"),
                                               stream=True, cache_obj=c))
    assert all(ch["object"] == "chat.completion.chunk" for ch in chunks)
    text = "".join(ch["choices"][0]["delta"].get("content") or "" for ch in chunks
                   if ch["choices"])
    assert text.startswith("[fake gpt-3.5-turbo] answer to: tell me a story")
    replay = list(legacy.ChatCompletion.create(model=MODEL, messages=_ask("tell me a story"),
                                               stream=True, cache_obj=c))
    assert len(replay) > 3 and all(ch["gptcache"] is True for ch in replay)
    assert "".join(ch["choices"][0]["delta"].get("content") or "" for ch in replay) == text
    assert replay[-1]["choices"][0]["finish_reason"] == "stop"
    assert up.call_count("/chat/completions") == 1
    plain = legacy.ChatCompletion.create(model=MODEL, messages=_ask("tell me a story"),
                                         cache_obj=c)
    assert _content(plain) == text


def test_an_abandoned_stream_is_not_stored(make: Any, up: FakeOpenAI) -> None:
    c = make()
    c.init()
    stream = legacy.ChatCompletion.create(model=MODEL, messages=_ask("long answer please"),
                                          stream=True, cache_obj=c)
    next(stream)
    stream.close()
    legacy.ChatCompletion.create(model=MODEL, messages=_ask("long answer please"), cache_obj=c)
    assert up.call_count("/chat/completions") == 2
    assert c.native.stats()["entries"] == 1  # stored once, by the finished call


async def test_acreate_plain_and_streamed(make: Any, up: FakeOpenAI) -> None:
    c = make()
    c.init()
    miss = await legacy.ChatCompletion.acreate(model=MODEL, messages=_ask("async hello"),
                                               cache_obj=c)
    hit = await legacy.ChatCompletion.acreate(model=MODEL, messages=_ask("async hello"),
                                              cache_obj=c)
    assert _content(hit) == _content(miss) and hit["gptcache"] is True
    stream = await legacy.ChatCompletion.acreate(model=MODEL, messages=_ask("async stream"),
                                                 stream=True, cache_obj=c)
    text = "".join([ch["choices"][0]["delta"].get("content") or "" async for ch in stream
                    if ch["choices"]])
    again = await legacy.ChatCompletion.acreate(model=MODEL, messages=_ask("async stream"),
                                                stream=True, cache_obj=c)
    replay = [ch async for ch in again]
    assert "".join(ch["choices"][0]["delta"].get("content") or "" for ch in replay) == text
    assert all(ch["gptcache"] for ch in replay)
    assert up.call_count("/chat/completions") == 2


def test_completion_create(make: Any, up: FakeOpenAI) -> None:
    c = make()
    c.init()
    kwargs = {"model": "gpt-3.5-turbo-instruct", "prompt": "say hi", "cache_obj": c}
    miss = legacy.Completion.create(**kwargs)
    hit = legacy.Completion.create(**kwargs)
    assert hit["choices"][0]["text"] == miss["choices"][0]["text"] and hit["gptcache"] is True
    assert hit["object"] == "text_completion"
    assert up.call_count("/completions") == 1


def test_skip_temperature_and_enable_func_reach_the_model(make: Any, up: FakeOpenAI) -> None:
    c = make()
    c.init()
    ask = {"model": MODEL, "messages": _ask("q"), "cache_obj": c}
    legacy.ChatCompletion.create(**ask)
    legacy.ChatCompletion.create(**ask, cache_skip=True)
    legacy.ChatCompletion.create(**ask, temperature=2.0)
    assert up.call_count("/chat/completions") == 3
    off = make()
    off.init(cache_enable_func=lambda *a, **kw: False,
             data_manager=manager_factory("map"))
    legacy.ChatCompletion.create(model=MODEL, messages=_ask("q"), cache_obj=off)
    legacy.ChatCompletion.create(model=MODEL, messages=_ask("q"), cache_obj=off)
    assert up.call_count("/chat/completions") == 5 and off.native.stats()["entries"] == 0


def test_an_uncacheable_request_goes_upstream_uncached(make: Any, up: FakeOpenAI) -> None:
    c = make()
    c.init()
    only_system = [{"role": "system", "content": "say hello"}]
    for _ in range(2):
        resp = legacy.ChatCompletion.create(model=MODEL, messages=only_system, cache_obj=c)
        assert "gptcache" not in resp
    assert up.call_count("/chat/completions") == 2
    assert c.native.stats()["counters"]["uncacheable"] == 2


def test_upstream_errors_reach_the_caller_and_are_not_cached(make: Any, up: FakeOpenAI) -> None:
    c = make()
    c.init()
    up.fail_next(400, message="bad request from the fake")
    with pytest.raises(openai_sdk.BadRequestError, match="bad request from the fake"):
        legacy.ChatCompletion.create(model=MODEL, messages=_ask("flaky"), cache_obj=c)
    resp = legacy.ChatCompletion.create(model=MODEL, messages=_ask("flaky"), cache_obj=c)
    assert "gptcache" not in resp and _content(resp).startswith("[fake")


def test_a_store_fault_never_fails_the_call(make: Any, up: FakeOpenAI,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    c = make()
    c.init()
    legacy.ChatCompletion.create(model=MODEL, messages=_ask("still works"), cache_obj=c)
    c.native.hot.clear()  # so that the next lookup must read the (broken) store

    def down(*args: Any, **kwargs: Any) -> None:
        raise StoreError("database is down")

    monkeypatch.setattr(c.native.store, "get_by_exact_key", down)
    monkeypatch.setattr(c.native.store, "put", down)
    resp = legacy.ChatCompletion.create(model=MODEL, messages=_ask("still works"), cache_obj=c)
    assert _content(resp).startswith("[fake")
    assert c.native.stats()["errors"] == {"lookup": 1, "store": 1}


def test_custom_pre_and_post_functions(make: Any, up: FakeOpenAI) -> None:
    def first_message(data: dict[str, Any], **params: Any) -> str:
        return str(data["messages"][0]["content"])

    c = make()
    c.init(pre_embedding_func=first_message, post_process_messages_func=lambda m: m[-1],
           data_manager=manager_factory("map"))
    legacy.ChatCompletion.create(model=MODEL, cache_obj=c, messages=[
        {"role": "user", "content": "topic: rust"}, {"role": "user", "content": "go on"}])
    hit = legacy.ChatCompletion.create(model=MODEL, cache_obj=c, messages=[
        {"role": "user", "content": "topic: rust"}, {"role": "user", "content": "different"}])
    assert hit.get("gptcache") is True  # keyed by the first message only, as asked


def test_image_create_caches_bytes_and_outlives_upstream_urls(
        make: Any, up: FakeOpenAI, tmp_path: Path) -> None:
    c = make()
    c.init()
    first_url = legacy.Image.create(prompt="a red fox", n=1, size="256x256", cache_obj=c)
    assert first_url["data"][0]["url"].startswith(up.url) and "gptcache" not in first_url
    up.url_ttl = 0.0  # the upstream's URLs have all expired now
    again = legacy.Image.create(prompt="a red fox", n=1, size="256x256", cache_obj=c)
    assert again["gptcache"] is True
    local = Path(again["data"][0]["url"].removeprefix("file://"))
    assert local.is_file() and local.is_relative_to(tmp_path / "gistcache-data" / "objects")
    b64 = legacy.Image.create(prompt="a red fox", n=1, size="256x256",
                              response_format="b64_json", cache_obj=c)
    assert base64.b64decode(b64["data"][0]["b64_json"]) == local.read_bytes()
    assert local.read_bytes().startswith(b"\x89PNG")
    other = legacy.Image.create(prompt="a red fox", size="512x512",
                                response_format="b64_json", cache_obj=c)
    assert "gptcache" not in other
    assert up.call_count("/images/generations") == 2


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # the SDK's translations
def test_audio_transcribe_and_translate(make: Any, up: FakeOpenAI, tmp_path: Path) -> None:
    c = make()
    c.init()
    audio = b"RIFF" + bytes(range(256)) * 400
    digest = hashlib.sha256(audio).hexdigest()[:12]
    path = tmp_path / "talk.wav"
    path.write_bytes(audio)
    with path.open("rb") as fh:
        miss = legacy.Audio.transcribe("whisper-1", fh, cache_obj=c)
    assert miss == {"text": f"transcript {digest}"}  # the upstream got every byte
    hit = legacy.Audio.transcribe("whisper-1", io.BytesIO(audio), cache_obj=c)
    assert hit == {"text": f"transcript {digest}", "gptcache": True}
    translated = legacy.Audio.translate("whisper-1", ("talk.wav", audio), cache_obj=c)
    assert translated["text"] == f"translation {digest}"
    verbose = legacy.Audio.transcribe("whisper-1", audio, response_format="verbose_json",
                                      cache_obj=c)
    verbose_hit = legacy.Audio.transcribe("whisper-1", audio, response_format="verbose_json",
                                          cache_obj=c)
    assert verbose_hit["duration"] == verbose["duration"] and verbose_hit["gptcache"] is True
    text = legacy.Audio.transcribe("whisper-1", audio, response_format="text", cache_obj=c)
    assert text == {"text": f"transcript {digest}"}
    assert up.call_count("/audio/transcriptions") == 3
    assert up.call_count("/audio/translations") == 1


def test_legacy_calls_take_keywords_only(make: Any) -> None:
    with pytest.raises(TypeError, match="keyword"):
        legacy.ChatCompletion.create(MODEL)
    with pytest.raises(InvalidRequest, match="cache_obj"):
        legacy.ChatCompletion.create(model=MODEL, messages=_ask("x"), cache_obj=object())


# -- small parts --------------------------------------------------------------------------------


def test_onnx_is_lazy_and_warns_about_another_model() -> None:
    lazy = Onnx()
    assert lazy.dimension == 384 and lazy._embedder is None
    with pytest.warns(UserWarning, match="model='GPTCache/paraphrase-albert-onnx' is ignored"):
        Onnx(model="GPTCache/paraphrase-albert-onnx")


def test_onnx_to_embeddings_is_a_unit_vector(onnx: Onnx) -> None:
    vec = onnx.to_embeddings("what's github")
    assert vec.shape == (384,) and abs(float(vec @ vec) - 1.0) < 1e-4


def test_pre_and_post_processors_behave_like_gptcache() -> None:
    data = {"messages": [{"role": "system", "content": "be brief"},
                         {"role": "user", "content": "hi"}], "prompt": "p"}
    assert last_content(data) == "hi"
    assert all_content(data) == "be brief\nhi"
    assert get_prompt(data) == "p"
    with pytest.raises(InvalidRequest, match="messages"):
        last_content({"prompt": "p"})
    assert temperature_softmax(["a", "b", "c"], [0.1, 0.9, 0.5], temperature=0.0) == "b"
    assert temperature_softmax(["a", "b"], [0.1, 0.9], temperature=0.5) in ("a", "b")
    assert first(["a", "b"]) == "a" and nop(["a", "b"]) == ["a", "b"]
    assert random_one(["a"]) == "a"
    with pytest.raises(InvalidRequest, match="one score per answer"):
        temperature_softmax(["a"], [0.1, 0.2])


def test_exact_match_evaluation_is_the_default_and_needs_no_embedding(
        make: Any, onnx: Onnx, tmp_path: Path) -> None:
    c = make()
    c.init(embedding_func=onnx.to_embeddings,
           data_manager=manager_factory("sqlite,faiss", data_dir=str(tmp_path / "ex"),
                                        vector_params={"dimension": 384}))
    assert c.native.exact_only and c.native.embedder is None
    assert ExactMatchEvaluation().evaluation({"question": "a"}, {"question": "a"}) == 1.0
