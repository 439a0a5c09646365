"""The README's example runs as written (against the local fake OpenAI server)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from gistcache.testing import FakeOpenAI

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs_and_hits_the_cache(tmp_path: Path) -> None:
    block = re.search(r"## Ten lines\s+```python\n(.*?)```", README.read_text(), re.S)
    assert block is not None, "the README lost its example"
    code = block.group(1)
    assert len(code.strip().splitlines()) <= 10
    with FakeOpenAI() as up:
        env = {**os.environ, "OPENAI_BASE_URL": up.base_url, "OPENAI_API_KEY": up.api_key}
        out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert up.call_count("/chat/completions") == 1  # the paraphrase never reached it
    assert "answer to: what's github" in out.stdout
    assert "SEMANTIC" in out.stdout


def test_readme_example_runs_offline_without_a_key(tmp_path: Path) -> None:
    block = re.search(r"## Ten lines\s+```python\n(.*?)```", README.read_text(), re.S)
    assert block is not None
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    out = subprocess.run([sys.executable, "-c", block.group(1)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "SEMANTIC" in out.stdout and "answer to: what's github" in out.stdout
    assert "FAKE model" in out.stderr  # it says how it answers
