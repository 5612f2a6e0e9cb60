"""The screen sleeps when the centre is closed: a black cover and no work in the dark, a touch
that only wakes it, waking before opening, content that waits for the morning. The centre's
time is the window's wall clock, moved by hand; the sleep timer is fired by hand after it
(its interval is checked, so no test waits for it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QAbstractAnimation, QPoint, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.core.content.model import Content, Notice, Text
from kiosk.core.service.sdnotify import Notifier
from kiosk.core.session import Phase
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import probe_image
from kiosk.ui.service.display_power import DisplayPower
from kiosk.ui.service.operations import Operations, OpsConfig
from kiosk.ui.service.reloader import ASLEEP_SLOWER, ContentReloader
from kiosk.ui.service.sleep import CHECK_MS
from kiosk.ui.theme import Theme
from tests.helpers import BUNDLED, make_folder, story
from tests.ui.conftest import FakeClock, WindowFactory, settle

MOSCOW = ZoneInfo("Europe/Moscow")
EIGHT_TO_EIGHT = (((dt.time(8), dt.time(20)),),) * 7  # every day 08:00-20:00


class CentreClock:
    """The wall clock as the centre reads it (Moscow), set and moved by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 7, 22, 0, tzinfo=MOSCOW)  # a Monday night

    def __call__(self) -> dt.datetime:
        return self.now.astimezone(dt.UTC)

    def set(self, year: int, month: int, day: int, hour: int, minute: int,
            second: int = 0) -> None:
        self.now = dt.datetime(year, month, day, hour, minute, second, tzinfo=MOSCOW)

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def wall() -> CentreClock:
    return CentreClock()


def with_hours(content: Content, **changes: Any) -> Content:
    settings = replace(content.settings, timezone="Europe/Moscow",
                       opening_hours=EIGHT_TO_EIGHT, **changes)
    return replace(content, settings=settings)


@pytest.fixture
def night(make_window: WindowFactory, wall: CentreClock, bundled: Content) -> KioskWindow:
    """A kiosk given opening hours of 08:00-20:00 at 22:00: asleep."""
    window = make_window(utc_now=wall)
    window.screen_sleep.start()  # as `kiosk run` does
    window.set_content(with_hours(bundled))
    return window


def fire(window: KioskWindow) -> None:
    """The sleep timer's moment has come (the wall clock was moved there)."""
    timer = window.screen_sleep.timer
    assert timer.isActive()
    timer.stop()
    timer.timeout.emit()


def tap_at(window: KioskWindow, point: QPoint | None = None) -> None:
    """A tap as the screen delivers it: to the window, which hands it to what is under it."""
    handle = window.windowHandle()
    assert handle is not None
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     point or window.rect().center())


def working(window: KioskWindow) -> list[str]:
    """Timers and animations running under the window, but the sleep timer."""
    timers = [f"{type(t.parent()).__name__} {t.interval()} ms"
              for t in window.findChildren(QTimer)
              if t.isActive() and t is not window.screen_sleep.timer]
    return timers + [type(a.parent()).__name__ for a in window.findChildren(QAbstractAnimation)
                     if a.state() is QAbstractAnimation.State.Running]


def all_black(window: KioskWindow) -> bool:
    image = window.grab().toImage()
    points = [(x * image.width() // 8, y * image.height() // 8)
              for x in range(8) for y in range(8)]
    return all(QColor(image.pixel(x, y)) == QColor(0, 0, 0) for x, y in points)


def test_outside_opening_hours_the_screen_is_black_and_nothing_works_on_it(
        night: KioskWindow, qtbot: QtBot) -> None:
    sleep = night.screen_sleep
    assert sleep.asleep and sleep.cover.isVisible()
    assert sleep.cover.geometry() == night.rect()
    assert all_black(night)
    assert not night.attract.slide_timer.isActive()
    assert not night.attract.clock_timer.isActive()
    assert not night.attract.band.timer.isActive()
    assert working(night) == []
    report = sleep.report
    assert report is not None and not report.on and report.reason == "after_hours"
    assert report.until == dt.datetime(2026, 12, 8, 7, 50, tzinfo=MOSCOW)
    assert report.method == "black"  # offscreen: no monitor to power down
    # The next change is ten hours away; it looks again within the minute all the same, so a
    # clock set by NTP or by hand is followed.
    assert sleep.timer.interval() == CHECK_MS
    paints = sleep.cover.paints
    settle(qtbot)
    assert sleep.cover.paints == paints  # static: nothing repaints


def test_the_first_touch_only_wakes_the_screen_and_the_next_one_opens_the_kiosk(
        night: KioskWindow, wall: CentreClock, qtbot: QtBot) -> None:
    tap_at(night)
    sleep = night.screen_sleep
    assert not sleep.asleep and not sleep.cover.isVisible()
    assert night.current_screen is night.attract  # the menu did not open under the finger
    assert night.session.phase is Phase.ATTRACT
    assert night.attract.slide_timer.isActive() and night.attract.band.timer.isActive()
    report = sleep.report
    assert report is not None and report.on and report.reason == "touched"
    assert report.until == wall.now + dt.timedelta(minutes=5)
    tap_at(night)
    assert night.current_screen is not night.attract  # now a tap opens what it shows
    assert night.session.phase is not Phase.ATTRACT


def test_a_touch_given_to_a_widget_while_asleep_only_wakes_too(
        night: KioskWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(night.screen_sleep.cover, Qt.MouseButton.LeftButton)
    assert not night.screen_sleep.asleep
    assert night.current_screen is night.attract and night.session.phase is Phase.ATTRACT


def test_woken_by_a_touch_it_sleeps_again_five_minutes_after_the_last_one(
        night: KioskWindow, wall: CentreClock, clock: FakeClock, qtbot: QtBot) -> None:
    tap_at(night)  # wakes it
    wall.advance(minutes=2)
    tap_at(night)  # a visitor: the menu
    night.go_to_attract()  # … who left (the idle time ran out)
    wall.advance(minutes=3)
    fire(night)
    assert not night.screen_sleep.asleep  # five minutes from the last touch, not the first
    wall.advance(minutes=2, seconds=1)
    fire(night)
    assert night.screen_sleep.asleep and night.screen_sleep.cover.isVisible()
    assert working(night) == []


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])  # once
def test_a_clock_set_back_after_a_touch_does_not_light_the_screen_for_nobody_later(
        night: KioskWindow, wall: CentreClock) -> None:
    """A computer whose clock ran three hours ahead (its hardware clock kept in local time)
    is set right by NTP a moment after a touch at night. The touch counts from the time set,
    as a visitor's idle time does: the screen went dark at once and lit up again for five
    minutes when the clock came round to the touch's time, three hours later, for nobody."""
    wall.set(2026, 12, 8, 1, 0)  # the clock's reading: a Tuesday, 01:00
    tap_at(night)  # wakes it
    wall.set(2026, 12, 7, 22, 0, 30)  # set right by NTP: Monday, 22:00
    fire(night)
    sleep = night.screen_sleep
    assert sleep.report is not None and sleep.report.reason == "touched"
    assert sleep.report.until == dt.datetime(2026, 12, 7, 22, 5, 30, tzinfo=MOSCOW)
    wall.set(2026, 12, 7, 22, 5, 31)
    fire(night)
    assert sleep.asleep
    assert sleep.report.until != dt.datetime(2026, 12, 8, 1, 0, tzinfo=MOSCOW)
    wall.set(2026, 12, 8, 1, 0, 1)  # the touch's old time comes round
    fire(night)
    assert sleep.asleep and night.screen_sleep.cover.isVisible()


def test_it_wakes_ten_minutes_before_opening(night: KioskWindow, wall: CentreClock) -> None:
    wall.set(2026, 12, 8, 7, 49, 30)
    fire(night)  # the minute's look
    sleep = night.screen_sleep
    assert sleep.asleep
    assert abs(sleep.timer.interval() - 30_000) <= 50  # set for 07:50, not a minute
    wall.set(2026, 12, 8, 7, 50)
    fire(night)
    assert not sleep.asleep and sleep.report is not None
    assert sleep.report.reason == "before_opening"
    assert sleep.report.until == dt.datetime(2026, 12, 8, 8, 0, tzinfo=MOSCOW)
    assert night.attract.slide_timer.isActive()  # the loop runs again


def test_a_wall_clock_set_forward_is_followed_within_the_minute(
        night: KioskWindow, wall: CentreClock) -> None:
    wall.set(2026, 12, 8, 9, 30)  # NTP or a person set the clock: it is morning
    fire(night)
    assert not night.screen_sleep.asleep
    assert night.screen_sleep.report is not None
    assert night.screen_sleep.report.reason == "open"


def test_content_that_comes_while_asleep_is_rendered_on_waking(
        night: KioskWindow, bundled: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    renders: list[object] = []
    render = night.attract.painter.render

    def counted(*args: Any) -> Any:
        renders.append(args[0])
        return render(*args)

    monkeypatch.setattr(night.attract.painter, "render", counted)
    paints = night.screen_sleep.cover.paints
    new = with_hours(bundled, centre_name="Мои Документы района Арбат")
    night.update_content(new)
    assert renders == [] and night.screen_sleep.cover.paints == paints
    assert night.screen_sleep.asleep and night.pending_content is new
    tap_at(night)
    assert night.content is new and night.pending_content is None
    assert renders  # the loop's first slide, for the new content


def test_new_opening_hours_take_effect_at_once(
        night: KioskWindow, bundled: Content) -> None:
    round_the_clock = replace(bundled, settings=replace(bundled.settings, opening_hours=None))
    night.update_content(round_the_clock)
    sleep = night.screen_sleep
    assert not sleep.asleep and sleep.report is not None
    assert sleep.report.reason == "always_open"
    assert not sleep.timer.isActive()  # nothing changes with time now
    night.update_content(with_hours(bundled))
    assert sleep.asleep


def test_a_visitor_at_closing_time_is_not_cut_off(
        make_window: WindowFactory, wall: CentreClock, bundled: Content) -> None:
    wall.set(2026, 12, 7, 19, 58)
    window = make_window(utc_now=wall)
    window.screen_sleep.start()
    window.set_content(with_hours(bundled))
    tap_at(window)  # open: an ordinary visitor
    assert window.session.phase is Phase.ACTIVE
    wall.set(2026, 12, 7, 20, 3, 1)  # closed, and five minutes after their last touch
    fire(window)
    sleep = window.screen_sleep
    assert not sleep.asleep and sleep.report is not None
    assert sleep.report.reason == "visitor"
    window.go_to_attract()  # they left: the idle time ran out
    assert sleep.asleep


def test_the_diagnostics_say_whether_the_screen_is_on_and_why(
        night: KioskWindow) -> None:
    lines = night.diagnostics("ru")
    assert "Экран выключен — центр закрыт: нерабочее время; включится завтра в 07:50" in lines
    assert "Гашение экрана: чёрный экран, сам монитор включён" in lines
    tap_at(night)
    assert "Экран включён — разбужен касанием до 22:05" in night.diagnostics("ru")
    assert "Screen on — woken by a touch until 22:05" in night.diagnostics("en")


def test_a_kiosk_without_opening_hours_never_sleeps_and_sets_no_timer(
        window: KioskWindow) -> None:
    sleep = window.screen_sleep
    sleep.start()
    assert not sleep.asleep and not sleep.timer.isActive()
    assert sleep.report is not None and sleep.report.reason == "always_open"


def test_previews_and_checks_never_sleep_whatever_the_time(
        make_window: WindowFactory, wall: CentreClock, bundled: Content) -> None:
    window = make_window(utc_now=wall)  # not started: as `kiosk preview` and `kiosk check`
    window.set_content(with_hours(bundled))  # 22:00, closed
    assert not window.screen_sleep.asleep and window.screen_sleep.report is None
    assert not window.screen_sleep.cover.isVisible()
    assert not any(line.startswith("Экран включён") for line in window.diagnostics("ru"))



def test_asleep_the_folder_is_looked_at_less_often_and_at_once_on_waking(
        qtbot: QtBot, tmp_path: Path) -> None:
    root = make_folder(tmp_path / "content", stories={"a.md": story()})
    reloader = ContentReloader(root, Content(root), None, probe_image)
    try:
        reloader.set_asleep(True)
        assert reloader.timer.interval() == 500 * ASLEEP_SLOWER  # inotify still speaks up
        assert reloader.looks == 0
        reloader.set_asleep(False)
        assert reloader.timer.interval() == 500
        qtbot.waitUntil(lambda: reloader.looks == 1)  # what changed in the night, now
    finally:
        reloader.stop()


class FakePower(DisplayPower):
    """A monitor with a power switch that something else may flip too."""

    def __init__(self) -> None:
        super().__init__("dpms")
        self.on = True
        self.switched: list[bool] = []

    def set_on(self, on: bool) -> None:
        self.switched.append(on)
        self.on = on

    def is_on(self) -> bool | None:
        return self.on


def test_the_monitor_is_powered_down_at_night_and_kept_as_the_hours_say(
        make_window: WindowFactory, wall: CentreClock, bundled: Content) -> None:
    window = make_window(utc_now=wall)
    power = FakePower()
    window.screen_sleep.power = power
    window.screen_sleep.start()
    assert power.switched == [True]  # at the start: on, and kept from blanking
    power.switched.clear()
    window.set_content(with_hours(bundled))
    assert power.switched == [False] and window.screen_sleep.report is not None
    assert window.screen_sleep.report.method == "dpms"
    power.on = True  # the X server woke it (a mouse moved), and nobody touched the screen
    fire(window)
    assert power.switched == [False, False] and not power.on
    tap_at(window)
    assert power.switched[-1] is True
    wall.set(2026, 12, 8, 12, 0)
    fire(window)
    power.on = False  # `xset dpms force off` in the day
    fire(window)
    assert power.on and window.screen_sleep.report.on


def test_a_start_outside_opening_hours_tells_systemd_it_is_ready(
        qtbot: QtBot, wall: CentreClock, bundled: Content, clock: FakeClock,
        tmp_path: Path) -> None:
    """The first frame is the black one: READY=1 all the same (systemd would otherwise kill a
    kiosk started at night as one that never came up)."""
    window = KioskWindow(Theme(1280, 720), with_hours(bundled), clock, utc_now=wall)
    qtbot.addWidget(window)
    window.screen_sleep.start()
    assert window.screen_sleep.asleep
    config = OpsConfig(None, None, BUNDLED, BUNDLED)
    ops = Operations(window, config, None, None, None, Notifier({}), clock=clock)
    stage_frames: list[bool] = []
    window.attract.stage.painted.connect(lambda: stage_frames.append(True))
    window.show()
    qtbot.waitUntil(lambda: ops.ready_sent)
    assert stage_frames == []  # the black cover's frame, not a slide's
    ops.shutdown()


def test_urgent_notices_do_not_turn_their_pages_in_the_dark(
        make_window: WindowFactory, wall: CentreClock, bundled: Content) -> None:
    """Notices of the new-year closure are up for days, nights included."""
    long = "Внимание! " + "Центр не работает с 1 по 8 января, приходите девятого. " * 6
    notice = Notice("closed", bundled.root / "notices" / "closed.yaml", Text(long),
                    urgent=True)
    wall.set(2026, 12, 28, 19, 59)
    window = make_window(utc_now=wall)
    window.screen_sleep.start()
    window.set_content(replace(with_hours(bundled), notices=(notice,)))
    band = window.notice_band
    assert band.isVisible() and band.turn_timer.isActive()  # open: its parts take turns
    wall.set(2026, 12, 28, 20, 0, 1)
    fire(window)
    assert window.screen_sleep.asleep and working(window) == []
    assert not band.isVisible()
    tap_at(window)
    assert band.isVisible() and band.notices == (notice,) and band.turn_timer.isActive()


def test_a_resize_in_the_dark_renders_nothing(night: KioskWindow, qtbot: QtBot) -> None:
    """A monitor plugged in or rotated at night: the cover follows, nothing else moves."""
    night.resize(night.width() - 40, night.height() - 40)
    settle(qtbot)
    assert working(night) == []
    assert night.screen_sleep.cover.geometry() == night.rect()
    assert all_black(night)


# --- across a DST change (Berlin; Moscow has none): waits and touches in real time ------------

BERLIN = ZoneInfo("Europe/Berlin")


def in_berlin(window: KioskWindow, content: Content, opens: dt.time) -> None:
    hours = (((opens, dt.time(20)),),) * 7
    window.screen_sleep.start()
    window.set_content(replace(content, settings=replace(
        content.settings, timezone="Europe/Berlin", opening_hours=hours)))


def test_in_the_repeated_autumn_hour_the_timer_waits_not_50_ms_but_a_minute(
        make_window: WindowFactory, wall: CentreClock, bundled: Content) -> None:
    # 27 October 2024: 03:00 CEST goes back to 02:00 CET. Opening at 03:05, the wake at 02:55
    # comes the second time round; at the first 02:56 it is an hour off, not a minute ago.
    wall.now = dt.datetime(2024, 10, 27, 0, 56, tzinfo=dt.UTC)  # 02:56 CEST
    window = make_window(utc_now=wall)
    in_berlin(window, bundled, dt.time(3, 5))
    sleep = window.screen_sleep
    assert sleep.asleep and sleep.report is not None and sleep.report.until is not None
    assert sleep.report.until.astimezone(dt.UTC) == \
        dt.datetime(2024, 10, 27, 1, 55, tzinfo=dt.UTC)
    assert sleep.timer.interval() == CHECK_MS  # 59 minutes away: the minute's look
    wall.now = dt.datetime(2024, 10, 27, 1, 54, 30, tzinfo=dt.UTC)  # 02:54:30 CET
    fire(window)
    assert sleep.asleep and abs(sleep.timer.interval() - 30_000) <= 50


def test_across_the_spring_jump_the_timer_waits_the_real_time_to_opening(
        make_window: WindowFactory, wall: CentreClock, bundled: Content) -> None:
    # 31 March 2024: 02:00 CET jumps to 03:00 CEST. At 01:59:40 CET the 03:00 opening is 20
    # seconds away, though the clock shows an hour between them.
    wall.now = dt.datetime(2024, 3, 31, 0, 59, 40, tzinfo=dt.UTC)
    window = make_window(utc_now=wall)
    in_berlin(window, bundled, dt.time(3))
    sleep = window.screen_sleep
    assert not sleep.asleep and sleep.report is not None
    assert sleep.report.reason == "before_opening"
    assert abs(sleep.timer.interval() - 20_020) <= 50


def test_a_touch_in_the_repeated_autumn_hour_wakes_the_screen_for_five_minutes(
        make_window: WindowFactory, wall: CentreClock, bundled: Content) -> None:
    wall.now = dt.datetime(2024, 10, 27, 0, 58, tzinfo=dt.UTC)  # 02:58 CEST, closed
    window = make_window(utc_now=wall)
    in_berlin(window, bundled, dt.time(8))
    sleep = window.screen_sleep
    assert sleep.asleep
    tap_at(window)
    assert not sleep.asleep
    wall.now = dt.datetime(2024, 10, 27, 1, 2, tzinfo=dt.UTC)  # 02:02 CET: four minutes on
    fire(window)
    assert not sleep.asleep and sleep.report is not None and sleep.report.reason == "touched"
    wall.now = dt.datetime(2024, 10, 27, 1, 3, 1, tzinfo=dt.UTC)  # five minutes, not 64
    fire(window)
    assert sleep.asleep


# --- closed_days that would keep the screen dark: said by the diagnostics and the check ---------

def test_the_staff_problems_list_warns_of_closed_days_that_darken_the_screen_for_long(
        make_window: WindowFactory, wall: CentreClock, bundled: Content) -> None:
    from kiosk.core.schedules.opening import DayRange

    year = DayRange(dt.date(2000, 1, 1), dt.date(2000, 12, 31), yearly=True, line=7,
                    text="1 января - 31 декабря")
    window = make_window(utc_now=wall)
    window.set_content(with_hours(bundled, closed_days=(year,)))
    lines = window.problem_lines("ru")
    assert any("kiosk.yaml:7: предупреждение: по closed_days центр закрыт 365 из ближайших "
               "365 дней" in line for line in lines), lines
    assert window.content.problems == bundled.problems  # said, not kept in the content
    window.set_content(with_hours(bundled))
    assert not any("closed_days" in line for line in window.problem_lines("ru"))


def test_kiosk_check_warns_of_closed_days_and_hours_that_are_likely_typos(
        tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = make_folder(tmp_path / "content", settings=(
        "opening_hours:\n  ежедневно: 20:00-08:00\n"
        "closed_days:\n  - 8-1 января\n  - 1 января - 31 декабря\n"))
    result = subprocess.run([sys.executable, "-m", "kiosk", "check", str(root)],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    out = result.stdout
    assert result.returncode == 1, out  # the backwards range is an error
    assert "kiosk.yaml:2: предупреждение: opening_hours: часы «20:00-08:00»" in out, out
    assert "kiosk.yaml:3: ошибка: closed_days: в «8-1 января» последний день раньше" in out
    assert "kiosk.yaml:3: предупреждение: по closed_days центр закрыт 365 из ближайших 365 " \
        "дней" in out


def test_the_preview_at_a_closed_hour_says_the_screen_is_dark_and_when_it_wakes(
        qtbot: QtBot, tmp_path: Path) -> None:
    from kiosk.ui.preview import preview

    root = make_folder(tmp_path / "c", stories={"a.md": story()},
                       settings="opening_hours:\n  ежедневно: 08:00-20:00\n")
    preview(root, tmp_path / "night", (1920, 1080), at=dt.datetime(2026, 12, 4, 23, 0))
    night = (tmp_path / "night" / "index.html").read_text(encoding="utf-8")
    assert "Экран выключен" in night and "завтра в 07:50" in night
    preview(root, tmp_path / "day", (1920, 1080), at=dt.datetime(2026, 12, 4, 12, 0))
    day = (tmp_path / "day" / "index.html").read_text(encoding="utf-8")
    assert "Экран включён" in day and "Экран выключен" not in day
