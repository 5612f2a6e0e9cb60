"""A child colouring by touch: fill, brush, a second finger, undo, start over, done, leave."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.colouring.engine import PAPER
from kiosk.ui.chrome import BAR_HEIGHT
from kiosk.ui.colouring.screen import ColouringScreen, Tool
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


# -- the page's layout: groups, places, states a child sees ---------------------------------


def screen_rect(widget: QWidget, window: KioskWindow) -> QRect:
    return QRect(widget.mapTo(window, QPoint()), widget.size())


def pixels_like(image: QImage, colour: QColor, tolerance: int = 12) -> int:
    """How many pixels of `image` are `colour` (give or take anti-aliasing)."""
    rgb = as_array(image)
    want = np.array([colour.red(), colour.green(), colour.blue()])
    return int((np.abs(rgb.astype(int) - want).max(axis=2) <= tolerance).sum())


def as_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height,
                                                                     image.bytesPerLine())
    return rows[:, :width * 3].reshape(height, width, 3).copy()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 1024), (1024, 768)])
def test_home_is_top_left_and_the_tools_are_grouped(qtbot: QtBot, window: KioskWindow) -> None:
    screen = open_first_picture(qtbot, window)
    theme = window.theme
    # The picture as large as the page allows: on a 5:4 screen the tools down the left left
    # it 433 px of 1024 (42 %); under it in a row, 668.
    canvas = screen_rect(screen.view, window)
    assert min(canvas.width(), canvas.height()) >= 0.6 * min(window.width(), window.height())
    buttons = [b for b in screen.findChildren(QAbstractButton) if b.isVisible()]
    rects = {b: screen_rect(b, window) for b in buttons}
    home = rects[screen.home_button]
    # Where Home is on every screen: at the margin, level with the top bar's Home.
    assert home.topLeft() == QPoint(theme.margin, (theme.px(BAR_HEIGHT) - home.height()) // 2)
    assert all(home.left() <= r.left() and home.top() <= r.top() for r in rects.values())
    pictures = rects[screen.pictures_button]
    assert pictures.top() == home.top()
    assert 0 < pictures.left() - home.right() <= theme.space("m")  # right next to it
    image = window.grab().toImage()
    edge = home.topLeft() + QPoint(home.width() // 2, theme.px(12))  # on the button, no icon
    assert image.pixelColor(edge) == QColor(theme.colours.navigation)
    done = rects[screen.done_button]
    assert image.pixelColor(done.topLeft() + QPoint(done.width() // 2, theme.px(12))) == \
        QColor(theme.colours.action)
    assert screen.done_button.text() == "Готово"

    groups: dict[str, list[QAbstractButton]] = {
        "what paints": [screen.fill_button, *screen.brush_buttons.values(),
                        screen.eraser_button],
        "the colours": list(screen.swatches),
        "what undoes": [screen.undo_button, screen.start_over_button],
        "where to go": [screen.home_button, screen.pictures_button],
        "done": [screen.done_button],
    }
    assert sorted(map(id, buttons)) == sorted(id(b) for g in groups.values() for b in g)
    for name, members in groups.items():
        # A group's area holds none of the other groups' buttons: nothing paired by accident.
        area = QRect()
        for member in members:
            area = area.united(rects[member])
        strangers = [b for b in buttons if b not in members and rects[b].intersects(area)]
        assert not strangers, f"{name} holds {strangers}"
    for button in buttons:
        if button is not screen.done_button:  # «Готово» set apart from all the rest
            assert not rects[button].adjusted(*[-theme.space("l") + 1] * 2,
                                              *[theme.space("l") - 1] * 2).intersects(done)
    for button, rect in rects.items():  # a child's finger: every control a touch target
        assert min(rect.width(), rect.height()) >= theme.touch_px, button


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 1024), (1024, 768)])
def test_every_tool_s_pictogram_and_dot_stay_on_its_card(qtbot: QtBot,
                                                         window: KioskWindow) -> None:
    """Five in a row under the picture on a 4:3 or 5:4 screen, the cards were narrower than
    the pictogram and the large brush's dot together: both ran off the card. The dot keeps
    its size (it is the brush's); the pictograms give way, all alike."""
    screen = open_first_picture(qtbot, window)
    rim = window.theme.px(10)  # the ring of the tool in use, inside the card's edge
    sides = set()
    for tool in screen.tool_buttons:
        inside = QRectF(tool.rect()).adjusted(rim / 2, rim / 2, -rim / 2, -rim / 2)
        icon, mark = tool.pictogram_and_mark()
        sides.add(round(icon.width()))
        assert inside.contains(icon), tool
        if mark is not None:
            assert inside.contains(mark), tool
    assert len(sides) == 1
    large = screen.brush_buttons["large"].pictogram_and_mark()[1]
    assert large is not None and large.width() >= 2 * window.theme.px(28)


def test_the_tool_in_use_wears_the_colour(qtbot: QtBot, window: KioskWindow) -> None:
    screen = open_first_picture(qtbot, window)
    accent = QColor(window.theme.colours.accent)
    blue, red = screen.swatches[8], screen.swatches[0]
    qtbot.mouseClick(blue, Qt.MouseButton.LeftButton)
    assert screen.fill_button.isChecked()
    fill = screen.fill_button.grab().toImage()
    assert pixels_like(fill, blue.colour) > 500  # the patch the fill leaves, in blue
    assert pixels_like(fill, accent) > 500  # and its thick ring
    for brush in screen.brush_buttons.values():
        assert pixels_like(brush.grab().toImage(), blue.colour) == 0
    swatch = blue.grab().toImage()
    assert pixels_like(swatch, QColor(window.theme.colours.ink)) > 1000  # the chosen ring
    assert pixels_like(red.grab().toImage(), QColor(window.theme.colours.ink)) < 100

    qtbot.mouseClick(screen.eraser_button, Qt.MouseButton.LeftButton)
    assert screen.eraser_button.isChecked() and not screen.fill_button.isChecked()
    assert pixels_like(screen.eraser_button.grab().toImage(), accent) > 500
    fill = screen.fill_button.grab().toImage()
    assert pixels_like(fill, blue.colour) == 0 and pixels_like(fill, accent) == 0

    medium = screen.brush_buttons["medium"]
    qtbot.mouseClick(medium, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(red, Qt.MouseButton.LeftButton)  # a new colour: the brush takes it
    assert screen.tool is Tool.BRUSH and medium.isChecked()
    dot = medium.grab().toImage()
    assert pixels_like(dot, red.colour) > 300 and pixels_like(dot, blue.colour) == 0
    assert not screen.eraser_button.isChecked()


def test_the_picker_shows_each_picture_coloured_in(qtbot: QtBot, window: KioskWindow) -> None:
    window.show_screen(window.picker)
    thumbnails = window.picker.thumbnails
    assert thumbnails
    qtbot.waitUntil(lambda: all(t.coloured for t in thumbnails), timeout=20_000)
    for thumbnail in thumbnails:
        pixels = as_array(thumbnail.grab().toImage()).astype(int)
        card = thumbnail.card_rect().toRect()
        picture = pixels[card.top():card.bottom(), card.left():card.right()]
        lightest, darkest = picture.max(axis=2), picture.min(axis=2)
        coloured = (lightest - darkest > 60) & (lightest > 90)  # neither white, black nor grey
        assert coloured.mean() > 0.12, thumbnail.picture.id
        corner = picture[card.height() // 30, card.width() // 2]  # the outside stays white
        assert (corner > 245).all(), thumbnail.picture.id


def test_confetti_stops_on_time_when_frames_come_late(qtbot: QtBot) -> None:
    """A busy kiosk draws fewer frames a second: the celebration still ends after its
    duration (it used to count frames, and fell for as long as the frames took)."""
    from kiosk.ui.colouring.screen import Confetti
    from kiosk.ui.theme import Theme

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(1920, 1080)
    confetti = Confetti(Theme(1920, 1080), parent)
    now = [100.0]
    confetti.clock = lambda: now[0]
    confetti.celebrate(QImage(64, 64, QImage.Format.Format_RGB32))
    assert confetti.timer.isActive()
    now[0] += 1.0
    confetti.timer.timeout.emit()  # one late frame, a second after the last
    assert confetti.timer.isActive() and confetti.elapsed_ms == 1000
    now[0] += Confetti.DURATION_MS / 1000
    confetti.timer.timeout.emit()
    assert not confetti.timer.isActive()


def test_the_canvas_shows_the_finished_pixels_with_paper_around(qtbot: QtBot) -> None:
    """The view draws the paint and the lines over it: the pixels «Готово» shows (Qt rounds
    the multiply its own way: a step of one at most), and paper where the picture is not,
    though it clears only around the picture (the paint under it is opaque)."""
    import cv2

    from kiosk.core.colouring.engine import Canvas, EngineSettings, prepare
    from kiosk.ui.colouring.screen import CanvasView
    from kiosk.ui.theme import Theme

    lightness = np.full((200, 400), 255, dtype=np.uint8)
    cv2.circle(lightness, (200, 100), 70, 0, 5, cv2.LINE_AA)
    canvas = Canvas(prepare(lightness, EngineSettings(gap_px=0)))
    theme = Theme(1920, 1080)
    view = CanvasView(theme)
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show_canvas(canvas)
    view.show()
    qtbot.waitExposed(view)
    for x, y, colour in ((5, 5, 0xFF1E88E5), (200, 100, 0xFFE53935)):
        view.repaint_box(canvas.fill(x, y, colour))
    shown = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(shown.constBits(), dtype=np.uint32).reshape(300, -1)[:, :500]
    left, top = view.origin.toPoint().x(), view.origin.toPoint().y()
    assert (left, top) == (50, 50)
    picture = pixels[top:top + 200, left:left + 400].view(np.uint8).astype(int)
    assert np.abs(picture - canvas.composite().view(np.uint8).astype(int)).max() <= 1
    around = np.ones((300, 500), dtype=bool)
    around[top:top + 200, left:left + 400] = False
    paper = QColor(theme.colours.paper).rgb() & 0xFFFFFF
    assert ((pixels[around] & 0xFFFFFF) == paper).all()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 1024), (1024, 768)])
def test_the_finished_picture_stays_where_it_was_coloured(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    """«Готово» shows the drawing where the child coloured it: in portrait it dropped 284 px
    into the middle of the room the tools had left."""
    screen = open_first_picture(qtbot, window)
    assert screen.canvas is not None
    x, y, _ = inside_of_big_region(screen)
    qtbot.mouseClick(screen.swatches[8], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    width, height = screen.canvas.picture.size
    picture = QRect(screen.view.mapTo(window, screen.view.origin.toPoint()),
                    QSize(width, height))
    around = picture.adjusted(-1, -1, 1, 1)  # and the paper's edge round it
    colouring = as_array(window.grab(around).toImage())
    screen.celebration.clock = clock
    qtbot.mouseClick(screen.done_button, Qt.MouseButton.LeftButton)
    clock.advance(screen.celebration.DURATION_MS / 1000)  # the confetti has fallen
    qtbot.waitUntil(lambda: not screen.celebration.timer.isActive(), timeout=2000)
    assert screen.celebration.isVisible()
    celebrating = as_array(window.grab(around).toImage())
    assert np.array_equal(celebrating, colouring)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 1024), (1024, 768)])
def test_undo_comes_first_and_start_over_after_it_on_every_screen(
        qtbot: QtBot, window: KioskWindow) -> None:
    """[↶][fresh sheet] at 16:9 and in portrait, [fresh sheet][↶] on 4:3 and 5:4: a child met
    the one that wipes the drawing where the arrow had been."""
    screen = open_first_picture(qtbot, window)
    undo = screen_rect(screen.undo_button, window)
    start_over = screen_rect(screen.start_over_button, window)
    assert undo.top() == start_over.top()  # one row
    assert 0 < start_over.left() - undo.right() <= window.theme.space("m")  # right after it
