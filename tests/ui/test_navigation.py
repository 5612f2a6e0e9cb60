"""What a visitor does: tap, choose, read, swipe, switch language, walk away."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.model import Content
from kiosk.core.content.problems import Language
from kiosk.core.playlist import SlideKind
from kiosk.core.queue import Call
from kiosk.core.typeset import typeset
from kiosk.ui.anniversary import AnniversaryScreen
from kiosk.ui.chrome import TopBar
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.menu import Destination
from kiosk.ui.stories import StoriesScreen
from kiosk.ui.theme import Theme
from tests.ui.conftest import FakeClock, WindowFactory


def tap(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())


def swipe(qtbot: QtBot, widget: QWidget, dx: int) -> None:
    start = widget.rect().center()
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=start + QPoint(dx, 10))


def home_button(screen: QWidget) -> QWidget:
    """The Home button of a visitor's screen: in the top bar it shows now."""
    bars = [bar for bar in screen.findChildren(TopBar) if bar.isVisible()]
    assert len(bars) == 1, f"{screen} shows {len(bars)} top bars"
    return bars[0].home_button


def open_menu(qtbot: QtBot, window: KioskWindow) -> None:
    """Touch the loop (it opens what its poster showed), then Home if that was not the menu."""
    tap(qtbot, window.attract.stage)
    if window.current_screen is not window.menu:
        tap(qtbot, home_button(window.current_screen))
    assert window.current_screen is window.menu


def test_attract_shows_content_on_start(window: KioskWindow) -> None:
    assert window.current_screen is window.attract
    assert window.attract.playlist is not None
    assert not window.attract.stage.current.isNull()
    assert "Коснитесь экрана" in [spot.text for spot in window.attract.band.text_spots()]


def test_a_tap_on_attract_opens_the_menu(qtbot: QtBot, window: KioskWindow) -> None:
    open_menu(qtbot, window)
    assert window.menu.title.text() == "Что вы хотите\u00a0посмотреть?"  # typeset
    assert not window.attract.slide_timer.isActive()  # nothing cycles behind the menu


def test_a_finger_touch_opens_what_the_poster_shows(qtbot: QtBot, window: KioskWindow) -> None:
    slide = window.attract.current_slide
    assert slide is not None and slide.kind is SlideKind.COLOURING  # the bundled loop's first
    device = QTest.createTouchDevice()
    point = window.attract.stage.rect().center()
    QTest.touchEvent(window.attract.stage, device).press(0, point).commit()
    QTest.touchEvent(window.attract.stage, device).release(0, point).commit()
    qtbot.waitUntil(lambda: window.current_screen is window.picker)


def test_each_tile_opens_its_screen_and_home_comes_back(qtbot: QtBot,
                                                         window: KioskWindow) -> None:
    open_menu(qtbot, window)
    screens = {Destination.ANNIVERSARY: window.anniversary, Destination.STORIES: window.stories,
               Destination.COLOURING: window.picker}
    for destination, screen in screens.items():
        tap(qtbot, window.menu.tiles[destination])
        assert window.current_screen is screen
        tap(qtbot, home_button(screen))
        assert window.current_screen is window.menu


def turn(qtbot: QtBot, screen: AnniversaryScreen | StoriesScreen, forward: bool = True,
         by_swipe: bool = False) -> None:
    """Turn to the next (or previous) item, through the pages of the text on the way."""
    start = screen.index
    for _ in range(20):
        if by_swipe:
            swipe(qtbot, screen.card, dx=(-1 if forward else 1) * screen.width() // 3)
        else:
            tap(qtbot, screen.nav.next if forward else screen.nav.previous)
        if screen.index != start:
            return
    raise AssertionError("the item never changed")


def test_anniversary_pages_turn_by_arrows_and_swipes(qtbot: QtBot,
                                                     window: KioskWindow) -> None:
    open_menu(qtbot, window)
    tap(qtbot, window.menu.tiles[Destination.ANNIVERSARY])
    screen = window.anniversary
    first_title = screen.card.title.text()
    assert not screen.nav.previous.isEnabled()
    turn(qtbot, screen)
    assert screen.index == 1 and screen.card.title.text() != first_title
    assert screen.nav.dots.current == 1
    turn(qtbot, screen, by_swipe=True)
    assert screen.index == 2
    turn(qtbot, screen, forward=False, by_swipe=True)
    assert screen.index == 1
    turn(qtbot, screen, forward=False)
    assert screen.card.title.text() == first_title


def test_forty_two_anniversary_pages_are_counted_with_both_arrows_on_screen(
        qtbot: QtBot, make_window: WindowFactory, bundled: Content) -> None:
    """A dot a page made a row wider than the screen: the arrows were pushed off it."""
    window = make_window(replace(bundled, pages=bundled.pages * 6))
    open_menu(qtbot, window)
    tap(qtbot, window.menu.tiles[Destination.ANNIVERSARY])
    nav = window.anniversary.nav
    for arrow in (nav.previous, nav.next):
        assert arrow.isVisible()
        assert window.rect().contains(QRect(arrow.mapTo(window, QPoint(0, 0)), arrow.size()))
    assert nav.counter.isVisible() and not nav.dots.isVisible()
    assert nav.counter.text() == "1 из 42"
    turn(qtbot, window.anniversary)
    assert nav.counter.text() == "2 из 42"


def test_stories_swipe_next_previous_random(qtbot: QtBot, window: KioskWindow) -> None:
    open_menu(qtbot, window)
    tap(qtbot, window.menu.tiles[Destination.STORIES])
    screen = window.stories
    total = len(window.content.stories)
    assert screen.nav.counter.text() == f"1 из {total}"
    turn(qtbot, screen, by_swipe=True)
    assert screen.index == 1
    assert screen.card.title.text() == typeset(window.content.stories[1].title.ru, "ru", False)
    turn(qtbot, screen)
    assert screen.nav.counter.text() == f"3 из {total}"
    turn(qtbot, screen, forward=False)
    assert screen.index == 1
    for _ in range(10):
        before = screen.index
        tap(qtbot, screen.nav.random)
        assert screen.index != before


def test_a_tag_chip_filters_the_stories(qtbot: QtBot, window: KioskWindow) -> None:
    open_menu(qtbot, window)
    tap(qtbot, window.menu.tiles[Destination.STORIES])
    screen = window.stories
    tag = window.content.story_tags()[0]
    tap(qtbot, screen.chip_buttons[tag])
    matching = [s for s in window.content.stories if tag in s.tags]
    assert screen.nav.counter.text() == f"1 из {len(matching)}"
    assert screen.card.title.text() == typeset(matching[0].title.ru, "ru", False)
    assert screen.chip_buttons[tag].isChecked()
    tap(qtbot, screen.chip_buttons[None])
    assert screen.nav.counter.text() == f"1 из {len(window.content.stories)}"


def test_language_switch(qtbot: QtBot, window: KioskWindow) -> None:
    open_menu(qtbot, window)
    tap(qtbot, window.menu.language_buttons["en"])
    assert window.menu.title.text() == "What would you like to\u00a0see?"  # typeset
    assert window.menu.tiles[Destination.STORIES].text() == "Sincere\u00a0Service"  # typeset
    tap(qtbot, window.menu.tiles[Destination.STORIES])
    assert window.stories.card.title.text() == typeset(window.content.stories[0].title.en, "en",
                                                       False)
    assert window.stories.top_bar.home_button.text() == "Home"
    tap(qtbot, window.stories.top_bar.home_button)
    tap(qtbot, window.menu.language_buttons["ru"])
    assert window.menu.title.text() == "Что вы хотите\u00a0посмотреть?"  # typeset


def go_idle(qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    clock.advance(window.content.settings.idle_seconds)
    qtbot.waitUntil(window.overlay.isVisible)


def test_idle_warning_then_staying(qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    open_menu(qtbot, window)
    tap(qtbot, window.menu.tiles[Destination.STORIES])
    turn(qtbot, window.stories)
    go_idle(qtbot, window, clock)
    assert window.overlay.question.text() == "Вы ещё здесь?"
    counting = round(window.content.settings.warning_seconds)  # 20
    assert window.overlay.countdown.text() == str(counting)
    hint = " ".join(window.overlay.hint.text().replace("\u00a0", " ").split())
    assert hint == "секунд — и экран вернётся к началу"  # under «20», not «Через 20 с»
    clock.advance(counting - 11)
    qtbot.waitUntil(lambda: window.overlay.countdown.text() == "11")
    assert window.overlay.hint.text().startswith("секунд\u00a0—")  # «11 секунд»
    clock.advance(7)
    qtbot.waitUntil(lambda: window.overlay.countdown.text() == "4")
    assert window.overlay.hint.text().startswith("секунды")
    tap(qtbot, window.overlay.button)
    assert not window.overlay.isVisible()
    assert window.current_screen is window.stories and window.stories.index == 1
    clock.advance(window.content.settings.warning_seconds + 5)  # no longer counting down
    with qtbot.waitSignal(window.session_timer.timeout, timeout=2000):
        pass  # the idle timer has looked at the clock since
    assert window.current_screen is window.stories and not window.overlay.isVisible()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 1024), (1024, 768), (1080, 1920)])
def test_the_idle_question_is_one_line_on_every_screen(qtbot: QtBot, window: KioskWindow,
                                                       clock: FakeClock) -> None:
    """Half the columns of a 5:4 screen made «Вы ещё / здесь?» two lines: the card takes
    eight of twelve there."""
    open_menu(qtbot, window)
    go_idle(qtbot, window, clock)
    question = window.overlay.question
    line = question.fontMetrics().lineSpacing()
    assert question.heightForWidth(question.width()) < 1.5 * line
    assert window.overlay.card.width() <= window.width() - 2 * window.theme.margin


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1280, 800), (1280, 1024),
                                  (1024, 768), (1080, 1920)])
def test_the_idle_question_is_one_line_in_large_text_too(qtbot: QtBot, window: KioskWindow,
                                                         clock: FakeClock, lang: Language) -> None:
    """Large type set «Are you still / there?» in the half of every landscape screen: the
    card grows by two columns at a time, centred, until the question is one line."""
    open_menu(qtbot, window)
    tap(qtbot, window.menu.language_buttons[lang])
    tap(qtbot, window.menu.contrast_button)
    assert window.theme.high_contrast
    go_idle(qtbot, window, clock)
    question = window.overlay.question
    line = question.fontMetrics().lineSpacing()
    assert question.heightForWidth(question.width()) < 1.5 * line
    card = window.overlay.card.geometry()
    assert window.theme.margin <= card.left()
    assert card.right() < window.width() - window.theme.margin
    assert abs(card.center().x() - window.width() / 2) <= 1


def idle_under_three_calls(qtbot: QtBot, window: KioskWindow, clock: FakeClock,
                           large_text: bool) -> None:
    """A visitor in the menu (in large text or not) gone quiet while three calls are up:
    the question is asked, below the band."""
    open_menu(qtbot, window)
    if large_text:
        tap(qtbot, window.menu.contrast_button)
    window.queue_banner.show_calls([Call("А017", "12"), Call("Б104", "3"),
                                    Call("В009", "27")], "ru")
    go_idle(qtbot, window, clock)
    clock.advance(0.3)
    qtbot.waitUntil(lambda: window.overlay.card.y() >= window.queue_banner.height())


@pytest.mark.parametrize("mode", ["normal", "large-text"])
@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1280, 1024), (1024, 768),
                                  (1080, 1920)])
def test_the_idle_question_stands_below_a_call_s_band(qtbot: QtBot, window: KioskWindow,
                                                      clock: FakeClock, mode: str) -> None:
    """Three calls up while the kiosk asked «Вы ещё здесь?»: the band covered the question on
    every landscape screen, and the visitor was never asked before the screen went back to
    the start. The question stands below the band, whole on the screen."""
    idle_under_three_calls(qtbot, window, clock, mode == "large-text")
    card = QRect(window.overlay.card.mapTo(window, QPoint(0, 0)), window.overlay.card.size())
    assert not card.intersects(window.queue_banner.geometry())
    assert window.rect().contains(card)
    assert window.queue_banner.isVisible()  # the call itself still on top
    # The newest call alone meanwhile; the earlier ones again once she stays.
    said = [spot.text for spot in window.queue_banner.text_spots()]
    assert "А017" in said and "Б104" not in said
    if mode == "normal" and not window.theme.narrow:
        assert window.overlay.hint.isVisible()  # the line under the seconds where it fits
    tap(qtbot, window.overlay.button)
    assert "Б104" in [spot.text for spot in window.queue_banner.text_spots()]


class _ShownOrHidden(QObject):
    """Counts a widget's show and hide events."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self.count += 1
        return False


@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768), (1920, 1080)])
def test_the_line_under_the_seconds_stays_put_while_they_count(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    """Large type under three calls on a 4:3 screen has no room for the line under the
    seconds: it was shown to be measured and hidden again at every quarter second, the card
    re-laid each time. Whether it shows is decided once; the card is as tall as its lines."""
    idle_under_three_calls(qtbot, window, clock, large_text=True)
    overlay = window.overlay
    counter = _ShownOrHidden()
    overlay.hint.installEventFilter(counter)
    shown = overlay.hint.isVisible()
    start = int(overlay.countdown.text())
    for left in (start - 1, start - 2, start - 3):
        clock.advance(1)
        qtbot.waitUntil(lambda: overlay.countdown.text() == str(left))  # noqa: B023
    assert counter.count == 0
    assert overlay.hint.isVisible() == shown
    layout = overlay.card.layout()
    assert layout is not None
    assert overlay.card.height() == layout.totalHeightForWidth(overlay.card.width())


def test_walking_away_wipes_everything(qtbot: QtBot, window: KioskWindow,
                                       clock: FakeClock) -> None:
    open_menu(qtbot, window)
    tap(qtbot, window.menu.language_buttons["en"])
    tap(qtbot, window.menu.tiles[Destination.STORIES])
    tag = window.content.story_tags()[0]
    tap(qtbot, window.stories.chip_buttons[tag])
    tap(qtbot, window.stories.nav.next)
    go_idle(qtbot, window, clock)
    assert window.overlay.question.text() == "Are you still there?"
    assert window.overlay.hint.text().replace("\u00a0", " ") \
        == "seconds, then the screen starts over"
    clock.advance(window.content.settings.warning_seconds - 1)
    qtbot.waitUntil(lambda: window.overlay.countdown.text() == "1")
    assert window.overlay.hint.text().startswith("second,")
    clock.advance(1)
    qtbot.waitUntil(lambda: window.current_screen is window.attract)
    assert not window.overlay.isVisible()
    assert window.lang == "ru" and window.stories.lang == "ru"
    assert window.stories.index == 0 and window.stories.tag is None
    assert window.attract.slide_timer.isActive()
    assert window.attract.playlist is not None
    assert window.attract.playlist.index == 0
    open_menu(qtbot, window)  # the next visitor starts afresh
    assert window.menu.title.text() == "Что вы хотите\u00a0посмотреть?"  # typeset


def test_attract_moves_to_the_next_slide_with_a_transition(qtbot: QtBot, window: KioskWindow,
                                                           clock: FakeClock) -> None:
    attract = window.attract
    assert attract.playlist is not None
    first = attract.playlist.current
    shown = attract.stage.current.cacheKey()
    clock.advance(first.duration)
    with qtbot.waitSignal(attract.stage.transition_finished, timeout=5000):
        attract.reschedule()
    assert attract.playlist.current != first
    assert attract.stage.current.cacheKey() != shown
    assert attract.playlist.current.kind in set(SlideKind)


def test_the_attract_clock_shows_the_centres_time_not_the_computers(
        qtbot: QtBot, bundled: Content, clock: FakeClock) -> None:
    # 07:00 UTC is 10:00 in Moscow (kiosk.yaml's `timezone`), whatever zone the computer is in.
    moment = dt.datetime(2026, 8, 22, 7, 0, tzinfo=dt.UTC)
    window = KioskWindow(Theme(1920, 1080), bundled, clock, utc_now=lambda: moment)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    painted = [spot.text for spot in window.attract.band.text_spots()]
    assert "10:00" in painted
    assert any("22 августа 2026" in text for text in painted)
    window.attract.stop()
