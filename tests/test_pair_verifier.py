"""The pair verifier's token head: verified files, and verdicts on questions it was not trained on.

The joint verifier it is part of, and the evaluator, are tested in ``test_cross_verifier.py``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gistcache._errors import ConfigError
from gistcache._types import CacheRequest
from gistcache.evaluators import PairVerifierEvaluator
from gistcache.evaluators.pairmodel import HEAD_FIELDS, PairHead, PairVerifier, pair_features

DATA = Path(__file__).resolve().parents[1] / "src" / "gistcache" / "data"


@pytest.fixture(scope="module")
def verifier() -> PairVerifier:
    return PairVerifier()


def _p(verifier: PairVerifier, stored: str, asked: str) -> float:
    return verifier.probabilities(asked, [stored])[0]


# The issue's own examples, none of them in the training data.
SAME = [
    ("What is the capital of Australia?", "What is the capital of Australia"),
    ("What is the capital of Australia?", "what is the capital of australia"),
    ("Who wrote Hamlet?", "who wrote hamlet"),
    ("How do I undo my last git commit?", "how do i undo my last git commit pls"),
]
DIFFERENT = [
    ("How do I make pancakes with eggs?", "How do I make pancakes without eggs?"),
    ("Convert 30 degrees Celsius to Fahrenheit", "Convert 30 degrees Fahrenheit to Celsius"),
    ("Summarize ticket PROJ-a3f9c", "Summarize ticket PROJ-b7d2e"),
    ("도커 컨테이너를 중지하는 명령어는?", "도커 컨테이너를 시작하는 명령어는?"),
    ("비타민 C가 감기 예방에 효과가 있나요?", "비타민 C가 감기 예방에 효과가 없나요?"),
]


@pytest.mark.parametrize(("stored", "asked"), SAME)
def test_the_same_question_typed_differently_passes(verifier: PairVerifier, stored: str,
                                                    asked: str) -> None:
    assert _p(verifier, stored, asked) >= verifier.threshold


@pytest.mark.parametrize(("stored", "asked"), DIFFERENT)
def test_a_question_that_needs_another_answer_is_refused(verifier: PairVerifier, stored: str,
                                                         asked: str) -> None:
    assert _p(verifier, stored, asked) < verifier.threshold


def test_a_reworded_question_ranks_far_above_a_flipped_one(verifier: PairVerifier) -> None:
    # "tallest"/"highest" is served only below the shipped bar (a known recall gap, in the
    # benchmark's paraphrase recall), but it stays far from a one-word change of meaning
    same = _p(verifier, "What is the tallest mountain in Africa?",
              "Which mountain is the highest in Africa?")
    flipped = _p(verifier, "What is the tallest mountain in Africa?",
                 "What is the smallest mountain in Africa?")
    assert same > 0.5 > flipped


def test_probabilities_are_batched_and_memoised(verifier: PairVerifier) -> None:
    ps = verifier.probabilities("how do I boil an egg", ["How do I boil an egg?",
                                                         "How do I peel an egg?"])
    assert len(ps) == 2 and all(0.0 <= p <= 1.0 for p in ps)
    assert ps == verifier.probabilities("how do I boil an egg",
                                        ["How do I boil an egg?", "How do I peel an egg?"])


def test_features_are_symmetric_in_their_pair_part(verifier: PairVerifier) -> None:
    a, b = verifier.encoder.encode(["Sell my car fast", "How to buy a car fast"])
    rows_ab, pair_ab = pair_features(a, b)
    rows_ba, pair_ba = pair_features(b, a)
    assert np.allclose(pair_ab, pair_ba)
    assert rows_ab.shape == rows_ba.shape == (len(a.tokens) + len(b.tokens), 4 * 384 + 1)


def _copy_model(tmp_path: Path) -> Path:
    for name in ("pair-verifier.json", "pair-head.npz", "pair-tokenizer.json", "pair-final.npz"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def test_a_tampered_file_is_refused(tmp_path: Path) -> None:
    base = _copy_model(tmp_path)
    with np.load(base / "pair-head.npz") as data:
        arrays = {k: data[k].copy() for k in HEAD_FIELDS}
    arrays["bp"] += 1.0
    np.savez(base / "pair-head.npz", **arrays)
    with pytest.raises(ConfigError, match="sha256"):
        PairVerifier(base)


def test_a_manifest_of_another_format_is_refused(tmp_path: Path) -> None:
    base = _copy_model(tmp_path)
    manifest: dict[str, Any] = json.loads((base / "pair-verifier.json").read_text())
    (base / "pair-verifier.json").write_text(json.dumps({**manifest, "format": "pickle"}))
    with pytest.raises(ConfigError, match="manifest"):
        PairVerifier(base)
    (base / "pair-verifier.json").write_text("{not json")
    with pytest.raises(ConfigError, match="cannot read"):
        PairVerifier(base)


def test_a_head_missing_arrays_is_refused(tmp_path: Path) -> None:
    np.savez(tmp_path / "h.npz", w1=np.zeros((3, 2), dtype=np.float32))
    with pytest.raises(ConfigError, match="lacks"):
        PairHead.load(tmp_path / "h.npz")


def test_the_verifier_reads_the_embedders_run_instead_of_running_the_model_again() -> None:
    from gistcache import Cache, Config
    from gistcache.embedders.onnx import OnnxEmbedder
    from gistcache.evaluators.pairmodel import TokenEncoder

    cache = Cache(Config(data_dir=":memory:"), background=False)
    try:
        cache.put("What is the tallest mountain in Africa?", "Kilimanjaro")
        cache.get("Which mountain is the highest in Africa?")  # loads the verifier
        pve = next(e for e in cache.evaluator.walk() if isinstance(e, PairVerifierEvaluator))
        encoder = pve.verifier.head.encoder  # type: ignore[attr-defined]
        runs: list[list[str]] = []
        real_run = encoder._run

        def counting(texts: list[str]) -> Any:
            runs.append(list(texts))
            return real_run(texts)

        encoder._run = counting
        cache.put("How do I boil an egg?", "Ten minutes")
        hit = cache.lookup(CacheRequest("how do you boil an egg"))
        assert hit.hit
        # the stored question (at put) and the asked one (at lookup) came from the embedder
        assert runs == []

        # the states taken from the embedder are the ones the encoder would have computed
        text = "Which planets have rings?"
        embedder = OnnxEmbedder()
        fresh = TokenEncoder(memo=16)
        assert fresh.model_path == embedder.model_path
        embedder.on_token_states(lambda t, i, h: fresh.offer(embedder.model_path, t, i, h))
        embedder.embed([text])
        offered = fresh.encode([text])[0]
        alone = real_run([text])[0]
        assert offered.ids == alone.ids
        assert np.allclose(offered.tokens, alone.tokens, atol=1e-5)
        assert np.allclose(offered.pooled, alone.pooled, atol=1e-5)
        # a padded batch (a bulk put) is shared too, each text with its own tokens
        batch = ["Is a tomato a fruit?", "How many moons does Jupiter have, and which is the "
                 "largest of them?"]
        embedder.embed(batch)
        assert all(t in fresh._memo for t in batch)
        assert len(fresh._memo["Is a tomato a fruit?"].ids) == len(real_run([batch[0]])[0].ids)
        # another model's states, or a text the tokenizers cut differently, are not taken
        assert fresh.offer(Path("/elsewhere/model.onnx"), ["x y"], [[101, 1, 102]],
                           np.zeros((1, 3, 384))) == 0
        long_text = " ".join(["word"] * 200)
        embedder.embed([long_text])
        assert long_text not in fresh._memo
    finally:
        cache.close()
