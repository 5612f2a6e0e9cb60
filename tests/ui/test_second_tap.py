"""A hand with a tremor taps twice by accident: the second tap must not act on the screen the
first one opened (kiosk.core.gestures.SecondTap)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.pin import PinStore
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.menu import Destination
from tests.ui.conftest import SIZES, FakeClock, WindowFactory, settle
from tests.ui.test_navigation import go_idle, open_menu, tap


def centre_of(window: KioskWindow, widget: QWidget) -> QPoint:
    return widget.mapTo(window, widget.rect().center())


def double_tap(window: KioskWindow, point: QPoint) -> None:
    """Two taps of a shaky finger, the second 120 ms after the first one's release and a few
    pixels off. Stamped by hand: the events' stamps say when the finger landed (the screen's
    driver stamps them), and QTest would stamp them when sent, after the first tap's screen
    was built, which takes longer on a busy computer than a hand's two taps."""
    mouse_tap(window, point, stamp=10_000)
    mouse_tap(window, point + QPoint(6, 4), stamp=10_200)


def mouse_tap(window: KioskWindow, point: QPoint, stamp: int) -> None:
    """A press at `point` stamped `stamp` (ms) and its release 80 ms later, as the screen's
    driver gives them to the window."""
    handle = window.windowHandle()
    assert handle is not None
    for kind, at in ((QEvent.Type.MouseButtonPress, stamp),
                     (QEvent.Type.MouseButtonRelease, stamp + 80)):
        buttons = Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress \
            else Qt.MouseButton.NoButton
        event = QMouseEvent(kind, QPointF(point), QPointF(point),
                            QPointF(window.mapToGlobal(point)), Qt.MouseButton.LeftButton,
                            buttons, Qt.KeyboardModifier.NoModifier)
        event.setTimestamp(at)
        QApplication.sendEvent(handle, event)


def test_a_double_tap_on_the_colouring_tile_shows_the_pictures(qtbot: QtBot,
                                                              window: KioskWindow) -> None:
    open_menu(qtbot, window)
    settle(qtbot)
    # The second tap fell on a picture's card there and opened a picture nobody chose.
    double_tap(window, centre_of(window, window.menu.tiles[Destination.COLOURING]))
    settle(qtbot)
    assert window.current_screen is window.picker


def test_a_double_tap_on_the_calm_tile_waits_for_a_rhythm(qtbot: QtBot,
                                                         window: KioskWindow) -> None:
    open_menu(qtbot, window)
    settle(qtbot)
    # The second tap fell on a rhythm's button and started the breathing.
    double_tap(window, centre_of(window, window.menu.tiles[Destination.CALM]))
    settle(qtbot)
    assert window.current_screen is window.calm
    assert window.calm.pages.currentWidget() is window.calm.choice


def test_a_double_tap_on_large_text_leaves_it_on(qtbot: QtBot, window: KioskWindow) -> None:
    open_menu(qtbot, window)
    settle(qtbot)
    # The screens are built anew under the finger, with the switch in the same place: the
    # second tap switched the mode off again, as if the button did nothing.
    double_tap(window, centre_of(window, window.menu.top_bar.large_text))
    settle(qtbot)
    assert window.theme.high_contrast


# In landscape «Я здесь» is over the gap between the menu's tiles; in portrait over a tile.
@pytest.mark.parametrize("size", [SIZES["portrait"]], ids=["portrait"])
def test_a_double_tap_on_i_am_here_does_not_open_what_was_under_the_question(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    open_menu(qtbot, window)
    go_idle(qtbot, window, clock)
    double_tap(window, centre_of(window, window.overlay.button))
    settle(qtbot)
    assert not window.overlay.isVisible()
    assert window.current_screen is window.menu


def test_a_tap_once_the_new_screen_is_up_is_a_tap(qtbot: QtBot, window: KioskWindow) -> None:
    open_menu(qtbot, window)
    settle(qtbot)
    point = centre_of(window, window.menu.tiles[Destination.COLOURING])
    mouse_tap(window, point, stamp=10_000)
    settle(qtbot)
    assert window.current_screen is window.picker
    mouse_tap(window, point, stamp=10_200)  # 120 ms after the release: the same tap's echo
    settle(qtbot)
    assert window.current_screen is window.picker
    mouse_tap(window, point, stamp=11_000)  # the visitor looked, then chose: a picture opens
    settle(qtbot)
    assert window.stack.currentWidget() is window.colouring


# In landscape «Ещё раз» stands where the first rhythm's button comes; in portrait above it.
@pytest.mark.parametrize("size", [SIZES["landscape"]], ids=["landscape"])
def test_a_double_tap_on_again_waits_for_a_rhythm(qtbot: QtBot, window: KioskWindow) -> None:
    open_menu(qtbot, window)
    tap(qtbot, window.menu.tiles[Destination.CALM])
    calm = window.calm
    calm.finish()  # the minute is over: «Ещё раз»
    settle(qtbot)
    # The second tap fell on «Квадратное дыхание» and the breathing began again at once.
    double_tap(window, centre_of(window, calm.again))
    settle(qtbot)
    assert calm.pages.currentWidget() is calm.choice


def test_staff_digits_typed_quickly_after_the_corner_gesture_all_count(
        qtbot: QtBot, make_window: WindowFactory, clock: FakeClock, tmp_path: Path) -> None:
    pins = PinStore(tmp_path / "state")
    pins.set_pin("2580")
    window = make_window(pins=pins)
    stamp = 10_000
    for _ in range(5):  # the hidden gesture, a quarter of a second a tap
        mouse_tap(window, QPoint(30, 30), stamp=stamp)
        stamp += 250
        clock.advance(0.25)
        settle(qtbot)
    assert window.current_screen is window.pin_pad
    # Staff know the pad: the first digit comes 170 ms after the gesture's last release (it
    # was taken for the corner tap's echo and lost: «258», a wrong PIN).
    for digit in "2580":
        mouse_tap(window, centre_of(window, window.pin_pad.keys[digit]), stamp=stamp)
        stamp += 250
        settle(qtbot)
    assert window.pin_pad.digits == "2580"
    mouse_tap(window, centre_of(window, window.pin_pad.enter), stamp=stamp)
    settle(qtbot)
    assert window.stack.currentWidget() is window.staff

