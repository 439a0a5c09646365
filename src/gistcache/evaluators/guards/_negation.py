"""The negation guard: one question negated and the other not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ._data import strings, table, words
from ._text import CACHE_SIZE, MAX_CHARS, near, read, side

__all__ = ["negation"]

# politeness, hedging and purpose clauses: they say something about the asker, not about the
# question ("I've never done it before", "so I don't ruin it"), and their negations do not flip it
_HEDGE_RE = re.compile(
    r"\b(?:i'?m|i am|i was|i'?ve|i have|i)\s+(?:really\s+|just\s+|still\s+)?"
    r"(?:not (?:sure|certain|too sure)|never (?:really )?(?:done|tried|used|understood|"
    r"known|been)|don'?t (?:really )?(?:know|understand|remember|get it)|do not (?:know|"
    r"understand)|wasn'?t sure|can'?t remember|have no idea)"
    r"|\b(?:hope|hoping) (?:this|it) (?:isn'?t|is not|doesn'?t)"
    r"|\bif (?:it'?s|it is) not too much trouble|\bif you don'?t mind|\bno worries"
    r"|\bnothing (?:seems|seemed) to work|\bdon'?t have (?:a|one|the) \w+ (?:handy|nearby)"
    r"|\bnot to (?:bother|be rude)|\bno (?:rush|pressure)"
    r"|\bso (?:that )?(?:i|it|you|we|they|he|she) (?:don'?t|doesn'?t|won'?t|wouldn'?t|"
    r"do not|does not|will not) \w+"
    # a double negative keeps: "without losing my changes" is "keeping my changes"
    r"|\bwithout (?:losing|breaking|deleting|damaging|ruining|hurting|erasing|overwriting)"
    # "say no" is a verb of refusal, "or not" closes a yes/no question ("should I go or not"),
    # and an answer's opening "No," is an interjection: none negates the question
    r"|\b(?:say|said|saying|says) no\b|\b(?:whether )?or not\b|^(?:no|nope|nah) ,"
)


@dataclass(frozen=True, slots=True)
class _Lists:
    negators: frozenset[str]
    free_re: re.Pattern[str]  # "-free" compounds that mean "without X"
    prefixes: tuple[str, ...]
    positive: dict[str, str]  # negator -> the word it negates ("without" -> "with")
    positive_contractions: dict[str, str]  # stem of "n't" -> its verb ("won" -> "will")


@cache
def _lists() -> _Lists:
    # negators: English ones, English contractions typed without the apostrophe, and the
    # commonest negators of other European languages (German, French, Italian, Spanish,
    # Portuguese, Dutch) that are not also English words
    negators = (words("negation", "negators") | words("negation", "negators_without_apostrophe")
                | words("negation", "negators_other_languages"))
    compounds = "|".join(strings("negation", "free_compounds"))
    return _Lists(
        negators,
        re.compile(rf"\b(?:{compounds})[- ]free\b"),
        tuple(strings("negation", "negative_prefixes")),
        table("negation", "positive_forms"),
        table("negation", "positive_contractions"),
    )


@dataclass(frozen=True, slots=True)
class _Negation:
    cues: tuple[str, ...]
    words: frozenset[str]


@lru_cache(maxsize=CACHE_SIZE)
def _negation_of(text: str) -> _Negation:
    t = read(text)
    core = t.core
    words = t.words if core is t.tokens else frozenset(core)
    negators = _lists().negators
    has_cue = not negators.isdisjoint(words) or "free" in words or "n't" in t.low
    if not has_cue:
        return _Negation((), words)
    kept = _HEDGE_RE.sub(" ", " ".join(core))
    cues = [w for w in kept.split() if w in negators or w.endswith("n't")]
    cues += [m.group(0) for m in _lists().free_re.finditer(kept)]
    return _Negation(tuple(cues), words)


def _positive_form(cue: str) -> str:
    if cue.endswith("n't"):
        stem = cue[:-3]
        return _lists().positive_contractions.get(stem, stem)
    return _lists().positive.get(cue, "")


def _negated_prefix(a: frozenset[str], b: frozenset[str]) -> tuple[str, str] | None:
    """A word in ``a`` whose negated form ("unhide", "unpasteurized") is in ``b`` only."""
    prefixes = _lists().prefixes
    for negated in b:
        if negated.startswith(prefixes) and negated not in a:
            for prefix in prefixes:
                word = negated[len(prefix):]
                if negated.startswith(prefix) and len(word) >= 4 and word in a and \
                        word not in b:
                    return negated, word
    return None


def negation(query: str, candidate: str) -> str | None:
    """Veto when one question is negated and the other is not."""
    query, candidate = query[:MAX_CHARS], candidate[:MAX_CHARS]
    q, c = _negation_of(query), _negation_of(candidate)
    if len(q.cues) != len(c.cues):
        more, fewer, in_query = (q, c, True) if len(q.cues) > len(c.cues) else (c, q, False)
        extra = list(more.cues)
        for cue in fewer.cues:
            if cue in extra:
                extra.remove(cue)
        cue = extra[0] if extra else more.cues[0]
        # a misspelt negator ("wihtout") on the other side is the same negation
        if not any(near(cue, w) for w in fewer.words - more.words):
            positive = _positive_form(cue)
            if positive and positive in fewer.words:
                return f"negation: {cue!r} vs {positive!r}"
            return f"negation: {cue!r} only in {side(in_query)}"
    for a, b in ((q.words, c.words), (c.words, q.words)):
        found = _negated_prefix(a, b)
        if found:
            return f"negation: {found[0]!r} vs {found[1]!r}"
    return None


def cache_clear() -> None:
    """Forget the texts read so far."""
    _negation_of.cache_clear()
