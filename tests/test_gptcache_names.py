"""Every GPTCache name of docs/migrating-from-gptcache.md's last table exists in
gistcache.gptcache with the status the table gives: *works* (present), or *refused* (building or
calling it raises an error that names the gistcache way).

``python tests/test_gptcache_names.py`` prints the counts.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "migrating-from-gptcache.md"
_ROW = re.compile(r"^\| `(gptcache(?:\.\w+)*)` \| (works|refused) \|", re.MULTILINE)
_MISSING = object()


def table() -> list[tuple[str, str]]:
    """(GPTCache name, status) of every row of the doc's name table."""
    text = DOC.read_text(encoding="utf-8")
    return _ROW.findall(text[text.index("## Every name of GPTCache's documentation"):])


def resolve(name: str) -> tuple[Any, bool]:
    """The gistcache.gptcache object for a GPTCache name, and whether it (or what it belongs
    to) is refused; ``_MISSING`` when there is none."""
    parts = ["gistcache", *name.split(".")]
    for i in range(len(parts), 1, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        refused = False
        for attr in parts[i:]:
            if attr == "data_manager" and obj is importlib.import_module("gistcache.gptcache"
                                                                         ).cache:
                obj = importlib.import_module("gistcache.gptcache.manager").DataManager
                continue  # set by init(); the class is what ``cache.data_manager`` will be
            if not hasattr(obj, attr):
                return _MISSING, False
            obj = getattr(obj, attr)
            refused = refused or getattr(obj, "refused", False) is True
        return obj, refused
    return _MISSING, False


def counts() -> Counter[str]:
    """How many names of the table work, are refused, or are missing."""
    out: Counter[str] = Counter()
    for name, _ in table():
        obj, refused = resolve(name)
        out["missing" if obj is _MISSING else "refused" if refused else "works"] += 1
    return out


def test_the_table_lists_every_documented_name() -> None:
    names = [name for name, _ in table()]
    assert len(names) == len(set(names)) == 126
    text = DOC.read_text(encoding="utf-8")
    found = counts()
    assert f"**{found['works']} of {len(names)} work as documented" in text
    assert f"the other {found['refused']} are refused" in text and found["missing"] == 0


@pytest.mark.parametrize(("name", "status"), table())
def test_each_name_has_its_status(name: str, status: str) -> None:
    obj, refused = resolve(name)
    assert obj is not _MISSING, f"{name} is missing from gistcache.gptcache"
    assert ("refused" if refused else "works") == status


if __name__ == "__main__":
    found = counts()
    total = sum(found.values())
    print(f"{found['works']} of {total} GPTCache names work, {found['refused']} refused with "
          f"the gistcache way, {found['missing']} missing")
