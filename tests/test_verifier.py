"""The learned verifier: its features, its shipped model file and its verdicts."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from gistcache._errors import ConfigError
from gistcache._types import CacheRequest, Candidate, Entry
from gistcache.embedders import WordHashEmbedder
from gistcache.evaluators import GuardEvaluator, Pipeline, ThresholdEvaluator
from gistcache.evaluators.verifier import (
    FEATURES,
    FORMAT,
    VerifierEvaluator,
    features_cache_clear,
    load_model,
    pair_features,
)

SHIPPED = json.loads(
    (Path(__file__).resolve().parents[1] / "src/gistcache/data/verifier.json").read_text()
)


def feature(query: str, candidate: str, name: str, similarity: float = 0.9) -> float:
    return pair_features(query, candidate, similarity)[FEATURES.index(name)]


def verdict(evaluator: Any, query: str, cached: str, similarity: float, **request: Any) -> bool:
    entry = Entry(id=1, scope_key="s", exact_key="e", key_text=cached, answer="stored")
    accepted: bool = evaluator.judge(CacheRequest(query, **request),
                                     Candidate(entry, similarity)).accepted
    return accepted


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


# -- the shipped model ---------------------------------------------------------------------------


def test_the_shipped_model_loads_and_matches_the_code() -> None:
    model = load_model()
    assert SHIPPED["format"] == FORMAT
    assert tuple(SHIPPED["features"]) == FEATURES
    assert len(model.weights) == len(FEATURES)
    assert 0.0 < model.threshold < 1.0
    assert model.floor == 0.6
    assert "all-MiniLM-L6-v2" in model.meta["embedder"]
    evaluator = VerifierEvaluator()
    assert evaluator.threshold == model.threshold
    assert evaluator.floor == model.floor
    assert evaluator.requires == frozenset({"key_text"})


def test_the_shipped_model_is_plain_json_with_finite_numbers() -> None:
    assert all(isinstance(w, float | int) and math.isfinite(w) for w in SHIPPED["weights"])
    assert isinstance(SHIPPED["bias"], float | int)


def test_a_threshold_override_and_a_bad_one() -> None:
    assert VerifierEvaluator(threshold=0.9).threshold == 0.9
    for bad in (0.0, 1.0, 1.5, -0.1):
        with pytest.raises(ConfigError, match="probability in"):
            VerifierEvaluator(threshold=bad)


# -- features ----------------------------------------------------------------------------------


def test_number_mismatch() -> None:
    assert feature("How far is 5 km in miles?", "How far is 50 km in miles?",
                   "guard_numbers") == 1.0
    assert feature("How far is 5 km in miles?", "How far is 50 km in miles?",
                   "digits_differ") == 1.0
    # the guard normalises quantities; the raw digit feature does not
    assert feature("How far is 5 km in miles?", "How far is five kilometers in miles?",
                   "guard_numbers") == 0.0
    assert feature("How far is 5 km in miles?", "how far is 5 km in miles",
                   "digits_differ") == 0.0


@pytest.mark.parametrize(
    ("query", "candidate", "name"),
    [
        ("How do I make pancakes without eggs?", "How do I make pancakes with eggs?",
         "guard_negation"),
        ("Convert Fahrenheit to Celsius", "Convert Celsius to Fahrenheit", "guard_direction"),
        ("Best pizza in Chicago?", "Best pizza in New York?", "guard_entities"),
        ("Summarize this article as a poem", "Summarize this article as a table",
         "guard_format"),
        ("What's the weather today?", "What was the weather yesterday?", "guard_time"),
        ("Why is the sky blue?", "How is the sky blue?", "question_word_differ"),
    ],
)
def test_each_guard_is_its_own_feature(query: str, candidate: str, name: str) -> None:
    assert feature(query, candidate, name) == 1.0
    assert feature(query, query, name) == 0.0


def test_lexical_features_of_hand_made_pairs() -> None:
    same = pair_features("What is the capital of France?", "What is the capital of France?", 0.99)
    named = dict(zip(FEATURES, same, strict=True))
    assert named["cosine"] == 0.99
    assert named["cosine_above_0.9"] == pytest.approx(0.09)
    for name in ("token_jaccard", "content_jaccard", "bigram_jaccard", "char3_jaccard",
                 "length_ratio", "word_order"):
        assert named[name] == 1.0
    assert named["query_only_content"] == named["candidate_only_content"] == 0.0
    assert sum(v for n, v in named.items() if n.startswith("guard_")) == 0.0

    # plural and possessive endings are folded; "recipe" is the candidate's only extra word
    pair = dict(zip(FEATURES, pair_features("France's capital cities", "capital city of France "
                                            "recipe", 0.7), strict=True))
    assert pair["query_only_content"] == 0.0
    assert pair["candidate_only_content"] == 1.0
    assert pair["length_ratio"] == pytest.approx(3 / 5)
    assert pair["log_length"] == pytest.approx(math.log1p(5))
    # every shared content word in reverse order
    assert feature("dog bites man", "man bites dog", "word_order") == 0.0
    assert feature("dog bites man", "man bites dog", "token_jaccard") == 1.0
    assert feature("dog bites man", "man bites dog", "bigram_jaccard") == 0.0


def test_features_are_deterministic_and_do_not_depend_on_the_text_cache() -> None:
    pair = ("how 2 reset my router pasword pls", "How do I reset my router password?", 0.87)
    first = pair_features(*pair)
    assert pair_features(*pair) == first
    features_cache_clear()
    assert pair_features(*pair) == first
    assert len(first) == len(FEATURES)
    assert all(isinstance(v, float) and math.isfinite(v) for v in first)


def test_odd_texts_do_not_break_the_features() -> None:
    for query, candidate in [("?", "!"), ("", "hello"), ("日本の首都は?", "東京はどこ?"),
                             ("x" * 20_000, "x" * 19_999), ("1 2 3", "3 2 1")]:
        values = pair_features(query, candidate, 0.8)
        assert all(math.isfinite(v) for v in values)


# -- model file validation ---------------------------------------------------------------------


def test_a_corrupt_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid JSON"):
        VerifierEvaluator(write(tmp_path, "{not json"))
    with pytest.raises(ConfigError, match="cannot read"):
        VerifierEvaluator(tmp_path / "missing.json")
    with pytest.raises(ConfigError, match="JSON object"):
        VerifierEvaluator(write(tmp_path, [1, 2]))
    with pytest.raises(ConfigError, match="format"):
        VerifierEvaluator(write(tmp_path, {**SHIPPED, "format": "pickle"}))


def test_mismatched_features_are_named(tmp_path: Path) -> None:
    renamed = [*FEATURES[:-1], "guard_mood"]
    with pytest.raises(ConfigError, match=f"missing {FEATURES[-1]}; unknown guard_mood"):
        VerifierEvaluator(write(tmp_path, {**SHIPPED, "features": renamed}))
    fewer = len(FEATURES) - 1
    with pytest.raises(ConfigError, match=f"its {fewer} features do not match the code's "
                                          f"{len(FEATURES)} .*missing {FEATURES[-1]}"):
        VerifierEvaluator(write(tmp_path, {**SHIPPED, "features": list(FEATURES[:-1]),
                                           "weights": SHIPPED["weights"][:-1]}))
    with pytest.raises(ConfigError, match="another order"):
        VerifierEvaluator(write(tmp_path, {**SHIPPED, "features": list(reversed(FEATURES))}))
    with pytest.raises(ConfigError, match=f"{fewer} weights for {len(FEATURES)} features"):
        VerifierEvaluator(write(tmp_path, {**SHIPPED, "weights": SHIPPED["weights"][:-1]}))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bias": "0.5"}, "'bias' must be a finite number"),
        ({"threshold": 1.2}, "threshold 1.2 is not in"),
        ({"floor": 2}, "floor 2.0 is not a cosine"),
        ({"threshold": None}, "'threshold' must be a finite number"),
        ({"weights": [float("nan")] * len(FEATURES)}, "'weight' must be a finite number"),
        ({"weights": [True] * len(FEATURES)}, "'weight' must be a finite number"),
    ],
)
def test_bad_numbers_are_config_errors(tmp_path: Path, change: dict[str, Any],
                                       message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        VerifierEvaluator(write(tmp_path, {**SHIPPED, **change}))


def test_a_custom_model_file_is_used(tmp_path: Path) -> None:
    # a model that reads only the cosine: P = sigmoid(40 * (cos - 0.9))
    weights = [40.0 if n == "cosine" else 0.0 for n in FEATURES]
    path = write(tmp_path, {**SHIPPED, "weights": weights, "bias": -36.0, "threshold": 0.5,
                            "floor": 0.5})
    evaluator = VerifierEvaluator(path)
    assert evaluator.probability("a b", "c d", 0.9) == pytest.approx(0.5)
    assert verdict(evaluator, "How do I boil an egg?", "Why is the sky blue?", 0.91)
    assert not verdict(evaluator, "How do I boil an egg?", "How do I boil eggs?", 0.89)
    assert not verdict(evaluator, "How do I boil an egg?", "How do I boil eggs?", 0.4)


# -- verdicts of the shipped model -------------------------------------------------------------

# (new question, cached question, cosine of all-MiniLM-L6-v2 for the pair)
CLEAR_ACCEPTS = [
    ("What is the capital of France?", "what's the capital of france", 0.97),
    ("How do I reverse a list in Python?", "How can I reverse a list in Python?", 0.98),
    ("how do i reset my router password", "How do I reset my router's password?", 0.98),
]
CLEAR_REFUSALS = [
    ("How do I make pancakes without eggs?", "How do I make pancakes with eggs?", 0.95),
    ("Convert 5 km to miles", "Convert 50 km to miles", 0.93),
    ("Convert Fahrenheit to Celsius", "Convert Celsius to Fahrenheit", 0.98),
    ("What is the population of Paris?", "What is the population of Berlin?", 0.82),
    ("How do I sort a list in Python?", "How do I learn to play the guitar?", 0.65),
]


@pytest.mark.parametrize(("query", "cached", "similarity"), CLEAR_ACCEPTS)
def test_clear_paraphrases_are_accepted(query: str, cached: str, similarity: float) -> None:
    assert verdict(VerifierEvaluator(), query, cached, similarity)


@pytest.mark.parametrize(("query", "cached", "similarity"), CLEAR_REFUSALS)
def test_clear_differences_are_refused(query: str, cached: str, similarity: float) -> None:
    assert not verdict(VerifierEvaluator(), query, cached, similarity)


def test_floor_and_request_bar_refuse_before_the_model() -> None:
    evaluator = VerifierEvaluator()
    query, cached, _ = CLEAR_ACCEPTS[0]
    assert not verdict(evaluator, query, cached, evaluator.floor - 0.01)
    assert not verdict(evaluator, query, cached, 0.97, min_similarity=0.99)
    # the same text (normalised) is always the same question
    assert verdict(evaluator, "  What is the capital of FRANCE? ", "what is the capital of "
                   "france?", evaluator.floor)


def test_with_word_hash_cosines_in_a_pipeline() -> None:
    embedder = WordHashEmbedder(256)
    pipeline = Pipeline([ThresholdEvaluator(0.6), GuardEvaluator(), VerifierEvaluator()])
    assert pipeline.floor == 0.6

    def cosine(a: str, b: str) -> float:
        va, vb = embedder.embed([a, b])
        return float(va @ vb)

    cached = "How do I make pancakes with eggs?"
    negated = "How do I make pancakes without eggs?"
    retyped = "how do I make pancakes with eggs"
    assert cosine(cached, negated) > 0.6
    assert not verdict(pipeline, negated, cached, cosine(cached, negated))
    assert verdict(pipeline, retyped, cached, cosine(cached, retyped))


def test_reasons_name_the_probability() -> None:
    evaluator = VerifierEvaluator()
    query, cached, similarity = CLEAR_REFUSALS[0]
    entry = Entry(id=1, scope_key="s", exact_key="e", key_text=cached, answer="a")
    reason = evaluator.judge(CacheRequest(query), Candidate(entry, similarity)).reason
    assert reason.startswith("verifier: P(same answer) ")
