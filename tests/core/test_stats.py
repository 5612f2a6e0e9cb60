"""Anonymous counters: what is stored, that kill -9 never corrupts the file, and that a broken
database never stops the kiosk."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.core.service.stats import Event, StatsStore, StatsUnavailable, StatsWriter

MORNING = dt.datetime(2026, 11, 27, 10, 15)


def test_counts_by_day_hour_and_event(tmp_path: Path) -> None:
    store = StatsStore(tmp_path / "stats.sqlite3")
    for minute in (1, 20, 59):
        assert store.record(Event.MENU_OPEN, MORNING.replace(minute=minute))
    store.record(Event.STORY_READ, MORNING)
    store.record(Event.MENU_OPEN, MORNING.replace(hour=11))
    store.record(Event.IDLE_RESET, MORNING + dt.timedelta(days=1))
    store.close()
    rows = [(r.day.isoformat(), r.hour, r.event.value, r.count)
            for r in StatsStore(tmp_path / "stats.sqlite3").counts()]
    assert rows == [("2026-11-27", 10, "menu_open", 3), ("2026-11-27", 10, "story_read", 1),
                    ("2026-11-27", 11, "menu_open", 1), ("2026-11-28", 10, "idle_reset", 1)]
    only_28 = StatsStore(tmp_path / "stats.sqlite3").counts(dt.date(2026, 11, 28),
                                                            dt.date(2026, 11, 28))
    assert [r.event for r in only_28] == [Event.IDLE_RESET]


def test_a_clock_not_set_yet_counts_nothing_until_it_is(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A computer without a clock battery starts in 1970 until NTP sets it: its first visits
    were counted on 1 January 1970, a day no report asks for, and lost to the real one."""
    store = StatsStore(tmp_path / "stats.sqlite3")
    with caplog.at_level(logging.WARNING):
        for minute in (1, 2, 3):
            assert not store.record(Event.MENU_OPEN, dt.datetime(1970, 1, 1, 0, minute))
    assert [r.message for r in caplog.records].count(
        "statistics: the clock reads 1970-01-01, not set yet: events are not counted until "
        "it is") == 1
    assert store.record(Event.MENU_OPEN, MORNING)  # set: counted from then on
    store.close()
    rows = [(r.day.isoformat(), r.count) for r in StatsStore(tmp_path / "stats.sqlite3").counts()]
    assert rows == [("2026-11-27", 1)]


def test_nothing_finer_than_the_hour_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "stats.sqlite3"
    store = StatsStore(path)
    store.record(Event.COLOURING_FINISHED, MORNING.replace(minute=42, second=17))
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT * FROM counts").fetchall() == [
            ("2026-11-27", 10, "colouring_finished", 1)]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_missing_database_is_reported_not_created(tmp_path: Path) -> None:
    with pytest.raises(StatsUnavailable, match="нет"):
        StatsStore(tmp_path / "none.sqlite3").counts()
    assert not (tmp_path / "none.sqlite3").exists()


WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from pathlib import Path
    from kiosk.core.service.stats import Event, StatsStore
    store = StatsStore(Path(sys.argv[1]))
    events = list(Event)
    start = dt.datetime(2026, 1, 1)
    i = 0
    while True:
        assert store.record(events[i % len(events)], start + dt.timedelta(hours=i % 48))
        i += 1
        print(i, flush=True)  # after the commit: i events are on disk
""")


def test_kill_9_during_writes_loses_at_most_the_last_event(tmp_path: Path) -> None:
    path = tmp_path / "stats.sqlite3"
    for round_ in range(3):  # each kill lands at a different point of a write
        before = sum(r.count for r in StatsStore(path).counts()) if round_ else 0
        with subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                              stdout=subprocess.PIPE, text=True) as child:
            assert child.stdout is not None
            confirmed = 0
            for line in child.stdout:
                confirmed = int(line)
                if confirmed >= 300 + 97 * round_:
                    break
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
            confirmed = max([confirmed, *(int(x) for x in child.stdout.read().split())])
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        total = sum(r.count for r in StatsStore(path).counts())
        # Every confirmed event is there; at most the one being written when killed is extra.
        assert confirmed <= total - before <= confirmed + 1


def test_a_garbage_file_is_moved_aside_and_counting_goes_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "stats.sqlite3"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    store = StatsStore(path)
    with caplog.at_level(logging.ERROR):
        assert store.record(Event.MENU_OPEN, MORNING)
    store.close()
    assert [r.count for r in StatsStore(path).counts()] == [1]
    kept = list(tmp_path.glob("stats.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not")
    assert "damaged" in caplog.text


def test_a_folder_where_the_file_should_be_drops_events_quietly(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "stats.sqlite3"
    path.mkdir()
    now = [0.0]
    store = StatsStore(path, clock=lambda: now[0])
    with caplog.at_level(logging.ERROR):
        assert not store.record(Event.MENU_OPEN, MORNING)
        assert not store.record(Event.MENU_OPEN, MORNING)
    assert store.errors == 2
    assert caplog.text.count("statistics unavailable") == 1  # said once, not per event
    path.rmdir()
    assert not store.record(Event.MENU_OPEN, MORNING)  # not retried at once …
    now[0] += 61
    assert store.record(Event.MENU_OPEN, MORNING)  # … but after a minute it recovers


def test_an_unwritable_folder_drops_events(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores permissions; a path under a regular file is unwritable for everyone
        (tmp_path / "file").write_text("x")
        path = tmp_path / "file" / "stats.sqlite3"
    else:
        folder = tmp_path / "ro"
        folder.mkdir(mode=0o500)
        path = folder / "stats.sqlite3"
    store = StatsStore(path)
    assert not store.record(Event.SESSION_STARTED, MORNING)
    assert store.errors == 1


def test_a_locked_database_drops_the_event_without_waiting_long(tmp_path: Path) -> None:
    path = tmp_path / "stats.sqlite3"
    store = StatsStore(path)
    assert store.record(Event.MENU_OPEN, MORNING)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert not store.record(Event.MENU_OPEN, MORNING)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.record(Event.MENU_OPEN, MORNING)  # the lock gone, counting goes on at once
    store.close()
    assert [r.count for r in StatsStore(path).counts()] == [2]


def test_the_writer_thread_writes_everything_queued(tmp_path: Path) -> None:
    writer = StatsWriter(StatsStore(tmp_path / "stats.sqlite3"))
    for _ in range(25):
        writer.record(Event.STORY_READ, MORNING)
    assert writer.flush()
    writer.close()
    assert [r.count for r in StatsStore(tmp_path / "stats.sqlite3").counts()] == [25]
