"""Anonymous usage counters: how often each thing was used, by local day and hour.

Nothing about a person is stored: no ids, no content of what was drawn, no time finer than the
hour. One row per (day, hour, event) holds a count.

Durability: the database is in WAL mode and every event is its own transaction with
`synchronous=FULL`, so a commit is on the disk when `record` returns. `kill -9` or a power cut
loses at most the event being written, and SQLite's journal guarantees the file is never
corrupt. (`NORMAL` would be as safe against `kill -9` but could lose the last several events
on a power cut; FULL costs one fsync per event, ~0.3 ms on this SSD, more on an SD card: events
come a few a minute, and `StatsWriter` keeps the fsync off the UI thread anyway.)

Statistics must never stop the kiosk: a locked, corrupt, missing or unwritable database is
logged and the event dropped. A file that is not a database (or is damaged) is moved aside and
a fresh one started, so counting resumes by itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.paths import private_database

if TYPE_CHECKING:
    import sqlite3

log = logging.getLogger(__name__)


class Event(StrEnum):
    MENU_OPEN = "menu_open"
    STORY_READ = "story_read"
    ANNIVERSARY_OPEN = "anniversary_open"
    COLOURING_STARTED = "colouring_started"
    COLOURING_FINISHED = "colouring_finished"
    SESSION_STARTED = "session_started"
    IDLE_RESET = "idle_reset"


EVENT_NAMES_RU: dict[Event, str] = {
    Event.MENU_OPEN: "открыли меню",
    Event.STORY_READ: "прочитали историю",
    Event.ANNIVERSARY_OPEN: "открыли юбилейную историю",
    Event.COLOURING_STARTED: "начали раскраску",
    Event.COLOURING_FINISHED: "закончили раскраску («Готово»)",
    Event.SESSION_STARTED: "посетитель коснулся экрана",
    Event.IDLE_RESET: "сброс по бездействию",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS counts (
    day TEXT NOT NULL,                       -- local date, YYYY-MM-DD
    hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    event TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (day, hour, event)
) WITHOUT ROWID
"""
UPSERT = ("INSERT INTO counts (day, hour, event, count) VALUES (?, ?, ?, 1) "
          "ON CONFLICT (day, hour, event) DO UPDATE SET count = count + 1")
BUSY_TIMEOUT_MS = 200  # a reader (`kiosk stats`) never holds the lock longer than this
# A computer without a clock battery starts in 1970 (or 2000) until NTP sets it: events it
# dates before this day are not counted, rather than counted on a day that never was.
CLOCK_SET_SINCE = dt.date(2026, 1, 1)
RETRY_AFTER = 60.0  # seconds between attempts to reopen a database that failed


@dataclass(frozen=True)
class CountRow:
    day: dt.date
    hour: int
    event: Event
    count: int


class StatsUnavailable(Exception):
    """The database could not be read (for `kiosk stats`; recording never raises)."""


class StatsStore:
    """The counters in one SQLite file. `record` never raises; `counts` raises
    StatsUnavailable with a plain reason."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self.clock = clock
        self.errors = 0  # events dropped (diagnostics, status file)
        self._db: sqlite3.Connection | None = None
        self._failed_at: float | None = None
        self._unset_clock_said = False

    # -- writing ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        import sqlite3  # here: the kiosk's start-up never waits for it

        private_database(self.path)  # 0600: when the centre is busy is nobody else's business
        db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                             check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute(SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _connection(self) -> sqlite3.Connection | None:
        import sqlite3

        if self._db is not None:
            return self._db
        now = self.clock()
        if self._failed_at is not None and now - self._failed_at < RETRY_AFTER:
            return None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if _is_damaged(exc) and self._move_aside():
                try:
                    self._db = self._open()
                except (sqlite3.Error, OSError) as again:
                    self._fail(again)
            else:
                self._fail(exc)
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)
        if self._db is not None:
            self._failed_at = None
        return self._db

    def _fail(self, exc: BaseException) -> None:
        if self._failed_at is None:
            log.error("statistics unavailable (%s): %s; the kiosk goes on without them",
                      self.path, exc)
        self._failed_at = self.clock()

    def _move_aside(self) -> bool:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                extra = self.path.with_name(self.path.name + suffix)
                if extra.exists():
                    os.replace(extra, aside.with_name(aside.name + suffix))
        except OSError as exc:
            log.error("damaged statistics file %s cannot be moved aside: %s", self.path, exc)
            return False
        log.error("statistics file %s was damaged; kept as %s, counting starts afresh",
                  self.path, aside)
        return True

    def record(self, event: Event, when: dt.datetime) -> bool:
        """Count one event at local time `when`, in its own transaction. False if dropped."""
        import sqlite3

        if when.date() < CLOCK_SET_SINCE:
            if not self._unset_clock_said:
                log.warning("statistics: the clock reads %s, not set yet: events are not "
                            "counted until it is", when.date().isoformat())
                self._unset_clock_said = True
            return False
        self._unset_clock_said = False
        db = self._connection()
        if db is None:
            self.errors += 1
            return False
        try:
            db.execute(UPSERT, (when.date().isoformat(), when.hour, event.value))
            return True
        except (sqlite3.Error, OSError) as exc:
            self.errors += 1
            log.warning("statistics: %s not counted: %s", event.value, exc)
            if not isinstance(exc, sqlite3.OperationalError) or "locked" not in str(exc):
                self._drop_connection()  # reopen next time (a damaged file is moved aside)
                self._fail(exc)
            return False

    def _drop_connection(self) -> None:
        import sqlite3

        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def close(self) -> None:
        self._drop_connection()

    # -- reading ---------------------------------------------------------------------------

    def counts(self, from_date: dt.date | None = None,
               to_date: dt.date | None = None) -> list[CountRow]:
        """Rows in [from_date, to_date] (either end open), by day, hour, event."""
        import sqlite3

        if not self.path.is_file():
            raise StatsUnavailable(f"файла статистики нет: {self.path}")
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                 timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                rows = db.execute(
                    "SELECT day, hour, event, count FROM counts WHERE day >= ? AND day <= ? "
                    "ORDER BY day, hour, event",
                    ((from_date or dt.date.min).isoformat(),
                     (to_date or dt.date.max).isoformat())).fetchall()
            finally:
                db.close()
        except sqlite3.Error as exc:
            raise StatsUnavailable(f"файл статистики {self.path} не читается: {exc}") from exc
        known = {e.value: e for e in Event}
        return [CountRow(dt.date.fromisoformat(day), hour, known[event], count)
                for day, hour, event, count in rows if event in known]


def _is_damaged(exc: sqlite3.DatabaseError) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name in {"SQLITE_NOTADB", "SQLITE_CORRUPT"} or "not a database" in str(exc)


_STOP = object()


class StatsWriter:
    """Records events on a thread of its own, so an fsync on a slow disk never holds up a
    tap. Events queue in memory for the few milliseconds a write takes; `kill -9` loses only
    those. The thread is a daemon: a disk that hangs can never hang the kiosk's exit."""

    def __init__(self, store: StatsStore) -> None:
        self.store = store
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="kiosk-stats", daemon=True)
        self._thread.start()

    def record(self, event: Event, when: dt.datetime) -> None:
        self._queue.put((event, when))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            assert isinstance(item, tuple)
            event, payload = item
            if isinstance(payload, threading.Event):
                payload.set()  # a flush marker: everything before it is written
                continue
            try:
                self.store.record(event, payload)
            except Exception:  # never let the writer die: later events still count
                log.exception("statistics writer")
        self.store.close()

    def flush(self, timeout: float = 2.0) -> bool:
        """Wait until everything queued is written (tests, exit)."""
        done = threading.Event()
        self._queue.put((None, done))  # a marker the thread sets when it reaches it
        return done.wait(timeout)

    def close(self, timeout: float = 2.0) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout)
