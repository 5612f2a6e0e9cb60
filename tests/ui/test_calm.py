"""The calm minute on screen, the high-contrast mode's switch and reset, and every timed
behaviour that a touch extends (WCAG 2.2.1)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.core.breathing import BOX, FOUR_SEVEN_EIGHT, MIN_SCALE
from kiosk.core.session import Phase
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.menu import Destination
from tests.ui.conftest import FakeClock


def open_calm(qtbot: QtBot, window: KioskWindow) -> None:
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.menu.tiles[Destination.CALM], Qt.MouseButton.LeftButton)
    assert window.current_screen is window.calm


def test_breathing_follows_the_clock_and_ends_in_a_calm_finish(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    open_calm(qtbot, window)
    qtbot.mouseClick(window.calm.pattern_buttons[1], Qt.MouseButton.LeftButton)  # 4-7-8
    assert window.calm.exercise is not None and window.calm.exercise.pattern is FOUR_SEVEN_EIGHT
    assert window.calm.timer.isActive()
    assert window.calm.phase_word.text() == "Вдох" and window.calm.countdown.text() == "4"
    clock.advance(5.5)
    window.calm.step()
    assert window.calm.phase_word.text() == "Задержка" and window.calm.countdown.text() == "6"
    clock.advance(8.0)
    window.calm.step()
    assert window.calm.phase_word.text() == "Выдох"
    window.set_language("en")
    assert window.calm.phase_word.text() == "Breathe out"
    clock.advance(60)
    window.calm.step()
    assert window.calm.pages.currentWidget() is window.calm.done
    assert window.calm.done_title.text() == "Well done"
    assert not window.calm.timer.isActive()  # finished: no more frames


def test_the_circle_repaints_only_when_it_moves(qtbot: QtBot, window: KioskWindow,
                                                clock: FakeClock) -> None:
    open_calm(qtbot, window)
    window.calm.start(BOX)
    view = window.calm.breath
    clock.advance(1.0)
    window.calm.step()
    QApplication.processEvents()
    moving = view.paints
    clock.advance(1.0)
    window.calm.step()
    QApplication.processEvents()
    assert view.paints > moving  # breathing in: it grows and is painted
    clock.advance(3.0)  # into the hold: the size does not change
    window.calm.step()
    QApplication.processEvents()
    held = view.paints
    for _ in range(20):
        clock.advance(0.1)
        window.calm.step()
        QApplication.processEvents()
    assert view.paints == held  # a hold costs no frames
    # Hidden (the visitor went home): the timer stops, nothing paints.
    window.show_screen(window.menu)
    assert not window.calm.timer.isActive()
    still = view.paints
    for _ in range(10):
        clock.advance(0.5)
        QApplication.processEvents()
    assert view.paints == still


def test_the_minute_is_never_cut_by_the_idle_warning(qtbot: QtBot, window: KioskWindow,
                                                     clock: FakeClock) -> None:
    window.session.idle_seconds = 20  # the shortest a centre can set
    window.session.warning_seconds = 5
    open_calm(qtbot, window)
    window.calm.start(BOX)
    for _ in range(int(BOX.duration_s * 4)):
        clock.advance(0.25)
        window._tick()
        window.calm.step()
        assert not window.overlay.isVisible(), clock.now
    assert window.calm.pages.currentWidget() is window.calm.done
    # Then the visitor walks away: warning, and back to attract with nothing of theirs left.
    clock.advance(20)
    window._tick()
    assert window.overlay.isVisible()
    clock.advance(5)
    window._tick()
    assert window.current_screen is window.attract
    assert window.session.phase is Phase.ATTRACT
    assert window.calm.pages.currentWidget() is window.calm.choice


def test_the_contrast_switch_changes_every_screen_and_resets_when_the_visitor_leaves(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    normal_title = window.menu.title.font().pixelSize()
    button = window.menu.contrast_button
    assert min(button.width(), button.height()) >= window.theme.px(96)
    assert not button.text()  # an icon, no words
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.theme.high_contrast and window.current_screen is window.menu
    assert window.menu.contrast_button.isChecked()
    assert window.menu.title.font().pixelSize() > normal_title * 1.25
    image = window.grab().toImage()
    assert image.pixelColor(5, 5).lightness() < 20  # a black page
    for screen in window.screens:
        if screen is not window.attract and screen not in window.staff_screens:
            assert screen.theme.high_contrast, screen
    # Attract and the staff screens keep the usual look: the mode is one visitor's choice.
    assert not window.attract.theme.high_contrast
    assert not any(screen.theme.high_contrast for screen in window.staff_screens)
    clock.advance(window.session.idle_seconds)
    window._tick()
    clock.advance(window.session.warning_seconds)
    window._tick()
    assert window.stack.currentWidget() is window.attract
    assert not window.theme.high_contrast
    assert not window.menu.theme.high_contrast
    # A second tap switches it off again.
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.menu.contrast_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.menu.contrast_button, Qt.MouseButton.LeftButton)
    assert not window.theme.high_contrast


# -- WCAG 2.2.1: every timed behaviour can be extended by a touch --------------------------

def test_timing_idle_warning_is_extended_by_a_touch(qtbot: QtBot, window: KioskWindow,
                                                    clock: FakeClock) -> None:
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    clock.advance(window.session.idle_seconds)
    window._tick()
    assert window.overlay.isVisible()
    qtbot.mouseClick(window.overlay.button, Qt.MouseButton.LeftButton)
    assert not window.overlay.isVisible()
    clock.advance(window.session.idle_seconds - 1)
    window._tick()
    assert window.current_screen is window.menu  # a whole idle time again


def test_timing_attract_slides_stop_at_a_touch(qtbot: QtBot, window: KioskWindow) -> None:
    assert window.attract.slide_timer.isActive()
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    assert not window.attract.slide_timer.isActive()  # nothing advances under a visitor


def test_timing_calm_minute_finish_waits_for_the_visitor(qtbot: QtBot, window: KioskWindow,
                                                         clock: FakeClock) -> None:
    open_calm(qtbot, window)
    window.calm.start(BOX)
    clock.advance(BOX.duration_s)
    window.calm.step()
    assert window.calm.breath.scale == MIN_SCALE
    clock.advance(window.session.idle_seconds - 1)
    window._tick()
    assert window.calm.pages.currentWidget() is window.calm.done  # no auto-advance
    qtbot.mouseClick(window.calm.again, Qt.MouseButton.LeftButton)  # once more, by a touch
    assert window.calm.pages.currentWidget() is window.calm.choice
