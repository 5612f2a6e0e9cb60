"""A damaged index record is never decoded: marshal trusts the counts it reads, and five bad
bytes can ask it for a tuple of 2**31 items (16 GB). The story is read from its file instead,
the damage said once in the log, and the record written anew."""

from __future__ import annotations

import contextlib
import logging
import marshal
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import kiosk.core.content.index
from kiosk.core.content.index import ContentIndex, StoredText
from kiosk.core.content.loader import ParseCache, load_content
from kiosk.core.content.model import Content
from tests.core.test_index import _folder, _restart, _shown

# marshal's TYPE_TUPLE with a count of 2**31 - 1, over the record's first five bytes.
HUGE = b"(" + (2**31 - 1).to_bytes(4, "little")


def _set_record(index_path: Path, path: str, change: bytes) -> None:
    with contextlib.closing(sqlite3.connect(index_path)) as db, db:
        (record,) = db.execute("SELECT record FROM entries WHERE path = ?", (path,)).fetchone()
        db.execute("UPDATE entries SET record = ? WHERE path = ?",
                   (change + record[len(change):], path))


@pytest.fixture
def marshal_calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The damaged records the index hands marshal (refused here as a memory limit would:
    touching 16 GB is not a test's to do)."""
    given: list[bytes] = []

    def loads(blob: bytes) -> object:
        if bytes(blob[:len(HUGE)]) == HUGE:
            given.append(blob)
            raise MemoryError("a tuple of 2**31 items")
        return marshal.loads(blob)

    monkeypatch.setattr(kiosk.core.content.index, "marshal",
                        SimpleNamespace(loads=loads, dumps=marshal.dumps))
    return given


def test_the_damaged_bytes_would_make_marshal_over_allocate() -> None:
    # In a child with 1 GB of address space: what the kiosk would meet without the check.
    code = ("import marshal, resource\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "try:\n"
            f"    marshal.loads({HUGE!r} + marshal.dumps((1, 2, 3, 4))[5:])\n"
            "except MemoryError:\n"
            "    print('MemoryError')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.stdout.strip() == "MemoryError", done.stderr


@pytest.mark.parametrize("story_limit", [None, 200], ids=["whole", "first-read"])
def test_a_damaged_record_is_not_decoded_and_its_story_is_read_from_its_file(
        tmp_path: Path, marshal_calls: list[bytes], caplog: pytest.LogCaptureFixture,
        story_limit: int | None) -> None:
    root = _folder(tmp_path)
    fresh = load_content(root)
    index_path = tmp_path / "index.sqlite"
    _restart(root, index_path)
    target = str(root / "stories" / "s3.md")
    _set_record(index_path, target, HUGE)

    with caplog.at_level(logging.WARNING, logger="kiosk.core.content.index"):
        content = _restart(root, index_path, story_limit)  # the whole read, or `kiosk run`'s
    assert marshal_calls == []
    assert _shown(content) == _shown(fresh)  # «История 3» and its text, from the file
    assert len([r for r in caplog.records if "damaged" in r.getMessage()]) == 1

    caplog.clear()  # read again from the file and written anew: whole from the index now
    again = _restart(root, index_path)
    assert _shown(again) == _shown(fresh)
    assert all(isinstance(s.body, StoredText) for s in again.stories)
    assert not [r for r in caplog.records if "damaged" in r.getMessage()]


def test_records_that_are_not_records_read_as_missing(tmp_path: Path) -> None:
    # Damage elsewhere in a record, a record cut short, text where bytes should be.
    root = _folder(tmp_path)
    fresh = load_content(root)
    index_path = tmp_path / "index.sqlite"
    _restart(root, index_path)
    with contextlib.closing(sqlite3.connect(index_path)) as db, db:
        paths = [path for (path,) in db.execute("SELECT path FROM entries ORDER BY path")]
        db.execute("UPDATE entries SET record = substr(record, 1, 40) WHERE path = ?",
                   (paths[0],))
        db.execute("UPDATE entries SET record = 'not a record' WHERE path = ?", (paths[1],))
        (record,) = db.execute("SELECT record FROM entries WHERE path = ?",
                               (paths[2],)).fetchone()
        flipped = record[:60] + bytes([record[60] ^ 0x10]) + record[61:]
        db.execute("UPDATE entries SET record = ? WHERE path = ?", (flipped, paths[2]))
    index = ContentIndex.open(index_path)
    assert index is not None
    content: Content = load_content(root, cache=ParseCache(index=index))
    assert _shown(content) == _shown(fresh)
    assert not index.broken  # the other records are still used


def test_an_index_of_the_format_before_is_rebuilt_not_decoded(
        tmp_path: Path, marshal_calls: list[bytes]) -> None:
    root = _folder(tmp_path)
    fresh = load_content(root)
    index_path = tmp_path / "index.sqlite"
    _restart(root, index_path)
    with contextlib.closing(sqlite3.connect(index_path)) as db, db:
        # Format 3's records: marshal's bytes alone, one of them damaged.
        db.execute("UPDATE entries SET record = substr(record, 1, length(record) - 4)")
        db.execute("PRAGMA user_version = 3")
    _set_record(index_path, str(root / "stories" / "s3.md"), HUGE)
    assert _shown(_restart(root, index_path)) == _shown(fresh)
    assert marshal_calls == []
