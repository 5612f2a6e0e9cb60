"""Faults the kiosk must shrug off: an exception in a slot or a coroutine, and the wall clock
jumping by hours."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.session import Phase
from kiosk.ui.app import ErrorCounter
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.menu import Destination
from kiosk.ui.resources import probe_image
from kiosk.ui.theme import Theme
from tests.helpers import REPO, make_folder, story
from tests.ui.conftest import FakeClock


def shown(window: KioskWindow) -> QWidget:
    return window.current_screen


@pytest.fixture
def hook() -> Iterator[ErrorCounter]:
    errors = ErrorCounter()
    previous = sys.excepthook
    sys.excepthook = errors.excepthook
    yield errors
    sys.excepthook = previous


@pytest.mark.qt_no_exception_capture
def test_a_failing_slot_is_logged_and_the_screen_stays(qtbot: QtBot, window: KioskWindow,
                                                       hook: ErrorCounter,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.menu.tiles[Destination.STORIES], Qt.MouseButton.LeftButton)

    def broken() -> None:
        raise ZeroDivisionError("a bug in a slot")

    window.stories.nav.next.clicked.connect(broken)
    stories = window.stories
    with caplog.at_level(logging.ERROR):
        qtbot.mouseClick(stories.nav.next, Qt.MouseButton.LeftButton)
    assert hook.count == 1
    assert "unhandled exception (the kiosk continues)" in caplog.text
    assert "ZeroDivisionError: a bug in a slot" in caplog.text
    assert shown(window) is stories and window.isVisible()
    assert (stories.index, stories.page) == (0, 1)  # the real slot ran too: the next page
    qtbot.mouseClick(stories.nav.next, Qt.MouseButton.LeftButton)
    assert (stories.index, stories.page) != (0, 1) and hook.count == 2  # and it still works


CHILD = """
import asyncio, logging, os, signal, sys
logging.basicConfig(level=logging.INFO)
from PySide6.QtCore import QTimer
from kiosk.ui import app

def boom():
    raise RuntimeError("slot boom")

async def failing_task():
    raise ValueError("task boom")

tasks = []

def watch(window):
    QTimer.singleShot(100, boom)  # a slot, called by Qt (during the start, likely)

    def in_the_loop():  # asyncio runs from the first frame of content on
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            QTimer.singleShot(20, in_the_loop)
            return
        loop.call_soon(boom)  # a callback, called by asyncio
        QTimer.singleShot(50, lambda: tasks.append(loop.create_task(failing_task())))
        QTimer.singleShot(1000, report)  # a task nobody awaits, above

    def report():
        tasks.clear()  # the failed task is collected: asyncio reports it
        import gc; gc.collect()
        QTimer.singleShot(50, lambda: (print("ALIVE", window.isVisible(),
              type(window.current_screen).__name__, app.ERRORS.count, flush=True),
              os.kill(os.getpid(), signal.SIGTERM)))
    in_the_loop()

from pathlib import Path
sys.exit(app.run(Path(sys.argv[1]), size=(1280, 720), on_window=watch))
"""


def test_exceptions_in_slots_callbacks_and_tasks_never_stop_the_kiosk(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(CHILD), str(REPO / "content")],
                            capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ALIVE True AttractScreen 3" in result.stdout, result.stderr[-3000:]
    assert "RuntimeError: slot boom" in result.stderr
    assert "ValueError: task boom" in result.stderr


STAFF_EXIT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from kiosk.ui import app
from kiosk.ui.staff.menu import StaffAction

def watch(window):
    def press():
        window.open_pin_pad()
        window.show_screen(window.staff)  # as after the right PIN
        for _ in range(2):  # restart or quit: pressed twice
            window.staff.buttons[StaffAction[sys.argv[2]]].click()
    QTimer.singleShot(300, press)

sys.exit(app.run(Path(sys.argv[1]), size=(1280, 720), on_window=watch))
"""


@pytest.mark.parametrize(("action", "status"), [("RESTART", 75), ("EXIT", 0)])
def test_staff_restart_and_quit_end_the_process_with_their_status(tmp_path: Path, action: str,
                                                                  status: int) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_STATE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", STAFF_EXIT, str(REPO / "content"), action],
                            capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert result.returncode == status, result.stderr[-3000:]


SIGTERM_MID_TRANSITION = """
import os, signal, sys
from pathlib import Path
from PySide6.QtCore import QAbstractAnimation
from kiosk.ui import app

def watch(window):
    attract = window.attract
    def started(state, _old):
        if state == QAbstractAnimation.State.Running:  # a fade has begun
            print("MID-TRANSITION", flush=True)
            os.kill(os.getpid(), signal.SIGTERM)
    attract.stage.animation.stateChanged.connect(started)
    # The first slide is on screen: move on to the next at once, with its transition.
    attract.stage.painted.connect(lambda: attract.slide_timer.start(0))

sys.exit(app.run(Path(sys.argv[1]), size=(1280, 720), on_window=watch))
"""


def test_sigterm_during_a_transition_ends_the_kiosk_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_STATE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", SIGTERM_MID_TRANSITION,
                             str(REPO / "content")],
                            capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert "MID-TRANSITION" in result.stdout, result.stderr[-3000:]
    assert result.returncode == 0, result.stderr[-3000:]
    assert '"state": "clean"' in (tmp_path / "starts.json").read_text()


class JumpyWall:
    """A wall clock that staff, NTP or a dead CMOS battery move by hours."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 8, 21, 21, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def test_the_wall_clock_jumping_by_hours_neither_stops_nor_rushes_the_loop(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> None:
    # One story only on 22 August (Moscow), one always: jumps move in and out of its day.
    root = make_folder(tmp_path / "content", stories={
        "always.md": story("Всегда"),
        "birthday.md": story("День рождения", show_from="2026-08-22", show_until="2026-08-22"),
    }, settings="attract:\n  colouring_invite: false\n  calm_invite: false\n  anniversary: false\n")
    content = load_content(root, probe_image)
    assert not content.problems
    wall = JumpyWall()
    window = KioskWindow(Theme(1280, 720), content, clock, utc_now=wall)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    attract = window.attract
    seen: set[str] = set()
    jumps = [+6, -6, +30, -48, +3, +24 * 40, -24 * 400, +7, -1]
    for hours in jumps:
        wall.now += dt.timedelta(hours=hours)
        for _ in range(3):
            assert attract.playlist is not None
            duration = attract.playlist.current.duration
            # The next slide is due after the slide's own time, whatever the wall clock did
            # (a coarse QTimer may be set up to 5 % late).
            assert 0 < attract.slide_timer.remainingTime() <= duration * 1050 + 50
            clock.advance(duration)
            before = attract.playlist.index, attract.playlist.cycle
            attract._next_slide()
            assert (attract.playlist.index, attract.playlist.cycle) != before
            seen.add(attract.playlist.current.item_id)
            assert attract.slide_timer.isActive()
    assert seen == {"always", "birthday"}  # both shown, each when it was due
    # A visitor's idle time runs on the monotonic clock: wall jumps do not end the session.
    qtbot.mouseClick(attract.stage, Qt.MouseButton.LeftButton)
    wall.now += dt.timedelta(hours=-12)
    window._tick()
    assert window.session.phase is Phase.ACTIVE and shown(window) is not window.attract
    window.attract.stop()
    window.session_timer.stop()
