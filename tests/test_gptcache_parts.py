"""GPTCache's parts called directly: pre/post processors, similarity evaluations, data
managers, embeddings, context processors; and the parts refused with the gistcache way."""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gistcache import ConfigError, InvalidRequest
from gistcache.embedders import OnnxEmbedder, WordHashEmbedder
from gistcache.gptcache import Cache, Config
from gistcache.gptcache.adapter import api
from gistcache.gptcache.embedding import SBERT, LangChain, Onnx, OpenAI
from gistcache.gptcache.manager import (
    CacheBase,
    ObjectBase,
    VectorBase,
    get_data_manager,
    manager_factory,
)
from gistcache.gptcache.manager.eviction import EvictionBase
from gistcache.gptcache.manager.scalar_data.base import CacheData
from gistcache.gptcache.processor import pre
from gistcache.gptcache.processor.context import ConcatContextProcess
from gistcache.gptcache.processor.post import first, nop, random_one, temperature_softmax
from gistcache.gptcache.similarity_evaluation import (
    ExactMatchEvaluation,
    NumpyNormEvaluation,
    SearchDistanceEvaluation,
    SimilarityEvaluation,
    TimeEvaluation,
)
from gistcache.gptcache.utils.error import NotFoundError, ParamError
from gistcache.testing import FakeOpenAI


@pytest.fixture
def make(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.chdir(tmp_path)
    made: list[Cache] = []

    def make_one(**init: Any) -> Cache:
        obj = Cache(background=False)
        obj.init(**init)
        made.append(obj)
        return obj

    yield make_one
    for obj in made:
        obj.close()


# -- pre-processors -----------------------------------------------------------------------------

CHAT = {"messages": [{"role": "system", "content": "hello"},
                     {"role": "user", "content": "world"},
                     {"role": "assistant", "content": "alice"},
                     {"role": "user", "content": "bob"}]}


def test_message_pre_processors() -> None:
    assert pre.last_content(CHAT) == "bob"
    assert pre.all_content(CHAT) == "hello\nworld\nalice\nbob"
    assert pre.nop({"str": "hello"}) == {"str": "hello"}
    assert pre.last_content_without_prompt(
        {"messages": [{"content": "foo1"}, {"content": "foo2"}]}, prompts=["foo"]) == "2"
    assert pre.last_content_without_prompt(CHAT, prompts=None) == "bob"
    config = Config(context_len=2)
    assert pre.concat_all_queries(CHAT, cache_config=config) == "USER: world\nUSER: bob"
    assert pre.concat_all_queries(CHAT, cache_config=Config(context_len=1)) == "USER: bob"


def test_template_pre_processor_keeps_only_the_values() -> None:
    template = "tell me a joke about {subject}"
    data = {"messages": [{"content": template.format(subject="animal")}]}
    assert pre.last_content_without_template(data, cache_config=Config(template=template)) \
        == "['animal']"
    two = "translate {text} into {language}"
    data = {"messages": [{"content": two.format(text="hello world", language="french")}]}
    assert pre.last_content_without_template(data, cache_config=Config(template=two)) \
        == "['hello world', 'french']"
    assert pre.last_content_without_template(data) == data["messages"][0]["content"]


def test_request_pre_processors(tmp_path: Path) -> None:
    audio = tmp_path / "talk.mp3"
    audio.write_bytes(b"ID3audio")
    with audio.open("rb") as fh:
        assert pre.get_file_name({"file": fh}) == str(audio)
        assert pre.get_file_bytes({"file": fh}) == b"ID3audio"
        assert fh.tell() == 0  # the file is not consumed
    assert pre.get_prompt({"prompt": "foo"}) == "foo"
    assert pre.get_inputs({"inputs": "hello"}) == "hello"
    assert pre.get_openai_moderation_input({"input": ["hello", "world"]}) == \
        "['hello', 'world']"
    image = io.BytesIO(b"png")
    image.name = "cat.png"
    assert pre.get_input_image_file_name({"input": {"image": image}}) == "cat.png"
    assert pre.get_input_str({"input": {"image": image, "question": "what?"}}) == "b'png'what?"
    assert pre.get_image({"image": "cat.png"}) == "cat.png"
    (tmp_path / "cat.png").write_bytes(b"png")
    assert pre.get_image_question({"image": str(tmp_path / "cat.png"), "question": "q"}) \
        == "b'png'q"

    class Message:
        content = "from an object"

    assert pre.get_messages_last_content({"messages": [Message()]}) == "from an object"
    with pytest.raises(InvalidRequest, match="file"):
        pre.get_file_bytes({})


def test_concat_context_forgets_the_previous_request() -> None:
    proc = ConcatContextProcess()
    stored, compared = proc.pre_process({"messages": [{"role": "user", "content": "a"}]})
    assert stored == "user: a \n" and compared == "a"
    _, again = proc.pre_process({"messages": [{"role": "user", "content": "b"}]})
    assert again == "b"  # GPTCache's kept growing from one request to the next


def test_post_processors() -> None:
    messages = ["message 1", "message 2", "message 3"]
    assert first(messages) == "message 1"
    assert nop(messages) == messages
    assert random_one(messages) in messages
    assert temperature_softmax(messages, [0.9, 0.5, 0.1]) == "message 1"
    assert temperature_softmax(messages, [0.1, 0.5, 0.9], temperature=0.0) == "message 3"


# -- similarity evaluations ---------------------------------------------------------------------


def test_search_distance_scores() -> None:
    evaluation = SearchDistanceEvaluation()
    assert evaluation.range() == (0.0, 4.0)
    assert evaluation.evaluation({}, {"search_result": (1, None)}) == 3.0
    assert evaluation.evaluation({}, {"search_result": (-1, None)}) == 4.0
    positive = SearchDistanceEvaluation(max_distance=10, positive=True)
    assert positive.range() == (0.0, 10.0)
    assert positive.evaluation({}, {"search_result": (5, None)}) == 5.0
    assert positive.evaluation({}, {"search_result": (20, None)}) == 10.0
    assert evaluation.cosine_threshold(0.8) == pytest.approx(0.6)
    assert evaluation.cosine_threshold(0.0) == -1.0


def test_numpy_norm_and_exact_scores() -> None:
    norm = NumpyNormEvaluation(enable_normal=True,
                               question_embedding_function=lambda q: np.array([1, 1]))
    assert norm.range() == (0.0, 2.0)
    assert norm.evaluation({"embedding": np.array([-0.5, -0.5])},
                           {"embedding": np.array([1, 1])}) == pytest.approx(0.0, abs=1e-3)
    assert norm.evaluation({"embedding": np.array([1, 2, 3, 4])},
                           {"embedding": np.array([0.1, 0.2, 0.3, 0.4])}) == pytest.approx(2.0)
    assert norm.evaluation({"question": "test1"}, {"question": "test2"}) == pytest.approx(2.0)
    assert norm.evaluation({"question": "Test"}, {"question": "test"}) == 2.0
    exact = ExactMatchEvaluation()
    assert exact.evaluation({"question": "hello"}, {"question": "hello"}) == 1.0
    assert exact.evaluation({"question": "tello"}, {"question": "hello"}) == 0.0


def test_time_evaluation_scores() -> None:
    evaluation = TimeEvaluation("distance", {}, time_range=2)
    assert evaluation.range() == (0.0, 4.0)
    assert evaluation.evaluation({}, {"search_result": (3.5, None)}) == 0.0
    old = CacheData("a", "b", create_on=datetime.datetime(2022, 1, 1))
    assert evaluation.evaluation({}, {"search_result": (3.5, None), "cache_data": old}) == 0.0
    fresh = CacheData("a", "b", create_on=datetime.datetime.now())
    assert evaluation.evaluation({}, {"search_result": (3.5, None),
                                      "cache_data": fresh}) == 0.5
    assert fresh.answers[0].answer == "b"


class LengthEvaluation(SimilarityEvaluation):
    """A custom evaluation: questions of about the same length are similar."""

    def evaluation(self, src_dict: Any, cache_dict: Any, **_: Any) -> float:
        assert cache_dict["embedding"].shape == (64,)  # computed because it is read
        return 1.0 - abs(len(src_dict["question"]) - len(cache_dict["question"])) / 100

    def range(self) -> tuple[float, float]:
        return 0.0, 1.0


def test_a_custom_evaluation_decides_hits(make: Any, tmp_path: Path) -> None:
    c = make(embedding_func=WordHashEmbedder(64), similarity_evaluation=LengthEvaluation(),
             data_manager=manager_factory("sqlite,faiss", data_dir=str(tmp_path / "x"),
                                          vector_params={"dimension": 64}),
             config=Config(similarity_threshold=0.95, verify=False))
    api.put("how big is the sun", "huge", cache_obj=c)
    assert api.get("how big is the moon", cache_obj=c) == "huge"  # 1 character apart
    assert api.get("how big is the sun compared to the earth", cache_obj=c) is None


def test_numpy_norm_in_a_cache_keeps_its_threshold(make: Any, tmp_path: Path) -> None:
    words = WordHashEmbedder(64)
    a, b = "where is the louvre museum", "where is the louvre"
    cos = float(words.embed_one(a) @ words.embed_one(b))
    t = 1.0 - math.sqrt(2.0 - 2.0 * cos) / 2.0  # the score 2 - ||a-b|| over its range
    c = make(embedding_func=words, similarity_evaluation=NumpyNormEvaluation(),
             data_manager=manager_factory("sqlite,faiss", data_dir=str(tmp_path / "n"),
                                          vector_params={"dimension": 64}),
             config=Config(similarity_threshold=t - 0.01, verify=False))
    api.put(a, "Paris", cache_obj=c)
    assert api.get(b, cache_obj=c) == "Paris"
    c.config = Config(similarity_threshold=t + 0.01, verify=False)
    assert api.get(b, cache_obj=c) is None


# -- data managers ------------------------------------------------------------------------------


def test_manager_names_like_gptcache(tmp_path: Path) -> None:
    assert manager_factory("Map").data_dir == ":memory:"
    with pytest.raises(RuntimeError, match="sqlite,faiss"):
        manager_factory("sqlite")
    assert manager_factory("sqlite,hnswlib", vector_params={"dimension": 5}) is not None
    local = manager_factory("sqlite,hnswlib,local", data_dir=str(tmp_path / "d"),
                            vector_params={"dimension": 5})
    assert local.object_base is not None and local.object_base.path.endswith("d/objects")
    assert get_data_manager("sqlite", "chromadb", "local").vector_base.name == "chromadb"
    assert VectorBase("milvus", dimension=5, local_mode=True).url is None  # in-process
    # a Milvus server: GPTCache's settings become gistcache's Milvus index URL
    server = VectorBase("milvus", dimension=5, host="m.example", port=443, user="root",
                        password="p@ss", secure=True, collection_name="c1",
                        index_params={"index_type": "IVF_FLAT"})
    assert server.url == "milvus+https://root:p%40ss@m.example:443?collection=c1"
    assert "p%40ss" not in repr(server) and "root:***@" in repr(server)
    assert VectorBase("milvus", dimension=5).url == "milvus://localhost:19530"
    with pytest.raises(NotFoundError):
        CacheBase("excel")
    with pytest.raises(ParamError, match="ObjectBase"):
        ObjectBase("s3", bucket="b")
    assert EvictionBase.get("memory", policy="LFU", maxsize=3).policy == "lfu"


def test_eviction_params_size_the_cache(make: Any, tmp_path: Path) -> None:
    dm = manager_factory("sqlite,faiss", data_dir=str(tmp_path / "small"),
                         vector_params={"dimension": 64},
                         eviction_params={"max_size": 3, "eviction": "FIFO"})
    assert dm.max_size == 3 and dm.eviction == "fifo"
    assert manager_factory("map", max_size=7).max_size == 7
    with pytest.raises(ParamError, match="eviction_params"):
        manager_factory("map", eviction_params={"maxmemory": "2mb"})
    c = make(data_manager=dm)
    for i in range(5):
        api.put(f"question {i}", f"answer {i}", cache_obj=c)
    assert c.native.stats()["entries"] == 3
    assert api.get("question 0", cache_obj=c) is None
    assert api.get("question 4", cache_obj=c) == "answer 4"


def test_object_base_path_keeps_images(make: Any, tmp_path: Path) -> None:
    objects = tmp_path / "my-objects"
    c = make(data_manager=get_data_manager(CacheBase("sqlite"), None,
                                           ObjectBase("local", path=str(objects)),
                                           data_dir=str(tmp_path / "data")))
    assert str(c.objects.root) == str(objects)  # type: ignore[attr-defined]


def test_data_manager_save_stores_into_its_cache(make: Any, tmp_path: Path) -> None:
    dm = manager_factory("map")
    with pytest.raises(ParamError, match=r"cache\.init"):
        dm.save("q", "a", None)
    c = make(data_manager=dm)
    c.data_manager.save("foo0", "receiver the foo 0", c.embedding_func("foo0"))
    assert api.get("foo0", cache_obj=c) == "receiver the foo 0"


# -- embeddings ---------------------------------------------------------------------------------


def test_sbert_runs_local_models_only() -> None:
    assert SBERT().dimension == 384
    assert isinstance(SBERT("sentence-transformers/all-MiniLM-L6-v2").embedder, OnnxEmbedder)
    with pytest.raises(ParamError, match="download"):
        SBERT("paraphrase-multilingual-MiniLM-L12-v2")


def test_langchain_embeddings_are_batched_and_normalised(make: Any, tmp_path: Path) -> None:
    words = WordHashEmbedder(32)

    class FakeEmbeddings:
        def __init__(self) -> None:
            self.batches: list[int] = []

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            self.batches.append(len(texts))
            return (3 * words.embed(texts)).tolist()

        def embed_query(self, text: str) -> list[float]:
            return self.embed_documents([text])[0]

    fake = FakeEmbeddings()
    emb = LangChain(fake)
    assert emb.dimension == 32
    vec = emb.to_embeddings("hello world")
    assert vec.shape == (32,) and abs(float(vec @ vec) - 1) < 1e-5
    c = make(embedding_func=emb.to_embeddings, similarity_evaluation=SearchDistanceEvaluation(),
             data_manager=manager_factory("sqlite,faiss", data_dir=str(tmp_path / "lc"),
                                          vector_params={"dimension": emb.dimension}),
             config=Config(verify=False))
    assert c.native.embedder is emb.embedder
    with pytest.raises(ParamError, match="Embeddings"):
        LangChain(object())


def test_openai_embedding_on_a_compatible_server() -> None:
    with FakeOpenAI() as up:
        emb = OpenAI(model="text-embedding-3-small", api_key=up.api_key, api_base=up.base_url,
                     dimension=64)
        vec = emb.to_embeddings("hello")
        assert vec.shape == (64,) and up.call_count("/embeddings") == 1
    assert OpenAI().dimension == 1536  # nothing is called to know it


def test_onnx_warns_about_another_model() -> None:
    with pytest.warns(UserWarning, match="ignored"):
        Onnx(model="GPTCache/paraphrase-albert-onnx")


# -- refused parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("module", "name", "instead"), [
    ("embedding", "Huggingface", "Onnx()"),
    ("embedding", "Cohere", "OpenAI(api_base"),
    ("embedding", "FastText", "Onnx()"),
    ("embedding", "PaddleNLP", "Onnx()"),
    ("embedding", "Rwkv", "Onnx()"),
    ("embedding", "UForm", "Onnx()"),
    ("embedding", "Data2VecAudio", "exact bytes"),
    ("embedding", "Timm", "exact bytes"),
    ("embedding", "ViT", "exact bytes"),
    ("similarity_evaluation", "KReciprocalEvaluation", "pair verifier"),
    ("similarity_evaluation", "CohereRerankEvaluation", "pair verifier"),
    ("similarity_evaluation", "SequenceMatchEvaluation", "earlier conversation as scope"),
    ("processor.context", "SummarizationContextProcess", "earlier conversation as scope"),
    ("processor.context", "SelectiveContextProcess", "earlier conversation as scope"),
])
def test_refused_parts_name_the_gistcache_way(module: str, name: str, instead: str) -> None:
    import importlib

    cls = getattr(importlib.import_module(f"gistcache.gptcache.{module}"), name)
    with pytest.raises(ConfigError, match=f"{name} is not available") as info:
        cls()
    assert instead in str(info.value) and "Instead" in str(info.value)


@pytest.mark.parametrize(("module", "name", "constructor"), [
    ("adapter.diffusers", "StableDiffusionPipeline", "from_pretrained"),
    ("adapter.dolly", "Dolly", "from_model"),
    ("adapter.llama_cpp", "Llama", None),
    ("adapter.minigpt4", "MiniGPT4", "from_pretrained"),
    ("adapter.stability_sdk", "StabilityInference", None),
])
def test_model_adapters_point_at_adapt(module: str, name: str, constructor: str | None) -> None:
    import importlib

    cls = getattr(importlib.import_module(f"gistcache.gptcache.{module}"), name)
    with pytest.raises(ConfigError, match=r"adapter\.adapter\.adapt"):
        cls("model")
    if constructor is not None:
        with pytest.raises(ConfigError, match="no adapter for"):
            getattr(cls, constructor)("model")


def test_refused_functions_and_lazy_import() -> None:
    from gistcache.gptcache.adapter import replicate
    from gistcache.gptcache.utils import MissingDependency
    from gistcache.gptcache.utils.dependency_control import prompt_install
    from gistcache.gptcache.utils.lazy_import import LazyImport

    with pytest.raises(ConfigError, match="replicate"):
        replicate.run("model", input={})
    with pytest.raises(MissingDependency, match="never installs"):
        prompt_install("diffusers")
    space: dict[str, Any] = {}
    lazy = LazyImport("json_module", space, "json")
    assert lazy.dumps([1]) == "[1]" and space["json_module"].__name__ == "json"
