"""The real embedded default: all-MiniLM-L6-v2 int8 ONNX, verified, offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gistcache import Cache, Config, ConfigError, HitKind
from gistcache.embedders import OnnxEmbedder
from gistcache.embedders.onnx import default_model_path


@pytest.fixture(scope="module")
def onnx() -> OnnxEmbedder:
    return OnnxEmbedder()


def test_vectors_are_unit_length_and_batch_matches_single(onnx: OnnxEmbedder) -> None:
    texts = ["what's github", "a much longer sentence about cooking pasta with garlic and oil"]
    batch = onnx.embed(texts)
    assert batch.shape == (2, 384) and batch.dtype == np.float32
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    # padding to the batch's longest text must not change a short text's vector
    assert np.allclose(batch[0], onnx.embed_one(texts[0]), atol=1e-4)


def test_paraphrases_score_higher_than_unrelated(onnx: OnnxEmbedder) -> None:
    v = onnx.embed(["what's github", "can you explain what GitHub is",
                    "how do I bake sourdough bread"])
    assert float(v[0] @ v[1]) > 0.85
    assert float(v[0] @ v[2]) < 0.3


def test_long_input_is_truncated_not_refused(onnx: OnnxEmbedder) -> None:
    vec = onnx.embed_one("word " * 5000)
    assert vec.shape == (384,) and np.isfinite(vec).all()


def test_model_file_with_wrong_sha256_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(default_model_path().read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ConfigError, match="sha256"):
        OnnxEmbedder(fake)


def test_default_cache_hits_the_seed_paraphrases(tmp_path: Path) -> None:
    with Cache(Config(data_dir=str(tmp_path / "d")), background=False) as cache:
        cache.put("what's github", "GitHub is a code hosting platform.", model="gpt-3.5-turbo")
        for q in ("can you explain what GitHub is", "can you tell me more about GitHub",
                  "what is the purpose of GitHub"):
            result = cache.lookup(cache.request(q, model="gpt-3.5-turbo"))
            assert result.kind is HitKind.SEMANTIC, (q, result.reason)
        refused = cache.lookup(cache.request("what's gitlab", model="gpt-3.5-turbo"))
        assert not refused.hit


def _talk(first: str, reply: str, follow_up: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": first}, {"role": "assistant", "content": reply},
            {"role": "user", "content": follow_up}]


def test_follow_ups_are_judged_with_their_conversation(tmp_path: Path) -> None:
    from gistcache import chat_request

    reply = ("Derivatives are financial instruments whose value is derived from an underlying "
             "asset, rate or index; common types are futures, options, forwards and swaps.")
    follow = "What practical applications does this have?"
    with Cache(Config(data_dir=str(tmp_path / "d")), background=False) as cache:
        stored = _talk("What are derivatives in finance?", reply, follow)
        cache.put_request(chat_request({"model": "m", "messages": stored}), "hedging, ...")
        reworded = _talk("what are financial derivatives", reply,
                         "What are the practical applications of this?")
        hit = cache.lookup(chat_request({"model": "m", "messages": reworded}))
        assert hit.hit, hit.reason
        other = _talk("What are derivatives in calculus?",
                      "A derivative measures how a function changes as its input changes.",
                      follow)
        miss = cache.lookup(chat_request({"model": "m", "messages": other}))
        assert miss.kind is HitKind.MISS
        assert "conversation" in miss.reason


def test_default_pipeline_runs_the_pair_verifier_with_any_embedder(tmp_path: Path) -> None:
    from gistcache.config import SPELLING_FLOOR, THRESHOLD_WITHOUT_VERIFIER
    from gistcache.embedders import WordHashEmbedder
    from gistcache.evaluators import IdentifierEvaluator, PairVerifierEvaluator, Pipeline

    with Cache(Config(data_dir=str(tmp_path / "a")), background=False) as cache:
        assert isinstance(cache.evaluator, Pipeline)
        kinds = [type(e) for e in cache.evaluator.walk()]
        assert PairVerifierEvaluator in kinds and IdentifierEvaluator in kinds
        # candidates down to the spelling gate's floor are read (a misspelt question)
        assert cache.evaluator.floor == SPELLING_FLOOR
    with Cache(Config(data_dir=str(tmp_path / "b")), embedder=WordHashEmbedder(),
               background=False) as other:
        assert isinstance(other.evaluator, Pipeline)
        assert any(isinstance(e, PairVerifierEvaluator) for e in other.evaluator.walk())
    with Cache(Config(data_dir=str(tmp_path / "c"), verifier=False), background=False) as off:
        assert isinstance(off.evaluator, Pipeline)
        assert not any(isinstance(e, PairVerifierEvaluator) for e in off.evaluator.walk())
        # without the verifier the calibrated threshold for threshold + guards applies
        assert off.evaluator.floor == THRESHOLD_WITHOUT_VERIFIER
