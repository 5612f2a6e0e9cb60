"""The soak benchmark, short: hundreds of attract transitions and dozens of random sessions
(taps, swipes, several fingers, every screen) in a child process, with no crash and no
unhandled exception. `python bench/soak.py` runs the full one."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.main_window import KioskWindow
from kiosk.ui.menu import Destination
from tests.helpers import REPO
from tests.ui.conftest import FakeClock


def test_a_short_soak_neither_crashes_nor_raises() -> None:
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "soak.py"), "--transitions", "600",
         "--sessions", "60", "--seed", "7"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    figures = {line.split()[0]: float(line.split()[1]) for line in result.stdout.splitlines()
               if " budget " in line}
    assert figures.get("crashes") == 0, result.stderr[-3000:]
    assert figures.get("unhandled_exceptions") == 0, result.stderr[-3000:]
    assert figures.get("transitions") == 600 and figures.get("sessions") == 60


def test_the_large_text_switch_leaves_no_widget_behind(qtbot: QtBot, window: KioskWindow,
                                                       clock: FakeClock) -> None:
    """A visitor turns large text on while reading a story and walks away: the screens are
    built twice (large, then usual again), and the menu made in between is never shown.
    Nothing of the screens replaced may outlive them (its tiles once did, ~1 MB each, and
    the soak grew by 170 MB over 300 sessions)."""

    def visit() -> int:
        qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
        window.show_screen(window.menu)
        qtbot.mouseClick(window.menu.tiles[Destination.STORIES], Qt.MouseButton.LeftButton)
        assert window.current_screen is window.stories
        qtbot.mouseClick(window.stories.top_bar.large_text, Qt.MouseButton.LeftButton)
        assert window.theme.high_contrast and window.current_screen is window.stories
        clock.advance(window.session.idle_seconds)
        window._tick()
        clock.advance(window.session.warning_seconds)
        window._tick()
        assert window.stack.currentWidget() is window.attract and not window.theme.high_contrast
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return len(QApplication.allWidgets())

    first = visit()
    assert [visit() for _ in range(3)] == [first] * 3
