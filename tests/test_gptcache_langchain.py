"""GPTCache's LangChain wrappers (LangChainLLMs, LangChainChat) on LangChain's fake models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake import FakeListLLM
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from gistcache.gptcache import Cache
from gistcache.gptcache.adapter.langchain_models import LangChainChat, LangChainLLMs
from gistcache.gptcache.manager import manager_factory
from gistcache.gptcache.processor.pre import get_messages_last_content, get_prompt
from gistcache.gptcache.session import Session


@pytest.fixture
def make(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.chdir(tmp_path)
    made: list[Cache] = []

    def make_one(**init: Any) -> Cache:
        obj = Cache(background=False)
        obj.init(data_manager=manager_factory("map"), **init)
        made.append(obj)
        return obj

    yield make_one
    for obj in made:
        obj.close()


def test_llm_answers_repeats_from_the_cache(make: Any) -> None:
    c = make()
    fake = FakeListLLM(responses=["one", "two", "three"])
    llm = LangChainLLMs(llm=fake)
    assert llm("what's github", cache_obj=c) == "one"
    assert llm("what's github", cache_obj=c) == "one"  # GPTCache's call shape
    assert llm.invoke("what's gitlab", cache_obj=c) == "two"
    assert fake.i == 2 and llm._llm_type == fake._llm_type


async def test_llm_async_and_get_prompt(make: Any) -> None:
    c = make(pre_embedding_func=get_prompt)
    fake = FakeListLLM(responses=["async one", "async two"])
    llm = LangChainLLMs(llm=fake)
    assert await llm.ainvoke("hello", cache_obj=c) == "async one"
    assert await llm.ainvoke("hello", cache_obj=c) == "async one"
    assert fake.i == 1


def test_two_models_never_share_answers(make: Any) -> None:
    c = make()
    first = LangChainLLMs(llm=FakeListLLM(responses=["from a"]))
    second = LangChainLLMs(llm=FakeListLLM(responses=["from b"], sleep=0.0001))
    assert first("same question", cache_obj=c) == "from a"
    assert second("same question", cache_obj=c) == "from b"


def test_chat_keys_the_last_human_message_in_its_conversation(make: Any) -> None:
    c = make()
    model = FakeListChatModel(responses=["a", "b", "c"])
    chat = LangChainChat(chat=model)
    reply = chat([HumanMessage(content="translate: I love programming")], cache_obj=c)
    assert isinstance(reply, AIMessage) and reply.content == "a"
    again = chat.invoke([HumanMessage(content="translate: I love programming")], cache_obj=c)
    assert again.content == "a"
    other_system = chat.invoke([SystemMessage(content="answer in German"),
                                HumanMessage(content="translate: I love programming")],
                               cache_obj=c)
    assert other_system.content == "b"  # another system prompt is another scope


def test_chat_with_gptcache_pre_func_and_session(make: Any) -> None:
    c = make(pre_embedding_func=get_messages_last_content)
    model = FakeListChatModel(responses=["x", "y", "z"])
    session = Session("chat-session")
    chat = LangChainChat(chat=model, session=session)
    assert chat([HumanMessage(content="hi")], cache_obj=c).content == "x"
    # the same session asks again: a fresh answer, as GPTCache's session rule says
    assert chat([HumanMessage(content="hi")], cache_obj=c).content == "y"
    plain = LangChainChat(chat=model)
    assert plain([HumanMessage(content="hi")], cache_obj=c).content in ("x", "y")
