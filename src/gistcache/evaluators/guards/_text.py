"""What every guard shares: a question cut, normalised and tokenised once, and word tests."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from ..spelling import slips
from ._data import words

__all__ = [
    "ANY_DIGIT_RE",
    "CACHE_SIZE",
    "MAX_CHARS",
    "PUNCT",
    "TOKEN_RE",
    "Rules",
    "Text",
    "compile_rules",
    "function_words",
    "near",
    "read",
    "side",
    "strip_accents",
    "triggered",
]

#: only this many characters of each text are read: a question's cues are near its start, and
#: reading a 100 kB prompt word by word would cost more than the model call it saves
MAX_CHARS = 4000

# what each guard reads of a text is cached by the (cut) text: the query is compared with several
# candidates in a row, and each guard reuses the tokens the first one made. A few hundred texts
# cover the candidates of the last few queries; at most a few megabytes even for long texts.
CACHE_SIZE = 256

_QUOTES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"', "„": '"',
                         "–": "-", "—": "-", "‐": "-", "\u00a0": " "})

# lower-case word tokens: hex codes, numbers (with decimals, thousands, fractions, ordinal or
# decade suffix), words with inner apostrophes, currency and percent signs, sentence punctuation
TOKEN_RE = re.compile(
    r"[^\W\d_]+(?:'[^\W\d_]+)*"
    r"|[?.!,;:]"
    r"|0x[0-9a-f]+"
    r"|\d+(?:[.,]\d+)*(?:/\d+)?(?:st|nd|rd|th|s)?(?![^\W_])"
    r"|\d+"
    r"|[$€£¥%°]"
)
# the same for ASCII text, the common case: ASCII classes are faster to match than Unicode ones
_ASCII_TOKEN_RE = re.compile(
    r"[a-z]+(?:'[a-z]+)*"
    r"|[?.!,;:]"
    r"|0x[0-9a-f]+"
    r"|\d+(?:[.,]\d+)*(?:/\d+)?(?:st|nd|rd|th|s)?(?![a-z0-9])"
    r"|\d+"
    r"|[$%]"
)
PUNCT = frozenset("?.!,;:")
ANY_DIGIT_RE = re.compile(r"\d")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+")


@cache
def _english() -> frozenset[str]:
    # English function words and question verbs: a text with none of them is not read as English
    # (words shared with other European languages, like "a", "in", "was", "an", are left out)
    return words("text", "english")


@cache
def function_words() -> frozenset[str]:
    """Words that are never names even when capitalised ("What", "The", "From")."""
    return words("text", "function_words")


@dataclass(frozen=True, slots=True)
class Text:
    """One question, cut, normalised and tokenised once for all guards."""

    raw: str  # cut to MAX_CHARS, NFKC, typographic quotes made plain
    low: str
    tokens: tuple[str, ...]
    words: frozenset[str]  # the distinct tokens: cheap tests of whether a guard has work to do
    core: tuple[str, ...]  # tokens of the question sentences, without a long preamble
    english: bool
    ascii: bool


@lru_cache(maxsize=CACHE_SIZE)
def read(text: str) -> Text:
    """``text`` cut to :data:`MAX_CHARS`, normalised and tokenised (cached by text)."""
    raw = text[:MAX_CHARS]  # already cut by the guards; kept for direct calls
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw).translate(_QUOTES)
    low = raw.lower()
    ascii_only = raw.isascii()
    token_re = _ASCII_TOKEN_RE if ascii_only else TOKEN_RE
    tokens = tuple(token_re.findall(low))
    core = tokens
    # a long polite message carries its question in the sentences ending in "?"; the rest is
    # context ("I've never done it before") whose negations and dates are not the question's.
    # A short question ("What should I do?") leans on its context, which is then kept.
    if "?" in low and low.count("?") + low.count(".") + low.count("!") > 1:
        sentences = [x for x in _SENTENCE_SPLIT_RE.split(low) if x]
        asked = [x for x in sentences if x.endswith("?")]
        if asked and len(asked) < len(sentences):
            asked_tokens = tuple(token_re.findall(" ".join(asked)))
            if sum(1 for x in asked_tokens if x[0].isalnum()) >= 6:
                core = asked_tokens
    words = [x for x in tokens[:40] if x[0].isalpha()]
    english = len(words) <= 2 or not _english().isdisjoint(words)
    return Text(raw, low, tokens, frozenset(tokens), core, english, ascii_only)


def strip_accents(word: str) -> str:
    """``word`` without its diacritics ("Zürich" -> "Zurich")."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def near(a: str, b: str) -> bool:
    """True when ``b`` is a plausible misspelling of ``a`` (optimal string alignment distance)."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest < 4 or (a[0] != b[0] and a[:2] != b[1::-1]):
        return False
    limit = 1 if shortest <= 5 else 2
    return slips(a, b, limit) <= limit


def side(one_sided_in_query: bool) -> str:
    """Which question a one-sided cue is in, for a reason."""
    return "the new question" if one_sided_in_query else "the cached question"


#: compiled (category, value, pattern) rules and, per trigger word, the rules it triggers
Rules = tuple[tuple[tuple[str, str, re.Pattern[str]], ...], dict[str, tuple[int, ...]]]


def compile_rules(rules: Iterable[tuple[str, str, str, str]]) -> Rules:
    """Compile (category, value, triggers, pattern) rules and index them by trigger word."""
    compiled: list[tuple[str, str, re.Pattern[str]]] = []
    index: dict[str, list[int]] = {}
    for k, (category, value, triggers, pattern) in enumerate(rules):
        # a cue is a whole word or phrase: "java" is not in "javascript", "c" not in "c++"
        compiled.append((category, value, re.compile(rf"(?<!\w)(?:{pattern})(?![\w+#])")))
        for word in triggers.split():
            index.setdefault(word, []).append(k)
    return tuple(compiled), {w: tuple(ks) for w, ks in index.items()}


def triggered(words: frozenset[str], index: dict[str, tuple[int, ...]]) -> list[int]:
    """The rules whose trigger words occur, in rule order."""
    found: set[int] = set()
    for word in words:
        hit = index.get(word)
        if hit:
            found.update(hit)
    return sorted(found)
