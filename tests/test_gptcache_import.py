"""``gistcache import --from-gptcache``: a data directory written by GPTCache 0.1.44 itself
comes over with its answers, times, hit counts and sessions; what cannot is reported."""

from __future__ import annotations

import datetime
import importlib.util
import io
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from gistcache import Cache as NativeCache
from gistcache import Config as NativeConfig
from gistcache import GistcacheError
from gistcache.cli import main
from gistcache.gptcache import Cache
from gistcache.gptcache.adapter import api
from gistcache.gptcache.adapter import openai as legacy
from gistcache.gptcache.session import Session, sessions_of
from gistcache.migrate import GptcacheSource, import_gptcache, progress_bar

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gptcache") is None or importlib.util.find_spec("faiss") is None,
    reason="GPTCache 0.1.44 and faiss-cpu (in the test extra) are needed to write its data")

#: run by GPTCache 0.1.44 in an empty directory (it unpickles data_map.txt from the working
#: directory at import); a small hashed embedding stands in for its downloaded ONNX model
_WRITER = textwrap.dedent('''
    import hashlib
    import numpy as np
    from gptcache import Cache, Config
    from gptcache.adapter.api import get, put
    from gptcache.manager import manager_factory
    from gptcache.manager.scalar_data.base import Answer, DataType, Question, QuestionDep
    from gptcache.processor.pre import get_prompt
    from gptcache.session import Session
    from gptcache.similarity_evaluation import SearchDistanceEvaluation

    def embed(text, **_):
        raw = np.frombuffer(hashlib.sha256(str(text).encode()).digest(), dtype=np.uint8)[:8]
        vec = raw.astype("float32") - 127.5
        return vec / np.linalg.norm(vec)

    dm = manager_factory("sqlite,faiss", data_dir="gptcache_data",
                         vector_params={"dimension": 8})
    cache = Cache()
    cache.init(pre_embedding_func=get_prompt, embedding_func=embed, data_manager=dm,
               similarity_evaluation=SearchDistanceEvaluation(),
               config=Config(similarity_threshold=0.99))
    put("what is github", "GitHub hosts git repositories.", cache_obj=cache)
    put("what is gitlab", "GitLab is a DevOps platform.", cache_obj=cache)
    put("what is sqlite", "An embedded SQL database.", cache_obj=cache,
        session=Session(name="session-1", data_manager=dm))
    put("깃허브가 뭐예요", "코드 저장소 서비스입니다.", cache_obj=cache)
    for _ in range(3):
        assert get("what is github", cache_obj=cache) == "GitHub hosts git repositories."
    dm.save("draw a cat", Answer(b"aGVsbG8=", DataType.IMAGE_BASE64), embed("draw a cat"))
    dm.save(Question("what is in this picture",
                     deps=[QuestionDep("text", "a cat photo", DataType.STR)]),
            "a cat", embed("picture"))
    dm.save("two answers", [Answer("first"), Answer("second")], embed("two answers"))
    dm.save("to be deleted", "gone", embed("to be deleted"))
    dm.s.mark_deleted([max(dm.s.get_ids(deleted=False))])
    cache.flush()
''')


@pytest.fixture(scope="module")
def gptcache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory written by GPTCache 0.1.44, in a process of its own."""
    work = tmp_path_factory.mktemp("gptcache-run")
    # GPTCache runs `pip install` from inside some of its imports: never let it download
    subprocess.run([sys.executable, "-c", _WRITER], cwd=work, check=True, capture_output=True,
                   timeout=300, env={**os.environ, "PIP_NO_INDEX": "1"})
    data = work / "gptcache_data"
    assert (data / "sqlite.db").is_file() and (data / "faiss.index").is_file()
    return data


def _config(path: Path) -> NativeConfig:
    return NativeConfig(data_dir=str(path), verifier=False)


def test_import_brings_answers_times_hits_and_sessions(gptcache_dir: Path,
                                                       tmp_path: Path) -> None:
    before = (gptcache_dir / "sqlite.db").read_bytes()
    seen: list[tuple[int, int]] = []
    report = import_gptcache(gptcache_dir, _config(tmp_path / "target"), batch_size=2,
                             progress=lambda done, total: seen.append((done, total)))
    assert (gptcache_dir / "sqlite.db").read_bytes() == before  # read, never written
    assert report.found == 7 and report.imported == 5 and report.share == pytest.approx(5 / 7)
    assert report.hits == 3 and report.sessions == 1
    assert dict(report.skipped) == {
        "image answers (base64): GPTCache kept no request parameters for them": 1,
        "multimodal questions (question_dep rows)": 1}
    assert any("faiss.index ignored" in n for n in report.notes)
    assert any("1 questions GPTCache had marked deleted" in n for n in report.notes)
    assert any("1 further answers" in n for n in report.notes)
    assert seen[0] == (0, 7) and seen[-1] == (7, 7)
    assert "imported 5 of 7 GPTCache entries" in report.summary()

    rows = _gptcache_rows(gptcache_dir)
    with NativeCache(_config(tmp_path / "target"), background=False) as cache:
        entries = {e.key_text: e for e in cache.entries(limit=100)}
        assert set(entries) == {"what is github", "what is gitlab", "what is sqlite",
                                "깃허브가 뭐예요", "two answers"}
        github = entries["what is github"]
        assert github.answer == "GitHub hosts git repositories." and github.hits == 3
        assert github.created_at == pytest.approx(rows["what is github"][0], abs=1e-3)
        assert github.accessed_at >= rows["what is github"][1] - 1e-3
        assert entries["two answers"].answer == "first"
        assert sessions_of(cache.store, entries["what is sqlite"].id) == ["session-1"]
        assert cache.get("What is GitHub?") == "GitHub hosts git repositories."


def _gptcache_rows(data: Path) -> dict[str, tuple[float, float]]:
    with sqlite3.connect(data / "sqlite.db") as conn:
        return {q: (datetime.datetime.fromisoformat(c).timestamp(),
                    datetime.datetime.fromisoformat(a).timestamp())
                for q, c, a in conn.execute(
                    "SELECT question, create_on, last_access FROM gptcache_question")}


def test_imported_entries_serve_gptcache_calls(gptcache_dir: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import_gptcache(gptcache_dir, _config(tmp_path / "target"))
    monkeypatch.chdir(tmp_path)
    c = Cache(background=False)
    api.init_similar_cache(data_dir=str(tmp_path / "target"), cache_obj=c)
    try:
        assert api.get("what is gitlab", cache_obj=c) == "GitLab is a DevOps platform."
        assert api.get("깃허브가 뭐예요", cache_obj=c) == "코드 저장소 서비스입니다."
        calls: list[Any] = []
        monkeypatch.setattr(legacy.ChatCompletion, "llm", lambda **kw: calls.append(kw))
        resp = legacy.ChatCompletion.create(model="gpt-4o-mini", cache_obj=c, messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "what is github"}])
        assert resp["choices"][0]["message"]["content"] == "GitHub hosts git repositories."
        assert resp["gptcache"] is True and not calls
        # GPTCache's session rule carries over: session-1 produced this answer
        adder = dict(n=0)

        def model(**kwargs: Any) -> str:
            adder["n"] += 1
            return "fresh"

        from gistcache.gptcache.adapter.adapter import adapt

        same = adapt(model, str, lambda d, up, *a, **k: d, prompt="what is sqlite",
                     cache_obj=c, session=Session("session-1"))
        other = adapt(model, str, lambda d, up, *a, **k: d, prompt="what is sqlite",
                      cache_obj=c, session=Session("session-2"))
        assert (same, other) == ("fresh", "An embedded SQL database.") and adder["n"] == 1
    finally:
        c.close()


def test_the_command_line_import(gptcache_dir: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GISTCACHE_VERIFIER", "false")
    code = main(["import", "--from-gptcache", str(gptcache_dir), "--data-dir",
                 str(tmp_path / "cli"), "--namespace", "legacy"])
    err = capsys.readouterr().err
    assert code == 0 and "imported 5 of 7 GPTCache entries (71.4%)" in err
    assert "not imported: 1 multimodal questions" in err and "100.0%" in err
    with NativeCache(_config(tmp_path / "cli"), background=False) as cache:
        assert {e.namespace for e in cache.entries()} == {"legacy"}
    assert main(["import", "x.jsonl", "--from-gptcache", str(gptcache_dir)]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["import", "--from-gptcache", str(tmp_path / "nothing")]) == 2
    assert "no GPTCache database" in capsys.readouterr().err


def test_sources_are_found_and_refused_clearly(gptcache_dir: Path, tmp_path: Path) -> None:
    src = GptcacheSource(gptcache_dir / "sqlite.db")
    assert src.prefix == "gptcache" and src.count() == (7, 1)
    src.close()
    with pytest.raises(GistcacheError, match="no GPTCache tables other_question"):
        GptcacheSource(gptcache_dir, table_prefix="other")
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(GistcacheError, match="no GPTCache tables"):
        GptcacheSource(empty)
    pickled = tmp_path / "map"
    pickled.mkdir()
    (pickled / "data_map.txt").write_bytes(b"\x80\x04N.")
    (pickled / "sqlite.db").write_bytes((gptcache_dir / "sqlite.db").read_bytes())
    assert any("pickle" in note for note in GptcacheSource(pickled).notes)


def test_progress_bar_lines() -> None:
    out = io.StringIO()
    show = progress_bar(out)
    for done in (0, 5, 10):
        show(done, 10)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[" + "." * 30 + "]   0.0% 0/10")
    assert lines[-1].startswith("[" + "#" * 30 + "] 100.0% 10/10")
