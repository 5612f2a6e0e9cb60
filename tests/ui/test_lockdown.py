"""Nothing a visitor can press, click or touch leaves the kiosk or takes it off the screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QNativeGestureEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.model import Content
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.menu import Destination
from kiosk.ui.service.lockdown import CursorMode, cursor_hidden
from kiosk.ui.theme import Theme
from tests.ui.conftest import FakeClock, settle

SCREEN = QRect(0, 0, 1920, 1080)  # tests/conftest.py's offscreen screen
Key = Qt.Key
Mod = Qt.KeyboardModifier
ESCAPES = [
    (Key.Key_F4, Mod.AltModifier),
    (Key.Key_Q, Mod.ControlModifier),
    (Key.Key_W, Mod.ControlModifier),
    (Key.Key_Escape, Mod.NoModifier),
    (Key.Key_F11, Mod.NoModifier),
    (Key.Key_Tab, Mod.AltModifier),
    (Key.Key_Backspace, Mod.ControlModifier | Mod.AltModifier),
    (Key.Key_Delete, Mod.ControlModifier | Mod.AltModifier),
    (Key.Key_Escape, Mod.ControlModifier | Mod.ShiftModifier),  # Tux Paint's way out
    (Key.Key_Space, Mod.NoModifier),
    (Key.Key_Return, Mod.NoModifier),
    (Key.Key_Super_L, Mod.NoModifier),
    (Key.Key_A, Mod.NoModifier),
]


@pytest.fixture
def kiosk(qtbot: QtBot, bundled: Content, clock: FakeClock) -> Iterator[KioskWindow]:
    """The window as `kiosk run` shows it: full screen on the (offscreen, landscape) screen.
    Nothing here depends on the orientation; a portrait layout would not fit that screen."""
    window = KioskWindow(Theme(SCREEN.width(), SCREEN.height()), bundled, clock)
    qtbot.addWidget(window)
    window.lockdown.enter_kiosk_mode(SCREEN)
    qtbot.waitExposed(window)
    yield window
    window.attract.stop()
    window.session_timer.stop()
    window.allow_close = True


def still_there(window: KioskWindow, screen: QWidget) -> bool:
    return (window.isVisible() and window.isFullScreen() and not window.isMinimized()
            and window.geometry() == SCREEN and window.current_screen is screen)


def open_stories(qtbot: QtBot, window: KioskWindow) -> QWidget:
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.menu.tiles[Destination.STORIES], Qt.MouseButton.LeftButton)
    assert window.current_screen is window.stories
    return window.stories


@pytest.mark.parametrize(("key", "modifier"), ESCAPES,
                         ids=[f"{k.name}-{m.name}" for k, m in ESCAPES])
def test_no_key_does_anything(qtbot: QtBot, kiosk: KioskWindow,
                              key: Qt.Key, modifier: Qt.KeyboardModifier) -> None:
    screen = open_stories(qtbot, kiosk)
    index = kiosk.stories.index
    before = kiosk.lockdown.swallowed
    for target in (kiosk, kiosk.stories.nav.next, QApplication.focusWidget() or kiosk):
        QTest.keyClick(target, key, modifier)
    handle = kiosk.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, key, modifier)  # as the keyboard delivers it
    settle(qtbot)
    assert kiosk.lockdown.swallowed >= before + 8  # every press and release
    assert still_there(kiosk, screen)
    assert kiosk.stories.index == index


def test_closing_the_window_is_refused(qtbot: QtBot, kiosk: KioskWindow) -> None:
    assert not kiosk.close()
    handle = kiosk.windowHandle()
    assert handle is not None
    handle.close()  # what a window manager's close (Alt+F4, the × button) comes to
    settle(qtbot)
    assert still_there(kiosk, kiosk.attract)


def test_taken_off_full_screen_it_comes_back(qtbot: QtBot, kiosk: KioskWindow) -> None:
    for change in (kiosk.showMinimized, kiosk.showNormal, kiosk.showMaximized,
                   lambda: kiosk.setGeometry(10, 10, 300, 200)):
        change()
        qtbot.waitUntil(lambda: still_there(kiosk, kiosk.attract))
    assert kiosk.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert kiosk.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_context_menus_and_other_buttons_do_nothing(qtbot: QtBot, kiosk: KioskWindow) -> None:
    screen = open_stories(qtbot, kiosk)
    index = kiosk.stories.index
    for widget in (kiosk, kiosk.stories.nav.next, kiosk.stories.card):
        centre = widget.rect().center()
        for reason in (QContextMenuEvent.Reason.Mouse, QContextMenuEvent.Reason.Keyboard):
            event = QContextMenuEvent(reason, centre, widget.mapToGlobal(centre))
            assert QApplication.sendEvent(widget, event)  # taken by the lockdown
        for button in (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton,
                       Qt.MouseButton.BackButton):
            QTest.mouseClick(widget, button, Mod.NoModifier, centre)
    assert still_there(kiosk, screen)
    assert kiosk.stories.index == index  # a right click on «next» is not a click


def test_pinch_and_zoom_gestures_are_ignored(qtbot: QtBot, kiosk: KioskWindow) -> None:
    screen = open_stories(qtbot, kiosk)
    device = QTest.createTouchDevice()
    for kind in (Qt.NativeGestureType.ZoomNativeGesture, Qt.NativeGestureType.RotateNativeGesture,
                 Qt.NativeGestureType.SwipeNativeGesture):
        centre = QPointF(kiosk.stories.card.rect().center())
        event = QNativeGestureEvent(kind, device, 2, centre, centre, centre, 0.5, QPointF())
        assert QApplication.sendEvent(kiosk.stories.card, event)
    assert still_there(kiosk, screen)


def test_several_fingers_are_just_touches(qtbot: QtBot, kiosk: KioskWindow) -> None:
    device = QTest.createTouchDevice()
    handle = kiosk.windowHandle()
    assert handle is not None
    w, h = SCREEN.width(), SCREEN.height()
    qtbot.mouseClick(kiosk.attract.stage, Qt.MouseButton.LeftButton)
    a, b = QPoint(w // 2 - 100, h // 2), QPoint(w // 2 + 100, h // 2)
    # A two-finger pinch out, a three-finger swipe, a five-finger grab.
    QTest.touchEvent(handle, device).press(0, a).press(1, b).commit()
    for step in range(1, 6):
        QTest.touchEvent(handle, device).move(0, a - QPoint(40 * step, 0)) \
            .move(1, b + QPoint(40 * step, 0)).commit()
    QTest.touchEvent(handle, device).release(0, a - QPoint(200, 0)) \
        .release(1, b + QPoint(200, 0)).commit()
    points = [QPoint(w // 4 + 60 * i, h // 6) for i in range(5)]
    sequence = QTest.touchEvent(handle, device)
    for i, point in enumerate(points):
        sequence.press(i, point)
    sequence.commit()
    sequence = QTest.touchEvent(handle, device)
    for i, point in enumerate(points):
        sequence.release(i, point + QPoint(0, h // 3))
    sequence.commit()
    settle(qtbot)
    assert kiosk.isVisible() and kiosk.isFullScreen()
    assert kiosk.geometry() == SCREEN
    # One touch, as one finger: it opened a visitor's screen (what the poster showed), nothing
    # else.
    assert kiosk.current_screen is not kiosk.attract
    assert kiosk.current_screen not in kiosk.staff_screens


def test_the_cursor_hides_on_touch_screens() -> None:
    assert cursor_hidden(CursorMode.AUTO, touch_screen=True)
    assert not cursor_hidden(CursorMode.AUTO, touch_screen=False)
    assert cursor_hidden(CursorMode.HIDE, touch_screen=False)
    assert not cursor_hidden(CursorMode.SHOW, touch_screen=True)


def test_hiding_the_cursor_overrides_every_widget_cursor(kiosk: KioskWindow) -> None:
    assert kiosk.lockdown.hide_cursor(CursorMode.HIDE)
    try:
        cursor = QGuiApplication.overrideCursor()
        assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor
    finally:
        QGuiApplication.restoreOverrideCursor()
    assert not kiosk.lockdown.hide_cursor(CursorMode.SHOW)
    assert QGuiApplication.overrideCursor() is None


def test_staff_quit_really_closes(qtbot: QtBot, bundled: Content, clock: FakeClock) -> None:
    window = KioskWindow(Theme(1920, 1080), bundled, clock)
    qtbot.addWidget(window)
    window.lockdown.enter_kiosk_mode(QRect(0, 0, 1920, 1080))
    qtbot.waitExposed(window)
    window.allow_close = True
    assert window.close()
    settle(qtbot)
    assert not window.isVisible()  # and the lockdown does not bring it back
    assert not window.attract.slide_timer.isActive()  # and the loop has stopped


def test_events_for_other_windows_are_left_alone(qtbot: QtBot, kiosk: KioskWindow,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Another window (a dialog, a technician's tool) changing state is not the kiosk's
    business: it does not jump above it, and the other window stays as it is and closes."""
    other = QWidget()
    qtbot.addWidget(other)
    other.setGeometry(100, 100, 300, 200)
    other.show()
    qtbot.waitExposed(other)
    settle(qtbot)  # whatever showing it set off is over
    raised: list[bool] = []
    monkeypatch.setattr(kiosk, "raise_", lambda: raised.append(True))
    for kind in (QEvent.Type.WindowStateChange, QEvent.Type.WindowDeactivate,
                 QEvent.Type.Hide, QEvent.Type.Move, QEvent.Type.Resize):
        QApplication.sendEvent(other, QEvent(kind))
    settle(qtbot)
    assert raised == []
    assert not other.isFullScreen() and other.geometry() == QRect(100, 100, 300, 200)
    assert other.close() and not other.isVisible()
    # The same event sent to the kiosk window is answered: the lockdown is listening.
    QApplication.sendEvent(kiosk, QEvent(QEvent.Type.WindowStateChange))
    qtbot.waitUntil(lambda: bool(raised))
    assert still_there(kiosk, kiosk.attract)


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080), (1080, 1920)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_screen_is_larger_than_the_screen_it_fills(qtbot: QtBot, bundled: Content,
                                                      size: tuple[int, int]) -> None:
    """A screen whose layout needs more than the display has makes the window taller than the
    display: its bottom (the band, Home) is cut off. Seen on a real 1280×720 X screen."""
    window = KioskWindow(Theme(*size), bundled)
    qtbot.addWidget(window)
    for high_contrast in (False, True):
        window.set_high_contrast(high_contrast)
        needed = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert needed.width() <= size[0] and needed.height() <= size[1], (high_contrast, needed)
