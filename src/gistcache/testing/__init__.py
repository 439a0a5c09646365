"""Deterministic fakes for tests, demos and benchmarks."""

from gistcache.testing._process import free_port, wait_ready
from gistcache.testing.fake_openai import AnswerFn, FakeOpenAI, RecordedCall

__all__ = ["AnswerFn", "FakeOpenAI", "RecordedCall", "free_port", "wait_ready"]
