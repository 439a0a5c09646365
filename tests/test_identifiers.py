"""What must match exactly is compared as strings: identifiers and non-text parts."""

from __future__ import annotations

import pytest

from gistcache._types import CacheRequest, Candidate, Entry
from gistcache.evaluators import IdentifierEvaluator
from gistcache.evaluators.identifiers import identifiers


def _judge(stored: str, asked: str) -> bool:
    entry = Entry(id=1, scope_key="s", exact_key="e", key_text=stored, answer="x")
    return IdentifierEvaluator().judge(CacheRequest(asked), Candidate(entry, 0.99)).accepted


@pytest.mark.parametrize(("stored", "asked"), [
    ("Summarize ticket PROJ-a3f9c", "Summarize ticket PROJ-b7d2e"),
    ("What changed in Python 3.11?", "What changed in Python 3.12?"),
    ("Why does my order #48213 not ship?", "Why does my order #48231 not ship?"),
    ("What does error 0x80070005 mean?", "What does error 0x80070057 mean?"),
    ("What is in /etc/nginx/nginx.conf?", "What is in /etc/nginx/mime.types?"),
    ("Open https://example.com/a please", "Open https://example.com/b please"),
    ("Describe <image_url:0123456789abcdef01> please", "Describe <image_url:fedcba987654321001> "
     "please"),
    ("fix E1234 in app.py", "fix E1234 in main.py"),
    ("What does `git stash` do?", "What does `git stash pop` do?"),
])
def test_a_different_identifier_is_refused(stored: str, asked: str) -> None:
    assert not _judge(stored, asked)


@pytest.mark.parametrize(("stored", "asked"), [
    ("Summarize ticket PROJ-a3f9c", "summarize ticket proj-a3f9c please"),
    ("What changed in Python 3.12?", "what's new in python 3.12"),
    ("How do I cook for 4 people?", "How do I cook for 6 people?"),  # numbers: the verifier's job
    ("Is a 5km run good for beginners?", "is a 5km run ok for a beginner"),
    ("What does `git stash` do?", "What does git stash do?"),  # backticks are typography
    ("what does git  stash do", "What does `git stash` do?"),
])
def test_same_or_no_identifiers_pass(stored: str, asked: str) -> None:
    assert _judge(stored, asked)


def test_ordinals_units_and_plain_words_are_not_identifiers() -> None:
    assert identifiers("the 3rd option for 4 people in the 1990s, a 5km run at 10am") == frozenset()
    assert identifiers("Order ORD-48213, v2.1.0, `x = 1`") == {"ord-48213", "v2.1.0", "`x = 1`"}
