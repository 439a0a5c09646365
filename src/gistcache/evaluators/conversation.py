"""Follow-ups are judged with their conversation: what the last message refers to must be the same.

A stored entry asked after earlier turns answers a new request only when the turns that matter
agree. Turn by turn, each side's turns are paired with the other side's:

* **the assistant's last turn** — what "yes please" or "the second one" answers — must have its
  counterpart on the other side and the pair verifier must find them the same; when it lists
  numbered or bulleted options, they must be the same options in the same order (the reply
  picks one by its place); it is never skipped. When only the new conversation has one, it is
  judged like any earlier turn (unrelated history is tolerated) unless the new message is a
  terse reply (four words or fewer) that only means something after it;
* every other turn that carries content must have a counterpart (a turn of the same role whose
  embedding is close) that the pair verifier finds the same: a changed detail (another product,
  amount, city, plan) is refused;
* a turn of the new request with no counterpart is tolerated only when it is unrelated to
  everything on the stored side and to the question being asked (small talk, an unrelated
  earlier question); a stored turn with no counterpart is never tolerated (the stored answer
  was given with it in view);
* chatter ("thanks!", "ok, one sec") is dropped on both sides before anything is compared, and
  so is the assistant's short reply to it when that reply asks nothing ("Sure, take your time"): an
  acknowledgement is not what a later "yes please" answers.

Only the last ``max_turns`` turns of the stored conversation (twice as many of the new one, so
that added history does not push counterparts out) and the first user turn are read, so the cost
is bounded for
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


#: the longest assistant reply to chatter that is skipped as an acknowledgement
_ACK_CHARS = 60


def _chatter(turn: Turn) -> bool:
    """A short turn with no figures and no question: an acknowledgement, a thanks, a pause."""
    text = turn.text.strip()
    return (len(text) <= 24 and len(text.split()) <= 5 and "?" not in text and "？" not in text
            and not any(c.isdigit() for c in text))


def _terse(question: str) -> bool:
    """A reply that means nothing without the turn before it ("yes please", "the second one")."""
    return len(question.split()) <= 4 or _chatter(Turn("user", question))


def _asks(turn: Turn) -> bool:
    """Whether an assistant turn puts something to the user (a question, an offer, options):
    then the user's next turn may answer it, and it is never skipped."""
    return "?" in turn.text or "？" in turn.text or bool(_options(turn.text))


def _without_chatter(turns: list[Turn]) -> list[Turn]:
    """The turns that carry content: chatter is dropped, and so is the assistant's reply to a
    chatter turn when that reply is short, has no figures and asks nothing ("ok, one sec" /
    "Sure, take your time")."""
    out: list[Turn] = []
    skip_reply = False
    for turn in turns:
        if turn.role == "user":
            skip_reply = _chatter(turn)
            if not skip_reply:
                out.append(turn)
        elif (turn.role == "assistant" and skip_reply and not _asks(turn)
              and len(turn.text.strip()) <= _ACK_CHARS
              and not any(c.isdigit() for c in turn.text)):
            skip_reply = False
        else:
            skip_reply = False
            out.append(turn)
    return out


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

    def _window(self, turns: list[Turn], size: int) -> list[Turn]:
        if len(turns) <= size:
            return turns
        first_user = next((t for t in turns if t.role == "user"), None)
        tail = turns[-size:]
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
        # the new side is read twice as far back: history added in front of the stored turns
        # must not push their counterparts out of the window
        new = _without_chatter(self._window(parse_context(mine), 2 * self.max_turns))
        old = _without_chatter(self._window(parse_context(theirs), self.max_turns))
        anchor_new = new[-1] if new and new[-1].role == "assistant" else None
        anchor_old = old[-1] if old and old[-1].role == "assistant" else None
        if anchor_old is not None and anchor_new is None:
            return False, "the stored question answered an assistant turn this request lacks"
        if anchor_new is not None and anchor_old is None and _terse(question):
            # "yes please" answers the turn before it; the stored one answered nothing
            return False, "only the new conversation has a turn its short reply answers"
        if anchor_new is not None and anchor_old is not None:
            # "the second one" means the second option listed: the options must be the same,
            # in the same order
            if _options(anchor_new.text) != _options(anchor_old.text):
                return False, "the assistant's last turn lists other options"
            if not self._same_text(anchor_old, anchor_new):
                return False, "the assistant's last turn differs"
            new, old = new[:-1], old[:-1]
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
