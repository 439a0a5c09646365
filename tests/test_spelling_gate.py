"""The cosine gate lets a misspelt question through to the pair verifier, and only then."""

from __future__ import annotations

import pytest

from gistcache import Cache, Config
from gistcache._errors import ConfigError
from gistcache._types import CacheRequest, Candidate, Entry
from gistcache.config import DEFAULT_THRESHOLD
from gistcache.embedders import OnnxEmbedder
from gistcache.evaluators import ThresholdEvaluator
from gistcache.evaluators.threshold import spelling_similarity

STORED = "What is the speed of a cheetah?"
TYPO = "what is the speeed of a cheetah"


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
    vectors = OnnxEmbedder().embed([STORED, TYPO])
    assert float(vectors[0] @ vectors[1]) < DEFAULT_THRESHOLD  # the gate is what lets it through
    for verifier, served in ((True, True), (False, False)):
        cache = Cache(Config(data_dir=":memory:", verifier=verifier), background=False)
        try:
            cache.put(STORED, "About 100 km/h")
            hit = cache.get(TYPO)
            assert (hit is not None) == served
            assert cache.get("what is the speed of a greyhound") is None
        finally:
            cache.close()
