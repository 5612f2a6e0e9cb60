"""A child who leaves a picture (Home by mistake, a look at another picture) finds their
drawing as they left it, on the canvas and on the picker's card, until the visit ends; then
nothing of it is left for the next visitor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from kiosk.core.colouring.engine import outside_region
from kiosk.core.pin import PinStore
from kiosk.ui.colouring.picker import Thumbnail
from kiosk.ui.colouring.screen import ColouringScreen
from kiosk.ui.main_window import KioskWindow
from tests.ui.conftest import FakeClock, WindowFactory
from tests.ui.test_colouring_screen import pixels_like, widget_point

PIN = "2580"


def open_picture(qtbot: QtBot, window: KioskWindow, index: int) -> ColouringScreen:
    window.show_screen(window.picker)
    qtbot.mouseClick(window.picker.thumbnails[index], Qt.MouseButton.LeftButton)
    screen = window.colouring
    assert window.current_screen is screen
    qtbot.waitUntil(lambda: screen.canvas is not None, timeout=5000)
    return screen


def colour_the_outside(qtbot: QtBot, screen: ColouringScreen, swatch: int) -> np.ndarray:
    """A tap on the paper around the drawing with that swatch's colour, and a brush stroke;
    the paint as left."""
    assert screen.canvas is not None
    picture = screen.canvas.picture
    outside = outside_region(picture)
    ys, xs = np.nonzero((picture.owner == outside) & (picture.lightness > 250))
    qtbot.mouseClick(screen.swatches[swatch], Qt.MouseButton.LeftButton)
    x, y = int(xs[len(xs) // 2]), int(ys[len(ys) // 2])
    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    qtbot.mouseClick(screen.brush_buttons["large"], Qt.MouseButton.LeftButton)
    width, height = picture.size
    qtbot.mousePress(screen.view, Qt.MouseButton.LeftButton,
                     pos=widget_point(screen, width // 3, height // 2))
    qtbot.mouseMove(screen.view, widget_point(screen, width * 2 // 3, height // 2))
    qtbot.mouseRelease(screen.view, Qt.MouseButton.LeftButton,
                       pos=widget_point(screen, width * 2 // 3, height // 2))
    assert screen.canvas.paint[y, x] == screen.swatches[swatch].argb
    return screen.canvas.paint.copy()


def card_pixels(qtbot: QtBot, window: KioskWindow, index: int, colour: QColor) -> int:
    """How many pixels of the picker's card `index` are `colour`, once its picture is in."""
    window.show_screen(window.picker)
    card: Thumbnail = window.picker.thumbnails[index]
    qtbot.waitUntil(lambda: card.isVisible() and card.coloured, timeout=20_000)
    return pixels_like(card.grab().toImage(), colour)


def test_coming_back_to_a_picture_shows_the_drawing_as_it_was_left(
        qtbot: QtBot, window: KioskWindow) -> None:
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)  # a visitor arrives
    swatch = 12
    colour = QColor.fromRgba(0xFF000000 | open_picture(qtbot, window, 0).swatches[swatch].argb)
    before = card_pixels(qtbot, window, 0, colour)  # the card coloured in by the kiosk
    screen = open_picture(qtbot, window, 0)
    left = colour_the_outside(qtbot, screen, swatch)
    qtbot.mouseClick(screen.home_button, Qt.MouseButton.LeftButton)  # by mistake
    assert window.current_screen is window.menu and screen.canvas is None

    # The picker's card shows the child's drawing, so they find it…
    assert card_pixels(qtbot, window, 0, colour) > before + 5000
    # …and the picture opens as they left it: nothing to undo, but start over can.
    screen = open_picture(qtbot, window, 0)
    assert screen.canvas is not None
    assert np.array_equal(screen.canvas.paint, left)
    assert not screen.undo_button.isEnabled() and screen.start_over_button.isEnabled()

    # A look at another picture, a drawing there too, and back: both are kept.
    qtbot.mouseClick(screen.pictures_button, Qt.MouseButton.LeftButton)
    other = open_picture(qtbot, window, 1)
    there = colour_the_outside(qtbot, other, 3)
    qtbot.mouseClick(other.pictures_button, Qt.MouseButton.LeftButton)
    screen = open_picture(qtbot, window, 0)
    assert screen.canvas is not None and np.array_equal(screen.canvas.paint, left)
    qtbot.mouseClick(screen.pictures_button, Qt.MouseButton.LeftButton)
    other = open_picture(qtbot, window, 1)
    assert other.canvas is not None and np.array_equal(other.canvas.paint, there)


def test_the_large_text_switch_keeps_the_drawing(qtbot: QtBot, window: KioskWindow) -> None:
    screen = open_picture(qtbot, window, 0)
    left = colour_the_outside(qtbot, screen, 5)
    window.set_high_contrast(True)
    screen = window.colouring
    assert window.current_screen is screen
    qtbot.waitUntil(lambda: screen.canvas is not None, timeout=5000)
    assert screen.canvas is not None and np.array_equal(screen.canvas.paint, left)


@pytest.mark.parametrize("how", ["walked away", "staff"])
def test_when_the_visit_ends_nothing_of_the_drawings_is_left(
        qtbot: QtBot, make_window: WindowFactory, clock: FakeClock, tmp_path: Path,
        how: str) -> None:
    pins = PinStore(tmp_path / "state")
    pins.set_pin(PIN)
    window = make_window(pins=pins)
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)  # a visitor arrives
    swatch = 12
    colour = QColor.fromRgba(0xFF000000 | open_picture(qtbot, window, 0).swatches[swatch].argb)
    before = card_pixels(qtbot, window, 0, colour)
    left = colour_the_outside(qtbot, open_picture(qtbot, window, 0), swatch)
    open_picture(qtbot, window, 1)  # the first picture left, its drawing kept
    assert card_pixels(qtbot, window, 0, colour) > before + 5000
    screen = open_picture(qtbot, window, 0)
    assert screen.canvas is not None and np.array_equal(screen.canvas.paint, left)
    open_picture(qtbot, window, 1)  # the visitor goes from another picture

    if how == "walked away":
        clock.advance(window.content.settings.idle_seconds)
        qtbot.waitUntil(window.overlay.isVisible)
        clock.advance(window.content.settings.warning_seconds)
        qtbot.waitUntil(lambda: window.current_screen is window.attract)
    else:  # staff take the kiosk over from the page
        window.open_pin_pad()
        for digit in PIN:
            qtbot.mouseClick(window.pin_pad.keys[digit], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(window.pin_pad.enter, Qt.MouseButton.LeftButton)
        assert window.current_screen is window.staff
        assert window.picker.kept_drawing(window.picker.thumbnails[0].picture.id) is None
        window.go_to_attract()

    # The next visitor: the cards are the kiosk's own colouring again, the sheet blank.
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    assert card_pixels(qtbot, window, 0, colour) <= before + 200
    screen = open_picture(qtbot, window, 0)
    assert screen.canvas is not None and screen.canvas.is_blank
    assert not screen.start_over_button.isEnabled()
