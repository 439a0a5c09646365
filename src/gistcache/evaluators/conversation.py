"""Follow-ups are judged with their conversation: what the last message refers to must be the same.

A stored entry asked after earlier turns answers a new request only when the turns that matter
agree. Turn by turn, each side's turns are paired with the other side's:

* **the assistant's last turn** — what "yes please" or "the second one" answers — must have its
  counterpart on the other side and the pair verifier must find them the same; when it lists
  numbered or bulleted options, they must be the same options in the same order (the reply
  picks one by its place); it is never skipped;
* every other turn that carries content must have a counterpart (a turn of the same role whose
  embedding is close) that the pair verifier finds the same: a changed detail (another product,
  amount, city, plan) is refused;
* a turn of the new request with no counterpart is tolerated only when it is unrelated to
  everything on the stored side and to the question being asked (small talk, an unrelated
  earlier question) or when it is chatter ("thanks!", "ok cool"); a stored turn with no
  counterpart is never tolerated (the stored answer was given with it in view).

Only the last ``max_turns`` turns and the first user turn are read, so the cost is bounded for
conversations of any length; every turn's vector and token states are memoised, and a
conversation grows by two turns a request, so a lookup embeds about two new turns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .._types import normalize_text

__all__ = ["ConversationMatcher", "Turn", "parse_context"]

Vectors = Callable[[Sequence[str]], Sequence[npt.NDArray[np.float32]]]
Probabilities = Callable[[str, Sequence[str]], Sequence[float]]

#: the tail of a long turn that the pair verifier reads (offers and questions come last)
_TAIL_CHARS = 320


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation."""

    role: str
    text: str

    @property
    def key(self) -> str:
        return normalize_text(self.text)


def parse_context(context: str) -> list[Turn]:
    """The turns of a context written as ``role: text`` lines (see ``split_conversation``)."""
    turns = []
    for line in context.splitlines():
        role, sep, text = line.partition(": ")
        if sep and role in ("user", "assistant", "tool", "function"):
            turns.append(Turn(role, text))
        elif turns:  # a continuation of the previous turn
            turns[-1] = Turn(turns[-1].role, f"{turns[-1].text} {line}")
        elif line.strip():
            turns.append(Turn("user", line))
    return turns


def _chatter(turn: Turn) -> bool:
    """A short turn with no figures and no question: an acknowledgement, a thanks, a pause."""
    text = turn.text.strip()
    return (len(text) <= 24 and len(text.split()) <= 4 and "?" not in text and "？" not in text
            and not any(c.isdigit() for c in text))


_ITEM = re.compile(
    r"(?:^|\s)(?:\(?(\d{1,2})[.)]|[-*\u2022])\s+([^\n]+?)(?=(?:\s\(?\d{1,2}[.)]\s)|$)",
    re.MULTILINE)


def _options(text: str) -> list[str]:
    """The numbered (1, 2, ...) or bulleted options an assistant turn lists, in order; empty
    unless there are at least two."""
    found = [(m.group(1), normalize_text(m.group(2))) for m in _ITEM.finditer(text)]
    numbered = [item for num, item in found if num]
    nums = [int(num) for num, _ in found if num]
    if len(numbered) >= 2 and nums == list(range(1, len(nums) + 1)):
        return numbered
    bullets = [item for num, item in found if not num]
    return bullets if len(bullets) >= 2 else []


def _tail(text: str) -> str:
    return text if len(text) <= _TAIL_CHARS else text[-_TAIL_CHARS:]


class ConversationMatcher:
    """Decides whether two conversations make the same final message mean the same."""

    def __init__(self, vectors: Vectors, probabilities: Probabilities | None, *,
                 bar: float = 0.5, counterpart: float = 0.8, unrelated: float = 0.5,
                 max_turns: int = 12) -> None:
        self.vectors = vectors
        self.probabilities = probabilities
        self.bar = bar
        self.counterpart = counterpart
        self.unrelated = unrelated
        self.max_turns = max_turns

    def _window(self, turns: list[Turn]) -> list[Turn]:
        if len(turns) <= self.max_turns:
            return turns
        first_user = next((t for t in turns if t.role == "user"), None)
        tail = turns[-self.max_turns :]
        return ([first_user] if first_user is not None and first_user not in tail else []) + tail

    def _same_text(self, a: Turn, b: Turn) -> bool:
        if a.key == b.key:
            return True
        if self.probabilities is None:
            return False
        return self.probabilities(_tail(b.text), [_tail(a.text)])[0] >= self.bar

    def same(self, mine: str, theirs: str, question: str) -> tuple[bool, str]:
        """Whether conversation ``theirs`` (stored) can stand for ``mine`` (new) before
        ``question``; the reason when not."""
        if normalize_text(mine) == normalize_text(theirs):
            return True, ""
        new, old = self._window(parse_context(mine)), self._window(parse_context(theirs))
        anchor_new = new[-1] if new and new[-1].role == "assistant" else None
        anchor_old = old[-1] if old and old[-1].role == "assistant" else None
        if (anchor_new is None) != (anchor_old is None):
            return False, "only one conversation ends with an assistant turn"
        if anchor_new is not None and anchor_old is not None:
            # "the second one" means the second option listed: the options must be the same,
            # in the same order
            if _options(anchor_new.text) != _options(anchor_old.text):
                return False, "the assistant's last turn lists other options"
            if not self._same_text(anchor_old, anchor_new):
                return False, "the assistant's last turn differs"
            new, old = new[:-1], old[:-1]
        new = [t for t in new if not _chatter(t)]
        old = [t for t in old if not _chatter(t)]
        if not new and not old:
            return True, ""
        texts = [t.text for t in new] + [t.text for t in old] + [question]
        vecs = np.stack(list(self.vectors(texts)))
        v_new, v_old, v_q = vecs[: len(new)], vecs[len(new) : len(new) + len(old)], vecs[-1]
        sim = v_new @ v_old.T if len(new) and len(old) else np.zeros((len(new), len(old)))
        unmatched: set[str] = set()
        for side, turns, other, mat, vs in (("new", new, old, sim, v_new),
                                            ("stored", old, new, sim.T, v_old)):
            for i, turn in enumerate(turns):
                same_role = [j for j, o in enumerate(other) if o.role == turn.role]
                best = max(same_role, key=lambda j: mat[i, j], default=None)
                if best is not None and mat[i, best] >= self.counterpart:
                    if not self._same_text(other[best], turn):
                        return False, f"an earlier {turn.role} turn differs in a detail"
                    continue
                nearest = float(mat[i].max()) if mat.shape[1] else -1.0
                if side == "stored":
                    # the stored answer was given with this turn in view: never without it
                    return False, f"the stored conversation has a {turn.role} turn this " \
                                  "request lacks"
                if nearest < self.unrelated and float(vs[i] @ v_q) < self.unrelated:
                    unmatched.add(side)
                    if len(unmatched) > 1:  # a turn replaced by another, not history added
                        return False, "each conversation has a turn the other lacks"
                    continue  # unrelated history on one side only
                return False, f"a related {turn.role} turn of the {side} conversation has no " \
                              "counterpart"
        return True, ""
