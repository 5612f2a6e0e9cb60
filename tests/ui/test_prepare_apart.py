"""OpenCV never loads in the kiosk's process (issue 18: PSS back from colouring): pictures are
prepared in a child process (kiosk.core.colouring.prepare_apart) that waits while the picker is
on show and goes once the page has its canvas, or with the visitor; the picker's coloured cards,
a tap's fill and a brush stroke need numpy alone. Once imported, OpenCV and its libraries (~17 MB
of PSS) would stay in the kiosk for good."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from kiosk.core.colouring import prepare_apart
from kiosk.core.colouring.prepare_apart import engine
from kiosk.ui.main_window import KioskWindow
from tests.helpers import BUNDLED, PREPARING_CHILDREN, kiosk_env, run_python

CHILD = """
import os, sys
from PySide6.QtCore import QTimer
from kiosk.cli import main

""" + PREPARING_CHILDREN + """
def opencv():
    with open("/proc/self/maps") as maps:
        mapped = {line.split()[-1].rsplit("/", 1)[-1] for line in maps
                  if "cv2" in line or "libopencv" in line}
    return sorted(mapped) + sorted({"cv2"} & set(sys.modules))

def watch(window):
    steps = []

    def step():
        picker, screen = window.picker, window.colouring
        # Started whole (as test_no_openssl waits): the screens built after the first frame,
        # the reloader's watcher, the event loop, the slide on show whole.
        if not (window.screens_built and "watchdog" in sys.modules
                and "asyncio" in sys.modules and window.attract.pictures_shown):
            return
        if not steps:
            window.show_screen(picker)
            steps.append("picker")
        elif steps[-1] == "picker" and picker.thumbnails[0].coloured:
            window._colour(window.content.colouring[0].id)
            steps.append("opened")
        elif steps[-1] == "opened" and screen.canvas is not None:
            height, width = screen.canvas.paint.shape
            screen._press(width // 2, height // 2)
            screen._release()
            screen.canvas.begin_stroke(width // 4, height // 4, 0xFF1E88E5, 14)
            screen.canvas.extend_stroke(width // 2, height // 3)
            screen.canvas.end_stroke()
            painted = int((screen.canvas.paint != 0xFFFFFFFF).sum())
            steps.append("coloured")
            print("PAINTED", painted, flush=True)
        elif steps[-1] == "coloured" and not preparing():
            from kiosk.core.colouring.prepare_apart import engine
            print("APART", engine().started, *opencv(), flush=True)
            os._exit(0)

    timer = QTimer(window)
    timer.timeout.connect(step)
    timer.start(20)

main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch)
"""


def test_a_child_colours_without_opencv_in_the_kiosk(tmp_path: Path) -> None:
    # The tests' 1920×1080 offscreen screen (tests/conftest.py), not kiosk_env's plain
    # offscreen one: 800×800 leaves the landscape page no room for its canvas.
    env = {**kiosk_env(tmp_path), "QT_QPA_PLATFORM": os.environ["QT_QPA_PLATFORM"]}
    done = run_python(CHILD, str(BUNDLED), env=env)
    lines = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()
             if line.startswith(("PAINTED", "APART"))}
    assert "APART" in lines, done.stderr[-2000:]
    assert int(lines["PAINTED"][0]) > 1000  # the fill and the stroke painted
    started, *opencv = lines["APART"]
    assert int(started) >= 1  # the cards and the canvas were prepared in a child
    assert opencv == []  # neither cv2 nor OpenCV's libraries mapped, nor its module loaded


def test_the_preparing_child_waits_on_the_picker_and_goes_with_the_visitor(
        qtbot: QtBot, window: KioskWindow) -> None:
    window.show_screen(window.picker)
    qtbot.waitUntil(lambda: engine().running, timeout=10000)  # waiting before any tap
    pool = QThreadPool.globalInstance()  # the cards coloured in, no request on its way
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=10000)
    started = engine().started
    qtbot.mouseClick(window.picker.thumbnails[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.colouring.canvas is not None, timeout=10000)
    assert engine().started == started  # the tapped picture went to the child that waited
    qtbot.waitUntil(lambda: not engine().running, timeout=10000)  # gone: the canvas is there
    window.show_screen(window.picker)  # back to the pictures: it waits again
    qtbot.waitUntil(lambda: engine().running, timeout=10000)
    window.go_to_attract()  # the visitor has gone
    qtbot.waitUntil(lambda: not engine().running, timeout=10000)


def test_a_picture_that_kills_the_child_sends_the_page_back_and_the_next_one_opens(
        qtbot: QtBot, window: KioskWindow, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """The child dies while preparing (as a picture that crashes OpenCV would make it): the
    visitor is back on the pictures, the kiosk goes on, and the next picture opens."""
    def crash(lightness: Any, settings: Any) -> Any:
        return engine().call(os._exit, 1)  # the child ends mid-request

    monkeypatch.setattr("kiosk.ui.colouring.screen.prepare_apart", crash)
    window.show_screen(window.picker)
    with caplog.at_level(logging.WARNING):
        qtbot.mouseClick(window.picker.thumbnails[0], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.current_screen is window.picker, timeout=10000)
    assert "could not be prepared: crash" in caplog.text
    assert window.colouring.canvas is None
    monkeypatch.setattr("kiosk.ui.colouring.screen.prepare_apart", prepare_apart.prepare_apart)
    qtbot.mouseClick(window.picker.thumbnails[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.colouring.canvas is not None, timeout=10000)


def test_a_card_asked_for_after_the_visitor_left_starts_no_child(
        qtbot: QtBot, window: KioskWindow) -> None:
    """The pool may run the window's "let go" before the cards still queued when the visitor
    left (it once did in CI): such a card starts no child, which would wait 20 s for
    nothing."""
    window.show_screen(window.picker)
    qtbot.waitUntil(lambda: engine().running, timeout=10000)
    pool = QThreadPool.globalInstance()
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=10000)
    window.go_to_attract()  # the cards' pictures forgotten, the child let go
    qtbot.waitUntil(lambda: not engine().running and pool.activeThreadCount() == 0,
                    timeout=10000)
    started = engine().started
    card = window.picker.thumbnails[0]
    card.ask_for_colours()  # as a job queued before the visitor left runs now
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=10000)
    assert engine().started == started
    assert not engine().running
    assert not card.coloured


def test_a_card_turned_away_while_a_picture_opened_is_coloured_when_the_picker_shows_again(
        qtbot: QtBot, window: KioskWindow) -> None:
    window.show_screen(window.picker)
    qtbot.waitUntil(lambda: engine().running, timeout=10000)
    pool = QThreadPool.globalInstance()
    cards = window.picker.thumbnails
    qtbot.waitUntil(lambda: all(c.coloured for c in cards) and pool.activeThreadCount() == 0,
                    timeout=10000)
    card = cards[0]
    window.picker.forget_pictures()  # to be coloured again...
    prepare_apart.want_waiting(False)  # ...while the page lets the child go (a picture tapped)
    card.ask_for_colours()
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=10000)
    assert not card.coloured  # turned away
    prepare_apart.want_waiting(True)  # the picker on show again
    card.update()
    qtbot.waitUntil(lambda: card.coloured, timeout=10000)
    window.go_to_attract()
    qtbot.waitUntil(lambda: not engine().running, timeout=10000)
