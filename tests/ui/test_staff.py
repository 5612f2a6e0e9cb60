"""Staff: the hidden corner gesture, the PIN pad, the staff menu and the screen test."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.model import Content
from kiosk.core.content.problems import Problem, Severity
from kiosk.core.contrast import contrast_ratio
from kiosk.core.i18n import tr
from kiosk.core.pin import PinStore
from kiosk.core.service import recent_log
from kiosk.core.service.exit_codes import EXIT_OK, EXIT_RESTART
from kiosk.core.staff_text import st
from kiosk.ui import theme as th
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.menu import Destination
from kiosk.ui.staff.menu import StaffAction
from kiosk.ui.staff.pin_pad import ALERT
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Icon
from tests.ui.conftest import FakeClock, WindowFactory, settle

PIN = "2580"


class FakeWall:
    """The wall clock, moved by hand (lockouts are in wall-clock time)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture
def pins(tmp_path: Path) -> PinStore:
    store = PinStore(tmp_path / "state")
    store.set_pin(PIN)
    return store


@pytest.fixture
def staff_window(make_window: WindowFactory, wall: FakeWall, pins: PinStore) -> KioskWindow:
    return make_window(utc_now=wall, pins=pins)


def tap_at(window: KioskWindow, point: QPoint) -> None:
    """A click as the screen delivers it: to the window, which hands it to the widget under
    the point."""
    handle = window.windowHandle()
    assert handle is not None
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def plain(text: str) -> str:
    """What a label says, read as typed: typeset's no-break spaces and word joiners out."""
    return text.replace("\xa0", " ").replace("\u2060", "")


def shown(window: KioskWindow) -> QWidget:
    return window.current_screen


def tap(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def corner_taps(qtbot: QtBot, window: KioskWindow, clock: FakeClock, count: int = 5) -> None:
    for _ in range(count):
        tap_at(window, QPoint(30, 30))
        clock.advance(0.3)
    settle(qtbot)  # the PIN pad opens after the last tap has been handled


def enter(qtbot: QtBot, window: KioskWindow, pin: str) -> None:
    for digit in pin:
        tap(qtbot, window.pin_pad.keys[digit])
    tap(qtbot, window.pin_pad.enter)


def test_five_corner_taps_open_the_pin_pad(qtbot: QtBot, staff_window: KioskWindow,
                                           clock: FakeClock) -> None:
    corner_taps(qtbot, staff_window, clock)
    assert shown(staff_window) is staff_window.pin_pad
    assert plain(staff_window.pin_pad.title.text()) == "Вход для сотрудников"
    assert plain(staff_window.pin_pad.message.text()) == "Введите ПИН-код"


def test_five_finger_touches_in_the_corner_open_it_too(qtbot: QtBot, staff_window: KioskWindow,
                                                       clock: FakeClock) -> None:
    device = QTest.createTouchDevice()
    for _ in range(5):
        QTest.touchEvent(staff_window, device).press(0, QPoint(20, 20)).commit()
        QTest.touchEvent(staff_window, device).release(0, QPoint(20, 20)).commit()
        clock.advance(0.2)
    qtbot.waitUntil(lambda: shown(staff_window) is staff_window.pin_pad)


def test_four_taps_slow_taps_or_taps_elsewhere_do_not(qtbot: QtBot, staff_window: KioskWindow,
                                                      clock: FakeClock) -> None:
    corner_taps(qtbot, staff_window, clock, count=4)
    # An ordinary tap on the loop opened what its first poster shows: the colouring pictures.
    assert shown(staff_window) is staff_window.picker
    clock.advance(5)
    corner_taps(qtbot, staff_window, clock, count=4)
    tap_at(staff_window, QPoint(staff_window.width() // 2, 30))
    corner_taps(qtbot, staff_window, clock, count=4)
    assert shown(staff_window) is staff_window.picker
    clock.advance(5)
    for _ in range(5):
        tap_at(staff_window, QPoint(30, 30))
        clock.advance(1.1)  # five taps over four and a half seconds
    settle(qtbot)
    assert shown(staff_window) is staff_window.picker


def test_the_corner_taps_are_ordinary_taps_on_the_screen_underneath(
        qtbot: QtBot, staff_window: KioskWindow, clock: FakeClock) -> None:
    tap_at(staff_window, QPoint(30, 30))
    assert shown(staff_window) is staff_window.picker  # the loop's poster's screen, as any tap
    staff_window.show_screen(staff_window.menu)
    tap(qtbot, staff_window.menu.tiles[Destination.STORIES])
    tap(qtbot, staff_window.stories.nav.next)
    corner_taps(qtbot, staff_window, clock)
    assert shown(staff_window) is staff_window.pin_pad
    tap(qtbot, staff_window.pin_pad.cancel)
    assert shown(staff_window) is staff_window.menu


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 1024), (1024, 768)])
def test_a_child_hammering_home_never_opens_the_pin_pad(qtbot: QtBot, staff_window: KioskWindow,
                                                        clock: FakeClock) -> None:
    """Home sits just right of the corner. Hammered, it goes to the menu, and the taps after
    land where it was: none of them are the staff's."""
    window = staff_window
    for start in (window.stories, window.picker, window.calm, window.anniversary):
        window.show_screen(start)
        settle(qtbot)
        homes = [button for button in start.findChildren(QAbstractButton)
                 if button.isVisible() and button.accessibleName() == tr("home", "ru")]
        assert len(homes) == 1
        home = QRect(homes[0].mapTo(window, QPoint(0, 0)), homes[0].size())
        spot = QPoint(home.left() + 4, home.top() + 4)  # as near the corner as Home goes
        for _ in range(8):
            tap_at(window, spot)
            clock.advance(0.2)
        settle(qtbot)
        assert shown(window) is window.menu, type(start).__name__
    corner = window.corner_px()
    assert corner >= window.theme.px(60)  # still a finger's room for staff
    corner_taps(qtbot, window, clock)  # and the gesture itself still opens the pad
    assert shown(window) is window.pin_pad


def test_without_a_pin_nobody_gets_in(qtbot: QtBot, bundled: Content, clock: FakeClock) -> None:
    window = KioskWindow(Theme(1920, 1080), bundled, clock, pins=None)
    qtbot.addWidget(window)
    window.show()
    corner_taps(qtbot, window, clock)
    assert shown(window) is window.pin_pad
    # Who to ask, not a command: a visitor may read it, and `kiosk set-pin` alone (as root)
    # wrote a folder no kiosk reads.
    assert plain(window.pin_pad.message.text()) == (
        "ПИН-код ещё не задан, поэтому меню сотрудников закрыто. Попросите ИТ-службу задать "
        "его.")
    assert not window.pin_pad.keys["1"].isEnabled()
    assert not window.pin_pad.enter.isEnabled()
    window.set_language("en")
    assert plain(window.pin_pad.message.text()) == (
        "No PIN has been set, so the staff menu is closed. Ask IT to set one.")
    window.attract.stop()
    window.session_timer.stop()


def test_a_pin_set_while_the_kiosk_runs_opens_the_pad_at_the_next_try(
        qtbot: QtBot, bundled: Content, clock: FakeClock, tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    window = KioskWindow(Theme(1920, 1080), bundled, clock, pins=store)
    qtbot.addWidget(window)
    window.show()
    corner_taps(qtbot, window, clock)
    assert not window.pin_pad.keys["1"].isEnabled()  # no PIN yet
    tap(qtbot, window.pin_pad.cancel)
    PinStore(tmp_path).set_pin(PIN)  # `kiosk set-pin` on the kiosk's computer
    clock.advance(5)
    corner_taps(qtbot, window, clock)
    assert shown(window) is window.pin_pad
    assert window.pin_pad.keys["1"].isEnabled()
    enter(qtbot, window, PIN)
    assert shown(window) is window.staff
    window.attract.stop()
    window.session_timer.stop()


def test_the_right_pin_opens_the_staff_menu(qtbot: QtBot, staff_window: KioskWindow,
                                            clock: FakeClock) -> None:
    corner_taps(qtbot, staff_window, clock)
    tap(qtbot, staff_window.pin_pad.keys["9"])
    tap(qtbot, staff_window.pin_pad.back)  # a slip of the finger, taken back
    enter(qtbot, staff_window, PIN)
    assert shown(staff_window) is staff_window.staff
    assert staff_window.staff.title.text() == "Меню сотрудников"


def test_a_wrong_pin_shakes_and_says_so(qtbot: QtBot, staff_window: KioskWindow,
                                        clock: FakeClock) -> None:
    corner_taps(qtbot, staff_window, clock)
    enter(qtbot, staff_window, "1111")
    pad = staff_window.pin_pad
    assert shown(staff_window) is pad
    assert plain(pad.message.text()) == "Неверный ПИН-код. Осталось попыток: 4"
    assert pad.dots.shake.state() == pad.dots.shake.State.Running
    assert pad.dots.count == 0  # typed digits are gone
    tap(qtbot, pad.keys["1"])
    tap(qtbot, pad.clear)
    assert pad.dots.count == 0


def test_five_wrong_pins_lock_the_pad_for_five_minutes(qtbot: QtBot, staff_window: KioskWindow,
                                                       clock: FakeClock, wall: FakeWall,
                                                       pins: PinStore) -> None:
    corner_taps(qtbot, staff_window, clock)
    for _ in range(5):
        enter(qtbot, staff_window, "0000")
    pad = staff_window.pin_pad
    assert plain(pad.message.text()) == "Слишком много неверных попыток. Подождите 5 мин."
    assert not pad.keys[PIN[0]].isEnabled()
    enter(qtbot, staff_window, PIN)  # disabled keys: nothing happens
    assert shown(staff_window) is pad
    assert PinStore(pins.directory).seconds_locked(wall().timestamp()) == 300  # kept on disk
    wall.advance(200)
    pad.render_view()
    assert plain(pad.message.text()) == "Слишком много неверных попыток. Подождите 2 мин."
    wall.advance(100)
    pad.render_view()
    enter(qtbot, staff_window, PIN)
    assert shown(staff_window) is staff_window.staff


def test_staff_screens_close_on_idle_like_any_other(qtbot: QtBot, staff_window: KioskWindow,
                                                    clock: FakeClock) -> None:
    corner_taps(qtbot, staff_window, clock)
    for digit in "25":
        tap(qtbot, staff_window.pin_pad.keys[digit])
    settings = staff_window.content.settings
    clock.advance(settings.idle_seconds)
    qtbot.waitUntil(staff_window.overlay.isVisible)
    with qtbot.waitSignal(staff_window.visitor_left):  # the app then frees memory
        clock.advance(settings.warning_seconds)
    assert shown(staff_window) is staff_window.attract
    assert staff_window.pin_pad.digits == ""  # nothing typed is kept
    corner_taps(qtbot, staff_window, clock)
    enter(qtbot, staff_window, PIN)
    tap(qtbot, staff_window.staff.buttons[StaffAction.PATTERN])
    assert shown(staff_window) is staff_window.pattern
    clock.advance(settings.idle_seconds)
    qtbot.waitUntil(staff_window.overlay.isVisible)
    clock.advance(settings.warning_seconds)
    qtbot.waitUntil(lambda: shown(staff_window) is staff_window.attract)


def open_staff_menu(qtbot: QtBot, window: KioskWindow, clock: FakeClock) -> None:
    corner_taps(qtbot, window, clock)
    enter(qtbot, window, PIN)
    assert shown(window) is window.staff


def test_reload_asks_the_app_and_says_when_it_is_done(qtbot: QtBot, staff_window: KioskWindow,
                                                      clock: FakeClock) -> None:
    open_staff_menu(qtbot, staff_window, clock)
    with qtbot.waitSignal(staff_window.reload_requested):
        tap(qtbot, staff_window.staff.buttons[StaffAction.RELOAD])
    assert staff_window.staff.status_label.text() == "Материалы перечитываются…"
    broken = replace(staff_window.content, problems=(
        Problem("stories/bad.md", 3, Severity.ERROR, "bad_date", {"value": "31.02"}),))
    staff_window.update_content(broken)  # what the reloader hands over
    assert staff_window.staff.status_label.text().startswith("Материалы перечитаны в ")
    assert shown(staff_window) is staff_window.staff  # staff stay where they are
    tap(qtbot, staff_window.staff.buttons[StaffAction.PROBLEMS])
    lines = staff_window.staff.text.lines
    assert lines[0] == "Ошибок: 1, предупреждений: 0"
    assert lines[-1].startswith("stories/bad.md:3: ")
    tap(qtbot, staff_window.staff.buttons[StaffAction.BACK])
    assert shown(staff_window) is staff_window.attract
    assert staff_window.content is broken  # the new content went in once staff left


def test_diagnostics_show_version_memory_content_and_last_errors(
        qtbot: QtBot, staff_window: KioskWindow, clock: FakeClock) -> None:
    ring = recent_log.install()
    logging.getLogger("kiosk.test").warning("a picture did not decode")
    staff_window.safe_mode = (True, "three crashes in a row")
    staff_window.diagnostic_extra = lambda: ["Statistics: 42 sessions today"]
    open_staff_menu(qtbot, staff_window, clock)
    text = "\n".join(staff_window.staff.text.lines)
    assert "Версия программы: 0.1.0" in text
    assert "МБ (PSS)" in text
    assert "Страниц: 7, историй: 15, картинок для раскраски: 9" in text
    assert "a picture did not decode" in text
    assert "БЕЗОПАСНЫЙ РЕЖИМ: three crashes in a row" in text
    assert "Statistics: 42 sessions today" in text
    assert ring.lines()


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])  # once
def test_the_last_errors_are_stamped_in_the_centres_time_as_the_content_is(
        qtbot: QtBot, staff_window: KioskWindow, clock: FakeClock, wall: FakeWall,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A kiosk computer left on UTC in Moscow: the diagnostics said the content was loaded at
    12:00 and the picture failed at 09:00, the same minute, three hours apart."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        ring = recent_log.install()
        moscow = staff_window.content.settings.zone
        before = dt.datetime.now(moscow)
        logging.getLogger("kiosk.test").warning("a picture did not decode")
        after = dt.datetime.now(moscow)
        open_staff_menu(qtbot, staff_window, clock)
        line = next(line for line in staff_window.staff.text.lines
                    if line.endswith("a picture did not decode"))
        assert line[:11] in {moment.strftime("%d.%m %H:%M") for moment in (before, after)}
        assert ring.lines()[-1][:11] in {moment.astimezone(dt.UTC).strftime("%d.%m %H:%M")
                                         for moment in (before, after)}  # the computer's
    finally:
        monkeypatch.undo()
        time.tzset()


def test_long_panels_turn_pages_and_nothing_is_cut(qtbot: QtBot, staff_window: KioskWindow,
                                                   clock: FakeClock) -> None:
    many = tuple(Problem(f"stories/s{i:02d}.md", i, Severity.WARNING, "unknown_key",
                         {"key": f"tilte{i}", "suggest": "title"}) for i in range(1, 60))
    staff_window.content = replace(staff_window.content, problems=many)
    open_staff_menu(qtbot, staff_window, clock)
    staff = staff_window.staff
    tap(qtbot, staff.buttons[StaffAction.PROBLEMS])
    assert len(staff.text.pages) > 1
    assert sum(len(page) for page in staff.text.pages) == len(staff.text.lines)
    assert not staff.previous.isEnabled() and staff.next.isEnabled()
    tap(qtbot, staff.next)
    assert staff.text.page == 1 and staff.counter.text() == f"2 из {len(staff.text.pages)}"


def test_screen_test_fills_the_screen_and_a_tap_returns(qtbot: QtBot, staff_window: KioskWindow,
                                                        clock: FakeClock) -> None:
    open_staff_menu(qtbot, staff_window, clock)
    tap(qtbot, staff_window.staff.buttons[StaffAction.PATTERN])
    pattern = staff_window.pattern
    assert pattern.geometry() == staff_window.rect()
    image = pattern.grab().toImage()
    assert image.pixelColor(0, 0).name() == "#ffffff"  # the 1-pixel border
    assert image.pixelColor(3, 3).name() == "#ff0000"  # the corner mark
    width, height = pattern.physical_size()
    assert (width, height) == (staff_window.width(), staff_window.height())
    tap(qtbot, pattern)
    assert shown(staff_window) is staff_window.staff


def test_restart_and_quit_need_a_second_press(qtbot: QtBot, staff_window: KioskWindow,
                                              clock: FakeClock) -> None:
    open_staff_menu(qtbot, staff_window, clock)
    codes: list[int] = []
    staff_window.exit_requested.connect(codes.append)
    staff = staff_window.staff
    tap(qtbot, staff.buttons[StaffAction.RESTART])
    assert codes == [] and staff.status_label.text() == "Нажмите ещё раз, чтобы подтвердить"
    tap(qtbot, staff.buttons[StaffAction.EXIT])  # another button: asks again
    assert codes == []
    tap(qtbot, staff.buttons[StaffAction.RESTART])
    tap(qtbot, staff.buttons[StaffAction.RESTART])
    assert codes == [EXIT_RESTART]
    assert not staff_window.allow_close
    staff_window.close()
    assert staff_window.isVisible()  # a restart is the app's to do, not a closed window
    tap(qtbot, staff.buttons[StaffAction.EXIT])
    tap(qtbot, staff.buttons[StaffAction.EXIT])
    assert codes == [EXIT_RESTART, EXIT_OK]
    staff_window.close()
    assert not staff_window.isVisible()


def test_no_staff_gesture_from_inside_the_staff_screens(qtbot: QtBot, staff_window: KioskWindow,
                                                        clock: FakeClock) -> None:
    open_staff_menu(qtbot, staff_window, clock)
    corner_taps(qtbot, staff_window, clock)
    assert shown(staff_window) is staff_window.staff


def test_the_pin_pad_warning_colour_reads_well() -> None:
    assert contrast_ratio(ALERT, th.PAPER) >= 7.0


def test_every_staff_button_is_big_enough(staff_window: KioskWindow, size: tuple[int, int]) -> None:
    smallest = Theme(*size).px(96)
    pad = staff_window.pin_pad
    staff_window.show_screen(pad)
    keys = [*pad.keys.values(), pad.clear, pad.back, pad.enter, pad.cancel]
    assert len(keys) == 14
    assert all(min(b.width(), b.height()) >= smallest for b in keys)
    staff_window.show_screen(staff_window.staff)
    assert all(min(b.width(), b.height()) >= smallest
               for b in staff_window.staff.buttons.values())


def test_each_lock_in_a_row_is_longer_and_says_so(qtbot: QtBot, staff_window: KioskWindow,
                                                  clock: FakeClock, wall: FakeWall,
                                                  pins: PinStore) -> None:
    corner_taps(qtbot, staff_window, clock)
    pad = staff_window.pin_pad
    said = []
    for _ in range(4):
        pad.render_view()
        for _ in range(5):
            enter(qtbot, staff_window, "0000")
        said.append(plain(pad.message.text()))
        assert not pad.keys["0"].isEnabled()
        wall.advance(PinStore(pins.directory).seconds_locked(wall().timestamp()))
    assert said == ["Слишком много неверных попыток. Подождите 5 мин.",
                    "Слишком много неверных попыток. Подождите 15 мин.",
                    "Слишком много неверных попыток. Подождите 60 мин.",
                    "Слишком много неверных попыток. Подождите 4 ч или попросите "
                    "ИТ-службу задать ПИН-код заново."]
    pad.render_view()
    enter(qtbot, staff_window, PIN)  # the right PIN after the last lock: in, and forgiven
    assert shown(staff_window) is staff_window.staff
    assert PinStore(pins.directory).lockout.locks == 0


def test_the_longest_pad_message_is_shown_whole(qtbot: QtBot, staff_window: KioskWindow,
                                                clock: FakeClock) -> None:
    """A lock of hours says what to do in four lines: none of them cut at the foot."""
    corner_taps(qtbot, staff_window, clock)
    message = staff_window.pin_pad.message
    for lang in ("ru", "en"):
        message.setText(st("pin_locked_hours", lang, hours=4))
        assert message.height() >= message.heightForWidth(message.width())


def test_the_pin_pad_wears_the_colour_roles(staff_window: KioskWindow) -> None:
    """«Войти» is the pad's main action (orange, as «Готово» and «Я здесь»), «Отмена» goes
    back (navy, as Home): the other way round, the orange «Отмена» read as the way on."""
    colours = th.NORMAL  # staff screens are always in the usual theme
    pad = staff_window.pin_pad
    assert pad.enter.background.name() == QColor(colours.action).name()
    assert pad.cancel.background.name() == QColor(colours.navigation).name()
    # White keys on the cream page: a rim in their ink says they are keys, not blank space.
    for key in (pad.clear, pad.back):
        staff_window.show_screen(pad)
        edge = key.grab().toImage().pixelColor(key.width() // 2, key.theme.px(2))
        assert edge.name() == QColor(th.BLUE).name()


def fill_of(button: QWidget) -> str:
    """The colour a button is filled with, inside its rim above its label."""
    return button.grab().toImage().pixelColor(button.width() // 2,
                                              button.height() // 10).name()


def test_the_two_panels_are_a_pair_of_tabs_right_above_the_text(
        qtbot: QtBot, staff_window: KioskWindow, clock: FakeClock) -> None:
    """«Замечания к материалам» and «Диагностика» choose what the text shows: side by side
    above it, the one shown filled, with no action between them and the text (among the
    actions, the outlined one read as the panel shown)."""
    open_staff_menu(qtbot, staff_window, clock)
    staff = staff_window.staff
    problems = staff.buttons[StaffAction.PROBLEMS]
    diagnostics = staff.buttons[StaffAction.DIAGNOSTICS]

    def place(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(staff, QPoint(0, 0)), widget.size())

    qtbot.waitUntil(lambda: place(staff.text).top() - place(problems).bottom()
                    <= staff.theme.px(48))  # the layout settled
    text = place(staff.text)
    tabs = [place(button) for button in (problems, diagnostics)]
    assert tabs[0].top() == tabs[1].top() and tabs[0].right() < tabs[1].left()
    assert all(text.left() <= tab.left() and tab.right() <= text.right() for tab in tabs)
    assert text.top() > tabs[0].bottom()
    for action, button in staff.buttons.items():
        if action in (StaffAction.PROBLEMS, StaffAction.DIAGNOSTICS):
            continue
        place_ = place(button)
        beside = place_.right() < text.left() or place_.left() > text.right()
        assert beside or place_.bottom() < tabs[0].top(), action
    blue, white = QColor(th.BLUE).name(), QColor(th.WHITE).name()
    assert (fill_of(problems), fill_of(diagnostics)) == (white, blue)
    tap(qtbot, problems)
    assert (fill_of(problems), fill_of(diagnostics)) == (blue, white)
    assert staff.text.lines == ["Замечаний нет: материалы в порядке."]


@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768)], ids=["5:4", "4:3"])
def test_the_staff_screens_fit_a_4_3_or_5_4_screen(
        qtbot: QtBot, bundled: Content, clock: FakeClock, wall: FakeWall, pins: PinStore,
        size: tuple[int, int]) -> None:
    """Drawn for 16:9, the pad's double margins squeezed its keys into each other at
    1280×1024 and cut «сотрудников»; the menu's fixed column cut its tabs («ечания к
    материа»). Every key apart, every word and every label whole."""
    window = KioskWindow(Theme(*size), bundled, clock, utc_now=wall, pins=pins)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    corner_taps(qtbot, window, clock)
    pad = window.pin_pad
    keys = [*pad.keys.values(), pad.clear, pad.back]
    boxes = [QRect(key.mapTo(pad, QPoint(0, 0)), key.size()) for key in keys]
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    title = pad.title
    widest = max(title.fontMetrics().horizontalAdvance(word) for word in title.text().split(" "))
    assert widest <= title.width()
    assert QRect(title.mapTo(pad, QPoint(0, 0)), title.size()).right() < min(
        box.left() for box in boxes)
    enter(qtbot, window, PIN)
    staff = window.staff
    for lang in ("ru", "en"):
        window.set_language(lang)
        settle(qtbot)
        for button in staff.buttons.values():
            needed = button.fontMetrics().horizontalAdvance(button.text())
            assert needed + 2 * button.padding <= button.width(), button.text()
    window.attract.stop()
    window.session_timer.stop()


def test_a_single_page_of_staff_text_has_no_pager(qtbot: QtBot, staff_window: KioskWindow,
                                                  clock: FakeClock) -> None:
    """«1 из 1» between two dead arrows says nothing: the pager shows with a second page."""
    open_staff_menu(qtbot, staff_window, clock)
    staff = staff_window.staff
    tap(qtbot, staff.buttons[StaffAction.PROBLEMS])  # the bundled content has none
    assert len(staff.text.pages) == 1
    assert not staff.counter.isVisible() and not staff.next.isVisible()
    staff.text.set_lines([f"строка {n}" for n in range(200)])
    assert staff.counter.isVisible() and staff.next.isVisible()
    assert plain(staff.counter.text()).startswith("1 из ")


def test_the_pads_hint_sits_under_the_dots_and_backspace_is_not_back(
        qtbot: QtBot, staff_window: KioskWindow, clock: FakeClock) -> None:
    """«Введите ПИН-код» was centred in the room kept for four lines, floating halfway to the
    buttons; the key that takes a digit away wore the chevron that means «back» and «the
    page before» everywhere else."""
    corner_taps(qtbot, staff_window, clock)
    pad = staff_window.pin_pad
    image = pad.message.grab().toImage()
    paper = image.pixelColor(0, 0)
    inked = [y for y in range(image.height())
             if any(image.pixelColor(x, y) != paper for x in range(0, image.width(), 2))]
    assert inked and inked[0] < pad.message.fontMetrics().lineSpacing()
    assert pad.back.glyph is Icon.BACKSPACE
    assert pad.back.glyph is not staff_window.stories.nav.previous.glyph
