"""The content index on disk: a restart reads only what changed, and never shows anything but
what the files say now."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from kiosk.core.content.index import ContentIndex, StoredText, default_index_path
from kiosk.core.content.loader import ParseCache, load_content
from kiosk.core.content.model import Content
from kiosk.core.content.reload import keep_last_good
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
    from kiosk.core.content import loader

    root = _folder(tmp_path, count=25)
    here = load_content(root)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 0)
    monkeypatch.setattr(loader, "PARALLEL_CHUNK", 6)
    there = load_content(root, workers=2)
    assert _shown(there) == _shown(here)
    assert [p.format("ru") for p in there.problems] == [p.format("ru") for p in here.problems]


# -- bounded: one index per content path, one row per text, old files deleted -----------------


def _rows(index_path: Path) -> int:
    with contextlib.closing(sqlite3.connect(index_path)) as db:
        return int(db.execute("SELECT count(*) FROM bodies").fetchone()[0])


def _publish(link: Path, number: int) -> None:
    """What deploy/publish-content.sh does: a new release made of hard links to the current
    one (rsync --link-dest: unchanged files are the same inodes, whose change times move),
    the link flipped in one step, releases beyond the newest two deleted."""
    current = link.resolve()
    new = current.parent / str(number)
    for folder, _, files in os.walk(current):
        target = new / Path(folder).relative_to(current)
        target.mkdir(parents=True)
        for name in files:
            os.link(Path(folder, name), target / name)
    flipped = link.with_name("content.new")
    flipped.symlink_to(new)
    os.replace(flipped, link)
    for old in sorted(current.parent.iterdir(), key=lambda p: int(p.name))[:-2]:
        shutil.rmtree(old)


def test_publishes_keep_one_index_and_one_row_per_text(tmp_path: Path) -> None:
    _folder(tmp_path)  # 13 stories with a text, one broken
    releases = tmp_path / "releases"
    releases.mkdir()
    (tmp_path / "c").rename(releases / "1")
    link = tmp_path / "content"
    link.symlink_to(releases / "1")
    cache_dir = tmp_path / "cache"
    index = ContentIndex.open(default_index_path(link, {"KIOSK_CACHE_DIR": str(cache_dir)}))
    assert index is not None
    cache = ParseCache(index=index)
    shown = load_content(link, cache=cache)
    texts = len(shown.stories)
    assert _rows(index.path) == texts == 13
    for number in range(2, 7):  # five publishes while the kiosk runs
        _publish(link, number)
        shown = keep_last_good(shown, load_content(link, cache=cache))
        assert len(shown.stories) == 13
    assert _rows(index.path) == texts  # was 22 → 132 for 22 texts
    # A restart after the publishes uses the same index, and makes no other.
    again = _restart(link, default_index_path(link, {"KIOSK_CACHE_DIR": str(cache_dir)}))
    assert _shown(again) == _shown(shown)
    assert [p.name for p in cache_dir.glob("*.sqlite")] == [index.path.name]
    assert _rows(index.path) == texts


def test_texts_nothing_shows_any_more_are_deleted_while_the_kiosk_runs(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    index = ContentIndex.open(tmp_path / "index.sqlite")
    assert index is not None
    cache = ParseCache(index=index)
    shown = load_content(root, cache=cache)
    target = root / "stories" / "s3.md"
    for edit in range(3):  # three edits, each read while the kiosk runs
        target.write_text(story("История 3", f"Правка {edit}."), encoding="utf-8")
        shown = keep_last_good(shown, load_content(root, cache=cache))
    # s1 breaks: its last good text stays on screen, so its row must stay too.
    (root / "stories" / "s1.md").write_text("---\ntitle: [\n---\nполовина", encoding="utf-8")
    shown = keep_last_good(shown, load_content(root, cache=cache))
    shown = keep_last_good(shown, load_content(root, cache=cache))  # the next look tidies
    assert _rows(index.path) == 13  # 12 texts in files and the one kept on screen
    kept = next(s for s in shown.stories if s.id == "s1")
    assert kept.body.ru == "Текст 1."
    assert next(s for s in shown.stories if s.id == "s3").body.ru == "Правка 2."
    del shown, kept
    load_content(root, cache=cache)
    assert _rows(index.path) == 12  # s1's old text went with the content that showed it


def test_the_same_text_in_two_files_is_kept_once(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story("А", "Один текст."),
                                                 "b.md": story("Б", "Один текст.")})
    content = _restart(root, tmp_path / "index.sqlite")
    assert [s.body.ru for s in content.stories] == ["Один текст.", "Один текст."]
    assert _rows(tmp_path / "index.sqlite") == 1


def _index_for(root: Path, cache_dir: Path) -> ContentIndex:
    index = ContentIndex.open(default_index_path(root, {"KIOSK_CACHE_DIR": str(cache_dir)}), root)
    assert index is not None
    load_content(root, cache=ParseCache(index=index))
    return index


def test_index_files_of_folders_that_are_gone_are_deleted(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    gone, in_use, kept = (make_folder(tmp_path / name, stories={"a.md": story()})
                          for name in ("gone", "in-use", "kept"))
    _index_for(gone, cache_dir).close()
    running = _index_for(in_use, cache_dir)  # another kiosk still has it open
    _index_for(kept, cache_dir).close()
    # One index per release folder, from before: of an older format.
    with contextlib.closing(sqlite3.connect(cache_dir / "index-0123456789abcdef.sqlite")) as db:
        db.executescript("CREATE TABLE bodies (id INTEGER PRIMARY KEY, ru TEXT, en TEXT);")
    shutil.rmtree(gone)
    shutil.rmtree(in_use)
    newest = _index_for(make_folder(tmp_path / "new", stories={"a.md": story()}), cache_dir)
    names = {default_index_path(root, {"KIOSK_CACHE_DIR": str(cache_dir)}).name
             for root in (in_use, kept, tmp_path / "new")}
    assert {p.name for p in cache_dir.glob("index-*.sqlite")} == names
    assert not list(cache_dir.glob("index-0123456789abcdef*"))
    assert running.body(1).ru == "Текст истории."  # still usable by the kiosk that has it
    running.close()
    newest.close()
    _index_for(kept, cache_dir).close()
    assert {p.name for p in cache_dir.glob("index-*.sqlite")} == names - {
        default_index_path(in_use, {"KIOSK_CACHE_DIR": str(cache_dir)}).name}


def test_at_most_max_indexes_are_kept_the_least_recently_used_go(tmp_path: Path) -> None:
    from kiosk.core.content.index import MAX_INDEXES

    cache_dir = tmp_path / "cache"
    roots = [make_folder(tmp_path / f"c{i}", stories={"a.md": story()})
             for i in range(MAX_INDEXES + 3)]
    for age, root in enumerate(roots):
        _index_for(root, cache_dir).close()
        path = default_index_path(root, {"KIOSK_CACHE_DIR": str(cache_dir)})
        for suffix in ("", "-wal"):  # used `age` hours ago, the first longest ago
            if (file := path.with_name(path.name + suffix)).exists():
                stamp = 1_700_000_000 + age * 3600
                os.utime(file, (stamp, stamp))
    _index_for(roots[-1], cache_dir).close()
    left = {p.name for p in cache_dir.glob("index-*.sqlite")}
    assert left == {default_index_path(root, {"KIOSK_CACHE_DIR": str(cache_dir)}).name
                    for root in roots[-MAX_INDEXES:]}


def test_the_index_is_private_whoever_made_its_folder(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir(mode=0o755)
    os.chmod(cache_dir, 0o755)
    index = _index_for(_folder(tmp_path), cache_dir)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    for file in cache_dir.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    index.close()


def test_pages_freed_by_deleted_texts_are_given_back(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={
        f"s{i}.md": story(f"История {i}", f"Длинный текст {i}. " * 400) for i in range(40)})
    index = ContentIndex.open(tmp_path / "index.sqlite")
    assert index is not None
    cache = ParseCache(index=index)
    load_content(root, cache=cache)
    full = _file_bytes(tmp_path / "index.sqlite")
    for path in list((root / "stories").iterdir())[1:]:
        path.unlink()
    load_content(root, cache=cache)
    load_content(root, cache=cache)  # the texts go once nothing shows them; then their pages
    assert _rows(index.path) == 1
    with contextlib.closing(sqlite3.connect(index.path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert _file_bytes(tmp_path / "index.sqlite") < full / 4


def _file_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


# -- pruning the cache folder at each start ------------------------------------------------------


def _cache_names(cache_dir: Path) -> set[str]:
    return {p.name for p in cache_dir.iterdir()}


def _used(path: Path, stamp: float) -> None:
    for suffix in ("", "-wal"):
        if (file := path.with_name(path.name + suffix)).exists():
            os.utime(file, (stamp, stamp))


def test_indexes_no_kiosk_used_for_a_month_go(tmp_path: Path) -> None:
    from kiosk.core.content.index import MAX_IDLE_DAYS

    cache_dir, now = tmp_path / "cache", 1_800_000_000.0
    old, recent = (make_folder(tmp_path / name, stories={"a.md": story()})
                   for name in ("old", "recent"))
    paths = {root: default_index_path(root, {"KIOSK_CACHE_DIR": str(cache_dir)})
             for root in (old, recent)}
    _index_for(old, cache_dir).close()
    _index_for(recent, cache_dir).close()
    _used(paths[old], now - (MAX_IDLE_DAYS + 1) * 86400)
    _used(paths[recent], now - (MAX_IDLE_DAYS - 1) * 86400)
    this = make_folder(tmp_path / "this", stories={"a.md": story()})
    # Without the clock's time (tests, tools), age is not a reason.
    index = ContentIndex.open(default_index_path(this, {"KIOSK_CACHE_DIR": str(cache_dir)}),
                              this)
    assert index is not None
    index.close()
    assert paths[old].exists() and paths[recent].exists()
    index = ContentIndex.open(default_index_path(this, {"KIOSK_CACHE_DIR": str(cache_dir)}),
                              this, now=now)
    assert index is not None
    index.close()
    assert not any(name.startswith(paths[old].name) for name in _cache_names(cache_dir))
    assert paths[recent].exists()


def test_indexes_of_another_version_or_never_filled_go(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    roots = [make_folder(tmp_path / f"c{i}", stories={"a.md": story()}) for i in range(3)]
    paths = [default_index_path(root, {"KIOSK_CACHE_DIR": str(cache_dir)}) for root in roots]
    for root in roots:
        _index_for(root, cache_dir).close()
    with contextlib.closing(sqlite3.connect(paths[0])) as db, db:
        db.execute("UPDATE meta SET value = 'an earlier reader' WHERE key = 'reader'")
    with contextlib.closing(sqlite3.connect(paths[1])) as db, db:  # a kiosk stopped before
        db.execute("DELETE FROM meta WHERE key != 'root'")  # its first load
    assert all(path.exists() for path in paths)
    _index_for(make_folder(tmp_path / "this", stories={"a.md": story()}), cache_dir).close()
    assert [path.exists() for path in paths] == [False, False, True]


def test_only_the_kiosks_own_files_are_deleted_and_never_through_a_link(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    gone = make_folder(tmp_path / "gone", stories={"a.md": story()})
    _index_for(gone, cache_dir).close()
    shutil.rmtree(gone)
    elsewhere = tmp_path / "elsewhere"  # an index of a gone folder, outside the cache
    elsewhere.mkdir()
    target = default_index_path(gone, {"KIOSK_CACHE_DIR": str(cache_dir)})
    shutil.copy(target, elsewhere / target.name)
    linked = cache_dir / "index-1111111111111111.sqlite"
    linked.symlink_to(elsewhere / target.name)
    (cache_dir / "index-2222222222222222.sqlite").mkdir()  # a folder by an index's name
    leftovers = ["index-3333333333333333.sqlite-wal", "index-3333333333333333.sqlite-shm",
                 "index-4444444444444444.sqlite.lock", "index-5555555555555555.sqlite-journal"]
    foreign = ["index-notours.sqlite", "index-6666666666666666.sqlite.bak", "kiosk-clips.json",
               "index-77777777777777777.sqlite", "notes.txt"]
    for name in leftovers + foreign:
        (cache_dir / name).write_bytes(b"x")
    _index_for(make_folder(tmp_path / "this", stories={"a.md": story()}), cache_dir).close()
    this = default_index_path(tmp_path / "this", {"KIOSK_CACHE_DIR": str(cache_dir)}).name
    assert _cache_names(cache_dir) - {this, this + ".lock", this + "-wal", this + "-shm"} == {
        linked.name, "index-2222222222222222.sqlite", *foreign}
    assert linked.is_symlink() and (elsewhere / target.name).read_bytes()[:6] == b"SQLite"
    assert not list(elsewhere.glob("*-wal")) and not list(elsewhere.glob("*-shm"))


def test_a_start_looks_at_a_bounded_number_of_files(tmp_path: Path) -> None:
    from kiosk.core.content.index import MAX_SWEPT

    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    for i in range(MAX_SWEPT + 5):  # empty files: databases of no known format
        (cache_dir / f"index-{i:016x}.sqlite").write_bytes(b"")
    this = make_folder(tmp_path / "this", stories={"a.md": story()})
    _index_for(this, cache_dir).close()
    assert len(list(cache_dir.glob("index-*.sqlite"))) == 1 + 5
    _index_for(this, cache_dir).close()
    assert len(list(cache_dir.glob("index-*.sqlite"))) == 1


def test_a_sweep_that_fails_is_logged_and_the_index_still_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def unreadable(keep: Path) -> dict[str, bool]:
        raise PermissionError(13, "Permission denied", str(keep.parent))

    monkeypatch.setattr("kiosk.core.content.index._other_indexes", unreadable)
    root = _folder(tmp_path)
    with caplog.at_level("WARNING"):
        index = _index_for(root, tmp_path / "cache")
    assert f"content index folder {tmp_path / 'cache'} not tidied" in caplog.text
    assert not index.broken
    assert _shown(_restart(root, index.path)) == _shown(load_content(root))
    index.close()
