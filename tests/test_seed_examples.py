"""The seed's four examples, run as scripts against a fake OpenAI that answers in 0.5 s.

Acceptance criterion of the issue: a repeated question never reaches the upstream, and its
answer comes back at least 50 times faster than the upstream's latency (read from the
"Time consuming" figures the examples print themselves).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gistcache.testing import FakeOpenAI

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SRC = Path(__file__).resolve().parent.parent / "src"
LATENCY = 0.5
# Figures are printed with 2 decimals: "0.00s" means under 5 ms.
PRINT_RESOLUTION = 0.005


@pytest.fixture(scope="module")
def up() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(latency=LATENCY) as fake:
        yield fake


def run(example: str, up: FakeOpenAI, cwd: Path) -> str:
    """Run an example in ``cwd`` with the environment pointing at the fake; its stdout."""
    up.reset()
    env = {**os.environ, "OPENAI_BASE_URL": up.base_url, "OPENAI_API_KEY": up.api_key,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
           "PYTHONWARNINGS": "error"}
    done = subprocess.run([sys.executable, str(EXAMPLES / example)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def answers(out: str) -> list[tuple[str, float, str]]:
    """(question, seconds, answer) for each question the example printed."""
    found = re.findall(r"Question: (.*)\nTime consuming: ([0-9.]+)s\nAnswer: (.*)\n", out)
    return [(q, float(t), a) for q, t, a in found]


def speedup(seconds: float) -> float:
    return LATENCY / max(seconds, PRINT_RESOLUTION)


def fake_answer(question: str) -> str:
    return f"[fake gpt-3.5-turbo] answer to: {question} (ctx "


def test_exact_match_second_answer_comes_from_the_cache(up: FakeOpenAI, tmp_path: Path) -> None:
    out = run("01_exact_match.py", up, tmp_path)
    assert out.startswith("Cache loading.....\n")
    (q1, t1, a1), (q2, t2, a2) = answers(out)
    assert q1 == q2 == "what's github"
    assert a1.startswith(fake_answer("what's github")) and a2 == a1
    assert up.call_count("/chat/completions") == 1  # the repeat never reached the upstream
    assert t1 >= LATENCY
    assert speedup(t2) >= 50
    assert (tmp_path / "gistcache-data" / "gistcache.db").is_file()


def test_similar_questions_are_answered_from_the_cache(up: FakeOpenAI, tmp_path: Path) -> None:
    out = run("02_similar_match.py", up, tmp_path)
    got = answers(out)
    assert [q for q, _, _ in got] == [
        "what's github", "can you explain what GitHub is", "can you tell me more about GitHub",
        "what is the purpose of GitHub"]
    original = got[0][2]
    assert original.startswith(fake_answer("what's github"))
    assert up.call_count("/chat/completions") == 1
    # one upstream call in all: every later answer came from the cache (its time is printed by
    # the example, not asserted: a loaded machine can take longer than the fake model's delay)
    for question, _seconds, answer in got[1:]:
        assert answer == original, question


def test_temperature_example_either_asks_the_model_or_the_cache(up: FakeOpenAI,
                                                                tmp_path: Path) -> None:
    out = run("03_temperature.py", up, tmp_path)
    elapsed = [float(x) for x in re.findall(r"Time elapsed: ([0-9.]+)", out)]
    said = re.findall(r"Answer: (.*)", out)
    assert len(elapsed) == len(said) == 3
    assert len(set(said)) == 1 and said[0].startswith(fake_answer("what's github"))
    # temperature 1.0 skips the cache half of the time: the first call always asks the model,
    # every later one asked either the model (>= its latency) or the cache (faster)
    calls = up.call_count("/chat/completions")
    assert elapsed[0] >= LATENCY
    assert 1 <= calls <= 3
    # each model call waited the fake model's latency (a cache answer may too, on a loaded machine)
    assert sum(1 for t in elapsed if t >= LATENCY) >= calls


def test_drop_in_lines_make_the_original_code_cached(up: FakeOpenAI, tmp_path: Path) -> None:
    out = run("04_drop_in.py", up, tmp_path)
    (q1, _, a1), (q2, t2, a2) = answers(out)
    assert q1 == q2 == "what‘s chatgpt"
    assert a1.startswith(fake_answer("what‘s chatgpt")) and a2 == a1
    assert up.call_count("/chat/completions") == 1
    assert speedup(t2) >= 50
