"""GPTCache's LangChain wrappers: a LangChain LLM or chat model, cached.

    llm = LangChainLLMs(llm=OpenAI(temperature=0))
    llm("what's github", cache_obj=my_cache)          # or llm.invoke(...), or in a chain
    chat = LangChainChat(chat=ChatOpenAI(temperature=0))
    chat([HumanMessage(content="what's github")])

The wrapped model is part of the scope (its type and identifying parameters), so two models
never share answers. With gistcache's own pre-processors (the default) an LLM is keyed by its
prompt and a chat model by its last human message, with the system prompt and the earlier
conversation as scope; a custom ``pre_embedding_func`` (GPTCache's ``get_prompt`` or
``get_messages_last_content``) gets ``{"prompt": ...}`` or ``{"messages": [...]}``. Cache
keywords (``cache_obj``, ``session``, ``cache_skip``, ...) go with the call, as in GPTCache;
``session`` may also be set on the wrapper. For LangChain's own cache interface, see
:mod:`gistcache.langchain`.
"""

# ruff: noqa: E402 - langchain_core is imported after require() names the missing extra

from __future__ import annotations

from ..._errors import require

require("langchain_core", feature="GPTCache's LangChain wrappers", extra="langchain")

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.llms import LLM
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from ..._types import CacheRequest, Scope, stable_hash
from ...requests import chat_request
from ..core import Cache
from .adapter import UNSET, arun, prepare, run

__all__ = ["LangChainChat", "LangChainLLMs"]


def _model_scope(obj: Cache, model: Any, kind: str) -> Scope:
    params = getattr(model, "_identifying_params", {}) or {}
    ident = json.dumps(dict(params), sort_keys=True, default=repr)
    return Scope(namespace=obj.native.config.namespace,
                 model=str(getattr(model, "_llm_type", type(model).__name__)),
                 params={"endpoint": f"langchain.{kind}", "model": stable_hash(ident)})


def _text(data: Any) -> str:
    return data if isinstance(data, str) else str(data)


def _store_text(llm_data: Any, update_cache_func: Any, *_: Any, **__: Any) -> Any:
    update_cache_func(_text(llm_data))
    return llm_data


class LangChainLLMs(LLM):
    """A LangChain LLM (``llm``), cached; ``session`` applies to every call."""

    llm: Any
    session: Any = None

    @property
    def _llm_type(self) -> str:
        return str(getattr(self.llm, "_llm_type", "llm"))

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return dict(getattr(self.llm, "_identifying_params", {}) or {})

    def __str__(self) -> str:
        return str(self.llm)

    def _prepared(self, prompt: str, stop: Sequence[str] | None, kwargs: dict[str, Any]) -> Any:
        if self.session is not None:
            kwargs.setdefault("session", self.session)
        kwargs["prompt"] = prompt
        if stop is not None:
            kwargs["stop"] = list(stop)

        def keyed(obj: Cache) -> CacheRequest | None:
            key = prompt if obj.native_pre else obj.pre_process(kwargs, None)
            return obj.key_request(key, _model_scope(obj, self.llm, "llm"))

        return prepare((), kwargs, keyed=keyed)

    def _call(self, prompt: str, stop: list[str] | None = None,
              run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> str:
        """The cached answer, or the wrapped LLM's."""
        prepared = self._prepared(prompt, stop, kwargs)

        def ask(**k: Any) -> str:
            return _text(self.llm.invoke(k.pop("prompt"), **k))

        return _text(run(prepared, ask, _text, _store_text, (), kwargs))

    async def _acall(self, prompt: str, stop: list[str] | None = None,
                     run_manager: AsyncCallbackManagerForLLMRun | None = None,
                     **kwargs: Any) -> str:
        """Async :meth:`_call`."""
        prepared = self._prepared(prompt, stop, kwargs)

        async def ask(**k: Any) -> str:
            return _text(await self.llm.ainvoke(k.pop("prompt"), **k))

        return _text(await arun(prepared, ask, _text, _store_text, (), kwargs))

    def __call__(self, prompt: str, stop: list[str] | None = None, **kwargs: Any) -> str:
        """GPTCache's call shape: ``llm(prompt, cache_obj=...)``."""
        return str(self.invoke(prompt, stop=stop, **kwargs))


def _as_dicts(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    roles = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}
    return [{"role": roles.get(m.type, m.type), "content": m.content} for m in messages]


def _chat_result(text: Any) -> ChatResult:
    return ChatResult(generations=[ChatGeneration(message=AIMessage(content=_text(text)))])


def _store_chat(llm_data: Any, update_cache_func: Any, *_: Any, **__: Any) -> Any:
    update_cache_func(_text(llm_data.generations[0].message.content))
    return llm_data


class LangChainChat(BaseChatModel):
    """A LangChain chat model (``chat``), cached; ``session`` applies to every call."""

    chat: Any
    session: Any = None

    @property
    def _llm_type(self) -> str:
        return "gptcache_llm_chat"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return dict(getattr(self.chat, "_identifying_params", {}) or {})

    def _prepared(self, messages: list[BaseMessage], stop: list[str] | None,
                  kwargs: dict[str, Any]) -> Any:
        if self.session is not None:
            kwargs.setdefault("session", self.session)

        def keyed(obj: Cache) -> CacheRequest | None:
            scope = _model_scope(obj, self.chat, "chat")
            if not obj.native_pre:
                key = obj.pre_process({**kwargs, "messages": messages}, None)
                return obj.key_request(key, scope)
            request = chat_request({"model": scope.model, "messages": _as_dicts(messages)},
                                   namespace=scope.namespace,
                                   preprocess=obj.native.config.preprocess)
            params = {**request.scope.params, **scope.params}
            if stop:
                params["stop"] = list(stop)
            return CacheRequest(request.key_text, Scope(
                namespace=scope.namespace, model=scope.model, system=request.scope.system,
                params=params, context=request.scope.context), context=request.context)

        return prepare((), kwargs, key=UNSET, keyed=keyed)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs: Any) -> ChatResult:
        """The cached answer, or the wrapped chat model's."""
        prepared = self._prepared(messages, stop, kwargs)

        def ask(**k: Any) -> ChatResult:
            return _chat_result(self.chat.invoke(messages, stop=stop, **k).content)

        result: ChatResult = run(prepared, ask, _chat_result, _store_chat, (), kwargs)
        return result

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                         run_manager: AsyncCallbackManagerForLLMRun | None = None,
                         **kwargs: Any) -> ChatResult:
        """Async :meth:`_generate`."""
        prepared = self._prepared(messages, stop, kwargs)

        async def ask(**k: Any) -> ChatResult:
            return _chat_result((await self.chat.ainvoke(messages, stop=stop, **k)).content)

        result: ChatResult = await arun(prepared, ask, _chat_result, _store_chat, (), kwargs)
        return result

    def __call__(self, messages: list[BaseMessage], stop: list[str] | None = None,
                 **kwargs: Any) -> BaseMessage:
        """GPTCache's call shape: ``chat([HumanMessage(...)], cache_obj=...)``."""
        return self.invoke(messages, stop=stop, **kwargs)
