"""Notices on screen: an urgent one is a band at the foot of every visitor screen, in both
orientations, that covers no control, leaves the queue's banner in view, comes and goes at
its schedule's edges without a restart and is not put away by a tap; an ordinary one is a
slide of the loop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import Content
from kiosk.core.content.notices import WORD_MOST
from kiosk.core.playlist import SlideKind
from kiosk.core.queue import Call
from kiosk.core.session import Phase
from kiosk.ui.audit import audit
from kiosk.ui.colouring.screen import CanvasView, ColouringScreen
from kiosk.ui.main_window import NOTICE_RECHECK_S, KioskWindow
from kiosk.ui.preview import attract_slides, preview_window, walk_screens
from kiosk.ui.resources import probe_image
from tests.helpers import copy_bundled
from tests.ui.conftest import SIZES, FakeClock, WindowFactory
from tests.ui.test_colouring_screen import open_first_picture
from tests.ui.test_layout import check_labels

MOSCOW = ZoneInfo("Europe/Moscow")
# Two lines on a landscape band, four on a portrait one.
REPAIR = ("Из-за ремонта приём в окнах 10–14 временно не ведётся. Документы по этим услугам "
          "принимают в окнах 1–9")
REPAIR_EN = "Counters 10–14 are closed for repairs. Counters 1–9 take your documents meanwhile"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=MOSCOW)


def notices_content(tmp_path: Path, hours: str = "", settings: str = "") -> Content:
    """The bundled content with the new-year holidays listed, and an urgent notice of repairs
    (between these hours, when given)."""
    root = copy_bundled(tmp_path)
    with (root / "kiosk.yaml").open("a", encoding="utf-8") as kiosk_yaml:
        kiosk_yaml.write(f"\nclosed_days:\n  - 1-8 января\n{settings}")
    schedule = f'hours: "{hours}"\n' if hours else ""
    (root / "notices" / "repair.yaml").write_text(
        f"text: {REPAIR}\ntext_en: {REPAIR_EN}\nlevel: срочное\n{schedule}", encoding="utf-8")
    content = load_content(root, probe_image)
    assert content.errors == ()
    return content


class Wall:
    """The centre's wall clock, moved by hand."""

    def __init__(self, moment: dt.datetime) -> None:
        self.now = moment

    def __call__(self) -> dt.datetime:
        return self.now.astimezone(dt.UTC)


@pytest.fixture
def open_window(make_window: WindowFactory) -> Callable[[Content, Wall], KioskWindow]:
    return lambda content, wall: make_window(content, utc_now=wall)


def band_rect(window: KioskWindow) -> QRect:
    return window.notice_band.geometry()


def controls_outside_their_screen(window: KioskWindow) -> list[str]:
    """Every button and the colouring canvas of the screen shown now that its screen cuts off
    at the top or the foot (one pushed under the band would be), the screen ending where the
    band begins. A row that scrolls (the tags) shows part of its chips by design."""
    screen = window.current_screen
    room = QRect(0, 0, screen.width(), screen.height())
    found = []
    for widget in screen.findChildren(QWidget):
        if not isinstance(widget, QAbstractButton | CanvasView):
            continue
        if not widget.isVisibleTo(screen) or _scrolls(widget, screen):
            continue
        box = QRect(widget.mapTo(screen, widget.rect().topLeft()), widget.size())
        if box.top() < room.top() or box.bottom() > room.bottom():
            found.append(f"{type(widget).__name__} {box}")
    return found


def _scrolls(widget: QWidget, screen: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not screen:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def overlapping_colouring_controls(screen: ColouringScreen) -> list[tuple[str, str]]:
    parts = [screen.view, screen.home_button, screen.pictures_button, *screen.tool_buttons,
             screen.undo_button, screen.start_over_button, *screen.swatches, screen.done_button]
    boxes = [(f"{type(w).__name__}@{w.geometry()}", w.geometry()) for w in parts]
    return [(a, b) for i, (a, one) in enumerate(boxes) for b, two in boxes[i + 1:]
            if one.intersects(two)]


# -- on every screen -------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["normal", "high-contrast"])
@pytest.mark.parametrize("orientation", list(SIZES))
def test_the_band_is_on_every_visitor_screen_and_covers_nothing(
        qtbot: QtBot, tmp_path: Path, orientation: str, mode: str) -> None:
    content = notices_content(tmp_path)
    size = SIZES[orientation]
    moment = at("2026-12-10 12:00")  # the repairs: always; the holidays are weeks away
    window = preview_window(content, size, moment.astimezone(dt.UTC))
    qtbot.addWidget(window)
    band = window.notice_band
    assert band.isVisible() and [n.id for n in band.notices] == ["repair"]
    assert len(band.parts) == 1 and len(band.parts[0]) == (2 if orientation == "landscape"
                                                           else 4)
    seen = 0
    for shot in walk_screens(window, content, moment, high_contrast=mode == "high-contrast"):
        where = f"{shot.file} [{orientation}, {mode}]"
        if window.current_screen in window.staff_screens:
            assert not band.isVisible() and window.contentsMargins().bottom() == 0, where
            continue
        seen += 1
        assert band.isVisible(), where
        assert band_rect(window) == QRect(0, window.height() - band.room, window.width(),
                                          band.room), where
        assert window.current_screen.geometry().bottom() < band_rect(window).top(), where
        assert controls_outside_their_screen(window) == [], where
        if window.current_screen in (window.stories, window.anniversary):
            check_labels(window, window.current_screen)  # nothing cut off in the less room
        if isinstance(window.current_screen, ColouringScreen):
            assert overlapping_colouring_controls(window.current_screen) == [], where
        findings, measured = audit(window, window.theme, where)
        assert findings == [], "\n".join(map(str, findings))
        assert any(m.text == band.placed[0][0] for m in measured) \
            or window.overlay.isVisible(), where  # the band's words measured, unless dimmed
        if window.queue_banner.isVisible():  # a call stays in view, above the screens
            assert not window.queue_banner.geometry().intersects(band_rect(window)), where
    assert seen >= 10
    window.attract.stop()


def test_the_staff_screens_get_the_whole_screen_and_the_band_comes_back(
        open_window: Callable[[Content, Wall], KioskWindow], tmp_path: Path) -> None:
    window = open_window(notices_content(tmp_path), Wall(at("2026-12-10 12:00")))
    room = window.notice_band.room
    assert room > 0 and window.contentsMargins().bottom() == room
    window.open_pin_pad()
    assert not window.notice_band.isVisible() and window.pin_pad.height() == window.height()
    window.go_to_attract()
    assert window.notice_band.isVisible() and window.contentsMargins().bottom() == room


def test_the_call_banner_stays_in_view_above_the_band(
        open_window: Callable[[Content, Wall], KioskWindow], tmp_path: Path) -> None:
    window = open_window(notices_content(tmp_path), Wall(at("2026-12-10 12:00")))
    window.show_screen(window.menu)
    window.queue_banner.show_calls([Call("А017", "12"), Call("Б104", "3")], window.lang)
    banner = window.queue_banner.geometry()
    assert window.queue_banner.isVisible() and window.notice_band.isVisible()
    assert banner.top() == 0 and not banner.intersects(band_rect(window))
    on_top = window.childAt(banner.center())  # the call is what a finger there reaches
    assert on_top is window.queue_banner or (
        on_top is not None and window.queue_banner.isAncestorOf(on_top))


# -- time ---------------------------------------------------------------------------------

def test_the_band_comes_and_goes_at_the_edges_of_its_hours(
        qtbot: QtBot, open_window: Callable[[Content, Wall], KioskWindow],
        tmp_path: Path) -> None:
    wall = Wall(at("2026-12-10 09:30"))
    window = open_window(notices_content(tmp_path, hours="10:00-11:00"), wall)
    band, timer = window.notice_band, window.notice_timer
    assert not band.isVisible() and window.contentsMargins().bottom() == 0
    # One timer, for the edge half an hour away: nothing polls meanwhile.
    assert timer.isActive() and timer.isSingleShot()
    assert abs(timer.remainingTime() - 30 * 60 * 1000) < 2000
    stage = window.attract.stage.height()
    wall.now = at("2026-12-10 09:59:59.900")
    window.show_notices()  # as the timer would, a moment before the edge
    assert not band.isVisible() and timer.remainingTime() <= 100
    wall.now = at("2026-12-10 10:00")  # the clock reaches the edge as the timer fires
    qtbot.waitUntil(band.isVisible, timeout=2000)
    assert window.contentsMargins().bottom() == band.room > 0
    assert window.attract.stage.height() == stage - band.room  # the loop gave it its room
    assert abs(timer.remainingTime() - 60 * 60 * 1000) < 2000  # the end, an hour away
    wall.now = at("2026-12-10 10:59:59.950")
    window.show_notices()
    wall.now = at("2026-12-10 11:00")
    qtbot.waitUntil(lambda: not band.isVisible(), timeout=2000)
    assert window.contentsMargins().bottom() == 0
    assert window.attract.stage.height() == stage
    # Tomorrow's hour is the next edge; the timer never waits longer than an hour all the
    # same (a wall clock set meanwhile is not followed by a timer).
    assert abs(timer.remainingTime() - NOTICE_RECHECK_S * 1000) < 2000


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])  # once
def test_a_wall_clock_set_while_it_runs_is_followed_within_the_minute(
        qtbot: QtBot, open_window: Callable[[Content, Wall], KioskWindow],
        tmp_path: Path, clock: FakeClock) -> None:
    """A kiosk switched off for a while starts on the time it stopped at (a computer without
    a clock battery: systemd-timesyncd's saved time) and NTP sets it later. The notice's
    hour has come by then: it is up at the band clock's next minute, not an hour later (when
    the notice's own hour was over and it was never shown that day)."""
    wall = Wall(at("2026-12-10 08:00"))
    window = open_window(notices_content(tmp_path, hours="10:00-11:00"), wall)
    band, minute = window.notice_band, window.attract.clock_timer
    assert not band.isVisible()
    wall.now = at("2026-12-10 10:30")  # set by NTP
    assert minute.isActive() and minute.remainingTime() <= 60_050 * 1.05  # a coarse timer
    clock.advance(60)
    wall.now += dt.timedelta(seconds=60)
    minute.stop()
    minute.timeout.emit()  # as the timer does, a minute on
    qtbot.waitUntil(band.isVisible, timeout=2000)
    assert abs(window.notice_timer.remainingTime() - 29 * 60 * 1000) < 2000  # its end
    # The minutes that follow, the clock unset, judge nothing again.
    for _ in range(3):
        clock.advance(60)
        wall.now += dt.timedelta(seconds=60)
        window.notice_timer.stop()
        minute.timeout.emit()
        assert not window.notice_timer.isActive()
    window.show_notices()


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])  # once
def test_a_wall_clock_set_brings_the_loop_the_new_hours_slides_next(
        open_window: Callable[[Content, Wall], KioskWindow], tmp_path: Path,
        clock: FakeClock) -> None:
    """The same NTP setting and an ordinary notice of that hour: it is among the loop's next
    slides, not left out until the pass built at 08:00 ends minutes later."""
    root = copy_bundled(tmp_path)
    (root / "notices" / "lunch.yaml").write_text(
        'text: Перерыв у окон 1–3 с 10:00 до 11:00\nhours: "10:00-11:00"\n', encoding="utf-8")
    content = load_content(root, probe_image)
    assert content.errors == ()
    wall = Wall(at("2026-12-10 08:00"))
    window = open_window(content, wall)
    playlist, minute = window.attract.playlist, window.attract.clock_timer
    assert playlist is not None
    assert "notice:lunch" not in [slide.key for slide in playlist.slides]
    on_show = playlist.current
    wall.now = at("2026-12-10 10:30")  # set by NTP
    clock.advance(60)
    wall.now += dt.timedelta(seconds=60)
    minute.stop()
    minute.timeout.emit()
    assert playlist.current == on_show
    assert "notice:lunch" in [slide.key for slide in playlist.slides[1:]]


def test_asleep_nothing_is_judged_and_on_waking_the_band_is_up(
        open_window: Callable[[Content, Wall], KioskWindow], tmp_path: Path) -> None:
    wall = Wall(at("2026-12-10 22:00"))
    content = notices_content(tmp_path, hours="10:00-11:00",
                              settings="opening_hours: 08:00-20:00\n")
    window = open_window(content, wall)
    window.screen_sleep.start()  # as `kiosk run` does (previews and checks never sleep)
    assert window.screen_sleep.asleep
    assert not window.notice_timer.isActive()  # no work in the dark
    wall.now = at("2026-12-11 10:30")
    window.screen_sleep.evaluate()  # as its timer would: the morning
    assert not window.screen_sleep.asleep
    assert window.notice_band.isVisible() and window.contentsMargins().bottom() > 0
    assert abs(window.notice_timer.remainingTime() - 30 * 60 * 1000) < 2000


def test_a_change_waits_until_the_visitor_moves_on(
        qtbot: QtBot, open_window: Callable[[Content, Wall], KioskWindow],
        tmp_path: Path) -> None:
    wall = Wall(at("2026-12-10 09:59"))
    window = open_window(notices_content(tmp_path, hours="10:00-11:00"), wall)
    screen = open_first_picture(qtbot, window)
    window._touched()  # a child is colouring
    assert window.session.phase is Phase.ACTIVE
    canvas = screen.view.geometry()
    wall.now = at("2026-12-10 10:00")
    window.show_notices()
    assert window.notices_due and not window.notice_band.isVisible()
    assert screen.view.geometry() == canvas  # the picture keeps its edges
    window.show_screen(window.picker)  # back to the pictures: now
    assert window.notice_band.isVisible()
    wall.now = at("2026-12-10 11:00")
    window.show_notices()
    assert window.notice_band.isVisible()
    window.go_to_attract()  # the visitor has gone
    assert not window.notice_band.isVisible()


def test_a_tap_does_not_put_the_band_away_nor_start_a_visit(
        qtbot: QtBot, open_window: Callable[[Content, Wall], KioskWindow],
        tmp_path: Path) -> None:
    window = open_window(notices_content(tmp_path), Wall(at("2026-12-10 12:00")))
    band = window.notice_band
    for _ in range(3):
        qtbot.mouseClick(band, Qt.MouseButton.LeftButton)
    assert band.isVisible() and window.session.phase is Phase.ATTRACT
    assert window.stack.currentWidget() is window.attract
    window._touched()  # a visit begins
    window.show_screen(window.menu)
    qtbot.mouseClick(band, Qt.MouseButton.LeftButton)
    assert band.isVisible() and window.current_screen is window.menu


def test_the_band_speaks_the_visitors_language_at_one_height(
        open_window: Callable[[Content, Wall], KioskWindow], tmp_path: Path) -> None:
    window = open_window(notices_content(tmp_path), Wall(at("2026-12-30 12:00")))
    band = window.notice_band
    assert [n.id for n in band.notices] == ["new-year", "repair"]  # both due: they take turns
    room = band.room
    shown = [" ".join(band.parts[band.part])]
    band.turn_timer.timeout.emit()
    shown.append(" ".join(band.parts[band.part]))
    assert shown[0].startswith("1–8") and shown[1].startswith("Из-за")
    assert band.turn_timer.isActive() and band.room == room
    window.set_language("en")
    assert " ".join(band.parts[band.part]).startswith("Counters") and band.room == room
    assert window.contentsMargins().bottom() == room


def test_the_band_outlives_the_large_text_switch(
        open_window: Callable[[Content, Wall], KioskWindow], tmp_path: Path) -> None:
    window = open_window(notices_content(tmp_path), Wall(at("2026-12-10 12:00")))
    window.show_screen(window.menu)
    window._touched()
    window.set_high_contrast(True)
    assert window.notice_band.isVisible()
    assert window.current_screen.geometry().bottom() < band_rect(window).top()


def test_the_bands_words_grow_with_the_large_text_and_shrink_back(
        open_window: Callable[[Content, Wall], KioskWindow], tmp_path: Path) -> None:
    """In large text every word on the screen grew but the band's: the most urgent words
    on it were the smallest there."""
    window = open_window(notices_content(tmp_path), Wall(at("2026-12-10 12:00")))
    window.show_screen(window.menu)
    window._touched()
    band = window.notice_band
    usual = band.text_spots()[0].pixel_size
    room = band.room  # set tighter in large text, the band takes about the same room
    window.set_high_contrast(True)
    large = window.theme
    assert large.high_contrast
    spots = band.text_spots()
    size = large.lead_px if large.portrait else large.body_px  # as in the usual mode
    assert [spot.pixel_size for spot in spots] == [size] * len(spots)
    assert spots[0].pixel_size >= usual * 1.25 and band.room <= room * 1.1
    assert all(spot.fits for spot in spots)
    assert window.current_screen.geometry().bottom() < band_rect(window).top()
    window.set_high_contrast(False)
    assert band.text_spots()[0].pixel_size == usual and band.room == room


# -- the ordinary notice and the preview ------------------------------------------------------

def test_an_ordinary_notice_is_a_poster_of_the_loop_and_a_tap_opens_the_menu(
        qtbot: QtBot, open_window: Callable[[Content, Wall], KioskWindow],
        tmp_path: Path) -> None:
    wall = Wall(at("2026-12-31 12:00"))  # the eve of the holidays
    window = open_window(notices_content(tmp_path), wall)
    playlist = window.attract.playlist
    assert playlist is not None
    slides = [s for s in playlist.slides if s.kind is SlideKind.NOTICE]
    assert [s.item_id for s in slides] == ["closed-tomorrow"]
    playlist.slides, playlist.index = slides, 0
    window.attract.display(slides[0])
    words = [spot.text for spot in window.attract.stage.text_spots()]
    assert words[0] == "Объявление"
    assert " ".join(words[1:]).replace("\xa0", " ") == "Завтра центр не работает"
    theme = window.attract.theme
    sizes = [spot.pixel_size for spot in window.attract.stage.text_spots()]
    assert sizes == [theme.small_px] + [theme.display_px] * (len(sizes) - 1)
    qtbot.mouseClick(window.attract, Qt.MouseButton.LeftButton)
    assert window.current_screen is window.menu
    wall.now = at("2027-01-09 12:00")
    assert all(s.kind is not SlideKind.NOTICE for s in attract_slides(
        window.content, window.local_now()))


def test_the_preview_shows_the_band_when_a_notice_is_due_at_its_moment_and_without_one_always(
        qtbot: QtBot, tmp_path: Path) -> None:
    content = notices_content(tmp_path, hours="10:00-11:00")
    due = preview_window(content, SIZES["landscape"], at("2026-12-28 10:30"))
    none_due = preview_window(content, SIZES["landscape"], at("2026-12-10 12:00"))
    # No moment given: every item whatever its schedule, so every urgent notice in the band
    # (the first on show, the others in turn), as the stories and posters are all shown.
    whenever = preview_window(content, SIZES["landscape"])
    for window in (due, none_due, whenever):
        qtbot.addWidget(window)
    assert [n.id for n in due.notice_band.notices] == ["new-year", "repair"]
    assert not none_due.notice_band.isVisible()
    band = whenever.notice_band
    assert band.isVisible() and [n.id for n in band.notices] == ["new-year", "repair"]
    assert band.placed[0][0].startswith("1–8")
    assert not whenever.notice_timer.isActive()  # nothing to wait for
    shown = [band.isVisible() for _shot in walk_screens(whenever, content)
             if whenever.current_screen not in whenever.staff_screens]
    assert len(shown) > 10 and all(shown)
    whenever.go_to_attract()  # the window judges the notices again on each return
    assert band.isVisible() and len(band.notices) == 2
    for window in (due, none_due, whenever):
        window.attract.stop()


def test_the_bundled_notice_is_in_the_preview_though_its_closed_days_are_not_listed(
        qtbot: QtBot, tmp_path: Path) -> None:
    content = load_content(copy_bundled(tmp_path), probe_image)
    assert content.closed_days() is None  # kiosk.yaml lists them only in a comment
    window = preview_window(content, SIZES["portrait"])
    qtbot.addWidget(window)
    assert [n.id for n in window.notice_band.notices] == ["new-year"]
    assert window.notice_band.isVisible()
    window.attract.stop()


@pytest.mark.parametrize("orientation", list(SIZES))
def test_a_word_wider_than_the_band_is_broken_not_cut_off(
        qtbot: QtBot, tmp_path: Path, orientation: str) -> None:
    root = copy_bundled(tmp_path)
    word = "Ш" * WORD_MOST  # the longest kiosk check lets through, in the widest letters
    (root / "notices" / "long.yaml").write_text(
        f"text: Окно {word} закрыто\nlevel: срочное\n", encoding="utf-8")
    content = load_content(root, probe_image)
    assert content.errors == ()
    window = preview_window(content, SIZES[orientation], at("2026-12-10 12:00"))
    qtbot.addWidget(window)
    for high_contrast in (False, True):
        band = window.notice_band
        band.theme = band.theme.with_high_contrast(high_contrast)
        band._lay_out()
        lines = [line for part in band.parts for line in part]
        assert "".join(lines).replace(" ", "") == f"Окно{word}закрыто"
        spots = []
        for _part in band.parts:
            spots += band.text_spots()
            band._turn()
        assert spots and all(spot.fits for spot in spots), (orientation, high_contrast)
        assert all(spot.rect.right() <= window.width() - band.theme.margin for spot in spots)
    window.attract.stop()


def test_at_most_five_urgent_notices_take_turns_and_check_says_so(
        open_window: Callable[[Content, Wall], KioskWindow], tmp_path: Path) -> None:
    """3,000 urgent notices made a real one wait ten hours for its turn on the band, and
    laying them out held the UI thread 0.3 s at every change: the first five due, in the
    files' order, take turns; `kiosk check` names the sixth."""
    root = copy_bundled(tmp_path)
    for bundled in (root / "notices").iterdir():
        bundled.unlink()
    for n in range(1, 41):
        (root / "notices" / f"urgent-{n:02}.yaml").write_text(
            f"text: Окно {n} не работает\nlevel: срочное\n", encoding="utf-8")
    content = load_content(root, probe_image)
    warned = [p for p in content.problems if p.code == "notice_urgent_many"]
    assert len(warned) == 1 and Path(warned[0].path).name == "urgent-06.yaml"
    assert "40" in warned[0].message("ru") and "5" in warned[0].message("ru")
    window = open_window(content, Wall(at("2026-12-10 10:00")))
    assert [n.id for n in window.notices_due] == [f"urgent-{n:02}" for n in range(1, 6)]
    assert len(window.notice_band.parts) == 5
