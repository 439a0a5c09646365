"""What differs between two questions, as hashed features for the pair verifier's final layer.

The two texts are compared letter by letter (after case folding, NFKC, and dropping spaces and
punctuation, so spacing and end marks never differ): each differing stretch becomes features —
the replaced pair of strings (``있``→``없``), an inserted or deleted string (``안``, ``not``), the
letters and letter pairs involved — hashed into a fixed number of buckets whose weights are
learned (``benchmarks/train_pair_verifier.py``). Which differences change the answer is learned
from the training pairs, in every script alike: Korean particles and endings, spacing and filler
learn small weights; negation, numbers and swapped content learn large ones.
"""

from __future__ import annotations

import difflib
import unicodedata
import zlib
from functools import lru_cache

import numpy as np
import numpy.typing as npt

__all__ = ["BUCKETS", "DENSE", "diff_features", "squeeze"]

#: hashed feature buckets
BUCKETS = 1 << 18
#: dense features, in order
DENSE = ("diff_chars", "diff_share", "segments", "digits_differ", "reordered", "identical")


@lru_cache(maxsize=4096)
def squeeze(text: str) -> str:
    """Letters and digits only, case-folded (what the comparison reads)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _h(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % BUCKETS


def diff_features(a: str, b: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Hashed feature indices (with repeats) and the dense vector of one pair (symmetric)."""
    sa, sb = squeeze(a[:2000]), squeeze(b[:2000])
    matcher = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
    keys: list[str] = []
    diff = 0
    segments = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        segments += 1
        x, y = sa[i1:i2], sb[j1:j2]
        diff += max(len(x), len(y))
        left = sa[max(0, i1 - 1) : i1]
        lo, hi = sorted((x, y))
        if x and y:
            keys.append(f"R:{lo}|{hi}")
            keys.append(f"RC:{left}:{lo}|{hi}")
        else:
            seg = x or y
            keys.append(f"I:{seg}")
            keys.append(f"IC:{left}:{seg}")
        for seg in (x, y):
            for ch in seg:
                keys.append(f"C:{ch}")
            for k in range(len(seg) - 1):
                keys.append(f"B:{seg[k : k + 2]}")
    digits_a = "".join(ch for ch in sa if ch.isdigit())
    digits_b = "".join(ch for ch in sb if ch.isdigit())
    dense = np.array([
        min(diff, 40) / 10.0,
        diff / max(1, max(len(sa), len(sb))),
        min(segments, 10) / 3.0,
        float(digits_a != digits_b),
        float(diff > 0 and sorted(sa) == sorted(sb)),
        float(diff == 0),
    ], dtype=np.float32)
    idx = np.fromiter((_h(k) for k in keys), dtype=np.int64, count=len(keys))
    return idx, dense
