"""GPTCache's generic API on gistcache: adapt/aadapt, api.get/put, the YAML set-up, reports,
timing, sessions and the utils, each as GPTCache's documentation describes it."""

from __future__ import annotations

import asyncio
import datetime
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gistcache import ConfigError, InvalidRequest
from gistcache.embedders import WordHashEmbedder
from gistcache.evaluators import PairVerifierEvaluator, Pipeline
from gistcache.gptcache import Cache, Config, cache
from gistcache.gptcache.adapter import api
from gistcache.gptcache.adapter.adapter import aadapt, adapt
from gistcache.gptcache.manager import manager_factory
from gistcache.gptcache.manager.scalar_data.base import Answer, DataType
from gistcache.gptcache.processor.post import first, nop
from gistcache.gptcache.processor.pre import get_file_bytes, get_prompt
from gistcache.gptcache.report import Report
from gistcache.gptcache.session import Session
from gistcache.gptcache.similarity_evaluation import (
    NumpyNormEvaluation,
    SearchDistanceEvaluation,
    TimeEvaluation,
)
from gistcache.gptcache.utils import MissingDependency
from gistcache.gptcache.utils.cache_func import cache_all
from gistcache.gptcache.utils.error import CacheError, NotInitError, ParamError, wrap_error
from gistcache.gptcache.utils.response import (
    get_audio_text_from_openai_answer,
    get_message_from_openai_answer,
    get_stream_message_from_openai_answer,
    get_text_from_openai_answer,
)
from gistcache.gptcache.utils.time import time_cal


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


def _semantic(tmp: Path, name: str = "words", **config: Any) -> dict[str, Any]:
    """init() arguments for a fast semantic cache on the lexical embedder, GPTCache's rule only
    (the pair verifier is tested with the real default elsewhere)."""
    return {
        "embedding_func": WordHashEmbedder(64),
        "data_manager": manager_factory("sqlite,faiss", data_dir=str(tmp / name),
                                        vector_params={"dimension": 64}),
        "similarity_evaluation": SearchDistanceEvaluation(),
        "config": Config(verify=False, **config),
    }


class Adder:
    """GPTCache's own example of a custom adapter: an "LLM" that adds a and b."""

    def __init__(self) -> None:
        self.calls = 0

    def handler(self, *args: Any, **kwargs: Any) -> int:
        self.calls += 1
        return int(kwargs.get("a", 0)) + int(kwargs.get("b", 0))

    @staticmethod
    def convert(cached: Any) -> int:
        return int(cached)

    @staticmethod
    def update(llm_data: Any, update_cache_func: Any, *args: Any, **kwargs: Any) -> Any:
        update_cache_func(str(llm_data))
        return llm_data

    def __call__(self, **kwargs: Any) -> Any:
        return adapt(self.handler, self.convert, self.update, **kwargs)


def _sum_key(data: dict[str, Any], **_: Any) -> str:
    return f"{data.get('a', 0)}+{data.get('b', 0)}"


# -- adapt ----------------------------------------------------------------------------------------


def test_adapt_calls_the_model_once_then_serves_the_converted_answer(make: Any) -> None:
    c = make()
    c.init(pre_embedding_func=_sum_key, data_manager=manager_factory("map"))
    add = Adder()
    assert add(a=1, b=2, cache_obj=c) == 3
    assert add(a=1, b=2, cache_obj=c) == 3
    assert add.calls == 1
    assert add(a=2, b=2, cache_obj=c) == 4 and add.calls == 2
    assert add(a=1, b=2, cache_obj=c, cache_skip=True) == 3 and add.calls == 3
    assert add(a=5, b=5, cache_obj=c, search_only=True) is None and add.calls == 3
    assert add(a=1, b=2, cache_obj=c, search_only=True) == 3


def test_adapt_temperature_two_always_asks_the_model(make: Any) -> None:
    c = make()
    c.init(pre_embedding_func=_sum_key, data_manager=manager_factory("map"))
    add = Adder()
    add(a=1, b=1, cache_obj=c)
    add(a=1, b=1, cache_obj=c, temperature=2.0)
    assert add.calls == 2
    add(a=1, b=1, cache_obj=c, temperature=0.0)
    assert add.calls == 2


def test_adapt_respects_cache_enable_func(make: Any) -> None:
    c = make()
    c.init(pre_embedding_func=_sum_key, data_manager=manager_factory("map"),
           cache_enable_func=lambda *a, **k: k.get("a") != 0)
    add = Adder()
    add(a=0, b=1, cache_obj=c)
    add(a=0, b=1, cache_obj=c)
    assert add.calls == 2 and c.native.stats()["entries"] == 0


def test_a_failing_update_callback_returns_the_model_answer(make: Any,
                                                            caplog: pytest.LogCaptureFixture
                                                            ) -> None:
    c = make()
    c.init(pre_embedding_func=_sum_key, data_manager=manager_factory("map"))

    def broken(llm_data: Any, update: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("cannot store")

    with caplog.at_level(logging.WARNING, logger="gistcache.gptcache"):
        assert adapt(lambda **k: 7, int, broken, a=3, b=4, cache_obj=c) == 7
    assert "cannot store" in caplog.text
    assert c.native.stats()["errors"]["store"] == 1


def test_a_multi_level_miss_is_stored_in_every_level(make: Any, tmp_path: Path) -> None:
    lower, upper = make(), make()
    lower.init(pre_embedding_func=_sum_key,
               data_manager=manager_factory("sqlite,faiss", data_dir=str(tmp_path / "l2")))
    upper.init(pre_embedding_func=_sum_key, next_cache=lower,
               data_manager=manager_factory("sqlite,faiss", data_dir=str(tmp_path / "l1")))
    add = Adder()
    add(a=2, b=3, cache_obj=upper)
    assert upper.native.stats()["entries"] == 1 and lower.native.stats()["entries"] == 1


async def test_aadapt_awaits_the_model_and_serves_hits(make: Any) -> None:
    c = make()
    c.init(pre_embedding_func=_sum_key, data_manager=manager_factory("map"))
    calls: list[int] = []

    async def handler(**kwargs: Any) -> int:
        calls.append(1)
        await asyncio.sleep(0)
        return int(kwargs["a"]) * 10

    first_answer = await aadapt(handler, int, Adder.update, a=4, cache_obj=c)
    again = await aadapt(handler, int, Adder.update, a=4, cache_obj=c)
    assert first_answer == again == 40 and len(calls) == 1


# -- api.get / put --------------------------------------------------------------------------------


def test_put_and_get_with_the_default_cache_and_get_prompt(make: Any) -> None:
    c = make()
    c.init(pre_embedding_func=get_prompt, data_manager=manager_factory("map"))
    api.put("test_gptcache_api_hello", "foo", cache_obj=c)
    assert api.get("test_gptcache_api_hello", cache_obj=c) == "foo"
    assert api.get("something else", cache_obj=c) is None


def test_put_keeps_bytes_json_and_gptcache_answers(make: Any) -> None:
    c = make()
    c.init(data_manager=manager_factory("map"))
    api.put("bytes", b"\x00\x01png", cache_obj=c)
    api.put("json", {"a": [1, 2]}, cache_obj=c)
    api.put("typed", Answer("plain text", DataType.STR), cache_obj=c)
    assert api.get("bytes", cache_obj=c) == b"\x00\x01png"
    assert api.get("json", cache_obj=c) == {"a": [1, 2]}
    assert api.get("typed", cache_obj=c) == "plain text"


def test_threshold_zero_accepts_every_candidate_and_nop_returns_them_all(
        make: Any, tmp_path: Path) -> None:
    # GPTCache's examples/adapter/api.py: three entries, get("hello", top_k=3) -> all three
    c = make()
    api.init_similar_cache(data_dir=str(tmp_path / "api"), cache_obj=c, post_func=nop,
                           embedding=_Words(), config=Config(similarity_threshold=0,
                                                             verify=False))
    for i in (1, 2, 3):
        api.put(f"api-hello{i}", f"foo{i}", cache_obj=c)
    seen: list[list[tuple[Any, float]]] = []
    messages = api.get("hello", cache_obj=c, top_k=3, hit_callback=seen.append)
    assert sorted(messages) == ["foo1", "foo2", "foo3"]
    assert len(seen) == 1 and len(seen[0]) == 3
    assert {q for q, _ in seen[0]} == {"api-hello1", "api-hello2", "api-hello3"}
    assert all(0.0 <= score <= 1.0 for _, score in seen[0])
    assert len(api.get("hello", cache_obj=c, top_k=2)) == 2
    assert api.get("api-hello1") is None  # the default cache is another cache


def test_the_threshold_keeps_gptcache_meaning_at_both_ends(make: Any, tmp_path: Path) -> None:
    embedder = WordHashEmbedder(64)
    stored, asked = "how tall is the eiffel tower", "how old is the eiffel tower"
    cos = float(embedder.embed_one(stored) @ embedder.embed_one(asked))
    c = make()
    c.init(**_semantic(tmp_path, similarity_threshold=(cos + 1) / 2 + 0.01))
    api.put(stored, "330 m", cache_obj=c)
    assert api.get(asked, cache_obj=c) is None
    c.config = Config(similarity_threshold=(cos + 1) / 2 - 0.01, verify=False)
    assert api.get(asked, cache_obj=c) == "330 m"
    c.config = Config(similarity_threshold=1.0, verify=False)
    assert api.get(asked, cache_obj=c) is None
    assert api.get(stored, cache_obj=c) == "330 m"


def test_verification_runs_after_gptcache_rule_unless_turned_off(make: Any,
                                                                  tmp_path: Path) -> None:
    c = make()
    c.init(**{**_semantic(tmp_path), "config": Config(similarity_threshold=0.5)})
    parts = list(c.native.evaluator.walk()) if isinstance(c.native.evaluator, Pipeline) else []
    assert any(isinstance(p, PairVerifierEvaluator) for p in parts)
    c.config = Config(similarity_threshold=0.5, verify=False)
    assert not isinstance(c.native.evaluator, Pipeline)


def test_a_custom_pre_func_with_bytes_matches_exactly(make: Any, tmp_path: Path) -> None:
    c = make()
    c.init(pre_embedding_func=get_file_bytes, data_manager=manager_factory("map"))
    add = Adder()

    def call(data: bytes) -> Any:
        return adapt(lambda **k: len(k["file"]), int, Adder.update, file=data, cache_obj=c)

    assert call(b"abc") == 3
    assert call(b"abc") == 3
    assert add.calls == 0 and c.native.stats()["counters"]["exact_hits"] == 1


# -- init_similar_cache_from_config ---------------------------------------------------------------


def test_init_from_a_yaml_file(make: Any, tmp_path: Path) -> None:
    path = tmp_path / "gptcache.yml"
    path.write_text(
        "storage_config:\n"
        "  manager: sqlite,faiss\n"
        f"  data_dir: {tmp_path / 'from-yaml'}\n"
        "  eviction_params: {max_size: 50}\n"
        "embedding: onnx\n"
        "evaluation: distance\n"
        "evaluation_config: {max_distance: 4.0, positive: false}\n"
        "pre_function: get_prompt\n"
        "post_function: first\n"
        "config: {similarity_threshold: 0.9, verify: false}\n", encoding="utf-8")
    c = make()
    conf = api.init_similar_cache_from_config(str(path), cache_obj=c)
    assert conf["post_function"] == "first"
    assert c.post_process_messages_func is first
    assert c.native.config.max_entries == 50
    assert (tmp_path / "from-yaml" / "gistcache.db").is_file()
    api.put("api-hello", "foo", cache_obj=c)
    assert api.get("api-hello", cache_obj=c) == "foo"


def test_a_yaml_file_cannot_run_code(make: Any, tmp_path: Path) -> None:
    # GPTCache read this file with ruamel's unsafe loader: the tag below ran a command.
    path = tmp_path / "evil.yml"
    marker = tmp_path / "pwned"
    path.write_text(f"embedding: !!python/object/apply:os.system ['touch {marker}']\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        api.init_similar_cache_from_config(str(path), cache_obj=make())
    assert not marker.exists()
    path.write_text("evaluation: distance\nembeding: onnx\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key"):
        api.init_similar_cache_from_config(str(path), cache_obj=make())


def test_named_parts_of_the_yaml_format() -> None:
    assert isinstance(api._get_eval("distance"), SearchDistanceEvaluation)
    assert isinstance(api._get_eval("numpy"), NumpyNormEvaluation)
    assert isinstance(api._get_eval("time", {"evaluation": "distance", "time_range": 5}),
                      TimeEvaluation)
    with pytest.raises(ParamError, match=r"KReciprocalEvaluation.*Instead"):
        api._get_eval("kreciprocal")
    with pytest.raises(ParamError, match="unknown evaluation"):
        api._get_eval("magic")
    with pytest.raises(ParamError, match=r"Huggingface.*Instead"):
        api._get_model("huggingface")


# -- report and timing ----------------------------------------------------------------------------


def test_report_counts_and_averages() -> None:
    report = Report()
    report.embedding(1)
    report.embedding(3)
    report.search(2)
    report.search(4)
    report.hint_cache()
    assert report.average_embedding_time() == 2 and report.op_embedding.count == 2
    assert report.average_search_time() == 3 and report.hint_cache_count == 1
    assert report.average_llm_time() == 0


def test_cache_report_and_log_time_func_see_every_step(make: Any, tmp_path: Path) -> None:
    steps: list[str] = []
    c = make()
    c.init(**{**_semantic(tmp_path), "pre_embedding_func": get_prompt, "config": Config(
        verify=False, log_time_func=lambda name, seconds: steps.append(name))})
    add = Adder()
    adapt(add.handler, add.convert, add.update, prompt="what is two plus two", a=2, b=2,
          cache_obj=c)
    adapt(add.handler, add.convert, add.update, prompt="what is two plus two?", a=2, b=2,
          cache_obj=c)
    adapt(add.handler, add.convert, add.update, prompt="name a red fruit", a=2, b=3,
          cache_obj=c)
    assert {"pre_process", "embedding", "search", "llm_request", "save"} <= set(steps)
    report = c.report
    assert report.hint_cache_count == 1 and report.op_llm.count == 2
    assert report.op_embedding.count >= 1 and report.average_embedding_time() >= 0
    assert report.op_save.count == 2 and report.op_pre.count == 3


def test_time_cal_tells_the_default_cache_config(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, float]] = []
    monkeypatch.setattr(cache, "_config", Config(log_time_func=lambda n, s: seen.append((n, s))))
    timed: list[float] = []
    assert time_cal(lambda x: x * 2, func_name="double", report_func=timed.append)(21) == 42
    assert seen[0][0] == "double" and len(timed) == 1 and timed[0] >= 0
    cache.config = None  # GPTCache's tests reset it this way: back to the defaults
    assert cache.config.log_time_func is None


# -- sessions -------------------------------------------------------------------------------------


def test_a_session_is_not_served_its_own_answer(make: Any) -> None:
    c = make()
    c.init(pre_embedding_func=_sum_key, data_manager=manager_factory("map"))
    add = Adder()
    mine, other = Session("mine"), Session("other")
    add(a=1, b=1, cache_obj=c, session=mine)
    add(a=1, b=1, cache_obj=c, session=mine)  # asked again in the same session: the model
    assert add.calls == 2
    add(a=1, b=1, cache_obj=c, session=other)  # another session is served the answer
    assert add.calls == 2
    add(a=1, b=1, cache_obj=c, session=other)  # ... once: it now has it
    assert add.calls == 3
    mine.drop()
    add(a=1, b=1, cache_obj=c, session=mine)  # forgotten: served from the cache again
    assert add.calls == 3


def test_a_session_with_its_own_rule(make: Any) -> None:
    c = make()
    c.init(pre_embedding_func=_sum_key, data_manager=manager_factory("map"))
    add = Adder()
    always = Session(check_hit_func=lambda cur, ids, questions, answer: answer != "4")
    add(a=2, b=2, cache_obj=c, session=always)
    add(a=2, b=2, cache_obj=c, session=always)
    add(a=1, b=1, cache_obj=c, session=always)
    add(a=1, b=1, cache_obj=c, session=always)
    assert add.calls == 3 and len(always.name) == 32


# -- utils ----------------------------------------------------------------------------------------


def test_utils_errors_and_helpers() -> None:
    assert cache_all() and cache_all(1, x=2)
    assert isinstance(NotInitError(), CacheError)
    assert isinstance(ParamError("x"), ConfigError)

    class UpstreamError(Exception):
        pass

    err = wrap_error(UpstreamError("quota"))
    assert isinstance(err, UpstreamError) and isinstance(err, CacheError)
    assert str(err) == "quota"
    with pytest.raises(UpstreamError):
        raise err
    resp = {"choices": [{"message": {"content": "hi"}, "text": "t", "delta": {"content": "d"}}]}
    assert get_message_from_openai_answer(resp) == "hi"
    assert get_text_from_openai_answer(resp) == "t"
    assert get_stream_message_from_openai_answer(resp) == "d"
    assert get_stream_message_from_openai_answer({"choices": [{"delta": {}}]}) == ""
    assert get_audio_text_from_openai_answer({"text": "spoken"}) == "spoken"


def test_import_checks_never_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from gistcache.gptcache import utils

    utils.import_sqlalchemy()  # type: ignore[attr-defined]
    monkeypatch.setattr(utils.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(MissingDependency, match=r"pip install ruamel\.yaml"):
        utils.import_ruamel()  # type: ignore[attr-defined]


def test_time_evaluation_refuses_old_entries(make: Any, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from gistcache.gptcache.similarity_evaluation import time as time_module

    c = make()
    c.init(**{**_semantic(tmp_path),
              "similarity_evaluation": TimeEvaluation("distance", time_range=60)})
    api.put("what is the tallest mountain", "Everest", cache_obj=c)
    assert api.get("what is the tallest mountain on earth", cache_obj=c) == "Everest"

    class Later:
        @staticmethod
        def time() -> float:
            return datetime.datetime.now().timestamp() + 3600

    monkeypatch.setattr(time_module, "_time", Later)
    assert api.get("what is the tallest mountain on earth", cache_obj=c) is None


class _Words:
    """An embedding object in GPTCache's shape (dimension, to_embeddings) on the lexical
    embedder."""

    dimension = 64

    def __init__(self) -> None:
        self.inner = WordHashEmbedder(64)

    def to_embeddings(self, data: str, **_: Any) -> np.ndarray:
        return self.inner.embed_one(data)


def test_not_init_error_is_gptcache_name_for_an_unbuilt_cache() -> None:
    with pytest.raises(InvalidRequest, match="cache_obj"):
        api.get("q", cache_obj=object())
    assert not Cache().has_init


def test_client_of_the_cache_server(tmp_path: Path) -> None:
    from test_server_support import ServerThread

    from gistcache import Cache as NativeCache
    from gistcache import Config as NativeConfig
    from gistcache.gptcache.client import Client
    from gistcache.server import ServerSettings, create_app

    native = NativeCache(NativeConfig(data_dir=str(tmp_path / "srv")),
                         embedder=WordHashEmbedder(64), background=False)
    try:
        with ServerThread(create_app(native, ServerSettings(upstream="http://127.0.0.1:9",
                                                            admin_key="adm"))) as server:
            assert Client(uri=server.url).put("Hi", "Hi back") == 401
            client = Client(uri=server.url, admin_key="adm")
            assert client.put("Hi", "Hi back") == 200
            assert client.get("Hi") == "Hi back"
            assert client.get("something else entirely") is None
    finally:
        native.close()


def test_a_relative_data_dir_survives_a_change_of_directory(make: Any, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    (tmp_path / "app").mkdir()
    monkeypatch.chdir(tmp_path / "app")
    c = make()
    c.init(**_semantic(Path("relative")))
    api.put("what is a relative path", "one from here", cache_obj=c)
    monkeypatch.chdir(tmp_path)
    c.flush()  # saves the index where the data is, not under the new working directory
    c.init(data_manager=manager_factory("map"))  # closing the old cache works too
    assert (tmp_path / "app" / "relative" / "words" / "index").exists()


def test_start_up_says_where_the_data_is_and_points_at_the_importer(
        make: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    old = tmp_path / "old"
    old.mkdir()
    (old / "sqlite.db").write_bytes(b"")
    (old / "faiss.index").write_bytes(b"")
    with caplog.at_level(logging.INFO, logger="gistcache.gptcache"):
        make().init(data_manager=manager_factory("sqlite,faiss", data_dir=str(old)))
    assert f"cache data in {old}" in caplog.text
    assert f"gistcache import --from-gptcache {old}" in caplog.text
    assert "sqlite.db, faiss.index" in caplog.text


@pytest.mark.skipif(
    not (Path(__file__).resolve().parents[1] / "src" / "gistcache" / "data"
         / "pair-verifier.json").is_file(),
    reason="the pair verifier's model files are not in this tree")
def test_threshold_zero_with_verification_still_reads_the_questions(make: Any,
                                                                    tmp_path: Path) -> None:
    c = make()
    api.init_similar_cache(data_dir=str(tmp_path / "v"), cache_obj=c, post_func=nop,
                           config=Config(similarity_threshold=0))
    api.put("what's github", "GitHub hosts git repositories.", cache_obj=c)
    assert api.get("can you explain what GitHub is", cache_obj=c) == \
        ["GitHub hosts git repositories."]
    assert api.get("what's gitlab", cache_obj=c) is None  # the rule accepts, the verifier not
