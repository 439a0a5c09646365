"""Deterministic fakes for tests, demos and benchmarks."""

from gistcache.testing.fake_openai import AnswerFn, FakeOpenAI, RecordedCall

__all__ = ["AnswerFn", "FakeOpenAI", "RecordedCall"]
