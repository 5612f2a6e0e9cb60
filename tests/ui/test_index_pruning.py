"""The kiosk prunes the content-index files of other folders as it starts (kiosk.core.content.index:
the rules; here, that the kiosk's start gives the clock's time, so that age counts)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kiosk.core.content.index import MAX_IDLE_DAYS, ContentIndex, default_index_path
from kiosk.core.content.loader import ParseCache, load_content
from kiosk.ui.app import _load
from tests.helpers import make_folder, story


def test_a_start_deletes_the_index_of_a_folder_no_kiosk_showed_for_a_month(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))
    paths = {}
    for name in ("last-year", "last-week"):
        other = make_folder(tmp_path / name, stories={"a.md": story()})
        index = ContentIndex.open(default_index_path(other), other)
        assert index is not None
        load_content(other, cache=ParseCache(index=index))
        index.close()
        paths[name] = default_index_path(other)
    for name, days in (("last-year", MAX_IDLE_DAYS + 300), ("last-week", 7)):
        stamp = time.time() - days * 86400
        for file in paths[name].parent.glob(paths[name].name + "*"):
            os.utime(file, (stamp, stamp))
    cache = ParseCache()
    content = _load(make_folder(tmp_path / "this", stories={"b.md": story("Новая")}), cache)
    assert [s.title.ru for s in content.stories] == ["Новая"]
    assert not paths["last-year"].exists() and paths["last-week"].exists()
    assert cache.index is not None
    cache.index.close()
