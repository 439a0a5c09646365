"""Spelling: how close two texts are letter by letter, and which misspelt words they share.

People type the same question with slips ("how to write a for loop in pyhton"). An embedding
moves far on such a slip — all-MiniLM-L6-v2 cuts an unknown word into pieces — and the pair
verifier, which was trained mostly on well-typed pairs, often refuses it. Two mechanisms, both
learned from text rather than from word lists:

* :func:`spelling_similarity`: the share of character trigrams two texts have in common; the cosine
  gate lets a close spelling variant reach the verifier.
* :func:`align_spelling`: a word of one text that is **not a word** — not a whole-word entry of
  the embedder's vocabulary, which BERT's authors learned from a large corpus — and is one slip
  (two for words of nine letters or more) from a word of the other text, is read as that word. A
  real word is never changed ("lend" stays "lend" against "land"), and neither is a word that is
  the other with letters added before or after ("unfollow" / "follow", "methanol" / "ethanol"),
  nor a word whose first letter differs ("depreciate" / "appreciate"): prefixes are how languages
  change a meaning, and people seldom mistype a word's first letter. The verifier and the
  spelling gate then judge the aligned pair.

In Korean, where spacing is loose in everyday writing, two texts that differ only in spaces,
sentence-final marks and runs of bare letters ("ㅋㅋ" laughter, "ㅠㅠ" tears — letters that never
stand alone in a written word) are the same text.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from .._types import normalize_text

__all__ = ["align_spelling", "is_word", "slips", "spelling_similarity"]

_WORD = re.compile(r"[A-Za-z]+")
#: words shorter than this are never corrected (too many real words are one slip apart)
MIN_LENGTH = 4
#: from this length on, two slips are allowed
TWO_SLIPS = 9


def _trigrams(text: str) -> set[str]:
    padded = f" {normalize_text(text)} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def spelling_similarity(a: str, b: str) -> float:
    """The share of character trigrams two texts have in common (Jaccard, normalised texts).

    A typo, a dropped space or a doubled letter changes a few trigrams and leaves this near 1,
    while the embedding of a misspelt question can fall far (all-MiniLM-L6-v2 splits an unknown
    word into pieces): "How is an alligator different from a crocodile?" against "How is an
    alilgator different from a crocoile?" has cosine 0.50 and trigram overlap 0.75.
    """
    x, y = _trigrams(a), _trigrams(b)
    return len(x & y) / len(x | y) if x or y else 1.0


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """The embedder's whole-word vocabulary entries (read once, on first use)."""
    path = resources.files("gistcache").joinpath("data/minilm-tokenizer.json")
    vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if w.isascii() and w.isalpha())


def is_word(token: str) -> bool:
    """Whether a lower-case token is a whole word of the embedder's (uncased) vocabulary."""
    return token in _vocabulary()


def slips(a: str, b: str, cap: int = 2) -> int:
    """Letters dropped, added, replaced or swapped with a neighbour to turn ``a`` into ``b``
    (optimal string alignment distance); any value above ``cap`` is reported as ``cap + 1``."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], before[j - 2] + 1)
        if min(cur) > cap:
            return cap + 1
        before, prev = prev, cur
    return min(prev[-1], cap + 1)


def _affixed(a: str, b: str) -> bool:
    return a.startswith(b) or a.endswith(b) or b.startswith(a) or b.endswith(a)


def _meant(word: str, others: set[str]) -> str | None:
    """The one word of ``others`` a non-word ``word`` is a slip of, if there is exactly one."""
    cap = 1 if len(word) < TWO_SLIPS else 2
    scored = sorted((slips(word, o, cap), o) for o in others
                    if o[0] == word[0] and abs(len(o) - len(word)) <= cap
                    and not _affixed(word, o))
    scored = [s for s in scored if s[0] <= cap]
    if scored and (len(scored) == 1 or scored[0][0] < scored[1][0]):
        return scored[0][1]
    return None


#: runs of bare Hangul letters (ㅋㅋ, ㅠㅠ, ㅎㅎ): laughter and tears, never a word of the question
_BARE_JAMO = re.compile(r"[\u3131-\u318e]+")
#: what Korean spacing and sentence-final marks leave out
_SPACING = re.compile(r"[\s.,!?~…]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _squashed(text: str) -> str:
    return _SPACING.sub("", _BARE_JAMO.sub("", text)).casefold()


@lru_cache(maxsize=4096)
def align_spelling(asked: str, stored: str) -> tuple[str, str]:
    """``(asked, stored)`` with each misspelt word read as the other text's word it stands for.

    The texts come back unchanged (the same objects) when nothing is misspelt. A non-word on
    either side is replaced by its counterpart; when both sides misspell one word differently,
    the asked side takes the stored side's spelling. Korean text that differs only in word
    spacing (written loosely by most people), sentence-final marks and bare-letter laughter or
    tears ("ㅋㅋ", "ㅠㅠ") is the stored text.
    """
    if _HANGUL.search(asked) and _HANGUL.search(stored) and asked != stored \
            and _squashed(asked) == _squashed(stored):
        return stored, stored
    words_a = {w.lower() for w in _WORD.findall(asked)}
    words_s = {w.lower() for w in _WORD.findall(stored)}
    only_a, only_s = words_a - words_s, words_s - words_a
    if not only_a or not only_s:
        return asked, stored
    fix_a: dict[str, str] = {}
    fix_s: dict[str, str] = {}
    for word in sorted(only_a):  # sorted: the same answer in every process
        if len(word) >= MIN_LENGTH and not is_word(word):
            meant = _meant(word, only_s)
            if meant is not None:
                fix_a[word] = meant
    for word in sorted(only_s - set(fix_a.values())):
        if len(word) >= MIN_LENGTH and not is_word(word):
            meant = _meant(word, only_a - set(fix_a))
            if meant is not None:
                fix_s[word] = meant
    if not fix_a and not fix_s:
        return asked, stored

    def fixed(text: str, fix: dict[str, str]) -> str:
        if not fix:
            return text
        return _WORD.sub(lambda m: fix.get(m.group(0).lower(), m.group(0)), text)

    return fixed(asked, fix_a), fixed(stored, fix_s)
