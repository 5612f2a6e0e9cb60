"""A child who leaves a picture (Home by mistake, a look at another picture) finds their
drawing as they left it, on the canvas and on the picker's card, until the visit ends; then
nothing of it is left for the next visitor."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from pytestqt.qtbot import QtBot

from kiosk.core.colouring.engine import outside_region
from kiosk.core.colouring.kept import DrawingCopy
from kiosk.core.content.loader import load_content
from kiosk.core.pin import PinStore
from kiosk.ui.colouring import picker
from kiosk.ui.colouring.picker import Thumbnail
from kiosk.ui.colouring.screen import ColouringScreen
from kiosk.ui.main_window import KioskWindow
from tests.helpers import BUNDLED
from tests.ui.conftest import FakeClock, WindowFactory, settle
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
    old = screen.canvas
    assert old is not None
    window.set_high_contrast(True)
    # The page built anew has it; the old page's canvas, going with the page, is blank paper
    # (it went with the drawing on it: in freed memory, after the visit too).
    assert old.is_blank and not old.history
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
        assert window.picker.kept_drawing(window.picker.thumbnails[0].picture.source) is None
        window.go_to_attract()

    # The next visitor: the cards are the kiosk's own colouring again, the sheet blank.
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    assert card_pixels(qtbot, window, 0, colour) <= before + 200
    screen = open_picture(qtbot, window, 0)
    assert screen.canvas is not None and screen.canvas.is_blank
    assert not screen.start_over_button.isEnabled()


def held_anywhere(digests: set[str], sizes: set[int]) -> bool:
    """Whether any object Python can reach holds bytes (or an array) with one of `digests`."""
    gc.collect()
    seen: set[int] = set()
    todo: list[Any] = gc.get_objects()
    while todo:
        thing = todo.pop()
        if id(thing) in seen:
            continue
        seen.add(id(thing))
        if isinstance(thing, bytes | bytearray | np.ndarray):
            size = thing.nbytes if isinstance(thing, np.ndarray) else len(thing)
            if size in sizes and hashlib.sha256(
                    thing.tobytes() if isinstance(thing, np.ndarray) else thing).hexdigest() \
                    in digests:
                return True
            continue
        todo.extend(gc.get_referents(thing))
    return False


@contextlib.contextmanager
def busy_pool() -> Iterator[threading.Event]:
    """Every worker of Qt's pool held until the event is set: jobs asked meanwhile wait."""
    pool = QThreadPool.globalInstance()
    go, started = threading.Event(), threading.Semaphore(0)

    def hold() -> None:
        started.release()
        go.wait(30)

    for _ in range(pool.maxThreadCount()):
        pool.start(hold)
    for _ in range(pool.maxThreadCount()):
        assert started.acquire(timeout=30)
    try:
        yield go
    finally:
        go.set()


def test_the_visit_ending_while_a_card_draws_the_drawing_leaves_nothing(
        qtbot: QtBot, window: KioskWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes: list[str] = []  # what the card's worker made of a kept drawing
    coloured = picker._coloured

    def watched(*args: Any) -> Any:
        try:
            result = coloured(*args)
        except Exception as exc:
            outcomes.append(repr(exc))
            raise
        if args[-1] is not None:
            outcomes.append(type(result).__name__)
        return result

    monkeypatch.setattr(picker, "_coloured", watched)
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)  # a visitor arrives
    screen = open_picture(qtbot, window, 0)
    paint = colour_the_outside(qtbot, screen, 12)
    with busy_pool():
        # The child goes back to the pictures: the card asks for their drawing, its job waits…
        qtbot.mouseClick(screen.pictures_button, Qt.MouseButton.LeftButton)
        assert window.current_screen is window.picker
        drawing = window.picker.kept_drawing(window.picker.thumbnails[0].picture.source)
        assert drawing is not None
        window.picker.thumbnails[0].repaint()  # as the screen paints it: the card asks
        packed = bytes(drawing.packed)
        digests = {hashlib.sha256(packed).hexdigest(),
                   hashlib.sha256(paint.tobytes()).hexdigest()}
        sizes = {len(packed), paint.nbytes}
        del packed, paint
        # …and the visit ends (the idle reset) before the worker reads the drawing.
        window.go_to_attract()
        assert not any(drawing.packed)
    assert QThreadPool.globalInstance().waitForDone(30_000)
    settle(qtbot)
    # The worker drew from its own copy (it read the zeros and failed: a zlib error)…
    assert outcomes and all(outcome == "QImage" for outcome in outcomes), outcomes
    # …which went with its job: nothing of the drawing is left anywhere.
    del drawing
    assert not [thing for thing in gc.get_objects() if isinstance(thing, DrawingCopy)]
    assert not held_anywhere(digests, sizes)


def test_a_drawing_shows_on_its_own_card_not_on_a_file_of_the_same_name(
        qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(BUNDLED, root)
    # The puppy as «umbrella.png»: a picture of its own, beside «umbrella.svg» (id «umbrella»)
    art = QImage(1024, 1024, QImage.Format.Format_RGB32)
    art.fill(QColor("white"))
    painter = QPainter(art)
    QSvgRenderer(str(root / "colouring" / "dog.svg")).render(painter)
    painter.end()
    assert art.save(str(root / "colouring" / "umbrella.png"))
    window = make_window(load_content(root))
    twin = next(i for i, card in enumerate(window.picker.thumbnails)
                if card.picture.source.name == "umbrella.png")
    assert window.picker.thumbnails[0].picture.source.name == "umbrella.svg"
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)  # a visitor arrives
    swatch = 12
    colour = QColor.fromRgba(0xFF000000 | open_picture(qtbot, window, 0).swatches[swatch].argb)
    before = card_pixels(qtbot, window, twin, colour)
    colour_the_outside(qtbot, open_picture(qtbot, window, 0), swatch)
    window.show_screen(window.picker)
    assert card_pixels(qtbot, window, 0, colour) > before + 5000  # the umbrella they drew
    # The puppy's card is the kiosk's puppy: it showed the umbrella's drawing over the puppy.
    assert card_pixels(qtbot, window, twin, colour) <= before + 200
