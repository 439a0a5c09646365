"""LangChain cache: ``set_llm_cache(GistCache())`` answers repeats and paraphrases from gistcache.

    from langchain_core.globals import set_llm_cache
    from gistcache.langchain import GistCache

    set_llm_cache(GistCache())                    # semantic: paraphrases hit
    set_llm_cache(GistCache(semantic=False))      # exact repeats only

What is compared, and what must match:

- ``llm_string`` (the model and all its parameters) is hashed into the scope: entries never cross
  models or parameters. That includes the temperature, so the cache always looks up: whether
  to use a cache at all is LangChain's choice (``cache=False`` on the model).
- For chat models LangChain's ``prompt`` is its JSON serialisation of the message list: the last
  human message is the key text, the system prompt and a digest of the other turns are scope, so a
  follow-up only matches in the same conversation. A prompt that is not a message list (plain
  LLMs) is its own key text.
- Generations are stored as plain JSON (message dicts), never pickled, and come back equal.

Importing this module imports ``langchain_core`` (``BaseCache`` must be a real base class);
importing :mod:`gistcache` alone does not.
"""

# ruff: noqa: E402 - langchain_core is imported after require() names the missing extra

from __future__ import annotations

from ._errors import require

require("langchain_core", feature="the LangChain cache", extra="langchain")

import asyncio
import json
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.messages import message_to_dict, messages_from_dict
from langchain_core.outputs import (
    ChatGeneration,
    ChatGenerationChunk,
    Generation,
    GenerationChunk,
)

from ._cache import Answer, Cache
from ._endpoints import Endpoint
from ._errors import InvalidRequest
from ._flow import Flow
from ._types import CacheRequest, Lookup, Scope, stable_hash
from .processors import last_user_message, message_text

__all__ = ["GistCache"]

log = logging.getLogger("gistcache")

#: marks the scope of every entry this adapter writes, so clear() removes only those
_ADAPTER = "langchain"
#: version of the stored generations format; another version reads as a miss
_FORMAT = 1

# LangChain message class (without "Chunk") -> OpenAI-style role understood by the processors
_ROLES = {
    "HumanMessage": "user",
    "AIMessage": "assistant",
    "SystemMessage": "system",
    "ToolMessage": "tool",
    "FunctionMessage": "function",
}

def _not_on_the_wire(*args: Any) -> Any:
    raise ValueError("LangChain calls its model itself: nothing is replayed on the wire")


#: LangChain's entry in the endpoint table: keyed by the adapter, replayed as generations
LANGCHAIN = Endpoint(
    "langchain", "", "LangChain LLM cache", _not_on_the_wire, _not_on_the_wire,
    _not_on_the_wire, _not_on_the_wire, _not_on_the_wire, _not_on_the_wire)

# Most specific first: a chunk is also an instance of its non-chunk base.
_KINDS: tuple[tuple[str, type[Generation]], ...] = (
    ("chat_chunk", ChatGenerationChunk),
    ("chat", ChatGeneration),
    ("text_chunk", GenerationChunk),
    ("text", Generation),
)
_CLASSES = dict(_KINDS)

# 'model_name': 'gpt-4o' in the repr of invocation params, "model_name": "gpt-4o" in JSON
_MODEL = re.compile(r"""["'](?:model|model_name|model_id)["']\s*[:,]\s*["']([^"']+)["']""")


class GistCache(BaseCache):
    """A LangChain LLM cache backed by a gistcache :class:`~gistcache.Cache`.

    ``cache`` defaults to ``Cache()`` (settings from the environment; closed by :meth:`close`).
    ``semantic=False`` matches exact repeats only (up to case and white space) and embeds
    nothing. ``namespace`` defaults to the cache's; ``min_similarity`` may only make semantic
    matching stricter than the cache's threshold.
    """

    def __init__(
        self,
        cache: Cache | None = None,
        *,
        semantic: bool = True,
        namespace: str | None = None,
        min_similarity: float | None = None,
    ) -> None:
        self.cache = cache if cache is not None else Cache()
        self._owns_cache = cache is None
        self.semantic = semantic
        self.namespace = namespace or self.cache.config.namespace
        self.min_similarity = min_similarity

    # -- BaseCache --------------------------------------------------------------------------

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        """The stored generations for the prompt under this LLM configuration, or None."""
        flow = self._flow(prompt, llm_string)
        if flow.request is None:
            return None
        return _generations(flow.lookup(), self.cache)

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        """Store the generations of a model call (a cache fault skips the store, never raises)."""
        flow = self._flow(prompt, llm_string)
        answer = _answer(return_val, self.cache) if flow.request is not None else None
        if answer is not None:
            flow.keep(answer)

    def clear(self, **kwargs: Any) -> None:
        """Delete every entry this adapter stored in its namespace (other entries stay)."""
        self.cache.delete(self._own_ids())

    async def alookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        """Async :meth:`lookup`: embedding and database work run off the event loop."""
        flow = self._flow(prompt, llm_string)
        if flow.request is None:
            return None
        return _generations(await flow.alookup(), self.cache)

    async def aupdate(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        """Async :meth:`update`."""
        flow = self._flow(prompt, llm_string)
        answer = _answer(return_val, self.cache) if flow.request is not None else None
        if answer is not None:
            await flow.akeep(answer)

    async def aclear(self, **kwargs: Any) -> None:
        """Async :meth:`clear`."""
        await asyncio.to_thread(self.clear, **kwargs)

    # -- own ----------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the underlying cache if this adapter built it."""
        if self._owns_cache:
            self.cache.close()

    def _flow(self, prompt: str, llm_string: str) -> Flow:
        """The flow of one LangChain call (LangChain itself calls the model on a miss)."""
        return Flow(self.cache, LANGCHAIN, self._request(prompt, llm_string), model="",
                    body={})

    def _request(self, prompt: str, llm_string: str) -> CacheRequest | None:
        """The cache request of a LangChain (prompt, llm_string) pair; None if nothing to key."""
        if not isinstance(prompt, str) or not prompt.strip():
            return None
        params = {"adapter": _ADAPTER, "llm": stable_hash(str(llm_string))}
        match = _MODEL.search(str(llm_string))
        model = match.group(1) if match else ""
        key_text, system, context, exact = prompt, "", "", not self.semantic
        messages = _chat_messages(prompt)
        if messages is not None:
            try:
                key_text, context = last_user_message(messages)
                system = "\n".join(message_text(m, i) for i, m in enumerate(messages)
                                   if m["role"] == "system")
            except InvalidRequest:
                # No human turn to compare by meaning: only the very same messages may match.
                key_text, context, exact = prompt, "", True
            if not key_text.strip():
                key_text, system, context, exact = prompt, "", "", True
        scope = Scope(namespace=self.namespace, model=model, system=system, params=params,
                      context=context)
        return CacheRequest(key_text, scope, min_similarity=self.min_similarity, exact=exact)

    def _own_ids(self) -> list[int]:
        ids: list[int] = []
        after, page = 0, 1000
        while True:
            batch = self.cache.entries(namespace=self.namespace, after_id=after, limit=page)
            ids.extend(e.id for e in batch
                       if Scope.from_json(e.scope_json).params.get("adapter") == _ADAPTER)
            if len(batch) < page:
                return ids
            after = batch[-1].id


def _chat_messages(prompt: str) -> list[dict[str, Any]] | None:
    """The messages of a serialised LangChain message list, or None if the prompt is not one.

    Parsed as plain JSON rather than revived with ``langchain_core.load.loads``: only roles,
    content and tool calls are needed, no object is instantiated from the prompt, and ``loads``
    is a beta API that warns on every call.
    """
    if not prompt.startswith("["):
        return None
    try:
        data = json.loads(prompt)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, list) or not data:
        return None
    messages = []
    for item in data:
        message = _message(item)
        if message is None:
            return None
        messages.append(message)
    return messages


def _message(item: Any) -> dict[str, Any] | None:
    if not (isinstance(item, dict) and item.get("lc") == 1 and item.get("type") == "constructor"):
        return None
    ident, kwargs = item.get("id"), item.get("kwargs")
    if not isinstance(ident, list) or not ident or not isinstance(kwargs, dict):
        return None
    name = str(ident[-1]).removesuffix("Chunk")
    role = str(kwargs.get("role", "")) if name == "ChatMessage" else _ROLES.get(name)
    if role is None:
        return None
    if role == "developer":
        role = "system"
    content = kwargs.get("content", "")
    if isinstance(content, list):
        # LangChain allows bare strings among content blocks; the processors read text blocks.
        content = [{"type": "text", "text": p} if isinstance(p, str) else p for p in content]
    message: dict[str, Any] = {"role": role, "content": content}
    extra = kwargs.get("additional_kwargs")
    if isinstance(extra, dict) and extra.get("function_call"):
        message["function_call"] = extra["function_call"]
    for field in ("tool_calls", "tool_call_id"):
        if kwargs.get(field):
            message[field] = kwargs[field]
    return message


def _answer(generations: RETURN_VAL_TYPE, cache: Cache) -> Answer | None:
    """The generations as a cache answer (JSON payload), or None if they cannot be stored."""
    if not generations:
        return None  # an empty result would later be served as a hit with nothing in it
    items: list[dict[str, Any]] = []
    prompt_tokens = completion_tokens = 0
    for gen in generations:
        kind = next(k for k, cls in _KINDS if isinstance(gen, cls))
        item: dict[str, Any] = {"kind": kind, "info": gen.generation_info}
        if isinstance(gen, ChatGeneration):
            item["message"] = message_to_dict(gen.message)
            usage = getattr(gen.message, "usage_metadata", None) or {}
            prompt_tokens += int(usage.get("input_tokens", 0) or 0)
            completion_tokens += int(usage.get("output_tokens", 0) or 0)
        else:
            item["text"] = gen.text
        items.append(item)
    payload = {"langchain": _FORMAT, "generations": items}
    try:
        json.dumps(payload)  # the store writes JSON: find out here, not as a store fault
    except (TypeError, ValueError) as exc:
        log.info("LangChain result not cached: it is not JSON-serialisable: %s", exc)
        cache.metrics.count("uncacheable")
        return None
    return Answer(generations[0].text, payload, prompt_tokens, completion_tokens)


def _generations(result: Lookup, cache: Cache) -> list[Generation] | None:
    """The generations of a hit, rebuilt from JSON; None on a miss or an unreadable entry."""
    entry = result.entry
    if not result.hit or entry is None:
        return None
    payload = entry.payload
    try:
        if not isinstance(payload, Mapping) or payload.get("langchain") != _FORMAT:
            raise ValueError(f"not a LangChain entry of format {_FORMAT}")
        items = payload["generations"]
        if not isinstance(items, Sequence) or not items:
            raise ValueError("no generations")
        return [_generation(item) for item in items]
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("cache entry %d is not readable as LangChain generations, serving as a "
                    "miss: %s", entry.id, exc)
        cache.metrics.fault("decode")
        return None


def _generation(item: Mapping[str, Any]) -> Generation:
    cls = _CLASSES[item["kind"]]
    info = item.get("info")
    if issubclass(cls, ChatGeneration):
        message = messages_from_dict([item["message"]])[0]
        return cls(message=message, generation_info=info)
    return cls(text=item["text"], generation_info=info)
