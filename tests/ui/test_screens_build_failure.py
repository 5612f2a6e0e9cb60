"""A kiosk whose visitor's and staff screens fail to build (a missing font, a bad picture, a
bug) keeps its attract loop running, says so in the log, and builds them at the next try:
it never believes they are there when they are not."""

from __future__ import annotations

import logging
from typing import NoReturn

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.main_window import BUILD_RETRY_S, KioskWindow
from tests.ui.conftest import FakeClock, WindowFactory
from tests.ui.test_navigation import tap


def test_screens_that_failed_to_build_are_built_at_the_next_try(
        qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, clock: FakeClock) -> None:
    window: KioskWindow = make_window(defer_screens=True)

    def broken(*_args: object) -> NoReturn:  # after the visitor's screens were made
        raise RuntimeError("the staff menu's picture is damaged")

    monkeypatch.setattr(KioskWindow, "_build_staff_screens", broken)
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.main_window"):
        window.build_screens()  # as `kiosk run` does after its first frame: must not raise
    assert "staff menu's picture is damaged" in caplog.text
    assert not window.screens_built
    # Attract only, still looping: nothing half-built left in the stack or on screen.
    assert window.screens == [window.attract]
    assert window.stack.count() == 1
    assert window.current_screen is window.attract
    assert window.attract.isVisible()
    assert window.staff_screens == ()

    # Not tried again at once: a countdown's ticks would each spend a build failing again.
    attempts: list[object] = []
    monkeypatch.setattr(KioskWindow, "_build_staff_screens", lambda *a: attempts.append(a))
    window.build_screens()
    assert attempts == [] and not window.screens_built

    monkeypatch.undo()
    clock.advance(BUILD_RETRY_S)
    tap(qtbot, window.attract.stage)  # the next visitor: the screens are built now
    assert window.screens_built
    assert window.current_screen is not window.attract
    assert window.current_screen in window.screens
    assert window.current_screen.isVisible()
    assert window.staff_screens == (window.pin_pad, window.staff, window.pattern)
    assert window.stack.count() == len(window.screens) == 9
