"""The direction guard: "X to Y" against "Y to X", and opposite words (import / export)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ._data import rows, table, words
from ._numbers import units
from ._text import CACHE_SIZE, MAX_CHARS, PUNCT, function_words, read

__all__ = ["direction"]

_DIRECTION_MARKERS = frozenset({"to", "into"})
_PAIR_GATE = _DIRECTION_MARKERS | {"how"}


@dataclass(frozen=True, slots=True)
class _Lists:
    # every form of an opposite word -> (pair id, side) of each pair it is on a side of
    polarity: dict[str, tuple[tuple[int, int], ...]]
    particles: frozenset[str]  # "off" in "turn off"
    phrase_heads: frozenset[str]  # "turn" in "turn off"
    # content words of "X to Y" are compared; these words carry no side of the direction
    not_a_side: frozenset[str]
    unit_words: dict[str, str]  # one-letter unit symbols spelled out, for readable reasons
    # a text holding none of these words has no opposite word to compare
    polarity_gate: frozenset[str]


def _inflections(word: str) -> set[str]:
    forms = {word}
    if "_" in word:
        verb, rest = word.split("_", 1)
        return {f"{v}_{rest}" for v in _inflections(verb)}
    if len(word) < 3:
        return forms
    stem = word[:-1] if word.endswith("e") else word
    forms |= {word + "s", word + "es", stem + "ed", stem + "ing", word + "d", stem + "er",
              stem + "ers"}
    if re.fullmatch(r".*[^aeiou][aeiou][bdgmnprt]", word) and len(word) <= 5:
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # stop -> stopping
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


def _build_polarity() -> dict[str, tuple[tuple[int, int], ...]]:
    found: dict[str, list[tuple[int, int]]] = {}
    # opposite pairs, [[words of one polarity], [words of the other]]; "turn_off" is a phrase
    for pair_id, sides in enumerate(rows("direction", "opposites")):
        for side, side_words in enumerate(sides):
            for word in side_words:
                for form in _inflections(word):
                    entry = found.setdefault(form, [])
                    if (pair_id, side) not in entry:
                        entry.append((pair_id, side))
    # irregular forms take the sides of their base word: "sold" is "sell"
    for form, base in rows("direction", "irregular_forms"):
        found.setdefault(form, []).extend(found.get(base, []))
    return {k: tuple(v) for k, v in found.items()}


@cache
def _lists() -> _Lists:
    polarity = _build_polarity()
    heads = words("direction", "phrase_heads")
    return _Lists(
        polarity,
        words("direction", "particles"),
        heads,
        function_words() | words("direction", "not_a_side"),
        table("direction", "unit_symbols_spelled"),
        frozenset(polarity) | heads | {"left", "right"},
    )


def _stem(word: str) -> str:
    info = units().get(word)
    if info and info[2].isalpha():
        # "cups" and "cup", "oz" and "ounces" are one unit
        return _lists().unit_words.get(info[2], info[2])
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class _Direction:
    pairs: tuple[tuple[frozenset[str], frozenset[str]], ...]  # (before "to", after "to")
    polarity: dict[int, tuple[set[int], str]]  # pair id -> (sides present, an example word)


def _window(tokens: tuple[str, ...], start: int, stop: int, step: int) -> frozenset[str]:
    """Content words from ``start`` towards ``stop``, stopping at punctuation."""
    not_a_side = _lists().not_a_side
    found: set[str] = set()
    i = start
    while i != stop:
        tok = tokens[i]
        if tok in PUNCT:
            break
        if tok not in not_a_side:
            found.add(_stem(tok))
        i += step
    return frozenset(found)


@lru_cache(maxsize=CACHE_SIZE)
def _direction_of(text: str) -> _Direction:
    lists = _lists()
    tokens = read(text).core
    n = len(tokens)
    pairs: list[tuple[frozenset[str], frozenset[str]]] = []
    if not _PAIR_GATE.isdisjoint(tokens):
        for i in [i for i, tok in enumerate(tokens) if tok in _DIRECTION_MARKERS]:
            if 0 < i < n - 1:
                before = _window(tokens, i - 1, max(-1, i - 4), -1)
                after = _window(tokens, i + 1, min(n, i + 4), 1)
                if before and after:
                    pairs.append((before, after))
        # "how many cups are in a liter": the unit before "in" is counted in the one after
        for i in [i for i, tok in enumerate(tokens[:-2]) if tok == "how"]:
            if tokens[i + 1] not in ("many", "much"):
                continue
            for k in range(i + 2, min(n - 1, i + 8)):
                if tokens[k] == "in":
                    before = _window(tokens, k - 1, i + 1, -1)
                    after = _window(tokens, k + 1, min(n, k + 4), 1)
                    if before and after:
                        pairs.append((before, after))
                    break
    polarity: dict[int, tuple[set[int], str]] = {}
    present = lists.polarity_gate.intersection(tokens)
    if present:
        for i, tok in enumerate(tokens):
            if tok not in present:
                continue
            keys = [tok]
            if i + 1 < n and tokens[i + 1] in lists.particles and tok in lists.phrase_heads:
                keys.append(f"{tok}_{tokens[i + 1]}")  # "turn off", "log in"
            if tok in ("left", "right") and i >= 2 and tokens[i - 2:i] == ("on", "the"):
                keys.append(f"on_the_{tok}")
            for key in keys:
                for pair_id, side in lists.polarity.get(key, ()):
                    sides, example = polarity.get(pair_id, (set(), key))
                    sides.add(side)
                    polarity[pair_id] = (sides, example if sides != {side} else key)
    return _Direction(tuple(pairs), polarity)


def direction(query: str, candidate: str) -> str | None:
    """Veto on swapped order ("X to Y" vs "Y to X") or opposite words (import vs export)."""
    query, candidate = query[:MAX_CHARS], candidate[:MAX_CHARS]
    q, c = _direction_of(query), _direction_of(candidate)
    for q_before, q_after in q.pairs:
        for c_before, c_after in c.pairs:
            moved_right = (q_before & c_after) - q_after - c_before
            moved_left = (q_after & c_before) - q_before - c_after
            if moved_right and moved_left:
                x, y = min(moved_right), min(moved_left)
                return f"direction: '{x} to {y}' vs '{y} to {x}'"
    for pair_id, (q_sides, q_word) in q.polarity.items():
        if len(q_sides) != 1 or pair_id not in c.polarity:
            continue
        c_sides, c_word = c.polarity[pair_id]
        if len(c_sides) == 1 and c_sides != q_sides:
            return f"direction: {q_word.replace('_', ' ')!r} vs {c_word.replace('_', ' ')!r}"
    return None


def cache_clear() -> None:
    """Forget the texts read so far."""
    _direction_of.cache_clear()
