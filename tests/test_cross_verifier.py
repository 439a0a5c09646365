"""The shipped pair verifier (token head + two cross-encoders): files, batching, verdicts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gistcache import Cache, Config
from gistcache._errors import ConfigError
from gistcache._types import CacheRequest, Candidate, Entry
from gistcache.evaluators import PairVerifierEvaluator
from gistcache.evaluators.crossmodel import CrossVerifier, E5CrossVerifier, JointVerifier

DATA = Path(__file__).resolve().parents[1] / "src" / "gistcache" / "data"
FILES = ("pair-cross.json", "pair-cross.onnx", "pair-tokenizer.json")


@pytest.fixture(scope="module")
def verifier() -> JointVerifier:
    return JointVerifier()


def _p(verifier: JointVerifier, stored: str, asked: str) -> float:
    return verifier.probabilities(asked, [stored])[0]


# The issues' own examples; none of them is in the training data.
SAME = [
    ("What is the capital of Australia?", "What is the capital of Australia"),
    ("What is the capital of Australia?", "what is the capital of australia"),
    ("Who wrote Hamlet?", "who wrote hamlet"),
    ("What is the tallest mountain in Africa?", "Which mountain is the highest in Africa?"),
    ("서울에서 부산까지 KTX로 얼마나 걸려요?", "서울에서 부산까지 KTX로 얼마나 걸려요"),
]
DIFFERENT = [
    ("How do I make pancakes with eggs?", "How do I make pancakes without eggs?"),
    ("Convert 30 degrees Celsius to Fahrenheit", "Convert 30 degrees Fahrenheit to Celsius"),
    ("How do I buy a used car?", "How do I sell a used car?"),
    ("도커 컨테이너를 중지하는 명령어는?", "도커 컨테이너를 시작하는 명령어는?"),
    ("화씨를 섭씨로 바꾸는 법", "섭씨를 화씨로 바꾸는 법"),
    ("서울 인구가 몇 명이에요?", "부산 인구가 몇 명이에요?"),
]


@pytest.mark.parametrize(("stored", "asked"), SAME)
def test_the_same_question_typed_differently_passes(verifier: JointVerifier, stored: str,
                                                    asked: str) -> None:
    assert _p(verifier, stored, asked) >= verifier.threshold


@pytest.mark.parametrize(("stored", "asked"), DIFFERENT)
def test_a_question_that_needs_another_answer_is_refused(verifier: JointVerifier, stored: str,
                                                         asked: str) -> None:
    assert _p(verifier, stored, asked) < verifier.threshold


def test_a_batch_scores_each_candidate_as_alone() -> None:
    # a candidate's score must not depend on which other candidates were scored with it
    stored = ["How do I boil an egg?", "How do I peel a hard-boiled egg quickly without it "
              "sticking to the shell?", "계란 삶는 법"]
    cross = CrossVerifier()
    together = cross.probabilities("how do i boil an egg", stored)
    alone = [CrossVerifier().probabilities("how do i boil an egg", [s])[0] for s in stored]
    assert together == pytest.approx(alone, abs=1e-6)
    assert all(0.0 <= p <= 1.0 for p in together)
    assert cross.probabilities("how do i boil an egg", stored) == together  # memoised


def test_the_joint_verifier_passes_what_any_model_passes_at_its_own_bar(
        verifier: JointVerifier) -> None:
    pairs = [("What is the tallest mountain in Africa?", "which mountain is the highest in africa"),
             ("How do I buy a used car?", "How do I sell a used car?"),
             ("Who wrote Hamlet?", "who wrote hamlet"),
             ("자바에서 String을 int로 변환하는 방법", "java 문자열을 정수로 바꾸려면?"),
             ("도커 컨테이너를 중지하는 명령어는?", "도커 컨테이너를 시작하는 명령어는?")]
    multilingual = verifier.multilingual
    assert multilingual is not None
    for stored, asked in pairs:
        head = verifier.head.probabilities(asked, [stored])[0]
        cross = (verifier.cross.probabilities(asked, [stored])[0]
                 if verifier.cross.reads(asked, stored) else 0.0)
        ml = multilingual.probabilities(asked, [stored])[0]
        joint = verifier.probabilities(asked, [stored])[0]
        anyone = (head >= verifier.head.threshold or cross >= verifier.cross.threshold
                  or ml >= multilingual.threshold)
        assert (joint >= verifier.threshold) == anyone
        assert joint >= head
        if cross < verifier.cross.threshold and ml < multilingual.threshold:
            # below their own bars the cross-encoders do not loosen a caller's lower bar
            assert joint == head


def test_a_korean_paraphrase_the_token_head_refuses_is_served(verifier: JointVerifier) -> None:
    # issue 9: reworded Korean questions were left to the token head, which refused most
    stored = "깃 커밋 되돌리는 방법 (이미 푸시 안 한 거)"
    asked = "아직 push 안 한 git 커밋을 취소하려면 어떻게 하나요?"
    assert verifier.head.probabilities(asked, [stored])[0] < verifier.head.threshold
    assert verifier.probabilities(asked, [stored])[0] >= verifier.threshold


def test_a_yes_no_question_and_its_negation_are_refused_by_the_default_cache() -> None:
    # The multilingual cross-encoder alone scores "효과가 있나요?" / "효과가 없나요?" as one
    # question (its training pairs avoid yes/no flips, whose one-word answers writers disagree
    # on); the default pipeline runs the negation guard before the verifier and refuses it.
    cache = Cache(Config(data_dir=":memory:"), background=False)
    try:
        cache.put("비타민 C가 감기 예방에 효과가 있나요?", "연구 결과가 엇갈립니다 ...")
        assert cache.get("비타민 C가 감기 예방에 효과가 있나요") is not None
        assert cache.get("비타민 C가 감기 예방에 효과가 없나요?") is None
    finally:
        cache.close()


def test_the_multilingual_model_reads_english_and_korean_only(verifier: JointVerifier) -> None:
    multilingual = verifier.multilingual
    assert multilingual is not None
    assert multilingual.reads("How do I boil an egg?", "how to boil eggs")
    assert multilingual.reads("계란 삶는 법", "How do I boil an egg?")
    # trained on no Japanese or Chinese pairs: left to the token head
    assert not multilingual.reads("卵のゆで方", "卵をゆでる方法")


def test_a_tampered_multilingual_model_or_another_e5_file_is_refused(tmp_path: Path) -> None:
    for name in ("pair-cross-e5.json", "pair-cross-e5.onnx"):
        shutil.copy(DATA / name, tmp_path / name)
    manifest = json.loads((tmp_path / "pair-cross-e5.json").read_text())
    (tmp_path / "pair-cross-e5.json").write_text(json.dumps({**manifest, "e5_sha256": "0" * 64}))
    with pytest.raises(ConfigError, match="sha256"):
        E5CrossVerifier(tmp_path)
    (tmp_path / "pair-cross-e5.json").write_text(json.dumps(manifest))
    blob = bytearray((tmp_path / "pair-cross-e5.onnx").read_bytes())
    blob[-1] ^= 0xFF
    (tmp_path / "pair-cross-e5.onnx").write_bytes(bytes(blob))
    with pytest.raises(ConfigError, match="sha256"):
        E5CrossVerifier(tmp_path)


def _copy_model(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def test_a_tampered_model_is_refused(tmp_path: Path) -> None:
    base = _copy_model(tmp_path)
    blob = bytearray((base / "pair-cross.onnx").read_bytes())
    blob[-1] ^= 0xFF
    (base / "pair-cross.onnx").write_bytes(bytes(blob))
    with pytest.raises(ConfigError, match="sha256"):
        CrossVerifier(base)


def test_a_missing_file_or_a_manifest_of_another_format_is_refused(tmp_path: Path) -> None:
    base = _copy_model(tmp_path)
    manifest: dict[str, Any] = json.loads((base / "pair-cross.json").read_text())
    (base / "pair-cross.json").write_text(json.dumps({**manifest, "format": "pickle"}))
    with pytest.raises(ConfigError, match="manifest"):
        CrossVerifier(base)
    (base / "pair-cross.json").write_text("{not json")
    with pytest.raises(ConfigError, match="cannot read"):
        CrossVerifier(base)
    for bad in (None, 1.5, "0.95"):
        (base / "pair-cross.json").write_text(json.dumps({**manifest, "threshold": bad}))
        with pytest.raises(ConfigError, match="threshold"):
            CrossVerifier(base)
    (base / "pair-cross.json").write_text(json.dumps(manifest))
    (base / "pair-tokenizer.json").unlink()
    with pytest.raises(ConfigError, match="missing"):
        CrossVerifier(base)


def test_the_evaluator_reports_its_probability_and_honours_its_bar(verifier: JointVerifier
                                                                   ) -> None:
    entry = Entry(id=1, scope_key="s", exact_key="e", key_text="How do I sell my car?",
                  answer="x")
    refused = PairVerifierEvaluator(verifier=verifier).judge(
        CacheRequest("How do I buy a car?"), Candidate(entry, 0.9))
    assert not refused.accepted and "verifier: P(same answer)" in refused.reason
    assert PairVerifierEvaluator(0.0, verifier=verifier).judge(
        CacheRequest("How do I buy a car?"), Candidate(entry, 0.9)).accepted
    with pytest.raises(ConfigError):
        PairVerifierEvaluator(1.5)


def test_the_default_cache_serves_a_variant_and_refuses_a_flip() -> None:
    cache = Cache(Config(data_dir=":memory:"), background=False)
    try:
        cache.put("Which foods are safe for dogs to eat?", "Carrots, apples (no seeds), ...")
        assert cache.get("which foods r safe for dogs to eat") is not None
        assert cache.get("Which foods are not safe for dogs to eat?") is None
        cache.put("서울에서 부산까지 KTX로 얼마나 걸려요?", "약 2시간 30분")
        assert cache.get("서울에서 부산까지 KTX 요금이 얼마예요?") is None
        assert cache.get("부산에서 서울까지 KTX로 얼마나 걸려요?") is None
    finally:
        cache.close()


def test_a_cross_encoder_trained_on_english_only_leaves_other_scripts_to_the_head(
        tmp_path: Path) -> None:
    base = _copy_model(tmp_path)
    manifest: dict[str, Any] = json.loads((base / "pair-cross.json").read_text())
    assert manifest["training"]["langs"] == "en"  # the shipped one
    (base / "pair-cross.json").write_text(json.dumps(
        {**manifest, "training": {**manifest["training"], "langs": "en,ko"}}))
    assert CrossVerifier(base).english_only is False
    assert CrossVerifier(base).reads("계란 삶는 법", "How do I boil an egg?")
    (base / "pair-cross.json").write_text(json.dumps(manifest))
    english_only = CrossVerifier(base)
    assert english_only.english_only
    assert english_only.reads("how do i boil an egg", "How do I boil an egg?")
    assert not english_only.reads("계란 삶는 법", "How do I boil an egg?")
    assert not english_only.reads("how do i boil an egg", "계란 삶는 법")

    asked: list[str] = []

    class Counting(CrossVerifier):
        def probabilities(self, query: str, stored: Any) -> list[float]:
            asked.append(query)
            return super().probabilities(query, stored)

    counting = Counting(base)
    joint = JointVerifier(cross=counting)
    korean = joint.probabilities("계란을 어떻게 삶아요?", ["계란 삶는 법은?"])[0]
    assert korean == joint.head.probabilities("계란을 어떻게 삶아요?", ["계란 삶는 법은?"])[0]
    joint.probabilities("how do you fry an egg", ["How do I boil an egg?"])
    assert asked == ["how do you fry an egg"]  # only the English pair reached it
