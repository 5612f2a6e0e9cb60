"""What the kiosk keeps in memory for each story: with 37,000 of them, every hundred bytes a
story is 3.7 MB (issue 18: PSS ≤ 140 MB with 37,000 stories)."""

from __future__ import annotations

import gc
import os
import pickle
import tracemalloc
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from kiosk.core.content.index import ContentIndex
from kiosk.core.content.loader import ParseCache, load_content
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Problem, Severity
from kiosk.core.content.reload import keep_last_good
from kiosk.core.content.textpath import text_path
from tests.helpers import SVG, make_folder, story

COUNT = 2000
# Bytes of Python objects a story costs while the kiosk shows it, with the titles, centre and
# dates below, measured when the bound was set: ~950 read from the index, ~990 just read from
# its file (before: ~1,260 and ~1,860: Paths split into parts, (path, stamp) pairs, each
# story's own centre, tags and date). An object of ~60–100 bytes more a story fails it.
MOST_PER_STORY = 1050


def _folder(root: Path, count: int = COUNT) -> Path:
    stories = {f"story-{i:05d}.md": story(
        f"Строчка за строчкой ({i})", f"Текст {i}.\n\n=== English ===\nText {i}.",
        title_en=f"Line by line ({i})", centre="Центр госуслуг района Арбат",
        centre_en="Arbat district centre", date=f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}",
        tags="[дети]", **({"photo": "images/a.svg"} if i % 10 == 0 else {}))
        for i in range(count)}
    return make_folder(root, stories=stories, settings="tags:\n  дети: children\n",
                       images={"images/a.svg": SVG})


def _load(root: Path, index_path: Path | None) -> tuple[Content, ParseCache, int]:
    """A kiosk's read of the folder (a fresh cache over the index file, as at a start; None:
    a kiosk whose index cannot be written), and the bytes of Python objects it left behind."""
    index = ContentIndex.open(index_path) if index_path is not None else None
    assert index is not None or index_path is None
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        cache = ParseCache(index=index)
        content = load_content(root, cache=cache).warm()
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return content, cache, kept


@pytest.fixture(scope="module")
def reads(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Content, ParseCache, int]]:
    base = tmp_path_factory.mktemp("footprint")
    # What a process pays once, at its first read, is no story's: the drawing check's XML
    # parser (xml.etree, defusedxml: ~230 bytes a story here) is imported at the first SVG, and
    # patterns are compiled at their first use. Alone this file paid them in its first read,
    # after other tests it did not; a kiosk's first read of a small folder pays them too.
    _load(_folder(base / "warm-up", count=10), base / "warm-up.sqlite")
    root = _folder(base / "content")
    fresh = _load(root, base / "index.sqlite")  # every file read
    restart = _load(root, base / "index.sqlite")  # every story from the index
    return [fresh, restart, _load(root, None)]


@pytest.mark.parametrize("which", [0, 1], ids=["read from the files", "read from the index"])
def test_each_story_kept_costs_less_than_a_bound(
        reads: list[tuple[Content, ParseCache, int]], which: int) -> None:
    content, _, kept = reads[which]
    assert len(content.stories) == COUNT
    assert kept / COUNT < MOST_PER_STORY, f"{kept / COUNT:.0f} bytes a story"


@pytest.mark.parametrize("which", [0, 1, 2], ids=["read from the files", "read from the index",
                                                  "read without an index"])
def test_a_story_keeps_its_paths_as_text_and_shares_what_others_have(
        reads: list[tuple[Content, ParseCache, int]], which: int) -> None:
    content, cache, _ = reads[which]
    first, second = content.stories[1], content.stories[2]
    assert not hasattr(first, "__dict__")  # slots: no dictionary per story
    entry = cache.entries[str(first.source)]
    assert str(first.source) is entry.path  # the path's text once, not once more in a Path
    assert first.centre is second.centre and first.tags is second.tags
    assert first.teaser is second.teaser
    assert content.stories[0].photo == root_of(content) / "images" / "a.svg"
    assert first.source.name == "story-00001.md"
    assert first.source == root_of(content) / "stories" / "story-00001.md"


def root_of(content: Content) -> Path:
    return content.root


def test_a_reload_keeping_a_broken_storys_last_version_splits_no_path(
        reads: list[tuple[Content, ParseCache, int]]) -> None:
    # keep_last_good matches every item's file name against the broken files': a text path
    # answers its name without splitting itself into parts (~180 bytes a story, kept).
    content, _, _ = reads[1]
    gone = content.stories[5]
    broken = replace(content, stories=content.stories[:5] + content.stories[6:], problems=(
        Problem(str(gone.source), 2, Severity.ERROR, "yaml_syntax", {}),))
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        merged = keep_last_good(content, broken)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert merged.stories[5] is gone
    assert kept / COUNT < 40, f"{kept / COUNT:.0f} bytes a story"  # the new tuple: 8


PATHS = ["/srv/kiosk/content/stories/a b.md", "stories/история-1.md", "x.md", "/x",
         "/srv/kiosk/content/images/photo.portrait.jpg", "a/../b.md", "..", "/a/.hidden"]


@pytest.mark.parametrize("text", PATHS)
def test_a_text_path_answers_as_a_path_does(text: str) -> None:
    made, plain = text_path(text), Path(text)
    assert made == plain and plain == made and hash(made) == hash(plain)
    assert str(made) == str(plain) == os.fspath(made) and repr(made) == repr(plain)
    assert made.parts == plain.parts and made.name == plain.name
    assert made.stem == plain.stem and made.suffix == plain.suffix
    assert made.parent == plain.parent and made / "y.md" == plain / "y.md"
    assert made.with_suffix(".jpg") == plain.with_suffix(".jpg")
    assert made.is_absolute() == plain.is_absolute() and made.match("*.md") == plain.match("*.md")
    assert PurePosixPath(made) == PurePosixPath(plain)
    assert {made: 1}[plain] == 1 and sorted([made, Path("/m")]) == sorted([plain, Path("/m")])
    again = pickle.loads(pickle.dumps(made))
    assert again == plain and type(again) is type(plain)


@pytest.mark.parametrize("text", ["a//b.md", "/srv/./x.md", "./x.md", "x/", "", ".", "//x"])
def test_a_text_path_of_text_a_path_would_rewrite_is_that_path(text: str) -> None:
    assert text_path(text) == Path(text) and str(text_path(text)) == str(Path(text))


def test_a_text_path_opens_its_file(tmp_path: Path) -> None:
    (tmp_path / "s.md").write_text("текст", encoding="utf-8")
    made = text_path(str(tmp_path / "s.md"))
    assert made.read_text(encoding="utf-8") == "текст" and made.is_file()
    assert made.stat().st_size == (tmp_path / "s.md").stat().st_size


@pytest.mark.parametrize("record", [
    ((), None, None, ()),  # depends on nothing, not even its own file
    ((("x", b"12345678"),), ("story", "s", 7, "t", "", None, None, "", "", "", "", None, (),
                            None, False, True), (None, "a", "b"), ()),  # a path that is a number
    (((b"x", None, 3),), None, None, ()),  # a dependency of three things
], ids=["no dependency", "number for a path", "triple"])
def test_a_damaged_entry_is_read_from_the_files_again(tmp_path: Path, record: tuple[Any, ...]
                                                      ) -> None:
    import marshal
    import sqlite3

    root = make_folder(tmp_path / "c", stories={f"s{i}.md": story(f"История {i}")
                                                for i in range(3)})
    index_path = tmp_path / "index.sqlite"
    _load(root, index_path)
    with sqlite3.connect(index_path) as db:
        db.execute("UPDATE entries SET record = ?", (marshal.dumps(record),))
    db.close()
    content, _, _ = _load(root, index_path)
    assert sorted(s.title.ru for s in content.stories) == ["История 0", "История 1", "История 2"]
