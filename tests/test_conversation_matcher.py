"""The conversation matcher: the turns a follow-up refers to must agree; the rest may differ."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from gistcache.embedders import WordHashEmbedder
from gistcache.evaluators.conversation import ConversationMatcher, parse_context

_EMB = WordHashEmbedder(512)


def _vectors(texts: Sequence[str]) -> list[npt.NDArray[np.float32]]:
    return list(_EMB.embed(list(texts)))


def _same_words(query: str, stored: Sequence[str]) -> list[float]:
    """A stand-in verifier: the same bag of words (order matters only through the matcher)."""
    words = set(query.lower().replace(",", " ").split())
    return [1.0 if set(s.lower().replace(",", " ").split()) == words else 0.0 for s in stored]


def _ctx(*turns: tuple[str, str]) -> str:
    return "\n".join(f"{role}: {text}" for role, text in turns)


@pytest.fixture
def matcher() -> ConversationMatcher:
    return ConversationMatcher(_vectors, _same_words, bar=0.5, counterpart=0.6, unrelated=0.3)


OFFER = ("assistant", "I can cancel your premium plan today. Shall I go ahead?")
BASE = _ctx(("user", "I want to change my premium plan billing"), OFFER)


def test_parse_context_reads_role_lines() -> None:
    turns = parse_context("user: hi there\nassistant: hello, how can I help\nuser: refund")
    assert [t.role for t in turns] == ["user", "assistant", "user"]
    assert turns[1].text == "hello, how can I help"


def test_equal_conversations_match(matcher: ConversationMatcher) -> None:
    assert matcher.same(BASE, BASE, "yes please")[0]


def test_another_offer_in_the_last_assistant_turn_is_refused(matcher: ConversationMatcher
                                                             ) -> None:
    flipped = _ctx(("user", "I want to change my premium plan billing"),
                   ("assistant", "I can switch your premium plan to annual billing. Shall I?"))
    same, reason = matcher.same(flipped, BASE, "yes please")
    assert not same and "assistant's last turn" in reason


def test_chatter_and_unrelated_history_are_ignored(matcher: ConversationMatcher) -> None:
    chatty = _ctx(("user", "good morning"), ("assistant", "Morning! Lovely weather today"),
                  ("user", "I want to change my premium plan billing"), ("user", "ok cool"),
                  OFFER)
    assert matcher.same(chatty, BASE, "yes please") == (True, "")


def test_a_changed_detail_in_an_earlier_turn_is_refused(matcher: ConversationMatcher) -> None:
    other = _ctx(("user", "I want to change my basic plan billing"), OFFER)
    same, reason = matcher.same(other, BASE, "yes please")
    assert not same and "differs in a detail" in reason


def test_only_one_side_ending_with_an_assistant_turn_is_refused(matcher: ConversationMatcher
                                                                ) -> None:
    assert not matcher.same(_ctx(("user", "I want to change my premium plan billing")), BASE,
                            "yes please")[0]


def test_a_stored_follow_up_never_stands_for_a_request_without_its_turn(
        matcher: ConversationMatcher) -> None:
    same, reason = matcher.same(_ctx(("user", "I want to change my premium plan billing")), BASE,
                                "yes please")
    assert not same and "assistant turn this request lacks" in reason


def test_a_terse_reply_after_a_turn_the_stored_entry_lacks_is_refused(
        matcher: ConversationMatcher) -> None:
    # stored: "yes please" asked with no earlier turns; new: the same words answer an offer
    same, reason = matcher.same(BASE, "", "yes please")
    assert not same and "short reply" in reason


def test_a_full_question_after_unrelated_history_is_served(matcher: ConversationMatcher) -> None:
    history = _ctx(("user", "good morning, what's the weather like on mars"),
                   ("assistant", "Cold and dusty, around minus sixty degrees"))
    question = "How do I reset the password of my router?"
    assert matcher.same(history, "", question) == (True, "")


def test_a_chatter_exchange_before_the_reply_is_skipped(matcher: ConversationMatcher) -> None:
    paused = _ctx(("user", "I want to change my premium plan billing"), OFFER,
                  ("user", "let me check, one sec"), ("assistant", "Sure, take your time."))
    assert matcher.same(paused, BASE, "yes please") == (True, "")


def test_an_assistant_question_after_chatter_is_what_the_reply_answers(
        matcher: ConversationMatcher) -> None:
    redirected = _ctx(("user", "I want to change my premium plan billing"), OFFER,
                      ("user", "hmm ok"),
                      ("assistant", "Or shall I move you to the basic plan instead?"))
    same, reason = matcher.same(redirected, BASE, "yes please")
    assert not same and "assistant's last turn" in reason


def test_without_a_verifier_only_equal_turns_count() -> None:
    strict = ConversationMatcher(_vectors, None, counterpart=0.6, unrelated=0.3)
    reworded = _ctx(("user", "I'd like to change the billing of my premium plan"), OFFER)
    assert not strict.same(reworded, BASE, "yes please")[0]
    assert strict.same(BASE, BASE, "yes please")[0]


def test_long_conversations_are_read_in_a_bounded_window() -> None:
    seen: list[int] = []

    def counting(texts: Sequence[str]) -> list[npt.NDArray[np.float32]]:
        seen.append(len(texts))
        return _vectors(texts)

    m = ConversationMatcher(counting, _same_words, counterpart=0.6, unrelated=0.3, max_turns=6)
    turns = [("user" if i % 2 == 0 else "assistant", f"turn number {i} about topic {i}")
             for i in range(80)]
    longer = [*turns[:-1], ("user", "an extra question here"), turns[-1]]
    m.same(_ctx(*longer), _ctx(*turns), "and then?")
    # the stored side's last 6 turns and first user turn, twice that of the new side, the question
    assert seen and max(seen) <= (2 * 6 + 1) + (6 + 1) + 1


def test_options_in_another_order_are_refused(matcher: ConversationMatcher) -> None:
    first = _ctx(("user", "my blender arrived broken"),
                 ("assistant", "I can offer: 1) a full refund 2) a free replacement. Which one?"))
    swapped = _ctx(("user", "my blender arrived broken"),
                   ("assistant", "I can offer: 1) a free replacement 2) a full refund. Which one?"))
    same, reason = matcher.same(swapped, first, "the second one")
    assert not same and "other options" in reason
    assert matcher.same(first, first, "the second one")[0]
