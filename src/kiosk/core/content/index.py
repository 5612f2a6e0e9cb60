"""What was read from a content folder, kept on disk (SQLite) so that a restart re-reads only the
files that changed, and so that story texts stay on disk until a screen shows them.

Never stale: an entry is used only while the size, time, change time and inode of its file and of
every image it refers to are what they were when it was read (the loader checks them on each load),
while kiosk.yaml reads the same, and while the code that reads content is the same code (a hash of
its source). Anything wrong with the index file (unwritable, corrupt, locked, from another version)
makes the kiosk read the folder as if there were no index: slower, never wrong. A damaged entry (its
checksum wrong) is never decoded: its file is read as if it had none. The other files (kiosk.yaml,
colouring.yaml, posters' and notices' files, the pictures of colouring/ and posters/) are kept too
(table `kept`, kiosk.core.content.kept): a YAML file's parsed tree while its bytes are the same, a
picture's checks while its stamp is, so that a start with nothing changed parses no file at all.

Bounded: one index per content path (the release link, not each release it points to), a text
kept once however many stories or reads have it (a hard-link publish re-reads every file, as
their change times move), a text deleted as soon as no entry and nothing in memory refers to
it, the freed pages given back, and the index files of content folders that are gone deleted
(at most MAX_INDEXES files in the folder). Private to the kiosk user (0700 folder, 0600 files).

Pruned at each start (`_sweep`): the other index files in the cache folder that no kiosk has
open are deleted when their content folder is gone, when they were made by another version of
the code (whose entries this one would read again anyway), when no kiosk used them for
MAX_IDLE_DAYS, beyond the MAX_INDEXES most recently used, and leftovers (a log, a lock) of one
whose database is gone. Only files named as the kiosk names them, never through a link, at most
MAX_SWEPT of them a start; a failure is logged, never raised.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import logging
import marshal
import os
import re
import sqlite3
import threading
import urllib.parse
import weakref
import zlib
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from kiosk.core import hashes
from kiosk.core.content.kept import MAX_RECORD
from kiosk.core.content.model import AnniversaryPage, Story, Text
from kiosk.core.content.problems import Language, Problem, Severity
from kiosk.core.content.textpath import text_path
from kiosk.core.paths import cache_dir, private_database, private_dir
from kiosk.core.schedules.schedule import ALWAYS, Schedule

log = logging.getLogger(__name__)

INDEX_FORMAT = 4  # 2: teasers; 3: texts kept once (digest), freed pages given back; 4: sealed
MAX_INDEXES = 8  # index files kept in the cache folder, however many folders were shown
MAX_IDLE_DAYS = 30  # an index no kiosk has opened for this long is deleted
MAX_SWEPT = 32  # other indexes looked at per start (each is opened); the rest at the next
MAX_LISTED = 4096  # entries of the cache folder read per start
_CORE = Path(__file__).resolve().parents[1]
# The modules whose code decides what an item reads as: any change to them makes a new index.
_READERS = [*sorted(_CORE.rglob("*.py")), _CORE.parent / "ui" / "resources.py"]

Stamp = bytes | None  # size, mtime, ctime (ns) and inode, hashed; None: the file is not there
Dependencies = tuple[tuple[str, Stamp], ...]
S = TypeVar("S", bound=Story)


@functools.cache  # the code does not change while it runs
def reader_version() -> str:
    # BLAKE2b: Python's own SHA-256 (kiosk.core.hashes) takes ~2 ms for this ~0.7 MB, 0.7.
    digest = hashes.blake2b(str(INDEX_FORMAT).encode(), digest_size=16)
    for path in _READERS:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(path.name.encode())
    return digest.hexdigest()[:32]


def default_index_path(root: Path, env: Mapping[str, str] = os.environ,
                       centre: Path | None = None) -> Path:
    """One index per content path, in the user's cache folder. The path as given, not where
    it leads: a release link flipped at each publish keeps its index (entries are checked
    against the files anyway), where one index per release folder would pile up. With the
    centre's own folder (kiosk.core.content.merge), one per pair of folders: the index holds both
    folders' files, and a load forgets the files it did not see."""
    name = os.path.abspath(root)
    if centre is not None:
        name += "\0" + os.path.abspath(centre)
    key = hashes.sha256(name.encode()).hexdigest()[:16]
    return cache_dir(env) / f"index-{key}.sqlite"


def first_read_parses(root: Path, env: Mapping[str, str] = os.environ,
                      centre: Path | None = None) -> bool:
    """Whether a start's first read of the folder will surely parse files, and so wants the
    sandbox's child started early: there is no index of the folder yet (a first start, or
    the cache was emptied). With one, a start with nothing changed parses nothing."""
    return not default_index_path(root, env, centre).exists()


class StoredText(Text):
    """A text that stays in the index until a screen asks for it (a page turn reads one
    row: tens of microseconds). 37,000 story texts would take ~45 MB of memory otherwise."""

    __slots__ = ("_index", "_row")
    _index: ContentIndex
    _row: int

    def __init__(self, index: ContentIndex, row: int) -> None:
        object.__setattr__(self, "_index", index)  # frozen, like every Text
        object.__setattr__(self, "_row", row)
        index._hold(row)  # the row stays while this text may be shown

    def __del__(self) -> None:
        # On whichever thread drops it, 37,000 at a time after a publish: one append, counted
        # by the loader's thread at its next write. No module globals (gone at exit).
        try:  # noqa: SIM105
            self._index._dropped.append(self._row)
        except Exception:  # at interpreter exit: nothing left to tidy
            pass

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
    """What one file read to, and what it depended on when it was read: the file itself
    (`path`, `stamp`) and the images it refers to (`more`). Kept as fields, not as one tuple
    of pairs: ~110 bytes less for each of 37,000 stories."""

    path: str
    stamp: Stamp
    item: AnniversaryPage | Story | None
    problems: tuple[Problem, ...]
    more: Dependencies = ()

    @classmethod
    def of(cls, depends_on: Dependencies, item: AnniversaryPage | Story | None,
           problems: tuple[Problem, ...]) -> IndexEntry:
        """`depends_on`: the file's own (path, stamp) first, then the images'."""
        if not depends_on:  # a damaged record: read as the others are (ValueError)
            raise ValueError("an entry depends on its own file first")
        (path, stamp), more = depends_on[0], depends_on[1:]
        return cls(path, stamp, item, problems, more)

    @property
    def depends_on(self) -> Dependencies:
        return ((self.path, self.stamp), *self.more)

    def unchanged(self, stamp: Callable[[str], Stamp]) -> bool:
        """Whether the file and its images are as they were (`stamp`: what one is now)."""
        return stamp(self.path) == self.stamp and all(stamp(p) == s for p, s in self.more)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, body INTEGER, record BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS entries_body ON entries (body);
CREATE TABLE IF NOT EXISTS bodies (id INTEGER PRIMARY KEY, digest BLOB NOT NULL UNIQUE,
                                   ru TEXT NOT NULL, en TEXT NOT NULL);
"""
_TABLES = ("meta", "entries", "bodies")


class ContentIndex:
    """The index file of one content folder. Written only by the thread that loads content
    (one load at a time); texts are read from any thread, each with its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._writer: sqlite3.Connection | None = None
        self.broken = False  # set at the first error: from then on the kiosk reads files
        # StoredTexts alive, by row: a row is deleted only when none is (array: 4 bytes a row).
        # Counted up and down by the loading thread only; the rows of StoredTexts that went
        # (on any thread) wait in `_dropped` (a deque: appending is atomic).
        self._held = array("i")
        self._dropped: deque[int] = deque()
        self._tidy_all = False  # entries were all dropped: look at every text at the next write
        self._unlock: weakref.finalize[[int], ContentIndex] | None = None

    @classmethod
    def open(cls, path: Path, root: Path | None = None,
             now: float | None = None) -> ContentIndex | None:
        """The index at `path` (of the content folder `root`, recorded so that the index can
        be deleted once that folder is gone), made if missing; None if it cannot be used.
        Texts that nothing refers to any more are deleted, and so are the other index files of
        the folder that no kiosk uses and nobody will need (`_sweep`; those unused for
        MAX_IDLE_DAYS only if `now`, the wall clock's time, is given)."""
        index = cls(path)
        try:
            private_dir(path.parent)
            # Held while the index is in use: no other kiosk's tidying deletes it meanwhile.
            index._unlock = weakref.finalize(index, os.close, _hold_lock(path))
            private_database(path)
            try:
                index._writer = index._connect()
                index._prepare()
            except sqlite3.DatabaseError as exc:
                if not _damaged(exc):
                    raise
                # Not a database (any more): it is a cache, so start afresh.
                if index._writer is not None:
                    index._writer.close()
                log.warning("content index %s was damaged (%s): starting a new one", path, exc)
                _delete_index(path, lock=False)
                private_database(path)
                index._writer = index._connect()
                index._prepare()
            with index._writer:
                index._begin()
                if root is not None:
                    index._writer.execute("INSERT OR REPLACE INTO meta VALUES ('root', ?)",
                                          (os.path.abspath(root),))
                index._tidy_all = True
                index._tidy()
                index._prepare_kept()
        except (OSError, sqlite3.Error) as exc:
            log.warning("content index %s not used: %s", path, exc)
            return None
        index._give_back_pages()
        _sweep(path, now)
        return index

    def _prepare(self) -> None:
        """An index of this format: one of an earlier format is emptied first, and told to
        give freed pages back (auto_vacuum)."""
        assert self._writer is not None
        writer = self._writer
        if writer.execute("PRAGMA user_version").fetchone()[0] != INDEX_FORMAT:
            old = {name for (name,) in writer.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in _TABLES:
                if table in old:
                    writer.execute(f"DROP TABLE {table}")
            writer.execute("PRAGMA auto_vacuum = INCREMENTAL")
            writer.execute("VACUUM")  # what makes it apply in WAL mode (quick: nothing is left)
            writer.executescript(_SCHEMA)
            writer.execute(f"PRAGMA user_version = {INDEX_FORMAT}")

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=2.0, check_same_thread=False,
                                     isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        # A power cut may lose the last transaction, never the file's integrity; a lost entry
        # is only read again from its file.
        connection.execute("PRAGMA synchronous=NORMAL")
        # Pages are read once per load (the whole table) or one row at a time (a story's
        # text): SQLite's default 2 MB cache for each connection holds nothing worth it.
        connection.execute("PRAGMA cache_size=-256")
        return connection

    def _begin(self) -> None:
        assert self._writer is not None
        if not self._writer.in_transaction:
            self._writer.execute("BEGIN IMMEDIATE")

    def _fail(self, exc: Exception) -> None:
        if not self.broken:
            log.warning("content index %s stopped being used: %s", self.path, exc)
        self.broken = True

    # -- which texts are still needed --------------------------------------------------------

    def _hold(self, row: int) -> None:
        if row >= len(self._held):
            self._held.frombytes(bytes(self._held.itemsize * max(row + 1 - len(self._held),
                                                                 len(self._held))))
        self._held[row] += 1

    def _tidy(self) -> int:
        """Delete the texts that no entry and no StoredText refers to (in the writer's
        transaction). Those of replaced entries go once the content that showed them has gone:
        at the next write."""
        assert self._writer is not None
        gone: set[int] = set()
        while self._dropped:
            row = self._dropped.popleft()
            self._held[row] -= 1
            if not self._held[row]:
                gone.add(row)
        if self._tidy_all:
            held = [(row,) for row, count in enumerate(self._held) if count]
            self._tidy_all = False
            self._writer.execute("CREATE TEMP TABLE IF NOT EXISTS held (id INTEGER PRIMARY KEY)")
            self._writer.execute("DELETE FROM temp.held")
            self._writer.executemany("INSERT INTO temp.held VALUES (?)", held)
            # The ids from the digest index (small), not from the table (the texts themselves).
            return self._writer.execute(
                "DELETE FROM bodies WHERE id IN (SELECT id FROM bodies WHERE id NOT IN"
                " (SELECT id FROM temp.held) AND id NOT IN"
                " (SELECT body FROM entries WHERE body IS NOT NULL))").rowcount
        if not gone:
            return 0
        cursor = self._writer.executemany(
            "DELETE FROM bodies WHERE id = ?1 AND NOT EXISTS"
            " (SELECT 1 FROM entries WHERE body = ?1)", [(row,) for row in gone])
        return max(cursor.rowcount, 0)

    def _give_back_pages(self) -> None:
        """Hand the file's free pages back to the file system once they are a quarter of it
        (after a publish that changed many texts), not at every small edit."""
        if self._writer is None or self.broken:
            return
        try:
            free = self._writer.execute("PRAGMA freelist_count").fetchone()[0]
            pages = self._writer.execute("PRAGMA page_count").fetchone()[0]
            if free >= 64 and free * 4 >= pages:
                # A script: each step of this pragma frees one page, and execute() takes one.
                self._writer.executescript("PRAGMA incremental_vacuum;")
        except sqlite3.Error as exc:
            self._fail(exc)

    # -- entries ---------------------------------------------------------------------------

    def read(self, settings_key: str) -> dict[str, IndexEntry]:
        """The entries read with these settings by this code; none (and the index emptied)
        if either differs."""
        if not self.matches(settings_key):
            return {}
        assert self._writer is not None
        entries: dict[str, IndexEntry] = {}
        damaged = 0
        try:
            # A record longer than any the kiosk writes is not even fetched (NULL). No path
            # column: its text for each of 37,000 rows would cost more than the check.
            for (record,) in self._writer.execute(
                    "SELECT CASE WHEN length(record) <= ? THEN record END FROM entries",
                    (MAX_RECORD,)):
                entry = self._decode(record)
                if entry is None:
                    damaged += 1
                else:  # the file's own path comes first among what an entry depends on
                    entries[entry.path] = entry
        except (sqlite3.Error, ValueError, TypeError, EOFError) as exc:
            self._fail(exc)
            return {}
        if damaged:
            log.warning("content index %s: %d damaged entries not used, their files are read"
                        " again", self.path, damaged)
        return entries

    def _reset(self, settings_key: str) -> None:
        assert self._writer is not None
        with self._writer:
            self._begin()
            self._writer.execute("DELETE FROM entries")  # texts stay: the screen may show them
            self._writer.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                     [("reader", reader_version()),
                                      ("settings", settings_key)])
        self._tidy_all = True  # those the screen does not show go at the next write

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
            row = self._writer.execute(
                "SELECT CASE WHEN length(record) <= ? THEN record END FROM entries"
                " WHERE path = ?", (MAX_RECORD, path)).fetchone()
            if row is None:
                return None
            entry = self._decode(row[0])
        except (sqlite3.Error, ValueError, TypeError, EOFError) as exc:
            self._fail(exc)
            return None
        if entry is None:
            log.warning("content index %s: the entry of %r was damaged, its file is read again",
                        self.path, path)
        return entry

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
                deleted = self._tidy()
        except (sqlite3.Error, ValueError) as exc:
            self._fail(exc)
            return
        if deleted:
            self._give_back_pages()

    # -- the other files (YAML files, pictures: kiosk.core.content.kept) ---------------------------

    def _prepare_kept(self) -> None:
        """Their table (in the writer's transaction), emptied when another version of the code
        wrote it: the records are checked against the files, not against the code."""
        assert self._writer is not None
        self._writer.execute("CREATE TABLE IF NOT EXISTS kept"
                             " (key TEXT PRIMARY KEY, record BLOB NOT NULL)")
        found = self._writer.execute(
            "SELECT value FROM meta WHERE key = 'kept_reader'").fetchone()
        if found is None or found[0] != reader_version():
            self._writer.execute("DELETE FROM kept")
            self._writer.execute("INSERT OR REPLACE INTO meta VALUES ('kept_reader', ?)",
                                 (reader_version(),))

    def kept(self, key: str) -> bytes | None:
        """The record kept for `key`, if there is one of a size a record can have."""
        if self.broken or self._writer is None:
            return None
        try:
            found = self._writer.execute(
                "SELECT record FROM kept WHERE key = ? AND length(record) <= ?",
                (key, MAX_RECORD)).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        return found[0] if found is not None and isinstance(found[0], bytes) else None

    def keep(self, records: Mapping[str, bytes], used: set[str] | None) -> None:
        """Save these records; with `used`, forget every other (files gone, or renamed)."""
        if self.broken or self._writer is None or (not records and used is None):
            return
        try:
            with self._writer:
                self._begin()
                self._writer.executemany("INSERT OR REPLACE INTO kept VALUES (?, ?)",
                                         list(records.items()))
                if used is not None:
                    gone = [(key,) for (key,) in self._writer.execute("SELECT key FROM kept")
                            if key not in used]
                    self._writer.executemany("DELETE FROM kept WHERE key = ?", gone)
        except sqlite3.Error as exc:
            self._fail(exc)

    # -- texts -----------------------------------------------------------------------------

    def store_body(self, text: Text) -> Text:
        """Keep `text` in the index, and a StoredText for it in memory; `text` itself if the
        index cannot take it."""
        if self.broken or self._writer is None:
            return text
        ru, en = text.ru, text.en
        # The same text is kept once: a file read again (its change time moved, as every
        # file's does at a hard-link publish) finds its text already there.
        digest = hashes.blake2b(f"{len(ru)}:{ru}{en}".encode("utf-8", "surrogatepass"),
                                 digest_size=16).digest()
        try:
            self._begin()  # committed with the entries, at the end of the load
            cursor = self._writer.execute(
                "INSERT OR IGNORE INTO bodies (digest, ru, en) VALUES (?, ?, ?)", (digest, ru, en))
            row = cursor.lastrowid if cursor.rowcount == 1 else self._writer.execute(
                "SELECT id FROM bodies WHERE digest = ?", (digest,)).fetchone()[0]
        except (sqlite3.Error, TypeError) as exc:
            self._fail(exc)
            return text
        assert row is not None
        return StoredText(self, row)

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
        if self._unlock is not None:
            self._unlock()  # once: a finalizer is called at most once

    # -- records ---------------------------------------------------------------------------
    # marshal of plain tuples: several times faster to read back than pickle, and reading it
    # never runs code. But it trusts the counts it reads: five damaged bytes can ask it for a
    # tuple of 2**31 items (16 GB touched). So each record ends in the CRC-32 of the rest, and
    # only a record whose whole CRC-32 is then `_SEALED` is given to marshal (which ignores
    # the 4 bytes after its data). SQLite's writes are atomic: only a damaged disk or a foreign
    # write gets a record wrong, and a damaged record reads as missing (its file is read
    # again). CRC-32: ~0.26 µs a record (2 % of reading one), BLAKE2b ~0.7 µs.

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
        data = marshal.dumps((entry.depends_on, record, body, problems))
        return data + zlib.crc32(data).to_bytes(4, "little")

    def _decode(self, blob: Any) -> IndexEntry | None:
        """The entry a record holds; None if it is not one the kiosk wrote (damaged, or NULL:
        too long to be one, or a number or text where a record should be)."""
        if type(blob) is not bytes or zlib.crc32(blob) != _SEALED:
            return None
        depends_on, record, body, problems = marshal.loads(blob)
        item: AnniversaryPage | Story | None = None
        if record is not None:
            row, ru, en = body
            text: Text = StoredText(self, row) if row is not None else Text(ru, en)
            kind, item_id, source, title_ru, title_en, schedule, duration = record[:7]
            teaser = _NO_TEXT if not record[7] and not record[8] else Text(*record[7:9])
            if kind == "story":
                centre_ru, centre_en, date, tags, photo, example, attract = record[9:]
                # The paths' texts are those the entry depends on (kept anyway): not copied.
                item = Story(item_id, text_path(_same(source, depends_on)),
                             Text(title_ru, title_ru if title_en == title_ru else title_en),
                             text, _shared_text(centre_ru, centre_en),
                             _shared_date(date) if date is not None else None,
                             _shared_tags(tags),
                             text_path(_same(photo, depends_on)) if photo else None, example,
                             attract, duration, _decode_schedule(schedule), teaser)
            else:
                (image,) = record[9:]
                item = AnniversaryPage(item_id, Path(source), Text(title_ru, title_en), text,
                                       Path(image) if image else None, duration,
                                       _decode_schedule(schedule), teaser)
        return IndexEntry.of(
            depends_on,
            item,
            tuple(Problem(path, line, Severity(severity), code, dict(args))
                  for path, line, severity, code, args in problems))


# The CRC-32 of any bytes followed by their own CRC-32 (little-endian): a record is sealed.
_SEALED = 0x2144DF1C


def slim_path(path: Path, depends_on: Dependencies) -> Path:
    """`path` as one that keeps only its text (kiosk.core.content.textpath), the text of the
    dependency that equals it where one does: an item just read has Paths split into parts
    (~280 bytes each), and its entry keeps the text anyway."""
    return text_path(_same(str(path), depends_on))


def kept_story(story: S, body: Text, depends_on: Dependencies) -> S:
    """A story just read from its file, as compact as one read from the index (after a
    publish every story is read again): its paths keep only their text, its centre, tags,
    date and empty teaser are the objects the other stories have."""
    return replace(
        story, body=body, source=slim_path(story.source, depends_on),
        photo=None if story.photo is None else slim_path(story.photo, depends_on),
        centre=_shared_text(story.centre.ru, story.centre.en),
        date=None if story.date is None else _shared_date(story.date.toordinal()),
        tags=_shared_tags(story.tags),
        teaser=story.teaser if story.teaser.ru or story.teaser.en else _NO_TEXT)


def _same(text: str, depends_on: Dependencies) -> str:
    """`text` as the string of `depends_on` that equals it, if one does (one object, not two)."""
    for path, _ in depends_on:
        if path == text:
            return path
    return text


def _body_row(entry: IndexEntry) -> int | None:
    text = entry.item.body if entry.item is not None else None
    return text._row if isinstance(text, StoredText) else None


# The same centre and the same tags recur across thousands of stories: one object each.
_TEXTS: dict[tuple[str, str], Text] = {}
_TAGS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _shared_text(ru: str, en: str) -> Text:
    return _TEXTS.setdefault((ru, en), Text(ru, en)) if len(_TEXTS) < 10_000 else Text(ru, en)


def _shared_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    return _TAGS.setdefault(tags, tags) if len(_TAGS) < 10_000 else tags


# Most stories have no teaser, and their dates fall on a few thousand days: one object each
# rather than one a story (37,000 stories: ~3 MB).
_NO_TEXT = Text("", "")
_DATES: dict[int, dt.date] = {}


def _shared_date(ordinal: int) -> dt.date:
    found = _DATES.get(ordinal)
    if found is None:
        found = dt.date.fromordinal(ordinal)
        if len(_DATES) < 10_000:
            _DATES[ordinal] = found
    return found


def _encode_schedule(schedule: Schedule) -> tuple[Any, ...] | None:
    if schedule == ALWAYS:
        return None
    return (schedule.start.toordinal() if schedule.start else None,
            schedule.end.toordinal() if schedule.end else None,
            tuple(sorted(schedule.weekdays)) if schedule.weekdays is not None else None,
            tuple((start.isoformat(), end.isoformat()) for start, end in schedule.hours),
            schedule.before_closed, schedule.on_closed,
            tuple(sorted(schedule.months)) if schedule.months is not None else None,
            schedule.yearly)


def _decode_schedule(data: tuple[Any, ...] | None) -> Schedule:
    if data is None:
        return ALWAYS
    start, end, weekdays, hours, before_closed, on_closed, months, yearly = data
    return Schedule(dt.date.fromordinal(start) if start is not None else None,
                    dt.date.fromordinal(end) if end is not None else None,
                    frozenset(weekdays) if weekdays is not None else None,
                    tuple((dt.time.fromisoformat(a), dt.time.fromisoformat(b))
                          for a, b in hours), before_closed, on_closed,
                    frozenset(months) if months is not None else None,
                    (tuple(yearly[0]), tuple(yearly[1])) if yearly is not None else None)


# -- index files no kiosk needs any more ------------------------------------------------------


def _lock_path(path: Path) -> Path:
    # A file of its own: closing it never drops the locks SQLite holds on the index itself.
    return path.with_name(path.name + ".lock")


def _hold_lock(path: Path) -> int:
    """A shared lock on the index at `path`, held by the returned descriptor: the index is in
    use. Waits only while another kiosk's `_sweep` decides about it (microseconds)."""
    lock = _lock_path(path)
    for _ in range(10):
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            if os.fstat(fd).st_ino == os.stat(lock, follow_symlinks=False).st_ino:
                return fd
        except FileNotFoundError:
            pass  # deleted by a sweep while we waited: make it again
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    raise OSError(f"{lock} keeps being deleted")


_SUFFIXES = ("", "-wal", "-shm", "-journal")  # the database and SQLite's files beside it
# The files the kiosk makes in the cache folder: the index and SQLite's files, and its lock.
_INDEX_FILE = re.compile(r"(index-[0-9a-f]{16}\.sqlite)(-wal|-shm|-journal|\.lock)?")


def _delete_index(path: Path, lock: bool = True) -> None:
    for suffix in (*_SUFFIXES, *((".lock",) if lock else ())):
        path.with_name(path.name + suffix).unlink(missing_ok=True)  # a link itself, if one


def _sweep(keep: Path, now: float | None = None) -> None:
    """Delete the index files beside `keep` that no kiosk has open and that nobody will need.
    Never raises: tidying a cache must not stop the kiosk."""
    try:
        _sweep_folder(keep, now)
    except Exception as exc:
        log.warning("content index folder %s not tidied: %s", keep.parent, exc)


def _sweep_folder(keep: Path, now: float | None) -> None:
    kept: list[tuple[float, Path, int]] = []
    try:
        for name, whole in sorted(_other_indexes(keep).items())[:MAX_SWEPT]:
            other = keep.with_name(name)
            fd = _try_lock(other)
            if fd is None:
                continue  # in use
            if not whole:
                _forget(other, fd, "what was left of an index whose database is gone")
                continue
            meta = _recorded(other)
            if meta is None:  # being written after all: left alone
                os.close(fd)
                continue
            last_used = _last_used(other)
            why = _not_needed(meta, (now - last_used) / 86400 if now is not None else 0.0)
            if why is not None:
                _forget(other, fd, why)
            else:
                kept.append((last_used, other, fd))
        kept.sort(reverse=True)
        while len(kept) >= MAX_INDEXES:
            _, other, fd = kept.pop()
            _forget(other, fd, f"more than {MAX_INDEXES} index files")
    finally:
        for _, _, fd in kept:
            os.close(fd)


def _not_needed(meta: Mapping[str, str], idle_days: float) -> str | None:
    """Why an index no kiosk has open will not be needed, if it will not."""
    root, reader = meta.get("root"), meta.get("reader")
    if not root:
        return "an old format"
    if not os.path.lexists(root):
        return "its content folder is gone"
    if reader is None:
        return "nothing was ever read into it"
    if reader != reader_version():
        return "made by another version of the kiosk (it would be read anew)"
    if idle_days > MAX_IDLE_DAYS:
        return f"not used for {idle_days:.0f} days"
    return None


def _other_indexes(keep: Path) -> dict[str, bool]:
    """The index files beside `keep` (of at most MAX_LISTED entries of the folder), by the
    database's name: whether the database is there, or only what SQLite or the lock left.
    Only regular files named as the kiosk names them: an index with anything else by one of
    its names (a link, a folder) is not the kiosk's to delete."""
    found: dict[str, bool] = {}
    foreign: set[str] = set()
    with os.scandir(keep.parent) as entries:
        for count, entry in enumerate(entries):
            if count >= MAX_LISTED:
                break
            match = _INDEX_FILE.fullmatch(entry.name)
            if match is None or match[1] == keep.name:
                continue
            if not entry.is_file(follow_symlinks=False):
                foreign.add(match[1])
            found[match[1]] = found.get(match[1], False) or match[2] is None
    return {name: whole for name, whole in found.items() if name not in foreign}


def _try_lock(path: Path) -> int | None:
    """An exclusive lock on the index at `path`, or None if a kiosk has it open."""
    try:
        fd = os.open(_lock_path(path), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _forget(path: Path, fd: int, why: str) -> None:
    try:
        _delete_index(path)
        log.info("content index %s deleted: %s", path, why)
    except OSError as exc:
        log.warning("content index %s cannot be deleted: %s", path, exc)
    finally:
        os.close(fd)  # after the deletion: a kiosk waiting for it then makes a new one


def _recorded(path: Path) -> dict[str, str] | None:
    """What an index of this format says of itself: its content folder (`root`) and the code
    that read it (`reader`); empty if it is of another format, damaged or not a database; None
    if another process is writing it. Never through a link."""
    # Read-write: a file a kiosk was killed with needs its log replayed to be read.
    address = f"file:{urllib.parse.quote(os.fspath(path))}?mode=rw&nofollow=1"
    try:
        connection = sqlite3.connect(address, uri=True, timeout=0)
    except sqlite3.Error:
        return {}
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] != INDEX_FORMAT:
            return {}
        return {str(key): str(value) for key, value in connection.execute(
            "SELECT key, value FROM meta WHERE key IN ('root', 'reader')")}
    except sqlite3.Error as exc:
        busy = getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY,
                                                              sqlite3.SQLITE_LOCKED)
        return None if busy else {}
    finally:
        connection.close()


def _last_used(path: Path) -> float:
    times = []
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            times.append(os.lstat(path.with_name(path.name + suffix)).st_mtime)
    return max(times, default=0.0)


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """The file is not a database, or a damaged one (not merely busy or unwritable)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
