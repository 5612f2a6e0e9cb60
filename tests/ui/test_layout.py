"""Nothing cut off, big enough to hit, large enough to read: on every screen and size."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QRect, Qt, QThreadPool
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.core.breathing import BOX
from kiosk.core.content.model import Content
from kiosk.core.contrast import contrast_ratio
from kiosk.ui import theme as th
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.markdown import MarkdownView
from kiosk.ui.menu import Destination
from kiosk.ui.navigation import ChipStrip
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme

W = TypeVar("W", bound=QWidget)


def visible_in(window: KioskWindow, kind: type[W]) -> list[W]:
    return [w for w in window.findChildren(kind) if w.isVisibleTo(window) and w.isVisible()]


def rect_in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def check_screen(window: KioskWindow, screen: Screen) -> None:
    QApplication.processEvents()
    theme = window.theme
    bounds = window.rect()
    for button in visible_in(window, QAbstractButton):
        where = rect_in_window(button, window)
        strip = button.parentWidget()
        if isinstance(strip, ChipStrip):  # the chips slide along their strip: what shows
            where = where.intersected(rect_in_window(strip, window))
            assert where.height() == strip.height(), f"{button.text()!r} is cut off"
            continue
        assert bounds.contains(where), f"{button.text()!r} is cut off on {screen}"
        assert min(where.width(), where.height()) >= theme.px(96), \
            f"{button.text()!r} is smaller than a fingertip: {where}"
    for label in visible_in(window, QLabel):
        if label.text():
            assert bounds.contains(rect_in_window(label, window)), label.text()
            assert label.font().pixelSize() >= theme.px(28), label.text()
    check_labels(window, screen)
    for view in visible_in(window, MarkdownView):
        if view.markdown:
            assert not view.overflows(), f"text cut off: {view.markdown[:60]}"
            # Never below the usual body size (the high-contrast mode starts larger).
            assert view.font_px >= theme.px(36) - theme.px(4), view.markdown[:60]


def check_labels(window: KioskWindow, screen: Screen) -> None:
    """No label's words cut off: by its parent's edge, or by its own where a run of tied
    words is wider than it; and a separator dot never left at the end of a line."""
    for label in visible_in(window, QLabel):
        if label.text() and (parent := label.parentWidget()) is not None:
            # Below its parent's edge, a label is cut off there (the details under a title
            # of three lines in large type), though the window holds it.
            assert parent.rect().contains(label.geometry()), \
                f"{label.text()!r} runs out of its {type(parent).__name__} on {screen}"
        if label.text() and label.wordWrap():
            # A run it cannot break (words tied by the typesetter) runs past its edge: cut off.
            box = label.contentsRect()
            needed = label.fontMetrics().boundingRect(
                box, int(Qt.TextFlag.TextWordWrap) | int(label.alignment()), label.text())
            assert needed.width() <= box.width(), f"{label.text()!r} is cut off on {screen}"
            # «Центр госуслуг района Митино · / 29 декабря 2020»: a stray dot at a line's end.
            assert " · " not in label.text() \
                or label.fontMetrics().horizontalAdvance(label.text()) <= box.width(), \
                f"{label.text()!r} wraps at its separator on {screen}"


def walk_every_screen(window: KioskWindow, start_at_attract: bool = True) -> None:
    if start_at_attract:
        check_screen(window, window.attract)
    window.show_screen(window.menu)
    for lang in ("ru", "en"):
        window.set_language(lang)
        check_screen(window, window.menu)
        window.show_screen(window.anniversary)
        for index in range(len(window.content.pages)):
            window.anniversary.go(index)
            check_screen(window, window.anniversary)
        window.show_screen(window.stories)
        for index in range(len(window.content.stories)):
            window.stories.go(index)
            check_screen(window, window.stories)
        window.show_screen(window.picker)
        check_screen(window, window.picker)
        window.picker.picture_chosen.emit(window.content.colouring[0].id)
        QThreadPool.globalInstance().waitForDone()
        QApplication.processEvents()
        assert window.colouring.canvas is not None
        check_screen(window, window.colouring)
        width, height = window.colouring.canvas.picture.size
        view = window.colouring.view
        assert view.width() >= width and view.height() >= height  # the picture fits whole
        window.show_screen(window.calm)
        window.calm.reset()
        check_screen(window, window.calm)
        window.calm.start(BOX)
        check_screen(window, window.calm)
        window.calm.finish()
        check_screen(window, window.calm)
        window.show_screen(window.menu)
        window.overlay.show_countdown(15, lang)
        check_screen(window, window.menu)
        window.overlay.hide()


def test_every_screen_fits(window: KioskWindow) -> None:
    walk_every_screen(window)


def test_every_screen_fits_in_the_high_contrast_mode(window: KioskWindow) -> None:
    window.show_screen(window.menu)
    window.set_high_contrast(True)
    assert window.menu.title.font().pixelSize() == round(th.TYPE_SCALE["title"] * 1.3)
    walk_every_screen(window, start_at_attract=False)


def test_4k_screen_scales_everything(qtbot: QtBot, bundled: Content) -> None:
    win = KioskWindow(Theme(3840, 2160), bundled)
    qtbot.addWidget(win)
    win.show()
    win.show_screen(win.menu)
    assert win.menu.title.font().pixelSize() == th.TYPE_SCALE["title"] * 2
    walk_every_screen(win)
    win.attract.stop()


def test_no_content_shows_a_branded_screen_not_a_black_one(qtbot: QtBot,
                                                           tmp_path: Path) -> None:
    win = KioskWindow(Theme(1920, 1080), Content(tmp_path / "missing"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    painted = " ".join(spot.text for spot in win.attract.stage.text_spots())
    assert "Мои Документы" in painted.replace("\u00a0", " ")
    image = win.grab().toImage()
    centre = QColor(image.pixel(image.width() // 2, image.height() // 3))
    assert centre.lightness() > 200  # the paper colour, not black
    qtbot.mouseClick(win.attract.stage, Qt.MouseButton.LeftButton)
    # Only the calm minute, which needs no content, is offered.
    assert [d for d, tile in win.menu.tiles.items() if tile.isVisible()] == [Destination.CALM]
    win.attract.stop()


@pytest.mark.parametrize(("name", "fg", "bg", "needed"), th.TEXT_ON_BACKGROUND)
def test_text_contrast(name: str, fg: str, bg: str, needed: float) -> None:
    assert contrast_ratio(fg, bg) >= needed, name


@pytest.mark.parametrize(("name", "fg", "bg", "needed"),
                         th.contrast_pairs(th.HIGH_CONTRAST, high_contrast=True))
def test_high_contrast_palette_is_seven_to_one_everywhere(name: str, fg: str, bg: str,
                                                          needed: float) -> None:
    assert needed == 7.0
    assert contrast_ratio(fg, bg) >= needed, name


def test_new_content_leaves_no_stale_thumbnail_or_chip_on_screen(window: KioskWindow,
                                                               bundled: Content) -> None:
    """Replaced thumbnails and tag chips are deleted later, on the next turn of the event
    loop; until then they must not be drawn (a stale one covered the picker's title)."""
    from kiosk.ui.colouring.picker import Thumbnail

    window.show_screen(window.picker)
    window.picker.set_content(bundled)  # as a reload does
    QApplication.processEvents()  # shows the new ones; deferred deletes wait for the loop
    shown = [t for t in window.picker.findChildren(Thumbnail) if t.isVisible()]
    assert shown == window.picker.thumbnails

    window.show_screen(window.stories)
    window.stories.set_content(bundled)
    QApplication.processEvents()
    strip = window.stories.strip
    chips = {b for b in strip.findChildren(QAbstractButton) if b.isVisible() and b.isCheckable()}
    assert chips and chips <= set(window.stories.chip_buttons.values())
    assert strip.chips == list(window.stories.chip_buttons.values())
