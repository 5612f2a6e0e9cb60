"""What the attract loop paints, and what it leaves alone: a transition paints a frame only
when its pixels change, and the screen shows the right frame all the same; the band measures
its words once, not at each frame of the ripple."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.attract.band import AttractBand
from kiosk.ui.attract.screen import SlideStage
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import ImageCache
from kiosk.ui.theme import Theme

SIZE = (480, 270)
# The test moves each transition on by hand, a 250th of it at a time (a 1 s fade at 60 fps
# has 60 ticks). It runs meanwhile, as in the kiosk (a paused one is not a transition), made
# so long that the real milliseconds that pass during the test do not count.
LONG_MS = 250_000
TICK_MS = LONG_MS // 250


def _slide(first: str, last: str) -> QPixmap:
    """A slide whose every column has its own colour, so every step of a blend shows."""
    pixmap = QPixmap(*SIZE)
    painter = QPainter(pixmap)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(SIZE[0], 0))
    gradient.setColorAt(0.0, QColor(first))
    gradient.setColorAt(1.0, QColor(last))
    painter.fillRect(pixmap.rect(), gradient)
    painter.end()
    return pixmap


def _on_screen(stage: SlideStage) -> QImage:
    """What the window shows: the backing store, as the last frames left it (not painted
    afresh, as `grab` would)."""
    screen = stage.screen()
    return screen.grabWindow(stage.winId()).toImage().convertToFormat(
        QImage.Format.Format_RGB32)


def _fresh(stage: SlideStage) -> QImage:
    return stage.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


@pytest.mark.parametrize("style", ["crossfade", "slide"])
def test_a_transition_paints_each_change_once_and_the_screen_shows_every_step(
        qtbot: QtBot, style: str) -> None:
    stage = SlideStage(Theme(1920, 1080))
    qtbot.addWidget(stage)
    stage.resize(*SIZE)
    stage.show()
    qtbot.waitExposed(stage)
    before, after = _slide("#102040", "#f0c080"), _slide("#e02050", "#20e0a0")
    stage.show_pixmap(before, False, 0)
    QApplication.processEvents()
    steps: list[int | None] = []  # the frames painted on the screen (not by `grab`)
    grabbing = False

    def painted() -> None:
        if not grabbing:
            steps.append(stage._painted_step)

    def fresh() -> QImage:
        nonlocal grabbing
        grabbing = True
        try:
            return _fresh(stage)
        finally:
            grabbing = False

    stage.painted.connect(painted)
    stage.transition_style = style
    stage.show_pixmap(after, True, LONG_MS)
    ticks = 0
    for ms in range(0, LONG_MS, TICK_MS):
        stage.animation.setCurrentTime(ms)
        ticks += 1
        # Whether or not this tick painted, the screen shows the frame for this moment (a
        # frame asked for is painted at the window's next update, within 16 ms).
        qtbot.waitUntil(lambda: _on_screen(stage) == fresh(), timeout=1000)
    frames = [step for step in steps if step is not None]
    assert frames == sorted(set(frames)), "a frame painted the same pixels twice"
    assert 40 < len(frames) < ticks
    assert frames[-1] == stage._step(1.0) or style == "crossfade"  # 479.99 px: 480
    updates = 0

    def update() -> None:
        nonlocal updates
        updates += 1
        QWidget.update(stage)

    stage.update = update  # type: ignore[method-assign,assignment]
    stage.animation.setCurrentTime(LONG_MS)  # the end: the new slide, whole
    assert not stage.in_transition and stage.previous.isNull()
    if style == "slide":  # its last frame showed the new slide whole: not painted again
        assert updates == 0
    whole = after.toImage().convertToFormat(QImage.Format.Format_RGB32)
    qtbot.waitUntil(lambda: _on_screen(stage) == whole, timeout=1000)


def test_a_new_transition_paints_its_first_frame_whatever_the_last_one_painted(
        qtbot: QtBot) -> None:
    stage = SlideStage(Theme(1920, 1080))
    qtbot.addWidget(stage)
    stage.resize(*SIZE)
    stage.show()
    qtbot.waitExposed(stage)
    first, second, third = (_slide("#000000", "#ffffff"), _slide("#ff0000", "#0000ff"),
                            _slide("#00ff00", "#ffff00"))
    stage.show_pixmap(first, False, 0)
    stage.show_pixmap(second, True, LONG_MS)
    whole = second.toImage().convertToFormat(QImage.Format.Format_RGB32)
    stage.animation.setCurrentTime(LONG_MS)  # ends at full opacity: its last step
    qtbot.waitUntil(lambda: _on_screen(stage) == whole, timeout=1000)
    stage.show_pixmap(third, True, LONG_MS)
    stage.animation.setCurrentTime(LONG_MS // 2)
    qtbot.waitUntil(lambda: _on_screen(stage) != whole, timeout=1000)
    assert _on_screen(stage) == _fresh(stage)
    stage.animation.stop()


def test_the_band_measures_its_words_once_for_each_size_and_language(qtbot: QtBot) -> None:
    band = AttractBand(Theme(1920, 1080), ImageCache())
    qtbot.addWidget(band)
    band.resize(1920, band.height())
    band.set_texts("ru", "Мои Документы", "10:00", ("суббота, 5 декабря",))
    measured = 0
    measure = band._measure_invite_boxes

    def counted() -> tuple[object, ...]:
        nonlocal measured
        measured += 1
        return measure()

    band._measure_invite_boxes = counted  # type: ignore[method-assign,assignment]
    first = band._invite_boxes()
    for _ in range(50):  # two seconds of ripples
        band._step()
        band._invite_boxes()
    assert measured == 1
    assert band._invite_boxes() == first
    band.set_texts("en", "My Documents", "10:00", ("Saturday, 5 December",))
    english = band._invite_boxes()
    assert measured == 2 and english == measure()  # «Touch the screen» is another width
    assert english[1] != first[1]
    band.resize(1280, band.height())
    assert band._invite_boxes() == measure() and measured == 3


def test_the_ring_is_where_the_measured_boxes_put_it(window: KioskWindow) -> None:
    """In both orientations (the `window` fixture makes each)."""
    band = window.attract.band
    ring, main, _sub = band._invite_boxes()
    assert (ring, main) == band._measure_invite_boxes()[:2]
    assert band.rect().contains(band._ripple_rect())
    assert ring.right() < main.left()


def test_a_part_of_a_frame_painted_does_not_stand_for_the_whole(qtbot: QtBot) -> None:
    """A banner leaving the stage repaints a strip of it: the rest still shows the step
    before, so the next tick at that step must paint the whole stage again."""
    stage = SlideStage(Theme(1920, 1080))
    qtbot.addWidget(stage)
    stage.resize(*SIZE)
    stage.show()
    qtbot.waitExposed(stage)
    stage.show_pixmap(_slide("#102040", "#f0c080"), False, 0)
    stage.transition_style = "slide"
    after = _slide("#e02050", "#20e0a0")
    stage.show_pixmap(after, True, LONG_MS)
    stage.animation.setCurrentTime(LONG_MS // 4)
    qtbot.waitUntil(lambda: _on_screen(stage) == _fresh(stage), timeout=1000)
    asked = stage.update
    stage.update = lambda: None  # type: ignore[method-assign,assignment]
    # The last step (the new slide in place, 0.5 px to go), its frame not yet painted …
    stage.animation.setCurrentTime(LONG_MS * 97 // 100)
    assert stage._step(float(stage.animation.currentValue())) == stage._step(1.0)
    stage.repaint(0, 0, 8, SIZE[1])  # … but a strip of it is
    stage.update = asked  # type: ignore[method-assign]
    stage.animation.setCurrentTime(LONG_MS)  # the end: the new slide, whole
    whole = after.toImage().convertToFormat(QImage.Format.Format_RGB32)
    qtbot.waitUntil(lambda: _on_screen(stage) == whole, timeout=1000)
