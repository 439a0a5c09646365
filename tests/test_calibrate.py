"""Threshold calibration from labelled pairs: the choice, the pair files and the command."""

from __future__ import annotations

import argparse
import gzip
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gistcache import InvalidRequest
from gistcache.calibrate import (
    Pair,
    Scores,
    calibrate,
    calibrate_scores,
    load_pairs,
    lowest_threshold,
    operating_point,
    register,
    run,
    select_split,
    threshold_for_recall,
)
from gistcache.embedders import WordHashEmbedder
from gistcache.evaluators.guards import GUARDS

# Cosines under WordHashEmbedder(256), checked by test_fixture_cosines: the positives run from
# 1.0 down to 0.67; two negatives sit at 0.77 and 0.72 but a guard vetoes each; the only other
# negative is unrelated (0.09). Cosine alone must stop above the 0.77 negative (0.80, 6 of 7
# positives); with the guards the bar can fall to the last positive (0.6727, all 7).
ROWS: list[dict[str, Any]] = [
    {"id": "t-01", "a": "how do i reset my router password",
     "b": "how do i reset my router password please", "label": 1, "kind": "verbose"},
    {"id": "t-02", "a": "what is the best way to learn python programming",
     "b": "what is the best way to learn python programming fast", "label": 1, "kind": "verbose"},
    {"id": "t-03", "a": "how long should i boil an egg for a soft yolk",
     "b": "how long should i boil an egg for a soft yolk?", "label": 1, "kind": "casual"},
    {"id": "t-04", "a": "what time does the sun set in summer in norway",
     "b": "what time does the sun set in summer in norway today", "label": 1, "kind": "verbose"},
    {"id": "t-05", "a": "how do i cook rice in a pot",
     "b": "how do i cook rice in a pot on the stove", "label": 1, "kind": "verbose"},
    {"id": "t-06", "a": "what are good exercises for lower back pain",
     "b": "what exercises are good for lower back pain", "label": 1, "kind": "reordered"},
    {"id": "t-07", "a": "how to remove a red wine stain from carpet",
     "b": "how can i remove a red wine stain from my carpet", "label": 1, "kind": "synonym"},
    {"id": "t-08", "a": "How do I make pancakes with eggs",
     "b": "How do I make pancakes without eggs", "label": 0, "kind": "negation"},
    {"id": "t-09", "a": "Convert Celsius to Fahrenheit in python code",
     "b": "Convert Fahrenheit to Celsius in python code", "label": 0, "kind": "direction"},
    {"id": "t-10", "a": "what is the capital of france",
     "b": "how do i bake sourdough bread", "label": 0, "kind": "scope"},
]


def near(cosine: float) -> Any:
    """A threshold just at or below ``cosine``: thresholds are cosines rounded down to 1e-4."""
    return pytest.approx(cosine - 5e-5, abs=5.1e-5)


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def pairs_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "pairs.jsonl", ROWS)


@pytest.fixture
def pairs() -> list[Pair]:
    return [Pair(r["id"], r["a"], r["b"], r["label"], r["kind"]) for r in ROWS]


def test_fixture_cosines(pairs: list[Pair]) -> None:
    emb = WordHashEmbedder()
    cos = {p.id: float(np.dot(*emb.embed([p.a, p.b]))) for p in pairs}
    assert cos["t-05"] == pytest.approx(0.8272, abs=1e-4)
    assert cos["t-06"] == pytest.approx(0.8, abs=1e-4)
    assert cos["t-07"] == pytest.approx(0.6727, abs=1e-4)
    assert cos["t-08"] == pytest.approx(0.7692, abs=1e-4)
    assert cos["t-09"] == pytest.approx(0.7161, abs=1e-4)
    assert cos["t-10"] < 0.1


# -- the choice ---------------------------------------------------------------------------------


def test_calibrate_by_construction(pairs: list[Pair]) -> None:
    cal = calibrate(pairs, embedder=WordHashEmbedder(), target_precision=0.98)
    assert cal.with_guards.threshold == near(0.6727)
    assert (cal.with_guards.precision, cal.with_guards.recall) == (1.0, 1.0)
    assert cal.with_guards.served == 7 and cal.with_guards.wrong == 0
    assert cal.with_guards.hit_rate == pytest.approx(0.7)
    assert cal.cosine_only.threshold == near(0.8)
    assert cal.cosine_only.recall == pytest.approx(6 / 7)
    assert cal.cosine_only.f1 == pytest.approx(2 * (6 / 7) / (1 + 6 / 7))
    # each guard left out: negation and direction each let their negative through
    assert cal.settings["all but negation"].threshold == near(0.8)
    assert cal.settings["all but direction"].threshold == near(0.8)
    assert cal.settings["all but time"].threshold == near(0.6727)
    assert cal.settings["none"] == cal.cosine_only
    # all guards and "all but time" tie on recall: the setting with more guards wins
    assert cal.best_setting == "all"
    assert cal.kinds["negation"].served == 0 and cal.kinds["verbose"].rate == 1.0


def test_calibrate_with_chosen_guards(pairs: list[Pair]) -> None:
    cal = calibrate(pairs, embedder=WordHashEmbedder(), guards=["negation"])
    # the direction negative (0.7161) now counts: the bar stops just above it, at 0.8
    assert cal.guards == ("negation",)
    assert cal.with_guards.threshold == near(0.8)
    assert set(cal.settings) == {"all", "none"}


def test_unknown_guard_is_refused(pairs: list[Pair]) -> None:
    with pytest.raises(InvalidRequest, match="unknown guard"):
        calibrate(pairs, embedder=WordHashEmbedder(), guards=["sarcasm"])


def scores(cos: list[float], labels: list[int], vetoed: list[bool] | None = None) -> Scores:
    mask = np.array(vetoed or [False] * len(cos), dtype=bool)
    return Scores(np.array(labels, dtype=np.int8), np.array(cos), {"negation": mask})


def test_lowest_threshold_takes_the_most_recall_not_the_first_dip() -> None:
    # descending: + + - + + + + + + + : precision dips to 2/3 at 0.90 and recovers to 0.9 lower
    s = scores([0.99, 0.97, 0.90, 0.89, 0.88, 0.87, 0.86, 0.85, 0.84, 0.83],
               [1, 1, 0, 1, 1, 1, 1, 1, 1, 1])
    point = lowest_threshold(s, 0.9)
    assert point.threshold == pytest.approx(0.83)
    assert point.precision == pytest.approx(0.9) and point.recall == 1.0
    assert lowest_threshold(s, 0.95).threshold == pytest.approx(0.97)


def test_lowest_threshold_keeps_the_margin_above_wrong_pairs_it_skips() -> None:
    # the vetoed negative at 0.8 changes nothing: the bar stays at the last right pair (0.9)
    s = scores([0.95, 0.9, 0.8, 0.5], [1, 1, 0, 0], [False, False, True, False])
    assert lowest_threshold(s, 0.98, ["negation"]).threshold == pytest.approx(0.9)


def test_unreachable_target() -> None:
    s = scores([1.0, 0.95, 0.9, 0.8], [0, 1, 1, 0])
    point = lowest_threshold(s, 0.98)
    assert point.threshold is None and not point.reached
    # the figures shown are the best precision that still serves a right pair (at 0.9)
    assert point.precision == pytest.approx(2 / 3) and point.recall == 1.0


def test_threshold_for_recall_and_operating_point() -> None:
    s = scores([0.95, 0.9, 0.8, 0.7], [1, 0, 1, 1])
    assert threshold_for_recall(s, 2 / 3).threshold == pytest.approx(0.8)
    p = operating_point(s, 0.85)
    assert (p.served, p.right, p.wrong, p.precision) == (2, 1, 1, 0.5)
    assert operating_point(s, 0.99).precision == 1.0  # nothing served: nothing wrong


def test_calibrate_scores_rejects_bad_target() -> None:
    with pytest.raises(InvalidRequest, match="target precision"):
        calibrate_scores(scores([0.9], [1]), target_precision=0.0, guards=[])


def test_floating_point_threshold_serves_its_own_pair() -> None:
    # thresholds are cosines rounded down to 4 decimals, so the boundary pair is served
    s = scores([0.912345678, 0.5], [1, 0])
    point = lowest_threshold(s, 0.98)
    assert point.threshold == 0.9123 and point.recall == 1.0


# -- pair files ---------------------------------------------------------------------------------


def test_load_jsonl_and_gz(tmp_path: Path, pairs_file: Path) -> None:
    plain = load_pairs(pairs_file)
    gz = tmp_path / "pairs.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(pairs_file.read_text(encoding="utf-8") + "\n\n")
    assert load_pairs(gz) == plain
    assert plain[7] == Pair("t-08", ROWS[7]["a"], ROWS[7]["b"], 0, "negation")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        ('["a", "b"]', "line 2: expected a JSON object"),
        ('{"id": "x", "a": "q", "label": 1}', "line 2: missing field(s) b"),
        ('{"id": "x", "a": "q", "b": " ", "label": 1}', "line 2: 'b' must be a non-empty"),
        ('{"id": "x", "a": "q", "b": "r", "label": 2}', "line 2: 'label' must be 0 or 1"),
        ('{"id": "x", "a": "q", "b": "r", "label": true}', "line 2: 'label' must be 0 or 1"),
        ('{"id": "t-01", "a": "q", "b": "r", "label": 1}', "line 2: id 't-01' already used on "
                                                           "line 1"),
    ],
)
def test_bad_rows_name_their_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InvalidRequest, match=str(path).replace(".", r"\.") + ", "
                       + message.replace("(", r"\(").replace(")", r"\)")):
        load_pairs(path)


def test_missing_empty_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="cannot read pair file"):
        load_pairs(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(InvalidRequest, match="holds no pairs"):
        load_pairs(tmp_path / "empty.jsonl")
    (tmp_path / "bin.jsonl").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InvalidRequest, match="not UTF-8"):
        load_pairs(tmp_path / "bin.jsonl")
    (tmp_path / "fake.jsonl.gz").write_text("plain text", encoding="utf-8")
    with pytest.raises(InvalidRequest, match="cannot read pair file"):
        load_pairs(tmp_path / "fake.jsonl.gz")


def test_select_split(pairs: list[Pair]) -> None:
    tune = select_split(pairs, "tune", "0-6")
    report = select_split(pairs, "report", "0-6")
    assert [p.id for p in report] == ["t-07", "t-08", "t-09"]
    assert len(tune) + len(report) == len(pairs)
    assert [p.id for p in select_split(pairs, "tune", "7,9")] == ["t-07", "t-09"]
    assert select_split(pairs, "all") == pairs
    with pytest.raises(InvalidRequest, match="--id-split"):
        select_split(pairs, "tune", "0-x")
    with pytest.raises(InvalidRequest, match="both splits"):
        select_split(pairs, "tune", "0-9")
    with pytest.raises(InvalidRequest, match="does not end in a digit"):
        select_split([Pair("abc", "q", "r", 1)], "tune")


# -- the command --------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gistcache")
    sub = p.add_subparsers(dest="command")
    register(sub, make_embedder=WordHashEmbedder)
    return p


def test_command_summary(pairs_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = parser().parse_args(["calibrate", str(pairs_file)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "10 pairs (7 positive, 3 negative)" in out
    assert "embedder: words-256" in out
    lines = {line.split("  ")[1].strip(): line for line in out.splitlines()
             if line.startswith("  ") and "0." in line}
    assert "0.6726" in lines["cosine + guards"] and "0.7999" in lines["cosine only"]
    assert "suggested: similarity_threshold: 0.6726" in out
    assert f"guards: {list(GUARDS)}" in out
    assert "negation         label 0     0/1" in out


def test_command_json_and_split(pairs_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = parser().parse_args(["calibrate", str(pairs_file), "--json", "--split", "tune",
                                "--target-precision", "0.9", "--guards", "negation,direction"])
    assert args.func(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pairs"] == 7 and data["split"] == "tune" and data["embedder"] == "words-256"
    assert data["guards"] == ["negation", "direction"]
    assert data["with_guards"]["threshold"] == near(0.8)
    assert data["target_precision"] == 0.9
    assert data["kinds"]["verbose"]["rate"] == 1.0


def test_command_unreachable_target_exits_1(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [
        {"id": "1", "a": "is it safe", "b": "is it safe?", "label": 0},
        {"id": "2", "a": "how do i cook rice", "b": "how do i cook rice in a pot", "label": 1},
    ])
    args = parser().parse_args(["calibrate", str(path), "--guards", ""])
    out = io.StringIO()
    assert run(args, WordHashEmbedder, out) == 1
    assert "no threshold reaches precision 0.98" in out.getvalue()


def test_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(ROWS[0]) + "\n{oops\n", encoding="utf-8")
    args = parser().parse_args(["calibrate", str(bad)])
    with pytest.raises(InvalidRequest, match="line 2"):
        args.func(args)
    negatives = write_jsonl(tmp_path / "neg.jsonl", [ROWS[9]])
    args = parser().parse_args(["calibrate", str(negatives)])
    with pytest.raises(InvalidRequest, match="no positive pair"):
        args.func(args)
    for argv in (["calibrate", "x.jsonl", "--target-precision", "1.5"],
                 ["calibrate", "x.jsonl", "--guards", "sarcasm"],
                 ["calibrate", "x.jsonl", "--split", "dev"]):
        with pytest.raises(SystemExit):
            parser().parse_args(argv)
    assert "unknown guard(s) sarcasm" in capsys.readouterr().err


def test_command_through_gistcache_main_if_wired(pairs_file: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # once the CLI registers the command, `gistcache calibrate` runs it and maps errors to 2
    from gistcache import cli

    if "calibrate" not in cli.SUBCOMMANDS:
        pytest.skip("calibrate is not wired into gistcache.cli yet")
    assert cli.main(["calibrate", str(pairs_file) + ".missing"]) == 2
    assert "gistcache calibrate: error: cannot read pair file" in capsys.readouterr().err
