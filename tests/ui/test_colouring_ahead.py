"""Colouring pictures prepared ahead, in the loop (kiosk.ui.colouring.ahead; issue 18: memory
while a child picks a picture). Once content is in, each picture is prepared for the page's
canvas and kept in the state folder: the picker's cards then need no numpy and no second
process, and the page loads its picture with numpy alone. A kept picture that is damaged is
prepared again; pictures that leave the content leave the store."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from kiosk.core.colouring.engine import EngineSettings, prepare
from kiosk.core.colouring.prepare_apart import engine
from kiosk.core.colouring.prepared_store import PICTURE_FILE, picture_key
from kiosk.core.content.model import Content
from kiosk.ui.colouring import ahead as colouring_ahead
from kiosk.ui.colouring.line_art import render_line_art
from kiosk.ui.main_window import KioskWindow
from tests.helpers import BUNDLED, PREPARING_CHILDREN, kiosk_env, run_python
from tests.ui.conftest import FakeClock, WindowFactory
from tests.ui.test_notices import Wall, at, notices_content
from tests.ui.test_sleep import CentreClock, tap_at, with_hours

CHILD = """
import os, sys
from PySide6.QtCore import QTimer
from kiosk.cli import main

""" + PREPARING_CHILDREN + """
def openssl():
    with open("/proc/self/maps") as maps:
        mapped = {line.split()[-1].rsplit("/", 1)[-1] for line in maps
                  if "libcrypto" in line or "libssl" in line}
    return sorted(mapped) + sorted({"ssl", "_ssl", "hashlib", "_hashlib"} & set(sys.modules))

def watch(window):
    steps = []

    def step():
        if not (window.screens_built and window.attract.pictures_shown):
            return
        if not steps:
            if window.colouring_all_kept() and not preparing():
                from kiosk.core.colouring.prepare_apart import engine
                steps.append(engine().started)
                print("AHEAD", engine().started, "numpy" in sys.modules, flush=True)
                window.show_screen(window.picker)
        elif len(steps) == 1:
            if preparing():
                print("CHILD on the picker", flush=True)
            if all(card.coloured for card in window.picker.thumbnails):
                print("CARDS", "numpy" in sys.modules, flush=True)
                window._colour(window.content.colouring[0].id)
                steps.append("opened")
        elif window.colouring.canvas is not None:
            from kiosk.core.colouring.prepare_apart import engine
            print("PAGE", engine().started - steps[0], "cv2" in sys.modules, len(preparing()),
                  *openssl(), flush=True)
            os._exit(0)

    timer = QTimer(window)
    timer.timeout.connect(step)
    timer.start(20)

main(["run", "--content", sys.argv[1], "--size", "1920x1080"], on_window=watch)
"""


def test_a_visit_to_pictures_prepared_ahead_needs_no_numpy_for_the_cards_and_no_child(
        tmp_path: Path) -> None:
    env = {**kiosk_env(tmp_path), "QT_QPA_PLATFORM": os.environ["QT_QPA_PLATFORM"]}
    done = run_python(CHILD, str(BUNDLED), env=env)
    lines = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()
             if line.startswith(("AHEAD", "CHILD", "CARDS", "PAGE"))}
    assert "PAGE" in lines, done.stderr[-2000:]
    assert "9 colouring pictures prepared ahead" in done.stderr
    assert int(lines["AHEAD"][0]) >= 1 and lines["AHEAD"][1] == "False"  # in the loop
    assert "CHILD" not in lines  # no child waited on the picker
    assert lines["CARDS"] == ["False"]  # the cards are the kept PNGs: no numpy
    # No child started, no OpenCV, none alive; and no OpenSSL for the keys or the files
    # (kiosk.core.hashes): its pages would stay for good.
    assert lines["PAGE"] == ["0", "False", "0"]
    kept = tmp_path / "state" / "colouring-prepared"
    assert len(os.listdir(kept)) == 9


def at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pass starts at once: neither AHEAD_DELAY_S after the content nor at the loop's next
    transition's end (test_the_pass_waits_for_the_end_of_a_transition)."""
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_DELAY_S", 0.01)
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_QUIET_WAIT_S", 0.01)


@pytest.fixture
def ahead(window: KioskWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          qtbot: QtBot) -> Path:
    """The window keeps its pictures prepared in tmp_path/kept (at once)."""
    at_once(monkeypatch)
    monkeypatch.setattr(colouring_ahead, "_store", None)  # put back after the test
    window.keep_colouring_prepared(tmp_path / "kept")
    wait_until_kept(qtbot, window)
    return tmp_path / "kept"


def wait_until_kept(qtbot: QtBot, window: KioskWindow) -> None:
    pool = QThreadPool.globalInstance()
    qtbot.waitUntil(lambda: window.colouring_all_kept() and pool.activeThreadCount() == 0
                    and not engine().running, timeout=30000)


def test_the_page_opens_the_kept_picture_exactly_as_prepared_without_a_child(
        qtbot: QtBot, window: KioskWindow, ahead: Path) -> None:
    started = engine().started
    window.show_screen(window.picker)
    qtbot.waitUntil(lambda: all(card.coloured for card in window.picker.thumbnails),
                    timeout=10000)
    qtbot.mouseClick(window.picker.thumbnails[2], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.colouring.canvas is not None, timeout=10000)
    assert engine().started == started and not engine().running
    canvas = window.colouring.canvas
    assert canvas is not None
    picture = window.content.colouring[2]
    size = window.colouring_canvas()
    fresh = prepare(render_line_art(picture.source, size),  # type: ignore[arg-type]
                    EngineSettings(gap_px=window.content.settings.colouring_gap_px))
    assert np.array_equal(canvas.picture.owner, fresh.owner)
    assert np.array_equal(canvas.picture.darkness, fresh.darkness)
    assert canvas.picture.regions == fresh.regions


def test_a_card_shows_the_kept_picture_coloured_in(
        qtbot: QtBot, window: KioskWindow, ahead: Path) -> None:
    window.show_screen(window.picker)
    card = window.picker.thumbnails[0]
    qtbot.waitUntil(lambda: card.coloured, timeout=10000)
    image = card._coloured
    box = card.picture_box()
    assert max(image.width(), image.height()) == max(box.width(), box.height())  # fitted
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4)
               for y in range(0, image.height(), 4)}
    assert len(colours) > 20  # the regions' colours and the lines' edges, not an outline


def test_a_damaged_kept_picture_is_prepared_again_when_opened(
        qtbot: QtBot, window: KioskWindow, ahead: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    picture = window.content.colouring[0]
    canvas = window.colouring_canvas()
    key = picture_key(picture.source, canvas.width(), canvas.height(),
                      window.content.settings.colouring_gap_px)
    assert key is not None
    (ahead / key / PICTURE_FILE).write_bytes(b"half a file")
    window.show_screen(window.picker)
    with caplog.at_level(logging.WARNING):
        qtbot.mouseClick(window.picker.thumbnails[0], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.colouring.canvas is not None, timeout=10000)
    assert "not used (it will be prepared again)" in caplog.text
    assert window.colouring.canvas is not None
    assert int((window.colouring.canvas.picture.owner > 0).sum()) > 1000  # regions found


def test_pictures_that_leave_the_content_leave_the_store(
        qtbot: QtBot, window: KioskWindow, ahead: Path) -> None:
    assert len(os.listdir(ahead)) == 9
    window.update_content(replace(window.content, colouring=window.content.colouring[:3]))
    qtbot.waitUntil(lambda: len(os.listdir(ahead)) == 3, timeout=30000)
    wait_until_kept(qtbot, window)
    assert window.colouring_all_kept()


def test_the_cards_pictures_go_with_the_visitor_and_come_back_for_the_next(
        qtbot: QtBot, window: KioskWindow, ahead: Path) -> None:
    window.show_screen(window.picker)
    cards = window.picker.thumbnails
    qtbot.waitUntil(lambda: all(card.coloured for card in cards), timeout=10000)
    window.go_to_attract()  # ~0.4 MB a card at 1080p, for weeks otherwise
    assert all(card._coloured.isNull() and card._outline.isNull() for card in cards)
    window.show_screen(window.picker)  # the next visitor: read again from what is kept
    qtbot.waitUntil(lambda: all(card.coloured for card in cards), timeout=10000)


def test_the_pass_waits_for_the_end_of_a_transition(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The preparing child's peak comes beside the loop at its lightest: as a transition ends,
    the slide before let go, the next one's pictures not asked for yet (bench/memory.py,
    pss_preparing_ahead); a loop with no transition goes after AHEAD_QUIET_WAIT_S."""
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_DELAY_S", 0.01)
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_QUIET_WAIT_S", 600.0)
    monkeypatch.setattr(colouring_ahead, "_store", None)
    attract = window.attract
    qtbot.waitUntil(lambda: attract.pictures_shown, timeout=5000)  # no transition under way
    attract.slide_timer.stop()  # and none to come until the test asks for one
    assert attract.playlist is not None
    started = engine().started
    window.keep_colouring_prepared(tmp_path / "kept")
    quiet = window._ahead_quiet
    assert quiet is not None
    qtbot.waitUntil(quiet.isActive, timeout=5000)  # its moment awaited…
    QThreadPool.globalInstance().waitForDone()
    assert engine().started == started and not (tmp_path / "kept").exists()  # …nothing yet
    clock.advance(attract.playlist.current.duration)
    with qtbot.waitSignal(attract.stage.transition_finished, timeout=10000):
        attract.reschedule()  # the next slide comes in
    wait_until_kept(qtbot, window)
    assert engine().started > started


def test_after_the_screen_turns_the_pass_still_waits_for_a_transition(
        qtbot: QtBot, window: KioskWindow, clock: FakeClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The turned screen's loop is a new attract screen: its transitions start the pass the
    new canvas size asks for, not the longest wait."""
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_DELAY_S", 0.01)
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_QUIET_WAIT_S", 600.0)
    monkeypatch.setattr(colouring_ahead, "_store", None)
    window.keep_colouring_prepared(tmp_path / "kept")
    before = window.attract
    window.lay_out_for(window.theme.height, window.theme.width)  # turned: a new loop, canvas
    attract = window.attract
    assert attract is not before
    qtbot.waitUntil(lambda: attract.pictures_shown, timeout=5000)
    attract.slide_timer.stop()
    assert attract.playlist is not None
    quiet = window._ahead_quiet
    assert quiet is not None
    qtbot.waitUntil(quiet.isActive, timeout=5000)
    started = engine().started
    clock.advance(attract.playlist.current.duration)
    with qtbot.waitSignal(attract.stage.transition_finished, timeout=10000):
        attract.reschedule()
    wait_until_kept(qtbot, window)
    assert engine().started > started


def test_new_content_while_the_pass_awaits_its_moment_waits_again(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The content reader's child is alive again after new content: the pass waits
    AHEAD_DELAY_S again (its children's memory never adds up), not just for a transition."""
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_DELAY_S", 0.01)
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_QUIET_WAIT_S", 600.0)
    monkeypatch.setattr(colouring_ahead, "_store", None)
    window.keep_colouring_prepared(tmp_path / "kept")
    quiet, delay = window._ahead_quiet, window._ahead_timer
    assert quiet is not None and delay is not None
    qtbot.waitUntil(quiet.isActive, timeout=5000)
    delay.setInterval(600_000)  # what follows happens before the next wait ends
    window.set_content(replace(window.content))  # new content arrives
    assert delay.isActive() and not quiet.isActive()
    window.attract.stage.transition_finished.emit()  # its first slide comes in
    QThreadPool.globalInstance().waitForDone()
    assert not (tmp_path / "kept").exists()  # the pass still waits for the reader to go


def test_with_no_transition_the_pass_goes_after_its_longest_wait(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_DELAY_S", 0.01)
    monkeypatch.setattr("kiosk.ui.main_window.AHEAD_QUIET_WAIT_S", 0.05)
    monkeypatch.setattr(colouring_ahead, "_store", None)
    window.attract.slide_timer.stop()
    window.keep_colouring_prepared(tmp_path / "kept")
    wait_until_kept(qtbot, window)


def test_asleep_nothing_is_prepared_until_the_screen_wakes(
        make_window: WindowFactory, bundled: Content, tmp_path: Path, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside opening hours the kiosk does nothing (bench/sleep.py): new content's pictures
    wait for the morning."""
    at_once(monkeypatch)
    monkeypatch.setattr(colouring_ahead, "_store", None)
    window = make_window(utc_now=CentreClock())  # 22:00, the centre open 08:00-20:00
    window.screen_sleep.start()
    window.set_content(with_hours(bundled))
    assert window.screen_sleep.asleep
    window.keep_colouring_prepared(tmp_path / "kept")
    qtbot.waitUntil(lambda: window._ahead_waits_for_waking, timeout=5000)
    assert not (tmp_path / "kept").exists() and not engine().running
    tap_at(window)  # the screen wakes
    assert not window.screen_sleep.asleep
    wait_until_kept(qtbot, window)


def test_a_notice_band_gets_its_own_canvas_and_the_full_page_stays_kept(
        make_window: WindowFactory, tmp_path: Path, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Above an urgent notice's band the page is shorter, so is its canvas: the pictures are
    prepared for it too, and those of the full page stay for when the band goes."""
    at_once(monkeypatch)
    monkeypatch.setattr(colouring_ahead, "_store", None)
    wall = Wall(at("2026-12-10 09:30"))
    window = make_window(notices_content(tmp_path, hours="10:00-11:00"), utc_now=wall)
    window.keep_colouring_prepared(tmp_path / "kept")
    wait_until_kept(qtbot, window)
    full = window.colouring_canvas()
    started = engine().started
    wall.now = at("2026-12-10 10:00")
    window.show_notices()
    qtbot.waitUntil(window.notice_band.isVisible, timeout=2000)
    shorter = window.colouring_canvas()
    assert shorter.height() < full.height()
    wait_until_kept(qtbot, window)  # for the shorter page
    assert engine().started > started  # prepared for it
    pictures = window.content.colouring
    gap = window.content.settings.colouring_gap_px
    assert colouring_ahead.all_kept(pictures, full, gap)  # and the full page's are still there
    wall.now = at("2026-12-10 11:00")
    window.show_notices()
    qtbot.waitUntil(lambda: not window.notice_band.isVisible(), timeout=2000)
    started = engine().started
    timer = window._ahead_timer
    assert timer is not None
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=5000)  # the pass for the full page
    QThreadPool.globalInstance().waitForDone()  # has run
    assert window.colouring_all_kept()
    assert engine().started == started  # and prepared nothing again
