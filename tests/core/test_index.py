"""The content index on disk: a restart reads only what changed, and never shows anything but
what the files say now."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.core.index import ContentIndex, StoredText
from kiosk.core.loader import ParseCache, load_content
from kiosk.core.model import Content
from kiosk.core.reload import keep_last_good
from tests.helpers import SVG, make_folder, story


def _restart(root: Path, index_path: Path, story_limit: int | None = None) -> Content:
    """A new process: a fresh cache over the same index file."""
    index = ContentIndex.open(index_path)
    assert index is not None
    return load_content(root, cache=ParseCache(index=index), story_limit=story_limit)


def _shown(content: Content) -> list[tuple[str, str, str, str]]:
    return [(s.id, s.title.ru, s.body.ru, s.body.en) for s in content.stories]


def _folder(tmp_path: Path, count: int = 12) -> Path:
    stories = {f"s{i}.md": story(f"История {i}", f"Текст {i}.\n\n=== English ===\nText {i}.",
                                 centre="Центр", date="2023-07-14", tags="[дети]",
                                 show_from="2023-01-01")
               for i in range(count)}
    stories["photo.md"] = story("С фото", photo="images/a.svg")
    stories["broken.md"] = "---\ntitle: [\n---\nТекст"
    return make_folder(tmp_path / "c", stories=stories, settings="tags:\n  дети: children\n",
                       images={"images/a.svg": SVG})


def test_a_restart_shows_exactly_what_a_fresh_read_shows(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    fresh = load_content(root)
    first = _restart(root, tmp_path / "index.sqlite")
    second = _restart(root, tmp_path / "index.sqlite")  # from the index, not the files
    for content in (first, second):
        assert _shown(content) == _shown(fresh)
        assert [(s.date, s.tags, s.photo, s.schedule, s.centre) for s in content.stories] == \
            [(s.date, s.tags, s.photo, s.schedule, s.centre) for s in fresh.stories]
        assert sorted(p.format("ru") for p in content.problems) == \
            sorted(p.format("ru") for p in fresh.problems)
    assert all(isinstance(s.body, StoredText) for s in second.stories)  # texts stay on disk


def test_a_file_changed_behind_the_kiosks_back_is_read_again(tmp_path: Path) -> None:
    # rsync and sync tools keep the size and the time of a file; the change time and the
    # inode still tell.
    root = _folder(tmp_path)
    _restart(root, tmp_path / "index.sqlite")
    target = root / "stories" / "s3.md"
    info = target.stat()
    text = target.read_text(encoding="utf-8").replace("История 3", "Рассказ 3")
    assert len(text.encode()) == info.st_size
    replacement = root / "stories" / ".s3.md.tmp"
    replacement.write_text(text, encoding="utf-8")
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replacement, target)
    assert target.stat().st_size == info.st_size
    assert target.stat().st_mtime_ns == info.st_mtime_ns
    content = _restart(root, tmp_path / "index.sqlite")
    assert "Рассказ 3" in [s.title.ru for s in content.stories]


def test_new_settings_or_a_damaged_index_mean_reading_the_files(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    _restart(root, tmp_path / "index.sqlite")
    (root / "kiosk.yaml").write_text("tags:\n  забота: care\n", encoding="utf-8")
    content = _restart(root, tmp_path / "index.sqlite")
    assert sum(p.code == "unknown_tag" for p in content.problems) == 12  # all checked anew

    (tmp_path / "index.sqlite").write_bytes(b"not a database at all" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"index.sqlite{suffix}").unlink(missing_ok=True)
    index = ContentIndex.open(tmp_path / "index.sqlite")
    content = load_content(root, cache=ParseCache(index=index))
    assert len(content.stories) == 13


def test_an_index_that_cannot_be_written_is_simply_not_used(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    (tmp_path / "blocked").write_text("a file where the cache folder should be")
    assert ContentIndex.open(tmp_path / "blocked" / "index.sqlite") is None
    assert len(load_content(root, cache=ParseCache(index=None)).stories) == 13


def test_a_first_partial_load_forgets_nothing(tmp_path: Path) -> None:
    root = _folder(tmp_path, count=30)
    _restart(root, tmp_path / "index.sqlite")
    index = ContentIndex.open(tmp_path / "index.sqlite")
    cache = ParseCache(index=index)
    first = load_content(root, cache=cache, story_limit=5)
    assert len(first.stories) == 5
    whole = load_content(root, cache=cache)
    assert len(whole.stories) == 31
    assert _shown(_restart(root, tmp_path / "index.sqlite")) == _shown(whole)


def test_the_last_good_text_stays_readable_after_its_file_breaks(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    index = ContentIndex.open(tmp_path / "index.sqlite")
    cache = ParseCache(index=index)
    shown = load_content(root, cache=cache)
    (root / "stories" / "s1.md").write_text("---\ntitle: [\n---\nполовина", encoding="utf-8")
    merged = keep_last_good(shown, load_content(root, cache=cache))
    kept = next(s for s in merged.stories if s.id == "s1")
    assert (kept.title.ru, kept.body.ru) == ("История 1", "Текст 1.")


def test_reading_in_worker_processes_gives_the_same_content(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.core import loader

    root = _folder(tmp_path, count=25)
    here = load_content(root)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 0)
    monkeypatch.setattr(loader, "PARALLEL_CHUNK", 6)
    there = load_content(root, workers=2)
    assert _shown(there) == _shown(here)
    assert [p.format("ru") for p in there.problems] == [p.format("ru") for p in here.problems]
