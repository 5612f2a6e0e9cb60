"""The unattended duties wired to the real window: usage counted from what a visitor does,
the status file, READY and watchdog pings to a real notify socket."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.core.service.recent_log import RecentLog
from kiosk.core.service.safemode import CrashGuard
from kiosk.core.service.sdnotify import Notifier
from kiosk.core.service.stats import Event, StatsStore
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.menu import Destination
from kiosk.ui.service.operations import Operations, OpsConfig
from kiosk.ui.service.stats_recorder import StatsRecorder
from tests.helpers import BUNDLED
from tests.ui.conftest import FakeClock
from tests.ui.test_navigation import go_idle, open_menu, tap, turn


@pytest.fixture
def counted(window: KioskWindow) -> list[tuple[Event, dt.datetime]]:
    events: list[tuple[Event, dt.datetime]] = []
    StatsRecorder(window, lambda event, when: events.append((event, when)))
    return events


def names(events: list[tuple[Event, dt.datetime]]) -> list[str]:
    return [event.value for event, _ in events]


def test_a_visit_is_counted_event_by_event(qtbot: QtBot, window: KioskWindow, clock: FakeClock,
                                           counted: list[tuple[Event, dt.datetime]]) -> None:
    open_menu(qtbot, window)
    assert names(counted) == ["session_started", "menu_open"]
    tap(qtbot, window.menu.tiles[Destination.STORIES])
    turn(qtbot, window.stories)  # through the pages of the first story to the second
    turn(qtbot, window.stories, by_swipe=True)
    window.set_language("en")  # re-rendering the same story is not another read
    tap(qtbot, window.stories.top_bar.home_button)
    tap(qtbot, window.menu.tiles[Destination.ANNIVERSARY])
    tap(qtbot, window.anniversary.top_bar.home_button)
    assert names(counted)[2:] == ["story_read", "story_read", "story_read", "menu_open",
                                  "anniversary_open", "menu_open"]
    go_idle(qtbot, window, clock)
    clock.advance(window.content.settings.warning_seconds)
    qtbot.waitUntil(lambda: window.current_screen is window.attract)
    assert names(counted)[-1] == "idle_reset"
    # Local time of the centre, to the hour at most in what is stored.
    assert all(when.tzinfo is not None for _, when in counted)


def test_reads_are_still_counted_after_the_large_text_switch(
        qtbot: QtBot, window: KioskWindow, counted: list[tuple[Event, dt.datetime]]) -> None:
    # The switch builds the visitor's screens anew; the counting must follow them.
    open_menu(qtbot, window)
    tap(qtbot, window.menu.tiles[Destination.STORIES])
    window.set_high_contrast(True)
    assert window.current_screen is window.stories
    before = names(counted).count("story_read")
    turn(qtbot, window.stories)
    assert names(counted).count("story_read") == before + 1
    tap(qtbot, window.stories.top_bar.home_button)
    tap(qtbot, window.menu.tiles[Destination.COLOURING])
    tap(qtbot, window.picker.thumbnails[0])
    screen = window.colouring
    qtbot.waitUntil(lambda: screen.canvas is not None, timeout=5000)
    qtbot.mouseClick(screen.done_button, Qt.MouseButton.LeftButton)
    assert names(counted)[-2:] == ["colouring_started", "colouring_finished"]
    screen.celebration.hide()


def test_colouring_started_and_finished_once_per_picture(
        qtbot: QtBot, window: KioskWindow, counted: list[tuple[Event, dt.datetime]]) -> None:
    open_menu(qtbot, window)
    tap(qtbot, window.menu.tiles[Destination.COLOURING])
    tap(qtbot, window.picker.thumbnails[0])
    screen = window.colouring
    qtbot.waitUntil(lambda: screen.canvas is not None, timeout=5000)
    qtbot.mouseClick(screen.done_button, Qt.MouseButton.LeftButton)
    screen.celebration.hide()
    qtbot.mouseClick(screen.done_button, Qt.MouseButton.LeftButton)  # again: the same picture
    assert names(counted)[2:] == ["colouring_started", "colouring_finished"]
    screen.celebration.hide()
    qtbot.mouseClick(screen.pictures_button, Qt.MouseButton.LeftButton)
    tap(qtbot, window.picker.thumbnails[1])
    qtbot.waitUntil(lambda: screen.canvas is not None, timeout=5000)
    qtbot.mouseClick(screen.done_button, Qt.MouseButton.LeftButton)
    assert names(counted)[4:] == ["colouring_started", "colouring_finished"]
    screen.celebration.hide()


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.setblocking(False)
    yield sock, path
    sock.close()


def received(sock: socket.socket) -> list[bytes]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096))
        except BlockingIOError:
            return messages


def test_ready_then_watchdog_from_the_event_loop_and_a_status_file(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path, clock: FakeClock,
        notify_socket: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch) -> None:
    sock, path = notify_socket
    monkeypatch.setenv("WATCHDOG_USEC", "300000")  # a ping every 0.1 s
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    state = tmp_path / "state"
    state.mkdir()
    guard = CrashGuard(state / "starts.json", state / "last-good", good_after=60)
    decision = guard.start(time.time())
    config = OpsConfig(state, state / "kiosk.prom", BUNDLED, BUNDLED)
    ops = Operations(window, config, guard, decision, None, Notifier({"NOTIFY_SOCKET": path}),
                     clock=clock)
    window.attract.stage.update()
    qtbot.waitUntil(lambda: ops.ready_sent)
    seen: list[bytes] = []

    def pinged_three_times() -> bool:
        seen.extend(received(sock))
        return seen.count(b"WATCHDOG=1") >= 3

    qtbot.waitUntil(pinged_three_times)
    assert any(m.startswith(b"READY=1\nSTATUS=") for m in seen)
    ops.content_shown(("folder", ()))
    qtbot.waitUntil(lambda: ops.status_writes == 1)
    text = (state / "kiosk.prom").read_text()
    assert "kiosk_up 1" in text and "kiosk_safe_mode 0" in text
    assert "kiosk_last_touch_timestamp_seconds 0" in text
    open_menu(qtbot, window)
    clock.advance(61)
    ops.tick()  # the 30 s timer's work
    qtbot.waitUntil(lambda: ops.status_writes == 2)
    last_touch = float((state / "kiosk.prom").read_text().split(
        "\nkiosk_last_touch_timestamp_seconds ")[1].split()[0])
    assert abs(last_touch - (time.time() - 61)) < 5
    assert guard.marked  # up 60 s: this start is good
    received(sock)  # read what came meanwhile: a full socket queue drops messages
    ops.shutdown()
    messages = received(sock)
    assert messages[-1] == b"STOPPING=1"
    assert "kiosk_up 0" in (state / "kiosk.prom").read_text()
    assert CrashGuard(state / "starts.json", state / "x").start(0).crashes_total == 0
    store = StatsStore(state / "stats.sqlite3")
    # The visitor came before the start was over (no `startup_done`): counted once each.
    assert sorted((r.event, r.count) for r in store.counts()) == [
        (Event.MENU_OPEN, 1), (Event.SESSION_STARTED, 1)]


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])  # once
def test_a_status_file_that_cannot_be_written_is_said_once_not_every_30_s(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path, clock: FakeClock) -> None:
    """The disk is full for a day: the staff diagnostics' recent problems still show what
    else went wrong (a warning every 30 s filled all 20 of them in ten minutes)."""
    state = tmp_path / "state"
    status = state / "kiosk.prom"
    status.mkdir(parents=True)  # in its way: every write fails, as on a full disk
    ops = Operations(window, OpsConfig(state, status, BUNDLED, BUNDLED), None, None, None,
                     Notifier({}), clock=clock)
    ops.status_timer.stop()
    recent = RecentLog()
    root = logging.getLogger()
    root.addHandler(recent)
    try:
        logging.getLogger("kiosk.ui.photos").warning("picture x.jpg not shown: damaged")
        for _ in range(20):  # ten minutes of the status timer
            ops.tick()
            qtbot.waitUntil(lambda: not ops._writing)
        lines = recent.lines()
        assert sum("status file" in line for line in lines) == 1
        assert any("x.jpg" in line for line in lines)
        status.rmdir()  # space again
        ops.tick()
        qtbot.waitUntil(lambda: ops.status_writes == 1)
        assert "kiosk_up 1" in status.read_text()
    finally:
        root.removeHandler(recent)


def test_visitors_after_the_start_are_counted_once(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path, clock: FakeClock) -> None:
    """Statistics start with the first frame (`startup_done`: their imports do not delay
    it); a visitor after it is counted as one before it is (above), once."""
    ops = Operations(window, OpsConfig(tmp_path, None, BUNDLED, BUNDLED), None, None, None,
                     Notifier({}), clock=clock)
    ops.startup_done()
    open_menu(qtbot, window)
    ops.shutdown()
    assert sorted((r.event.value, r.count) for r in StatsStore(tmp_path / "stats.sqlite3")
                  .counts()) == [("menu_open", 1), ("session_started", 1)]


def test_the_screen_turned_on_at_the_start_is_written_once_the_start_is_over(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path, clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen sleep's first look comes before the first frame of content: the status file
    says what it found just after that frame, which does not wait the ~3 ms (issue 18)."""
    status = tmp_path / "kiosk.prom"
    ops = Operations(window, OpsConfig(tmp_path, status, BUNDLED, BUNDLED), None, None, None,
                     Notifier({}), clock=clock)
    ticks: list[bool] = []  # whether the first frame was painted, at each
    real_tick = ops.tick

    def tick() -> None:
        ticks.append(ops.ready_sent)
        real_tick()

    monkeypatch.setattr(ops, "tick", tick)
    window.screen_sleep.start()  # the screen on: no opening hours
    assert window.screen_sleep.report is not None and window.screen_sleep.report.on
    assert ticks == [] and not status.exists()
    window.attract.stage.update()
    qtbot.waitUntil(lambda: ops.ready_sent)  # READY=1 at the first frame, neutral or not
    assert ticks == []
    ops.startup_done()  # the first frame of content: the start is over (kiosk.ui.app)
    qtbot.waitUntil(lambda: ops.status_writes == 1)
    assert ticks == [True] and "kiosk_up 1" in status.read_text()
    window.screen_sleep.changed.emit(window.screen_sleep.report)  # later: at once
    assert ticks == [True, True]
    qtbot.waitUntil(lambda: ops.status_writes == 2)
    ops.shutdown()


def test_a_run_counts_as_good_after_its_time_on_the_real_clock(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path) -> None:
    guard = CrashGuard(tmp_path / "starts.json", tmp_path / "last-good", good_after=0.3)
    ops = Operations(window, OpsConfig(None, None, BUNDLED, BUNDLED), guard,
                     guard.start(time.time()), None, Notifier({}))
    assert not guard.marked
    qtbot.waitUntil(lambda: guard.marked, timeout=3000)
    assert '"state": "good"' in (tmp_path / "starts.json").read_text()
    ops.shutdown()


def test_after_a_crash_loop_the_last_content_that_worked_is_shown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from kiosk.core.content.reload import fingerprint
    from kiosk.core.service.status import short_hash
    from kiosk.ui.service.operations import start_operations
    from tests.helpers import copy_bundled

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # start_operations replaces them
    state, content = tmp_path / "state", copy_bundled(tmp_path)
    first = start_operations(content, state)
    assert first.guard is not None and first.config.content_dir == content
    first.guard.mark_good()
    assert first.guard.save_snapshot(content, short_hash(fingerprint(content)), 0.0)
    for _ in range(3):  # then three deaths right after starting
        assert start_operations(content, state).config.content_dir == content
    safe = start_operations(content, state)
    assert safe.decision is not None and safe.decision.safe_mode
    assert safe.config.content_dir == state / "last-good-content"
    assert safe.config.live_content_dir == content
    assert safe.config.status_file == state / "kiosk.prom"
    for handler in logging.getLogger().handlers:
        handler.close()


def test_a_status_file_in_a_missing_folder_goes_to_the_state_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--status-file /var/lib/prometheus/node-exporter/kiosk.prom` without node_exporter
    installed: as the units and docs/deploy.md say, kiosk.prom is kept in the state folder
    (it was written nowhere, with a warning every 30 s); said once, at the start."""
    import logging

    from kiosk.ui.service.operations import start_operations

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # start_operations replaces them
    state = tmp_path / "state"
    asked = tmp_path / "node-exporter" / "kiosk.prom"
    started = start_operations(BUNDLED, state, asked)
    assert started.config.status_file == state / "kiosk.prom"
    (tmp_path / "node-exporter").mkdir()  # where it is there, it is used
    assert start_operations(BUNDLED, state, asked).config.status_file == asked
    for handler in logging.getLogger().handlers:
        handler.close()
    lines = (state / "logs" / "kiosk.log").read_text(encoding="utf-8").splitlines()
    said = [line for line in lines if "does not exist" in line]
    assert len(said) == 1 and said[0].endswith(
        f"status file folder {tmp_path / 'node-exporter'} does not exist: writing "
        f"{state / 'kiosk.prom'} instead")
