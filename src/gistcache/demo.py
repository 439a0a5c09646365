"""A short tour of the cache: exact hits, paraphrase hits and a refused near-miss, with timings.

Runs against OpenAI when ``OPENAI_API_KEY`` is set, otherwise against a local fake
OpenAI-compatible server (``gistcache.testing.FakeOpenAI``) that answers after 800 ms.
Run it with ``make demo`` or ``python -m gistcache.demo``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from collections.abc import Iterator

from . import Answer, Cache, Config, chat_request
from ._errors import require

QUESTIONS = [
    ("what's github", "first time: the model answers"),
    ("What's GitHub", "exact repeat (case and spaces folded): no embedding"),
    ("can you explain what GitHub is", "paraphrase: verified semantic hit"),
    ("what is the purpose of GitHub", "paraphrase: verified semantic hit"),
    ("what isn't github", "negation: must call the model"),
    ("how do I convert Celsius to Fahrenheit", "new question: the model answers"),
    ("how do I convert Fahrenheit to Celsius", "direction swapped (cosine 0.99): must miss"),
]


@contextlib.contextmanager
def _upstream(latency: float) -> Iterator[tuple[str | None, str, str]]:
    key = os.environ.get("OPENAI_API_KEY")
    if key:
        yield os.environ.get("OPENAI_BASE_URL"), key, "OpenAI (OPENAI_API_KEY is set)"
        return
    from .testing import FakeOpenAI

    with FakeOpenAI(latency=latency) as fake:
        yield fake.base_url, fake.api_key, f"local fake OpenAI server, {latency * 1000:.0f} ms " \
                                           "per answer (no OPENAI_API_KEY set)"


def main(argv: list[str] | None = None) -> int:
    """Run the tour and print what happened to each question."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="gpt-4o-mini")
    parser.add_argument("--latency", type=float, default=0.8, help="fake upstream latency (s)")
    parser.add_argument("--data-dir", default=None, help="default: a temporary directory")
    args = parser.parse_args(argv)
    openai = require("openai", feature="the demo", extra="openai")

    with contextlib.ExitStack() as stack:
        data_dir = args.data_dir or stack.enter_context(tempfile.TemporaryDirectory())
        base_url, key, label = stack.enter_context(_upstream(args.latency))
        print(f"upstream: {label}")
        t = time.perf_counter()
        cache = stack.enter_context(Cache(Config(data_dir=data_dir)))
        print(f"cache ready in {time.perf_counter() - t:.2f}s (SQLite + in-process index + "
              f"all-MiniLM-L6-v2 ONNX) in {data_dir}\n")
        client = openai.OpenAI(base_url=base_url, api_key=key, max_retries=0)

        for question, what in QUESTIONS:
            kwargs = {"model": args.model, "messages": [{"role": "user", "content": question}]}

            def call(kwargs: dict[str, object] = kwargs) -> Answer:
                reply = client.chat.completions.create(**kwargs)
                usage = reply.usage
                return Answer(reply.choices[0].message.content or "",
                              prompt_tokens=usage.prompt_tokens if usage else 0,
                              completion_tokens=usage.completion_tokens if usage else 0)

            start = time.perf_counter()
            answer, lookup = cache.get_or_call(chat_request(kwargs), call)
            ms = (time.perf_counter() - start) * 1000
            sim = f" similarity {lookup.similarity:.3f}" if lookup.similarity else ""
            why = f" ({lookup.reason})" if lookup.reason and not lookup.hit else ""
            print(f"{question!r:42} {lookup.kind.value:13} {ms:8.1f} ms{sim}{why}")
            print(f"    expected: {what}\n    answer:   {answer.text[:70]}")
        stats = cache.stats()
        print(f"\nhits: {stats['counters'].get('exact_hits', 0)} exact, "
              f"{stats['counters'].get('semantic_hits', 0)} semantic; "
              f"misses: {stats['counters'].get('misses', 0)}; "
              f"tokens saved: {stats['tokens_saved']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
