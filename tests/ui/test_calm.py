"""The calm minute on screen, the high-contrast mode's switch and reset, and every timed
behaviour that a touch extends (WCAG 2.2.1)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.breathing import BOX, FOUR_SEVEN_EIGHT, MIN_SCALE
from kiosk.core.content.problems import Language
from kiosk.core.session import Phase
from kiosk.ui.audit import as_array
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.menu import Destination
from kiosk.ui.widgets import BigButton
from tests.ui.conftest import FakeClock


def to_menu(qtbot: QtBot, window: KioskWindow) -> None:
    """A visitor comes (a tap on the loop, which may open what its poster shows) and goes
    to the menu."""
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    window.show_screen(window.menu)


def open_calm(qtbot: QtBot, window: KioskWindow) -> None:
    to_menu(qtbot, window)
    qtbot.mouseClick(window.menu.tiles[Destination.CALM], Qt.MouseButton.LeftButton)
    assert window.current_screen is window.calm


def painted_words(window: KioskWindow) -> list[str]:
    """The phase word and the count as the circle's middle draws them."""
    QApplication.processEvents()
    return [spot.text for spot in window.calm.breath.words.text_spots()]


def pixels_like(widget: QWidget, colour: str, tolerance: int = 16) -> int:
    """How many pixels of the widget, as drawn now, are of this colour."""
    pixels = as_array(widget.grab().toImage()).astype(np.int32)
    target = QColor(colour)
    rgb = np.array([target.red(), target.green(), target.blue()], np.int32)
    return int((np.abs(pixels - rgb).max(axis=2) <= tolerance).sum())


def in_window(window: KioskWindow, widget: QWidget, rect: QRect) -> QRect:
    return QRect(widget.mapTo(window, rect.topLeft()), rect.size())


def test_breathing_follows_the_clock_and_ends_in_a_calm_finish(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    open_calm(qtbot, window)
    qtbot.mouseClick(window.calm.pattern_buttons[1], Qt.MouseButton.LeftButton)  # 4-7-8
    assert window.calm.exercise is not None and window.calm.exercise.pattern is FOUR_SEVEN_EIGHT
    assert window.calm.timer.isActive()
    assert painted_words(window) == ["Вдох", "4"]
    clock.advance(5.5)
    window.calm.step()
    assert painted_words(window) == ["Задержка", "6"]
    clock.advance(8.0)
    window.calm.step()
    assert painted_words(window)[0] == "Выдох"
    window.set_language("en")
    assert painted_words(window)[0] == "Breathe out"
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
    to_menu(qtbot, window)
    normal_title = window.menu.title.font().pixelSize()
    button = window.menu.contrast_button
    assert min(button.width(), button.height()) >= window.theme.px(96)
    assert button.text() == "Крупный шрифт"  # an icon and the words
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
    to_menu(qtbot, window)
    qtbot.mouseClick(window.menu.contrast_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.menu.contrast_button, Qt.MouseButton.LeftButton)
    assert not window.theme.high_contrast


# -- WCAG 2.2.1: every timed behaviour can be extended by a touch --------------------------

def test_timing_idle_warning_is_extended_by_a_touch(qtbot: QtBot, window: KioskWindow,
                                                    clock: FakeClock) -> None:
    to_menu(qtbot, window)
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


def test_the_ring_fills_as_the_minute_passes_and_stands_still_in_a_hold(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    open_calm(qtbot, window)
    window.calm.start(BOX)
    view = window.calm.breath
    accent = window.theme.colours.accent
    QApplication.processEvents()
    assert pixels_like(view, accent) == 0  # nothing behind the visitor yet
    filled = [0]
    for elapsed in (4.5, 8.5, 16.5, 40.0, 63.0):  # a phase, two, a breath, 2½ breaths, nearly all
        clock.advance(elapsed - (clock.now - 1000.0))
        window.calm.step()
        filled.append(pixels_like(view, accent))
        assert filled[-1] > filled[-2], (elapsed, filled)
    # In a hold the ring, like the circle, does not move and nothing repaints.
    window.calm.start(BOX)
    clock.advance(5.0)  # held full
    window.calm.step()
    QApplication.processEvents()
    held, paints = pixels_like(view, accent), view.paints
    clock.advance(2.5)
    window.calm.step()
    QApplication.processEvents()
    assert view.paints == paints
    assert pixels_like(view, accent) == held


def test_the_phase_word_and_the_count_sit_together_in_the_circle(
        qtbot: QtBot, window: KioskWindow) -> None:
    open_calm(qtbot, window)
    window.calm.start(FOUR_SEVEN_EIGHT)
    QApplication.processEvents()
    words = window.calm.breath.words
    phase, count = words.text_spots()
    assert (phase.text, count.text) == ("Вдох", "4")
    theme = window.theme
    assert phase.pixel_size in (theme.title_px, theme.lead_px)
    assert count.pixel_size == theme.display_px  # the count is the large thing
    phase_box = in_window(window, words, phase.rect)
    count_box = in_window(window, words, count.rect)
    # One under the other, on one axis, no more than a line apart...
    assert abs(phase_box.center().x() - count_box.center().x()) <= 2
    assert 0 < count_box.center().y() - phase_box.center().y() \
        <= (phase.pixel_size + count.pixel_size) * 0.75
    # ... in the middle of the circle.
    view = window.calm.breath
    centre = view.mapTo(window, view.rect().center())
    middle = (phase_box.center() + count_box.center()) / 2
    assert (middle - centre).manhattanLength() <= theme.px(24)
    # Drawn there: dark ink where the words are.
    image = as_array(window.grab().toImage())
    for box in (phase_box, count_box):
        inside = image[box.top():box.bottom(), box.left():box.right()]
        assert (inside.max(axis=2) < 80).sum() > box.width(), box


def test_the_calm_minute_is_quiet_with_home_top_left(qtbot: QtBot, window: KioskWindow,
                                                     clock: FakeClock) -> None:
    """Nothing in the «tap here» orange on any of its pages; Home in the navigation colour at
    the margin, top left; Back on the breathing page returns to the choice."""
    open_calm(qtbot, window)
    calm = window.calm
    colours = window.theme.colours
    pages = {"choice": lambda: calm.reset(), "breathing": lambda: calm.start(BOX),
             "done": lambda: calm.finish()}
    for name, show in pages.items():
        show()
        QApplication.processEvents()
        assert pixels_like(window, colours.action, tolerance=12) == 0, name
        page = calm.pages.currentWidget()
        assert page is not None
        homes = [b for b in page.findChildren(BigButton)
                 if b.isVisible() and b.text() == "На главную"]
        assert len(homes) == 1, name
        home = in_window(window, homes[0], homes[0].rect())
        assert home.left() == window.theme.margin and home.top() < window.theme.px(80), name
        assert homes[0].background.name() == QColor(colours.navigation).name()
    calm.start(BOX)
    back = calm.breathing_bar.back_button
    assert back.isVisible()
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert calm.pages.currentWidget() is calm.choice and not calm.timer.isActive()


def test_large_text_while_breathing_keeps_the_breath(qtbot: QtBot, window: KioskWindow,
                                                    clock: FakeClock) -> None:
    open_calm(qtbot, window)
    window.calm.start(FOUR_SEVEN_EIGHT)
    started = window.calm.exercise.started if window.calm.exercise else None
    clock.advance(6.0)
    window.calm.step()
    qtbot.mouseClick(window.calm.breathing_bar.large_text, Qt.MouseButton.LeftButton)
    calm = window.calm
    assert window.theme.high_contrast and calm.theme.high_contrast
    assert window.current_screen is calm and calm.pages.currentWidget() is calm.breathing
    assert calm.exercise is not None and calm.exercise.started == started
    assert calm.timer.isActive()
    assert painted_words(window) == ["Задержка", "5"]
    # The words fit the larger type: whole, inside the circle's middle box.
    assert all(spot.fits for spot in calm.breath.words.text_spots())


def test_the_words_of_the_calm_minute_change_language_with_the_top_bar(
        qtbot: QtBot, window: KioskWindow) -> None:
    open_calm(qtbot, window)
    window.calm.start(BOX)
    segment = window.calm.breathing_bar.languages.segments["en"]
    qtbot.mouseClick(segment, Qt.MouseButton.LeftButton)
    assert window.lang == "en" and painted_words(window)[0] == "Breathe in"
    assert window.calm.breathing_bar.home_button.text() == "Home"


def test_what_the_screen_shows_is_the_circle_as_it_is_now(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    """Only parts of the screen are repainted each frame (the circle's square, the words'
    box): the picture on the screen must still be the whole, current one, with no box of a
    frame left behind around the words."""
    open_calm(qtbot, window)
    window.calm.start(BOX)
    # Steps within one second too: the circle moves while the count stays the same.
    for elapsed in (0.2, 0.5, 0.9, 1.2, 1.6, 3.9, 5.0, 8.2, 8.5, 8.9, 10.5, 12.5, 17.0):
        clock.now = window.calm.exercise.started + elapsed if window.calm.exercise else 0.0
        window.calm.step()
        QApplication.processEvents()
        shown = as_array(window.screen().grabWindow(window.winId()).toImage())
        fresh = as_array(window.grab().toImage())
        differ = np.abs(shown.astype(np.int32) - fresh.astype(np.int32)).max(axis=2) > 40
        assert differ.sum() < 50, (elapsed, int(differ.sum()))


def test_the_short_subtitles_break_between_whole_words(window: KioskWindow) -> None:
    """«Круг растёт на вдохе и уменьша- / ется на выдохе»: a word broken in a subtitle of a
    line or two reads as a fault. Whole words, in both languages."""
    calm = window.calm
    for lang in ("ru", "en"):
        window.set_language(lang)
        window.show_screen(calm)
        QApplication.processEvents()
        texts = [calm.hint.text(), calm.done_hint.text(),
                 *(choice.subtitle for choice in calm.pattern_buttons)]
        assert all(texts) and not any("\u00ad" in text for text in texts), (lang, texts)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 1024), (1024, 768)])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_two_rhythms_names_stand_level(window: KioskWindow, lang: Language) -> None:
    """Each tile centred its own words, and «Квадратное дыхание» stood 21 px above «Дыхание
    4-7-8» beside it (its line under says more); in English «4-7-8 / breathing» takes two
    lines: side by side, both are centred as the taller words are."""
    window.set_language(lang)
    window.show_screen(window.calm)
    QApplication.processEvents()
    buttons = window.calm.pattern_buttons
    tops = {button.mapTo(window, QPoint(0, round(button.tile_layout().title_rect.top()))).y()
            for button in buttons}
    assert len(tops) == 1
    assert len({button.tile_layout().picture.width() for button in buttons}) == 1


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 1024), (1024, 768)])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_line_under_the_title_stays_while_the_rhythms_keep_theirs(
        window: KioskWindow, lang: Language, size: tuple[int, int]) -> None:
    """Large text above a notice band took away «Выберите ритм и дышите вместе с кругом…»
    on every screen, where the tiles of a 16:9 or portrait one had room to spare: it goes
    only where with it a rhythm's tile would lose its own line."""
    window.every_notice = True
    window.show_notices()
    window.set_language(lang)
    window.set_high_contrast(True)
    window.show_screen(window.calm)
    QApplication.processEvents()
    assert window.notice_band.isVisible()
    calm = window.calm
    lines = [button.tile_layout().subtitle for button in calm.pattern_buttons]
    if calm.hint.isVisible():
        assert all(lines)
        hint = calm.hint
        assert hint.heightForWidth(hint.width()) <= hint.height()  # whole
    if size[0] >= 1920 or size[1] >= 1920:
        assert calm.hint.isVisible(), size


def test_the_finish_in_large_text_keeps_its_picture_drawn_in_lines(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    """Large text dropped the finish's picture (its pale discs the brightest thing on the
    black page), and left half the screen empty: it is drawn in lines on black now."""
    open_calm(qtbot, window)
    window.set_high_contrast(True)
    calm = window.calm
    calm.start(FOUR_SEVEN_EIGHT)
    clock.advance(61)
    calm.step()
    assert calm.pages.currentWidget() is calm.done
    qtbot.waitUntil(lambda: calm.picture.isVisible() and calm.picture.width() > 200)
    image = calm.picture.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 4)
               for y in range(0, image.height(), 4)}
    assert "#ffffff" in colours  # the innermost ring
    assert "#e6eff8" not in colours and "#cfe0f1" not in colours  # no pale disc
