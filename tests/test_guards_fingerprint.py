"""The guards' word lists as data files, and the fingerprint that ties them to the shipped bars."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import gistcache
from gistcache.evaluators import guards
from gistcache.evaluators.guards import fingerprint, load_word_lists

PACKAGE = Path(guards.__file__).parent
ROOT = Path(__file__).resolve().parents[1]
RERUN = (
    "rerun `.venv/bin/python benchmarks/bench_quality.py --tune` to check that the shipped "
    "verifier bars (threshold in src/gistcache/data/pair-verifier.json, pair-cross.json and "
    "pair-cross-e5.json) and "
    "config.DEFAULT_THRESHOLD still hold with the new guards (`gistcache calibrate` for "
    "THRESHOLD_WITHOUT_VERIFIER, cosine + guards), then `.venv/bin/python "
    "benchmarks/bench_quality.py`, which re-measures every figure and records the new "
    "fingerprint, and benchmarks/guard_report.py for results/guards.md"
)


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "guards"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_word_lists_are_json_in_the_package() -> None:
    files = sorted(p.name for p in (PACKAGE / "data").iterdir())
    assert files == ["direction.json", "entities.json", "format.json", "negation.json",
                     "numbers.json", "text.json", "time.json"]
    for name in files:
        data = json.loads((PACKAGE / "data" / name).read_text(encoding="utf-8"))
        assert isinstance(data, dict) and data
    load_word_lists()


def test_fingerprint_is_a_stable_sha256() -> None:
    first = fingerprint()
    assert len(first) == 64 and int(first, 16) >= 0
    assert fingerprint() == first == fingerprint(PACKAGE) == fingerprint(str(PACKAGE))


def test_fingerprint_reads_files_not_their_place_or_line_endings(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    assert fingerprint(copy) == fingerprint()
    path = copy / "data" / "negation.json"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert fingerprint(copy) == fingerprint()
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert fingerprint(copy) == fingerprint()


def test_an_edited_word_list_changes_the_fingerprint(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    path = copy / "data" / "negation.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["negators"].append("nae")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert fingerprint(copy) != fingerprint()


def test_an_edited_guard_or_a_new_list_changes_the_fingerprint(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    with (copy / "_numbers.py").open("a", encoding="utf-8") as f:
        f.write("# edited\n")
    assert fingerprint(copy) != fingerprint()
    copy = _copy(tmp_path / "again")
    (copy / "data" / "colours.json").write_text("{}", encoding="utf-8")
    assert fingerprint(copy) != fingerprint()


@pytest.mark.parametrize("record", [
    Path(gistcache.__file__).parent / "data" / "pair-verifier.json",
    Path(gistcache.__file__).parent / "data" / "pair-cross.json",
    Path(gistcache.__file__).parent / "data" / "pair-cross-e5.json",
    ROOT / "benchmarks" / "results" / "quality.json",
], ids=lambda p: p.name)
def test_shipped_bars_were_chosen_with_these_guards(record: Path) -> None:
    """The guards in the package are the ones the shipped bars and figures were measured with.

    A change to a word list or a guard is allowed, but it moves every operating point chosen with
    the guards in the pipeline: it must come with a new measurement, not slip in silently.
    """
    if not record.is_file():
        pytest.skip(f"{record} is not in this checkout")
    recorded = json.loads(record.read_text(encoding="utf-8")).get("guards_sha256")
    now = fingerprint()
    if recorded != now:
        pytest.fail(f"guards changed since {record.name} was produced (recorded {recorded}, "
                    f"now {now}): {RERUN}", pytrace=False)
