"""What was read from a content folder, kept on disk (SQLite) so that a restart re-reads only the
files that changed, and so that story texts stay on disk until a screen shows them.

Never stale: an entry is used only while the size, time, change time and inode of its file and
of every image it refers to are what they were when it was read (the loader checks them on each
load), while kiosk.yaml reads the same, and while the code that reads content is the same code
(a hash of its source). Anything wrong with the index file (unwritable, corrupt, locked, from
another version) makes the kiosk read the folder as if there were no index: slower, never wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import marshal
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.model import AnniversaryPage, Story, Text
from kiosk.core.problems import Language, Problem, Severity
from kiosk.core.schedule import ALWAYS, Schedule

log = logging.getLogger(__name__)

INDEX_FORMAT = 2  # 2: teasers
_CORE = Path(__file__).resolve().parent
# The modules whose code decides what an item reads as: any change to them makes a new index.
_READERS = [*sorted(_CORE.glob("*.py")), _CORE.parent / "ui" / "resources.py"]

Stamp = bytes | None  # size, mtime, ctime (ns) and inode, packed; None: the file is not there
Dependencies = tuple[tuple[str, Stamp], ...]


@functools.cache  # the code does not change while it runs
def reader_version() -> str:
    digest = hashlib.sha256(str(INDEX_FORMAT).encode())
    for path in _READERS:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(path.name.encode())
    return digest.hexdigest()[:32]


def default_index_path(root: Path, env: Mapping[str, str] = os.environ) -> Path:
    """One index per content folder (by its real path), in the user's cache folder."""
    base = env.get("KIOSK_CACHE_DIR") or os.path.join(
        env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME", "/tmp"), ".cache"), "kiosk")
    key = hashlib.sha256(os.path.realpath(root).encode()).hexdigest()[:16]
    return Path(base) / f"index-{key}.sqlite"


class StoredText(Text):
    """A text that stays in the index until a screen asks for it (a page turn reads one
    row: tens of microseconds). 37,000 story texts would take ~45 MB of memory otherwise."""

    __slots__ = ("_index", "_row")
    _index: ContentIndex
    _row: int

    def __init__(self, index: ContentIndex, row: int) -> None:
        object.__setattr__(self, "_index", index)  # frozen, like every Text
        object.__setattr__(self, "_row", row)

    def _read(self) -> Text:
        return self._index.body(self._row)

    @property
    def ru(self) -> str:
        return self._read().ru

    @property
    def en(self) -> str:
        return self._read().en

    def get(self, lang: Language) -> str:
        return self._read().get(lang)

    def __repr__(self) -> str:
        return f"StoredText(row={self._row})"

    def __reduce__(self) -> tuple[Any, ...]:
        text = self._read()
        return (Text, (text.ru, text.en))


@dataclass(frozen=True, slots=True)
class IndexEntry:
    depends_on: Dependencies  # the file and the images it refers to, as they were when read
    item: AnniversaryPage | Story | None
    problems: tuple[Problem, ...]


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, body INTEGER, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS bodies (id INTEGER PRIMARY KEY, ru TEXT NOT NULL, en TEXT NOT NULL);
"""


class ContentIndex:
    """The index file of one content folder. Written only by the thread that loads content
    (one load at a time); texts are read from any thread, each with its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._writer: sqlite3.Connection | None = None
        self.broken = False  # set at the first error: from then on the kiosk reads files

    @classmethod
    def open(cls, path: Path) -> ContentIndex | None:
        """The index at `path`, made if missing; None if it cannot be used. Texts that no entry
        refers to (earlier versions of edited stories) are dropped now, before anything on
        screen can refer to them: while the kiosk runs, a text is never deleted."""
        index = cls(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            index._writer = index._connect()
            with index._writer:
                index._writer.executescript(_SCHEMA)
            with index._writer:
                index._begin()
                index._writer.execute("DELETE FROM bodies WHERE id NOT IN"
                                      " (SELECT body FROM entries WHERE body IS NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            log.warning("content index %s not used: %s", path, exc)
            return None
        return index

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=2.0, check_same_thread=False,
                                     isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        # A power cut may lose the last transaction, never the file's integrity; a lost entry
        # is only read again from its file.
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    def _begin(self) -> None:
        assert self._writer is not None
        if not self._writer.in_transaction:
            self._writer.execute("BEGIN IMMEDIATE")

    def _fail(self, exc: Exception) -> None:
        if not self.broken:
            log.warning("content index %s stopped being used: %s", self.path, exc)
        self.broken = True

    # -- entries ---------------------------------------------------------------------------

    def read(self, settings_key: str) -> dict[str, IndexEntry]:
        """The entries read with these settings by this code; none (and the index emptied)
        if either differs."""
        if not self.matches(settings_key):
            return {}
        assert self._writer is not None
        try:
            entries = (self._decode(record)
                       for (record,) in self._writer.execute("SELECT record FROM entries"))
            # The file's own path comes first among what an entry depends on.
            return {entry.depends_on[0][0]: entry for entry in entries}
        except (sqlite3.Error, ValueError, TypeError, EOFError) as exc:
            self._fail(exc)
            return {}

    def _reset(self, settings_key: str) -> None:
        assert self._writer is not None
        with self._writer:
            self._begin()
            self._writer.execute("DELETE FROM entries")  # texts stay: the screen may show them
            self._writer.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                     [("reader", reader_version()),
                                      ("settings", settings_key)])

    def matches(self, settings_key: str) -> bool:
        """Whether the entries were read with these settings by this code (if not, the index
        is emptied for a new start)."""
        if self.broken or self._writer is None:
            return False
        try:
            meta = dict(self._writer.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("reader") == reader_version() and meta.get("settings") == settings_key:
                return True
            self._reset(settings_key)
        except sqlite3.Error as exc:
            self._fail(exc)
        return False

    def get(self, path: str) -> IndexEntry | None:
        """One entry (after `matches`): for a first frame that needs only a few."""
        if self.broken or self._writer is None:
            return None
        try:
            row = self._writer.execute("SELECT record FROM entries WHERE path = ?",
                                       (path,)).fetchone()
            return self._decode(row[0]) if row else None
        except (sqlite3.Error, ValueError, TypeError, EOFError) as exc:
            self._fail(exc)
            return None

    def write(self, changed: Mapping[str, IndexEntry], removed: Iterable[str]) -> None:
        """Save entries read in this load and forget files that are gone; their texts were
        saved by `store_body` as they were read."""
        if self.broken or self._writer is None:
            return
        try:
            with self._writer:
                self._begin()
                self._writer.executemany(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                    [(path, _body_row(entry), self._encode(entry))
                     for path, entry in changed.items()])
                self._writer.executemany("DELETE FROM entries WHERE path = ?",
                                         [(path,) for path in removed])
        except (sqlite3.Error, ValueError) as exc:
            self._fail(exc)

    # -- texts -----------------------------------------------------------------------------

    def store_body(self, text: Text) -> Text:
        """Keep `text` in the index, and a StoredText for it in memory; `text` itself if the
        index cannot take it."""
        if self.broken or self._writer is None:
            return text
        try:
            self._begin()  # committed with the entries, at the end of the load
            cursor = self._writer.execute("INSERT INTO bodies (ru, en) VALUES (?, ?)",
                                          (text.ru, text.en))
        except sqlite3.Error as exc:
            self._fail(exc)
            return text
        assert cursor.lastrowid is not None
        return StoredText(self, cursor.lastrowid)

    def body(self, row: int) -> Text:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        try:
            if connection is None:
                connection = self._connect()
                self._local.connection = connection
            found = connection.execute("SELECT ru, en FROM bodies WHERE id = ?",
                                       (row,)).fetchone()
        except sqlite3.Error as exc:
            log.error("story text %d could not be read from %s: %s", row, self.path, exc)
            return Text("")
        return Text(*found) if found else Text("")

    def close(self) -> None:
        for connection in (self._writer, getattr(self._local, "connection", None)):
            if connection is not None:
                connection.close()
        self._writer = None

    # -- records ---------------------------------------------------------------------------
    # marshal of plain tuples: several times faster to read back than pickle, and reading it
    # never runs code.

    def _encode(self, entry: IndexEntry) -> bytes:
        item = entry.item
        body = None
        record: tuple[Any, ...] | None = None
        if item is not None:
            text = item.body
            body = ((text._row, "", "")
                    if isinstance(text, StoredText) else (None, text.ru, text.en))
            common = (item.id, str(item.source), item.title.ru, item.title.en,
                      _encode_schedule(item.schedule), item.duration, item.teaser.ru,
                      item.teaser.en)
            if isinstance(item, Story):
                record = ("story", *common, item.centre.ru, item.centre.en,
                          item.date.toordinal() if item.date else None, item.tags,
                          str(item.photo) if item.photo else None, item.example,
                          item.attract)
            else:
                record = ("page", *common, str(item.image) if item.image else None)
        problems = tuple((p.path, p.line, p.severity.value, p.code, tuple(p.args.items()))
                         for p in entry.problems)
        return marshal.dumps((entry.depends_on, record, body, problems))

    def _decode(self, blob: bytes) -> IndexEntry:
        depends_on, record, body, problems = marshal.loads(blob)
        item: AnniversaryPage | Story | None = None
        if record is not None:
            row, ru, en = body
            text: Text = StoredText(self, row) if row is not None else Text(ru, en)
            kind, item_id, source, title_ru, title_en, schedule, duration = record[:7]
            teaser = Text(*record[7:9])
            if kind == "story":
                centre_ru, centre_en, date, tags, photo, example, attract = record[9:]
                item = Story(item_id, _path(source), Text(title_ru, title_en), text,
                             _shared_text(centre_ru, centre_en),
                             dt.date.fromordinal(date) if date is not None else None,
                             _shared_tags(tags), _path(photo) if photo else None, example,
                             attract, duration, _decode_schedule(schedule), teaser)
            else:
                (image,) = record[9:]
                item = AnniversaryPage(item_id, Path(source), Text(title_ru, title_en), text,
                                       Path(image) if image else None, duration,
                                       _decode_schedule(schedule), teaser)
        return IndexEntry(
            depends_on,
            item,
            tuple(Problem(path, line, Severity(severity), code, dict(args))
                  for path, line, severity, code, args in problems))


def _body_row(entry: IndexEntry) -> int | None:
    text = entry.item.body if entry.item is not None else None
    return text._row if isinstance(text, StoredText) else None


# The same centre and the same tags recur across thousands of stories: one object each.
_TEXTS: dict[tuple[str, str], Text] = {}
_TAGS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _shared_text(ru: str, en: str) -> Text:
    return _TEXTS.setdefault((ru, en), Text(ru, en)) if len(_TEXTS) < 10_000 else Text(ru, en)


_FOLDERS: dict[str, Path] = {}


def _path(text: str) -> Path:
    """A file's Path, its folder's parsed once: Path() of 37,000 full paths takes 0.4 s.
    pathlib's own quick way to add a plain file name (what iterdir() uses) where there is
    one."""
    folder, slash, name = text.rpartition("/")
    if not slash:
        return Path(text)
    parent = _FOLDERS.get(folder)
    if parent is None:
        parent = _FOLDERS[folder] = Path(folder or "/")
    child = getattr(parent, "_make_child_relpath", None)
    if child is not None:
        made = child(name)
        if isinstance(made, Path):
            return made
    return parent / name


def _shared_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    return _TAGS.setdefault(tags, tags) if len(_TAGS) < 10_000 else tags


def _encode_schedule(schedule: Schedule) -> tuple[Any, ...] | None:
    if schedule == ALWAYS:
        return None
    return (schedule.start.toordinal() if schedule.start else None,
            schedule.end.toordinal() if schedule.end else None,
            tuple(sorted(schedule.weekdays)) if schedule.weekdays is not None else None,
            tuple((start.isoformat(), end.isoformat()) for start, end in schedule.hours))


def _decode_schedule(data: tuple[Any, ...] | None) -> Schedule:
    if data is None:
        return ALWAYS
    start, end, weekdays, hours = data
    return Schedule(dt.date.fromordinal(start) if start is not None else None,
                    dt.date.fromordinal(end) if end is not None else None,
                    frozenset(weekdays) if weekdays is not None else None,
                    tuple((dt.time.fromisoformat(a), dt.time.fromisoformat(b))
                          for a, b in hours))
