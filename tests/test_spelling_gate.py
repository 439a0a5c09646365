"""The cosine gate lets a misspelt question through to the pair verifier, and only then."""

from __future__ import annotations

import pytest

from gistcache import Cache, Config
from gistcache._errors import ConfigError
from gistcache._types import CacheRequest, Candidate, Entry
from gistcache.config import DEFAULT_THRESHOLD
from gistcache.embedders import OnnxEmbedder
from gistcache.evaluators import ThresholdEvaluator
from gistcache.evaluators.spelling import align_spelling, spelling_similarity

STORED = "What is the speed of a cheetah?"
TYPO = "what is the speeed of a cheetah"
#: two slips: the embedding moves far (cosine 0.44), the letters hardly (trigram overlap 0.79)
TYPOS = "what is the speeed of a cheetha"


def _candidate(text: str, cosine: float) -> Candidate:
    return Candidate(Entry(id=1, scope_key="s", exact_key="e", key_text=text, answer="x"), cosine)


def test_spelling_similarity_is_high_for_typos_and_low_for_other_questions() -> None:
    assert spelling_similarity(STORED, STORED.upper() + "  ") == 1.0
    assert spelling_similarity(STORED, TYPO) > 0.9
    assert spelling_similarity(STORED, "What is the top speed of a greyhound?") < 0.5
    assert spelling_similarity("", "") == 1.0
    assert spelling_similarity("a", "") == 0.0


def test_a_spelling_variant_passes_the_gate_below_the_cosine_bar() -> None:
    gate = ThresholdEvaluator(0.8, spelling=0.7, spelling_floor=0.4)
    assert gate.floor == 0.4 and gate.requires == frozenset({"key_text"})
    assert gate.judge(CacheRequest(TYPO), _candidate(STORED, 0.5)).accepted
    # another question at the same cosine, or the variant under the floor, is refused
    refused = gate.judge(CacheRequest("What is the top speed of a greyhound?"),
                         _candidate(STORED, 0.5))
    assert not refused.accepted and "0.500 < 0.800" in refused.reason
    assert not gate.judge(CacheRequest(TYPO), _candidate(STORED, 0.3)).accepted
    # a request's own min_similarity is a bar on the cosine alone
    assert not gate.judge(CacheRequest(TYPO, min_similarity=0.6), _candidate(STORED, 0.5)).accepted
    # without the option the gate is the cosine bar, as before
    plain = ThresholdEvaluator(0.8)
    assert plain.floor == 0.8 and not plain.judge(CacheRequest(TYPO),
                                                  _candidate(STORED, 0.5)).accepted


@pytest.mark.parametrize("kwargs", [{"spelling": 0.0}, {"spelling": 1.5},
                                    {"spelling": 0.7, "spelling_floor": 2.0}])
def test_bad_spelling_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigError, match="spelling"):
        ThresholdEvaluator(0.8, **kwargs)


def test_the_default_cache_serves_a_misspelt_question_only_with_its_verifier() -> None:
    vectors = OnnxEmbedder().embed([STORED, TYPOS])
    assert float(vectors[0] @ vectors[1]) < DEFAULT_THRESHOLD  # the gate is what lets it through
    for verifier, served in ((True, True), (False, False)):
        cache = Cache(Config(data_dir=":memory:", verifier=verifier), background=False)
        try:
            cache.put(STORED, "About 100 km/h")
            hit = cache.get(TYPOS)
            assert (hit is not None) == served
            assert cache.get("what is the speed of a greyhound") is None
        finally:
            cache.close()


@pytest.mark.parametrize(("asked", "stored", "expected"), [
    # non-words one slip from a word of the other text are read as that word, on either side
    ("how to write a for loop in pyhton", "How to write a for loop in Python",
     ("how to write a for loop in python", "How to write a for loop in Python")),
    ("Symptoms of dehydration", "symtoms of dehydation",
     ("Symptoms of dehydation", "symptoms of dehydation")),  # "dehydration" is not in it
    # both sides misspell it: the asked side takes the stored spelling
    ("How do I change my password on Gmial?", "How do I change my password on Gmail?",
     ("How do I change my password on gmail?", "How do I change my password on Gmail?")),
    # Korean spacing, end marks and bare-letter laughter do not make another question
    ("친구한테돈을빌려줄때주의할점알려줘ㅠㅠ", "친구한테 돈을 빌려줄 때 주의할 점 알려줘",
     ("친구한테 돈을 빌려줄 때 주의할 점 알려줘", "친구한테 돈을 빌려줄 때 주의할 점 알려줘")),
    ("하늘이 파란 이유가 뭐야? ㅋㅋ", "하늘이 파란 이유가 뭐야?",
     ("하늘이 파란 이유가 뭐야?", "하늘이 파란 이유가 뭐야?")),
])
def test_misspelt_words_are_read_as_the_other_texts_word(asked: str, stored: str,
                                                         expected: tuple[str, str]) -> None:
    assert align_spelling(asked, stored) == expected


@pytest.mark.parametrize(("asked", "stored"), [
    ("How do I lend money to a friend?", "How do I land money to a friend?"),  # real words
    ("How do I unfollow someone on Instagram?", "How do I follow someone on Instagram?"),
    ("What is the boiling point of methanol?", "What is the boiling point of ethanol?"),
    ("How do I decrypt a file with GPG?", "How do I encrypt a file with GPG?"),  # two slips
    ("Why does a currency depreciate?", "Why does a currency appreciate?"),  # first letter
    ("Is a cat a mammal?", "Is a bat a mammal?"),  # short words are never corrected
    ("Who was Kant?", "Who was Kent?"),
    ("C++ 변수 선언하는 방법", "C# 변수 선언하는 방법"),  # symbols are not spacing
    ("비타민 C가 감기 예방에 효과가 있나요?", "비타민 C가 감기 예방에 효과가 없나요?"),
])
def test_real_words_and_words_with_letters_added_are_never_changed(asked: str,
                                                                   stored: str) -> None:
    assert align_spelling(asked, stored) == (asked, stored)


def test_the_verifier_judges_the_aligned_pair() -> None:
    from gistcache.evaluators.crossmodel import JointVerifier

    verifier = JointVerifier()
    stored, asked = "How do I make an omelette?", "how do i make an omlette"
    assert verifier.probabilities(asked, [stored])[0] >= verifier.threshold
    assert verifier.probabilities("How do I make an omelette?", ["How do I make a frittata?"])[0] \
        < verifier.threshold
    assert verifier.probabilities("best resturants in Chicgo", ["Best restaurants in Chicago"])[0] \
        >= verifier.threshold
