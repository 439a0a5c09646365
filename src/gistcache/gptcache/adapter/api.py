"""GPTCache's get/put API: cache any answer by its prompt, and quick ways to set a cache up.

``put(prompt, data)`` stores text, bytes or JSON data; ``get(prompt)`` returns it (or a
similar prompt's), else None. ``get`` takes GPTCache's ``top_k``, ``hit_callback`` and
``temperature``; with ``post_func=nop`` it returns every accepted answer, best first.
Entries written here have no model and no parameters in their scope: the OpenAI adapter also
serves them to a first question (no earlier conversation) that finds none of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..._errors import InvalidRequest
from ...config import read_yaml_settings
from .._parts import encode_answer
from ..config import Config
from ..core import Cache, cache
from ..embedding import Onnx
from ..manager.factory import DataManager, manager_factory
from ..processor import post as post_module
from ..processor import pre as pre_module
from ..processor.post import temperature_softmax
from ..processor.pre import get_prompt
from ..similarity_evaluation import SearchDistanceEvaluation
from ..utils.error import ParamError
from .adapter import UNSET, Prepared, prepare, run

__all__ = ["get", "init_similar_cache", "init_similar_cache_from_config", "put"]


def _stored(data: Any) -> Any:
    return data


def _nothing(*_: Any, **__: Any) -> None:
    return None


def _save(llm_data: Any, update_cache_func: Callable[..., None], *_: Any, **__: Any) -> Any:
    update_cache_func(llm_data)
    return llm_data


def _cache_of(kwargs: Mapping[str, Any]) -> Cache:
    obj = kwargs.get("cache_obj") or cache
    if not isinstance(obj, Cache):
        raise InvalidRequest(f"cache_obj must be a gistcache.gptcache.Cache, got "
                             f"{type(obj).__name__}")
    return obj


def _prepared(prompt: Any, kwargs: dict[str, Any]) -> Prepared:
    # With gistcache's own pre-processors the prompt itself is the key (GPTCache required
    # get_prompt here); a custom pre-processor reads {"prompt": prompt, ...}.
    obj = _cache_of(kwargs)
    kwargs["prompt"] = prompt
    return prepare((), kwargs, key=prompt if obj.native_pre else UNSET)


def put(prompt: Any, data: Any, **kwargs: Any) -> None:
    """Store ``data`` as the answer to ``prompt``; ``cache_obj=`` picks the cache."""
    encode_answer(data)  # refuse what cannot be stored here, not in the swallowed callback
    kwargs["cache_skip"] = True
    prepared = _prepared(prompt, kwargs)
    if prepared.request is None and prepared.call.cache.enabled(prompt=prompt):
        raise InvalidRequest("the prompt is empty: there is nothing to store")
    run(prepared, lambda *_, **__: data, _stored, _save, (), kwargs)


def get(prompt: Any, **kwargs: Any) -> Any:
    """The stored answer to ``prompt`` (or a similar prompt's), else None."""
    return run(_prepared(prompt, kwargs), _nothing, _stored, _nothing, (), kwargs)


def init_similar_cache(
    data_dir: str = "api_cache",
    cache_obj: Cache | None = None,
    pre_func: Callable[..., Any] = get_prompt,
    embedding: Any = None,
    data_manager: DataManager | None = None,
    evaluation: Any = None,
    post_func: Callable[..., Any] = temperature_softmax,
    config: Config | None = None,
) -> None:
    """Make ``cache_obj`` (default: ``cache``) a semantic cache in ``data_dir``.

    Defaults: the ONNX MiniLM embedding, SQLite + the in-process index, and
    :class:`SearchDistanceEvaluation` with gistcache's tuned threshold and verification.
    """
    embedding = embedding if embedding is not None else Onnx()
    if data_manager is None:
        data_manager = manager_factory("sqlite,faiss", data_dir=data_dir,
                                       vector_params={"dimension": embedding.dimension})
    (cache_obj or cache).init(
        pre_embedding_func=pre_func,
        embedding_func=embedding.to_embeddings,
        data_manager=data_manager,
        similarity_evaluation=evaluation if evaluation is not None
        else SearchDistanceEvaluation(),
        post_process_messages_func=post_func,
        config=config if config is not None else Config(),
    )


# -- from a YAML file ----------------------------------------------------------------------------


def _get_model(name: str, model_config: Mapping[str, Any] | None = None) -> Any:
    """An embedding by GPTCache's name (``onnx``, ``sbert``, ``openai``, ...)."""
    from .. import embedding as emb

    classes = {
        "onnx": emb.Onnx, "huggingface": emb.Huggingface, "sbert": emb.SBERT,
        "fasttext": emb.FastText, "data2vecaudio": emb.Data2VecAudio, "timm": emb.Timm,
        "vit": emb.ViT, "openai": emb.OpenAI, "cohere": emb.Cohere, "rwkv": emb.Rwkv,
        "paddlenlp": emb.PaddleNLP, "uform": emb.UForm,
    }
    found = classes.get(str(name).lower())
    if found is None:
        raise ParamError(f"unknown embedding {name!r}; known: {', '.join(sorted(classes))}")
    return found(**dict(model_config or {}))


def _get_eval(strategy: str, kws: Mapping[str, Any] | None = None) -> Any:
    """A similarity evaluation by GPTCache's name (``distance``, ``np``, ``exact``, ...)."""
    from .. import similarity_evaluation as ev

    strategy = str(strategy).lower()
    kws = dict(kws or {})
    # GPTCache matched names by substring, in this order
    table: list[tuple[str, Callable[..., Any]]] = [
        ("distance", ev.SearchDistanceEvaluation), ("numpy", ev.NumpyNormEvaluation),
        ("np", ev.NumpyNormEvaluation),
        ("exact", lambda **_: ev.ExactMatchEvaluation()), ("onnx", ev.OnnxModelEvaluation),
        ("kreciprocal", ev.KReciprocalEvaluation), ("cohere", ev.CohereRerankEvaluation),
        ("sequence_match", ev.SequenceMatchEvaluation), ("time", ev.TimeEvaluation),
        ("sbert_crossencoder", ev.SbertCrossencoderEvaluation),
    ]
    for key, make in table:
        if key in strategy:
            return make(**kws)
    raise ParamError(f"unknown evaluation {strategy!r}; known: "
                     f"{', '.join(k for k, _ in table)}")


def _get_pre_func(name: str) -> Callable[..., Any]:
    func = getattr(pre_module, str(name), None)
    if not callable(func) or str(name).startswith("_"):
        raise ParamError(f"unknown pre_function {name!r}; known: "
                         f"{', '.join(pre_module.__all__)}")
    return func  # type: ignore[no-any-return]


def _get_post_func(name: str) -> Callable[..., Any]:
    func = getattr(post_module, str(name), None)
    if not callable(func) or str(name).startswith("_"):
        raise ParamError(f"unknown post_function {name!r}; known: "
                         f"{', '.join(post_module.__all__)}")
    return func  # type: ignore[no-any-return]


def _get_pre_context_function(name: str, kws: Mapping[str, Any] | None = None) -> Any:
    from ..processor import context

    name = str(name).lower()
    table = {"summarization": context.SummarizationContextProcess,
             "selective": context.SelectiveContextProcess,
             "concat": context.ConcatContextProcess}
    for key, make in table.items():
        if name and name in key:
            return make(**dict(kws or {}))
    raise ParamError(f"unknown pre_context_function {name!r}; known: {', '.join(table)}")


def _mapping(conf: Mapping[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        value = conf.get(name)
        if value:
            if not isinstance(value, Mapping):
                raise ParamError(f"{name} must be a mapping")
            return dict(value)
    return {}


def init_similar_cache_from_config(config_dir: str | Path | None,
                                   cache_obj: Cache | None = None) -> dict[str, Any]:
    """Set a cache up from a YAML file in GPTCache's format; returns what the file held.

    The file is read with YAML's safe loader: GPTCache loaded it with ruamel's unsafe loader,
    which runs any Python object the file names. Keys: ``embedding`` (or ``model_source``),
    ``embedding_config`` (``model_config``), ``storage_config`` (``manager_factory``'s
    arguments; ``data_dir`` defaults to ``gptcache_data``), ``evaluation``,
    ``evaluation_config`` (``evaluation_kws``), ``pre_function`` or ``pre_context_function``
    (+ ``pre_context_config``), ``post_function`` and ``config`` (``Config``'s arguments).
    """
    conf: dict[str, Any] = read_yaml_settings(config_dir) if config_dir else {}
    known = {"model_source", "embedding", "model_config", "embedding_config", "storage_config",
             "evaluation", "evaluation_kws", "evaluation_config", "pre_context_function",
             "pre_context_config", "pre_function", "post_function", "config"}
    unknown = set(conf) - known
    if unknown:
        raise ParamError(f"{config_dir}: unknown key(s) {', '.join(sorted(unknown))}; known: "
                         f"{', '.join(sorted(known))}")
    embedding = _get_model(conf.get("model_source") or conf.get("embedding") or "onnx",
                           _mapping(conf, "model_config", "embedding_config"))
    storage = _mapping(conf, "storage_config")
    storage.setdefault("manager", "sqlite,faiss")
    storage.setdefault("data_dir", "gptcache_data")
    storage["vector_params"] = {**dict(storage.get("vector_params") or {}),
                                "dimension": embedding.dimension}
    data_manager = manager_factory(**storage)
    evaluation = _get_eval(conf.get("evaluation") or "distance",
                           _mapping(conf, "evaluation_kws", "evaluation_config"))
    if conf.get("pre_context_function"):
        pre_func = _get_pre_context_function(conf["pre_context_function"],
                                             _mapping(conf, "pre_context_config")).pre_process
    else:
        pre_func = _get_pre_func(conf.get("pre_function") or "get_prompt")
    post_func = _get_post_func(conf.get("post_function") or "first")
    settings = _mapping(conf, "config")
    (cache_obj or cache).init(
        pre_embedding_func=pre_func,
        embedding_func=embedding.to_embeddings,
        data_manager=data_manager,
        similarity_evaluation=evaluation,
        post_process_messages_func=post_func,
        config=Config(**settings),
    )
    return conf
