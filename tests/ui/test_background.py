"""Work handed to a worker thread: its result never reaches a screen that is gone."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.background import Background


def test_a_result_for_a_screen_deleted_meanwhile_is_dropped(qtbot: QtBot,
                                                            qapp: QApplication) -> None:
    # As when the high-contrast switch rebuilds the colouring screen while a picture is
    # being prepared for it: no "C++ object already deleted" error, nothing delivered.
    screen = QObject()
    worker = Background(screen)
    release = threading.Event()
    delivered: list[object] = []
    worker.run(lambda: release.wait(5), delivered.append)
    shiboken6.delete(screen)  # the screen and its worker are gone
    release.set()
    QThreadPool.globalInstance().waitForDone(5000)
    qapp.processEvents()
    assert delivered == []


def test_a_result_reaches_a_screen_that_is_still_there(qtbot: QtBot,
                                                       qapp: QApplication) -> None:
    screen = QObject()
    worker = Background(screen)
    delivered: list[object] = []
    worker.run(lambda: 42, delivered.append)
    qtbot.waitUntil(lambda: delivered == [42], timeout=5000)
