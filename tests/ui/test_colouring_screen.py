"""A child colouring by touch: fill, brush, a second finger, undo, start over, done, leave."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.core.colouring import PAPER
from kiosk.ui.colouring import ColouringScreen
from kiosk.ui.main_window import KioskWindow
from tests.ui.conftest import FakeClock


def open_first_picture(qtbot: QtBot, window: KioskWindow) -> ColouringScreen:
    window.show_screen(window.picker)
    qtbot.mouseClick(window.picker.thumbnails[0], Qt.MouseButton.LeftButton)
    screen = window.colouring
    assert window.current_screen is screen
    qtbot.waitUntil(lambda: screen.canvas is not None, timeout=5000)
    return screen


def inside_of_big_region(screen: ColouringScreen, rank: int = 1) -> tuple[int, int, int]:
    """(x, y, label) of a paper pixel well inside the rank-th largest region."""
    assert screen.canvas is not None
    picture = screen.canvas.picture
    regions = sorted(picture.regions.values(), key=lambda r: -r.area)
    label = regions[rank].label
    ys, xs = np.nonzero((picture.owner == label) & (picture.lightness > 250))
    middle = len(ys) // 2
    return int(xs[middle]), int(ys[middle]), label


def widget_point(screen: ColouringScreen, x: int, y: int) -> QPoint:
    return screen.view.origin.toPoint() + QPoint(x, y)


def test_a_tap_fills_the_shape_under_the_finger(qtbot: QtBot, window: KioskWindow) -> None:
    screen = open_first_picture(qtbot, window)
    assert screen.canvas is not None
    x, y, label = inside_of_big_region(screen)
    qtbot.mouseClick(screen.swatches[3], Qt.MouseButton.LeftButton)
    qtbot.mousePress(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    # the colour is there on the press, before the finger lifts
    assert screen.canvas.paint[y, x] == screen.swatches[3].argb
    qtbot.mouseRelease(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    owned = screen.canvas.picture.owner == label
    assert (screen.canvas.paint[owned] == screen.swatches[3].argb).all()
    assert (screen.canvas.paint[~owned] == PAPER).all()
    image = window.grab().toImage()
    pixel = image.pixelColor(widget_point(screen, x, y) + screen.view.mapTo(window, QPoint()))
    assert pixel.rgb() & 0xFFFFFF == screen.swatches[3].argb & 0xFFFFFF


def test_a_tap_on_a_line_fills_the_nearest_shape(qtbot: QtBot, window: KioskWindow) -> None:
    screen = open_first_picture(qtbot, window)
    assert screen.canvas is not None
    picture = screen.canvas.picture
    ys, xs = np.nonzero((picture.lightness < 60) & (picture.owner > 0))
    x, y = int(xs[len(xs) // 3]), int(ys[len(ys) // 3])
    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    label = int(picture.owner[y, x])
    assert (screen.canvas.paint[picture.owner == label] == screen.colour).all()


def test_brush_and_a_second_finger(qtbot: QtBot, window: KioskWindow) -> None:
    screen = open_first_picture(qtbot, window)
    assert screen.canvas is not None
    qtbot.mouseClick(screen.brush_buttons["large"], Qt.MouseButton.LeftButton)
    width, height = screen.canvas.picture.size
    start = QPoint(width // 4, height // 2)
    end = QPoint(width * 3 // 4, height // 2)
    elsewhere = QPoint(width // 2, height // 6)
    device = QTest.createTouchDevice()
    # Touches go to the window, as the screen sends them; the canvas is found under them.
    origin = screen.view.mapTo(window, screen.view.origin.toPoint())
    QTest.touchEvent(window, device).press(0, origin + start).commit()
    QTest.touchEvent(window, device).stationary(0).press(1, origin + elsewhere).commit()
    QTest.touchEvent(window, device).move(0, origin + end).move(
        1, origin + elsewhere + QPoint(40, 0)).commit()
    QTest.touchEvent(window, device).release(0, origin + end).release(
        1, origin + elsewhere).commit()
    row = screen.canvas.paint[height // 2, start.x():end.x()]
    assert (row == screen.colour).all()  # one continuous stroke, no gaps between points
    assert screen.canvas.paint[elsewhere.y(), elsewhere.x()] == PAPER  # the second finger
    assert len(screen.canvas.history) == 1  # the stroke is one undo step


def test_undo_start_over_and_done(qtbot: QtBot, window: KioskWindow) -> None:
    screen = open_first_picture(qtbot, window)
    assert screen.canvas is not None
    assert not screen.undo_button.isEnabled()
    x, y, _ = inside_of_big_region(screen)
    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    painted = screen.canvas.paint.copy()
    x2, y2, _ = inside_of_big_region(screen, rank=2)
    qtbot.mouseClick(screen.swatches[8], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x2, y2))
    qtbot.mouseClick(screen.undo_button, Qt.MouseButton.LeftButton)
    assert np.array_equal(screen.canvas.paint, painted)

    qtbot.mouseClick(screen.start_over_button, Qt.MouseButton.LeftButton)
    assert screen.confirm.isVisible()
    qtbot.mouseClick(screen.confirm.no, Qt.MouseButton.LeftButton)
    assert not screen.confirm.isVisible() and not screen.canvas.is_blank
    qtbot.mouseClick(screen.start_over_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.confirm.yes, Qt.MouseButton.LeftButton)
    assert screen.canvas.is_blank

    qtbot.mouseClick(screen.undo_button, Qt.MouseButton.LeftButton)  # start over is undoable
    qtbot.mouseClick(screen.done_button, Qt.MouseButton.LeftButton)
    assert screen.celebration.isVisible()
    qtbot.waitUntil(lambda: not screen.celebration.timer.isActive(), timeout=5000)
    finished = screen.canvas.paint.copy()
    qtbot.mouseClick(screen.keep_colouring_button, Qt.MouseButton.LeftButton)
    assert not screen.celebration.isVisible()  # back to the picture, as it was
    assert np.array_equal(screen.canvas.paint, finished)


def test_leaving_or_walking_away_wipes_the_canvas(qtbot: QtBot, window: KioskWindow,
                                                 clock: FakeClock) -> None:
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)  # a visitor arrives
    screen = open_first_picture(qtbot, window)
    canvas = screen.canvas
    assert canvas is not None
    x, y, _ = inside_of_big_region(screen)
    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    assert not canvas.is_blank
    clock.advance(window.content.settings.idle_seconds)
    qtbot.waitUntil(window.overlay.isVisible)
    clock.advance(window.content.settings.warning_seconds)
    qtbot.waitUntil(lambda: window.current_screen is window.attract)
    assert canvas.is_blank and not canvas.can_undo
    assert screen.canvas is None

    screen = open_first_picture(qtbot, window)
    assert screen.canvas is not None and screen.canvas.is_blank  # a fresh sheet
    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    qtbot.mouseClick(screen.pictures_button, Qt.MouseButton.LeftButton)
    assert window.current_screen is window.picker
    assert screen.canvas is None


def test_a_finished_drawing_is_not_kept_once_the_child_has_gone(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)  # a visitor arrives
    screen = open_first_picture(qtbot, window)
    x, y, _ = inside_of_big_region(screen)
    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    qtbot.mouseClick(screen.done_button, Qt.MouseButton.LeftButton)
    assert not screen.celebration.picture.isNull()  # the drawing, shown with confetti
    assert screen._prepared  # kept for a quick return to the picture

    clock.advance(window.content.settings.idle_seconds)
    qtbot.waitUntil(window.overlay.isVisible)
    clock.advance(window.content.settings.warning_seconds)
    qtbot.waitUntil(lambda: window.current_screen is window.attract)
    # Off screen is not enough: the drawing is not held in memory either, and the idle kiosk
    # holds no colouring pictures (the soak's flat memory depends on it).
    assert screen.celebration.picture.isNull() and not screen.celebration.isVisible()
    assert not screen._prepared
