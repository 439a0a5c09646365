"""GPTCache's get/put API: cache any text answer by its prompt."""

from __future__ import annotations

from typing import Any

from ..._errors import InvalidRequest
from ..config import Config
from ..core import Cache, cache
from ..embedding import Onnx
from ..manager.factory import DataManager, manager_factory
from ..processor.post import temperature_softmax
from ..processor.pre import get_prompt
from ..similarity_evaluation import SearchDistanceEvaluation

__all__ = ["get", "init_similar_cache", "put"]


def _cache_of(kwargs: dict[str, Any], name: str) -> Cache:
    obj = kwargs.pop("cache_obj", None) or cache
    kwargs.pop("cache_context", None)  # GPTCache's per-call context: nothing to carry here
    if not isinstance(obj, Cache):
        raise InvalidRequest(f"cache_obj must be a gistcache.gptcache.Cache, got "
                             f"{type(obj).__name__}")
    if kwargs:
        raise TypeError(f"{name}() got unexpected keyword argument(s): "
                        f"{', '.join(sorted(kwargs))}")
    return obj


def put(prompt: str, data: Any, **kwargs: Any) -> None:
    """Store ``data`` (a string) as the answer to ``prompt``; ``cache_obj=`` picks the cache."""
    obj = _cache_of(kwargs, "put")
    if not isinstance(data, str):
        raise InvalidRequest(f"the answer must be a string, got {type(data).__name__}")
    obj.native.put_request(obj.prompt_request(prompt), data)


def get(prompt: str, **kwargs: Any) -> Any:
    """The stored answer to ``prompt`` (or a similar one), else None."""
    temperature = kwargs.pop("temperature", 0.0)
    obj = _cache_of(kwargs, "get")
    return obj.native.lookup(obj.prompt_request(prompt, temperature=temperature)).answer


def init_similar_cache(
    data_dir: str = "api_cache",
    cache_obj: Cache | None = None,
    pre_func: Any = get_prompt,
    embedding: Any = None,
    data_manager: DataManager | None = None,
    evaluation: Any = None,
    post_func: Any = temperature_softmax,
    config: Config | None = None,
) -> None:
    """Make ``cache_obj`` (default: ``cache``) a semantic cache in ``data_dir``.

    Defaults: the ONNX MiniLM embedding, SQLite + the in-process index, and
    :class:`SearchDistanceEvaluation` with gistcache's tuned threshold.
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
